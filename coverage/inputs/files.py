"""Turn a file (a path or its bytes) into the text that gets checked.

Supported inputs are plain text (``.txt``), Markdown (``.md``), PDF (``.pdf``)
and Word (``.docx``). Any other name is read as plain text when its bytes
decode as text. Reading PDF and Word files needs the ``docs-input`` extra
(pypdf and python-docx), imported only when such a file is loaded.

The text in :class:`LoadedText` is exactly what the checker sees: segment
offsets point into it. Text files are therefore returned as decoded, with
their newlines and surrounding whitespace untouched; only a leading
byte-order mark is dropped. PDF pages are joined with a blank line, and Word
paragraphs and tables each become a block separated by a blank line, so that
paragraph segmentation works on them.

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

import codecs
import io
import logging
import os
import re
import stat
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError, MissingExtraError

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

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

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest file accepted, in bytes (checked before any parsing)."""

DEFAULT_MAX_CHARS = 2_000_000
"""Longest extracted text accepted, in characters."""

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
"""File name suffixes with a dedicated reader."""

DOCX_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""Zip-bomb guard: largest total uncompressed size of a ``.docx`` archive."""

DOCX_MAX_RATIO = 100
"""Zip-bomb guard: highest compression ratio of an entry over :data:`DOCX_RATIO_MIN_BYTES`."""

DOCX_RATIO_MIN_BYTES = 10 * 1024 * 1024
"""Zip-bomb guard: entries at most this large are exempt from the ratio check."""

DOCX_MAX_ENTRIES = 10_000
"""Zip-bomb guard: most entries a ``.docx`` archive may hold."""

_USE_INSTEAD = "use .txt, .md, .pdf or .docx"
_EXTRA_HINT = "pip install 'summary-coverage[docs-input]'"

_FORMAT_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".pdf": "pdf", ".docx": "docx"}

# Document formats people upload by mistake. They are rejected even when their
# bytes happen to decode as text (RTF does), since their markup is not prose.
_UNSUPPORTED_DOCUMENT_SUFFIXES = frozenset(
    {
        ".doc",
        ".docm",
        ".dot",
        ".dotx",
        ".rtf",
        ".odt",
        ".ods",
        ".odp",
        ".xls",
        ".xlsx",
        ".xlsm",
        ".ppt",
        ".pptx",
        ".pages",
        ".numbers",
        ".epub",
    }
)

_BINARY_MAGIC = (
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"PK\x03\x04",  # ZIP (also .docx, .xlsx, .epub, ...)
    b"PK\x05\x06",  # empty ZIP
    b"\x7fELF",
    b"%PDF",
    b"\x1f\x8b",  # gzip
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: .doc, .xls, .ppt
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
)

_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Encodings charset-normalizer may prefer over GB18030 for CJK bytes.
_GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "hz"})
# How much less chaotic (charset-normalizer's mess ratio) another CJK codec
# must be before it wins over a strict GB18030 decode. Mixed Chinese/English
# text that is really GBK can score 0.025 worse than cp949.
_GB_CHAOS_MARGIN = 0.05

# Non-ASCII characters that are ordinary in Western European text; used to
# accept a cp1252 (Latin-1) decode before asking charset-normalizer, which
# guesses cp1257 or cp1250 for short French text.
_WESTERN_PUNCTUATION = frozenset("\u00a0«»¡¿°§£€¥©®™“”‘’‚„–—…•·†‡‰‹›×÷±µ¢ªº")
_WESTERN_MAX_NON_ASCII_LETTERS = 0.3


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
            e.g. ``"PDF page 3 has no text layer and was skipped."``.
    """

    text: str
    source: str
    format: str
    encoding: str | None
    warnings: tuple[str, ...] = ()


def load_path(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    allow_empty: bool = False,
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
    return load_bytes(data, name, max_bytes=max_bytes, max_chars=max_chars, allow_empty=allow_empty)


def load_bytes(
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    allow_empty: bool = False,
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
                text="", source=name, format=_FORMAT_BY_SUFFIX.get(suffix, "text"), encoding=None
            )
        raise InputError(f"{name} is empty.")
    warnings: tuple[str, ...] = ()
    encoding: str | None = None
    if suffix == ".pdf":
        fmt = "pdf"
        text, warnings = _read_pdf(data, name)
    elif suffix == ".docx":
        fmt = "docx"
        text = _read_docx(data, name)
    else:
        fmt = _FORMAT_BY_SUFFIX.get(suffix, "text")
        text, encoding, warnings = _read_text(data, name, suffix)
    if not text and not allow_empty:
        raise InputError(f"{name} is empty.")
    if text.isspace() and not allow_empty:
        raise InputError(f"{name} contains only whitespace.")
    if len(text) > max_chars:
        raise InputError(f"{name} has {len(text):,} characters, over the limit of {max_chars:,}.")
    return LoadedText(text=text, source=name, format=fmt, encoding=encoding, warnings=warnings)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file, detecting the encoding.

    Encodings are tried in this order, and the first that fits wins:

    1. a byte-order mark: UTF-32, UTF-8 (``"utf-8-sig"``) or UTF-16
       (``"utf-16"``);
    2. UTF-16 without a byte-order mark, when NUL bytes fall almost all on
       odd (``"utf-16-le"``) or on even (``"utf-16-be"``) positions. This
       comes before UTF-8 because such bytes are also valid UTF-8 (full of
       NUL characters);
    3. strict UTF-8;
    4. GB18030 (a superset of GBK and GB2312), if it decodes strictly, the
       result contains CJK characters and charset-normalizer does not find
       another CJK encoding (Big5, Shift-JIS, EUC-KR, ...) clearly better;
    5. cp1252 (Windows Latin-1), if the result looks like Western European
       text: every non-ASCII character is a common letter or punctuation
       mark, and under 30% of the letters are non-ASCII;
    6. charset-normalizer's best guess.

    Newlines and whitespace are kept as they are; the byte-order mark is
    removed.

    Args:
        data: The bytes to decode.

    Returns:
        ``(text, encoding)``, where ``encoding`` is the Python codec name used.

    Raises:
        InputError: No encoding fits.

    Example:
        >>> decode_text("统计".encode("gbk"))
        ('统计', 'gb18030')
    """
    return _decode(data, "The input")


# --------------------------------------------------------------------------
# Plain text


def _read_text(data: bytes, name: str, suffix: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode a text file, rejecting binary data first."""
    known_text = suffix in _FORMAT_BY_SUFFIX
    if suffix in _UNSUPPORTED_DOCUMENT_SUFFIXES:
        raise InputError(f"{name} is not a supported document: {_USE_INSTEAD}.")
    if _looks_binary(data):
        raise InputError(f"{name} looks like a binary file, not text: {_USE_INSTEAD}.")
    try:
        text, encoding = _decode(data, name)
    except InputError:
        if known_text or not suffix:
            raise
        raise InputError(f"{name} is not a supported document: {_USE_INSTEAD}.") from None
    warnings: tuple[str, ...] = ()
    if encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        warnings = (f"{name} is not UTF-8; its encoding was detected as {encoding}.",)
    return text, encoding, warnings


def _looks_binary(data: bytes) -> bool:
    """Whether ``data`` starts with a known binary signature or holds stray NULs."""
    if data.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" not in data:
        return False
    if data.startswith(_UTF32_BOMS + _UTF16_BOMS):
        return False
    return _utf16_without_bom(data) is None


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess the byte order of BOM-less UTF-16 from where its NUL bytes fall.

    ASCII-range characters in UTF-16 have one zero byte: at odd offsets in
    little-endian, at even offsets in big-endian. Binary data has NULs on
    both. Returns ``"utf-16-le"``, ``"utf-16-be"`` or ``None``.
    """
    if len(data) < 2 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    units = len(data) // 2
    high, low, codec = (odd, even, "utf-16-le") if odd >= even else (even, odd, "utf-16-be")
    if high >= max(1, units // 10) and low <= high // 20:
        return codec
    return None


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data`` as described in :func:`decode_text`, naming ``name`` on failure."""
    for bom, codec, label in (
        (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
    ):
        if data.startswith(bom):
            decoded = _strict(data, codec)
            if decoded is not None:
                return decoded, label
    utf16 = _utf16_without_bom(data) if b"\x00" in data else None
    if utf16 is not None:
        decoded = _strict(data, utf16)
        if decoded is not None:
            return decoded, utf16
    decoded = _strict(data, "utf-8")
    if decoded is not None:
        return decoded, "utf-8"

    guess: _Guess | None = None
    decoded = _strict(data, "gb18030")
    if decoded is not None and _has_cjk(decoded):
        guess = _charset_normalizer_guess(data)
        if guess is None or not guess.beats_gb18030:
            return _drop_bom(decoded), "gb18030"
    decoded = _strict(data, "cp1252")
    if decoded is not None and _looks_western(decoded):
        return decoded, "cp1252"
    if guess is None:
        guess = _charset_normalizer_guess(data)
    if guess is not None:
        return _drop_bom(guess.text), guess.encoding
    raise InputError(
        f"{name} could not be decoded as text (tried UTF-8, UTF-16, GB18030 and automatic detection)."
    )


def _strict(data: bytes, codec: str) -> str | None:
    """Decode strictly, or return ``None``."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _drop_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


_CJK = re.compile("[\u3000-\u9fff\uac00-\ud7a3\uf900-\ufaff]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK ideograph, kana, Hangul or CJK punctuation."""
    return _CJK.search(text) is not None


def _looks_western(text: str) -> bool:
    """Whether a cp1252 decode reads like Western European text, not mojibake.

    Every non-ASCII character must be a Latin letter or common punctuation,
    and at most :data:`_WESTERN_MAX_NON_ASCII_LETTERS` of the letters may be
    non-ASCII (Cyrillic or Greek read as cp1252 is nearly all accented letters).
    """
    non_ascii = _NON_ASCII.findall(text)
    distinct = set(non_ascii)
    latin = {ch for ch in distinct if ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ")}
    if distinct - latin - _WESTERN_PUNCTUATION:
        return False
    non_ascii_letters = sum(1 for ch in non_ascii if ch in latin)
    letters = len(_ASCII_LETTER.findall(text)) + non_ascii_letters
    return letters > 0 and non_ascii_letters <= letters * _WESTERN_MAX_NON_ASCII_LETTERS


@dataclass(frozen=True, slots=True)
class _Guess:
    """charset-normalizer's best decoding, and whether it should beat GB18030."""

    text: str
    encoding: str
    beats_gb18030: bool


def _charset_normalizer_guess(data: bytes) -> _Guess | None:
    """Ask charset-normalizer for its best decoding, or ``None``.

    The guess beats a strict GB18030 decode when it is not itself GB-family
    and either charset-normalizer dropped GB18030 as too chaotic or the guess
    is less chaotic by more than :data:`_GB_CHAOS_MARGIN`. That tells Big5,
    Shift-JIS, EUC-JP, EUC-KR and cp1251 apart from GBK, all of which
    GB18030 decodes without error.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    beats = False
    if best.encoding not in _GB_FAMILY:
        gb_chaos = [match.chaos for match in matches if match.encoding in _GB_FAMILY]
        beats = not gb_chaos or min(gb_chaos) - best.chaos > _GB_CHAOS_MARGIN
    return _Guess(str(best), best.encoding, beats)


# --------------------------------------------------------------------------
# PDF

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


def _read_pdf(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Extract the text of a PDF page by page, joined with blank lines."""
    if b"%PDF" not in data[:1024]:
        raise InputError(f"{name} is not a valid PDF file.")
    try:
        from pypdf import PasswordType, PdfReader
        from pypdf.errors import DependencyError
    except ImportError:
        raise MissingExtraError(f"Reading PDF files needs the docs-input extra: {_EXTRA_HINT}.") from None

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


# --------------------------------------------------------------------------
# Word


def _read_docx(data: bytes, name: str) -> str:
    """Extract paragraphs and tables of a ``.docx`` in document order."""
    not_docx = f"{name} is not a valid Word (.docx) file."
    if not data.startswith(b"PK"):
        raise InputError(not_docx)
    _check_zip_bomb(data, name, not_docx)
    try:
        import docx
    except ImportError:
        raise MissingExtraError(f"Reading Word files needs the docs-input extra: {_EXTRA_HINT}.") from None
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_docx_blocks(document))
    except MemoryError:
        raise
    except Exception as exc:  # python-docx, lxml and zipfile raise many types
        logger.debug("python-docx failed to open %s", name, exc_info=True)
        raise InputError(f"{name} could not be read as a Word document.") from exc
    return "\n\n".join(blocks)


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


def _docx_blocks(document: DocxDocument) -> Iterator[str]:
    """Yield each non-blank paragraph and table of the body, in order."""
    for element in _body_children(document.element.body):
        text = _render_block(element, document)
        if text.strip():
            yield text


def _render_block(element: Any, document: DocxDocument) -> str:
    """Render a ``w:p`` as its text, a ``w:tbl`` as rows of ``a | b`` lines."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    if element.tag == qn("w:p"):
        return str(Paragraph(element, document).text)
    if element.tag == qn("w:tbl"):
        rows = []
        for row in _body_children(element, qn("w:tr")):
            cells = [_render_cell(cell, document) for cell in _body_children(row, qn("w:tc"))]
            if any(cells):
                rows.append(" | ".join(cells))
        return "\n".join(rows)
    return ""


def _render_cell(cell: Any, document: DocxDocument) -> str:
    """Render a table cell on one line; a vertically merged continuation is empty."""
    from docx.oxml.ns import qn

    properties = cell.find(qn("w:tcPr"))
    merge = properties.find(qn("w:vMerge")) if properties is not None else None
    if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
        return ""
    parts = (_render_block(child, document) for child in _body_children(cell))
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
