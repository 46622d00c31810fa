"""Turn a file (a path or its bytes) into the text that gets checked.

Supported inputs are plain text (``.txt``), Markdown (``.md``), PDF (``.pdf``)
and Word (``.docx``). Any other name is read as plain text when its bytes
decode as text. Reading PDF and Word files needs the ``docs-input`` extra
(pypdf and python-docx), imported only when such a file is loaded.

The text in :class:`LoadedText` is exactly what the checker sees: segment
offsets point into it. Text files are therefore returned as decoded, with
their newlines and surrounding whitespace untouched; only a leading
byte-order mark is dropped. Word
paragraphs and tables each become a block separated by a blank line, so that
paragraph segmentation works on them. A PDF's running headers and footers
stay in the text, set apart between blank lines and listed in
``LoadedText.furniture`` so the checker leaves them out, and
``LoadedText.pages`` says where each page starts.

Every unusable input raises :class:`~.errors.InputError` with one sentence
that names the file and says what to do, for example::

    >>> load_bytes(b"", "notes.txt")
    Traceback (most recent call last):
    ...
    summary_coverage.errors.InputError: notes.txt is empty.
    >>> load_bytes("Résumé".encode("utf-8"), "cv.txt").encoding
    'utf-8'
"""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError
from .docx_files import (
    DOCX_MAX_ENTRIES,
    DOCX_MAX_RATIO,
    DOCX_MAX_UNCOMPRESSED_BYTES,
    DOCX_RATIO_MIN_BYTES,
    read_docx,
)
from .formats import FORMAT_BY_SUFFIX, SUPPORTED_SUFFIXES
from .pdf_files import PdfText, read_pdf
from .text_files import decode_text, read_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "DOCX_MAX_ENTRIES",
    "DOCX_MAX_RATIO",
    "DOCX_MAX_UNCOMPRESSED_BYTES",
    "DOCX_RATIO_MIN_BYTES",
    "SUPPORTED_SUFFIXES",
    "LoadedText",
    "decode_text",
    "load_bytes",
    "load_path",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest file accepted, in bytes (checked before any parsing)."""

DEFAULT_MAX_CHARS = 2_000_000
"""Longest extracted text accepted, in characters."""


@dataclass(frozen=True, slots=True)
class LoadedText:
    """The text of one document or summary, as read from a file.

    Attributes:
        text: The extracted text, exactly what will be checked; segment
            offsets point into it.
        source: The file name the text came from, or a placeholder such as
            ``"<stdin>"`` or ``"<text>"``.
        format: ``"text"``, ``"markdown"``, ``"pdf"`` or ``"docx"``.
        encoding: The encoding a text file was decoded with (``"utf-8"``,
            ``"utf-8-sig"``, ``"utf-16"``, ``"gb18030"``, ``"cp1252"``, ...);
            ``None`` for PDF and Word files.
        warnings: Sentences about anything the reader skipped or guessed,
            e.g. ``"PDF page(s) 3 have no text layer and were skipped ..."``.
        pages: For a PDF, the offset in ``text`` where each page starts
            (page ``k``, 1-based, at ``pages[k - 1]``); ``()`` otherwise.
        furniture: For a PDF, ``(start, end, page)`` of each block of
            running headers and footers; the checker leaves them out.
        ocr_pages: For a PDF, the pages read by OCR.
    """

    text: str
    source: str
    format: str
    encoding: str | None
    warnings: tuple[str, ...] = ()
    pages: tuple[int, ...] = ()
    furniture: tuple[tuple[int, int, int], ...] = ()
    ocr_pages: tuple[int, ...] = ()

    def page_of(self, offset: int) -> int | None:
        """The 1-based page the character at ``offset`` is on; ``None`` for a text without pages."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))


def load_path(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    allow_empty: bool = False,
    ocr: bool = False,
    ocr_languages: Sequence[str] | None = None,
) -> LoadedText:
    """Read a file from disk and extract its text.

    The size is checked with ``os.stat`` before the file is read, and at most
    ``max_bytes + 1`` bytes are ever read. ``"-"`` is an ordinary file name
    here; reading standard input is the caller's job (use :func:`load_bytes`
    with ``name="<stdin>"``).

    Args:
        path: The file to read. Messages and ``LoadedText.source`` name it as
            given.
        max_bytes: Largest file size accepted.
        max_chars: Longest extracted text accepted.
        allow_empty: Accept an empty or whitespace-only file (a summary may
            be empty) instead of raising.
        ocr: Read PDF pages without a text layer with Tesseract
            (:mod:`summary_coverage.inputs.ocr`).
        ocr_languages: Tesseract languages; ``None`` for English and
            simplified Chinese where installed.

    Returns:
        The extracted text and how it was obtained.

    Raises:
        InputError: The file is missing, a directory, unreadable, too large,
            or unusable for any reason :func:`load_bytes` gives.
        MissingExtraError: A PDF or Word file was given and the
            ``docs-input`` extra is not installed.

    Example:
        >>> load_path("contract.docx").format  # doctest: +SKIP
        'docx'
    """
    _check_limits(max_bytes, max_chars)
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name} is a directory, not a file.")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise InputError(_too_large(name, info.st_size, max_bytes))
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"No such file: {name}.") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a directory, not a file.") from None
    except PermissionError:
        raise InputError(f"{name} cannot be read: permission denied.") from None
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise InputError(f"{name} could not be read: {reason}.") from None
    if len(data) > max_bytes:  # not a regular file, or it grew after stat
        raise InputError(f"{name} is over the {_format_size(max_bytes)} limit.")
    return load_bytes(
        data,
        name,
        max_bytes=max_bytes,
        max_chars=max_chars,
        allow_empty=allow_empty,
        ocr=ocr,
        ocr_languages=ocr_languages,
    )


def load_bytes(
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    allow_empty: bool = False,
    ocr: bool = False,
    ocr_languages: Sequence[str] | None = None,
) -> LoadedText:
    """Extract the text of a file given as bytes.

    The format follows the suffix of ``name`` (case-insensitive): ``.pdf`` and
    ``.docx`` go to their readers, ``.txt`` and ``.md`` are decoded with
    :func:`decode_text`, and any other name is decoded as plain text unless
    its bytes look binary. A ``.pdf`` or ``.docx`` whose bytes are not of that
    type is rejected rather than guessed at.

    Args:
        data: The file's bytes.
        name: The file name (used for the format and in every message), or a
            placeholder such as ``"<stdin>"``, which is read as plain text.
        max_bytes: Largest input accepted, checked before any parsing.
        max_chars: Longest extracted text accepted.
        allow_empty: Accept empty or whitespace-only text (a summary may be
            empty) instead of raising.
        ocr: Read PDF pages without a text layer with Tesseract.
        ocr_languages: Tesseract languages; ``None`` for English and
            simplified Chinese where installed.

    Returns:
        The extracted text and how it was obtained.

    Raises:
        InputError: The input is empty, whitespace-only, too large, binary,
            of an unsupported type, undecodable, encrypted, damaged, or a PDF
            without a text layer.
        MissingExtraError: The file is a PDF or Word file and the
            ``docs-input`` extra is not installed.

    Example:
        >>> loaded = load_bytes(b"\\xef\\xbb\\xbfHello.\\r\\n", "a.md")
        >>> (loaded.text, loaded.format, loaded.encoding)
        ('Hello.\\r\\n', 'markdown', 'utf-8-sig')
    """
    _check_limits(max_bytes, max_chars)
    if len(data) > max_bytes:
        raise InputError(_too_large(name, len(data), max_bytes))
    suffix = os.path.splitext(os.path.basename(name))[1].lower()
    if not data:
        if allow_empty:
            return LoadedText(
                text="", source=name, format=FORMAT_BY_SUFFIX.get(suffix, "text"), encoding=None
            )
        raise InputError(f"{name} is empty.")
    warnings: tuple[str, ...] = ()
    encoding: str | None = None
    pdf: PdfText | None = None
    if suffix == ".pdf":
        fmt = "pdf"
        pdf = read_pdf(data, name, ocr=ocr, ocr_languages=ocr_languages)
        text, warnings = pdf.text, pdf.warnings
    elif suffix == ".docx":
        fmt = "docx"
        text, warnings = read_docx(data, name)
    else:
        fmt = FORMAT_BY_SUFFIX.get(suffix, "text")
        text, encoding, warnings = read_text(data, name, suffix)
    if not text and not allow_empty:
        raise InputError(f"{name} is empty.")
    if text.isspace() and not allow_empty:
        raise InputError(f"{name} contains only whitespace.")
    if len(text) > max_chars:
        raise InputError(f"{name} has {len(text):,} characters, over the limit of {max_chars:,}.")
    if pdf is not None:
        return LoadedText(text, name, fmt, None, warnings, pdf.pages, pdf.furniture, pdf.ocr_pages)
    return LoadedText(text=text, source=name, format=fmt, encoding=encoding, warnings=warnings)


# --------------------------------------------------------------------------
# Limits


def _check_limits(max_bytes: int, max_chars: int) -> None:
    if max_bytes < 1:
        raise InputError(f"max_bytes must be at least 1, not {max_bytes}.")
    if max_chars < 1:
        raise InputError(f"max_chars must be at least 1, not {max_chars}.")


def _too_large(name: str, size: int, limit: int) -> str:
    size_text, limit_text = _format_size(size), _format_size(limit)
    if size_text == limit_text:  # e.g. 50.04 MB against 50.0 MB
        size_text, limit_text = f"{size:,} bytes", f"{limit:,}-byte"
    elif limit_text.endswith(" bytes"):
        limit_text = limit_text.replace(" bytes", "-byte")
    return f"{name} is {size_text}, over the {limit_text} limit."


def _format_size(size: int) -> str:
    """``61.2 MB``, ``12.5 KB`` or ``300 bytes`` (binary units)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size:,} bytes"
