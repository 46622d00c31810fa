"""The verifier: one calibrated probability per summary sentence and per passage, from every signal.

Support. For each summary sentence the checker measures (names as in
``SentenceResult.signals``):

* ``dense_z``: cosine to its best passage, as a z-score against the
  document's own null (the cosines between *different* passages of the same
  document, :func:`null_stats`), so it means the same for any encoder;
* ``lexical``: IDF-weighted share of its terms in its best passage by terms;
* ``evidence``, ``missing``, ``absent``, ``lone_gap``: what its top passages
  and their neighbours together say, and whether all but one specific word
  of it is there (:mod:`.evidence`);
* ``name_absent``: it names a person, company, place or defined term the
  document never mentions; ``name_swap``: the clause it aligns with names
  another person instead (:mod:`..facts.names`), or, in a meeting transcript,
  another speaker's turns say it (:mod:`..facts.speakers`);
* ``role_swap``: its two parties come in the reverse order of the aligned
  clause, one is given the act the clause gives the other (:mod:`..facts.names`),
  or it restates the clause with two parties exchanged (:mod:`..facts.party_exchange`);
  ``negation``, ``modality``, ``antonym``: its polarity, obligation
  strength or wording is the opposite of the aligned clause's
  (:mod:`..facts.polarity`);
* ``contradicted``, ``fact_absent``: the numbers and places check (:mod:`..facts.align`).

A logistic model over these features gives ``P(supported)``; the same kind of
model over two passage features gives ``P(covered)``: ``specificity`` and
``fused_z``, the mean of the dense and lexical z-scores times
``specificity**3`` (the z-score analogue of the ``fused`` score). Both were fitted by
``benchmarks/fit_verifier.py`` on
several human-labelled datasets at once and ship as JSON in
``data/verifier.json`` with their provenance; nothing is fitted per model,
because every feature is either model-free or standardised against the
document's own null. The decision is the probability against the threshold
(0.5 by default), so a score and its decision never disagree.

Each sentence also gets its *flags*: the words that carry no support, with
the reason, ordered by how much each pushed the probability down.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..facts.names import absent_names, find_names
from ..facts.party_exchange import parties_swapped
from ..facts.polarity import compare, negated_everywhere_else
from ..facts.speakers import speaker_swap
from ..settings import DEFAULT_THRESHOLD, Settings
from .evidence import DocumentTerms, Evidence, measure
from .lexical import terms

__all__ = [
    "COVERAGE_FEATURES",
    "CROSSLINGUAL_FEATURES",
    "JUDGED_FEATURES",
    "JUDGE_FEATURES",
    "SUPPORT_FEATURES",
    "Flag",
    "Verifier",
    "default_verifier",
    "null_stats",
    "judge_signals",
    "support_features",
    "support_model",
]

SUPPORT_FEATURES: tuple[str, ...] = (
    "dense_z",
    "lexical",
    "lexical_z",
    "evidence",
    "missing",
    "absent",
    "lone_gap",
    "name_absent",
    "name_swap",
    "role_swap",
    "negation",
    "modality",
    "antonym",
    "contradicted",
    "fact_absent",
)
"""The support model's inputs, in the order of its weights."""

JUDGE_FEATURES: tuple[str, ...] = ("judge_entailed_logit", "judge_contradicted_logit")
"""The support judge's two signals (:mod:`summary_coverage.judge`), as log-odds: the highest
P(entailed) and the highest P(contradicted) over the sentence's evidence windows."""

JUDGED_FEATURES: tuple[str, ...] = SUPPORT_FEATURES + JUDGE_FEATURES
"""The inputs of the support model used when the judge read the sentence."""

CROSSLINGUAL_FEATURES: tuple[str, ...] = ("dense_z", "contradicted", "fact_absent")
"""The inputs of the support model for a sentence in another language than its document: the
meaning (the dense cosine's z-score) and the numbers check, the only signals that cross languages.
Shared words, absent names and the English-only judge say nothing there, and read as evidence
against every such sentence."""

COVERAGE_FEATURES: tuple[str, ...] = ("specificity", "fused_z")
"""The coverage model's inputs, in the order of its weights (``fused_z``: see :func:`coverage_matrix`)."""

REASONS: dict[str, str] = {
    "contradicted": "contradicted",
    "name_absent": "absent",
    "absent": "absent",
    "name_swap": "name swapped",
    "missing": "not in evidence",
    "role_swap": "role swapped",
    "negation": "negated",
    "modality": "modality changed",
    "antonym": "antonym",
    "judge_contradicted_logit": "contradicted by the evidence",
    "judge_entailed_logit": "not supported by the evidence",
    "fact_absent": "absent",
}
"""The flag reason each feature reports."""

SHARED_SIGNALS: dict[str, tuple[str, ...]] = {"absent": ("lone_gap",), "missing": ("lone_gap",)}
"""Other signals a flag also stands for: the most unsupported word is what ``lone_gap`` measures too."""

NULL_SAMPLE = 256
"""Most passages used to estimate the document's null cosine distribution."""

Z_CLIP = 8.0


@dataclass(frozen=True, slots=True)
class Flag:
    """Words of a summary sentence that carry no support, and why.

    Attributes:
        start: Offset in the summary text (not the sentence) of the first character.
        end: Offset after the last character.
        text: The words.
        reason: ``"absent"`` (the document never says it: a word, or a number,
            date, amount or place it states nowhere), ``"not in evidence"``
            (the document says it, but not where the sentence's claim is),
            ``"contradicted"`` (a number, date, amount or place differs), ``"negated"``,
            ``"modality changed"``, ``"antonym"``, ``"role swapped"`` (the
            parties the other way round) or ``"name swapped"`` (the aligned
            clause names someone else).
        detail: One phrase on what was found.
        signal: The support signal it belongs to (a name in ``SentenceResult.signals``).
        weight: How much that signal lowered the support log-odds (>= 0); flags
            are listed strongest first.
    """

    start: int
    end: int
    text: str
    reason: str
    detail: str
    signal: str = ""
    weight: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason,
            "detail": self.detail,
            "signal": self.signal,
            "weight": self.weight,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        """Rebuild a flag from :meth:`to_dict` output."""
        return cls(
            int(data["start"]),
            int(data["end"]),
            str(data["text"]),
            str(data["reason"]),
            str(data.get("detail", "")),
            str(data.get("signal", "")),
            float(data.get("weight", 0.0)),
        )


@dataclass(frozen=True, slots=True)
class Logistic:
    """``sigmoid(b + sum_i w_i * (x_i - mean_i) / scale_i)`` over named features."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for rows of ``x`` (columns in :attr:`features` order)."""
        z = (np.asarray(x, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(z @ np.asarray(self.weights) + self.intercept, dtype=np.float64)

    def probability(self, x: np.ndarray) -> np.ndarray:
        """``P(positive)`` for rows of ``x``."""
        out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(self.logits(x), -50.0, 50.0)))
        return out

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's signed share of the log-odds for one row, against the fitting data's mean."""
        z = (np.asarray(row, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return {f: float(w * v) for f, w, v in zip(self.features, self.weights, z, strict=True)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Logistic:
        """Read one model from the JSON data."""
        return cls(
            tuple(data["features"]),
            tuple(float(w) for w in data["weights"]),
            float(data["intercept"]),
            tuple(float(m) for m in data["mean"]),
            tuple(float(s) if float(s) > 0 else 1.0 for s in data["scale"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {
            "features": list(self.features),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }


@dataclass(frozen=True, slots=True)
class Verifier:
    """The support and coverage models and where they come from.

    Attributes:
        support: ``P(sentence supported)`` over :data:`SUPPORT_FEATURES`, for a
            sentence the support judge did not read (Chinese text, or the judge off).
        coverage: ``P(passage covered)`` over :data:`COVERAGE_FEATURES`.
        provenance: What the models were fitted on (datasets, sizes, date, package version).
        support_judged: ``P(sentence supported)`` over :data:`JUDGED_FEATURES`, for
            a sentence the judge read; ``None`` in data fitted before the judge.
        support_crosslingual: ``P(sentence supported)`` over
            :data:`CROSSLINGUAL_FEATURES`, for a sentence in another language than
            its document (fitted on same-language sentences: no permissively
            licensed cross-lingual labels exist here); ``None`` in older data.
    """

    support: Logistic
    coverage: Logistic
    provenance: Mapping[str, Any]
    support_judged: Logistic | None = None
    support_crosslingual: Logistic | None = None

    @property
    def source(self) -> str:
        """One line for the report: what the probabilities were fitted on."""
        data = ", ".join(self.provenance.get("datasets", []))
        return f"verifier fitted on {data} ({self.provenance.get('date', 'unknown date')})"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (the layout of ``data/verifier.json``)."""
        out = {
            "support": self.support.to_dict(),
            "coverage": self.coverage.to_dict(),
            "provenance": dict(self.provenance),
        }
        if self.support_judged is not None:
            out["support_judged"] = self.support_judged.to_dict()
        if self.support_crosslingual is not None:
            out["support_crosslingual"] = self.support_crosslingual.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verifier:
        """Read a verifier from its JSON data; its features must be the ones this version computes."""
        sup, cov = Logistic.from_dict(data["support"]), Logistic.from_dict(data["coverage"])
        judged = Logistic.from_dict(data["support_judged"]) if data.get("support_judged") else None
        cross = Logistic.from_dict(data["support_crosslingual"]) if data.get("support_crosslingual") else None
        if (
            sup.features != SUPPORT_FEATURES
            or cov.features != COVERAGE_FEATURES
            or (judged is not None and judged.features != JUDGED_FEATURES)
            or (cross is not None and cross.features != CROSSLINGUAL_FEATURES)
        ):
            raise ValueError(
                "verifier data was fitted on other features; refit with benchmarks/fit_verifier.py"
            )
        return cls(sup, cov, dict(data.get("provenance", {})), judged, cross)


@lru_cache(maxsize=1)
def default_verifier() -> Verifier:
    """The shipped verifier (``data/verifier.json``)."""
    text = resources.files(__package__).joinpath("data/verifier.json").read_text(encoding="utf-8")
    return Verifier.from_dict(json.loads(text))


def null_stats(passage_vectors: np.ndarray, fallback: np.ndarray) -> tuple[float, float]:
    """Mean and spread of the cosine between two *different* passages of the document.

    That is the background similarity this encoder gives to related but
    different text on this document's topic; a summary sentence's cosine is
    read as a z-score against it. With fewer than three passages the
    sentence/passage matrix ``fallback`` is used instead, and with fewer than
    three cosines there, a wide default (0.2, 0.2).
    """
    n = len(passage_vectors)
    if n >= 3:
        step = max(1, n // NULL_SAMPLE)
        sample = passage_vectors[::step][:NULL_SAMPLE]
        sims = sample @ sample.T
        values = sims[~np.eye(len(sample), dtype=bool)]
    else:
        values = np.asarray(fallback, dtype=np.float64).ravel()
    if values.size < 3:
        return 0.2, 0.2
    return float(values.mean()), max(float(values.std()), 0.05)


def matrix_null(values: np.ndarray) -> tuple[float, float]:
    """Median and spread of a signal over all (passage, sentence) pairs of one report.

    Most pairs do not match, so this is the signal's background in this
    document; with fewer than six pairs, a wide default (0.1, 0.2).
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    if flat.size < 6:
        return 0.1, 0.2
    return float(np.median(flat)), max(float(flat.std()), 0.05)


def z_score(values: np.ndarray, null: tuple[float, float]) -> np.ndarray:
    """``(values - mean) / spread`` against a null, clipped to +-8."""
    mean, spread = null
    return np.clip((np.asarray(values, dtype=np.float64) - mean) / spread, -Z_CLIP, Z_CLIP)


_CLAUSE_CUT = re.compile(
    r"[;:,，；：]|\s(?:and|but|while|whereas|which)\s|(?<=[\u3400-\u9fff])(?:但|而|并且)"
)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence (cut at punctuation and conjunctions); tiny clauses merge."""
    cuts = [0, *[m.end() for m in _CLAUSE_CUT.finditer(text)], len(text)]
    spans: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if spans and len(terms(text[a:b])) < 3:
            spans[-1] = (spans[-1][0], b)
        elif b > a:
            spans.append((a, b))
    if len(spans) > 1 and len(terms(text[spans[0][0] : spans[0][1]])) < 3:
        spans[1] = (spans[0][0], spans[1][1])
        spans.pop(0)
    return spans or [(0, len(text))]


def _align(
    clause_terms: frozenset[str], units: Sequence[tuple[str, frozenset[str]]], doc: DocumentTerms
) -> tuple[str, float]:
    """The evidence unit that shares the most IDF-weighted terms with a clause, and that share."""
    weight = {t: doc.idf(t) for t in clause_terms}
    total = sum(weight.values()) or 1.0
    best, share = "", 0.0
    for text, unit_terms in units:
        s = sum(weight[t] for t in clause_terms & unit_terms) / total
        if s > share:
            best, share = text, s
    return best, share


ALIGN_MIN = 0.35
"""A clause is compared for polarity and roles only with a unit sharing at least this share of its terms."""


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    """The support features of one sentence and the flags that go with them."""

    features: dict[str, float]
    flags: tuple[tuple[str, Flag], ...]
    """Each flag with the feature it belongs to."""
    evidence: Evidence


def support_features(
    sentence: str,
    offset: int,
    *,
    evidence: Sequence[int],
    units: Sequence[tuple[str, frozenset[str]]],
    doc: DocumentTerms,
    document_words: set[str],
    document_text: str,
    dense_z: float,
    lexical: float,
    lexical_z: float,
    mismatches: Sequence[tuple[int, int, str, str]],
) -> SentenceCheck:
    """Every support feature of one summary sentence, with the flags that explain it.

    Args:
        sentence: The sentence text.
        offset: Where the sentence starts in the summary (flags carry summary offsets).
        evidence: Its evidence passages (:func:`.evidence.evidence_passages`).
        units: The sentences of the evidence passages, with their terms.
        doc: The document's passage terms.
        document_words: The document's lower-cased words (for names).
        document_text: The document.
        dense_z: Its best cosine as a z-score against the document's null.
        lexical: Its lexical share at its best passage.
        lexical_z: That share as a z-score against the report's lexical null (:func:`matrix_null`).
        mismatches: Its facts that the numbers check found
            ``(start, end, status, detail)``, offsets in the summary.
    """
    ev = measure(sentence, evidence, doc)
    flags: list[tuple[str, Flag]] = []

    def flag(feature: str, a: int, b: int, detail: str) -> None:
        flags.append(
            (feature, Flag(offset + a, offset + b, sentence[a:b], REASONS[feature], detail, feature))
        )

    names = find_names(sentence)
    missing_doc = absent_names(names, document_text, words=document_words)
    for n in missing_doc:
        flag("name_absent", n.start, n.end, f"'{n.text}' does not occur in the document")

    role = negation = modality = antonym = name_swap = 0.0
    for a, b in clauses(sentence):
        part = sentence[a:b]
        unit, share = _align(terms(part), units, doc)
        if share < ALIGN_MIN:
            continue
        if not name_swap:  # full names only ("Kirsty Williams"): acronyms and single words mislead
            own = [n for n in find_names(part) if n.kind == "name" and _is_full_name(n.text)]
            theirs = [n for n in find_names(unit) if n.kind == "name" and _is_full_name(n.text)]
            lost = absent_names(own, unit) if own and theirs else []
            if lost and absent_names(theirs, part):
                name_swap = 1.0
                n = lost[0]
                flag(
                    "name_swap",
                    a + n.start,
                    a + n.end,
                    f"the aligned clause names someone else: {_clip(unit)}",
                )
        swapped = parties_swapped(part, unit)
        if swapped is not None and not role:
            role = 1.0
            flag(
                "role_swap",
                a + swapped.start,
                a + swapped.end,
                f"the parties are the other way round in: {_clip(unit)}",
            )
        diff = compare(part, unit)
        if diff.span is not None:
            x, y = a + diff.span[0], a + diff.span[1]
            if diff.negation_flipped and not negation:
                negation = 1.0
                flag("negation", x, y, diff.detail)
            elif diff.modality_changed and not modality:
                modality = 1.0
                flag("modality", x, y, diff.detail)
            elif diff.antonym and not antonym:
                antonym = 1.0
                flag("antonym", x, y, diff.detail)

    if not negation:  # the clause was reworded too much to align: every evidence sentence using the word
        flip = negated_everywhere_else(sentence, tuple(text for text, _ in units))
        if flip is not None:
            negation = 1.0
            flag("negation", flip[0], flip[1], flip[2])

    if not name_swap:
        swap = speaker_swap(sentence, document_text)  # a transcript's turns say who said it
        if swap is not None:
            name_swap = 1.0
            said = _clip(document_text[swap.turn.start : swap.turn.end])
            flag("name_swap", swap.start, swap.end, f"{swap.said_by} says it, not {swap.named}: {said}")

    contradicted = fact_absent = 0.0
    unstated: list[tuple[int, int, str]] = []
    for a, b, status, detail in mismatches:
        if status == "contradicted":
            contradicted = 1.0
            flags.append(
                (
                    "contradicted",
                    Flag(a, b, sentence[a - offset : b - offset], "contradicted", detail, "contradicted"),
                )
            )
        else:
            fact_absent = 1.0
            unstated.append((a - offset, b - offset, detail))
    if ev.worst is not None and not any(f.start <= offset + ev.worst[0] < f.end for _, f in flags):
        a, b = ev.worst
        if ev.worst_absent:
            flag("absent", a, b, f"'{sentence[a:b]}' does not occur in the document")
        elif ev.missing >= 0.5:
            flag("missing", a, b, f"'{sentence[a:b]}' is not in the passages this sentence is about")
    # A figure or place the document states nowhere. Across languages it is the one word-level reason
    # left (shared words say nothing there); where a word flag marks it too, :func:`rank_flags` keeps one.
    for a, b, detail in unstated:
        flag("fact_absent", a, b, detail)

    features = {
        "dense_z": float(dense_z),
        "lexical": float(lexical),
        "lexical_z": float(lexical_z),
        "evidence": ev.evidence,
        "missing": ev.missing,
        "absent": ev.absent,
        "lone_gap": ev.lone_gap,
        "name_absent": float(bool(missing_doc)),
        "name_swap": name_swap,
        "role_swap": role,
        "negation": negation,
        "modality": modality,
        "antonym": antonym,
        "contradicted": contradicted,
        "fact_absent": fact_absent,
    }
    return SentenceCheck(features, tuple(flags), ev)


def _is_full_name(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 and all(w[:1].isupper() and not w.isupper() for w in words)


def rank_flags(check: SentenceCheck, model: Logistic) -> tuple[Flag, ...]:
    """The sentence's flags, each weighted by how much its signal lowered the log-odds; strongest first.

    A flag whose signal ``model`` does not read is left out: across languages
    (:data:`CROSSLINGUAL_FEATURES`) a word "absent" from a Chinese contract
    says nothing about an English sentence, and is no reason for its score.
    Of two flags on the same words for the same reason, the stronger is kept.
    """
    row = np.array([check.features[f] for f in model.features])
    contrib = model.contributions(row)
    weighted = [
        (max(0.0, *(-contrib.get(name, 0.0) for name in (feature, *SHARED_SIGNALS.get(feature, ())))), f)
        for feature, f in check.flags
        if feature in model.features  # a signal the model does not read (shared words across languages)
    ]
    weighted.sort(key=lambda wf: (-wf[0], wf[1].start))
    kept: list[tuple[float, Flag]] = []
    for w, f in weighted:  # the same words for the same reason twice (a name and a place): the stronger
        if not any(k.reason == f.reason and k.start < f.end and f.start < k.end for _, k in kept):
            kept.append((w, f))
    return tuple(Flag(f.start, f.end, f.text, f.reason, f.detail, f.signal, round(w, 4)) for w, f in kept)


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def support_probability(model: Logistic, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
    """``P(supported)`` for feature dicts."""
    if not rows:
        return np.zeros(0)
    x = np.array([[r[f] for f in model.features] for r in rows], dtype=np.float64)
    return model.probability(x)


LOGIT_CLIP = 0.01
"""Probabilities are clipped to [0.01, 0.99] before their log-odds are taken: the judge is often
certain and wrong on long, multi-clause summary sentences, and one such reading must not outweigh
every other signal."""


def judge_signals(entailed: float, contradicted: float) -> dict[str, float]:
    """The judge's signals of one sentence: its two probabilities and their log-odds (the model's inputs)."""

    def logit(p: float) -> float:
        q = min(max(p, LOGIT_CLIP), 1.0 - LOGIT_CLIP)
        return float(np.log(q / (1.0 - q)))

    return {
        "judge_entailed": float(entailed),
        "judge_contradicted": float(contradicted),
        "judge_entailed_logit": logit(entailed),
        "judge_contradicted_logit": logit(contradicted),
    }


def support_model(verifier: Verifier, judged: bool, crosslingual: bool = False) -> Logistic:
    """The support model for a sentence.

    The cross-lingual one for a sentence in another language than its document (when one ships),
    else the judged one when the judge read it (and one ships), else the plain one.
    """
    if crosslingual and verifier.support_crosslingual is not None:
        return verifier.support_crosslingual
    return verifier.support_judged if judged and verifier.support_judged is not None else verifier.support


def coverage_matrix(
    model: Logistic, dense_z: np.ndarray, lexical_z: np.ndarray, specificity: np.ndarray
) -> np.ndarray:
    """``P(covered)`` for every (passage, sentence) pair.

    ``fused_z`` is the mean of ``dense_z`` and ``lexical_z`` times ``specificity**3``.
    """
    if dense_z.size == 0:
        return np.zeros(dense_z.shape)
    cols = {
        "dense_z": dense_z,
        "lexical_z": lexical_z,
        "specificity": specificity,
        "fused_z": 0.5 * (dense_z + lexical_z) * specificity**3,
    }
    x = np.stack([cols[f] for f in model.features], axis=-1)
    return model.probability(x.reshape(-1, len(model.features))).reshape(dense_z.shape)


def empty_check(sentence: str) -> SentenceCheck:
    """The check of a sentence scored against no passage at all (an empty document has none)."""
    features = dict.fromkeys(SUPPORT_FEATURES, 0.0)
    return SentenceCheck(features, (), Evidence((), 0.0, 0.0, 1.0, None, False, len(terms(sentence)), 0.0))


def resolve_thresholds(settings: Settings, model_name: str) -> tuple[float, float, str]:
    """Return ``(coverage_threshold, support_threshold, source)`` for a check.

    The thresholds are the user's when set, else 0.5 on the verifier's
    probability scale, for every model; ``source`` says which.
    """
    cov = DEFAULT_THRESHOLD if settings.coverage_threshold is None else settings.coverage_threshold
    sup = DEFAULT_THRESHOLD if settings.support_threshold is None else settings.support_threshold
    overridden = settings.coverage_threshold is not None or settings.support_threshold is not None
    source = "set by the user" if overridden else default_verifier().source
    return float(cov), float(sup), source
