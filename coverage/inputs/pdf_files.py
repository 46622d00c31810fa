"""PDF: the text layer of each page, joined with blank lines."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import InputError, MissingExtraError
from .formats import DOCS_INPUT_HINT

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


def read_pdf(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Extract the text of a PDF page by page, joined with blank lines."""
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
    failed_pages = 0
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
        for number, page in enumerate(pages, start=1):
            try:
                page_text = page.extract_text()
            except MemoryError:
                raise
            except Exception:  # one bad content stream should not lose the rest
                logger.debug("pypdf failed on page %d of %s", number, name, exc_info=True)
                failed_pages += 1
                warnings.append(f"PDF page {number} could not be read and was skipped.")
                continue
            page_text = page_text.strip()
            if page_text:
                texts.append(page_text)
            else:
                warnings.append(f"PDF page {number} has no text layer and was skipped.")
    if not texts:
        if failed_pages:
            raise InputError(damaged)
        raise InputError(f"{name} has no text layer (it looks scanned); run OCR on it first.")
    return "\n\n".join(texts), tuple(warnings)
