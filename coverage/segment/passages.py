"""Passages, the scored units: paragraphs that fit the model's sequence length, split but never truncated."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InputError
from .lines import trim
from .pieces import Passage, Span
from .sentences import split_sentences
from .tokens import TokenCounter


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
            trimmed = trim(segment, cut, stop)
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
