"""Builders for the PDF, Word and zip files the loader tests read.

Every file is made in memory by the test that needs it; nothing is checked in.
"""

from __future__ import annotations

import io
import zipfile

import docx
from pypdf import PdfWriter


def _pdf_escape(line: str) -> bytes:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def text_pdf(pages: list[str | None]) -> bytes:
    """Build a valid PDF by hand, one page per entry.

    Each page shows its text in Helvetica, one ``Tj`` per line; ``None`` gives
    a blank page with an empty content stream (what a scan without OCR looks
    like to a text extractor). The cross-reference table has exact offsets.
    """
    page_ids = [4 + 2 * i for i in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for page_id, text in zip(page_ids, pages, strict=True):
        if text is None:
            stream = b""
        else:
            lines = [b"(" + _pdf_escape(line) + b") Tj T*" for line in text.split("\n")]
            stream = b"\n".join([b"BT", b"/F1 12 Tf", b"14 TL", b"72 720 Td", *lines, b"ET"])
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)


def encrypted_pdf(pdf: bytes, *, user_password: str, owner_password: str = "owner") -> bytes:
    """Encrypt ``pdf`` with pypdf (RC4-128, which needs no extra package)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password, owner_password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def word_docx() -> bytes:
    """A Word file with a heading, paragraphs, an empty paragraph and a table."""
    document = docx.Document()
    document.add_heading("Payment Terms", level=1)
    document.add_paragraph("The client pays within 30 days.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("Item", "Price", "Due"), ("Audit", "1,000", "May")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_heading("Termination", level=2)
    document.add_paragraph("Either party may end this agreement.\nNotice is 60 days.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A deflated zip archive holding ``entries``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zero_bomb_zip(size: int, *, entries: int = 1, chunk: int = 1024 * 1024) -> bytes:
    """A zip of ``entries`` entries, each ``size`` zero bytes streamed in ``chunk`` pieces.

    Deflate shrinks zeros about 1000-fold, so 300 MB of entries takes about
    0.4 s to build and 1.4 MB to hold.
    """
    buffer = io.BytesIO()
    zero = bytes(chunk)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index in range(entries):
            with archive.open(f"word/media/part{index}.bin", "w", force_zip64=True) as entry:
                written = 0
                while written < size:
                    piece = min(chunk, size - written)
                    entry.write(zero if piece == chunk else bytes(piece))
                    written += piece
    return buffer.getvalue()


def tracked_docx() -> bytes:
    """A Word file with an unaccepted tracked change: "sixty" deleted, "thirty" inserted."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def change(tag: str, text_tag: str, text: str) -> OxmlElement:
        wrapper = OxmlElement(tag)
        wrapper.set(qn("w:id"), "1" if tag == "w:del" else "2")
        wrapper.set(qn("w:author"), "Reviewer")
        run = OxmlElement("w:r")
        t = OxmlElement(text_tag)
        t.text = text
        run.append(t)
        wrapper.append(run)
        return wrapper

    document = docx.Document()
    paragraph = document.add_paragraph("The Customer shall pay within ")
    paragraph._p.append(change("w:del", "w:delText", "sixty"))
    paragraph._p.append(change("w:ins", "w:t", "thirty"))
    paragraph.add_run(" days of the invoice date.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_fonts(chinese: bool) -> tuple[str, str]:
    """Register and name reportlab's fonts for a printed contract: ``(body, bold)``.

    English: Bitstream Vera (shipped with reportlab); Chinese: the Adobe STSong CID font.
    """
    import os

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if chinese:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light", "STSong-Light"
    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(fonts, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", os.path.join(fonts, "VeraBd.ttf")))
    return "Vera", "VeraBd"


def contract_as_pdf(markdown: str, *, chinese: bool = False) -> tuple[bytes, dict[str, str]]:
    """Print a markdown contract as a multi-page PDF the way an office would, with reportlab.

    Every page has a running header (a print date and the title) and a footer
    (a file URL and ``N/M``), the furniture of a browser's print. English text
    is set in Bitstream Vera (shipped with reportlab) with the ``ﬁ`` ligature
    wherever "fi" occurs, and the first "termination" in the body is
    hyphenated at a line end; Chinese text is set in the Adobe STSong CID
    font. Headings lose their ``#``; other blocks keep their line breaks.

    Returns:
        The PDF's bytes and what was changed: ``{"hyphenated": word, "ligature": "ﬁ"}``.
    """
    import re

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body_font, bold_font = pdf_fonts(chinese)
    wrap = "CJK" if chinese else None
    body = ParagraphStyle("body", fontName=body_font, fontSize=10, leading=13, spaceAfter=6, wordWrap=wrap)
    head = ParagraphStyle(
        "head", fontName=bold_font, fontSize=12, leading=15, spaceBefore=6, spaceAfter=6, wordWrap=wrap
    )

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    changes = {"hyphenated": "", "ligature": "" if chinese else "\ufb01"}
    blocks: list[tuple[str, ParagraphStyle]] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        if block.startswith("#"):
            blocks.append((escape(block.lstrip("#").strip()), head))
            continue
        text = "<br/>".join(escape(line) for line in block.split("\n"))
        if not chinese:
            if not changes["hyphenated"] and " termination " in text:
                text = text.replace(" termination ", " termi-<br/>nation ", 1)
                changes["hyphenated"] = "termination"
            text = text.replace("fi", "\ufb01")
        blocks.append((text, body))

    title = "技术服务合同" if chinese else "Master Services Agreement"

    def build(total: int) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        pages = [0]

        def furniture(canvas, document) -> None:  # type: ignore[no-untyped-def]
            pages[0] = document.page
            canvas.saveState()
            canvas.setFont(body_font, 8)
            canvas.drawString(40, A4[1] - 30, f"12/1/26, 7:34 PM    {title}")
            if chinese:
                canvas.drawString(40, 25, f"第 {document.page} 页 共 {total} 页")
            else:
                canvas.drawString(
                    40, 25, f"file:///home/analyst/contracts/agreement.html    {document.page}/{total}"
                )
            canvas.restoreState()

        story = [Paragraph(text, style) for text, style in blocks] + [Spacer(1, 1)]
        SimpleDocTemplate(buffer, pagesize=A4, topMargin=60, bottomMargin=60).build(
            story, onFirstPage=furniture, onLaterPages=furniture
        )
        return buffer.getvalue(), pages[0]

    _, total = build(0)
    data, _ = build(total)
    return data, changes
