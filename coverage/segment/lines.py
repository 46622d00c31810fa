"""Lines of a text, classified: the shared first step of every segmentation level.

A document is scanned once into :class:`Line` records (offsets, blank or not,
heading kind and level, list item or not); sections, paragraphs, sentences
and summary items are all cut from them. This module also holds the
whitespace-trimming cut helpers (:func:`trim`, :func:`cut`) every level uses,
so that each keeps every non-space character in exactly one piece.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_KEYWORD_HEADING_MAX = 120
_CAPS_HEADING_MAX = 80

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
CJK_CLASS = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff\uff00-\uffef"
_CN_NUM = "一二三四五六七八九十百千零〇两"
CLOSERS = "”’』」）)】〕》〉\\]\"'"
_OPEN_QUOTES = "\"“‘'([【「『《（"
_ROMAN = r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_SMALL_ROMANS = frozenset(
    ["", "x", "xx", "xxx"][t] + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][u]
    for t in range(4)
    for u in range(10)
) - {""}

MARKDOWN = re.compile(r"(#{1,6})\s+\S")
_KEYWORD = re.compile(
    rf"(?:(article|chapter|part)|section|clause|schedule|exhibit|annex|appendix)\s+"
    rf"(?:[0-9]{{1,4}}(?:\.[0-9]{{1,4}})*|{_ROMAN}|[a-z])(?!\w)",
    re.IGNORECASE,
)
_CN_PART = re.compile(rf"第[{_CN_NUM}0-9]+(?:章|编|部分)")
_CN_SECTION = re.compile(rf"第[{_CN_NUM}0-9]+节")
_CN_ARTICLE = re.compile(rf"第[{_CN_NUM}0-9]+条")
_CN_ITEM = re.compile(rf"[{_CN_NUM}]+、")
_CN_SUB = re.compile(rf"[（(][{_CN_NUM}]+[）)]")
# "1." / "1.1" / "1.1." / "2.3.4" before whitespace or the end, or "1、".
_NUMBERED = re.compile(r"[0-9]{1,3}(?:((?:\.[0-9]{1,3}){1,3})\.?(?=\s|$)|\.(?=\s|$)|、)")
_PAREN_ITEM = re.compile(r"\(([a-z]{1,2}|[ivx]{1,5})\)(?=\s|$)", re.IGNORECASE)
_LIST_ITEM = re.compile(
    r"(?:[-*+•·▪◦‣]\s"
    r"|\((?:[0-9]{1,3}|[A-Za-z]{1,2}|[ivxIVX]{1,5})\)(?:\s|$)"
    r"|[0-9]{1,3}[.)](?:\s|$)"
    r"|[0-9]{1,3}、"
    rf"|[（(][{_CN_NUM}]+[）)])"
)
_WORD = re.compile(r"[^\W\d_]+")
ENUMERATOR_ONLY = re.compile(
    r"(?:#{1,6}\s*)?(?:[-*+•]"
    r"|[0-9]{1,3}(?:\.[0-9]{1,3})*\.?"
    r"|\((?:[0-9]{1,3}|[A-Za-z]{1,2}|[ivxIVX]{1,5})\)"
    r"|[ivxIVX]{1,5}\.|[A-Za-z]\."
    rf"|[（(][{_CN_NUM}]+[）)]|[{_CN_NUM}]+、|第[{_CN_NUM}0-9]+[条章节编])?"
)

# Heading kinds.
HEADING_MD, HEADING_KEYWORD, HEADING_NUMBERED = "md", "keyword", "num"
_LETTER, _ROMAN_ITEM, _CAPS = "letter", "roman", "caps"
_CN_PART_K, _CN_SECTION_K, _CN_ARTICLE_K, _CN_ITEM_K, _CN_SUB_K = (
    "cn-part",
    "cn-section",
    "cn-article",
    "cn-item",
    "cn-sub",
)
CHINESE_HEADINGS = frozenset({_CN_PART_K, _CN_SECTION_K, _CN_ARTICLE_K, _CN_ITEM_K, _CN_SUB_K})
NOT_MERGEABLE = frozenset({_LETTER, _ROMAN_ITEM})


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a text: ``start`` is its first offset, ``end`` its content end."""

    start: int
    end: int
    blank: bool
    kind: str  # heading kind, "" when the line is not a heading candidate
    level: int  # default heading level (before the Chinese adjustment)
    depth: int  # number of components of a numbered clause, else 0
    listed: bool  # starts a list item
    stripped: str


_TITLE_LINE_MAX = 100


def is_title_line(text: str, a: int, b: int, line: Line) -> bool:
    """Whether ``text[a:b]`` is one title-like heading line (not a short clause).

    ``line`` is the line the piece starts on. ``## 1. Fees``, ``PAYMENT
    TERMS``, ``Section 5.`` and a bare ``1.`` are titles; ``1.1 Fees are due.``
    and a line ending in ``:`` or ``,`` are not.
    """
    if not line.kind or line.kind in NOT_MERGEABLE or len(line.stripped) > _TITLE_LINE_MAX:
        return False
    piece = text[a:b]
    if "\n" in piece or "\r" in piece:
        # "ARTICLE I" / "DEFINITIONS": a heading whose name is on the lines after it.
        first, *rest = _LINE_BREAK.split(piece)
        return first.strip() == line.stripped and all(_is_title_words(r.strip()) for r in rest)
    if piece.endswith((",", ";", ":", "，", "；", "：")):
        return False
    if not piece.endswith((".", "!", "?", "。", "！", "？")):
        return True
    # "Section 5." and a bare "1." are headings; "1.1 Fees." is a short clause.
    short_keyword = line.kind == HEADING_KEYWORD and len(piece.split()) <= 3
    return short_keyword or bool(ENUMERATOR_ONLY.fullmatch(piece))


def _is_title_words(line: str) -> bool:
    """A short line of capitalised words without closing punctuation ("DEFINITIONS", "Fees and Payment")."""
    if not line or len(line) > 60 or line.endswith((".", ",", ";", ":", "!", "?", "。", "，", "；", "：")):
        return False
    words = _WORD.findall(line)
    small = {"and", "or", "of", "the", "to", "for", "in", "on", "a", "an"}
    return bool(words) and all(w[0].isupper() or w in small for w in words) and words[0][0].isupper()


def is_cjk(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff"
        or "\uac00" <= char <= "\ud7af"
        or "\uf900" <= char <= "\ufaff"
        or "\u3040" <= char <= "\u30ff"
    )


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` to its non-space characters; None if there are none."""
    piece = text[start:end]
    left = piece.lstrip()
    if not left:
        return None
    return start + len(piece) - len(left), start + len(piece.rstrip())


_BREAK_OR_NOT = re.compile(r"(\r\n|\r|\n)|[^\r\n]+")


def blank_out(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with every character of the sorted, disjoint ``spans`` but line breaks made a space.

    The result has the same length, so offsets into it are offsets into ``text``.
    """
    if not spans:
        return text
    parts = []
    cursor = 0
    for start, end in spans:
        parts.append(text[cursor:start])
        parts.append(
            _BREAK_OR_NOT.sub(lambda m: m.group(0) if m.group(1) else " " * len(m.group(0)), text[start:end])
        )
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def cut(text: str, start: int, end: int, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """Cut ``[start, end)`` at ``cuts``, trim each piece and drop blank pieces."""
    points = sorted({c for c in cuts if start < c < end})
    pieces = []
    for a, b in zip([start, *points], [*points, end], strict=True):
        trimmed = trim(text, a, b)
        if trimmed is not None:
            pieces.append(trimmed)
    return pieces


def _is_caps_line(line: str) -> bool:
    """ALL-CAPS heading shape: short, >= 4 capitals, no lowercase, a 3-letter word."""
    if not line or len(line) > _CAPS_HEADING_MAX or line.endswith((",", ";")):
        return False
    upper = 0
    for char in line:
        if char.islower():
            return False
        if char.isupper():
            upper += 1
    return upper >= 4 and any(len(w) >= 3 and w.isupper() for w in _WORD.findall(line))


def _starts_heading_text(rest: str) -> bool:
    """Whether ``rest`` (the text after a clause number) looks like a heading's text."""
    body = rest.lstrip()
    if not body:
        return True
    char = body[0]
    return char.isupper() or char in _OPEN_QUOTES or is_cjk(char)


def _classify(line: str) -> tuple[str, int, int]:
    """Return ``(kind, level, depth)`` of a stripped line; kind "" for no heading.

    ALL-CAPS lines are left to :func:`scan_lines`, which needs the neighbours.
    """
    if match := MARKDOWN.match(line):
        return HEADING_MD, len(match.group(1)), 0
    if len(line) <= _KEYWORD_HEADING_MAX and (match := _KEYWORD.match(line)):
        rest = line[match.end() :]
        body = rest.lstrip()
        if not body or body[0] in ".:)-–—" or (rest[0].isspace() and (body[0].isupper() or is_cjk(body[0]))):
            return HEADING_KEYWORD, 1 if match.group(1) else 2, 0
    if _CN_PART.match(line):
        return _CN_PART_K, 1, 0
    if _CN_SECTION.match(line):
        return _CN_SECTION_K, 2, 0
    if _CN_ARTICLE.match(line):
        return _CN_ARTICLE_K, 3, 0
    if _CN_ITEM.match(line):
        return _CN_ITEM_K, 4, 0
    if _CN_SUB.match(line):
        return _CN_SUB_K, 5, 0
    if (match := _NUMBERED.match(line)) and _starts_heading_text(line[match.end() :]):
        depth = 1 + (match.group(1) or "").count(".")
        return HEADING_NUMBERED, min(2 + depth, 6), depth
    if match := _PAREN_ITEM.match(line):
        roman = match.group(1).lower() in _SMALL_ROMANS
        return (_ROMAN_ITEM, 7, 0) if roman else (_LETTER, 6, 0)
    return "", 0, 0


def scan_lines(text: str, start: int, end: int) -> list[Line]:
    """Split ``text[start:end]`` into lines (at LF, CRLF and CR) and classify them."""
    starts = [start]
    ends = []
    for match in _LINE_BREAK.finditer(text, start, end):
        ends.append(match.start())
        starts.append(match.end())
    ends.append(end)
    stripped = [text[a:b].strip() for a, b in zip(starts, ends, strict=True)]
    caps = [_is_caps_line(s) for s in stripped]
    lines = []
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        line = stripped[i]
        kind, level, depth = _classify(line) if line else ("", 0, 0)
        if (
            not kind
            and caps[i]
            # A run of ALL-CAPS lines is a shouted paragraph (a disclaimer),
            # not a heading.
            and not (i > 0 and caps[i - 1])
            and not (i + 1 < len(caps) and caps[i + 1])
        ):
            kind, level = _CAPS, 3
        lines.append(Line(a, b, not line, kind, level, depth, bool(_LIST_ITEM.match(line)), line))
    return lines
