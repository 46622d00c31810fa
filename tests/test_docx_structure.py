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


_EN_CLAUSE = re.compile(r"^(\d+)\.(\d+)\s+")
_EN_ITEM = re.compile(r"^\(([a-z])\)\s+")
_ZH_ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条\s*")
_ZH_ITEM = re.compile(r"^（[一二三四五六七八九十]+）")


def contract_as_docx(markdown: str, *, chinese: bool = False) -> bytes:
    """A sample contract as Word would hold it: Title and Heading 1 styles, every number automatic.

    No number is typed: English clause headings ("1."), clauses ("1.1") and
    items ("(a)") are three levels of one numbering definition; Chinese
    articles ("第一条") and items ("（一）") use Word's ``chineseCounting``.
    Deeper levels restart when a shallower one advances, as in Word.
    """
    document = docx.Document()
    if chinese:
        num_id = _add_numbering(document, [("chineseCounting", "第%1条"), ("chineseCounting", "（%2）")])
    else:
        num_id = _add_numbering(document, [("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")])
    for block in re.split(r"\n\s*\n", markdown.strip()):
        line = " ".join(block.split()) if not block.startswith("#") else block.strip()
        if line.startswith("# "):
            document.add_paragraph(line[2:], style="Title")
        elif line.startswith("## "):
            title = re.sub(r"^\d+\.\s*", "", line[3:])  # no typed number: Word numbers it
            _number(document.add_paragraph(title, style="Heading 1"), num_id)
        elif chinese and _ZH_ARTICLE.match(line):
            _number(document.add_paragraph(_ZH_ARTICLE.sub("", line), style="Heading 1"), num_id)
        elif chinese and _ZH_ITEM.match(line):
            _number(document.add_paragraph(_ZH_ITEM.sub("", line)), num_id, 1)
        elif not chinese and _EN_CLAUSE.match(line):
            _number(document.add_paragraph(_EN_CLAUSE.sub("", line)), num_id, 1)
        elif not chinese and _EN_ITEM.match(line):
            _number(document.add_paragraph(_EN_ITEM.sub("", line)), num_id, 2)
        else:
            document.add_paragraph(line)
    document.sections[0].header.paragraphs[0].text = "MASTER SERVICES AGREEMENT - CONFIDENTIAL"
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("doc", "summary", "zh"),
    [
        ("services_agreement.md", "services_agreement.flawed_summary.md", False),
        ("zh_contract.md", "zh_contract.summary.md", True),
    ],
)
def test_word_contract_reads_like_its_markdown(minilm: Checker, doc: str, summary: str, zh: bool) -> None:
    markdown = (SAMPLES / doc).read_text(encoding="utf-8")
    summary_text = (SAMPLES / summary).read_text(encoding="utf-8")
    data = contract_as_docx(markdown, chinese=zh)
    text = load_bytes(data, doc.replace(".md", ".docx")).text
    plain = re.sub(r"<[^>]+>", " ", docx.Document(io.BytesIO(data)).element.body.xml)
    assert ("1.1 In this Agreement" if not zh else "第一条") not in plain  # no typed numbers in the file
    assert ("1.1 In this Agreement" if not zh else "## 第一条 服务内容") in text  # rebuilt on reading
    from_docx, from_md = minilm.check(text, summary_text), minilm.check(markdown, summary_text)
    assert [s.title for s in from_docx.sections] == [s.title for s in from_md.sections]
    assert abs(from_docx.coverage - from_md.coverage) <= 0.02
    assert abs(from_docx.support - from_md.support) <= 0.02


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


def test_chinese_counting() -> None:
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 23, 100, 105, 110, 999)] == [
        "一", "十", "十一", "二十三", "一百", "一百零五", "一百一十", "九百九十九",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("n", "fmt", "want"),
    [(4, "decimal", "4"), (3, "lowerLetter", "c"), (28, "lowerLetter", "bb"), (9, "lowerRoman", "ix"),
     (14, "upperRoman", "XIV"), (2, "upperLetter", "B"), (7, "decimalZero", "07")],
)  # fmt: skip
def test_number_formats(n: int, fmt: str, want: str) -> None:
    assert format_number(n, fmt) == want
    assert roman(1994) == "mcmxciv" and letters(1) == "a"


_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _add_notes(document: docx.document.Document, kind: str, notes: dict[str, str]) -> None:
    """Add a footnotes or endnotes part holding ``{w:id: text}``, with Word's separator note."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = "".join(
        f'<w:{kind} w:id="{i}"><w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p></w:{kind}>'
        for i, t in notes.items()
    )
    xml = (
        f'<w:{kind}s {_NS}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f"</w:{kind}>{body}</w:{kind}s>"
    )
    part = Part(
        PackURI(f"/word/{kind}s.xml"),
        f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml",
        xml.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)


def _cite(paragraph: object, kind: str, note_id: str) -> None:
    from docx.oxml import parse_xml

    paragraph._p.append(parse_xml(f'<w:r {_NS}><w:{kind}Reference w:id="{note_id}"/></w:r>'))  # type: ignore[attr-defined]


def _text_box(paragraph: object, text: str) -> None:
    """Anchor a text box in the paragraph the way Word writes one: DrawingML plus a VML fallback copy."""
    from docx.oxml import parse_xml

    content = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    run = (
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f"{content}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    paragraph._p.append(parse_xml(run))  # type: ignore[attr-defined]


def test_footnotes_endnotes_and_text_boxes_follow_their_paragraph_headers_stay_out() -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ACME CONFIDENTIAL DRAFT"
    document.sections[0].footer.paragraphs[0].text = "Printed 12/1/26"
    document.add_heading("Fees", level=1)
    fees = document.add_paragraph("The Customer shall pay USD 10 per user.")
    _cite(fees, "footnote", "1")
    document.add_paragraph("Invoices are due in thirty days.")
    boxed = document.add_paragraph("See the summary box.")
    _text_box(boxed, "Key term: fees are fixed for two years.")
    _cite(boxed, "endnote", "2")
    _cite(boxed, "footnote", "3")
    _add_notes(document, "footnote", {"1": "Prices exclude VAT.", "3": "Reviewed by counsel."})
    _add_notes(document, "endnote", {"2": "Schedule 1 lists the users."})
    buffer = io.BytesIO()
    document.save(buffer)

    loaded = load_bytes(buffer.getvalue(), "fees.docx")
    assert loaded.text.split("\n\n") == [
        "## Fees",
        "The Customer shall pay USD 10 per user.",
        "Footnote 1: Prices exclude VAT.",
        "Invoices are due in thirty days.",
        "See the summary box.",
        "Key term: fees are fixed for two years.",  # once, not twice (Word's VML copy is skipped)
        "Endnote 1: Schedule 1 lists the users.",
        "Footnote 2: Reviewed by counsel.",
    ]
    assert "CONFIDENTIAL" not in loaded.text and "Printed" not in loaded.text
