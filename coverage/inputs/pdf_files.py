"""PDF: the text layer of each page (or OCR of a scanned page), laid out without its page furniture."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, MissingExtraError
from .formats import DOCS_INPUT_HINT
from .ocr import ocr_pages
from .pdf_layout import PlacedLine, lay_out_pages

logger = logging.getLogger(__name__)

_pypdf_quiet_lock = threading.Lock()
_pypdf_quiet_depth = 0
_pypdf_saved_level = logging.NOTSET


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Raise pypdf's logger to ERROR while reading.

    pypdf logs a warning for every robustness fix it applies to a malformed
    file ("EOF marker not found", ...). Those say nothing the user can act
    on. A depth counter keeps nested or concurrent reads from restoring the
    level early.
    """
    global _pypdf_quiet_depth, _pypdf_saved_level
    pypdf_logger = logging.getLogger("pypdf")
    with _pypdf_quiet_lock:
        if _pypdf_quiet_depth == 0:
            _pypdf_saved_level = pypdf_logger.level
            pypdf_logger.setLevel(logging.ERROR)
        _pypdf_quiet_depth += 1
    try:
        yield
    finally:
        with _pypdf_quiet_lock:
            _pypdf_quiet_depth -= 1
            if _pypdf_quiet_depth == 0:
                pypdf_logger.setLevel(_pypdf_saved_level)


@dataclass(frozen=True, slots=True)
class PdfText:
    """What a PDF reads as: text in reading order, where pages start, furniture, OCR pages.

    Attributes:
        text: The pages' text (see :func:`~.pdf_layout.assemble_pages`).
        warnings: Sentences about pages skipped or read by OCR.
        pages: Offset in ``text`` where each page starts (page ``k`` at ``pages[k - 1]``).
        furniture: ``(start, end, page)`` of each running header or footer block.
        ocr_pages: 1-based numbers of the pages read by OCR.
    """

    text: str
    warnings: tuple[str, ...]
    pages: tuple[int, ...]
    furniture: tuple[tuple[int, int, int], ...]
    ocr_pages: tuple[int, ...] = ()


def _placed_lines(page: Any) -> list[PlacedLine]:
    """A page's text lines (exactly pypdf's ``extract_text``) with each line's baseline and font size.

    pypdf calls the visitor once per text operation with the text it emits
    (the concatenation is the page's text) and the matrices in force; a
    line takes the position of its first non-blank piece.
    """
    lines: list[PlacedLine] = []
    buffer: list[str] = []
    where: list[tuple[float, float] | None] = [None]

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if piece.strip() and where[0] is None:
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
                where[0] = (float(y), float(size) * float(scale))
            buffer.append(piece)
            if i + 1 < len(pieces):
                position = where[0]
                lines.append(PlacedLine("".join(buffer), *(position or (None, None))))
                buffer.clear()
                where[0] = None

    page.extract_text(visitor_text=visit)
    if buffer:
        position = where[0]
        lines.append(PlacedLine("".join(buffer), *(position or (None, None))))
    while lines and not lines[-1].text.strip():
        lines.pop()
    return lines


def _pages_note(pages: list[int], one: str, many: str) -> str:
    """``"PDF page 2 has ..."`` or ``"PDF pages 2, 5 have ..."``: ``one``/``many`` hold ``{pages}``."""
    return (one if len(pages) == 1 else many).format(pages=", ".join(str(p) for p in pages))


def read_pdf(
    data: bytes, name: str, *, ocr: bool = False, ocr_languages: Sequence[str] | None = None
) -> PdfText:
    """Extract the text layer of every page, set the page furniture apart, OCR pages without text if asked.

    Args:
        data: The PDF's bytes.
        name: The file name, for messages.
        ocr: Read pages without a text layer with Tesseract
            (:mod:`~.ocr`); without it they are skipped with a warning.
        ocr_languages: Tesseract languages for OCR; ``None`` for English
            and simplified Chinese where installed.

    Raises:
        InputError: Not a PDF, encrypted, damaged, without pages, or with
            no text at all (a scan, when ``ocr`` is off).
        MissingExtraError: pypdf is missing, or OCR was asked for and its
            tools are missing.
    """
    if b"%PDF" not in data[:1024]:
        raise InputError(f"{name} is not a valid PDF file.")
    try:
        from pypdf import PasswordType, PdfReader
        from pypdf.errors import DependencyError
    except ImportError:
        raise MissingExtraError(f"Reading PDF files needs the docs-input extra: {DOCS_INPUT_HINT}.") from None

    damaged = f"{name} could not be read as a PDF (it may be damaged or truncated)."
    texts: list[str] = []
    warnings: list[str] = []
    failed: list[int] = []
    empty: list[int] = []
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except DependencyError:
                    raise MissingExtraError(
                        f"{name} uses AES encryption, which needs the cryptography "
                        "package: pip install cryptography."
                    ) from None
                if opened == PasswordType.NOT_DECRYPTED:
                    raise InputError(f"{name} is encrypted; remove the password and try again.")
            pages = list(reader.pages)
        except (InputError, MissingExtraError, MemoryError):
            raise
        except Exception as exc:  # pypdf raises many types for broken files
            logger.debug("pypdf failed to open %s", name, exc_info=True)
            raise InputError(damaged) from exc
        if not pages:
            raise InputError(f"{name} has no pages.")
        placed_pages: list[list[PlacedLine]] = []
        for number, page in enumerate(pages, start=1):
            try:
                placed = _placed_lines(page)
            except MemoryError:
                raise
            except Exception:  # one bad content stream should not lose the rest
                logger.debug("pypdf failed on page %d of %s", number, name, exc_info=True)
                failed.append(number)
                placed = []
            page_text = "\n".join(line.text for line in placed)
            if not page_text.strip() and number not in failed:
                empty.append(number)
            texts.append(page_text)
            placed_pages.append(placed)
    read_by_ocr: list[int] = []
    if ocr and empty:
        for number, page_text in ocr_pages(data, name, empty, languages=ocr_languages).items():
            texts[number - 1] = page_text
            placed_pages[number - 1] = [PlacedLine(line) for line in page_text.splitlines()]
            read_by_ocr.append(number)
        empty = [n for n in empty if not texts[n - 1].strip()]
    if failed:
        warnings.append(
            _pages_note(
                failed,
                "PDF page {pages} could not be read and was skipped.",
                "PDF pages {pages} could not be read and were skipped.",
            )
        )
    if empty:
        warnings.append(
            _pages_note(
                empty,
                "PDF page {pages} has no text layer and was skipped ("
                + ("OCR found no text on it)." if ocr else "turn on OCR to read it)."),
                "PDF pages {pages} have no text layer and were skipped ("
                + ("OCR found no text on them)." if ocr else "turn on OCR to read them)."),
            )
        )
    if read_by_ocr:
        warnings.append(
            _pages_note(
                read_by_ocr,
                "PDF page {pages} was read by OCR; its text may hold recognition errors.",
                "PDF pages {pages} were read by OCR; their text may hold recognition errors.",
            )
        )
    if not any(t.strip() for t in texts):
        if failed and not empty:
            raise InputError(damaged)
        if ocr:
            raise InputError(f"{name} has no text layer and OCR found no text in it.")
        raise InputError(
            f"{name} has no text layer (it looks scanned); turn on OCR (--ocr, Settings(ocr=True) "
            "or the dashboard's OCR box) to read it."
        )
    laid = lay_out_pages(placed_pages)
    return PdfText(laid.text, tuple(warnings), laid.pages, laid.furniture, tuple(read_by_ocr))
