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

import dataclasses
from collections.abc import Sequence

from ..errors import InputError
from .lines import blank_out, scan_lines, trim
from .paragraphs import paragraphs_from_lines
from .passages import split_passages
from .pieces import DocumentSegmentation, Passage, Span
from .sections import sections_from_lines
from .tokens import ApproximateTokenCounter, TokenCounter


def segment_document(
    text: str,
    *,
    max_tokens: int = 512,
    counter: TokenCounter | None = None,
    exclude: Sequence[tuple[int, int]] = (),
) -> DocumentSegmentation:
    """Segment a document into sections, paragraphs and passages.

    Args:
        text: The document, exactly as it will be checked.
        max_tokens: Longest passage in the model's tokens, special tokens
            included.
        counter: The model's token counter; ``None`` uses
            :class:`ApproximateTokenCounter` (one token per word).
        exclude: ``(start, end)`` spans of ``text`` that are not content
            (page furniture). They are read as blank space; a passage
            never holds any of their characters.

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
    spans = _excluded_spans(text, exclude)
    view = blank_out(text, [(x.start, x.end) for x in spans])
    lines = scan_lines(view, 0, len(view))
    sections = sections_from_lines(view, lines)
    paragraphs = paragraphs_from_lines(view, sections, lines)
    passages = split_passages(view, paragraphs, max_tokens=max_tokens, counter=tokens)
    if spans:  # no passage holds furniture; the pieces' own text comes from the document, not the view
        passages = _around(view, passages, spans, tokens)
        sections = tuple(dataclasses.replace(s, text=text[s.start : s.end]) for s in sections)
        paragraphs = tuple(dataclasses.replace(p, text=text[p.start : p.end]) for p in paragraphs)
        passages = tuple(dataclasses.replace(p, text=text[p.start : p.end]) for p in passages)
    return DocumentSegmentation(text, sections, paragraphs, passages, spans)


def _around(
    view: str, passages: Sequence[Passage], spans: Sequence[Span], tokens: TokenCounter
) -> tuple[Passage, ...]:
    """The passages cut where an excluded span lies inside one, so that no passage holds its characters.

    A heading at a page's foot joins the text after the page's furniture; the
    furniture then sits inside that passage's range. The pieces keep their
    section and are renumbered.
    """
    out: list[Passage] = []
    for p in passages:
        inside = [x for x in spans if p.start < x.start and x.end < p.end]
        if not inside:
            out.append(dataclasses.replace(p, index=len(out)))
            continue
        bounds = [p.start] + [c for x in inside for c in (x.start, x.end)] + [p.end]
        pieces = [trim(view, bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
        kept = [piece for piece in pieces if piece is not None]
        counts = tokens.count_tokens([view[a:b] for a, b in kept])
        for (a, b), n in zip(kept, counts, strict=True):
            out.append(Passage(len(out), p.section, a, b, view[a:b], n, p.split))  # n: specials included
    return tuple(out)


def _excluded_spans(text: str, exclude: Sequence[tuple[int, int]]) -> tuple[Span, ...]:
    """The exclusions as trimmed, sorted, non-overlapping spans of ``text``.

    Raises:
        InputError: A span outside the text or with its end before its start.
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(exclude):
        if not 0 <= start <= end <= len(text):
            raise InputError(f"Excluded span ({start}, {end}) lies outside the {len(text)}-character text.")
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    spans: list[Span] = []
    for start, end in merged:
        trimmed = trim(text, start, end)
        if trimmed is not None:
            a, b = trimmed
            spans.append(Span(len(spans), a, b, text[a:b]))
    return tuple(spans)
