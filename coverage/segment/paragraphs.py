"""Paragraphs: blank lines, headings and list items cut each section; long runs become sentence chunks."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .lines import Line, cut, is_title_line, scan_lines
from .pieces import Section, Span
from .sentences import split_sentences

PARAGRAPH_SPLIT_CHARS = 1_500
"""A paragraph longer than this (in characters) is cut into sentence chunks."""

PARAGRAPH_CHUNK_CHARS = 1_000
"""Target size of those chunks; a single longer sentence stays whole."""


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
            if is_title_line(text, a, b, line):
                if i + 1 < len(pieces):  # a heading joins the paragraph after it
                    pending = first
                    continue
                if merged:  # a heading that ends its section joins the paragraph before it
                    merged[-1] = (merged[-1][0], b)
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
       context; one that ends its section joins the paragraph before it. A
       section that is only a heading is one paragraph (sections never are
       only headings unless the whole document is: see :func:`split_sections`).
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
