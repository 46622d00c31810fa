"""Rule-made claims from real contract sentences: faithful paraphrases, contradictions and neutrals.

Each function takes one contract sentence (and what is known of its contract)
and returns a claim with its label and the kind of edit, or ``None`` when the
rule does not apply. The contradictions are the errors users meet in contract
summaries: a negated or weakened obligation (shall -> shall not, shall ->
may), swapped parties, a changed duration, amount, date or percentage, a
governing law moved to another place the same contract names, a dropped
exception, a widened scope, an antonym (exclusive -> non-exclusive). The
faithful claims are paraphrases ("terminate" -> "end", "thirty (30) days" ->
"30 days"), so the judge learns that wording alone is no contradiction.

All rules are deterministic given the ``random.Random`` they receive.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

ENTAILMENT, CONTRADICTION, NEUTRAL = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Claim:
    """One rule-made claim about a piece of contract text."""

    text: str
    label: int
    kind: str


US_STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "Wisconsin",
    "Wyoming",
] + [
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "West Virginia",
    "District of Columbia",
]
COUNTRIES = [
    "England",
    "Scotland",
    "Ireland",
    "Canada",
    "Ontario",
    "Quebec",
    "Germany",
    "France",
    "Japan",
    "China",
    "Singapore",
    "Switzerland",
    "Netherlands",
    "Israel",
    "India",
    "Australia",
    "Delaware",
    "Hong",
    "Kong",
    "Sweden",
    "Norway",
    "Denmark",
    "Italy",
    "Spain",
    "Korea",
    "Taiwan",
    "Mexico",
    "Brazil",
    "Bermuda",
    "Luxembourg",
    "Belgium",
]
PLACES = tuple(dict.fromkeys(US_STATES + COUNTRIES + ["Hong Kong", "British Columbia", "Cayman Islands"]))
_PLACE_RE = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True)) + r")\b"
)

# Faithful rewordings: (pattern, replacements). Applied to a sentence to make a paraphrase.
PARAPHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"\bshall\b(?! not| mean| be deemed| include| have the meaning| refer)",
        ("must", "will", "is required to"),
    ),
    (r"\bterminate\b", ("end", "cancel", "bring to an end")),
    (r"\btermination\b", ("ending", "end", "cancellation")),
    (r"\bthis Agreement\b", ("the agreement", "the contract", "this contract")),
    (r"\bprior to\b", ("before",)),
    (r"\bpursuant to\b", ("under",)),
    (r"\bin accordance with\b", ("under", "according to")),
    (r"\bin the event that\b", ("if",)),
    (r"\bin the event of\b", ("in case of", "if there is")),
    (r"\bcommence\b", ("begin", "start")),
    (r"\bcommencement\b", ("start", "beginning")),
    (r"\bnotwithstanding\b", ("despite",)),
    (r"\bupon\b", ("on",)),
    (r"\bprovide\b", ("give", "supply")),
    (r"\bpurchase\b", ("buy",)),
    (r"\bobtain\b", ("get",)),
    (r"\brequire\b", ("need",)),
    (r"\bremuneration\b", ("pay",)),
    (r"\bindemnify\b", ("compensate",)),
    (r"\bexecute\b", ("sign",)),
    (r"\bassign\b", ("transfer",)),
    (r"\bwritten notice\b", ("notice in writing",)),
    (r"\bsuch\b", ("that", "the")),
    (r"\bhereunder\b", ("under the agreement",)),
    (r"\bhereto\b", ("to the agreement",)),
    (r"\bhereof\b", ("of the agreement",)),
    (r"\bherein\b", ("in the agreement",)),
    (r"\bthereof\b", ("of it",)),
    (r"\bapproximately\b", ("about",)),
    (r"\bcontinue\b", ("remain", "carry on")),
    (r"\bdeemed\b", ("treated as", "considered")),
    (r"\bentitled to\b", ("allowed to", "permitted to")),
)

NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
TENS = {"thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100}
_WORD_NUM = {w: i for i, w in enumerate(NUMBER_WORDS)} | TENS
_NUM_WORD = {v: k for k, v in _WORD_NUM.items()}
_PAREN_NUM = re.compile(r"\b([A-Za-z\-]+(?: [a-z\-]+)?)\s*\((\d+)\)")
_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")

# Polarity and modality flips: (pattern, replacement, kind).
FLIPS: tuple[tuple[str, str, str], ...] = (
    (r"\bshall not\b", "shall", "negation"),
    (r"\bmay not\b", "may", "negation"),
    (r"\bwill not\b", "will", "negation"),
    (r"\bmust not\b", "must", "negation"),
    (r"\bis not\b", "is", "negation"),
    (r"\bare not\b", "are", "negation"),
    (r"\bdoes not\b", "does", "negation"),
    (r"\bshall(?! not)\b", "shall not", "negation"),
    (r"\bwill(?! not)\b", "will not", "negation"),
    (r"\bmust(?! not)\b", "must not", "negation"),
    (r"\bmay(?! not)\b", "may not", "negation"),
    (r"\bshall(?! not)\b", "may", "modality"),
    (r"\bmust(?! not)\b", "may", "modality"),
    (r"\bshall not\b", "may", "modality"),
    (r"\bmay not\b", "shall", "modality"),
    (r"\bis required to\b", "may", "modality"),
    (r"\bagrees to\b", "is not required to", "negation"),
    (r"\bagrees not to\b", "may", "modality"),
)

ANTONYMS: tuple[tuple[str, str], ...] = (
    ("non-exclusive", "exclusive"),
    ("nonexclusive", "exclusive"),
    ("non-transferable", "transferable"),
    ("nontransferable", "transferable"),
    ("irrevocable", "revocable"),
    ("non-refundable", "refundable"),
    ("including", "excluding"),
    ("before", "after"),
    ("prior to", "after"),
    ("increase", "decrease"),
    ("maximum", "minimum"),
    ("at least", "at most"),
    ("no more than", "no less than"),
    ("not less than", "not more than"),
    ("exceed", "fall below"),
    ("with cause", "without cause"),
    ("for cause", "for convenience"),
    ("in writing", "orally"),
    ("written", "oral"),
    ("worldwide", "domestic"),
    ("perpetual", "temporary"),
    ("sole", "shared"),
    ("gross", "net"),
    ("automatically renew", "expire"),
    ("renew", "expire"),
    ("terminate", "renew"),
    ("accept", "reject"),
    ("approve", "reject"),
    ("grant", "deny"),
    ("grants", "denies"),
    ("indemnify", "be indemnified by"),
    ("first", "last"),
    ("earlier", "later"),
    ("minimum", "maximum"),
)

EXCEPTION_RE = re.compile(
    r"[,;]?\s*(?:\(?[a-z]\)\s*)?(?:except|unless|other than|save|excluding|provided(?:,)? (?:however|that)"
    r"|subject to|without the prior)\b[^.;]*",
    re.IGNORECASE,
)
SCOPE: tuple[tuple[str, str], ...] = (
    ("the Territory", "any country"),
    ("the Purpose", "any purpose"),
    ("the Products", "any products"),
    ("in the Territory", "anywhere"),
    ("some", "all"),
    ("solely", "also"),
    ("only", "also"),
    ("any", "no"),
    ("each", "one"),
    ("all", "some"),
    ("its employees", "anyone"),
    ("its Affiliates", "any third party"),
    ("during the Term", "at any time"),
    ("need to know", "ask for it"),
)


def content_words(text: str) -> set[str]:
    """The lower-cased words of more than three letters: what two texts must share to be about the same."""
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def _sub_once(pattern: str, repl: str, text: str, rng: random.Random) -> str | None:
    hits = list(re.finditer(pattern, text))
    if not hits:
        return None
    m = rng.choice(hits)
    rep = repl
    if m.group(0)[:1].isupper():
        rep = repl[:1].upper() + repl[1:]
    return text[: m.start()] + rep + text[m.end() :]


def tidy(text: str) -> str:
    """Whitespace collapsed; stray spaces before punctuation removed."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.;:])", r"\1", text)


PLAIN: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bshall be entitled to\b", ("may", "can", "has the right to")),
    (r"\bshall have the right to\b", ("may", "can", "is allowed to")),
    (r"\bis entitled to\b", ("can", "may")),
    (r"\bshall not be permitted to\b", ("may not", "cannot")),
    (r"\bshall be responsible for\b", ("is responsible for", "must take care of")),
    (r"\bshall be\b", ("will be", "is")),
    (r"\bshall not\b", ("must not", "will not", "may not")),
    (r"\bexpiration\b", ("end", "expiry")),
    (r"\bexpire\b", ("end", "run out")),
    (r"\bset forth in\b", ("in", "given in", "listed in")),
    (r"\bwith respect to\b", ("for", "about", "regarding")),
    (r"\bin connection with\b", ("related to", "in relation to", "for")),
    (r"\bany and all\b", ("all", "any")),
    (r"\bincluding,? but not limited to,?", ("including", "such as")),
    (r"\bincluding,? without limitation,?", ("including", "such as")),
    (r"\bsole and exclusive\b", ("only", "exclusive")),
    (r"\bat its (?:sole|own) (?:cost and )?expense\b", ("at its own cost", "paying for it itself")),
    (r"\bthereafter\b", ("after that", "afterwards")),
    (r"\bthe foregoing\b", ("the above", "this")),
    (r"\bfor a period of\b", ("for",)),
    (r"\bfurnish\b", ("give", "provide")),
    (r"\brequest\b", ("ask for", "request")),
    (r"\bconsent\b", ("approval", "permission", "agreement")),
    (r"\bdisclose\b", ("reveal", "share", "give out")),
    (r"\butilize\b", ("use",)),
    (r"\bmodify\b", ("change", "alter")),
    (r"\bamend\b", ("change",)),
    (r"\badditional\b", ("extra", "further")),
    (r"\bmaterially breaches\b", ("seriously breaches", "commits a material breach of")),
    (r"\bmaterial breach\b", ("serious breach", "major breach")),
    (r"\bcure\b", ("fix", "remedy", "correct")),
    (r"\bremit\b", ("pay", "send")),
    (r"\breimburse\b", ("pay back", "repay")),
    (r"\bcompensation\b", ("pay", "payment")),
    (r"\bforthwith\b", ("at once", "immediately")),
    (r"\bpromptly\b", ("quickly", "without delay")),
    (r"\bcommercially reasonable efforts\b", ("reasonable efforts", "reasonable steps")),
    (r"\bbest efforts\b", ("its best", "every effort")),
    (r"\bsufficient\b", ("enough",)),
    (r"\bpermit\b", ("allow", "let")),
    (r"\bprohibited from\b", ("barred from", "not allowed to be")),
    (r"\bpayable\b", ("due", "owed")),
    (r"\breceipt\b", ("receiving", "getting")),
    (r"\bcommunicate\b", ("tell", "pass on")),
    (r"\bterminated\b", ("ended", "cancelled")),
    (r"\bexecuted\b", ("signed",)),
    (r"\bperformance\b", ("carrying out", "delivery")),
    (r"\bindividual\b", ("person",)),
    (r"\bthe Receiving Party\b", ("the recipient", "the receiving party")),
    (r"\bthe Disclosing Party\b", ("the discloser", "the disclosing party")),
    (r"\bConfidential Information\b", ("confidential information", "confidential material")),
    (r"\bEffective Date\b", ("start date", "effective date")),
    (r"\bthe Term\b", ("the term", "the contract period")),
)
"""Plain-English rewordings a summary writer uses, each keeping the meaning."""

PLAIN_RESTRICTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bsolely\b", ("only", "exclusively")),
    (r"\bexclusively\b", ("only", "solely")),
    (r"\b(?:shall|must) use\b(?=[^.;]*\b(?:solely|only|exclusively)\b)", ("may use",)),
)
"""Recipe 3's rewordings of a restriction: "shall use it solely for X" is "may use it only for X"."""

FILLERS: tuple[str, ...] = (
    r"^(?:Subject to the (?:terms and conditions|provisions) (?:of|in) this Agreement|"
    r"Notwithstanding anything (?:to the contrary )?(?:contained )?(?:herein|in this Agreement)"
    r"(?: to the contrary)?|In addition|Further(?:more)?|Moreover|The Parties (?:hereby )?agree that"
    r"|It is (?:hereby )?(?:agreed|understood) that),?\s+",
    r"\s+(?:hereunder|hereto|herein|hereof)\b",
    r",?\s+(?:in accordance with|pursuant to|under) (?:the terms of )?this Agreement(?=[,.;])",
)
"""Legal filler a summary leaves out, removable without changing what is said."""


def paraphrase(
    sentence: str,
    rng: random.Random,
    strength: int = 3,
    aliases: Sequence[tuple[str, str]] = (),
    plain: bool = True,
    extra: Sequence[tuple[str, tuple[str, ...]]] = (),
) -> str:
    """A faithful rewording: synonyms, digits for ``thirty (30)``, defined-term parentheses dropped.

    ``strength`` is how many rewording rules may apply (the plain-English ones
    of :data:`PLAIN` included); at 6 and over the legal filler of
    :data:`FILLERS` goes too, as a summary writer drops it. ``aliases`` maps a
    contract's defined term to what a summary may call the party instead
    (``"Licensee"`` -> ``"Acme Corp."``): a summary that names the party is
    no contradiction. ``plain=False`` keeps to the synonym rules of
    :data:`PARAPHRASES` (the first judge run's rewording); ``extra`` adds
    rules to the plain ones (recipe 3: :data:`PLAIN_RESTRICTIONS`).
    """
    out = _PAREN_NUM.sub(
        lambda m: (
            m.group(2)
            if m.group(1).lower().replace(" ", "-") in _WORD_NUM or m.group(1).lower() in _WORD_NUM
            else m.group(0)
        ),
        sentence,
    )
    out = re.sub(r'\s*\((?:the |each a |each, a |collectively,? the )?["“][^"”]{1,40}["”]\)', "", out)
    out = re.sub(r"\s*\((?:as defined [^)]*|hereinafter [^)]*)\)", "", out)
    if strength >= 6:
        for filler in FILLERS:
            cut = re.sub(filler, "", out, count=1)
            if cut != out and len(cut.split()) >= 5:
                out = cut[:1].upper() + cut[1:]
    for term, name in aliases:
        if rng.random() < 0.5:
            out = re.sub(r"\b(?:the )?" + re.escape(term) + r"\b", name, out)
    rules = PARAPHRASES + PLAIN + tuple(extra) if plain and strength >= 3 else PARAPHRASES
    options = [p for p in rules if re.search(p[0], out)]
    rng.shuffle(options)
    for pattern, reps in options[:strength]:
        out = _sub_once(pattern, rng.choice(reps), out, rng) or out
    return tidy(out)


_RESTRICTED = re.compile(r"[^.;]*?\b(?:solely|only|exclusively)\b")


def _restriction_weakened(sentence: str, pattern: str, repl: str) -> bool:
    """Whether ``shall -> may`` would turn a restriction ("shall use it solely for X") into its equal."""
    if repl != "may":
        return False
    m = re.search(pattern, sentence)
    return m is not None and "not" not in m.group() and _RESTRICTED.match(sentence, m.end()) is not None


def flip_polarity(sentence: str, rng: random.Random, *, restrictions: bool = False) -> Claim | None:
    """Negate an obligation or permission, or weaken it (shall -> may).

    With ``restrictions`` (recipe 3), "shall use it solely for X" is never
    weakened to "may use it solely for X": the two say the same.
    """
    options = [f for f in FLIPS if re.search(f[0], sentence)]
    if restrictions:
        options = [f for f in options if not _restriction_weakened(sentence, f[0], f[1])]
    if not options:
        return None
    pattern, repl, kind = rng.choice(options)
    out = _sub_once(pattern, repl, sentence, rng)
    return None if out is None else Claim(out, CONTRADICTION, kind)


def _other_number(value: int, rng: random.Random) -> int:
    choices = [value * 2, value + 1 if value < 10 else value + 5, max(1, value // 2), value * 3, value + 10]
    if value in (30, 60, 90):
        choices += [v for v in (15, 30, 45, 60, 90, 120, 180) if v != value]
    if 1900 < value < 2100:
        choices = [value + d for d in (-2, -1, 1, 2, 3)]
    choices = [c for c in choices if c != value and c > 0]
    return rng.choice(choices)


def change_number(sentence: str, rng: random.Random) -> Claim | None:
    """Change one figure: a duration, amount, percentage, count or year."""
    paren = list(_PAREN_NUM.finditer(sentence))
    paren = [
        m
        for m in paren
        if m.group(1).lower() in _WORD_NUM or m.group(1).lower().replace(" ", "-") in _WORD_NUM
    ]
    if paren and rng.random() < 0.6:
        m = rng.choice(paren)
        new = _other_number(int(m.group(2)), rng)
        word = _NUM_WORD.get(new, str(new))
        if m.group(1)[:1].isupper():
            word = word.capitalize()
        return Claim(sentence[: m.start()] + f"{word} ({new})" + sentence[m.end() :], CONTRADICTION, "number")
    digits = [m for m in _DIGITS.finditer(sentence) if not re.match(r"\d+\.\d", sentence[m.start() :])]
    # Section references ("Section 12.3") are no facts: skip digits right after such words.
    digits = [
        m
        for m in digits
        if not re.search(r"(?:Section|Sections|Article|Clause|Exhibit|Schedule|§)\s*$", sentence[: m.start()])
    ]
    if digits:
        m = rng.choice(digits)
        value = int(m.group(1).replace(",", ""))
        new = _other_number(value, rng)
        text = f"{new:,}" if "," in m.group(1) else str(new)
        return Claim(sentence[: m.start()] + text + sentence[m.end() :], CONTRADICTION, "number")
    words = [m for m in re.finditer(r"\b(" + "|".join(_WORD_NUM) + r")\b", sentence, re.IGNORECASE)]
    words = [m for m in words if m.group(1).lower() not in ("zero", "one")]
    if words:
        m = rng.choice(words)
        new = _other_number(_WORD_NUM[m.group(1).lower()], rng)
        return Claim(
            sentence[: m.start()] + _NUM_WORD.get(new, str(new)) + sentence[m.end() :],
            CONTRADICTION,
            "number",
        )
    return None


def swap_parties(sentence: str, parties: Sequence[str], rng: random.Random) -> Claim | None:
    """Exchange two parties' names or roles ("Licensor" <-> "Licensee") where both appear."""
    present = [p for p in parties if re.search(r"\b" + re.escape(p) + r"\b", sentence)]
    # Longest first, ties by name: a set's own order depends on Python's string hashing.
    present = sorted(set(present), key=lambda p: (-len(p), p))
    # Keep names that do not contain each other ("Company" inside "the Company's").
    picked: list[str] = []
    for p in present:
        if not any(p in q or q in p for q in picked):
            picked.append(p)
    if len(picked) < 2:
        return None
    a, b = rng.sample(picked, 2)
    token = "\x00"
    out = re.sub(r"\b" + re.escape(a) + r"\b", token, sentence)
    out = re.sub(r"\b" + re.escape(b) + r"\b", a, out)
    out = out.replace(token, b)
    return None if out == sentence else Claim(out, CONTRADICTION, "party_swap")


def move_place(sentence: str, document: str, rng: random.Random) -> Claim | None:
    """Replace a place (governing law, venue) by another place the same contract names elsewhere."""
    here = [m for m in _PLACE_RE.finditer(sentence)]
    if not here:
        return None
    m = rng.choice(here)
    others = sorted({p for p in _PLACE_RE.findall(document) if p != m.group(1) and p not in sentence})
    kind = "place_named"
    if not others:
        others = [p for p in PLACES if p != m.group(1)]
        kind = "place_unnamed"
    new = rng.choice(others)
    return Claim(sentence[: m.start()] + new + sentence[m.end() :], CONTRADICTION, kind)


def use_antonym(sentence: str, rng: random.Random) -> Claim | None:
    """Replace a word by its opposite (exclusive <-> non-exclusive, before <-> after)."""
    options = []
    for a, b in ANTONYMS:
        for x, y in ((a, b), (b, a)):
            if re.search(r"\b" + re.escape(x) + r"\b", sentence, re.IGNORECASE):
                options.append((x, y))
    if not options:
        return None
    x, y = rng.choice(options)
    hits = list(re.finditer(r"\b" + re.escape(x) + r"\b", sentence, re.IGNORECASE))
    m = rng.choice(hits)
    if y == "exclusive" and sentence[max(0, m.start() - 4) : m.start()].lower().endswith("non-"):
        return None
    rep = y[:1].upper() + y[1:] if m.group(0)[:1].isupper() else y
    return Claim(sentence[: m.start()] + rep + sentence[m.end() :], CONTRADICTION, "antonym")


def drop_exception(sentence: str, rng: random.Random) -> Claim | None:
    """State the rule without its exception: an absolute claim the clause does not make."""
    m = EXCEPTION_RE.search(sentence)
    if not m or m.end() - m.start() < 12:
        return None
    out = tidy(sentence[: m.start()] + sentence[m.end() :])
    if len(out.split()) < 6 or not re.search(r"\b(?:shall|may|will|must|not)\b", out):
        return None
    return Claim(out, CONTRADICTION, "exception_dropped")


_GRANTED = re.compile(
    r"\b(?:shall|will|may|must)\s+not\s+(?P<verb>(?:directly\s+or\s+indirectly\s+)?[a-z]+)\b"
    r"(?P<object>[^;.:]*?)\s*,?\s*\b(?:except|other\s+than|save)\s+(?P<exception>[^;:]+?)\s*(?:[;:]|\.?$)",
    re.IGNORECASE,
)
_ANY_TAIL = re.compile(
    r"\s+(?P<prep>to|for|with|by)\s+any\s+(?:(?:other|third)\s+)?"
    r"(?:part(?:y|ies)|persons?|entit(?:y|ies)|purposes?|one|individuals?|third\s+part(?:y|ies))\s*$",
    re.IGNORECASE,
)
_LEADS_WITH_PREPOSITION = re.compile(r"(?:to|for|with|by|as|in|on|under|where|if|when|pursuant)\b", re.I)
_MODAL = re.compile(r"\b(?:shall|will|may|must|agrees?)\b", re.IGNORECASE)
_WITHOUT_CONSENT = re.compile(
    r"\b(?:shall|will|may|must)\s+not\s+(?P<verb>[a-z]+)\b(?P<object>[^;.:,]*?)\s*,?\s*\bwithout\s+"
    r"(?P<consent>(?:the\s+)?(?:prior\s+)?(?:express\s+)?(?:written\s+)?(?:consent|approval)\s+of\s+[^;:,.]+?)"
    r"\s*(?:[;:,]|\.?$)",
    re.IGNORECASE,
)
_NOT_ACTIONS = frozenset({"be", "have", "to"})
"""Words after "shall not" that are no action to permit ("shall not be liable")."""


def grant_exception(sentence: str) -> tuple[Claim, Claim] | None:
    """The permission a prohibition's exception grants (entailed), and the prohibition lifted (contradicted).

    "The Recipient shall not disclose Confidential Information to any third
    party except to its employees who need to know it" entails "The Recipient
    may disclose Confidential Information to its employees who need to know
    it" and contradicts "The Recipient may disclose Confidential Information
    to any third party". Without the entailed half, the "shall not -> may"
    flips teach that a permission read against a prohibition is always its
    opposite, which real contracts, granting permissions as exceptions, show
    to be wrong. Only where the prohibition names its scope ("to any third
    party", "for any purpose"), so that the lifted claim is plainly wider
    than the exception; or where it needs a consent ("shall not assign it
    without the prior written consent of the Licensor": "may assign it with
    ..." entailed, "... without anyone's consent" contradicted). Never where
    another modal verb comes first (a compound clause); deterministic.
    """
    m = _GRANTED.search(sentence)
    if m is None or _MODAL.search(sentence, 0, m.start()):
        # none, or a compound clause ("shall keep it and may publish ... and shall not use"): too tangled
        return _granted_with_consent(sentence)
    verb, obj, exception = m.group("verb"), m.group("object"), m.group("exception").strip().rstrip(".,")
    tail = _ANY_TAIL.search(obj)
    if tail is None or len(exception.split()) < 2 or verb.lower() in _NOT_ACTIONS:
        return None
    head = obj[: tail.start()]
    if not _LEADS_WITH_PREPOSITION.match(exception):
        exception = f"{tail.group('prep')} {exception}"
    before = sentence[: m.start()]
    granted = tidy(f"{before}may {verb}{head} {exception}").rstrip(".,") + "."
    lifted = tidy(f"{before}may {verb}{obj}").rstrip(".,") + "."
    return Claim(granted, ENTAILMENT, "exception_granted"), Claim(lifted, CONTRADICTION, "prohibition_lifted")


def _granted_with_consent(sentence: str) -> tuple[Claim, Claim] | None:
    """The pair for "shall not assign it without the consent of X" ("may ... with" and "... without")."""
    m = _WITHOUT_CONSENT.search(sentence)
    if m is None or _MODAL.search(sentence, 0, m.start()) or m.group("verb").lower() in _NOT_ACTIONS:
        return None
    before, verb, obj = sentence[: m.start()], m.group("verb"), m.group("object")
    granted = tidy(f"{before}may {verb}{obj} with {m.group('consent')}").rstrip(".,") + "."
    lifted = tidy(f"{before}may {verb}{obj} without anyone's consent").rstrip(".,") + "."
    return Claim(granted, ENTAILMENT, "exception_granted"), Claim(lifted, CONTRADICTION, "prohibition_lifted")


def widen_scope(sentence: str, rng: random.Random) -> Claim | None:
    """Widen or narrow what the clause covers ("the Territory" -> "any country", "only" -> "also")."""
    options = [(a, b) for a, b in SCOPE if re.search(r"\b" + re.escape(a) + r"\b", sentence)]
    if not options:
        return None
    a, b = rng.choice(options)
    out = _sub_once(r"\b" + re.escape(a) + r"\b", b, sentence, rng)
    return None if out is None else Claim(out, CONTRADICTION, "scope")


def clause_part(sentence: str, rng: random.Random) -> str | None:
    """A leading part of a long sentence that stands on its own (a summary states less, not more).

    Cut only before ``; `` or ``, and `` where no exception follows, so the part
    never drops a condition of what it keeps.
    """
    cuts = [m.start() for m in re.finditer(r";\s|,\s+and\s", sentence)]
    cuts = [c for c in cuts if len(sentence[:c].split()) >= 8]
    if not cuts:
        return None
    c = rng.choice(cuts)
    head = sentence[:c]
    last = head.split()[-1].lower() if head.split() else ""
    if EXCEPTION_RE.search(sentence[c : c + 80]) or last in _DANGLING:
        return None
    return tidy(head) + "."


_DANGLING = frozenset(
    [
        "or",
        "and",
        "of",
        "to",
        "the",
        "a",
        "an",
        "any",
        "in",
        "for",
        "with",
        "by",
        "on",
        "at",
        "from",
        "as",
        "that",
        "which",
    ]
)

CONTRADICTION_RULES = ("polarity", "number", "party", "place", "antonym", "exception", "scope")


def contradiction(
    sentence: str,
    *,
    parties: Sequence[str],
    document: str,
    rng: random.Random,
    rule: str,
    restrictions: bool = False,
) -> Claim | None:
    """Apply one named contradiction rule (see :data:`CONTRADICTION_RULES`; ``restrictions``: recipe 3)."""
    if rule == "polarity":
        return flip_polarity(sentence, rng, restrictions=restrictions)
    if rule == "number":
        return change_number(sentence, rng)
    if rule == "party":
        return swap_parties(sentence, parties, rng)
    if rule == "place":
        return move_place(sentence, document, rng)
    if rule == "antonym":
        return use_antonym(sentence, rng)
    if rule == "exception":
        return drop_exception(sentence, rng)
    if rule == "scope":
        return widen_scope(sentence, rng)
    raise ValueError(f"unknown rule {rule!r}; use one of {CONTRADICTION_RULES}")
