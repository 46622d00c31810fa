"""Reviewing a report's flags, the review in the JSON, and the Word copy with a comment per flag."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from docx.oxml.ns import qn  # noqa: E402

from summary_coverage import Checker, CoverageReport  # noqa: E402
from summary_coverage.errors import InputError  # noqa: E402
from summary_coverage.inputs.files import load_bytes  # noqa: E402
from summary_coverage.report.review import Review  # noqa: E402
from summary_coverage.report.review_items import after_review, review_items  # noqa: E402
from summary_coverage.report.word_copy import word_copy  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


@pytest.fixture(scope="module")
def sample(minilm: Checker) -> tuple[str, CoverageReport]:
    text = (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")
    summary = (SAMPLES / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
    return text, minilm.check(text, summary)


def anchored(data: bytes) -> dict[int, str]:
    """Each comment's id and the document text between its range start and end."""
    body = docx.Document(io.BytesIO(data)).element.body
    open_ids: dict[int, list[str]] = {}
    out: dict[int, str] = {}
    for el in body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_ids[int(el.get(qn("w:id")))] = []
        elif el.tag == qn("w:commentRangeEnd"):
            cid = int(el.get(qn("w:id")))
            out[cid] = "".join(open_ids.pop(cid))
        elif el.tag == qn("w:t"):
            for parts in open_ids.values():
                parts.append(el.text or "")
    return out


def test_every_flag_is_listed_once_with_a_stable_id(sample) -> None:
    _, report = sample
    items = review_items(report)
    flags = [i.flag for i in items]
    assert len(flags) == len(set(flags))
    assert {f"passage:{i}" for i in report.uncovered} <= set(flags)
    assert {f"sentence:{i}" for i in report.unsupported} <= set(flags)
    assert any(i.kind == "contradicted fact" for i in items)
    assert any(i.kind == "marked words" for i in items)


def test_review_travels_with_the_json_and_changes_the_figures_after_review(sample) -> None:
    _, report = sample
    items = review_items(report)
    fresh = after_review(report)
    assert (fresh.coverage, fresh.support) == pytest.approx((report.coverage, report.support))
    assert fresh.open == len(items) and fresh.confirmed == fresh.dismissed == 0

    review = Review()
    for i in report.uncovered:
        review = review.decide(f"passage:{i}", "dismissed", note="boilerplate")
    sentence = report.unsupported[0]
    review = review.decide(f"sentence:{sentence}", "dismissed", note="fine <b>really</b>")
    reviewed = CoverageReport.from_dict(json.loads(report.to_json()) | {"review": review.to_list()})
    assert reviewed.review == review
    assert CoverageReport.from_json(reviewed.to_json()) == reviewed
    figures = after_review(reviewed)
    assert figures.coverage == pytest.approx(1.0)
    n = len(report.summary_sentences)
    assert figures.support == pytest.approx(report.support + 1 / n)
    assert figures.dismissed == len(report.uncovered) + 1

    # A confirmed flag on a sentence the checker let through makes it unsupported after review.
    let_through = [
        i for i in items if i.sentence is not None and report.summary_sentences[i.sentence].supported
    ]
    if let_through:
        confirmed = CoverageReport.from_dict(
            reviewed.to_dict() | {"review": review.decide(let_through[0].flag, "confirmed").to_list()}
        )
        assert after_review(confirmed).support == pytest.approx(figures.support - 1 / n)


def test_reports_without_a_review_read_as_unreviewed_and_bad_entries_are_refused(sample) -> None:
    _, report = sample
    data = json.loads(report.to_json())
    del data["review"]
    assert CoverageReport.from_dict(data).review == Review()
    with pytest.raises(InputError, match="'confirmed' or 'dismissed'"):
        Review.from_list([{"flag": "passage:1", "decision": "maybe"}])
    with pytest.raises(InputError, match="'flag' id"):
        Review.from_list([{"decision": "confirmed"}])
    assert Review().decide("passage:1", "confirmed").reopen("passage:1") == Review()


def test_word_copy_has_one_comment_per_flag_on_the_right_words(sample) -> None:
    text, report = sample
    review = Review().decide(review_items(report)[0].flag, "dismissed", note="<script>x</script>\x01 ok")
    report = type(report).from_dict(json.loads(report.to_json()) | {"review": review.to_list()})
    data = word_copy(report, text)
    document = docx.Document(io.BytesIO(data))
    comments = list(document.comments)
    items = review_items(report)
    assert len(comments) == len(items)
    spans = anchored(data)
    for comment, item in zip(comments, items, strict=True):
        got = "".join(spans[comment.comment_id].split())  # paragraphs joined, spaces ignored
        assert comment.author == "summary-coverage"
        assert item.summary in comment.text
        if item.kind == "contradicted fact":
            m = next(
                m
                for m in report.mismatches
                if item.flag == f"fact:{m.sentence}:{m.summary_start}-{m.summary_end}"
            )
            assert got == "".join(m.evidence_text.split())
        elif item.passage is not None:
            passage = report.passages[item.passage].text.replace("#", "")
            assert got == "".join(passage.split())
    first = comments[0].text
    assert (
        "Reviewer: dismissed — <script>x</script> ok" in first
    )  # kept as text; the control character dropped


def test_word_copy_of_a_word_file_comments_the_original(minilm: Checker) -> None:
    document = docx.Document()
    document.add_heading("Fees", level=1)
    document.add_paragraph("The Customer shall pay USD 10 per user each month.")
    document.add_heading("Pets", level=1)
    document.add_paragraph("No dogs or cats may live in the flat.")
    buffer = io.BytesIO()
    document.save(buffer)
    original = buffer.getvalue()
    loaded = load_bytes(original, "lease.docx")
    report = minilm.check(loaded, "The Customer pays USD 20 per user each month.")
    copy = word_copy(report, loaded.text, original=original, name="lease.docx")
    reread = docx.Document(io.BytesIO(copy))
    assert [p.style.name for p in reread.paragraphs] == ["Heading 1", "Normal", "Heading 1", "Normal"]
    assert len(list(reread.comments)) == len(review_items(report)) > 0
    assert any("USD 10" in t for t in anchored(copy).values())
    with pytest.raises(InputError, match="not the document"):
        word_copy(report, loaded.text + " changed", original=original)


def test_review_table_round_trip(sample) -> None:
    from summary_coverage.app.review_table import review_from_rows, review_rows

    _, report = sample
    rows = review_rows(report)
    assert {r["decision"] for r in rows} == {"open"} and len(rows) == len(review_items(report))
    rows[0] |= {"decision": "dismissed", "note": "fine"}
    rows[1] |= {"decision": "confirmed", "note": float("nan")}  # an emptied cell comes back as NaN
    review = review_from_rows(rows, Review())
    assert [(e.flag, e.decision, e.note) for e in review.entries] == [
        (rows[0]["flag"], "dismissed", "fine"),
        (rows[1]["flag"], "confirmed", ""),
    ]
    again = review_from_rows(rows, review)  # nothing changed: same entries, same time stamps
    assert again == review
    rows[0]["decision"] = "open"
    assert review_from_rows(rows, review).decision(rows[0]["flag"]) is None
    shown = review_rows(CoverageReport.from_dict(report.to_dict() | {"review": review.to_list()}))
    assert (shown[0]["decision"], shown[0]["note"]) == ("dismissed", "fine")
