"""PDF contracts as they are printed: running headers and footers, page numbers, ligatures, hyphenation."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from pypdf import PdfReader  # noqa: E402

from summary_coverage import Checker, CoverageReport  # noqa: E402
from summary_coverage.inputs.files import load_bytes  # noqa: E402
from summary_coverage.inputs.pdf_layout import PlacedLine, assemble_pages, find_furniture, lay_out_pages  # noqa: E402
from summary_coverage.score.lexical import terms  # noqa: E402
from summary_coverage.segment.document import segment_document  # noqa: E402

from fixtures_docs import contract_as_pdf  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
CASES = [
    ("services_agreement.md", "services_agreement.summary.md", False),
    ("services_agreement.md", "services_agreement.flawed_summary.md", False),
    ("zh_contract.md", "zh_contract.summary.md", True),
]


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[bytes, dict[str, str]]]:
    return {
        name: contract_as_pdf((SAMPLES / name).read_text(encoding="utf-8"), chinese=zh)
        for name, _, zh in CASES
    }


@pytest.mark.parametrize(("doc", "summary", "zh"), CASES)
def test_printed_contract_reads_like_its_markdown(
    printed, minilm: Checker, doc: str, summary: str, zh: bool
) -> None:
    markdown = (SAMPLES / doc).read_text(encoding="utf-8")
    summary_text = (SAMPLES / summary).read_text(encoding="utf-8")
    data, _ = printed[doc]
    loaded = load_bytes(data, doc.replace(".md", ".pdf"))
    page_texts = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    assert len(loaded.pages) == len(page_texts) >= 3

    original = minilm.check(markdown, summary_text)
    report = minilm.check(loaded, summary_text)

    assert [s.title for s in report.sections] == [s.title for s in original.sections]
    assert abs(report.coverage - original.coverage) <= 0.02
    assert abs(report.support - original.support) <= 0.02
    furniture = [s for s in report.skipped if s.part == "document"]
    assert len(furniture) == 2 * len(page_texts)  # a header line and a footer line per page
    for line in furniture:
        assert "\n" not in line.text and len(line.text) <= 160
        assert ("12/1/26" in line.text) != ("file:///" in line.text or " 页 共 " in line.text)
        assert line.reason.startswith("page furniture")
        assert loaded.text[line.start : line.end] == line.text
    for p in report.passages:
        assert loaded.text[p.start : p.end] == p.text
        assert "12/1/26" not in p.text and "file:///" not in p.text and " 页 共 " not in p.text
        assert not any(b.start < p.end and p.start < b.end for b in furniture)
        first_words = " ".join(p.text.lstrip("# ").split()[:4])
        if zh:
            first_words = p.text.lstrip("# ").split("\n")[0][:8]
        assert first_words in page_texts[p.page - 1], (p.index, p.page, first_words)
    assert {p.page for p in report.passages} == set(range(1, len(page_texts) + 1))
    assert CoverageReport.from_json(report.to_json()) == report


def test_ligatures_and_line_end_hyphens_match_as_words(printed) -> None:
    data, changes = printed["services_agreement.md"]
    loaded = load_bytes(data, "agreement.pdf")
    assert "\ufb01" in loaded.text  # the extracted text keeps the ligature...
    assert "termi-\nnation" in loaded.text  # ...and the hyphenated line end
    at = loaded.text.index("termi-\nnation")
    sentence = loaded.text[at - 60 : at + 20]
    assert "termin" in terms(sentence)  # ...but matching reads "termination" as one word
    assert terms("Con\ufb01dential Information") == terms("Confidential Information")
    assert changes == {"hyphenated": "termination", "ligature": "\ufb01"}


def test_furniture_is_found_with_changing_page_numbers_and_kept_out_of_clauses() -> None:
    pages = [
        ["ACME Ltd  CONFIDENTIAL", "1.1 The Customer shall pay the fees within", "Page 1 of 3"],
        [
            "ACME Ltd  CONFIDENTIAL",
            "thirty days of each invoice.",
            "1.2 Late payment bears interest.",
            "Page 2 of 3",
        ],
        ["ACME Ltd  CONFIDENTIAL", "2. Term", "2.1 One year.", "Page 3 of 3"],
    ]
    assert find_furniture(pages) == [{0, 2}, {0, 3}, {0, 3}]
    laid = assemble_pages(pages)
    assert "The Customer shall pay the fees within\nthirty days" in laid.text or (
        "within thirty days" in laid.text
    )
    assert [laid.text[a:b] for a, b, _ in laid.furniture] == [
        "ACME Ltd  CONFIDENTIAL",
        "Page 1 of 3",
        "ACME Ltd  CONFIDENTIAL",
        "Page 2 of 3",
        "ACME Ltd  CONFIDENTIAL",
        "Page 3 of 3",
    ]
    # The clause crossing the page break comes before the furniture between its pages.
    assert laid.text.index("thirty days") < laid.furniture[2][0]
    assert [p for _, _, p in laid.furniture] == [1, 1, 2, 2, 3, 3]


def test_a_single_page_keeps_its_lines() -> None:
    laid = assemble_pages([["Fees are due.", "Interest applies."]])
    assert laid.text == "Fees are due.\nInterest applies." and laid.furniture == () and laid.pages == (0,)


def test_boilerplate_that_fills_pages_is_not_furniture() -> None:
    clause = "{n}.1 The Customer shall pay each invoice within thirty days."
    pages = [
        ["Header ACME", *[clause.format(n=10 * p + k) for k in range(6)], f"Page {p + 1}"] for p in range(4)
    ]
    marked = find_furniture(pages)
    assert marked == [{0, 7}] * 4  # the header and the page number, not the clauses at the edges


def test_command_line_and_html_report_say_the_page(printed, tmp_path: Path, monkeypatch, capsys) -> None:
    from summary_coverage import HashingEncoder
    from summary_coverage.cli import main
    from summary_coverage.report.html_report import render_html

    monkeypatch.setattr(
        "summary_coverage.checker.load_encoder",
        lambda model=None, *, device="auto", dtype="auto": HashingEncoder(),
    )
    data, _ = printed["services_agreement.md"]
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(data)
    summary = tmp_path / "summary.md"
    summary.write_text("The Customer pays the Provider each month.", encoding="utf-8")
    assert main(["check", str(pdf), str(summary)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\] page \d+, characters \d+-?–?\d+, score", out), out[:2000]
    assert main(["check", str(pdf), str(summary), "--json"]) == 0
    report = CoverageReport.from_json(capsys.readouterr().out)
    assert report.document.pages == 10 and all(p.page for p in report.passages)
    assert "page 1, characters" in render_html(report)


def test_service_uploads_keep_pages_and_furniture(printed) -> None:
    pytest.importorskip("fastapi")
    from summary_coverage.service.inputs import from_upload

    data, _ = printed["zh_contract.md"]
    loaded = from_upload("合同.pdf", data, summary=False, max_chars=10**6)
    assert len(loaded.pages) == 3 and len(loaded.furniture) == 6 and loaded.source == "合同.pdf"


def _tight_pages() -> list[list[PlacedLine]]:
    """Three pages as a tight print lays them out: a long running header one ordinary line (14 pt) above
    the body, in the body's size; sub-clauses written alike ("9.2 The parties agree that the liability
    terms …", "9.3 …") at the foot of page 1 and the top of page 2; a heading at the foot of page 2."""
    header = "Services Agreement between Northwind Freight Ltd and Quillfield Analytics LLP"
    alike = "{n} The parties agree that the liability terms set out in this clause apply to every order"
    pages = [
        ["9. Limitation of Liability", "9.1 Nothing in this Agreement limits either party's liability for",
         "death or personal injury caused by its negligence, or for fraud.", alike.format(n="9.2"),
         "placed under this Agreement, whatever its value."],
        [alike.format(n="9.3"), "placed after the Start Date, and survive its termination.",
         "9.4 Each party's total liability in each contract year is limited to 125% of the fees",
         "paid and payable in that year.", "10. Data Protection"],
        ["The Supplier shall process personal data only on the Customer's documented instructions",
         "and notify the Customer of a personal data breach within 48 hours.", "11. Governing Law",
         "This Agreement is governed by the law of England and Wales."],
    ]  # fmt: skip
    out = []
    for n, lines in enumerate(pages, start=1):
        placed = [PlacedLine(header, 800.0, 10.0)]
        placed += [PlacedLine(t, 786.0 - 14.0 * k, 10.0) for k, t in enumerate(lines)]
        placed.append(PlacedLine(f"Page {n} of 3", 40.0, 10.0))
        out.append(placed)
    return out


def test_a_tight_header_and_clauses_written_alike_lose_nothing() -> None:
    """Issue 23's first fixture, in miniature. Furniture used to be looked for on paragraphs already
    joined: the long header, one ordinary line above the body, was joined to the clause under it, so it
    was scored as clause text and "9. Limitation of Liability" stopped being a heading (and where
    paragraphs written alike met at page edges, they were skipped whole as "furniture")."""
    pages = _tight_pages()
    laid = lay_out_pages(pages)
    skipped = [laid.text[a:b] for a, b, _ in laid.furniture]
    assert skipped == [t for n in (1, 2, 3) for t in (pages[0][0].text, f"Page {n} of 3")]
    seg = segment_document(laid.text, max_tokens=256, exclude=[(a, b) for a, b, _ in laid.furniture])
    scored = "".join(p.text for p in seg.passages)
    for page in pages:
        for line in page[1:-1]:
            assert "".join(line.text.split()) in "".join(scored.split()), line.text
    titles = [s.title for s in seg.sections]
    assert titles == ["9. Limitation of Liability", "10. Data Protection", "11. Governing Law"], titles
