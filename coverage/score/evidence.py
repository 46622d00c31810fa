"""Evidence, not one passage: what a summary sentence's best passages together do and do not say.

A summary sentence often draws on several passages: a clause and the list
items after it, or two paragraphs it merges. The *evidence* of a sentence is
its ``TOP_K`` best passages by the hybrid support score, each with its
neighbours in the same section. Against that evidence this module measures,
with the lexical channel's terms (Porter stems for spaced scripts, character
bigrams for CJK; :func:`~.lexical.term_spans`):

* ``evidence``: the IDF-weighted share of the sentence's terms that occur
  somewhere in the evidence, in [0, 1] (1.0: every content word is there);
* ``missing``: the highest IDF, normalised to [0, 1] by the IDF of a term the
  document never uses, of a sentence term found in the document but not in
  the evidence. One changed word (a swapped party, an antonym) can be in the
  document and still missing from the clauses the sentence is about;
* ``absent``: the IDF-weighted share of the sentence's terms that occur
  nowhere in the document (names, values, details it never mentions).

IDF comes from the document's passages, smoothed as in BM25, and a term the
document never uses gets the highest IDF, so an invented word weighs most.
The single most unsupported term is kept with its span, so one changed word
can sink a sentence and the report can point at it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .lexical import term_spans

__all__ = ["NEIGHBOURS", "TOP_K", "DocumentTerms", "Evidence", "evidence_passages", "measure"]

TOP_K = 3
"""Best passages per summary sentence that make up its evidence."""

NEIGHBOURS = 1
"""Passages on each side of an evidence passage, in the same section, that join it."""


@dataclass(frozen=True, slots=True)
class DocumentTerms:
    """The lexical terms of every passage of a document, and their document frequencies.

    Attributes:
        passages: The distinct terms of each passage.
        df: In how many passages each term occurs.
    """

    passages: tuple[frozenset[str], ...]
    df: dict[str, int]

    @classmethod
    def build(cls, passage_terms: Sequence[frozenset[str]]) -> DocumentTerms:
        """Index the terms of a document's passages."""
        df: dict[str, int] = {}
        for ts in passage_terms:
            for t in ts:
                df[t] = df.get(t, 0) + 1
        return cls(tuple(passage_terms), df)

    def idf(self, term: str) -> float:
        """BM25-smoothed IDF over the passages, divided by that of an unseen term: in (0, 1]."""
        n = len(self.passages)
        df = self.df.get(term, 0)
        return math.log1p((n - df + 0.5) / (df + 0.5)) / math.log1p((n + 0.5) / 0.5)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a summary sentence's evidence says, term by term.

    Attributes:
        passages: The evidence passages (best first, then neighbours), as indices.
        evidence: IDF-weighted share of the sentence's terms found in the evidence, in [0, 1].
        missing: Normalised IDF of the most specific sentence term that is in
            the document but not in the evidence, in [0, 1]; 0 when none is missing.
        absent: IDF-weighted share of the sentence's terms that the document never uses, in [0, 1].
        worst: ``(start, end)`` in the sentence of its most unsupported term
            (absent from the document first, then missing from the evidence),
            or ``None`` when every term is in the evidence.
        worst_absent: Whether ``worst`` is absent from the whole document.
        terms: Number of distinct content terms in the sentence.
        lone_gap: The IDF of the worst term times the evidence share of all the
            *other* terms, in [0, 1]: high when the evidence says everything the
            sentence says except one specific word (a changed name, value or
            opposite), 0 when nothing is missing.
    """

    passages: tuple[int, ...]
    evidence: float
    missing: float
    absent: float
    worst: tuple[int, int] | None
    worst_absent: bool
    terms: int
    lone_gap: float = 0.0


def evidence_passages(
    column: np.ndarray, sections: Sequence[int], *, top_k: int = TOP_K, neighbours: int = NEIGHBOURS
) -> tuple[int, ...]:
    """The evidence of one sentence: its ``top_k`` best passages by ``column``, plus neighbours.

    Args:
        column: The sentence's support scores against every passage.
        sections: The section index of every passage.
        top_k: How many best passages.
        neighbours: Passages on each side that join, within the same section.
    """
    if len(column) == 0:
        return ()
    k = min(top_k, len(column))
    best = np.argsort(-column, kind="stable")[:k]
    out: list[int] = [int(i) for i in best]
    for i in best:
        for j in range(int(i) - neighbours, int(i) + neighbours + 1):
            if 0 <= j < len(column) and j not in out and sections[j] == sections[int(i)]:
                out.append(j)
    return tuple(out)


def measure(sentence: str, evidence: Sequence[int], doc: DocumentTerms) -> Evidence:
    """Measure one summary sentence against its evidence passages (see the module docstring)."""
    spans = term_spans(sentence)
    first: dict[str, tuple[int, int]] = {}
    for term, a, b in spans:
        first.setdefault(term, (a, b))
    if not first:
        return Evidence(tuple(evidence), 1.0, 0.0, 0.0, None, False, 0, 0.0)
    seen: set[str] = set()
    for i in evidence:
        seen |= doc.passages[i]
    weights = {t: doc.idf(t) for t in first}
    total = sum(weights.values())
    found = sum(w for t, w in weights.items() if t in seen)
    absent_terms = [t for t in first if t not in doc.df]
    missing_terms = [t for t in first if t in doc.df and t not in seen]
    absent = sum(weights[t] for t in absent_terms) / total
    missing = max((weights[t] for t in missing_terms), default=0.0)

    def rank(t: str) -> tuple[float, int, int]:
        a, b = first[t]
        return (weights[t], b - a, -a)

    worst_term = max(absent_terms, key=rank) if absent_terms else None
    if worst_term is None and missing_terms:
        worst_term = max(missing_terms, key=rank)
    lone_gap = 0.0
    if worst_term is not None and total > weights[worst_term]:
        lone_gap = weights[worst_term] * found / (total - weights[worst_term])
    return Evidence(
        passages=tuple(evidence),
        evidence=found / total,
        missing=missing,
        absent=absent,
        worst=None if worst_term is None else first[worst_term],
        worst_absent=bool(absent_terms),
        terms=len(first),
        lone_gap=min(1.0, lone_gap),
    )
