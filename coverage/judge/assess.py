"""Judge every summary sentence against its evidence windows, and find the words the judge blames.

For each sentence the judge reads its windows (:mod:`.windows`) and gives
P(entailed), P(contradicted), P(neither) for each. The sentence's
:class:`Judgement` keeps:

* ``entailed``: the highest P(entailed) over its windows (some window states it);
* ``contradicted``: the highest P(contradicted) over its windows (some window
  states the opposite);
* ``contradicting``: that window, when it says "contradicted" more than
  "entailed" and at least :data:`CONTRADICTING_AT`: the passage a user should read;
* ``blame``: when the judge does not find the sentence entailed, the word it
  blames most, by occlusion: the sentence is judged again with each content
  word left out, and the word whose absence most lowers P(contradicted)
  (or most raises P(entailed)) is the one the evidence does not bear out.

A sentence longer than :data:`MAX_CLAIM_WORDS` usually draws on several
clauses, so no single window entails it. With ``Settings.judge_parts`` it is judged in parts
(:func:`claim_parts`: cut at semicolons, colons and clause-joining
conjunctions), each part against its own windows: the sentence is entailed as
much as its least entailed part, and contradicted as much as its most
contradicted part; the part that decides (the contradicted one, else the
least entailed) gives the windows, the contradicting passage and the blamed word.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..facts.polarity import cues, restricted_modality
from .aliases import aliases, in_document_terms, names_used
from .judge import SupportJudge, reads
from .windows import Window, choose_windows, passage_windows

__all__ = [
    "CONTRADICTING_AT",
    "Judgement",
    "Plan",
    "blame",
    "claim_parts",
    "judge_sentences",
    "not_judged",
    "plan_summary",
    "read_plans",
]

CONTRADICTING_AT = 0.5
"""P(contradicted) at which a window is reported as the passage that contradicts the sentence."""
BLAME_MIN = 0.05
"""Smallest change in probability that makes a word the blamed one."""
MAX_CLAIM_WORDS = 40
"""Longest claim the judge reads against one window, in words. A summary sentence that long usually
draws on several clauses, so no one window entails it (read whole, the sample summary's faithful
47-word sentence on clause 2.1 came out unsupported); it is left to the other signals, or judged in
parts (:func:`claim_parts`) with ``Settings.judge_parts``."""
MIN_PART_WORDS = 6
"""Shortest part a long sentence is cut into; a shorter piece stays with its neighbour."""
_PART_CUT = re.compile(
    r"[;:]\s+|,\s+(?=(?:and|but|while|whereas|although|though|so|or|which|who|with)\b)"
    r"|\s+(?=(?:and|but|while|whereas)\s+(?:the|a|an|it|they|he|she|we|its|their|each|either|neither"
    r"|any|all|no|both|[A-Z]\w*)\b)"
)
_LEADING = re.compile(r"^(?:and|but|while|whereas|although|though|so|or)\s+", re.IGNORECASE)
MAX_BLAME_WORDS = 10
"""Most words of one sentence tried by occlusion."""

_WORD = re.compile(r"[\w$€£%][\w'’.,/%-]*[\w%]|[\w$%]")
_DOUBLED = re.compile(
    r"\b[A-Za-z][A-Za-z-]*(?:\s+(?:percent|per cent|hundred|thousand|million))?"
    r"\s*\(\s*[$€£]?\d[\d,.]*\s*%?\s*\)"
)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "we",
        "our",
        "you",
        "your",
        "which",
        "who",
        "whom",
        "whose",
        "there",
        "here",
    ]
)


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the judge read for one summary sentence (see the module docstring).

    Attributes:
        ran: Whether the judge read this sentence; when not, ``reason`` says why
            and the probabilities are 0.
        reason: Why it did not run ("" when it did).
        entailed: Highest P(entailed) over the windows.
        contradicted: Highest P(contradicted) over the windows.
        neither: P(neither) at the window with the highest P(entailed).
        windows: The windows judged, best first by term overlap.
        probabilities: ``(entailed, contradicted, neither)`` per window.
        contradicting: The window that contradicts the sentence, or ``None``.
        blame: ``(start, end)`` in the sentence of the blamed word, or ``None``.
        blame_reason: ``"contradicted"`` (leaving the word out removes the
            contradiction) or ``"unsupported"`` (it raises P(entailed)).
        blame_change: How much the probability moved without the word.
        part: For a sentence judged in parts, ``(start, end)`` in the
            sentence of the part that decides (``windows``, ``probabilities``
            and ``blame`` are that part's); ``None`` when judged whole.
        parts: How many parts the sentence was judged in (1 when whole).
    """

    ran: bool
    reason: str = ""
    entailed: float = 0.0
    contradicted: float = 0.0
    neither: float = 0.0
    windows: tuple[Window, ...] = ()
    probabilities: tuple[tuple[float, float, float], ...] = ()
    contradicting: Window | None = None
    blame: tuple[int, int] | None = None
    blame_reason: str = ""
    blame_change: float = 0.0
    part: tuple[int, int] | None = None
    parts: int = 1


def claim_parts(sentence: str) -> list[tuple[int, int]]:
    """The spans of the parts a sentence is judged in: the whole sentence when it is short enough.

    A sentence of more than :data:`MAX_CLAIM_WORDS` words is cut before a
    clause-joining conjunction or after a semicolon or colon; pieces shorter
    than :data:`MIN_PART_WORDS` words stay with the piece before them, and a
    part still too long is cut into equal runs of words. Spans exclude the
    joining word and punctuation, so each part reads as a claim of its own,
    and together they cover every word of the sentence.
    """
    if len(sentence.split()) <= MAX_CLAIM_WORDS:
        return [(0, len(sentence))]
    starts = [0] + [m.end() for m in _PART_CUT.finditer(sentence)]
    pieces = [
        (a, b) for a, b in zip(starts, starts[1:] + [len(sentence)], strict=True) if sentence[a:b].strip()
    ]
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and (
            len(sentence[a:b].split()) < MIN_PART_WORDS
            or len(sentence[merged[-1][0] : merged[-1][1]].split()) < MIN_PART_WORDS
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    out: list[tuple[int, int]] = []
    for a, b in merged:
        words = [(a + m.start(), a + m.end()) for m in re.finditer(r"\S+", sentence[a:b])]
        runs = -(-len(words) // MAX_CLAIM_WORDS)
        size = -(-len(words) // runs)
        for k in range(0, len(words), size):
            chunk = words[k : k + size]
            x, y = chunk[0][0], chunk[-1][1]
            text = sentence[x:y]
            lead = _LEADING.match(text)
            if lead and len(text[lead.end() :].split()) >= MIN_PART_WORDS:
                x += lead.end()
            while y > x and sentence[y - 1] in ",;: ":
                y -= 1
            out.append((x, y))
    return out


def not_judged(reason: str) -> Judgement:
    """The judgement of a sentence the judge did not read, with the reason."""
    return Judgement(ran=False, reason=reason)


_HOT = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "neither",
        "nor",
        "none",
        "shall",
        "must",
        "may",
        "might",
        "can",
        "cannot",
        "will",
        "should",
        "only",
        "all",
        "any",
        "each",
        "every",
        "some",
        "sole",
        "solely",
        "exclusive",
        "non-exclusive",
        "before",
        "after",
        "within",
        "least",
        "most",
        "more",
        "less",
    ]
)
"""Words that carry polarity, obligation, scope or order: always tried."""


def _candidates(sentence: str, window: str) -> list[tuple[int, int]]:
    """The words of the sentence worth trying: absent from the window, numbers, names, or polarity words."""
    seen = {w.lower() for w in re.findall(r"\w+", window)}
    out = []
    for m in _WORD.finditer(sentence):
        word = m.group(0)
        low = word.lower()
        if low in _STOP:
            continue
        if (
            low in _HOT
            or any(ch.isdigit() for ch in word)
            or word[:1].isupper()
            or not any(w in seen for w in re.findall(r"\w+", low))
        ):
            out.append((m.start(), m.end()))
    # A figure written twice ("sixty (60)", "fifty percent (50%)") is one claim: tried as one span too.
    out += [(m.start(), m.end()) for m in _DOUBLED.finditer(sentence)]
    return out[-MAX_BLAME_WORDS:] if len(out) > MAX_BLAME_WORDS else out


def _without(sentence: str, a: int, b: int) -> str:
    return re.sub(r"\s{2,}", " ", (sentence[:a] + sentence[b:]).strip())


_CARVE_OUT = re.compile(
    r"\b(?:except(?:ing)?|unless|other\s+than|provided\s+(?:that|however)|save\s+(?:as|for)|apart\s+from"
    r"|notwithstanding|excluding|exclusive\s+of|(?:shall|does|do|will)\s+not\s+(?:apply|include|extend))\b",
    re.IGNORECASE,
)
"""Words that carve an exception out of a rule ("shall not disclose ... except to its employees")."""


_GRANTS = re.compile(
    r"\b(?:may|can|could|(?:is|are)\s+(?:entitled|allowed|permitted|free|authori[sz]ed)\s+to|(?:has|have)\s+the\s+right\s+to)\b",
    re.IGNORECASE,
)


def _permission(sentence: str) -> bool:
    """Whether the sentence grants a permission ("may share", "can keep a copy") and negates nothing."""
    negates = {c.kind for c in cues(sentence)} & {"negation", "prohibition"}
    return bool(_GRANTS.search(sentence)) and not negates


def _exceptions_read(sentence: str, ws: Sequence[Window], rows: np.ndarray) -> np.ndarray:
    """The readings, with a permission against a rule that carves out exceptions read as "neither" for
    what the judge called "contradicted".

    Contracts grant permissions as exceptions to prohibitions: "the Recipient
    shall not disclose Confidential Information except to its employees who
    need to know it" is what "the Recipient may share it with its employees"
    summarises. The judge learned from rule-made pairs that a "may" against a
    "shall not" is the opposite, and on ContractNLI's real NDAs it read such
    faithful permissions as contradicted (P 0.84 for sharing with employees,
    0.86 for independently developed information). It cannot tell which
    exception a window grants, so against such a window its "contradicted"
    becomes "neither": the window neither confirms nor refutes the permission,
    and no clause is shown as contradicting it. Its "entailed" is kept.

    The same holds for a restricted permission read against a restricted
    duty (:func:`~summary_coverage.facts.polarity.same_restriction`): "may
    use it only to evaluate the deal" against "shall use it solely for
    evaluating the deal", which the judge read as contradicted (0.99),
    having learned "shall -> may" as a weakened obligation.
    """
    if not _permission(sentence):
        return rows
    restricted = restricted_modality(sentence) == "permission"
    out = rows.copy()
    for i, w in enumerate(ws):
        read = cues(w.text)
        found = {c.kind for c in read}
        carved = found & {"negation", "prohibition"} and _CARVE_OUT.search(w.text)
        if carved or (restricted and restricted_modality(w.text, read) == "obligation"):
            out[i, 2] += out[i, 1]
            out[i, 1] = 0.0
    return out


def judge_sentences(
    judge: SupportJudge, items: Sequence[tuple[str, Sequence[Window]]], probs: np.ndarray | None = None
) -> list[Judgement]:
    """Judge each ``(sentence, windows)`` in one batched pass; no words are blamed yet (:func:`blame`).

    A sentence with no windows gets a not-run judgement. ``probs`` are the
    readings of every (window, sentence) pair in order, when already read.
    """
    if probs is None:
        probs = judge.probabilities([(w.text, s) for s, ws in items for w in ws])
    out: list[Judgement] = []
    pos = 0
    for _sentence, ws in items:
        if not ws:
            out.append(not_judged("no evidence window"))
            continue
        rows = _exceptions_read(_sentence, ws, probs[pos : pos + len(ws)])
        pos += len(ws)
        e_best = int(rows[:, 0].argmax())
        c_best = int(rows[:, 1].argmax())
        contradicted = float(rows[c_best, 1])
        contradicting = (
            ws[c_best] if contradicted >= CONTRADICTING_AT and contradicted > rows[c_best, 0] else None
        )
        out.append(
            Judgement(
                ran=True,
                entailed=float(rows[e_best, 0]),
                contradicted=contradicted,
                neither=float(rows[e_best, 2]),
                windows=tuple(ws),
                probabilities=tuple((float(a), float(b), float(c)) for a, b, c in rows),
                contradicting=contradicting,
            )
        )
    return out


def blame(
    judge: SupportJudge, sentences: Sequence[str], judgements: Sequence[Judgement], which: Sequence[int]
) -> list[Judgement]:
    """The judgements with the blamed word found for the sentences in ``which`` (one batched pass).

    Occlusion runs for a sentence the judge read and does not find entailed
    (P(entailed) < 0.5), on the window that matters: the contradicting one,
    else the one it finds most entailed. The checker asks only for the
    sentences it decided are unsupported, so a faithful summary costs nothing here.
    """
    out = list(judgements)
    needs: list[tuple[int, int, list[tuple[int, int]], bool]] = []
    for n in which:
        j = judgements[n]
        if not j.ran or j.entailed >= 0.5:
            continue
        key = j.contradicting or max(j.windows, key=lambda w: j.probabilities[j.windows.index(w)][0])
        words = _candidates(_claim(sentences[n], j), key.text)
        if words:
            needs.append((n, j.windows.index(key), words, j.contradicting is not None))
    if not needs:
        return out
    variants = [
        (judgements[n].windows[k].text, _without(_claim(sentences[n], judgements[n]), a, b))
        for n, k, words, _ in needs
        for a, b in words
    ]
    moved = judge.probabilities(variants)
    pos = 0
    for n, k, words, by_contradiction in needs:
        rows = moved[pos : pos + len(words)]
        pos += len(words)
        base = judgements[n].probabilities[k]
        change = base[1] - rows[:, 1] if by_contradiction else rows[:, 0] - base[0]
        i = int(change.argmax())
        if change[i] >= BLAME_MIN:
            part = judgements[n].part
            shift = part[0] if part is not None else 0
            out[n] = dataclasses.replace(
                judgements[n],
                blame=(words[i][0] + shift, words[i][1] + shift),
                blame_reason="contradicted" if by_contradiction else "unsupported",
                blame_change=float(change[i]),
            )
    return out


def _claim(sentence: str, j: Judgement) -> str:
    """What the judge read of the sentence: the deciding part, or the whole."""
    return sentence[j.part[0] : j.part[1]] if j.part else sentence


def combine_parts(spans: Sequence[tuple[int, int]], read: Sequence[Judgement]) -> Judgement:
    """One sentence's judgement from its parts' (see the module docstring)."""
    if any(not j.ran for j in read):
        return not_judged("a part of the sentence has no evidence window")
    contra = max(range(len(read)), key=lambda k: read[k].contradicted)
    weakest = min(range(len(read)), key=lambda k: read[k].entailed)
    decides = contra if read[contra].contradicting is not None else weakest
    j = read[decides]
    return dataclasses.replace(
        j,
        entailed=read[weakest].entailed,
        contradicted=read[contra].contradicted,
        neither=read[weakest].neither,
        part=spans[decides],
        parts=len(read),
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """What the judge will read for one report: each sentence with its windows, and why some are not read.

    Attributes:
        items: ``(sentence, windows)`` per summary sentence, in order (no windows when not read).
        skipped: Sentence index -> why the judge does not read it.
        parts: Sentence index -> its parts (a long sentence, :func:`claim_parts`):
            ``(start, end)`` in the sentence and the part's windows; such a
            sentence has no windows in ``items``.
    """

    items: tuple[tuple[str, tuple[Window, ...]], ...]
    skipped: dict[int, str]
    parts: dict[int, tuple[tuple[int, int, tuple[Window, ...]], ...]] = dataclasses.field(
        default_factory=dict
    )


def plan_summary(
    judge: SupportJudge,
    document: str,
    passages: Sequence[tuple[int, int]],
    sentences: Sequence[str],
    hybrid: np.ndarray,
    idf: Callable[[str], float],
    readable: Callable[[str], str] = str,
    parts: bool = False,
) -> Plan:
    """Choose every summary sentence's windows across the whole document (nothing is read yet).

    Args:
        judge: The loaded judge (counts the windows' tokens).
        document: The document text the passages index (furniture blanked out).
        passages: Every passage's ``(start, end)`` in ``document``.
        sentences: The summary sentences.
        hybrid: The ``(passages, sentences)`` hybrid score matrix that ranks passages.
        idf: A term's IDF in this document (ranks the windows of the best passages).
        readable: What the judge reads of a window's text (ligatures folded,
            line-end hyphens joined); the window keeps its document offsets.
        parts: Judge a sentence longer than :data:`MAX_CLAIM_WORDS` in parts
            (``Settings.judge_parts``); when false such a sentence is not read.

    A sentence the judge cannot read (Chinese, see :func:`.judge.reads`) gets
    no windows and a reason; so does one whose best passages are not text the
    judge reads. A sentence longer than :data:`MAX_CLAIM_WORDS` gets windows
    per part (``Plan.parts``), chosen among the sentence's best passages, when
    ``parts`` is true, and a reason otherwise.
    """
    memo: dict[int, list[Window]] = {}

    def windows_of(p: int) -> list[Window]:
        if p not in memo:
            a, b = passages[p]
            memo[p] = [
                Window(w.passage, w.start, w.end, readable(w.text))
                for w in passage_windows(document, p, a, b, judge.count_tokens)
            ]
        return memo[p]

    items: list[tuple[str, tuple[Window, ...]]] = []
    skipped: dict[int, str] = {}
    in_parts: dict[int, tuple[tuple[int, int, tuple[Window, ...]], ...]] = {}
    roles = names_used(document)

    def named_as_in(claim: str, ws: Sequence[Window]) -> tuple[Window, ...]:
        """The windows naming each role as the claim does (:mod:`.aliases`); offsets unchanged."""
        rewrites = aliases(claim, roles)
        if not rewrites:
            return tuple(ws)
        return tuple(Window(w.passage, w.start, w.end, in_document_terms(w.text, rewrites)) for w in ws)

    for i, sentence in enumerate(sentences):
        if not reads(sentence):
            skipped[i] = "the judge reads English; this sentence is Chinese"
            items.append((sentence, ()))
            continue
        words = len(sentence.split())
        if words > MAX_CLAIM_WORDS and not parts:
            skipped[i] = (
                f"the sentence has {words} words; the judge reads claims of at most {MAX_CLAIM_WORDS} "
                "against one window, and a longer one usually draws on several clauses"
            )
            items.append((sentence, ()))
            continue
        spans = claim_parts(sentence)
        if len(spans) > 1 and len(passages):
            read = tuple(
                (
                    a,
                    b,
                    named_as_in(
                        sentence[a:b],
                        [
                            w
                            for w in choose_windows(sentence[a:b], hybrid[:, i], windows_of, idf)
                            if reads(w.text)
                        ],
                    ),
                )
                for a, b in spans
            )
            if all(ws for _, _, ws in read):
                in_parts[i] = read
            else:
                skipped[i] = "the evidence of a part of it is not English text the judge reads"
            items.append((sentence, ()))
            continue
        ws = choose_windows(sentence, hybrid[:, i], windows_of, idf) if len(passages) else []
        ws = [w for w in ws if reads(w.text)]
        if not ws:
            skipped[i] = (
                "its evidence is not English text the judge reads" if len(passages) else "no evidence"
            )
        items.append((sentence, named_as_in(sentence, ws)))
    return Plan(tuple(items), skipped, in_parts)


def read_plans(judge: SupportJudge, plans: Sequence[Plan]) -> list[list[Judgement]]:
    """Read the windows of several reports' plans in one batched pass (longest first across all of them).

    One pass over a batch's pairs wastes less on padding and small batches
    than a pass per report. Returns each plan's judgements, in order.
    """

    def claims(plan: Plan) -> list[tuple[str, tuple[Window, ...]]]:
        """Every claim the plan reads: whole sentences, then the parts of the long ones."""
        extra = [(plan.items[i][0][a:b], ws) for i in sorted(plan.parts) for a, b, ws in plan.parts[i]]
        return list(plan.items) + extra

    every = [claims(plan) for plan in plans]
    pairs = [(w.text, s) for items in every for s, ws in items for w in ws]
    probs = judge.probabilities(pairs, batch_size=32)
    out: list[list[Judgement]] = []
    pos = 0
    for plan, items in zip(plans, every, strict=True):
        n = sum(len(ws) for _, ws in items)
        read = judge_sentences(judge, items, probs[pos : pos + n])
        pos += n
        whole = read[: len(plan.items)]
        rest = iter(read[len(plan.items) :])
        for i in sorted(plan.parts):
            spans = [(a, b) for a, b, _ in plan.parts[i]]
            whole[i] = combine_parts(spans, [next(rest) for _ in spans])
        out.append([not_judged(plan.skipped[i]) if i in plan.skipped else j for i, j in enumerate(whole)])
    return out
