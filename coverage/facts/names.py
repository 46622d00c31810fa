"""Names and parties: the proper names, defined terms and roles a summary sentence mentions.

A summary that names a company the document never mentions, or that says the
Customer pays the Provider where the contract says the opposite, reads as
well as a faithful one, and an encoder scores it almost the same. This
module finds, without any model:

* **proper names**: runs of capitalised words that do not start the
  sentence ("Kirsty Williams", "Acme Cloud Ltd"), all-caps acronyms
  ("GDPR"), and a capitalised first word when the rest of the text uses it
  capitalised too;
* **defined terms**: quoted terms (“the Services”, 《服务协议》) and
  references such as "Schedule 2", "Annex B", 附件二;
* **parties and roles**: a fixed list of contract and meeting roles
  (Customer/Provider, Licensor/Licensee, Buyer/Seller, Landlord/Tenant,
  Employer/Employee, user/company, 甲方/乙方/丙方, 买方/卖方, ...).

:func:`absent_names` lists the names of a sentence that occur nowhere in a
text (matched case-insensitively and word by word, so a lower-cased document
still counts). :func:`role_order` gives the roles of a clause in the order
they are first mentioned; a summary sentence whose roles come in the reverse
order of its aligned clause has swapped the parties (:func:`roles_swapped`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..segment.matching import matching_text

__all__ = [
    "ROLE_GROUPS",
    "ROLE_NAMES",
    "ROLE_PATTERNS",
    "Name",
    "absent_names",
    "find_names",
    "role_names_used",
    "role_order",
    "duty_swapped",
    "roles_swapped",
    "word_set",
]

ROLE_GROUPS = (
    ("customer", "client", "buyer", "purchaser", "licensee", "lessee", "tenant", "employee", "user", "you"),
    (
        "provider",
        "supplier",
        "vendor",
        "seller",
        "licensor",
        "lessor",
        "landlord",
        "employer",
        "company",
        "we",
    ),
)
"""The two sides of a commercial contract, as role words: receiving (0) and supplying (1)."""
_ROLES_EN = {word: i for i, group in enumerate(ROLE_GROUPS) for word in group}
_ROLE_PLURALS = {
    "customers": "customer", "clients": "client", "users": "user", "buyers": "buyer", "sellers": "seller",
    "suppliers": "supplier", "providers": "provider", "vendors": "vendor", "tenants": "tenant",
    "employees": "employee", "us": "we", "our": "we", "your": "you",
}  # fmt: skip
_ROLES_ZH = ("甲方", "乙方", "丙方", "买方", "卖方", "出租方", "承租方", "委托方", "受托方", "用户", "平台")
_ROLE_SIDES_ZH = {
    "甲方": 0,
    "乙方": 1,
    "买方": 0,
    "卖方": 1,
    "承租方": 0,
    "出租方": 1,
    "委托方": 0,
    "受托方": 1,
}
_ROLE_RE = re.compile(
    r"\b("
    + "|".join(sorted([*_ROLES_EN, *_ROLE_PLURALS], key=len, reverse=True))
    + r")\b|"
    + "|".join(_ROLES_ZH),
    re.IGNORECASE,
)
_CAP_WORD = r"[A-Z][a-zA-Z'’&.-]*[a-zA-Z]|[A-Z]"
_NAME_RUN = re.compile(rf"(?:{_CAP_WORD})(?:\s+(?:of|the|de|van|von|&)?\s*(?:{_CAP_WORD}))*")
_ACRONYM = re.compile(r"\b[A-Z]{2,}[0-9]*\b")
_REFERENCE = re.compile(
    r"\b(?:Schedule|Annex|Appendix|Exhibit|Attachment|Section|Clause|Article)\s+(?:[0-9]+(?:\.[0-9]+)*|[A-Z])\b|"
    r"附件[一二三四五六七八九十0-9]+"
)
_QUOTED = re.compile(r"[“\"]([^”\"]{2,60})[”\"]|《([^》]{1,40})》")
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_FUNCTION_CAPS = frozenset(
    """I A An The This That These Those It Its He She They We You Our Your Their His Her If When While Where
    Which Who What Why How And But Or Nor So Yet For In On At By To From Of With Without As After Before Under
    Upon Each Every Any All No Not Some Such There Here Then Also However Moreover Furthermore Although
    Because
    Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June
    July
    August September October November December Summary Overall""".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class Name:
    """A name, defined term or role mentioned in a text.

    Attributes:
        kind: ``"name"``, ``"term"`` (defined term or reference) or ``"role"``.
        start: Offset of the first character.
        end: Offset after the last character.
        text: The name as written.
    """

    kind: str
    start: int
    end: int
    text: str


def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for m in re.finditer(r"[.!?:;]\s+|\n\s*|^[\s\-*•]*", text):
        starts.add(m.end())
    return starts


def find_names(text: str) -> list[Name]:
    """Proper names, defined terms and roles of ``text``, in text order, without overlaps.

    Example:
        >>> [(n.kind, n.text) for n in find_names("The Provider pays Acme Cloud Ltd under Schedule 2.")]
        [('role', 'Provider'), ('name', 'Acme Cloud Ltd'), ('term', 'Schedule 2')]
    """
    found: list[Name] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, a: int, b: int) -> None:
        if a < b and not any(a < y and x < b for x, y in taken):
            found.append(Name(kind, a, b, text[a:b]))
            taken.append((a, b))

    for m in _REFERENCE.finditer(text):
        add("term", m.start(), m.end())
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) is not None else 2
        add("term", m.start(group), m.end(group))
    for m in _ROLE_RE.finditer(text):
        add("role", m.start(), m.end())
    starts = _sentence_starts(text)
    for m in _NAME_RUN.finditer(text):
        a, b = m.start(), m.end()
        words = m.group().split()
        while words and words[0] in _FUNCTION_CAPS:  # "The Provider" -> "Provider"
            a = text.index(words[1], a + len(words[0])) if len(words) > 1 else b
            words = words[1:]
        if not words:
            continue
        if a in starts and len(words) == 1 and not _ACRONYM.fullmatch(words[0]):
            continue  # a capitalised first word is usually just the start of the sentence
        add("name", a, b)
    return sorted(found, key=lambda n: n.start)


def word_set(text: str) -> set[str]:
    """The lower-cased words of a text (compute it once per document for :func:`absent_names`)."""
    return {w.lower() for w in _WORDS.findall(matching_text(text))}


_CAP_RUN = re.compile(r"(?:[A-Z][a-z]+\s+(?:(?:of|the|and|for)\s+)?){1,5}[A-Z][a-z]+")


def _initials(text: str) -> set[str]:
    """The initials of every run of capitalised words: "European Economic Area" -> "EEA"."""
    out = set()
    for m in _CAP_RUN.finditer(text):
        caps = [w[0] for w in m.group().split() if w[0].isupper()]
        for i in range(len(caps)):
            for j in range(i + 2, len(caps) + 1):
                out.add("".join(caps[i:j]))
    return out


ROLE_NAMES: tuple[tuple[str, ...], ...] = (
    ("receiving party", "recipient", "receiver"),
    ("disclosing party", "discloser"),
)
"""Names of one role: a contract uses one of them for the party, a summary may use another."""


def _role_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"\b" + r"\s+".join(map(re.escape, name.split())) + r"s?\b", re.IGNORECASE)


ROLE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: _role_pattern(name) for names in ROLE_NAMES for name in names
}
"""Each name of :data:`ROLE_NAMES` as a whole word or words, singular or plural, any case."""


def role_names_used(text: str) -> frozenset[str]:
    """The names of :data:`ROLE_NAMES` that ``text`` uses as words ("Recipients", not "receivership")."""
    return frozenset(n for n, pattern in ROLE_PATTERNS.items() if pattern.search(text))


def _role_named_otherwise(name: str, text: str) -> bool:
    """Whether ``name`` is one of :data:`ROLE_NAMES` and ``text`` names that role by another of them."""
    key = " ".join(name.lower().split()).removesuffix("'s").removesuffix("s")
    for group in ROLE_NAMES:
        if key in group:
            return any(ROLE_PATTERNS[other].search(text) for other in group if other != key)
    return False


def absent_names(names: list[Name], text: str, *, words: set[str] | None = None) -> list[Name]:
    """The names and terms (not roles) none of whose words occurs in ``text``, or a CJK term that does not.

    A name counts as present when each of its words of three or more letters
    occurs in the text as a word (case-insensitively), so "Acme Cloud Ltd"
    is present in a lower-cased document that says "acme cloud ltd"; an
    acronym also counts as present when the text spells it out ("EEA",
    "European Economic Area"), and a role as present when the text names it
    otherwise (:data:`ROLE_NAMES`: "Receiving Party", "the Recipient").

    Args:
        names: From :func:`find_names` on the summary sentence.
        text: The text to look in (the document, or the evidence).
        words: ``text``'s lower-cased words, when already computed.
    """
    vocab = word_set(text) if words is None else words
    lowered = text.lower()
    initials: set[str] | None = None
    missing = []
    for n in names:
        if n.kind == "role":
            continue
        if any("\u3400" <= ch <= "\u9fff" for ch in n.text):
            if n.text not in text:
                missing.append(n)
            continue
        parts = [w.lower() for w in _WORDS.findall(n.text) if len(w) >= 3 or w.isupper()]
        if not parts:
            continue
        if all(p in vocab for p in parts) or n.text.lower() in lowered:
            continue
        if _role_named_otherwise(n.text, text):
            continue  # "Receiving Party" about a contract that calls that party "the Recipient"
        if _ACRONYM.fullmatch(n.text):
            initials = _initials(text) if initials is None else initials
            if n.text.rstrip("0123456789") in initials:
                continue  # "EEA" for "European Economic Area"
        missing.append(n)
    return missing


def role_order(text: str) -> list[tuple[int, Name]]:
    """The roles of ``text`` as ``(side, name)`` pairs in order of first mention, one per side.

    Side 0 is the receiving party (customer, licensee, tenant, 甲方 ...), side
    1 the supplying party (provider, licensor, landlord, 乙方 ...).
    """
    seen: dict[int, Name] = {}
    for m in _ROLE_RE.finditer(text):
        word = m.group().lower()
        word = _ROLE_PLURALS.get(word, word)
        side = _ROLES_EN.get(word, _ROLE_SIDES_ZH.get(m.group()))
        if side is None:
            continue  # 丙方, 用户, 平台: a party, but on neither side
        seen.setdefault(side, Name("role", m.start(), m.end(), m.group()))
    return sorted(seen.items(), key=lambda kv: kv[1].start)


_PASSIVE = re.compile(r"\b(?:by|from)\b|被|由", re.IGNORECASE)


def roles_swapped(sentence: str, clause: str) -> Name | None:
    """The first role of ``sentence`` when its two parties come in the reverse order of ``clause``.

    "The Provider pays the Customer" against "The Customer pays the
    Provider", or "you may close our account" against "we may close your
    account": both texts name both sides, in the reverse order, and neither
    is passive ("paid by", 被, 由, where the order means nothing). Otherwise,
    the same act given to the other party (:func:`duty_swapped`).

    Example:
        >>> roles_swapped("The Provider pays the Customer.", "The Customer pays the Provider.").text
        'Provider'
    """
    s_roles, c_roles = role_order(sentence), role_order(clause)
    if (
        len(s_roles) == 2
        and len(c_roles) == 2
        and not (_PASSIVE.search(sentence) or _PASSIVE.search(clause))
        and [side for side, _ in s_roles] == [side for side, _ in c_roles][::-1]
    ):
        return s_roles[0][1]
    return duty_swapped(sentence, clause)


# Who acts: a role, a modal, and the verb it governs. Two role systems, never compared with each other:
# the commercial sides of ROLE_GROUPS, and the two sides of a non-disclosure agreement (an NDA may call
# its receiving party "the Company", so a Company/Recipient pair says nothing about sides).
_NDA_SIDES = {
    name: side for side, names in enumerate(ROLE_NAMES) for name in names
}  # receiving 0, disclosing 1
_ACTOR = re.compile(
    r"\b(?P<role>"
    + "|".join(r"\s+".join(n.split()) for n in sorted([*_NDA_SIDES, *_ROLES_EN], key=len, reverse=True))
    + r")\b(?:\s+(?:also|alone|itself|hereby|promptly))?\s+"
    r"(?:shall|must|will|may|agrees?\s+to|undertakes?\s+to|is\s+(?:required|obliged|obligated|entitled|permitted)"
    r"\s+to)(?:\s+not)?(?:\s+\w+ly)?\s+(?P<verb>[a-z]{3,})\b",
    re.IGNORECASE,
)
_NOT_ACTS = frozenset({"have", "not", "also", "only", "then", "there", "still", "need"})


def _acts(text: str) -> list[tuple[str, int, str, Name]]:
    """``(system, side, verb stem, role)`` for each "<role> shall/must/may <verb>" in ``text`` (English)."""
    out = []
    for m in _ACTOR.finditer(text):
        role = " ".join(m.group("role").lower().split())
        verb = m.group("verb").lower()
        if verb in _NOT_ACTS or verb.startswith("be"):
            continue
        if role in _NDA_SIDES:
            system, side = "nda", _NDA_SIDES[role]
        else:
            system, side = "commercial", _ROLES_EN[role]
        out.append((system, side, verb[:5], Name("role", m.start("role"), m.end("role"), m.group("role"))))
    return out


def duty_swapped(sentence: str, clause: str) -> Name | None:
    """The role of ``sentence`` that is said to do what ``clause`` says the other party does.

    "The Recipient shall return the documents" against "the Disclosing Party
    shall return all documents at the Receiving Party's request": the same
    act ("shall return", by verb stem), by the party on the other side. Both
    texts must state the act with a modal after a role of the same system
    (commercial roles, or an NDA's receiving and disclosing parties), and
    the clause must not also give that act to the sentence's party. A
    faithful sentence about the other party's duty in the same clause ("the
    Recipient shall return them" against "the Discloser may request, and the
    Recipient shall return, ...") keeps its own act, so it is not flagged.

    Example:
        >>> duty_swapped("The Recipient shall return them.", "The Disclosing Party shall return them.").text
        'Recipient'
    """
    mine, theirs = _acts(sentence), _acts(clause)
    for system, side, verb, name in mine:
        done_by = {s for sys_, s, v, _ in theirs if sys_ == system and v == verb}
        if done_by and side not in done_by:
            return name
    return None
