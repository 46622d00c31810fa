"""Word (``.docx``): paragraphs and tables in document order, behind zip-bomb guards.

Heading styles become markdown heading lines, automatic numbering is rebuilt,
tracked insertions are kept and deletions left out, text boxes and footnotes
follow the paragraph they belong to
(:mod:`summary_coverage.inputs.docx_structure`). Headers and footers are not
part of the body and stay out.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError, MissingExtraError
from .docx_structure import DocxText, Numbering, read_notes
from .formats import DOCS_INPUT_HINT

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

logger = logging.getLogger(__name__)

DOCX_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""Zip-bomb guard: largest total uncompressed size of a ``.docx`` archive."""

DOCX_MAX_RATIO = 100
"""Zip-bomb guard: highest compression ratio of an entry over :data:`DOCX_RATIO_MIN_BYTES`."""

DOCX_RATIO_MIN_BYTES = 10 * 1024 * 1024
"""Zip-bomb guard: entries at most this large are exempt from the ratio check."""

DOCX_MAX_ENTRIES = 10_000
"""Zip-bomb guard: most entries a ``.docx`` archive may hold."""


TRACKED_CHANGES_WARNING = (
    "{name} has unaccepted tracked changes: insertions were kept and deletions left out, "
    "as if all changes were accepted."
)


def read_docx(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Extract paragraphs and tables of a ``.docx`` in document order, and any warnings."""
    layout = read_docx_layout(data, name)
    return layout.text, layout.warnings


@dataclass(frozen=True)
class DocxLayout:
    """A Word file read, with where each block of its text came from.

    Attributes:
        document: The python-docx document (to annotate and save again).
        text: The extracted text, exactly what :func:`read_docx` returns.
        warnings: The reader's warnings.
        blocks: ``(start, end, element)`` for each block of ``text``: the body
            ``w:p`` or ``w:tbl`` it was rendered from (a text box or note block
            points at the paragraph that holds or cites it).
    """

    document: Any
    text: str
    warnings: tuple[str, ...]
    blocks: tuple[tuple[int, int, Any], ...]


def read_docx_layout(data: bytes, name: str) -> DocxLayout:
    """Read a ``.docx`` like :func:`read_docx`, keeping the document and each block's source element.

    Raises:
        InputError: Not a Word file, a zip bomb, or unreadable.
        MissingExtraError: python-docx is not installed.
    """
    not_docx = f"{name} is not a valid Word (.docx) file."
    if not data.startswith(b"PK"):
        raise InputError(not_docx)
    _check_zip_bomb(data, name, not_docx)
    try:
        import docx
    except ImportError:
        raise MissingExtraError(
            f"Reading Word files needs the docs-input extra: {DOCS_INPUT_HINT}."
        ) from None
    try:
        document = docx.Document(io.BytesIO(data))
        state = DocxText(Numbering.of(document), notes=read_notes(document))
        pieces = list(_docx_blocks(document, state))
    except MemoryError:
        raise
    except Exception as exc:  # python-docx, lxml and zipfile raise many types
        logger.debug("python-docx failed to open %s", name, exc_info=True)
        raise InputError(f"{name} could not be read as a Word document.") from exc
    warnings = (TRACKED_CHANGES_WARNING.format(name=name),) if state.tracked_changes else ()
    blocks = []
    cursor = 0
    for text, element in pieces:
        blocks.append((cursor, cursor + len(text), element))
        cursor += len(text) + 2
    return DocxLayout(document, "\n\n".join(t for t, _ in pieces), warnings, tuple(blocks))


def _check_zip_bomb(data: bytes, name: str, not_docx: str) -> None:
    """Reject archives that would expand to far more than a real document."""
    too_large = f"{name} is too large when decompressed to be a safe Word document."
    # Count central-directory records before zipfile builds an object for each.
    if data.count(b"PK\x01\x02") > DOCX_MAX_ENTRIES:
        raise InputError(too_large)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except MemoryError:
        raise
    except Exception:  # BadZipFile, or struct/OS errors from a mangled archive
        raise InputError(not_docx) from None
    if len(entries) > DOCX_MAX_ENTRIES:
        raise InputError(too_large)
    if sum(entry.file_size for entry in entries) > DOCX_MAX_UNCOMPRESSED_BYTES:
        raise InputError(too_large)
    for entry in entries:
        if entry.file_size > DOCX_RATIO_MIN_BYTES and entry.file_size > DOCX_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise InputError(too_large)


def _docx_blocks(document: DocxDocument, state: DocxText) -> Iterator[tuple[str, Any]]:
    """Yield each non-blank paragraph and table of the body, in order, with its element."""
    for element in _body_children(document.element.body):
        text = _render_block(element, document, state)
        if text.strip():
            yield text, element
        for extra in state.attachments(lambda box: _render_box(box, document, state)):
            yield extra, element


def _render_box(box: Any, document: DocxDocument, state: DocxText) -> str:
    """A text box's paragraphs and tables, one line each."""
    parts = (_render_block(child, document, state) for child in _body_children(box))
    return "\n".join(part for part in parts if part.strip())


def _render_block(element: Any, document: DocxDocument, state: DocxText) -> str:
    """Render a ``w:p`` as its text, a ``w:tbl`` as rows of ``a | b`` lines."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    if element.tag == qn("w:p"):
        return state.render(Paragraph(element, document))
    if element.tag == qn("w:tbl"):
        rows = []
        for row in _body_children(element, qn("w:tr")):
            cells = [_render_cell(cell, document, state) for cell in _body_children(row, qn("w:tc"))]
            if any(cells):
                rows.append(" | ".join(cells))
        return "\n".join(rows)
    return ""


def _render_cell(cell: Any, document: DocxDocument, state: DocxText) -> str:
    """Render a table cell on one line; a vertically merged continuation is empty."""
    from docx.oxml.ns import qn

    properties = cell.find(qn("w:tcPr"))
    merge = properties.find(qn("w:vMerge")) if properties is not None else None
    if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
        return ""
    parts = (_render_block(child, document, state) for child in _body_children(cell))
    return " ".join(" ".join(part.split()) for part in parts if part.strip())


def _body_children(element: Any, tag: str | None = None) -> Iterator[Any]:
    """Yield the block children of ``element``, looking inside content controls.

    Without ``tag``: ``w:p`` and ``w:tbl``. With ``tag``: only that tag (used
    for table rows and cells, which content controls can also wrap).
    """
    from docx.oxml.ns import qn

    wanted = {tag} if tag is not None else {qn("w:p"), qn("w:tbl")}
    sdt, sdt_content = qn("w:sdt"), qn("w:sdtContent")
    for child in element.iterchildren():
        if child.tag in wanted:
            yield child
        elif child.tag == sdt:
            content = child.find(sdt_content)
            if content is not None:
                yield from _body_children(content, tag)
