"""Opt-in OCR for PDF pages without a text layer: pypdfium2 renders, Tesseract reads.

Scanned contracts are common in legal work. A page whose text layer is
empty is rendered to an image at :data:`OCR_DPI` with pypdfium2 (PDFium,
shipped in the wheel) and read with Tesseract through pytesseract. Both
come with the ``ocr`` extra; Tesseract itself is a system program
(``apt-get install tesseract-ocr tesseract-ocr-chi-sim`` on Debian/Ubuntu,
``brew install tesseract tesseract-lang`` on macOS).

OCR is never run unless asked for (``--ocr``, ``Settings(ocr=True)``, the
dashboard's checkbox): it is slow (seconds per page) and its text is a
guess, so the report lists the pages it read.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ..errors import InputError, MissingExtraError

logger = logging.getLogger(__name__)

OCR_DPI = 300
"""Resolution pages are rendered at for Tesseract (its documentation recommends 300 dpi)."""

OCR_HINT = "pip install 'summary-coverage[ocr]'"
TESSERACT_HINT = (
    "install Tesseract (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-chi-sim; "
    "macOS: brew install tesseract tesseract-lang)"
)

PREFERRED_LANGUAGES = ("eng", "chi_sim")
"""Tesseract languages used by default, those of them that are installed."""


_ENV_LOCK = threading.Lock()


@contextmanager
def _single_threaded() -> Iterator[None]:
    """Run Tesseract with ``OMP_THREAD_LIMIT=1`` unless the user set it.

    Tesseract's OpenMP threads made a page 8x slower on a 2-core machine
    (22 s against 2.7 s at 300 dpi): they fight over the cores. The variable
    is set only while Tesseract starts, under a lock, and restored after.
    """
    with _ENV_LOCK:
        if "OMP_THREAD_LIMIT" in os.environ:
            yield
            return
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            yield
        finally:
            os.environ.pop("OMP_THREAD_LIMIT", None)


def tesseract_languages() -> tuple[str, ...]:
    """The languages the installed Tesseract can read.

    Raises:
        MissingExtraError: pytesseract is not installed, or Tesseract is not
            on the PATH; the message says how to install it.
    """
    try:
        import pytesseract
    except ImportError:
        raise MissingExtraError(f"OCR needs the ocr extra: {OCR_HINT}, then {TESSERACT_HINT}.") from None
    try:
        return tuple(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, FileNotFoundError, OSError):
        raise MissingExtraError(
            f"OCR needs the Tesseract program, which was not found: {TESSERACT_HINT}."
        ) from None


def _languages(requested: Sequence[str] | None) -> str:
    installed = tesseract_languages()
    if requested:
        missing = [lang for lang in requested if lang not in installed]
        if missing:
            have = ", ".join(installed) or "none"
            raise InputError(f"Tesseract has no data for {', '.join(missing)}; installed: {have}.")
        return "+".join(requested)
    chosen = [lang for lang in PREFERRED_LANGUAGES if lang in installed]
    if not chosen:
        raise MissingExtraError(f"Tesseract has no English or Chinese language data: {TESSERACT_HINT}.")
    return "+".join(chosen)


def ocr_pages(
    data: bytes, name: str, pages: Sequence[int], *, languages: Sequence[str] | None = None
) -> dict[int, str]:
    """Read the given pages of a PDF with Tesseract.

    Args:
        data: The PDF's bytes.
        name: The file name, for messages.
        pages: 1-based page numbers to read.
        languages: Tesseract language codes (``["eng", "chi_sim"]``); ``None``
            uses English and simplified Chinese where installed.

    Returns:
        Each page's recognised text (may be empty for a blank page).

    Raises:
        MissingExtraError: pypdfium2, pytesseract or Tesseract is missing.
        InputError: A requested language is not installed, or the PDF cannot
            be rendered.
    """
    lang = _languages(languages)
    try:
        import pypdfium2 as pdfium
        import pytesseract
    except ImportError:
        raise MissingExtraError(f"OCR needs the ocr extra: {OCR_HINT}.") from None
    out: dict[int, str] = {}
    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium raises PdfiumError for anything it cannot open
        raise InputError(f"{name} could not be rendered for OCR.") from exc
    try:
        for number in pages:
            page = document[number - 1]
            try:
                image = page.render(scale=OCR_DPI / 72).to_pil()
            finally:
                page.close()
            # --psm 3: fully automatic layout analysis (columns, blocks, paragraphs).
            with _single_threaded():
                out[number] = pytesseract.image_to_string(image, lang=lang, config="--psm 3")
            logger.debug("OCR read page %d of %s: %d characters", number, name, len(out[number]))
    finally:
        document.close()
    return out
