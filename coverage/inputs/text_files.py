"""Plain text and Markdown: encoding detection, and binary files refused before decoding."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..errors import InputError
from .formats import FORMAT_BY_SUFFIX

_USE_INSTEAD = "use .txt, .md, .pdf or .docx"

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


def read_text(data: bytes, name: str, suffix: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode a text file, rejecting binary data first."""
    known_text = suffix in FORMAT_BY_SUFFIX
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
