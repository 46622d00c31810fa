"""Scores from bge-m3's lexical weights and multi-vectors (see :mod:`summary_coverage.encode.m3`).

The formulas are FlagEmbedding's (``BGEM3FlagModel.compute_lexical_matching_score``
and ``colbert_score``), computed for a whole passages x sentences matrix at
once with bounded memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

_CELLS = 1 << 24
"""Most query-token x passage-token products held at once by :func:`multivector_scores` (64 MB)."""


def lexical_scores(rows: Sequence[dict[int, float]], cols: Sequence[dict[int, float]]) -> np.ndarray:
    """bge-m3 lexical matching scores, shape (len(rows), len(cols)).

    Cell ``(i, j)`` is ``sum(rows[i][t] * cols[j][t])`` over the token ids
    ``t`` in both, as FlagEmbedding's ``compute_lexical_matching_score``.
    Computed as a product of two sparse matrices over the ids that occur.
    """
    out = np.zeros((len(rows), len(cols)), dtype=np.float64)
    if not rows or not cols:
        return out
    from scipy import sparse

    vocab: dict[int, int] = {}
    for d in (*rows, *cols):
        for t in d:
            vocab.setdefault(t, len(vocab))
    if not vocab:
        return out

    def matrix(items: Sequence[dict[int, float]]) -> Any:
        indptr = np.cumsum([0] + [len(d) for d in items])
        indices = np.fromiter((vocab[t] for d in items for t in d), dtype=np.int64, count=int(indptr[-1]))
        data = np.fromiter((w for d in items for w in d.values()), dtype=np.float64, count=int(indptr[-1]))
        return sparse.csr_matrix((data, indices, indptr), shape=(len(items), len(vocab)))

    return np.asarray((matrix(rows) @ matrix(cols).T).toarray(), dtype=np.float64)


def lexical_share(passages: Sequence[dict[int, float]], sentences: Sequence[dict[int, float]]) -> np.ndarray:
    """The bge-m3 lexical channel, shape (passages, sentences), in [0, 1].

    A sentence's lexical score against a passage, divided by the sentence's
    score against itself (the sum of its squared weights), clipped to
    [0, 1]: 1.0 means the passage carries every weighted token of the
    sentence at least as strongly; 0 means no token in common. It plays the
    role of the term-overlap share of :mod:`summary_coverage.score.lexical`.
    """
    raw = lexical_scores(passages, sentences)
    self_score = np.array([sum(w * w for w in d.values()) for d in sentences], dtype=np.float64)
    out = np.zeros_like(raw)
    np.divide(raw, self_score[None, :], out=out, where=self_score[None, :] > 0)
    return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)


def multivector_scores(queries: Sequence[np.ndarray], passages: Sequence[np.ndarray]) -> np.ndarray:
    """ColBERT scores, shape (passages, queries): each query's mean best match within each passage.

    Cell ``(p, q)`` is the mean, over the rows of ``queries[q]``, of the
    largest dot product with a row of ``passages[p]``: FlagEmbedding's
    ``colbert_score(q_reps, p_reps)``. In [-1, 1] for normalised vectors;
    0 where either side has no vectors. At most :data:`_CELLS` products are
    held at once, whatever the lengths.
    """
    out = np.zeros((len(passages), len(queries)), dtype=np.float64)
    q_live = [i for i, q in enumerate(queries) if len(q)]
    p_live = [i for i, p in enumerate(passages) if len(p)]
    if not q_live or not p_live:
        return out
    for q_group in _groups([len(queries[i]) for i in q_live], _CELLS // 8192):
        qs = [q_live[k] for k in q_group]
        q_mat = np.vstack([queries[i] for i in qs]).astype(np.float32, copy=False)
        q_starts = np.cumsum([0] + [len(queries[i]) for i in qs])[:-1]
        q_counts = np.array([len(queries[i]) for i in qs], dtype=np.float64)
        width = max(1, _CELLS // len(q_mat))
        for p_group in _groups([len(passages[i]) for i in p_live], width):
            ps = [p_live[k] for k in p_group]
            p_mat = np.vstack([passages[i] for i in ps]).astype(np.float32, copy=False)
            p_starts = np.cumsum([0] + [len(passages[i]) for i in ps])[:-1]
            best = np.maximum.reduceat(q_mat @ p_mat.T, p_starts, axis=1)  # (query tokens, passages)
            mean = np.add.reduceat(best.astype(np.float64), q_starts, axis=0) / q_counts[:, None]
            out[np.ix_(ps, qs)] = mean.T
    return out


def _groups(sizes: Sequence[int], budget: int) -> list[list[int]]:
    """Consecutive index groups whose sizes sum to at most ``budget`` (an oversized item goes alone)."""
    groups: list[list[int]] = []
    cur: list[int] = []
    total = 0
    for i, n in enumerate(sizes):
        if cur and total + n > budget:
            groups.append(cur)
            cur, total = [], 0
        cur.append(i)
        total += n
    if cur:
        groups.append(cur)
    return groups
