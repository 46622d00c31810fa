"""A Word copy of the document with a comment on every flag: what a lawyer hands on.

:func:`word_copy` writes the checked document as a ``.docx`` (python-docx
≥ 1.2 writes comments) with one Word comment per flag of the report (see
:func:`~.review_items.review_items`): on each uncovered passage, and on the
evidence of each unsupported sentence, contradicted or absent fact and set
of marked words. Each comment says what was found and, when the flag was
reviewed, the decision and the reviewer's note.

* For a **Word input**, pass its bytes as ``original``: the comments go into
  that file itself, anchored on the paragraphs the passage was read from,
  and every other part of it (styles, numbering, headers, tracked changes)
  is kept as it was.
* For **any other input**, a new document is written from the checked text:
  one paragraph per passage (heading lines as Word headings), and a
  comment on a fact is anchored on the exact words of the evidence.

The copy refuses a text or file that is not the one the report was made
from (the report's SHA-256 of the document text must match).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from typing import Any

from ..errors import InputError, MissingExtraError
from ..inputs.docx_files import read_docx_layout
from ..inputs.formats import DOCS_INPUT_HINT
from .results import CoverageReport
from .review_items import ReviewItem, review_items

AUTHOR = "summary-coverage"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Text Word can hold: characters XML 1.0 forbids are dropped (python-docx escapes the rest)."""
    return _NOT_XML.sub("", text.encode("utf-8", "replace").decode("utf-8"))


def comment_text(report: CoverageReport, item: ReviewItem) -> str:
    """What a flag's comment says: the finding, the sentence it is about, and the review."""
    parts = [item.summary]
    if item.sentence is not None:
        parts.append(f"Summary: «{report.summary_sentences[item.sentence].text}»")
    entry = report.review.decision(item.flag)
    if entry is not None:
        parts.append(f"Reviewer: {entry.decision}" + (f" — {entry.note}" if entry.note else ""))
    return _xml_safe("\n".join(parts))


def _anchor(report: CoverageReport, item: ReviewItem) -> tuple[int, int] | None:
    """The document span a flag's comment belongs on: a fact's evidence words, else its passage."""
    if item.kind in ("contradicted fact", "absent fact"):
        for m in report.mismatches:
            flag = f"fact:{m.sentence}:{m.summary_start}-{m.summary_end}"
            if flag == item.flag and m.evidence_start is not None and m.evidence_end is not None:
                return m.evidence_start, m.evidence_end
    if item.passage is None:
        return None
    p = report.passages[item.passage]
    return p.start, p.end


def word_copy(
    report: CoverageReport,
    text: str,
    *,
    original: bytes | None = None,
    name: str = "document.docx",
    author: str = AUTHOR,
) -> bytes:
    """The document as a ``.docx`` with a Word comment on each flag (see the module docstring).

    Args:
        report: The report, with its review.
        text: The exact document text the report was made from.
        original: The Word file itself, when the document was one.
        name: The Word file's name, for messages.
        author: The comments' author.

    Returns:
        The ``.docx`` bytes.

    Raises:
        InputError: ``text`` (or the text of ``original``) is not the report's document.
        MissingExtraError: python-docx is not installed.
    """
    if hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() != report.document.sha256:
        raise InputError("This text is not the document the report was made from.")
    try:
        import docx
    except ImportError:
        raise MissingExtraError(
            f"Writing Word files needs the docs-input extra: {DOCS_INPUT_HINT}."
        ) from None
    items = review_items(report)
    spans = [(item, _anchor(report, item)) for item in items]
    if original is not None:
        layout = read_docx_layout(original, name)
        if layout.text != text:
            raise InputError(f"{name} is not the Word file the report was made from.")
        document = layout.document
        for item, span in spans:
            runs = _element_runs(document, layout.blocks, span)
            if runs:
                document.add_comment(runs, text=comment_text(report, item), author=author, initials="SC")
    else:
        document = docx.Document()
        cuts = {a for _, span in spans if span for a in span}
        runs_at = _write_passages(document, report, text, cuts)
        for item, span in spans:
            chosen = [run for (a, b), run in runs_at if span and a < span[1] and span[0] < b]
            if chosen:
                document.add_comment(chosen, text=comment_text(report, item), author=author, initials="SC")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _write_passages(
    document: Any, report: CoverageReport, text: str, cuts: set[int]
) -> list[tuple[tuple[int, int], Any]]:
    """Write each passage as paragraphs (heading lines as headings); return each run with its span."""
    runs: list[tuple[tuple[int, int], Any]] = []
    for p in report.passages:
        offset = p.start
        for line in re.split(r"(\n\s*\n)", text[p.start : p.end]):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            heading = re.match(r"(#{1,6})\s+", line)
            if heading:
                paragraph = document.add_heading(level=min(len(heading.group(1)), 9))
                start += heading.end()
            else:
                paragraph = document.add_paragraph()
            end = start + len(line) - (heading.end() if heading else 0)
            points = sorted({start, end, *(c for c in cuts if start < c < end)})
            for a, b in zip(points, points[1:], strict=False):
                runs.append(((a, b), paragraph.add_run(_xml_safe(text[a:b]))))
    return runs


def _element_runs(
    document: Any, blocks: Sequence[tuple[int, int, Any]], span: tuple[int, int] | None
) -> list[Any]:
    """The runs of the Word paragraphs a span of the extracted text was read from (first to last)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    if span is None:
        return []
    runs: list[Any] = []
    for a, b, element in blocks:
        if a < span[1] and span[0] < b:
            paragraphs = [element] if element.tag == qn("w:p") else list(element.iter(qn("w:p")))
            for p in paragraphs:
                paragraph = Paragraph(p, document)
                if not paragraph.runs:
                    paragraph.add_run("")
                runs.extend(paragraph.runs)
    return runs
