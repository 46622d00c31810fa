"""Check the facts of each summary sentence against the part of the document it talks about.

:mod:`.quantities` reads numbers, dates, amounts, durations and percentages and
compares two facts. This module decides *which* document facts a summary fact
must be compared with, which is the hard part in a long contract: "due within
thirty days … on 60 days' notice" mentions two durations, and the contract
states dozens.

The method works at clause level:

1. The evidence of a summary sentence is its ``top_k`` best passages by the
   hybrid (dense + lexical) support score.
2. Those passages are cut into *units*: sentences, and sentences further cut
   at semicolons (legal lists put one provision per ``;``-clause).
3. The summary sentence is cut into *clauses* at commas, semicolons, colons,
   brackets and the conjunctions "and", "but", "while", "whereas" (``，；：、``
   and 并/且/但 for Chinese). A clause with fewer than two content terms (the
   "10% or 15%" in "5%, 10% or 15%") joins the clause before it.
4. Each fact's clause is aligned with the units: the IDF-weighted share of the
   clause's content terms (numbers left out) that a unit contains. The units
   scoring at least ``ALIGN_TOLERANCE`` of the best are the *aligned* units.
5. The fact agrees when an aligned unit states an equal fact. It is
   ``"contradicted"`` when an aligned unit states a fact of the same kind and a
   compatible unit with another value, and no evidence passage anywhere states
   an equal one (a fact restated in a neighbouring clause is not a
   contradiction). Otherwise, when no evidence passage states an equal fact,
   it is ``"absent"``.

Places (:mod:`.places`: the law that governs, the seat of an arbitration,
where a party sits) are facts too, aligned differently: by the words around
each document place rather than its whole sentence, over every passage that
names a place, since the clause naming the *other* place may be far from the
best evidence (see :func:`_judge_place`).

A contradicted fact lowers its sentence's support through the verifier's
``contradicted`` signal, and the flag says what the document states instead;
an absent fact weighs less (``fact_absent``), because summaries round and
paraphrase.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..score.lexical import terms
from ..segment.pieces import DocumentSegmentation, SummarySegmentation
from ..segment.sentences import split_sentences
from .places import find_places, place_within
from .quantities import Fact, Mismatch, agrees, conflicts, extract_facts

__all__ = ["ALIGN_TOLERANCE", "TOP_K", "find_mismatches"]

TOP_K = 8
"""Evidence passages per summary sentence whose facts are compared."""

NEIGHBOURS = 2
"""Passages on each side of an evidence passage, in the same section, that join the evidence
(a clause and the list items after it are often separate passages)."""

ALIGN_TOLERANCE = 0.85
"""An equal evidence fact wins when its unit aligns at least this well relative to the best rival's."""

PRIOR_WEIGHT = 0.5
"""Weight of the passage's support for the whole sentence, added to a unit's clause alignment."""

MIN_SHARE = 0.2
"""A differing fact can contradict only when its unit shares at least this IDF-weighted share of
the clause's words (an equal fact needs any shared word), or ..."""

LEAD_PRIOR = 0.9
"""... when its passage's support for the sentence is at least this share of the best passage's."""

_CLAUSE_CUT = re.compile(
    r"[,;:()\[\]，；：、（）]|\s(?:and|but|while|whereas)\s|(?<=[\u3400-\u9fff])(?:并且|并|且|但)",
    re.IGNORECASE,
)
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_UNIT_CUT = re.compile(r"[;；]")
_MIN_CLAUSE_TERMS = 2


@dataclass(frozen=True, slots=True)
class _Unit:
    passage: int
    start: int
    end: int
    terms: frozenset[str]
    facts: tuple[Fact, ...]


def _words(text: str, start: int, end: int, facts: Sequence[Fact]) -> frozenset[str]:
    """Content terms of ``text[start:end]`` with the facts' own words ("sixty days") blanked out."""
    chars = list(text[start:end])
    for f in facts:
        for k in range(max(f.start, start), min(f.end, end)):
            chars[k - start] = " "
    return _content_terms("".join(chars))


def _content_terms(text: str) -> frozenset[str]:
    """The lexical channel's terms without numbers, plus single CJK characters.

    Chinese paraphrase keeps characters more often than character pairs
    ("可用率" / "可用性", "月费" / "当月服务费").
    """
    return frozenset(t for t in terms(text) if not t[0].isdigit()) | frozenset(_CJK_CHAR.findall(text))


def _weight(words: frozenset[str]) -> float:
    """How much a clause says: one per word, a half per CJK character pair (single characters: nothing)."""
    return sum((0.5 if len(w) > 1 else 0.0) if "\u3400" <= w[0] <= "\u9fff" else 1.0 for w in words)


def _clauses(text: str, start: int, end: int, facts: Sequence[Fact]) -> list[tuple[int, int]]:
    """Clause spans of ``text[start:end]``.

    A cut right before a fact is skipped, so a list of values ("5%, 10% or
    15% of the fee") stays one clause; a clause with fewer than two content
    terms joins the one before it (or the first, the one after it).
    """
    fact_starts = {f.start for f in facts}
    cuts = [start]
    for m in _CLAUSE_CUT.finditer(text, start, end):
        nxt = m.end()
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt not in fact_starts:
            cuts.append(m.end())
    cuts.append(end)
    out: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b <= a:
            continue
        if out and _weight(_words(text, a, b, facts)) < _MIN_CLAUSE_TERMS:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    if len(out) > 1 and _weight(_words(text, *out[0], facts)) < _MIN_CLAUSE_TERMS:
        out[:2] = [(out[0][0], out[1][1])]
    return out


def _units(seg: DocumentSegmentation, passage: int, facts: Sequence[Fact]) -> list[_Unit]:
    p = seg.passages[passage]
    out = []
    for s in split_sentences(seg.text, p.start, p.end):
        cuts = [s.start] + [m.end() for m in _UNIT_CUT.finditer(seg.text, s.start, s.end)] + [s.end]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b > a:
                inside = tuple(f for f in facts if a <= f.start and f.end <= b)
                words = _words(seg.text, a, b, inside) | {_fact_term(f) for f in inside}
                out.append(_Unit(passage, a, b, words, inside))
    return out


@dataclass(frozen=True, slots=True)
class _Idf:
    """BM25's smoothed IDF over the passages; a term no passage has gets the highest weight."""

    weights: dict[str, float]
    unseen: float

    @classmethod
    def over(cls, term_sets: Sequence[frozenset[str]]) -> _Idf:
        n = len(term_sets)
        df: dict[str, int] = {}
        for ts in term_sets:
            for t in ts:
                df[t] = df.get(t, 0) + 1
        weights = {t: math.log1p((n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        return cls(weights, math.log1p((n + 0.5) / 0.5))

    def total(self, ts: frozenset[str]) -> float:
        return sum(self.weights.get(t, self.unseen) for t in ts)


def _fact_term(fact: Fact) -> str:
    return f"#{fact.kind}:{fact.value}"


def _facts(text: str, start: int = 0, end: int | None = None) -> tuple[Fact, ...]:
    """The numbers of ``text[start:end]`` (:func:`.extract_facts`) and its places
    (:mod:`.places`), in order."""
    numbers = extract_facts(text, start, end)
    stop = len(text) if end is None else end
    local = text[start:stop]
    taken = bytearray(len(local))
    for f in numbers:
        taken[f.start - start : f.end - start] = b"\x01" * (f.end - f.start)
    places = [
        Fact("place", p.value, p.start + start, p.end + start, p.text)
        for p in find_places(local)
        if taken.find(1, p.start, p.end) == -1
    ]
    if not places:
        return numbers
    return tuple(sorted((*numbers, *places), key=lambda f: f.start))


def _passage_of(starts: np.ndarray, offset: int) -> int:
    return max(int(np.searchsorted(starts, offset, side="right")) - 1, 0)


def _contradiction(sentence: int, fact: Fact, e: Fact, starts: np.ndarray) -> Mismatch:
    """``fact`` of summary sentence ``sentence``, contradicted by document fact ``e``."""
    return Mismatch(
        sentence, fact.kind, "contradicted", fact.start, fact.end, fact.text, fact.value,
        _passage_of(starts, e.start), e.start, e.end, e.text, e.value,
    )  # fmt: skip


def _evidence(seg: DocumentSegmentation, scores: np.ndarray, top_k: int) -> list[int]:
    """The ``top_k`` best passages, each with up to NEIGHBOURS neighbours on each side in its section."""
    out: dict[int, None] = {}
    for i in np.argsort(-scores, kind="stable")[:top_k].tolist():
        for j in range(i - NEIGHBOURS, i + NEIGHBOURS + 1):
            if 0 <= j < len(seg.passages) and seg.passages[j].section == seg.passages[i].section:
                out.setdefault(j)
    return list(out)


def _holding(by_passage: dict[int, list[Fact]], facts: Sequence[Fact]) -> list[int]:
    """Passages that state a value equal to one of ``facts``: numbers retrieve their own source."""
    return [i for i, found in sorted(by_passage.items()) if any(agrees(f, e) for f in facts for e in found)]


def _naming_places(by_passage: dict[int, list[Fact]]) -> list[int]:
    """Every passage that names a place. A summary place is compared with all of them: the clause
    that names the *other* place (the governing-law clause of a contract) may be far from the best
    evidence."""
    return [i for i, found in sorted(by_passage.items()) if any(e.kind == "place" for e in found)]


def _named_nowhere(place: Fact, named: set[str], document: str) -> bool:
    """Whether the document names neither ``place`` nor a place inside it, in any language, and
    never writes its words either (not even inside a longer name: "Shanghai" in "Shanghai Pudong
    Development Bank" is a name the names check reads, not an absent place)."""
    if any(place_within(v, place.value) for v in named):
        return False
    return place.text.casefold() not in _casefolded(document)


@lru_cache(maxsize=8)
def _casefolded(text: str) -> str:
    return text.casefold()


def find_mismatches(
    seg: DocumentSegmentation,
    summ: SummarySegmentation,
    support: np.ndarray,
    top_k: int = TOP_K,
) -> tuple[Mismatch, ...]:
    """Flag the summary facts that their evidence contradicts or does not state.

    Args:
        seg: The segmented document.
        summ: The segmented summary.
        support: Raw support scores, shape ``(passages, sentences)``; each
            sentence's evidence is its ``top_k`` highest-scoring passages and
            their neighbours.
        top_k: Evidence passages per sentence.

    Returns:
        One :class:`.facts.Mismatch` per flagged summary fact, in summary
        order; offsets are summary and document offsets.
    """
    if not seg.passages or not summ.sentences:
        return ()
    stated = {s.index: _facts(summ.text, s.start, s.end) for s in summ.sentences}
    if not any(stated.values()):
        return ()  # nothing to check: skip reading the document's facts
    by_passage: dict[int, list[Fact]] = {}
    starts = np.array([p.start for p in seg.passages])
    for f in _facts(seg.text):
        by_passage.setdefault(_passage_of(starts, f.start), []).append(f)
    named = {f.value for found in by_passage.values() for f in found if f.kind == "place"}
    naming = _naming_places(by_passage)
    units_of: dict[int, list[_Unit]] = {}  # filled as evidence pools reach a passage

    def units_in(i: int) -> list[_Unit]:
        if i not in units_of:
            units_of[i] = _units(seg, i, by_passage[i]) if i in by_passage else []
        return units_of[i]

    idf = _Idf.over(
        [
            _words(seg.text, p.start, p.end, by_passage.get(p.index, ()))
            | {_fact_term(f) for f in by_passage.get(p.index, ())}
            for p in seg.passages
        ]
    )
    out: list[Mismatch] = []
    for s in summ.sentences:
        facts = stated[s.index]
        if not facts:
            continue
        pool = _evidence(seg, support[:, s.index], top_k)
        pool += [i for i in _holding(by_passage, facts) if i not in pool]
        if any(f.kind == "place" for f in facts):
            pool += [i for i in naming if i not in pool]
        top = max(float(support[i, s.index]) for i in pool)
        units = [(u, float(support[i, s.index]) / top if top > 0 else 0.0) for i in pool for u in units_in(i)]
        for a, b in _clauses(summ.text, s.start, s.end, facts):
            in_clause = [f for f in facts if a <= f.start < b]
            words = _words(summ.text, a, b, in_clause)
            values = frozenset(_fact_term(g) for g in in_clause)
            for f in in_clause:
                if f.kind == "place" and _named_nowhere(f, named, seg.text):
                    out.append(Mismatch(s.index, f.kind, "absent", f.start, f.end, f.text, f.value))
                    continue
                judge = _judge_place if f.kind == "place" else _judge
                out.extend(judge(s.index, f, words, values, units, idf, (summ.text, seg.text), starts))
    return tuple(out)


PLACE_BEFORE = 160
"""Characters before a document place (within its unit) that say what the place is for:
"governed by and construed in accordance with the laws of the State of"."""

PLACE_AFTER = 80
"""Characters after it ("New York, as the place of arbitration")."""


def _judge_place(
    sentence: int,
    fact: Fact,
    words: frozenset[str],
    values: frozenset[str],
    units: Sequence[tuple[_Unit, float]],
    idf: _Idf,
    texts: tuple[str, str],
    starts: np.ndarray,
) -> list[Mismatch]:
    """Compare a summary place with the places of the evidence that fill the same role.

    A sentence names a place for a reason (the law that governs, the courts,
    a party's seat), and a contract names many places for many reasons, so a
    document place is aligned by the words *around it* (``PLACE_BEFORE`` and
    ``PLACE_AFTER`` characters, inside its unit), not by its whole sentence:
    "organized under the laws of Delaware" shares "laws" with "governed by the
    laws of Delaware", but not "governed". Its alignment is the IDF-weighted
    share of the clause's words found there plus ``PRIOR_WEIGHT`` times its
    passage's support for the sentence; it must share at least ``MIN_SHARE``.

    The place is ``"contradicted"`` when the best-aligned document place
    conflicts with it (another place, neither inside the other) and no
    agreeing place (the same, or one inside it) aligns within
    ``ALIGN_TOLERANCE`` of it. A document place that contains the summary's
    ("the laws of the State of Florida in the United States of America"
    against "Delaware") neither confirms nor contradicts it. A place the document
    names nowhere is ``"absent"`` (decided by the caller, before alignment):
    the canonical values cross languages ("Shanghai" is 上海), so this holds
    where a word count cannot. A place the document names elsewhere but the
    evidence does not is not reported: the evidence merely omitting it says
    little.
    """
    summary_text, document_text = texts
    total = idf.total(words)
    if total <= 0:
        return []
    agree = rival = -1.0
    rival_fact: Fact | None = None
    for unit, prior in units:
        for e in unit.facts:
            if e.kind != "place":
                continue
            a, b = max(unit.start, e.start - PLACE_BEFORE), min(unit.end, e.end + PLACE_AFTER)
            shared = idf.total(words & _words(document_text, a, b, unit.facts))
            if shared < MIN_SHARE * total:
                continue
            score = shared / total + PRIOR_WEIGHT * prior
            if place_within(e.value, fact.value):
                agree = max(agree, score)
            elif agrees(fact, e):
                continue  # wider than the summary's place: "Delaware" is not confirmed by "the United States"
            elif score > rival and conflicts(fact, summary_text, e, document_text):
                rival, rival_fact = score, e
    if rival_fact is None or agree >= ALIGN_TOLERANCE * rival:
        return []
    return [_contradiction(sentence, fact, rival_fact, starts)]


def _judge(
    sentence: int,
    fact: Fact,
    words: frozenset[str],
    values: frozenset[str],
    units: Sequence[tuple[_Unit, float]],
    idf: _Idf,
    texts: tuple[str, str],
    starts: np.ndarray,
) -> list[Mismatch]:
    """Compare one summary fact with the evidence facts it most plausibly talks about.

    A unit takes part when it shares at least ``MIN_SHARE`` of the clause's
    words (IDF-weighted). Its alignment is its share of the clause's words and
    values, plus ``PRIOR_WEIGHT`` times its passage's support for the sentence.
    """
    summary_text, document_text = texts
    query = words | values
    word_total, total = idf.total(words), idf.total(query)
    agree = rival = -1.0
    stated = False
    rival_fact: Fact | None = None
    for unit, prior in units:
        shared = idf.total(words & unit.terms)
        lead = prior >= LEAD_PRIOR
        score = idf.total(query & unit.terms) / total + PRIOR_WEIGHT * prior if total > 0 else prior
        for e in unit.facts:
            if agrees(fact, e):
                stated = True
                if lead or shared > 0:
                    agree = max(agree, score)
            elif (
                (lead or shared >= MIN_SHARE * word_total > 0)
                and score > rival
                and conflicts(fact, summary_text, e, document_text)
            ):
                rival, rival_fact = score, e
    if agree >= 0 and agree >= ALIGN_TOLERANCE * rival:
        return []
    if rival_fact is None:
        if stated:
            return []
        return [Mismatch(sentence, fact.kind, "absent", fact.start, fact.end, fact.text, fact.value)]
    return [_contradiction(sentence, fact, rival_fact, starts)]
