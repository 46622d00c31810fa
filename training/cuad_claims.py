"""Summary-style claims from the lawyers' CUAD annotations: abstractive, in plain words.

CUAD's annotators marked, for 41 categories, whether a contract has such a
clause ("Cap On Liability: Yes") and which text it is, and normalised some
values (Agreement Date ``5/8/14``, Renewal Term ``successive 1 year``). A
summary writer states such a clause in their own words ("Liability under the
agreement is capped"), far from the contract's wording, which is what the
rule-made paraphrases of :mod:`training.contract_edits` cannot imitate. So:

* **entailed**: a plain claim of the category (or of the value) against a
  window around the annotated clause;
* **contradicted**: the opposite claim (for the categories whose opposite is
  unambiguous: "each party's liability is unlimited" against a cap), or the
  value changed (another date, another renewal period, another notice period);
* **neither**: the same plain claim against the window of a contract the
  lawyers marked *No* for that category, chosen as the window sharing most
  words with the claim, so that shared words do not mean "entailed".

Every claim below was written here, by category; none is copied from a
contract. All functions are deterministic given their ``random.Random``.
"""

from __future__ import annotations

import ast
import datetime as dt
import random
import re
from collections.abc import Callable, Sequence
from typing import Any

from training.contract_edits import CONTRADICTION, ENTAILMENT, NEUTRAL, content_words, tidy

# category -> (claims entailed by such a clause, claims it contradicts)
CATEGORY_CLAIMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Anti-Assignment": (
        (
            "The agreement cannot be freely assigned to someone else.",
            "Transferring the contract to another company is restricted.",
            "A party needs the other side's consent, or must meet conditions, to assign the agreement.",
        ),
        (
            "Either party may assign the agreement to anyone without any restriction.",
            "The contract can be transferred freely, with no consent needed.",
        ),
    ),
    "Non-Compete": (
        (
            "One party agrees not to compete with the other.",
            "The contract restricts a party from running a competing business.",
        ),
        ("Nothing in the agreement limits either party from competing.",),
    ),
    "No-Solicit Of Employees": (
        (
            "A party may not recruit the other party's employees.",
            "Hiring away the other side's staff is prohibited for a time.",
        ),
        ("Each party is free to hire the other's employees at any time.",),
    ),
    "No-Solicit Of Customers": (
        (
            "A party may not go after the other party's customers.",
            "Soliciting the other side's clients is restricted.",
        ),
        (),
    ),
    "Audit Rights": (
        (
            "One party has the right to audit or inspect the other's records.",
            "The books and records can be checked by the other party.",
        ),
        ("Neither party may inspect the other's books or records.",),
    ),
    "Cap On Liability": (
        (
            "Liability under the agreement is limited.",
            "There is a cap on how much a party can be liable for.",
            "Damages a party can recover are restricted by the contract.",
        ),
        ("Each party's liability under the agreement is unlimited.",),
    ),
    "Insurance": (
        (
            "A party must maintain insurance.",
            "The contract requires a party to carry insurance cover.",
        ),
        ("No party is required to carry any insurance.",),
    ),
    "Termination For Convenience": (
        (
            "A party can end the agreement without having to show a breach.",
            "The contract may be terminated for convenience.",
        ),
        ("The agreement can only be ended for cause, never for convenience.",),
    ),
    "Minimum Commitment": (
        (
            "A party commits to a minimum amount of purchases or orders.",
            "There is a minimum commitment in the agreement.",
        ),
        ("There is no minimum purchase or order requirement.",),
    ),
    "License Grant": (
        (
            "One party grants the other a licence.",
            "The agreement gives a party permission to use the other's rights.",
        ),
        (),
    ),
    "Non-Transferable License": (
        (
            "The licence granted cannot be transferred.",
            "The licensee may not pass its licence on to others.",
        ),
        ("The licence can be transferred freely.",),
    ),
    "Irrevocable Or Perpetual License": (("The licence is perpetual or irrevocable.",), ()),
    "Source Code Escrow": (("Source code is to be deposited with an escrow agent.",), ()),
    "Most Favored Nation": (
        ("A party is promised terms at least as good as those given to others.",),
        (),
    ),
    "Liquidated Damages": (("The contract fixes an amount of damages in advance.",), ()),
    "Warranty Duration": (("A warranty applies for a set period.",), ()),
    "Post-Termination Services": (
        ("Some services or obligations continue after the agreement ends.",),
        (),
    ),
    "Ip Ownership Assignment": (
        ("Intellectual property created under the agreement is assigned to one party.",),
        (),
    ),
    "Joint Ip Ownership": (("Some intellectual property is owned jointly.",), ()),
    "Covenant Not To Sue": (("A party agrees not to sue over or challenge the other's rights.",), ()),
    "Third Party Beneficiary": (("Someone who is not a party can enforce part of the contract.",), ()),
    "Change Of Control": (
        ("A change in who controls a party has consequences under the agreement.",),
        (),
    ),
    "Revenue/Profit Sharing": (("The parties share revenue or profits.",), ()),
    "Price Restrictions": (("The contract restricts changes to prices.",), ()),
    "Volume Restriction": (("The contract limits the volume or number of uses.",), ()),
    "Rofr/Rofo/Rofn": (("A party has a right of first refusal, offer or negotiation.",), ()),
    "Non-Disparagement": (("A party may not speak badly of the other.",), ()),
    "Exclusivity": (
        (
            "The arrangement is exclusive in some respect.",
            "A party is given exclusive rights or must deal exclusively.",
        ),
        (),
    ),
}

DATE_CLAIMS: dict[str, tuple[str, ...]] = {
    "Agreement Date": (
        "The agreement is dated {}.",
        "The contract was made on {}.",
        "The parties entered into the agreement on {}.",
    ),
    "Expiration Date": (
        "The agreement runs until {}.",
        "The initial term ends on {}.",
        "The contract expires on {}.",
    ),
}

PERIOD_CLAIMS: dict[str, tuple[str, ...]] = {
    "Renewal Term": (
        "After its first term, the agreement renews for further periods of {}.",
        "The contract renews for {} at a time.",
    ),
    "Notice Period To Terminate Renewal": (
        "To stop the agreement renewing, a party must give {} notice.",
        "Notice of non-renewal is due {} before the term ends.",
    ),
}

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def contexts(record: dict, category: str) -> list[str]:
    """The annotated clause texts of one category (empty when the lawyers found none)."""
    raw = (record["clauses"].get(category) or {}).get("context", "[]") or "[]"
    try:
        items = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return []
    return [t for t in items if isinstance(t, str) and len(t.split()) >= 3]


def answer(record: dict, category: str) -> str:
    return str((record["clauses"].get(category) or {}).get("answer", "") or "")


def locate(document: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` stands in ``document``, allowing for different whitespace."""
    words = text.split()
    if not words:
        return None
    head = r"\s+".join(map(re.escape, words[:10]))
    m = re.search(head, document)
    if m is None:
        return None
    tail = r"\s+".join(map(re.escape, words[-6:]))
    t = re.compile(tail).search(document, m.start())
    end = t.end() if t is not None and t.end() - m.start() < 4 * len(text) + 200 else m.end()
    return m.start(), end


def window(document: str, span: tuple[int, int], rng: random.Random, limit: int = 1400) -> str:
    """The span with up to 300 characters either side, cut at word boundaries, at most ``limit``."""
    a, b = span
    a = max(0, a - rng.randint(0, 300))
    b = min(len(document), b + rng.randint(0, 300))
    text = document[a:b]
    if a > 0 and " " in text:
        text = text[text.index(" ") + 1 :]
    if b < len(document) and " " in text:
        text = text[: text.rindex(" ")]
    return tidy(text)[:limit]


def overlapping_window(document: str, claim: str, rng: random.Random) -> str | None:
    """The 600-character stretch of ``document`` that shares most words with ``claim``."""
    want = content_words(claim)
    starts = list(range(0, max(1, len(document) - 600), 300))
    if not starts:
        return None
    rng.shuffle(starts)
    best = max(starts[:60], key=lambda s: len(want & content_words(document[s : s + 600])))
    return window(document, (best, min(len(document), best + 600)), rng, limit=900)


def parse_date(text: str) -> dt.date | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*", text)
    if m is None:
        return None
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if year < 100:
        year += 2000 if year < 40 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def say_date(d: dt.date, rng: random.Random) -> str:
    month = _MONTHS[d.month - 1]
    return f"{month} {d.day}, {d.year}" if rng.random() < 0.6 else f"{d.day} {month} {d.year}"


def other_date(d: dt.date, rng: random.Random) -> dt.date:
    """Another plausible date: a different year, month or day."""
    how = rng.choice(("year", "month", "day"))
    if how == "year":
        return d.replace(year=d.year + rng.choice((-2, -1, 1, 2, 3)))
    if how == "month":
        return d.replace(month=rng.choice([m for m in range(1, 13) if m != d.month]), day=min(d.day, 28))
    return d.replace(day=rng.choice([x for x in range(1, 29) if x != d.day]))


def parse_period(text: str) -> tuple[int, str] | None:
    """``"successive 1 year"`` -> (1, "year"); ``"30 days"`` -> (30, "day")."""
    m = re.search(r"(\d+)\s*[- ]?\s*(year|month|day|week)s?", text.lower())
    if m is None:
        return None
    return int(m.group(1)), m.group(2)


def say_period(n: int, unit: str, rng: random.Random) -> str:
    spelled = n <= 12 and rng.random() < 0.5
    number = _NUMBERS[n - 1] if spelled and n >= 1 else str(n)
    return f"{number} {unit}" + ("s" if n != 1 else "")


def other_period(n: int, rng: random.Random) -> int:
    choices = {1, 2, 3, 5, 6, 10, 12, 15, 30, 45, 60, 90, 120, 180} - {n}
    return rng.choice(sorted(choices))


_VALUES: tuple[
    tuple[
        str,
        dict[str, tuple[str, ...]],
        Callable[[str], Any],
        Callable[[Any, random.Random], str],
        Callable[[Any, random.Random], Any],
    ],
    ...,
] = (
    ("date", DATE_CLAIMS, parse_date, say_date, other_date),
    (
        "period",
        PERIOD_CLAIMS,
        parse_period,
        lambda v, rng: say_period(v[0], v[1], rng),
        lambda v, rng: (other_period(v[0], rng), v[1]),
    ),
)
"""Annotated values a claim states, then changes: (kind, templates, parse, say, change)."""


def claim_pairs(record: dict, others: Sequence[dict], rng: random.Random) -> list[tuple[str, str, int, str]]:
    """(evidence, claim, label, kind) from one contract's annotations.

    ``others`` are contracts of the same split; a contract the lawyers marked
    *No* for a category gives that category's "neither" evidence.
    """
    doc = record["document"]
    out: list[tuple[str, str, int, str]] = []
    for category, (entailed, contradicted) in CATEGORY_CLAIMS.items():
        texts = contexts(record, category)
        if answer(record, category).lower() != "yes" or not texts:
            continue
        span = locate(doc, rng.choice(texts))
        if span is None:
            continue
        evidence = window(doc, span, rng)
        claim = rng.choice(entailed)
        out.append((evidence, claim, ENTAILMENT, f"clause:{category}"))
        if contradicted and rng.random() < 0.6:
            out.append((evidence, rng.choice(contradicted), CONTRADICTION, f"clause_opposite:{category}"))
        without = [o for o in others if answer(o, category).lower() == "no" and o["id"] != record["id"]]
        if without:
            far = overlapping_window(rng.choice(without)["document"], claim, rng)
            if far:
                out.append((far, claim, NEUTRAL, f"clause_absent:{category}"))
    for kind, categories, parse, say, change in _VALUES:
        for category, templates in categories.items():
            value = parse(answer(record, category))
            texts = contexts(record, category)
            if value is None or not texts:
                continue
            span = locate(doc, texts[0])
            if span is None:
                continue
            evidence = window(doc, span, rng)
            t = rng.choice(templates)
            out.append((evidence, t.format(say(value, rng)), ENTAILMENT, f"{kind}:{category}"))
            wrong = change(value, rng)
            out.append((evidence, t.format(say(wrong, rng)), CONTRADICTION, f"{kind}_changed:{category}"))
    return out
