"""Frozen value types for the pieces of text the checker works on.

Every type here carries character offsets into the exact text it was cut
from, with the invariant ``text[start:end] == piece.text``. Offsets are
0-based and end-exclusive, like Python slices.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lines import blank_out


@dataclass(frozen=True, slots=True)
class Section:
    """A run of the document that starts at a heading (or at the top).

    Attributes:
        index: Position of the section in the document, from 0.
        title: The heading line, whitespace-collapsed and cut to 80
            characters; ``"(untitled)"`` for a document without headings and
            ``"(preamble)"`` for text before the first heading.
        start: Offset of the first non-space character of the section.
        end: Offset just past its last non-space character.
        text: ``document[start:end]``.
        level: Heading level that opened the section (1 = outermost); 0 when
            no heading opened it.
    """

    index: int
    title: str
    start: int
    end: int
    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class Span:
    """A paragraph, passage or sentence of a text.

    Attributes:
        index: Position among spans of the same kind, from 0.
        start: Offset of the first non-space character.
        end: Offset just past the last non-space character.
        text: ``source[start:end]``.
        section: Index of the enclosing :class:`Section`; 0 for summaries.
    """

    index: int
    start: int
    end: int
    text: str
    section: int = 0


@dataclass(frozen=True, slots=True)
class Passage:
    """A unit of the document that gets scored: a paragraph, or a piece of one.

    Attributes:
        index: Position in the document, from 0.
        section: Index of the enclosing :class:`Section`.
        start: Offset of the first non-space character.
        end: Offset just past the last non-space character.
        text: ``document[start:end]``.
        tokens: Length in the model's tokens, special tokens included.
        split: ``True`` when this passage is a piece of a paragraph that was
            longer than the model's maximum sequence length.
    """

    index: int
    section: int
    start: int
    end: int
    text: str
    tokens: int
    split: bool = False


@dataclass(frozen=True, slots=True)
class DocumentSegmentation:
    """The full segmentation of one document.

    Attributes:
        text: The exact text that was segmented; all offsets point into it.
        sections: Sections in document order.
        paragraphs: Paragraphs in document order (before token splitting).
        passages: Scoring units in document order.
        excluded: Spans left out of every other piece because they are not
            the document's content (a PDF's page furniture), in order.
    """

    text: str
    sections: tuple[Section, ...]
    paragraphs: tuple[Span, ...]
    passages: tuple[Passage, ...]
    excluded: tuple[Span, ...] = ()

    @property
    def content(self) -> str:
        """The text with the excluded spans blanked out (same length, same offsets)."""
        return blank_out(self.text, [(s.start, s.end) for s in self.excluded])


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
