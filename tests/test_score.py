"""Pure scoring: signals, fusion, best matches, and the report's invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from summary_coverage.score.signals import (
    DEFAULT_WEIGHTS,
    Signal,
    best_matches,
    dense_signal,
    fuse,
    section_matrix,
    specificity_signal,
    uncovered_importance,
    weighted_share,
)


def test_dense_signal_is_clipped_cosine() -> None:
    p = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)
    s = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    sig = dense_signal(p, s)
    assert sig.name == "dense"
    np.testing.assert_allclose(sig.values, [[1.0, 0.6], [0.0, 0.8], [0.0, 0.0]], atol=1e-6)


def test_dense_signal_with_empty_summary_has_zero_columns() -> None:
    sig = dense_signal(np.ones((3, 4), dtype=np.float32), np.zeros((0, 4), dtype=np.float32))
    assert sig.values.shape == (3, 0)


def test_fuse_builds_hybrid_specificity_and_fused() -> None:
    dense = Signal("dense", np.array([[0.8, 0.2], [0.4, 0.6]]))
    lexical = Signal("lexical", np.array([[0.4, 0.0], [0.0, 0.6]]))
    f = fuse(dense, lexical)
    np.testing.assert_allclose(f.hybrid, [[0.6, 0.1], [0.2, 0.6]])
    np.testing.assert_allclose(f.signals["specificity"].values, [[1.0, 1 / 6], [1 / 3, 1.0]])
    np.testing.assert_allclose(f.fused, f.hybrid * f.signals["specificity"].values ** 2)
    plain = fuse(dense, lexical, {"lexical": 0, "specificity": 0})
    np.testing.assert_allclose(plain.fused, dense.values)
    with pytest.raises(ValueError, match="same shape"):
        fuse(dense, Signal("lexical", np.zeros((1, 1))))
    with pytest.raises(ValueError, match="negative"):
        fuse(dense, lexical, {"dense": -1})
    with pytest.raises(ValueError, match="both be 0"):
        fuse(dense, lexical, {"dense": 0, "lexical": 0})


def test_specificity_is_relative_to_each_sentences_best_passage() -> None:
    base = Signal("hybrid", np.array([[0.8, 0.0], [0.4, 0.0], [0.2, 0.0]]))
    rel = specificity_signal(base)
    np.testing.assert_allclose(rel.values, [[1.0, 0.0], [0.5, 0.0], [0.25, 0.0]])
    fused = fuse(Signal("dense", base.values), Signal("lexical", base.values), DEFAULT_WEIGHTS).fused
    # The best passage of each sentence keeps its hybrid value.
    np.testing.assert_allclose(fused.max(axis=0), base.values.max(axis=0))


def test_best_matches_can_pick_columns_from_another_matrix() -> None:
    rows = np.array([[0.9, 0.1], [0.2, 0.3]])
    cols = np.array([[0.1, 0.1], [0.5, 0.9]])
    best = best_matches(rows, cols)
    assert best.passage_best.tolist() == [0, 1] and best.sentence_best.tolist() == [1, 1]


def test_best_matches_ties_go_to_lowest_index() -> None:
    m = np.array([[0.5, 0.5], [0.1, 0.9]])
    best = best_matches(m)
    assert best.passage_best.tolist() == [0, 1]
    assert best.passage_score.tolist() == [0.5, 0.9]
    assert best.sentence_best.tolist() == [0, 1]
    assert best.sentence_support.tolist() == [0.5, 0.9]


def test_best_matches_degenerate_shapes() -> None:
    no_sent = best_matches(np.zeros((3, 0)))
    assert no_sent.passage_best.tolist() == [-1, -1, -1] and no_sent.passage_score.tolist() == [0, 0, 0]
    no_pass = best_matches(np.zeros((0, 2)))
    assert no_pass.sentence_best.tolist() == [-1, -1]


def test_section_matrix_takes_max_per_section() -> None:
    m = np.array([[0.1, 0.7], [0.4, 0.2], [0.9, 0.0]])
    out = section_matrix(m, np.array([0, 0, 2]), 3)
    np.testing.assert_allclose(out, [[0.4, 0.7], [0.0, 0.0], [0.9, 0.0]])


def test_weighted_share_and_importance() -> None:
    assert weighted_share(np.array([10.0, 30.0]), np.array([True, False])) == pytest.approx(0.25)
    assert weighted_share(np.array([]), np.array([], dtype=bool)) == 0.0
    # Further below the threshold, and longer, ranks higher.
    assert uncovered_importance(0.1, 50, 0.5) > uncovered_importance(0.4, 50, 0.5)
    assert uncovered_importance(0.1, 200, 0.5) > uncovered_importance(0.1, 20, 0.5)
    assert uncovered_importance(0.6, 50, 0.5) == 0.0


@settings(max_examples=150, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(0, 5)), elements=st.floats(0, 1)),
)
def test_best_matches_are_row_and_column_maxima(m: np.ndarray) -> None:
    best = best_matches(m)
    if m.shape[1]:
        np.testing.assert_allclose(best.passage_score, m.max(axis=1))
        np.testing.assert_allclose(best.sentence_support, m.max(axis=0))
    assert ((best.passage_score >= 0) & (best.passage_score <= 1)).all()
