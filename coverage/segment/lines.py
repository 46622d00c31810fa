"""Cut a document into sections, paragraphs, passages and sentences.

Segmentation is pure and offline: no model, no downloads. Every piece it
returns carries character offsets into the exact text it was given, with
``text[piece.start:piece.end] == piece.text``; the text is never normalised
(CRLF, CR, tabs, NUL and zero-width characters all stay where they are).

Every level is built the same way: find *cut points*, cut the text into
consecutive pieces, trim whitespace (``str.isspace``) from both ends of each
piece and drop the pieces that are only whitespace. So every non-whitespace
character lands in exactly one piece, and nothing is ever dropped or
truncated.

The levels:

* **Sections** start at heading lines (markdown ``#``, ``Article``/
  ``Section``/``Schedule`` keywords, numbered clauses ``1.``/``1.1``,
  ``(a)``/``(i)`` items, ALL-CAPS lines, Chinese ``第X章``/``第X条``/``一、``/
  ``（一）``). Each heading has a level; the section level is the shallowest
  level that occurs at least twice, and the document is split at every
  heading of that level or shallower. See :func:`split_sections`.
* **Paragraphs** are separated by blank lines, and a new one starts at every
  heading or list-item line. Long hard-wrapped paragraphs are cut into
  chunks of whole sentences. See :func:`split_paragraphs`.
* **Passages** are what gets scored: one per paragraph, or, when a paragraph
  is longer than the model's token limit, pieces of it made of whole
  sentences (or of whole tokens for one over-long sentence). See
  :func:`split_passages`.
* **Sentences** come from NLTK's Punkt algorithm with contract abbreviations
  (``Sec.``, ``No.``, ``Inc.``, ``Jan.``, ``U.S.``...) and extra rules for
  Chinese punctuation, list items and enumerators. See
  :func:`split_sentences`.

Example:
    >>> seg = segment_document("# Terms\\n## 1. Fees\\nFees are due.\\n## 2. Term\\nOne year.")
    >>> [s.title for s in seg.sections]
    ['Terms', '1. Fees', '2. Term']
    >>> [p.text for p in seg.passages]
    ['# Terms', '## 1. Fees\\nFees are due.', '## 2. Term\\nOne year.']
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from ..errors import InputError
from .pieces import DocumentSegmentation, Passage, Section, Span
from .tokens import ApproximateTokenCounter, TokenCounter

__all__ = [
    "SummarySegmentation",
    "segment_document",
    "segment_summary",
    "split_paragraphs",
    "split_passages",
    "split_sections",
    "split_sentences",
]

PARAGRAPH_SPLIT_CHARS = 1_500
"""A paragraph longer than this (in characters) is cut into sentence chunks."""

PARAGRAPH_CHUNK_CHARS = 1_000
"""Target size of those chunks; a single longer sentence stays whole."""

TITLE_CHARS = 80
"""Longest section title; longer headings are cut and end with an ellipsis."""

_KEYWORD_HEADING_MAX = 120
_CAPS_HEADING_MAX = 80
_HEADING_ONLY_MAX = 100

# Lowercase, without the final period. "etc" is deliberately absent: it ends
# sentences as often as not, and a following lowercase word already blocks a
# cut (see _lowercase_follows).
_ABBREVIATION_WORDS = (
    "sec secs s ss no nos inc ltd co corp llc llp plc u.s u.s.a u.k e.u e.g i.e vs v art "
    "arts cl para paras pp p mr mrs ms dr prof st jr sr jan feb mar apr jun jul aug sep "
    "sept oct nov dec approx cf ibid fig figs ref dept est max min incl excl n.b a.m p.m "
    "ch vol al seq viz sched exh attn govt intl assn bros reg regs hr hrs yr yrs mo mos"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split()) | frozenset("abcdefghijklmnopqrstuvwxyz")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CJK_CLASS = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff\uff00-\uffef"
_CN_NUM = "一二三四五六七八九十百千零〇两"
_CLOSERS = "”’』」）)】〕》〉\\]\"'"
_OPEN_QUOTES = "\"“‘'([【「『《（"
_ROMAN = r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_SMALL_ROMANS = frozenset(
    ["", "x", "xx", "xxx"][t] + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][u]
    for t in range(4)
    for u in range(10)
) - {""}

_MARKDOWN = re.compile(r"(#{1,6})\s+\S")
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
_ENUMERATOR_ONLY = re.compile(
    r"(?:#{1,6}\s*)?(?:[-*+•]"
    r"|[0-9]{1,3}(?:\.[0-9]{1,3})*\.?"
    r"|\((?:[0-9]{1,3}|[A-Za-z]{1,2}|[ivxIVX]{1,5})\)"
    r"|[ivxIVX]{1,5}\.|[A-Za-z]\."
    rf"|[（(][{_CN_NUM}]+[）)]|[{_CN_NUM}]+、|第[{_CN_NUM}0-9]+[条章节编])?"
)
_INLINE_ENUMERATOR = re.compile(r"(?:[ivx]{1,5}\.|\((?:[a-z]{1,2}|[ivx]{1,5})\))(?:\s|$)")
_ENUMERATOR_AFTER_COLON = re.compile(r"[:;]\s+((?:[0-9]{1,3}|[ivxIVX]{1,5}|[A-Za-z])\.)\s*$")
# "Schedule B. The ..." ends a sentence although "B." looks like an initial.
_LETTER_REFERENCE_END = re.compile(
    r"\b(?i:schedule|exhibit|annex|appendix|attachment|addendum|article|section|clause|part"
    r"|option|phase|class|series|tranche|tier|type)\s+[A-Z]\.(?=\s+[\"“(]?[A-Z])"
)
_CJK_END = re.compile(rf"[。！？；]+[{_CLOSERS}]*")
_BANG_BEFORE_CJK = re.compile(rf"[!?]+[{_CLOSERS}]*(?=\s*[{_CJK_CLASS}])")
_SUMMARY_HEADING = re.compile(r"#{1,6}(?:\s|$)")
_SUMMARY_BULLET = re.compile(
    r"(?:[-*+•]|[0-9]{1,3}[.)]|\((?:[0-9]{1,3}|[A-Za-z]{1,2}|[ivxIVX]{1,5})\))(?:\s+|$)"
)

# Heading kinds.
_MD, _KEY, _NUM, _LETTER, _ROMAN_ITEM, _CAPS = "md", "keyword", "num", "letter", "roman", "caps"
_CN_PART_K, _CN_SECTION_K, _CN_ARTICLE_K, _CN_ITEM_K, _CN_SUB_K = (
    "cn-part",
    "cn-section",
    "cn-article",
    "cn-item",
    "cn-sub",
)
_CN_KINDS = frozenset({_CN_PART_K, _CN_SECTION_K, _CN_ARTICLE_K, _CN_ITEM_K, _CN_SUB_K})
_NOT_MERGEABLE = frozenset({_LETTER, _ROMAN_ITEM})


@dataclass(frozen=True, slots=True)
class SummarySegmentation:
    """The sentences of a summary, plus the lines that are not claims.

    Attributes:
        text: The exact summary text; all offsets point into it.
        sentences: The summary's sentences, the claims that get checked.
            Bullet and number markers (``- ``, ``1. ``, ``(a) ``) are not part
            of any sentence.
        skipped: Markdown heading lines (``# Summary``), reported but not
            scored.
    """

    text: str
    sentences: tuple[Span, ...]
    skipped: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a text: ``start`` is its first offset, ``end`` its content end."""

    start: int
    end: int
    blank: bool
    kind: str  # heading kind, "" when the line is not a heading candidate
    level: int  # default heading level (before the Chinese adjustment)
    depth: int  # number of components of a numbered clause, else 0
    listed: bool  # starts a list item
    stripped: str


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    """Build the untrained Punkt tokenizer with contract abbreviations, once."""
    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    # A PunktParameters object given as train_text is used as the parameters.
    return PunktSentenceTokenizer(params)


def _is_cjk(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff"
        or "\uac00" <= char <= "\ud7af"
        or "\uf900" <= char <= "\ufaff"
        or "\u3040" <= char <= "\u30ff"
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` to its non-space characters; None if there are none."""
    piece = text[start:end]
    left = piece.lstrip()
    if not left:
        return None
    return start + len(piece) - len(left), start + len(piece.rstrip())


def _cut(text: str, start: int, end: int, cuts: Sequence[int]) -> list[tuple[int, int]]:
    """Cut ``[start, end)`` at ``cuts``, trim each piece and drop blank pieces."""
    points = sorted({c for c in cuts if start < c < end})
    pieces = []
    for a, b in zip([start, *points], [*points, end], strict=True):
        trimmed = _trim(text, a, b)
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
    return char.isupper() or char in _OPEN_QUOTES or _is_cjk(char)


def _classify(line: str) -> tuple[str, int, int]:
    """Return ``(kind, level, depth)`` of a stripped line; kind "" for no heading.

    ALL-CAPS lines are left to :func:`_scan_lines`, which needs the neighbours.
    """
    if match := _MARKDOWN.match(line):
        return _MD, len(match.group(1)), 0
    if len(line) <= _KEYWORD_HEADING_MAX and (match := _KEYWORD.match(line)):
        rest = line[match.end() :]
        body = rest.lstrip()
        if not body or body[0] in ".:)-–—" or (rest[0].isspace() and (body[0].isupper() or _is_cjk(body[0]))):
            return _KEY, 1 if match.group(1) else 2, 0
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
        return _NUM, min(2 + depth, 6), depth
    if match := _PAREN_ITEM.match(line):
        roman = match.group(1).lower() in _SMALL_ROMANS
        return (_ROMAN_ITEM, 7, 0) if roman else (_LETTER, 6, 0)
    return "", 0, 0


def _scan_lines(text: str, start: int, end: int) -> list[_Line]:
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
        lines.append(_Line(a, b, not line, kind, level, depth, bool(_LIST_ITEM.match(line)), line))
    return lines


def _adjusted_level(line: _Line, chinese: bool) -> int:
    """Heading level, with Arabic clause numbers nested under Chinese headings."""
    if chinese and line.kind == _NUM:
        return 5 + line.depth
    return line.level


def _title(line: str) -> str:
    """Section title from a stripped heading line."""
    title = line
    if _MARKDOWN.match(title):
        title = title.lstrip("#").strip()
        title = re.sub(r"\s+#+$", "", title) or title
    title = " ".join(title.split()) or " ".join(line.split())
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return title


def _sections_from_lines(text: str, lines: Sequence[_Line]) -> tuple[Section, ...]:
    whole = _trim(text, 0, len(text))
    if whole is None:
        return ()
    chinese = any(line.kind in _CN_KINDS for line in lines)
    candidates = [(line, _adjusted_level(line, chinese)) for line in lines if line.kind]
    if not candidates:
        a, b = whole
        return (Section(0, "(untitled)", a, b, text[a:b], 0),)
    counts = Counter(level for _, level in candidates)
    repeated = [level for level, n in counts.items() if n >= 2]
    section_level = min(repeated) if repeated else min(counts)
    heads = [(line, level) for line, level in candidates if level <= section_level]

    sections: list[Section] = []
    preamble = _trim(text, 0, heads[0][0].start)
    if preamble is not None:
        a, b = preamble
        sections.append(Section(0, "(preamble)", a, b, text[a:b], 0))
    bounds = [line.start for line, _ in heads[1:]] + [len(text)]
    for (line, level), stop in zip(heads, bounds, strict=True):
        trimmed = _trim(text, line.start, stop)
        if trimmed is None:  # pragma: no cover - a heading line is never blank
            continue
        a, b = trimmed
        sections.append(Section(len(sections), _title(line.stripped), a, b, text[a:b], level))
    return tuple(sections)


def split_sections(text: str) -> tuple[Section, ...]:
    """Split a document into sections at its headings.

    Heading candidates are whole lines, each with a level (1 = outermost):

    * markdown ``#`` to ``######``: the number of ``#``;
    * ``Article``/``Chapter``/``Part`` + a number, roman numeral or letter,
      and Chinese ``第X章``/``第X编``/``第X部分``: 1;
    * ``Section``/``Clause``/``Schedule``/``Exhibit``/``Annex``/``Appendix`` +
      an id, and ``第X节``: 2. Keyword lines count only when at most 120
      characters long and the id is followed by the end of the line,
      ``.:)-–—`` or a capitalised word, so "Section 5 shall survive
      termination." is prose, "Section 5. Payment" a heading;
    * numbered clauses followed by a capital, quote, bracket, CJK text or
      the end of the line: ``1.`` 3, ``1.1`` 4, ``1.1.1`` 5;
    * ``(a)``/``(aa)`` 6, roman ``(i)``/``(iv)`` 7;
    * ALL-CAPS lines (at most 80 characters, at least 4 capitals, a word of
      3+ letters, no trailing comma, not next to another ALL-CAPS line): 3;
    * Chinese ``第X条`` 3, ``一、`` 4, ``（一）`` 5. When a document has any
      Chinese heading, ``1.`` drops to 6 and ``1.1`` to 7.

    The section level is the shallowest level that occurs at least twice
    (or the shallowest present if none repeats), and the document is split
    at every heading of that level or shallower. Non-blank text before the
    first such heading becomes a ``"(preamble)"`` section; a document without
    headings is one ``"(untitled)"`` section.

    Args:
        text: The document, exactly as it will be checked.

    Returns:
        The sections in document order; ``()`` for empty or whitespace-only
        text (the caller decides whether that is an error).

    Example:
        >>> [s.title for s in split_sections("# A\\n## 1. B\\nx\\n## 2. C\\ny")]
        ['A', '1. B', '2. C']
    """
    return _sections_from_lines(text, _scan_lines(text, 0, len(text)))


def _is_heading_only(text: str, a: int, b: int, line: _Line) -> bool:
    """Whether the paragraph ``[a, b)`` is one title-like heading line."""
    if not line.kind or line.kind in _NOT_MERGEABLE or len(line.stripped) > _HEADING_ONLY_MAX:
        return False
    piece = text[a:b]
    if "\n" in piece or "\r" in piece:
        return False
    if piece.endswith((",", ";", ":", "，", "；", "：")):
        return False
    if not piece.endswith((".", "!", "?", "。", "！", "？")):
        return True
    # "Section 5." and a bare "1." are headings; "1.1 Fees." is a short clause.
    short_keyword = line.kind == _KEY and len(piece.split()) <= 3
    return short_keyword or bool(_ENUMERATOR_ONLY.fullmatch(piece))


def _chunk_sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Group the sentences of ``[a, b)`` into runs of at most ~1,000 characters."""
    chunks: list[tuple[int, int]] = []
    for sentence in split_sentences(text, a, b):
        if chunks and sentence.end - chunks[-1][0] <= PARAGRAPH_CHUNK_CHARS:
            chunks[-1] = (chunks[-1][0], sentence.end)
        else:
            chunks.append((sentence.start, sentence.end))
    return chunks


def _paragraphs_from_lines(
    text: str, sections: Sequence[Section], lines: Sequence[_Line]
) -> tuple[Span, ...]:
    starts = [line.start for line in lines]
    paragraphs: list[Span] = []
    for section in sections:
        lo = bisect.bisect_right(starts, section.start)
        hi = bisect.bisect_left(starts, section.end)
        cuts = [line.start for line in lines[lo:hi] if line.blank or line.kind or line.listed]
        pieces = _cut(text, section.start, section.end, cuts)

        merged: list[tuple[int, int]] = []
        pending: int | None = None
        for i, (a, b) in enumerate(pieces):
            first = a if pending is None else pending
            line = lines[bisect.bisect_right(starts, a) - 1]
            if i + 1 < len(pieces) and _is_heading_only(text, a, b, line):
                pending = first
                continue
            merged.append((first, b))
            pending = None

        for a, b in merged:
            chunks = _chunk_sentences(text, a, b) if b - a > PARAGRAPH_SPLIT_CHARS else [(a, b)]
            for x, y in chunks:
                paragraphs.append(Span(len(paragraphs), x, y, text[x:y], section.index))
    return tuple(paragraphs)


def split_paragraphs(text: str, sections: Sequence[Section]) -> tuple[Span, ...]:
    """Split each section into paragraphs.

    Rules, in order:

    1. A blank line (only whitespace, after LF, CRLF or CR) ends a paragraph.
    2. A line that is a heading candidate of any level (see
       :func:`split_sections`) or a list item (``- ``, ``* ``, ``+ ``,
       ``• ``, ``(a)``, ``(1)``, ``1.``, ``1)``, ``1、``, ``（一）``) starts a
       new paragraph, so ``1.1 ...`` / ``1.2 ...`` on consecutive lines are
       separate paragraphs.
    3. A paragraph that is only a title-like heading line (``## 1. Fees``,
       ``第一条 服务内容``, ``PAYMENT TERMS``) is merged with the paragraph
       that follows it in the same section, so the heading gives its text
       context. A section that is only a heading is one paragraph.
    4. Hard-wrapped text (single newlines only, as PDF extraction gives) and
       text without newlines form very long paragraphs: a paragraph longer
       than 1,500 characters is cut into chunks of consecutive whole
       sentences of at most about 1,000 characters each. A single sentence
       longer than that stays whole here (passages split it further if it
       exceeds the token limit).

    Args:
        text: The document the sections were cut from.
        sections: Its sections, from :func:`split_sections`.

    Returns:
        Paragraphs in document order; each lies inside its section and has
        ``section`` set to that section's index.

    Example:
        >>> doc = "1.1 First.\\n1.2 Second."
        >>> [p.text for p in split_paragraphs(doc, split_sections(doc))]
        ['1.1 First.', '1.2 Second.']
    """
    return _paragraphs_from_lines(text, sections, _scan_lines(text, 0, len(text)))


_ETC_BEFORE = re.compile(r"\betc\.[\"'”’)\]]*\s*$", re.IGNORECASE)


def _lowercase_follows(text: str, pos: int) -> bool:
    """Whether ``pos`` follows "etc." and starts a lowercase word (not an enumerator like ``iv.``).

    "etc." ends a sentence as often as not, so Punkt cannot know it as an
    abbreviation; a lowercase next word says the sentence goes on. Other
    lowercase sentence starts (common in lower-cased, cleaned corpora) keep
    their cut.
    """
    rest = text[pos : pos + 64].lstrip()
    if not rest or not rest[0].islower() or _INLINE_ENUMERATOR.match(rest):
        return False
    return bool(_ETC_BEFORE.search(text, max(0, pos - 16), pos))


def _punkt_cuts(sub: str) -> list[int]:
    """Punkt's sentence starts in ``sub``, adjusted for contract text.

    A cut between "etc." and a lowercase word is dropped; a cut after an inline
    enumerator (``as follows: 1. The``) moves to before the enumerator.
    """
    cuts = []
    for a, _ in _punkt().span_tokenize(sub):
        if a <= 0 or _lowercase_follows(sub, a):
            continue
        moved = _ENUMERATOR_AFTER_COLON.search(sub, max(0, a - 64), a)
        cuts.append(moved.start(1) if moved else a)
    cuts.extend(m.end() for m in _LETTER_REFERENCE_END.finditer(sub))
    return cuts


def split_sentences(text: str, start: int = 0, end: int | None = None) -> tuple[Span, ...]:
    """Split ``text[start:end]`` into sentences.

    Punkt (NLTK, untrained, with contract abbreviations such as ``Sec.``,
    ``No.``, ``Inc.``, ``Jan.``, ``U.S.``, ``e.g.`` and single initials)
    proposes cut points; then:

    * a Punkt cut between "etc." and a lowercase word is dropped (``etc. and``);
    * the text is also cut after Chinese terminators ``。！？；``, and after
      ``!``/``?`` followed by CJK text, keeping closing quotes and brackets
      with the sentence that ends;
    * it is cut before every line that starts a list item or a heading, and
      after a markdown heading line;
    * a piece that is only an enumerator (``1.``, ``1.1``, ``(a)``, ``iv.``,
      ``A.``, ``第一条``) or a heading marker (``##``) is joined to the
      sentence that follows it.

    Section numbers (``3.1``, ``Sec. 4.2``) never cause a cut, since Punkt
    only cuts at a period followed by whitespace.

    Args:
        text: The full text; offsets in the result index it.
        start: Offset where the range to split begins.
        end: Offset where it ends; ``None`` for the end of ``text``.

    Returns:
        Sentences in order, each trimmed of surrounding whitespace, with
        ``section`` 0. Every non-space character of the range is in exactly
        one sentence.

    Raises:
        InputError: ``start``/``end`` do not describe a range of ``text``.

    Example:
        >>> [s.text for s in split_sentences("See Sec. 4.2 of the Agreement. Pay now.")]
        ['See Sec. 4.2 of the Agreement.', 'Pay now.']
    """
    stop = len(text) if end is None else end
    if not 0 <= start <= stop <= len(text):
        raise InputError(f"The range {start}:{end} is not inside a text of {len(text)} characters.")
    sub = text[start:stop]
    if not sub or sub.isspace():
        return ()
    cuts = _punkt_cuts(sub)
    cuts.extend(m.end() for m in _CJK_END.finditer(sub))
    cuts.extend(m.end() for m in _BANG_BEFORE_CJK.finditer(sub))
    lines = _scan_lines(sub, 0, len(sub))
    for line in lines[1:]:
        if line.kind or line.listed:
            cuts.append(line.start)
    cuts.extend(line.end for line in lines if line.kind == _MD)

    pieces = _cut(sub, 0, len(sub), cuts)
    joined: list[tuple[int, int]] = []
    pending: int | None = None
    for i, (a, b) in enumerate(pieces):
        first = a if pending is None else pending
        if i + 1 < len(pieces) and _ENUMERATOR_ONLY.fullmatch(sub, a, b):
            pending = first
            continue
        joined.append((first, b))
        pending = None
    return tuple(Span(i, start + a, start + b, sub[a:b]) for i, (a, b) in enumerate(joined))


def _has_space(text: str, a: int, b: int) -> bool:
    return any(char.isspace() for char in text[a:b])


def _split_by_tokens(
    text: str, a: int, b: int, max_tokens: int, counter: TokenCounter
) -> list[tuple[int, int, int]]:
    """Cut one over-long sentence ``[a, b)`` at token boundaries into fitting pieces.

    Each piece ends at the last whitespace between tokens inside its token
    window when there is one, else right before the next token; characters
    no token covers stay with the piece before them, so nothing is lost.
    """
    segment = text[a:b]
    offsets = counter.token_offsets(segment)
    n = len(offsets)
    budget = max(1, max_tokens - counter.special_tokens)
    pieces: list[tuple[int, int, int]] = []
    cut = 0
    i = 0
    while i < n:
        j = n if n - i <= budget else i + budget
        if j < n:
            for k in range(j, i, -1):
                if _has_space(segment, offsets[k - 1][1], offsets[k][0]):
                    j = k
                    break
        while True:
            stop = len(segment) if j == n else offsets[j][0]
            trimmed = _trim(segment, cut, stop)
            count = 0 if trimmed is None else counter.count_tokens([segment[slice(*trimmed)]])[0]
            if count <= max_tokens or j == i + 1:
                break
            j -= 1
        if trimmed is not None:
            pieces.append((a + trimmed[0], a + trimmed[1], count))
        cut = stop
        i = j
    if not pieces:  # no tokens at all: keep the text whole
        pieces.append((a, b, counter.count_tokens([segment])[0]))
    return pieces


def _pack_sentences(
    text: str, a: int, b: int, max_tokens: int, counter: TokenCounter
) -> list[tuple[int, int, int]]:
    """Greedily pack whole sentences of ``[a, b)`` into pieces of at most ``max_tokens``."""
    sentences = split_sentences(text, a, b)
    special = counter.special_tokens
    estimates = counter.count_tokens([s.text for s in sentences])
    slack = max_tokens + max_tokens // 4 + 8
    pieces: list[tuple[int, int, int]] = []
    i = 0
    while i < len(sentences):
        # Candidate pieces sentences[i..k], up to a little past the estimated fit.
        ends = [i]
        total = estimates[i]
        while ends[-1] + 1 < len(sentences):
            total += estimates[ends[-1] + 1] - special
            if total > slack:
                break
            ends.append(ends[-1] + 1)
        start = sentences[i].start
        counts = counter.count_tokens([text[start : sentences[k].end] for k in ends])
        best = -1
        for k, count in zip(ends, counts, strict=True):
            if count > max_tokens:
                break
            best = k
        if best < 0:
            s = sentences[i]
            pieces.extend(_split_by_tokens(text, s.start, s.end, max_tokens, counter))
            i += 1
        else:
            pieces.append((start, sentences[best].end, counts[best - i]))
            i = best + 1
    return pieces


def split_passages(
    text: str, paragraphs: Sequence[Span], *, max_tokens: int, counter: TokenCounter
) -> tuple[Passage, ...]:
    """Turn paragraphs into scoring units that fit the model's sequence length.

    A paragraph whose token count (special tokens included) is at most
    ``max_tokens`` is one passage. A longer one is cut into pieces of
    consecutive whole sentences, packed greedily, each counted exactly with
    ``counter``; a single sentence over the limit is cut at token boundaries
    (preferring whitespace, never inside a token). Pieces are marked
    ``split=True``. Nothing is truncated: the pieces hold every non-space
    character of the paragraph.

    Args:
        text: The document the paragraphs were cut from.
        paragraphs: Its paragraphs, from :func:`split_paragraphs`.
        max_tokens: Longest passage in the model's tokens.
        counter: Counts and locates the model's tokens.

    Returns:
        Passages in document order.

    Raises:
        InputError: ``max_tokens`` leaves no room for a single token.

    Example:
        >>> doc = "One two three. Four five six."
        >>> paras = split_paragraphs(doc, split_sections(doc))
        >>> counter = ApproximateTokenCounter()
        >>> [p.text for p in split_passages(doc, paras, max_tokens=6, counter=counter)]
        ['One two three.', 'Four five six.']
    """
    if max_tokens < counter.special_tokens + 1:
        raise InputError(
            f"max_tokens must be at least {counter.special_tokens + 1} "
            f"(the model adds {counter.special_tokens} special tokens); got {max_tokens}."
        )
    counts = counter.count_tokens([p.text for p in paragraphs]) if paragraphs else []
    passages: list[Passage] = []
    for paragraph, count in zip(paragraphs, counts, strict=True):
        if count <= max_tokens:
            pieces, split = [(paragraph.start, paragraph.end, count)], False
        else:
            pieces = _pack_sentences(text, paragraph.start, paragraph.end, max_tokens, counter)
            split = True
        for a, b, n in pieces:
            passages.append(Passage(len(passages), paragraph.section, a, b, text[a:b], n, split))
    return tuple(passages)


def segment_document(
    text: str, *, max_tokens: int = 512, counter: TokenCounter | None = None
) -> DocumentSegmentation:
    """Segment a document into sections, paragraphs and passages.

    Args:
        text: The document, exactly as it will be checked.
        max_tokens: Longest passage in the model's tokens, special tokens
            included.
        counter: The model's token counter; ``None`` uses
            :class:`ApproximateTokenCounter` (one token per word).

    Returns:
        The segmentation; all its tuples are empty for empty or
        whitespace-only text (the checker rejects such documents first).

    Raises:
        InputError: ``max_tokens`` leaves no room for a single token.

    Example:
        >>> seg = segment_document("Fees are due. Pay now.", max_tokens=5)
        >>> [p.text for p in seg.passages]
        ['Fees are due.', 'Pay now.']
    """
    tokens = ApproximateTokenCounter() if counter is None else counter
    if max_tokens < tokens.special_tokens + 1:
        raise InputError(
            f"max_tokens must be at least {tokens.special_tokens + 1} "
            f"(the model adds {tokens.special_tokens} special tokens); got {max_tokens}."
        )
    lines = _scan_lines(text, 0, len(text))
    sections = _sections_from_lines(text, lines)
    paragraphs = _paragraphs_from_lines(text, sections, lines)
    passages = split_passages(text, paragraphs, max_tokens=max_tokens, counter=tokens)
    return DocumentSegmentation(text, sections, paragraphs, passages)


_TERMINAL = tuple(".!?。！？；;:")


def _wrapped(previous: str, line: str) -> bool:
    """Whether ``line`` continues ``previous`` as a hard-wrapped line of the same item.

    Summaries usually put one point per line, so a new line starts a new item,
    unless the previous line does not end in terminal punctuation and either
    the new line starts with a lowercase letter ("The deal\\nis done.") or
    the previous line looks cut at a fixed width (60+ characters, 30+ in CJK
    text) and the new line does not start with a capital letter.
    """
    last = previous.rstrip()
    if not last or last.endswith(_TERMINAL):
        return False
    if line[:1].islower():
        return True
    tail = last[last.rfind("\n") + 1 :]
    cjk = any(_is_cjk(c) for c in tail[-10:])
    return len(tail) >= (30 if cjk else 60) and not line[:1].isupper()


def segment_summary(text: str) -> SummarySegmentation:
    """Split a summary into the sentences that get checked.

    Lines that are markdown headings (``# Summary``) are ``skipped``: they
    are not claims. A bullet or number (``- ``, ``* ``, ``+ ``, ``• ``,
    ``1. ``, ``1) ``, ``(a) ``) starts a new item and is left out of the
    sentence span; blank lines end items, and so does a line break unless the
    line was hard-wrapped (see :func:`_wrapped`). Each item is then split with
    :func:`split_sentences`.

    Args:
        text: The summary, exactly as it will be checked.

    Returns:
        The sentences and skipped lines; an empty summary has neither.

    Example:
        >>> seg = segment_summary("# Summary\\n- Fees rise. Term ends.\\n2. Notice")
        >>> [s.text for s in seg.sentences], [s.text for s in seg.skipped]
        (['Fees rise.', 'Term ends.', 'Notice'], ['# Summary'])
    """
    items: list[tuple[int, int]] = []
    skipped: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for line in _scan_lines(text, 0, len(text)):
        if line.blank:
            if current is not None:
                items.append(current)
            current = None
            continue
        content = text[line.start : line.end]
        lead = len(content) - len(content.lstrip())
        body = content[lead:]
        if _SUMMARY_HEADING.match(body):
            if current is not None:
                items.append(current)
            current = None
            trimmed = _trim(text, line.start, line.end)
            if trimmed is not None:
                skipped.append(trimmed)
            continue
        if bullet := _SUMMARY_BULLET.match(body):
            if current is not None:
                items.append(current)
            current = (line.start + lead + bullet.end(), line.end)
            continue
        if current is not None and not _wrapped(text[current[0] : current[1]], body):
            items.append(current)
            current = None
        current = (line.start + lead if current is None else current[0], line.end)
    if current is not None:
        items.append(current)

    sentences: list[Span] = []
    for a, b in items:
        for s in split_sentences(text, a, b):
            sentences.append(Span(len(sentences), s.start, s.end, s.text))
    return SummarySegmentation(
        text,
        tuple(sentences),
        tuple(Span(i, a, b, text[a:b]) for i, (a, b) in enumerate(skipped)),
    )
