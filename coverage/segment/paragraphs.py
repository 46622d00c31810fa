"""Paragraphs: blank lines, headings and list items cut each section; long runs become sentence chunks."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .lines import ENUMERATOR_ONLY, HEADING_KEYWORD, NOT_MERGEABLE, Line, cut, scan_lines
from .pieces import Section, Span
from .sentences import split_sentences

PARAGRAPH_SPLIT_CHARS = 1_500
"""A paragraph longer than this (in characters) is cut into sentence chunks."""

PARAGRAPH_CHUNK_CHARS = 1_000
"""Target size of those chunks; a single longer sentence stays whole."""

_HEADING_ONLY_MAX = 100


def _is_heading_only(text: str, a: int, b: int, line: Line) -> bool:
    """Whether the paragraph ``[a, b)`` is one title-like heading line."""
    if not line.kind or line.kind in NOT_MERGEABLE or len(line.stripped) > _HEADING_ONLY_MAX:
        return False
    piece = text[a:b]
    if "\n" in piece or "\r" in piece:
        return False
    if piece.endswith((",", ";", ":", "，", "；", "：")):
        return False
    if not piece.endswith((".", "!", "?", "。", "！", "？")):
        return True
    # "Section 5." and a bare "1." are headings; "1.1 Fees." is a short clause.
    short_keyword = line.kind == HEADING_KEYWORD and len(piece.split()) <= 3
    return short_keyword or bool(ENUMERATOR_ONLY.fullmatch(piece))


def _chunk_sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Group the sentences of ``[a, b)`` into runs of at most ~1,000 characters."""
    chunks: list[tuple[int, int]] = []
    for sentence in split_sentences(text, a, b):
        if chunks and sentence.end - chunks[-1][0] <= PARAGRAPH_CHUNK_CHARS:
            chunks[-1] = (chunks[-1][0], sentence.end)
        else:
            chunks.append((sentence.start, sentence.end))
    return chunks


def paragraphs_from_lines(text: str, sections: Sequence[Section], lines: Sequence[Line]) -> tuple[Span, ...]:
    starts = [line.start for line in lines]
    paragraphs: list[Span] = []
    for section in sections:
        lo = bisect.bisect_right(starts, section.start)
        hi = bisect.bisect_left(starts, section.end)
        cuts = [line.start for line in lines[lo:hi] if line.blank or line.kind or line.listed]
        pieces = cut(text, section.start, section.end, cuts)

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
    return paragraphs_from_lines(text, sections, scan_lines(text, 0, len(text)))
