"""Exchanged parties: a sentence that restates a clause with two of its parties in each other's places.

"Vendor will buy the Products from Distributor" against "Distributor will
purchase the Products from Vendor": the words are nearly the same, both
parties are in both texts, and an encoder, a word count and the support
judge (which never learned party swaps) all read the sentence as a
restatement. What gives it away is *where* each party stands: line the two
texts up word by word, with every party that both of them name replaced by
one placeholder, and the placeholders that line up name different parties.

:func:`parties_exchanged` does that with no model (English, Latin script):

* a **party** is a capitalised run of words ("Acme Cloud Ltd", "MBRK",
  "Sponsor", a leading "The" dropped) or a role word in any case ("the
  distributor"), that *both* texts name; a name and a longer name that
  contains it ("Pretzel Time" and "Pretzel Time, Inc.") are one party;
* the texts are aligned by :class:`difflib.SequenceMatcher` on their words
  (the first five letters of each, so "purchase" and "purchased" agree);
  a party counts only inside a run of at least two aligned tokens ("by
  <party>", "<party> shall"), and never where it is coordinated with
  another party ("Acme and Beta", "between Acme and Beta"), where the order
  means nothing;
* the sentence must restate the clause: at least half of the two token
  sequences aligns (:data:`RESTATES`), so a sentence compared with a
  neighbouring clause about something else is left alone;
* the parties are exchanged when more aligned placeholders name different
  parties than name the same one (counting only the parties involved).

Measured by ``python benchmarks/bench_judge.py --only party`` on the 39
CUAD contracts held out of training (1,177 sentences naming two parties,
each reworded and, as its minimal pair, with two parties exchanged by
``training/contract_edits.swap_parties``; lists such as "A or B" left out):
56% of the exchanges found against their source sentence (the order and
act rules alone: 5%); 0.17% of the faithful rewordings flagged, all by the
older rules; 0.6% flagged against the *next* sentence of the contract (a
wrong alignment; 0.26% before).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .names import ROLE_GROUPS, Name, roles_swapped

__all__ = ["RESTATES", "parties_exchanged", "parties_swapped"]

RESTATES = 0.5
"""Share of the two texts' tokens that must align (SequenceMatcher ratio) before parties are compared."""

_CAPS = re.compile(r"[A-Z][A-Za-z'’&.-]*[A-Za-z]|[A-Z]")
_RUN = re.compile(rf"(?:{_CAPS.pattern})(?:\s+(?:of|the|de|&)?\s*(?:{_CAPS.pattern}))*")
_LEADING = frozenset(
    """The This That These Those Each Either Neither Any All No Such Both If When Where Upon In On At By To
    For From With Without Under Unless Until Subject Notwithstanding Nothing Except Prior After
    Before""".split()  # noqa: SIM905
)
# The commercial role words of .names ("you", "we" are no parties here) and the roles CUAD contracts define.
_ROLE_WORDS = [word for group in ROLE_GROUPS for word in group if word not in ("you", "we")] + (
    """distributor sponsor franchisee franchisor manufacturer reseller consultant contractor agent developer
    publisher partner owner operator recipient discloser""".split()  # noqa: SIM905
)
_ROLE = re.compile(r"\b(?:" + "|".join(_ROLE_WORDS) + r")\b", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’&.-]*[A-Za-z]|[A-Za-z]|\d+|[^\sA-Za-z\d]")
_JOINS = frozenset({"and", "or", "&", ",", "nor", "/"})


def _party_runs(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, key)`` of the capitalised runs and role words of ``text``, without overlaps."""
    found: list[tuple[int, int, str]] = []
    for m in _RUN.finditer(text):
        words = m.group().split()
        start = m.start()
        while words and words[0].rstrip(",") in _LEADING:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        if not words:
            continue
        end = start + len(re.sub(r"['’]s$", "", text[start : m.end()]))  # "Distributor's" -> "Distributor"
        found.append((start, end, " ".join(text[start:end].split()).lower()))
    found += [(m.start(), m.end(), m.group().lower()) for m in _ROLE.finditer(text)]
    found.sort(key=lambda r: (r[0], -r[1]))
    out: list[tuple[int, int, str]] = []
    for run in found:
        if not out or run[0] >= out[-1][1]:
            out.append(run)
    return out


def _same_party(a: str, b: str) -> bool:
    """One key inside the other, word by word: "pretzel time" and "pretzel time, inc"."""
    wa, wb = a.replace(",", "").split(), b.replace(",", "").split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


Token = tuple[str, "tuple[int, int, str] | None"]


def _tokens(text: str, runs: list[tuple[int, int, str]], parties: set[str]) -> list[Token]:
    """Word tokens (first five letters, lower case); each run of a party becomes one ``"<P>"`` token."""
    out: list[Token] = []
    pos = 0
    for run in runs:
        if run[2] not in parties:
            continue
        out += [(w.lower()[:5], None) for w in _TOKEN.findall(text[pos : run[0]])]
        out.append(("<P>", run))
        pos = run[1]
    out += [(w.lower()[:5], None) for w in _TOKEN.findall(text[pos:])]
    return out


def _coordinated(tokens: list[Token], i: int) -> bool:
    """Whether the party at ``i`` is joined to another one ("A and B", "A or the B", "between A")."""

    def at(k: int) -> str:
        return tokens[k][0] if 0 <= k < len(tokens) else ""

    for step in (-1, 1):
        k = i + step
        if step < 0 and at(k) == "the":
            k += step
        if step < 0 and at(k) == "betwe":
            return True
        if at(k) not in _JOINS:
            continue
        k += step
        if at(k) == "the":
            k += step
        if at(k) == "<P>":
            return True
    return False


def parties_exchanged(sentence: str, clause: str) -> Name | None:
    """The first party of ``sentence`` that stands where ``clause`` has another party, or None.

    See the module's docstring for the rule. None when the texts share fewer
    than two parties, when the sentence does not restate the clause, or when
    the aligned parties mostly agree.

    Example:
        >>> parties_exchanged(
        ...     "Vendor will buy the Products from Distributor.",
        ...     "Distributor will purchase the Products from Vendor.",
        ... ).text
        'Vendor'
        >>> parties_exchanged("Acme and Beta shall meet.", "Beta and Acme shall meet.") is None
        True
    """
    s_runs, c_runs = _party_runs(sentence), _party_runs(clause)
    shared = {r[2] for r in s_runs} & {r[2] for r in c_runs}
    if len(shared) < 2:
        return None
    mine, theirs = _tokens(sentence, s_runs, shared), _tokens(clause, c_runs, shared)
    matcher = SequenceMatcher(None, [t for t, _ in mine], [t for t, _ in theirs], autojunk=False)
    if matcher.ratio() < RESTATES:
        return None
    pairs: list[tuple[tuple[int, int, str], str]] = []
    for a, b, size in matcher.get_matching_blocks():
        if size < 2:
            continue
        for k in range(size):
            run, other = mine[a + k][1], theirs[b + k][1]
            if run is None or other is None or _coordinated(mine, a + k) or _coordinated(theirs, b + k):
                continue
            pairs.append((run, other[2]))
    differ = [(run, key) for run, key in pairs if not _same_party(run[2], key)]
    involved = {run[2] for run, _ in differ} | {key for _, key in differ}
    agree = [run for run, key in pairs if _same_party(run[2], key) and run[2] in involved]
    if not differ or len(differ) <= len(agree):
        return None
    start, end, _ = differ[0][0]
    return Name("name", start, end, sentence[start:end])


def parties_swapped(sentence: str, clause: str) -> Name | None:
    """The party of ``sentence`` in the other party's place in ``clause``, by any of the three rules.

    The roles in the reverse order or the same act given to the other side
    (:func:`.names.roles_swapped`), else two parties exchanged in a
    restatement (:func:`parties_exchanged`). This is what the verifier's
    ``role_swap`` signal reads, and what ``benchmarks/bench_judge.py`` measures.
    """
    return roles_swapped(sentence, clause) or parties_exchanged(sentence, clause)
