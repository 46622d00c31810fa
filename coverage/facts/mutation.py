"""Change one fact of a summary, for measuring the numbers check on whole documents.

Used by the facts benchmark and the tests: every fact of a faithful summary is
changed in turn ("30 days" becomes "31 days", "thirty days" "forty days",
"百分之五" "百分之六"), and the check must flag the changed sentence. The
changes are small on purpose, since small changes are the ones embeddings miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .quantities import Fact, agrees, extract_facts

__all__ = ["Mutation", "mutations"]

_WORDS = {
    "one": "two", "two": "three", "three": "four", "four": "five", "five": "six", "six": "seven",
    "seven": "eight", "eight": "nine", "nine": "ten", "ten": "twelve", "eleven": "twelve",
    "twelve": "fifteen", "fifteen": "twenty", "twenty": "thirty", "thirty": "forty", "forty": "fifty",
    "fifty": "sixty", "sixty": "ninety", "seventy": "eighty", "eighty": "ninety", "ninety": "sixty",
    "hundred": "thousand", "thousand": "hundred", "million": "billion", "billion": "million",
}  # fmt: skip
_CN = {"一": "二", "二": "三", "两": "三", "三": "四", "四": "五", "五": "六", "六": "七",
       "七": "八", "八": "九", "九": "八", "〇": "一", "零": "一"}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Mutation:
    """A summary with one fact changed.

    Attributes:
        text: The whole summary, changed.
        original: The fact as it was (offsets in the original summary).
        changed: The fact as it now reads (offsets in ``text``).
    """

    text: str
    original: Fact
    changed: Fact


def _change(surface: str) -> str | None:
    digits = list(re.finditer(r"\d", surface))
    if digits:
        m = digits[-1]
        d = int(m.group(0))
        return surface[: m.start()] + str(8 if d == 9 else d + 1) + surface[m.end() :]
    for m in _WORD.finditer(surface):
        new = _WORDS.get(m.group(0).lower())
        if new is not None:
            new = new.capitalize() if m.group(0)[0].isupper() else new
            return surface[: m.start()] + new + surface[m.end() :]
    for i in range(len(surface) - 1, -1, -1):
        if surface[i] in _CN:
            return surface[:i] + _CN[surface[i]] + surface[i + 1 :]
    return None


def mutations(summary: str) -> Iterator[Mutation]:
    """Yield one :class:`Mutation` per fact of ``summary`` that can be changed to a different value."""
    for fact in extract_facts(summary):
        surface = _change(fact.text)
        if surface is None:
            continue
        text = summary[: fact.start] + surface + summary[fact.end :]
        end = fact.start + len(surface)
        found = [f for f in extract_facts(text) if f.start < end and fact.start < f.end]
        if len(found) != 1 or agrees(found[0], fact) or found[0].kind != fact.kind:
            continue
        yield Mutation(text, fact, found[0])
