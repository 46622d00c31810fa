"""Evidence windows for the judge: whole sentences of the best passages, cut to the judge's input size.

The judge reads at most :data:`WINDOW_TOKENS` tokens of evidence at a time.
A passage is cut at sentence ends into windows that fit; a sentence longer
than a window is cut at word boundaries into pieces that do. Nothing is
truncated: every character of a candidate passage is in one of its windows.

For a summary sentence the candidates are the windows of its
:data:`TOP_PASSAGES` best passages (by the checker's hybrid score, found
across the whole document); the :data:`MAX_WINDOWS` of them that share the
most IDF-weighted terms with the sentence are judged, the best passage's
best window always among them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..score.lexical import terms
from ..segment.sentences import split_sentences

__all__ = ["MAX_WINDOWS", "TOP_PASSAGES", "WINDOW_TOKENS", "Window", "choose_windows", "passage_windows"]

WINDOW_TOKENS = 150
"""Most evidence tokens in one window (the claim gets the rest of the judge's 256)."""
TOP_PASSAGES = 3
"""Best passages of a sentence whose windows are candidates."""
MAX_WINDOWS = 3
"""Windows judged per sentence."""


@dataclass(frozen=True, slots=True)
class Window:
    """A piece of one passage: its document offsets, and its text (``document[start:end]``, or what
    the judge reads of it: ligatures folded, line-end hyphens joined)."""

    passage: int
    start: int
    end: int
    text: str


def _word_cuts(
    text: str, start: int, end: int, budget: int, count: Callable[[list[str]], list[int]]
) -> list[tuple[int, int]]:
    """Cut one over-long sentence at word boundaries into pieces of at most ``budget`` tokens."""
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    sizes = count([text[a:b] for a, b in words])
    out: list[tuple[int, int]] = []
    a0, used = words[0][0], 0
    last = a0
    for (a, b), n in zip(words, sizes, strict=True):
        if used and used + n > budget:
            out.append((a0, last))
            a0, used = a, 0
        used += n
        last = b
    out.append((a0, last))
    return out


def passage_windows(
    text: str,
    passage: int,
    start: int,
    end: int,
    count: Callable[[list[str]], list[int]],
    budget: int = WINDOW_TOKENS,
) -> list[Window]:
    """The windows of ``text[start:end]``: consecutive whole sentences up to ``budget`` tokens each."""
    spans = [(s.start, s.end) for s in split_sentences(text, start, end)] or [(start, end)]
    sizes = count([text[a:b] for a, b in spans])
    pieces: list[tuple[int, int, int]] = []
    for (a, b), n in zip(spans, sizes, strict=True):
        if n > budget:
            cut = _word_cuts(text, a, b, budget, count)
            pieces += [(x, y, n2) for (x, y), n2 in zip(cut, count([text[x:y] for x, y in cut]), strict=True)]
        else:
            pieces.append((a, b, n))
    out: list[Window] = []
    a0, b0, used = pieces[0][0], pieces[0][1], 0
    for a, b, n in pieces:
        if used and used + n > budget:
            out.append(Window(passage, a0, b0, text[a0:b0]))
            a0, used = a, 0
        used += n
        b0 = b
    out.append(Window(passage, a0, b0, text[a0:b0]))
    return out


def choose_windows(
    sentence: str,
    column: np.ndarray,
    windows_of: Callable[[int], Sequence[Window]],
    idf: Callable[[str], float],
) -> list[Window]:
    """The windows a summary sentence is judged against, best first.

    Args:
        sentence: The summary sentence.
        column: Its hybrid score against every passage.
        windows_of: The windows of a passage (memoised by the caller).
        idf: A term's inverse document frequency in this document.
    """
    if len(column) == 0:
        return []
    best = [int(i) for i in np.argsort(-column, kind="stable")[:TOP_PASSAGES]]
    own = terms(sentence)
    weight = {t: idf(t) for t in own}
    total = sum(weight.values()) or 1.0
    scored: list[tuple[float, int, int, Window]] = []
    for rank, p in enumerate(best):
        for k, w in enumerate(windows_of(p)):
            share = sum(weight[t] for t in own & terms(w.text)) / total
            scored.append((share - 0.05 * rank, rank, k, w))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    chosen = [s[3] for s in scored[:MAX_WINDOWS]]
    top = max((s for s in scored if s[1] == 0), key=lambda s: s[0])[3]
    if top not in chosen:
        chosen[-1] = top
    return chosen
