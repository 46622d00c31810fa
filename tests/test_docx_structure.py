"""Word files as they arrive: heading styles, automatic numbering, tracked changes (python-docx)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from summary_coverage import Checker  # noqa: E402
from summary_coverage.inputs.docx_structure import format_number, letters, roman  # noqa: E402
from summary_coverage.inputs.files import load_bytes  # noqa: E402

from fixtures_docs import tracked_docx  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


def _element(tag: str, **attrs: str) -> OxmlElement:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _add_numbering(document: docx.document.Document, levels: list[tuple[str, str]]) -> str:
    """Add an abstract numbering with ``(numFmt, lvlText)`` per level and a num using it; return its numId."""
    root = document.part.numbering_part.element
    abstract_id = str(900 + len(root.findall(qn("w:abstractNum"))))
    abstract = _element("w:abstractNum", abstractNumId=abstract_id)
    for ilvl, (fmt, text) in enumerate(levels):
        lvl = _element("w:lvl", ilvl=str(ilvl))
        lvl.append(_element("w:start", val="1"))
        lvl.append(_element("w:numFmt", val=fmt))
        lvl.append(_element("w:lvlText", val=text))
        abstract.append(lvl)
    root.insert(0, abstract)  # abstractNum elements come before num elements
    num_id = str(900 + len(root.findall(qn("w:num"))))
    num = _element("w:num", numId=num_id)
    num.append(_element("w:abstractNumId", val=abstract_id))
    root.append(num)
    return num_id


def _number(paragraph: object, num_id: str, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    numpr = OxmlElement("w:numPr")
    numpr.append(_element("w:ilvl", val=str(ilvl)))
    numpr.append(_element("w:numId", val=num_id))
    ppr.append(numpr)


def contract_as_docx(markdown: str) -> bytes:
    """The sample contract as Word would hold it: Title and Heading 1 styles, clause numbers automatic."""
    document = docx.Document()
    num_id = _add_numbering(document, [("decimal", "%1.")])
    for block in re.split(r"\n\s*\n", markdown.strip()):
        line = block.strip()
        if line.startswith("# "):
            document.add_paragraph(line[2:], style="Title")
        elif line.startswith("## "):
            title = re.sub(r"^\d+\.\s*", "", line[3:])  # no typed number: Word numbers it
            _number(document.add_paragraph(title, style="Heading 1"), num_id)
        else:
            document.add_paragraph(" ".join(line.split()))
    document.sections[0].header.paragraphs[0].text = "MASTER SERVICES AGREEMENT - CONFIDENTIAL"
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_headings_and_numbering_rebuild_the_contracts_sections(minilm: Checker) -> None:
    markdown = (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")
    summary = (SAMPLES / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
    text = load_bytes(contract_as_docx(markdown), "contract.docx").text
    assert "CONFIDENTIAL" not in text and "Page footer" not in text  # headers and footers stay out
    from_docx, from_md = minilm.check(text, summary), minilm.check(markdown, summary)
    titles = [s.title for s in from_docx.sections]
    assert titles == [s.title for s in from_md.sections]
    assert "1. Definitions" in titles and "16. General Provisions" in titles
    assert abs(from_docx.coverage - from_md.coverage) <= 0.02
    assert abs(from_docx.support - from_md.support) <= 0.02
    for p in from_docx.passages:
        assert text[p.start : p.end] == p.text


def test_custom_heading_styles_levels_and_list_numbering() -> None:
    document = docx.Document()
    clause = document.styles.add_style("Clause Heading", WD_STYLE_TYPE.PARAGRAPH)
    clause.base_style = document.styles["Heading 1"]
    sub = document.styles.add_style("Sub Clause", WD_STYLE_TYPE.PARAGRAPH)
    sub.base_style = document.styles["Heading 2"]
    num_id = _add_numbering(document, [("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")])
    document.add_paragraph("Agreement", style="Title")
    _number(document.add_paragraph("Fees", style="Clause Heading"), num_id, 0)
    _number(document.add_paragraph("Invoices are monthly.", style="Sub Clause"), num_id, 1)
    _number(document.add_paragraph("in arrears;"), num_id, 2)
    _number(document.add_paragraph("in pounds."), num_id, 2)
    _number(document.add_paragraph("Late payment carries interest.", style="Sub Clause"), num_id, 1)
    _number(document.add_paragraph("Term", style="Clause Heading"), num_id, 0)
    _number(document.add_paragraph("Two years.", style="Sub Clause"), num_id, 1)
    document.add_paragraph("A plain paragraph.", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    lines = load_bytes(out.getvalue(), "t.docx").text.split("\n\n")
    assert lines[:8] == [
        "# Agreement",
        "## 1. Fees",
        "### 1.1 Invoices are monthly.",
        "(a) in arrears;",
        "(b) in pounds.",
        "### 1.2 Late payment carries interest.",
        "## 2. Term",
        "### 2.1 Two years.",
    ]
    assert lines[8] == "- A plain paragraph."  # the template's List Bullet style numbers with a bullet


def test_tracked_changes_keep_insertions_drop_deletions_and_warn(tmp_path: Path, minilm: Checker) -> None:
    path = tmp_path / "tracked.docx"
    path.write_bytes(tracked_docx())
    loaded = load_bytes(path.read_bytes(), "tracked.docx")
    assert loaded.text == "The Customer shall pay within thirty days of the invoice date."
    assert any("tracked changes" in w for w in loaded.warnings)
    report = minilm.check(path, "Payment is due within thirty days.")
    assert any("tracked changes" in w for w in report.warnings)  # the report says so too


@pytest.mark.parametrize(
    ("n", "fmt", "want"),
    [(4, "decimal", "4"), (3, "lowerLetter", "c"), (28, "lowerLetter", "bb"), (9, "lowerRoman", "ix"),
     (14, "upperRoman", "XIV"), (2, "upperLetter", "B"), (7, "decimalZero", "07")],
)  # fmt: skip
def test_number_formats(n: int, fmt: str, want: str) -> None:
    assert format_number(n, fmt) == want
    assert roman(1994) == "mcmxciv" and letters(1) == "a"
