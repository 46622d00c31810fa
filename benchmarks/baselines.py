"""Three simple baselines the checker's scores are compared against.

Each baseline scores one :class:`Unit` (a document passage, section or
reference fact for coverage; a summary sentence for support) against the
other side of the pair. Higher means "more covered" / "better supported".

* **unigram F1** (:func:`unigram_f1`): F1 of the lower-cased word-token
  multisets (regex ``\\w+``; every CJK character is its own token), the
  unigram part of ROUGE-1 without stemming. Coverage compares the unit with
  the whole summary; support takes the best F1 of the sentence against any
  single document passage.
* **naive cosine** (:func:`naive_cosine`): cosine between the unit's
  embedding and the embedding of the whole other text, encoded as one
  input (the model truncates it at its ``max_seq_length``; that is part of
  the naive method).
* **best cosine** (:func:`best_cosine`): the highest cosine between the
  unit and any piece of the other text (the summary's sentences for
  coverage, the document's passages for support): the checker's dense
  signal alone, without its lexical signal, fusion and calibration.

A unit made of several sentences (``Unit.texts``) scores the minimum over
its sentences, as a summary is only as faithful as its weakest sentence.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from summary_coverage import Encoder

BASELINES: tuple[str, ...] = ("unigram F1", "naive cosine", "best cosine")
"""Names of the baselines, in the order :func:`baseline_scores` returns them."""

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``; each CJK character is a token.

    Example:
        >>> tokens("Fees: due 30 days; 费用")
        ['fees', 'due', '30', 'days', '费', '用']
    """
    return _TOKEN.findall(text.lower())


def unigram_f1(a: str, b: str) -> float:
    """F1 of the token multisets of ``a`` and ``b`` (0.0 when either has no tokens).

    Example:
        >>> round(unigram_f1("the fee is due", "the fee"), 3)
        0.667
    """
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    overlap = sum((ta & tb).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(tb.values())
    recall = overlap / sum(ta.values())
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True, slots=True)
class Unit:
    """One labelled unit and the texts the baselines compare it with.

    Attributes:
        texts: The unit's text; several sentences when one label covers a
            whole multi-sentence summary (scored as the minimum over them).
        whole: The other side as one text (naive cosine).
        parts: The other side's pieces (best cosine): summary sentences for
            coverage, document passages for support. Empty gives 0.
        lexical: Texts for unigram F1, best over them: ``(summary,)`` for
            coverage, the document passages for support.
    """

    texts: tuple[str, ...]
    whole: str
    parts: tuple[str, ...]
    lexical: tuple[str, ...]


class EmbeddingCache:
    """Embeds each distinct text once with the checker's encoder.

    Args:
        encoder: An encoder returning L2-normalised rows (``checker.encoder``).
        batch_size: Texts per encoder batch.
    """

    def __init__(self, encoder: Encoder, batch_size: int = 32) -> None:
        self._encoder = encoder
        self._batch_size = batch_size
        self._rows: dict[str, int] = {}
        self._blocks: list[np.ndarray] = []
        self._matrix: np.ndarray | None = None

    def add(self, texts: Sequence[str]) -> None:
        """Encode the texts not seen yet, in one batched call."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._rows))
        if not missing:
            return
        print(f"  embedding {len(missing)} texts for the baselines", file=sys.stderr, flush=True)
        vecs = self._encoder.encode(missing, batch_size=self._batch_size)
        start = len(self._rows)
        for i, text in enumerate(missing):
            self._rows[text] = start + i
        self._blocks.append(np.asarray(vecs, dtype=np.float32))
        self._matrix = None

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for ``texts`` (encoding any that are missing), shape ``(len(texts), dim)``."""
        self.add(texts)
        if self._matrix is None:
            self._matrix = np.concatenate(self._blocks) if self._blocks else np.zeros((0, 0), np.float32)
        return self._matrix[[self._rows[t] for t in texts]]


def _min_over(unit: Unit, score: dict[str, float]) -> float:
    return min(score[t] for t in unit.texts)


def unigram_scores(units: Sequence[Unit]) -> list[float]:
    """Unigram-F1 baseline: per text, the best F1 against ``unit.lexical``; min over ``unit.texts``."""
    out = []
    for unit in units:
        per = {t: max((unigram_f1(t, other) for other in unit.lexical), default=0.0) for t in unit.texts}
        out.append(_min_over(unit, per))
    return out


def naive_cosine(units: Sequence[Unit], cache: EmbeddingCache) -> list[float]:
    """Naive-cosine baseline: cosine of each text with ``unit.whole`` as one embedding."""
    cache.add([t for u in units for t in (*u.texts, u.whole)])
    out = []
    for unit in units:
        vecs = cache.vectors([*unit.texts, unit.whole])
        sims = vecs[:-1] @ vecs[-1]
        out.append(float(sims.min()))
    return out


def best_cosine(units: Sequence[Unit], cache: EmbeddingCache) -> list[float]:
    """Best-cosine baseline: highest cosine of each text with any of ``unit.parts``; min over texts."""
    cache.add([t for u in units for t in (*u.texts, *u.parts)])
    out = []
    for unit in units:
        if not unit.parts:
            out.append(0.0)
            continue
        texts = cache.vectors(list(unit.texts))
        parts = cache.vectors(list(unit.parts))
        out.append(float((texts @ parts.T).max(axis=1).min()))
    return out


def baseline_scores(units: Sequence[Unit], cache: EmbeddingCache) -> dict[str, list[float]]:
    """All three baselines' scores for ``units``, keyed by the names in :data:`BASELINES`."""
    return {
        "unigram F1": unigram_scores(units),
        "naive cosine": naive_cosine(units, cache),
        "best cosine": best_cosine(units, cache),
    }
