"""Small, dependency-free metrics for the benchmarks."""

from __future__ import annotations

from collections.abc import Sequence


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (probability a positive outscores a negative; ties count half)."""
    pairs = sorted(zip(scores, labels, strict=True))
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # average 1-based rank of the tie group
        rank_sum += mid * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def balanced_accuracy(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> float:
    """Mean of the true-positive and true-negative rates for ``score >= threshold``."""
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if y and s >= threshold)
    tn = sum(1 for s, y in zip(scores, labels, strict=True) if not y and s < threshold)
    pos = sum(labels)
    neg = len(labels) - pos
    return 0.5 * (tp / pos if pos else 0.0) + 0.5 * (tn / neg if neg else 0.0)


def best_threshold(
    scores: Sequence[float], labels: Sequence[bool], grid_step: float = 0.05
) -> tuple[float, float]:
    """The threshold on a ``grid_step`` grid that maximises balanced accuracy, and that accuracy."""
    grid = [round(i * grid_step, 4) for i in range(int(round(1 / grid_step)) + 1)]
    best = max(grid, key=lambda t: (balanced_accuracy(scores, labels, t), -abs(t - 0.5)))
    return best, balanced_accuracy(scores, labels, best)
