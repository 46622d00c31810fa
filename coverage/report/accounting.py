"""Account for every character of a document: scored in a passage, or skipped with its reason.

:func:`account` counts the document's non-whitespace characters that fall
in a passage, in each kind of skipped text, and in neither (which must be
none: a character in no passage and not reported as skipped would be text
lost silently).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .results import Accounting

__all__ = ["FURNITURE", "account"]

FURNITURE = "header/footer lines"
"""What skipped page furniture is called in the accounting line."""


def account(
    text: str, scored: Sequence[tuple[int, int]], skipped: Sequence[tuple[str, int, int]]
) -> Accounting:
    """Where ``text``'s characters went.

    Args:
        text: The document text the offsets index.
        scored: ``(start, end)`` of every scored passage.
        skipped: ``(what, start, end)`` of every skipped span (``what`` names
            its kind, e.g. :data:`FURNITURE`); one span counts as one item.

    A character in both a passage and a skipped span counts as scored (and
    the skipped span's count keeps only its characters outside passages).
    """
    if not text:
        return Accounting(0, 0, tuple((w, 0, 0) for w in dict.fromkeys(k for k, _, _ in skipped)))
    filled = np.fromiter((not c.isspace() for c in text), dtype=bool, count=len(text))
    state = np.zeros(len(text), dtype=np.int8)  # 0: nowhere, 1: scored, 2: skipped
    for a, b in scored:
        state[a:b] = 1
    counts: dict[str, list[int]] = {}
    for what, a, b in skipped:
        span = state[a:b]
        chars = int((filled[a:b] & (span == 0)).sum())
        span[span == 0] = 2
        entry = counts.setdefault(what, [0, 0])
        entry[0] += 1
        entry[1] += chars
    return Accounting(
        int(filled.sum()),
        int((filled & (state == 1)).sum()),
        tuple((what, n, c) for what, (n, c) in counts.items()),
    )
