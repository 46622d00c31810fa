"""Who said it: a meeting summary that gives a speaker's words to someone else.

"The Industrial Designer suggested a rubber case" where the transcript has the
User Interface designer say it reads like the truth to an encoder, a word
count and the names check alike: both people are named in the meeting. What
gives it away is the transcript's structure. A document is a *transcript*
when most of its lines open with a speaker label ("Project Manager: …",
"Kirsty Williams AM: …"); its turns then say who said what.

For a summary sentence that names exactly one of the transcript's speakers
(labels are matched without honorifics and parliamentary suffixes: "Dr David
Blaney" and "David Blaney AM" are one speaker), the turns that state the
sentence's other words best are found by IDF-weighted term share (IDF over
the turns). The speaker is **swapped** when none of those turns (share at
least :data:`TOP_SHARE` of the best, which must reach :data:`MIN_SHARE`) nor
the turn right before or after one of them is theirs. The neighbours count
because a question and its answer share the words: "Is it realistic to expect
capacity growth?" from the chair, "Well, it's precisely that." from the
minister the summary names. The price: in a small meeting where everyone
speaks in turn, a swap to the person who spoke just before or after is
missed. (Counting a neighbour only when it shares some of the words, or only
the answer to a question, caught 16 instead of 12 of the benchmark's swaps
but flagged 3 to 4 times as many of QMSum's human-written sentences.)

A sentence naming two speakers ("A asked B"; in any case: "the industrial
designer"), or one speaker and a pronoun or a group
("he", "they", "the team"), is left alone: who did what is then a matter of
syntax. So is a sentence with fewer than :data:`MIN_TERMS` other terms.

Measured on the edit benchmark's QMSum meetings (its development set: the
rules were chosen there, so the figures are optimistic): 12 of 45 speaker
swaps flagged, none of 225 faithful sentences; on all 1,141 sentences of the
QMSum dev set's human summaries and answers, 5 flagged (0.4%).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..score.lexical import terms

__all__ = ["MIN_SHARE", "TOP_SHARE", "SpeakerSwap", "Turn", "find_turns", "speaker_swap"]

MIN_SHARE = 0.3
"""The best turn must hold at least this IDF-weighted share of the sentence's other terms."""
TOP_SHARE = 0.8
"""Turns within this fraction of the best share are the ones that state the sentence."""
MIN_TERMS = 4
"""Fewer content terms than this besides the speaker's name: too little to align ("Marketing
presented on market trends")."""
_OTHER_PERSON = re.compile(
    r"\b(?:he|she|him|her|his|hers|they|them|their|group|team|everyone|everybody|all)\b", re.IGNORECASE
)
"""A pronoun or a group may bring in other people ("He thought …, however, Marketing believed …",
"they agreed")."""
MIN_TURNS = 10
"""Fewer labelled turns than this: not a transcript."""
MIN_LINE_SHARE = 0.3
"""At least this share of the document's non-empty lines must open with a speaker label."""

_LABEL = re.compile(r"(?m)^[ \t]*((?:[A-Z][\w'.-]*)(?:[ \t]+[A-Z][\w'.-]*){0,4})[ \t]*:[ \t]")
_SUFFIX = re.compile(r"\s+(?:AM|MS|MP|MSP|MLA|MEP|QC|KC)$")
_PREFIX = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Miss|Prof|Sir|Dame|Lord|Lady)\.?\s+")


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn of a transcript: ``document[start:end]`` is what ``speaker`` said
    (the label itself excluded); ``speaker`` is the label without honorifics or suffixes."""

    speaker: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SpeakerSwap:
    """A summary sentence that gives words to the wrong speaker.

    Attributes:
        start: Offset of the named speaker in the sentence.
        end: Offset just past it.
        named: The speaker the sentence names.
        said_by: The speaker of the turn that states the sentence best.
        turn: That turn, in the document.
    """

    start: int
    end: int
    named: str
    said_by: str
    turn: Turn


def _speaker(label: str) -> str:
    return _PREFIX.sub("", _SUFFIX.sub("", label.strip()))


@lru_cache(maxsize=16)
def find_turns(document: str) -> tuple[Turn, ...]:
    """The speaker turns of ``document``, or ``()`` when it is not a transcript.

    A transcript has at least :data:`MIN_TURNS` turns by speakers whose label
    opens a line at least twice, at least two such speakers, and such labels
    open at least :data:`MIN_LINE_SHARE` of its non-empty lines (a contract's
    notice block, "Address: …" and "Email: …" per party, is not a transcript).
    """
    found = list(_LABEL.finditer(document))
    counts = Counter(_speaker(m.group(1)) for m in found)
    speakers = {s for s, n in counts.items() if n >= 2}
    found = [m for m in found if _speaker(m.group(1)) in speakers]
    lines = sum(1 for line in document.splitlines() if line.strip())
    if len(speakers) < 2 or len(found) < MIN_TURNS or len(found) < MIN_LINE_SHARE * lines:
        return ()
    ends = [m.start() for m in found[1:]] + [len(document)]
    return tuple(Turn(_speaker(m.group(1)), m.end(), end) for m, end in zip(found, ends, strict=True))


@lru_cache(maxsize=16)
def _turn_terms(document: str) -> tuple[tuple[frozenset[str], ...], dict[str, float]]:
    """Each turn's terms, and every term's IDF over the turns."""
    per_turn = tuple(terms(document[t.start : t.end]) for t in find_turns(document))
    df = Counter(t for ts in per_turn for t in ts)
    n = len(per_turn)
    return per_turn, {t: math.log((n + 1) / (k + 1)) + 1.0 for t, k in df.items()}


def _mentions(sentence: str, speakers: set[str]) -> list[tuple[int, int, str]]:
    out = []
    for s in speakers:
        for m in re.finditer(r"(?<![\w-])" + re.escape(s) + r"(?![\w-])", sentence):
            out.append((m.start(), m.end(), s))
    return sorted(out)


def _mentioned_in_any_case(sentence: str, speakers: set[str]) -> set[str]:
    """The speakers a sentence mentions in any case ("the industrial designer" for "Industrial
    Designer", "the Marketing Expert" for "Marketing")."""
    lowered = sentence.casefold()
    return {s for s in speakers if re.search(r"(?<![\w-])" + re.escape(s.casefold()) + r"(?![\w-])", lowered)}


def _speakers_of(top: list[int], turns: tuple[Turn, ...]) -> set[str]:
    """Who may have said what turns ``top`` state: their speakers and those of the turns right
    before and after them (a question and its answer, a proposal and its "yes, let's")."""
    return {turns[j].speaker for i in top for j in range(max(0, i - 1), min(len(turns), i + 2))}


def speaker_swap(sentence: str, document: str) -> SpeakerSwap | None:
    """The wrong speaker ``sentence`` names, or ``None`` (not a transcript, no single speaker
    named, nothing aligned well enough, or the named speaker said it)."""
    turns = find_turns(document)
    if not turns:
        return None
    speakers = {t.speaker for t in turns}
    named = _mentions(sentence, speakers)
    if len({s for _, _, s in named}) != 1 or len(_mentioned_in_any_case(sentence, speakers)) != 1:
        return None
    if _OTHER_PERSON.search(sentence):
        return None
    start, end, speaker = named[0]
    per_turn, idf = _turn_terms(document)
    own = terms(sentence) - terms(speaker)
    if len(own) < MIN_TERMS:
        return None
    weight = {t: idf.get(t, 0.0) for t in own}
    total = sum(weight.values())
    if total <= 0:
        return None
    shares = [sum(weight[t] for t in own & ts) / total for ts in per_turn]
    best = max(range(len(shares)), key=shares.__getitem__)
    if shares[best] < MIN_SHARE:
        return None
    top = [i for i, v in enumerate(shares) if v >= TOP_SHARE * shares[best]]
    if speaker in _speakers_of(top, turns):
        return None
    return SpeakerSwap(start, end, speaker, turns[best].speaker, turns[best])
