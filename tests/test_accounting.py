"""Nothing lost: every non-space character of a document is in exactly one passage or in ``skipped``.

Property tests over generated documents in each format the checker reads:

* text and markdown (headings, lists, clause numbers, blank-line runs, CJK);
* PDF pages as the reader sees them (placed lines with running headers and
  footers of many shapes, page numbers, repeated boilerplate, clause
  headings at page tops, sentences and headings broken over pages), laid
  out by :func:`lay_out_pages`: furniture must be exactly the header and
  footer lines that were printed, never a body line;
* Word files (python-docx) and real PDFs (reportlab), read back through the loaders.

The report's ``document.accounted`` is the same count, and the checker says
it in one line. ``fuzz/fuzz_accounting.py`` runs the PDF-page property
under coverage-guided fuzzing.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summary_coverage import Settings
from summary_coverage.encode.hashing import HashingEncoder
from summary_coverage.inputs.pdf_layout import EDGE_LINES, FURNITURE_CHARS, PlacedLine, lay_out_pages
from summary_coverage.report.accounting import FURNITURE, account
from summary_coverage.segment.document import segment_document

COUNTER = HashingEncoder()
THOROUGH = int(os.environ.get("SC_PROPERTY_EXAMPLES", "0"))
"""``make test-thorough`` sets it to 2,000: every property below then runs that many documents."""


def examples(default: int) -> int:
    """Generated documents per property: ``default`` in ``make test``, more when asked."""
    return max(default, THOROUGH)


WORDS = [
    "the",
    "supplier",
    "shall",
    "deliver",
    "services",
    "customer",
    "pay",
    "fees",
    "within",
    "thirty",
    "days",
    "notice",
    "agreement",
    "party",
    "terminate",
    "liability",
    "limited",
    "confidential",
    "information",
    "data",
    "term",
    "renewal",
    "invoice",
    "interest",
]
ZH = list("本合同服务方客户应当支付费用日内通知解除责任限制保密信息数据期限")


def accounted(text: str, furniture: list[tuple[int, int, int]], max_tokens: int = 64):
    seg = segment_document(
        text, max_tokens=max_tokens, counter=COUNTER, exclude=[(a, b) for a, b, _ in furniture]
    )
    acc = account(
        text, [(p.start, p.end) for p in seg.passages], [(FURNITURE, a, b) for a, b, _ in furniture]
    )
    # Exactly one place for every character: passages never overlap each other or the furniture.
    spans = sorted([(p.start, p.end) for p in seg.passages] + [(a, b) for a, b, _ in furniture])
    for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False):
        assert b1 <= a2, "two pieces claim the same characters"
    for p in seg.passages:
        assert text[p.start : p.end] == p.text
    return acc


# --------------------------------------------------------------------------- text and markdown

_word = st.sampled_from(WORDS)
_sentence = st.lists(_word, min_size=1, max_size=30).map(lambda w: " ".join(w).capitalize() + ".")
_zh_sentence = st.lists(st.sampled_from(ZH), min_size=2, max_size=40).map(lambda c: "".join(c) + "。")
_block = st.one_of(
    st.lists(_sentence, min_size=1, max_size=6).map(" ".join),
    st.lists(_zh_sentence, min_size=1, max_size=4).map("".join),
    st.builds(lambda n, t: f"{'#' * n} {t}", st.integers(1, 4), _sentence),
    st.builds(lambda n, t: f"{n}. {t}", st.integers(1, 30), _sentence),
    st.builds(lambda t: f"- {t}", _sentence),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40),
)
_gap = st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n\r\n", "\n \n", "\t\n\n", "\u3000\n\n"])


@settings(max_examples=examples(2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_block, _gap), min_size=1, max_size=25), st.sampled_from([16, 64, 256]))
def test_text_every_character_is_in_one_passage(blocks: list[tuple[str, str]], limit: int) -> None:
    text = "".join(b + g for b, g in blocks)
    acc = accounted(text, [], limit)
    assert acc.unaccounted == 0 and acc.scored == acc.chars and acc.skipped == ()


# --------------------------------------------------------------------------- PDF pages

_HEADERS = [
    "ACME Ltd  CONFIDENTIAL",
    "Services Agreement between Northwind Freight Ltd and Quillfield Analytics LLP",
    "{date}, 7:34 PM    Master Services Agreement",
    "Execution version",
    "技术服务合同（北风货运有限公司与羽田分析有限合伙）",
]
_FOOTERS = [
    "Page {n} of {total}",
    "{n}",
    "- {n} -",
    "file:///home/analyst/contracts/agreement.html    {n}/{total}",
    "第 {n} 页 共 {total} 页",
    "Source: NORTHWIND FREIGHT LTD, 10-K, {date}",
]


@st.composite
def printed_pages(draw: st.DrawFn) -> tuple[list[list[PlacedLine]], set[str]]:
    """Pages of placed lines, and the set of header/footer lines printed on them."""
    n_pages = draw(st.integers(2, 8))
    header = draw(st.none() | st.sampled_from(_HEADERS))
    footer = draw(st.none() | st.sampled_from(_FOOTERS))
    second = draw(st.none() | st.sampled_from(["CONFIDENTIAL TREATMENT REQUESTED", "Draft 3"]))
    boiler = draw(st.lists(_sentence, min_size=1, max_size=3))  # sentences the contract repeats
    # Body lines: clause headings (numbered alike), wrapped sentences that run on over page breaks,
    # Chinese lines, and boilerplate the contract repeats mid-page. Each wrapped line is its own text
    # (a tag word), as in a real contract: only furniture and boilerplate repeat whole.
    tag = iter(f"q{''.join(chr(97 + int(d)) for d in str(i))}" for i in range(10**6))
    clause = 0
    page_bodies: list[list[str]] = []
    for _ in range(n_pages):
        page: list[str] = []
        for _ in range(draw(st.sampled_from([0, 8, 10, 12, 16]))):
            kind = draw(st.sampled_from(["heading", "words", "words", "words", "zh"]))
            if kind == "heading":
                clause += 1
                page.append(f"{clause}. {draw(_word).capitalize()} {draw(_word)}")
            elif kind == "zh":
                page.append(draw(_zh_sentence) + next(tag))
            else:
                words = draw(st.lists(_word, min_size=3, max_size=14))
                page.append(" ".join([*words, next(tag)]) + draw(st.sampled_from(["", "", ".", ";", ","])))
        if len(page) > 6:
            for line in draw(st.lists(st.sampled_from(boiler), max_size=3)):
                page.insert(draw(st.integers(3, len(page) - 3)), line)
        page_bodies.append(page)
    body_lines = [line for page in page_bodies for line in page]
    pages: list[list[PlacedLine]] = []
    printed: set[str] = set()
    for k in range(n_pages):
        values = {"n": k + 1, "total": n_pages, "date": f"{k % 3 + 1}/12/2026"}
        lines: list[PlacedLine] = []
        y = 800.0
        for furniture in (header, second):
            if furniture is not None:
                text = furniture.format(**values)
                lines.append(PlacedLine(text, y, 10))
                printed.add(text)
                y -= draw(st.sampled_from([12.0, 14.0, 30.0]))  # one ordinary line above the body, or a gap
        for text in page_bodies[k]:
            lines.append(PlacedLine(text, y, 12 if re.match(r"\d+\. ", text) else 10))
            y -= 12.0 + draw(st.sampled_from([0.0, 0.0, 6.0]))
        if footer is not None:
            text = footer.format(**values)
            lines.append(PlacedLine(text, 40.0, 10))
            printed.add(text)
        pages.append(lines)
    body = {t for t in body_lines}
    return pages, printed - body  # a header that is also a body line could not be told apart


@settings(
    max_examples=examples(600),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(printed_pages())
def test_pdf_furniture_is_the_header_and_footer_lines_and_nothing_else(data) -> None:
    pages, printed = data
    laid = lay_out_pages(pages)
    for a, b, page in laid.furniture:
        line = laid.text[a:b]
        assert line in printed, f"body text skipped as furniture on page {page}: {line!r}"
        assert "\n" not in line and len(line) <= FURNITURE_CHARS
        texts = [ln.text.strip() for ln in pages[page - 1] if ln.text.strip()]
        assert line in texts[:EDGE_LINES] + texts[-EDGE_LINES:], "furniture away from the page's edge"
    acc = accounted(laid.text, list(laid.furniture))
    assert acc.unaccounted == 0
    # Headers and footers printed the ordinary way, on every page, are all found.
    skipped = [laid.text[a:b] for a, b, _ in laid.furniture]
    assert sorted(skipped) == sorted(ln.text for page in pages for ln in page if ln.text in printed)


# ------------------------------------------------------------------ through the loaders and the checker


@pytest.fixture(scope="module")
def quick():
    from summary_coverage import Checker

    return Checker(HashingEncoder(), settings=Settings(judge=False))


@settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(_block, _gap), min_size=1, max_size=12))
def test_word_files_every_character_is_in_one_passage(quick, blocks: list[tuple[str, str]]) -> None:
    docx = pytest.importorskip("docx")
    from summary_coverage.errors import InputError
    from summary_coverage.inputs.files import load_bytes

    doc = docx.Document()
    for block, _ in blocks:
        clean = "".join(c for c in block if c.isprintable() or c == "\t")
        if clean.startswith("#"):
            doc.add_heading(clean.lstrip("# ") or "x", level=min(clean.count("#", 0, 4), 3))
        else:
            doc.add_paragraph(clean)
    buffer = io.BytesIO()
    doc.save(buffer)
    try:
        loaded = load_bytes(buffer.getvalue(), "generated.docx")
    except InputError:
        return  # an empty document is refused with a sentence, not lost
    report = quick.check(loaded, "The supplier shall deliver services.")
    acc = report.document.accounted
    assert acc is not None and acc.unaccounted == 0 and acc.scored == acc.chars


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.lists(_sentence, min_size=1, max_size=4).map(" ".join), min_size=8, max_size=40),
    st.sampled_from(_HEADERS[:4]),
    st.sampled_from(_FOOTERS[:4]),
    st.sampled_from([10, 30]),
)
def test_reportlab_pdfs_every_character_is_in_one_passage(quick, paragraphs, header, footer, gap) -> None:
    # Each paragraph its own text (a reference word), as in a contract: only the furniture repeats whole.
    paragraphs = [f"Note {''.join(chr(97 + int(d)) for d in str(i))}: {p}" for i, p in enumerate(paragraphs)]
    reportlab = pytest.importorskip("reportlab")  # noqa: F841
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from summary_coverage.inputs.files import load_bytes

    style = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=3)
    buffer = io.BytesIO()

    def furniture(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 10)
        canvas.drawString(40, A5[1] - 60 + gap, header.format(n=document.page, total=99, date="1/2/2026"))
        canvas.drawString(40, 60 - gap, footer.format(n=document.page, total=99, date="1/2/2026"))

    SimpleDocTemplate(buffer, pagesize=A5, topMargin=60, bottomMargin=60).build(
        [Paragraph(p, style) for p in paragraphs], onFirstPage=furniture, onLaterPages=furniture
    )
    loaded = load_bytes(buffer.getvalue(), "generated.pdf")
    report = quick.check(loaded, "The supplier shall deliver services.")
    acc = report.document.accounted
    assert acc is not None and acc.unaccounted == 0
    for s in report.skipped:
        if s.part == "document":
            line = " ".join(s.text.split())
            assert any(
                re.fullmatch(
                    re.escape(" ".join(f.split()))
                    .replace(r"\{n\}", r"\d+")
                    .replace(r"\{total\}", r"\d+")
                    .replace(r"\{date\}", r"\S+"),
                    line,
                )
                for f in (header, footer)
            ), line
    words = re.findall(r"\w+", " ".join(paragraphs))
    got = re.findall(r"\w+", " ".join(p.text for p in report.passages))
    assert len(got) >= len(words)


def test_the_report_says_what_it_scored_in_one_line(minilm) -> None:
    from summary_coverage.inputs.files import LoadedText
    from summary_coverage.report.html_report import render_html
    from summary_coverage.report.terminal import render_text

    text = (
        "ACME CONFIDENTIAL\n\n1.1 Fees are due within ten days.\n\nACME CONFIDENTIAL\n\n1.2 Interest applies."
    )
    second = text.index("ACME", 1)
    pages = (0, text.index("1.2"))
    loaded = LoadedText(text, "a.pdf", "pdf", None, (), pages, ((0, 17, 1), (second, second + 17, 2)))
    report = minilm.check(loaded, "Fees are due within ten days.", settings=Settings(judge=False))
    acc = report.document.accounted
    assert (acc.chars, acc.skipped) == (len("".join(text.split())), (("header/footer lines", 2, 32),))
    m = re.fullmatch(r"scored (\d+(?:\.\d)?)% of the text; skipped: 2 header/footer lines", acc.line())
    assert m and float(m.group(1)) == pytest.approx(100 * acc.scored / acc.chars, abs=0.05)
    assert acc.line() in render_text(report) and acc.line() in render_html(report)
    from summary_coverage import CoverageReport

    assert CoverageReport.from_json(report.to_json()).document.accounted == acc
    old = report.to_dict()
    del old["document"]["accounted"]
    assert CoverageReport.from_dict(old).document.accounted is None  # reports saved before still load
