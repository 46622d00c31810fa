"""Pure scoring: similarity signals in, per-passage and per-sentence scores out.

A *signal* is a matrix of shape (passages, summary sentences) with values in
[0, 1], where higher means "this passage and this sentence say the same
thing". :func:`fuse` combines signals log-linearly into one matrix, so
further signals (lexical overlap, calibration, a numbers check) slot in
without changing anything downstream. The default signals are:

* ``dense``: cosine of the normalised embeddings, clipped at 0.
* ``specificity``: the dense value divided by the best dense value that
  summary sentence reaches anywhere in the document. 1.0 means "this is the
  sentence's best evidence"; 0.6 means the passage only echoes a sentence
  whose real subject lies elsewhere. Sentence encoders rate any two clauses
  of the same contract as fairly similar, and this signal removes that
  background: on the legal evaluation set it lifts section-coverage AUROC
  from 0.79 (dense alone) to 0.85 (README, "Quality").

With the default weights the fused score is ``dense * specificity**2``.
A sentence's best passage has specificity 1, so support is the plain dense
similarity of its best evidence.

Definitions (the report's fields follow them):

* **coverage score** of a passage: its highest fused similarity to any summary
  sentence. The passage is *covered* when that is at least the coverage
  threshold.
* **support** of a summary sentence: its highest fused similarity to any
  passage; *supported* when at least the support threshold.
* **section coverage**: the token-weighted share of the section's passages
  that are covered (0.7 = passages holding 70% of its tokens are covered).
  **section score**: the token-weighted mean coverage score of its passages.
* **document coverage**: the token-weighted share of all passages that are
  covered. **document support**: the share of summary sentences supported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Signal:
    """One similarity signal between passages (rows) and summary sentences (columns).

    Attributes:
        name: Short name shown in the report, e.g. ``"dense"``.
        values: Array of shape (passages, sentences), values in [0, 1].
    """

    name: str
    values: np.ndarray


def dense_signal(passage_vectors: np.ndarray, sentence_vectors: np.ndarray) -> Signal:
    """Cosine similarity of L2-normalised embeddings, clipped to [0, 1].

    Negative cosines (rare with sentence encoders) carry no "same content"
    evidence, so they become 0.
    """
    if passage_vectors.shape[0] == 0 or sentence_vectors.shape[0] == 0:
        values = np.zeros((passage_vectors.shape[0], sentence_vectors.shape[0]), dtype=np.float32)
    else:
        values = np.clip(passage_vectors @ sentence_vectors.T, 0.0, 1.0).astype(np.float32)
    return Signal("dense", values)


def specificity_signal(dense: Signal) -> Signal:
    """Each dense value relative to its column's maximum (the sentence's best evidence).

    Columns whose maximum is 0 stay 0.
    """
    values = dense.values.astype(np.float64)
    if values.size == 0:
        return Signal("specificity", values)
    best = values.max(axis=0, keepdims=True)
    rel = np.divide(values, best, out=np.zeros_like(values), where=best > 0)
    return Signal("specificity", np.clip(rel, 0.0, 1.0))


DEFAULT_WEIGHTS: dict[str, float] = {"dense": 1.0, "specificity": 2.0}
"""Exponents of the log-linear fusion; measured on legal_plain_english (README, "Quality")."""


def fuse(signals: Sequence[Signal], weights: Mapping[str, float] | None = None) -> np.ndarray:
    """Combine signals log-linearly: the product of each signal raised to its weight.

    ``fuse([dense, specificity], {"dense": 1, "specificity": 2})`` is
    ``dense * specificity**2``. A signal missing from ``weights`` gets
    weight 1; weight 0 ignores a signal. Values stay in [0, 1], and a zero in
    any signal with a positive weight gives zero.

    Raises:
        ValueError: No signals, mismatched shapes, or a negative weight.
    """
    if not signals:
        raise ValueError("fuse needs at least one signal.")
    shape = signals[0].values.shape
    if any(s.values.shape != shape for s in signals):
        raise ValueError("all signals must have the same shape.")
    fused = np.ones(shape, dtype=np.float64)
    for sig in signals:
        w = float((weights or {}).get(sig.name, 1.0))
        if w < 0:
            raise ValueError(f"signal weights must not be negative, got {sig.name}={w}.")
        if w:
            fused *= np.clip(sig.values.astype(np.float64), 0.0, 1.0) ** w
    return np.clip(fused, 0.0, 1.0)


@dataclass(frozen=True, slots=True)
class BestMatches:
    """Row-wise and column-wise best matches of a fused matrix.

    Attributes:
        passage_score: Best score of each passage (0 when the summary is empty).
        passage_best: Column of that best score, -1 when the summary is empty.
        sentence_support: Best score of each summary sentence.
        sentence_best: Row of that best score, -1 when there are no passages.
    """

    passage_score: np.ndarray
    passage_best: np.ndarray
    sentence_support: np.ndarray
    sentence_best: np.ndarray


def best_matches(matrix: np.ndarray) -> BestMatches:
    """Find each passage's best sentence and each sentence's best passage.

    Ties go to the lowest index, so results are deterministic.
    """
    n_pass, n_sent = matrix.shape
    if n_sent == 0:
        p_score, p_best = np.zeros(n_pass), np.full(n_pass, -1, dtype=np.int64)
    else:
        p_best = matrix.argmax(axis=1).astype(np.int64)
        p_score = matrix[np.arange(n_pass), p_best].astype(np.float64)
    if n_pass == 0:
        s_score, s_best = np.zeros(n_sent), np.full(n_sent, -1, dtype=np.int64)
    else:
        s_best = matrix.argmax(axis=0).astype(np.int64)
        s_score = matrix[s_best, np.arange(n_sent)].astype(np.float64)
    return BestMatches(p_score, p_best, s_score, s_best)


def weighted_share(weights: np.ndarray, flags: np.ndarray) -> float:
    """Share of the total weight whose flag is set; 0.0 when the total is 0."""
    total = float(weights.sum())
    return float(weights[flags].sum()) / total if total > 0 else 0.0


def weighted_mean(weights: np.ndarray, values: np.ndarray) -> float:
    """Weighted mean of values; 0.0 when the total weight is 0."""
    total = float(weights.sum())
    return float((weights * values).sum()) / total if total > 0 else 0.0


def section_matrix(matrix: np.ndarray, passage_sections: np.ndarray, n_sections: int) -> np.ndarray:
    """Best score per (section, summary sentence): max over the section's passages.

    Sections without passages get a row of zeros.
    """
    out = np.zeros((n_sections, matrix.shape[1]), dtype=np.float64)
    for sec in range(n_sections):
        rows = matrix[passage_sections == sec]
        if rows.size:
            out[sec] = rows.max(axis=0)
    return out


def uncovered_importance(score: float, tokens: int, threshold: float) -> float:
    """How much an uncovered passage matters; higher is listed first.

    Rule: ``(threshold - score) / threshold * log(1 + tokens)``, i.e. how far
    below the threshold it falls (how clearly the summary misses it), times
    the log of its length (longer passages carry more unreported content,
    with diminishing returns so one huge passage does not bury the rest).
    The report lists passages of wholly uncovered sections before the others,
    because a section the summary skips entirely is the clearest omission.
    """
    gap = (threshold - score) / threshold if threshold > 0 else 0.0
    return max(gap, 0.0) * math.log1p(max(tokens, 0))
