"""Controlled one-edit corruptions of faithful human summary sentences, built by rule.

Every faithful sentence comes from a human-written summary in the shared
evaluation data (``../shared/eval/data``, read at run time, never copied):

* ``legal``: the per-section plain-English summaries of ``legal_plain_english.jsonl``
  (lower-cased, punctuation mostly stripped), against the whole ToS / EULA.
* ``qmsum``: the answers to QMSum's specific queries, against the meeting transcript.
* ``vcsum``: the Chinese per-segment summaries of VCSum, against the meeting transcript.
* ``realsumm``: the REALSumm reference summaries (lower-cased CNN/DM), against the article.

Each edited sentence carries exactly one edit of one kind:

* ``entity_swap``: a name, party, role or named item is replaced with a different one that
  occurs in the same document (legal: the user's side and the provider's side are swapped,
  e.g. "you" for "we"; Chinese: a document-specific term found by n-gram statistics).
* ``negation``: a negation is inserted ("will" to "will not", 会 to 不会) or removed.
* ``antonym``: a word is swapped with its antonym from a small hand-written bilingual list.
* ``number_change``: a number, year, month, weekday, amount or duration is changed.
* ``foreign_detail``: a name or named item is replaced with one taken from a different
  document of the same dataset that does not occur (case-insensitively) in this document.

Every faithful sentence that was edited is also kept once, unedited, with label 1. The
build is deterministic (``random.Random(13)``) and capped per document and per dataset.

Usage: python benchmarks/edit_bench.py [--examples N]
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SEED = 13
EDIT_KINDS = ("entity_swap", "negation", "antonym", "number_change", "foreign_detail")
PER_DOC_KIND_CAP = 6
PER_DATASET_KIND_CAP = 45
MAX_EDITS_PER_SENTENCE = 2
MIN_EN_WORDS = 6
MIN_ZH_CHARS = 12
MAX_EN_WORDS = 90
MAX_CANDIDATE_NAMES = 12

DATA_ENV = "SUMMARY_COVERAGE_EVAL_DATA"
FILES = {
    "legal": "legal_plain_english.jsonl",
    "qmsum": "qmsum_dev_meetings.jsonl",
    "vcsum": "vcsum_zh_dev_meetings.jsonl",
    "realsumm": "realsumm_scu_coverage.jsonl",
}
LEXICON_FILES = ("qmsum_dev_meetings.jsonl", "frank_factuality.jsonl")
VOCAB_FILES = ("pubmed_longeval.jsonl",)


@dataclass(frozen=True, slots=True)
class EditCase:
    """One benchmark sentence: a faithful summary sentence or a one-edit corruption of it.

    Attributes:
        dataset: ``legal``, ``qmsum``, ``vcsum`` or ``realsumm``.
        language: ``en`` or ``zh``.
        doc_id: The source record's id.
        document: The source document (the same string object for every case of a record).
        sentence: The sentence to check against ``document``.
        label: 1 for a faithful sentence, 0 for an edited one.
        edit_kind: One of :data:`EDIT_KINDS`, or ``none`` for a faithful sentence.
        edit_span: ``(start, end)`` of the changed or inserted words in ``sentence``
            (for a removed negation, the words either side of the removal point);
            None for a faithful sentence.
        original: The faithful sentence (equal to ``sentence`` when ``label`` is 1).
    """

    dataset: str
    language: str
    doc_id: str
    document: str
    sentence: str
    label: int
    edit_kind: str
    edit_span: tuple[int, int] | None
    original: str


@dataclass(frozen=True, slots=True)
class Edit:
    """One replacement inside a sentence.

    Attributes:
        start: Start of the replaced text in the original sentence.
        end: End (exclusive) of the replaced text in the original sentence.
        replacement: The new text.
        span: ``(start, end)`` of the changed words in the edited sentence.
        target: The replaced text (for names: the name that was swapped out).
    """

    start: int
    end: int
    replacement: str
    span: tuple[int, int]
    target: str = ""

    def apply(self, sentence: str) -> str:
        """Return ``sentence`` with this edit applied.

        Args:
            sentence: The original sentence the offsets refer to.

        Returns:
            The edited sentence.
        """
        return sentence[: self.start] + self.replacement + sentence[self.end :]


def _replace(sentence: str, start: int, end: int, new: str) -> Edit:
    """Build an :class:`Edit` whose span is exactly the new text."""
    return Edit(start, end, new, (start, start + len(new)), sentence[start:end])


def _match_case(old: str, new: str) -> str:
    """Give ``new`` the capitalisation pattern of ``old`` (lower, Capitalised or UPPER)."""
    if len(old) > 1 and old.isupper():
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _words(text: str) -> tuple[str, ...]:
    """The white-space separated words of ``text``, in order (for compact word lists)."""
    return tuple(text.split())


# --------------------------------------------------------------------------------------
# Loading and sentence splitting
# --------------------------------------------------------------------------------------


def data_dir() -> Path | None:
    """Locate the shared evaluation data folder.

    Returns:
        ``$SUMMARY_COVERAGE_EVAL_DATA`` if set, else ``../shared/eval/data`` next to the
        repository root; None when that folder does not exist.
    """
    override = os.environ.get(DATA_ENV)
    path = (
        Path(override)
        if override
        else Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "data"
    )
    return path if path.is_dir() else None


def _read_jsonl(path: Path) -> Iterator[dict]:
    """Yield the records of a JSONL file."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


_CJK = "\u4e00-\u9fff"
_CJK_RE = re.compile(f"[{_CJK}]")
_EN_CASED_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'“(]?[A-Z])|\n+")
_EN_LOWER_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_ZH_SPLIT = re.compile(r"(?<=[。！？])|\n+")


def split_sentences(text: str, language: str, *, cased: bool = True) -> list[str]:
    """Split a summary into sentences and keep those long enough to edit.

    English splits after ``.``, ``!`` or ``?`` followed by white space and a capital (or,
    for lower-cased text, by any white space) and at line breaks; Chinese splits after
    ``。``, ``！`` or ``？``. English keeps sentences of 6 to 90 words, Chinese those with at
    least 12 CJK characters.

    Args:
        text: The summary text.
        language: ``en`` or ``zh``.
        cased: Whether English text keeps its capitals.

    Returns:
        The kept sentences, stripped, in order.
    """
    if language == "zh":
        pieces = _ZH_SPLIT.split(text)
        return [p.strip() for p in pieces if len(_CJK_RE.findall(p)) >= MIN_ZH_CHARS]
    pieces = (_EN_CASED_SPLIT if cased else _EN_LOWER_SPLIT).split(text)
    return [p.strip() for p in pieces if MIN_EN_WORDS <= len(p.split()) <= MAX_EN_WORDS]


@dataclass(slots=True)
class _Doc:
    """A source document with its faithful sentences and the names found in it."""

    dataset: str
    language: str
    doc_id: str
    document: str
    cased: bool
    sentences: list[str]
    lower: str = ""
    names: Counter[str] = field(default_factory=Counter)
    speakers: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    group: str = ""
    evidence: frozenset[str] | None = None
    kinds: dict[str, str] = field(default_factory=dict)
    known_names: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()
    vocab: frozenset[str] = frozenset()


# --------------------------------------------------------------------------------------
# Negation
# --------------------------------------------------------------------------------------

_EN_AUX_INSERT = {
    "is": "is not",
    "are": "are not",
    "was": "was not",
    "were": "were not",
    "will": "will not",
    "can": "cannot",
    "may": "may not",
    "does": "does not",
    "did": "did not",
    "should": "should not",
    "would": "would not",
    "could": "could not",
    "must": "must not",
    "might": "might not",
    "shall": "shall not",
}
_EN_AUX_RE = re.compile(r"\b(" + "|".join(_EN_AUX_INSERT) + r")\b")
_EN_NEG_WORDS = {"not", "n't", "never", "no", "nothing", "nobody", "none", "neither", "nor", "t", "hardly"}
_EN_ADVERBS = {"also", "already", "still", "always", "just", "even", "only", "often", "usually", "ever"}
_EN_NOT_UN = set(_words("under until unless united unit units union university universal unique up upon"))
_EN_NOUN_WILL = set(_words("at free good ill own the a his her their your my our of"))
_EN_MONTH_CONTEXT = set(_words("in of on since until from by early late mid last next this"))
_QUOTED_RE = re.compile(
    r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|``.*?''|` .*? '(?!\w)|`[^`' ]*'|「[^」]*」|『[^』]*』|《[^》]*》"
)

_EN_CONTRACTED = {
    "do": "do",
    "does": "does",
    "did": "did",
    "is": "is",
    "are": "are",
    "was": "was",
    "were": "were",
    "wo": "will",
    "ca": "can",
    "could": "could",
    "would": "would",
    "should": "should",
    "must": "must",
    "have": "have",
    "has": "has",
    "had": "had",
    "might": "might",
    "need": "need",
}
_EN_CONTRACTED_RE = re.compile(
    r"\b(" + "|".join(_EN_CONTRACTED) + r")(?:n't|n’t| n't| n’t)(?![A-Za-z])", re.I
)
_EN_STRIPPED = {
    "don": "do",
    "doesn": "does",
    "didn": "did",
    "isn": "is",
    "aren": "are",
    "wasn": "was",
    "weren": "were",
    "won": "will",
    "can": "can",
    "couldn": "could",
    "wouldn": "would",
    "shouldn": "should",
    "haven": "have",
    "hasn": "has",
    "hadn": "had",
}
_EN_STRIPPED_RE = re.compile(r"\b(" + "|".join(_EN_STRIPPED) + r") t\b", re.I)
_EN_CANNOT_RE = re.compile(r"\b(can)not\b", re.I)
_EN_NOT_RE = re.compile(r"(?<=[A-Za-z]) not\b")
_EN_NOT_KEEP_AFTER = set(_words("only just merely least to so all necessarily even yet a an"))
_EN_NOT_KEEP_BEFORE = {"or", "if", "whether", "but", "and", "why", "of"}


def _quoted(sentence: str) -> list[tuple[int, int]]:
    """Spans of quoted text (titles, quotes), which edits leave alone."""
    return [m.span() for m in _QUOTED_RE.finditer(sentence)]


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps any of ``spans``."""
    return any(start < b and a < end for a, b in spans)


def _prev_word(sentence: str, pos: int) -> str:
    """The lower-cased word that ends before ``pos`` (empty at the start)."""
    m = re.search(r"([A-Za-z']+)[^A-Za-z']*$", sentence[:pos])
    return m.group(1).lower() if m else ""


def _next_word(sentence: str, pos: int) -> str:
    """The lower-cased word that starts after ``pos`` (empty at the end or after punctuation)."""
    m = re.match(r"\s+([A-Za-z']+|\d+)", sentence[pos:])
    return m.group(1).lower() if m else ""


def _span_around(sentence: str, start: int, kept: str, end: int) -> Edit:
    """An edit that replaces ``sentence[start:end]`` with ``kept`` (a removal).

    The span covers ``kept`` plus the next word, i.e. the words either side of the point
    where the negation was removed.
    """
    m = re.match(r"\s*[\w']+", sentence[end:])
    tail = m.end() if m else 0
    return Edit(start, end, kept, (start, start + len(kept) + tail), sentence[start:end])


def _en_negation_edits(sentence: str) -> list[Edit]:
    """English negation insertions and removals."""
    quoted = _quoted(sentence)
    edits: list[Edit] = []
    for m in _EN_AUX_RE.finditer(sentence):
        word, start, end = m.group(1), m.start(), m.end()
        nxt, prev = _next_word(sentence, end), _prev_word(sentence, start)
        if start == 0 or not nxt or nxt in _EN_NEG_WORDS | _EN_ADVERBS or nxt.startswith("n'"):
            continue
        if _inside(quoted, start, end):
            continue
        if sentence[end : end + 1] in {"'", "’", "-"} or sentence[start - 1 : start] in {"'", "’", "-"}:
            continue
        if set(re.findall(r"[a-z']+", sentence[max(0, start - 40) : start].lower())[-3:]) & _EN_NEG_WORDS:
            continue  # "no colour is acceptable": a second negation would read as a double negative.
        if (word == "is" and prev == "as") or (nxt.startswith("un") and nxt not in _EN_NOT_UN):
            continue  # "as is"; "is unwilling" would become a double negative.
        if word == "may" and (nxt.isdigit() or prev in _EN_MONTH_CONTEXT):
            continue
        if word == "will" and prev in _EN_NOUN_WILL:
            continue
        if word in {"can", "must"} and prev in {"a", "the", "trash", "tin"}:
            continue
        edits.append(_replace(sentence, start, end, _EN_AUX_INSERT[word]))
    removals: list[tuple[int, int, str]] = []
    for m in _EN_CANNOT_RE.finditer(sentence):
        removals.append((m.start(), m.end(), m.group(1)))
    for m in _EN_CONTRACTED_RE.finditer(sentence):
        removals.append((m.start(), m.end(), _match_case(m.group(1), _EN_CONTRACTED[m.group(1).lower()])))
    for m in _EN_STRIPPED_RE.finditer(sentence):
        removals.append((m.start(), m.end(), _match_case(m.group(1), _EN_STRIPPED[m.group(1).lower()])))
    for m in _EN_NOT_RE.finditer(sentence):
        prev, nxt = _prev_word(sentence, m.start()), _next_word(sentence, m.end())
        if (
            not nxt
            or nxt in _EN_NOT_KEEP_AFTER
            or prev in _EN_NOT_KEEP_BEFORE
            or (prev, nxt) == ("do", "track")
        ):
            continue
        # Keep the previous word in the replaced text so the span starts on a word.
        pstart = m.start() - len(re.search(r"[A-Za-z']+$", sentence[: m.start()]).group(0))
        removals.append((pstart, m.end(), sentence[pstart : m.start()]))
    for start, end, kept in removals:
        if start == 0 or _inside(quoted, start, end) or not _next_word(sentence, end):
            continue
        edits.append(_span_around(sentence, start, kept, end))
    return edits


_ZH_INSERT_TOKENS = ("可以", "应该", "需要", "会", "能", "是")
_ZH_SHI_PREV = set("但就还于可只总或要正而凡若真算倒硬老先像便即乃特尤光越自实确不无一二三四五六七八九十")
_ZH_HUI_NEXT = set("议员上场计长所谈见晤面展后期话诊徽费友合同商考务演堂签审晚聚")
_ZH_HUI_PREV = set(
    "社机大开协学体理误聚年晚约例峰工商国议省宴茶酒舞展博庙集运奥领附交融汇际与参全晨周月早散入赴归照知拜幽相再董委研讨联盛分总教行"
)
_ZH_NENG_PREV = set("可功技性智才潜效本职动只产体热核电赋万全异势官机低高节储光风太无贤超")
_ZH_NENG_NEXT = set("力源量耗效级手人者干否")
_ZH_NEG_BEFORE = set("不没未非别无勿")
_ZH_REMOVE_AFTER_BU = _words(
    "可以 应该 需要 愿意 同意 支持 知道 理解 一定 容易 清楚 明白 存在 适合"
) + _words("可能 重要 满意 喜欢 相信 认为 会 能 是 要 想 懂 够")
_ZH_REMOVE_AFTER_WEI = ("能", "被", "曾", "经", "达到", "完成", "实现", "得到")


def _zh_insert_ok(sentence: str, i: int, token: str) -> bool:
    """Whether 不 can be inserted before ``token`` at index ``i`` without breaking a word."""
    prev = sentence[i - 1] if i > 0 else ""
    nxt = sentence[i + len(token) : i + len(token) + 1]
    if i == 0 or prev in _ZH_NEG_BEFORE or nxt in {"不", "否", "非"} or not _CJK_RE.match(nxt or " "):
        return False
    if token == "是":
        return prev not in _ZH_SHI_PREV and sentence[i - 2 : i] not in {"如果", "可能", "尤其", "特别"}
    if token == "会":
        return nxt not in _ZH_HUI_NEXT and prev not in _ZH_HUI_PREV
    if token == "能":
        return prev not in _ZH_NENG_PREV and nxt not in _ZH_NENG_NEXT
    if token in {"可以", "应该"}:
        return nxt != "说"
    if token == "需要":
        return prev not in {"的", "所", "有"}
    return True


def _zh_negation_edits(sentence: str) -> list[Edit]:
    """Chinese negation insertions (不 before a modal or 是) and removals (不, 没有, 未)."""
    quoted = _quoted(sentence)
    edits: list[Edit] = []
    taken: set[int] = set()
    for token in _ZH_INSERT_TOKENS:
        for m in re.finditer(token, sentence):
            i = m.start()
            if i in taken or _inside(quoted, i, m.end()) or not _zh_insert_ok(sentence, i, token):
                continue
            taken.update(range(i, m.end()))
            edits.append(Edit(i, m.end(), "不" + token, (i, i + 1 + len(token)), token))
    for m in re.finditer("不", sentence):
        i = m.start()
        rest = sentence[i + 1 :]
        after = next((t for t in _ZH_REMOVE_AFTER_BU if rest.startswith(t)), None)
        if after is None or i == 0 or _inside(quoted, i, i + 1):
            continue
        if sentence[i - 1] == rest[:1] or sentence[i - 1] in {"得", "了"} or rest.startswith("要不"):
            continue  # 会不会, 是不是 (A-not-A questions) and 得不 / 了不 compounds.
        edits.append(Edit(i - 1, i + 1, sentence[i - 1], (i - 1, i + len(after)), sentence[i - 1 : i + 1]))
    for m in re.finditer("没有|未", sentence):
        i, j = m.start(), m.end()
        if i == 0 or _inside(quoted, i, j) or not _CJK_RE.match(sentence[j : j + 1] or " "):
            continue
        if m.group(0) == "未" and not any(sentence.startswith(t, j) for t in _ZH_REMOVE_AFTER_WEI):
            continue
        kept = "有" if m.group(0) == "没有" else ""
        prev = sentence[i - 1]
        new = prev + kept
        tail = 2 if _CJK_RE.match(sentence[j + 1 : j + 2] or " ") else 1
        edits.append(Edit(i - 1, j, new, (i - 1, i - 1 + len(new) + tail), sentence[i - 1 : j]))
    return edits


def negation_edits(sentence: str, language: str) -> list[Edit]:
    """All negation edits (insertions and removals) that apply to ``sentence``.

    Args:
        sentence: A faithful sentence.
        language: ``en`` or ``zh``.

    Returns:
        Candidate edits, in sentence order within each rule.
    """
    return _zh_negation_edits(sentence) if language == "zh" else _en_negation_edits(sentence)


# --------------------------------------------------------------------------------------
# Antonyms
# --------------------------------------------------------------------------------------


def _pairs(*pairs: tuple[str, str], both: bool = True) -> dict[str, str]:
    """A word-to-antonym map, symmetric unless ``both`` is False."""
    out: dict[str, str] = {}
    for a, b in pairs:
        out[a] = b
        if both:
            out[b] = a
    return out


_EN_ANTONYMS = {
    **_pairs(
        ("increase", "decrease"),
        ("increases", "decreases"),
        ("increased", "decreased"),
        ("increasing", "decreasing"),
        ("higher", "lower"),
        ("highest", "lowest"),
        ("before", "after"),
        ("allow", "prohibit"),
        ("allows", "prohibits"),
        ("allowed", "prohibited"),
        ("allowing", "prohibiting"),
        ("agree", "disagree"),
        ("agrees", "disagrees"),
        ("agreed", "disagreed"),
        ("accept", "reject"),
        ("accepts", "rejects"),
        ("accepted", "rejected"),
        ("accepting", "rejecting"),
        ("include", "exclude"),
        ("includes", "excludes"),
        ("included", "excluded"),
        ("including", "excluding"),
        ("maximum", "minimum"),
        ("first", "last"),
        ("start", "end"),
        ("started", "ended"),
        ("positive", "negative"),
        ("rise", "fall"),
        ("rises", "falls"),
        ("rising", "falling"),
        ("support", "oppose"),
        ("supports", "opposes"),
        ("supported", "opposed"),
        ("always", "never"),
        ("better", "worse"),
        ("best", "worst"),
        ("larger", "smaller"),
        ("earlier", "later"),
        ("possible", "impossible"),
        ("necessary", "unnecessary"),
        ("able", "unable"),
        ("public", "private"),
        ("cheap", "expensive"),
        ("easy", "difficult"),
        ("success", "failure"),
        ("successful", "unsuccessful"),
        ("liked", "disliked"),
        ("at least", "at most"),
    ),
    **_pairs(
        ("more", "less"),
        ("less", "more"),
        ("fewer", "more"),
        ("lost", "won"),
        ("win", "lose"),
        ("wins", "loses"),
        ("winning", "losing"),
        ("winner", "loser"),
        both=False,
    ),
}
_EN_ANTONYM_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(w) for w in _EN_ANTONYMS), key=len, reverse=True)) + r")\b", re.I
)
_MODALS = set(_words("will to can may would could should might must does did not do"))
_BE = {"is", "are", "be", "been", "being", "was", "were", "get", "got", "gets"}
_SUPPORT_VERB_PREV = set(
    _words("to will would can could should might did do does not also we they i you strongly fully")
)
# (word, previous words that block it, next words that block it)
_EN_ANTONYM_BLOCK: dict[str, tuple[set[str], set[str]]] = {
    "more": ({"once", "any", "no", "and"}, {"or", "and", "than"}),
    "less": ({"more", "no", "much"}, {"and", "or", "than"}),
    "last": (_MODALS, {"for", "longer", "long", "until", "through", "but"}),
    "first": (set(), {"of"}),
    "after": ({"look", "looked", "looks", "looking", "named", "take", "takes", "took"}, {"all"}),
    "before": (set(), set()),
    "end": ({"front", "back", "dead", "high", "low", "the", "an", "in"}, {"up", "user", "users", "of"}),
    "ended": (set(), {"up"}),
    "start": ({"the", "a", "head"}, {"up", "of"}),
    "started": (set(), {"up"}),
    "fall": (
        {"the", "a"},
        {"under", "within", "into", "in", "on", "outside", "apart", "through", "behind", "off"},
    ),
    "rise": ({"give", "gave", "given", "gives"}, set()),
    "support": ({"the", "a", "customer", "technical", "tech", "for", "of", "our", "your", "with"}, {"for"}),
    "supported": (_BE | {"the", "a", "any", "all", "currently", "officially", "not"}, set()),
    "supports": (set(), set()),
    "lost": (_BE | {"have", "has", "had", "the", "a", "any", "get"}, {"data", "or", "and", "in", "their"}),
    "public": ({"the", "general"}, set()),
    "private": (set(), {"equity"}),
    "best": ({"the", "its", "his", "her", "their", "our"}, {"interest", "interests", "efforts", "effort"}),
    "better": ({"had"}, set()),
    "win": (set(), set()),
}


def _en_antonym_edits(sentence: str) -> list[Edit]:
    """English antonym swaps, word-boundary aware, keeping capitalisation."""
    quoted = _quoted(sentence)
    edits: list[Edit] = []
    for m in _EN_ANTONYM_RE.finditer(sentence):
        word = m.group(1)
        low = word.lower()
        if _inside(quoted, m.start(), m.end()) or sentence[m.end() : m.end() + 1] in {"-", "'"}:
            continue
        if sentence[m.start() - 1 : m.start()] in {"-", "'"}:
            continue
        prev, nxt = _prev_word(sentence, m.start()), _next_word(sentence, m.end())
        block_prev, block_next = _EN_ANTONYM_BLOCK.get(low, (set(), set()))
        if prev in block_prev or nxt in block_next:
            continue
        if low == "support" and prev not in _SUPPORT_VERB_PREV:
            continue  # the noun ("customer support") has no antonym.
        if low == "able" and prev not in _BE - {"get", "got", "gets"}:
            continue  # "is able to" becomes "is unable to"; "not able" would read as a double negative.
        if low == "lost" and not (
            nxt.isdigit() or nxt in {"to", "against", "the", "a", "his", "her", "their"}
        ):
            continue
        if low in {"won", "win"} and nxt == "t":
            continue
        new = _EN_ANTONYMS[low]
        if new.startswith("allow") and "from" in sentence[m.end() :].split()[:3]:
            continue  # "prohibits users from ..." does not become "allows users from ...".
        if word[:1].isupper() and m.start() > 0 and low in {"first", "best", "public"}:
            continue  # part of a name ("First Amendment", "Public Health England").
        edits.append(_replace(sentence, m.start(), m.end(), _match_case(word, _EN_ANTONYMS[low])))
    return edits


_ZH_ANTONYMS = {
    **_pairs(
        ("增加", "减少"),
        ("提高", "降低"),
        ("上升", "下降"),
        ("开始", "结束"),
        ("最大", "最小"),
        ("之前", "之后"),
        ("以前", "以后"),
        ("成功", "失败"),
        ("优点", "缺点"),
        ("优势", "劣势"),
        ("扩大", "缩小"),
        ("加强", "削弱"),
        ("积极", "消极"),
        ("更多", "更少"),
        ("上涨", "下跌"),
        ("好处", "坏处"),
        ("肯定", "否定"),
        ("高于", "低于"),
        ("大于", "小于"),
        ("多于", "少于"),
        ("简单", "复杂"),
        ("乐观", "悲观"),
        ("正面", "负面"),
        ("有利", "不利"),
        ("主动", "被动"),
        ("内部", "外部"),
        ("进口", "出口"),
    ),
    **_pairs(("支持", "反对"), ("同意", "反对"), ("增长", "减少"), both=False),
}
_ZH_ANTONYM_RE = re.compile("|".join(sorted(_ZH_ANTONYMS, key=len, reverse=True)))
_ZH_ANTONYM_BLOCK_PREV = {
    "开始": ("一", "刚"),
    "支持": ("的", "提供", "给予", "技术", "资金", "政策", "获得", "得到", "大力"),
    "同意": ("知情",),
    "肯定": ("很", "不", "是"),
    "内部": ("的",),
    "简单": ("很", "非常"),
}
_ZH_ANTONYM_BLOCK_NEXT = {"肯定": ("会", "是", "要", "有", "能"), "进口": ("商",), "出口": ("商",)}


def _zh_antonym_edits(sentence: str) -> list[Edit]:
    """Chinese antonym swaps from the hand-written list."""
    quoted = _quoted(sentence)
    edits: list[Edit] = []
    for m in _ZH_ANTONYM_RE.finditer(sentence):
        word, i = m.group(0), m.start()
        if _inside(quoted, i, m.end()):
            continue
        if any(sentence[:i].endswith(p) for p in _ZH_ANTONYM_BLOCK_PREV.get(word, ())):
            continue
        if any(sentence.startswith(n, m.end()) for n in _ZH_ANTONYM_BLOCK_NEXT.get(word, ())):
            continue
        if word == "有利" and sentence[i - 1 : i] in {"不", "更"}:
            continue
        edits.append(_replace(sentence, i, m.end(), _ZH_ANTONYMS[word]))
    return edits


def antonym_edits(sentence: str, language: str) -> list[Edit]:
    """All antonym swaps that apply to ``sentence``.

    Args:
        sentence: A faithful sentence.
        language: ``en`` or ``zh``.

    Returns:
        Candidate edits, in sentence order.
    """
    return _zh_antonym_edits(sentence) if language == "zh" else _en_antonym_edits(sentence)


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------

_EN_DIGITS_RE = re.compile(r"(?<![A-Za-z0-9_.,$£€])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![A-Za-z0-9_]|[.,]\d)")
_EN_UNITS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_UNIT_NAMES = {v: k for k, v in _EN_UNITS.items()}
_EN_SCALE_SWAP = {
    "hundred": "thousand",
    "thousand": "hundred",
    "million": "billion",
    "billion": "million",
    "hundreds": "thousands",
    "thousands": "hundreds",
    "millions": "billions",
    "billions": "millions",
    "twice": "three times",
    "half": "a third",
    "quarter": "third",
    "quarters": "thirds",
}
_EN_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(list(_EN_UNITS) + list(_EN_SCALE_SWAP)) + r")\b", re.I)
_EN_HYPHEN_UNIT = r"-(?:year|month|week|day|hour|minute|point|page|step|person|time)s?\b"
_MONTHS = _words("january february march april may june july august september october november december")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CALENDAR_RE = re.compile(r"\b(" + "|".join(_MONTHS + _DAYS) + r")\b", re.I)


def _number_alternatives(value: int) -> list[int]:
    """Plausible different values for an integer (a year moves by a few)."""
    if 1900 <= value <= 2099:
        alts = [value - 2, value + 1, value + 3]
    elif value <= 1:
        alts = [value + 2, value + 3]
    elif value <= 12:
        alts = [value + 1, value + 2, value * 2, value + 5]
    elif value < 100:
        alts = [value * 2, value + 10, value // 2]
    else:
        alts = [value * 2, value * 3, value // 2]
    return [a for a in dict.fromkeys(alts) if a != value and a > 0]


def _format_like(original: str, value: int) -> str:
    """Write ``value`` with thousands separators when ``original`` had them."""
    return f"{value:,}" if "," in original else str(value)


def _en_number_edits(sentence: str, *, cased: bool) -> list[Edit]:
    """English digit, number-word, month and weekday changes."""
    quoted = _quoted(sentence)
    edits: list[Edit] = []
    for m in _EN_DIGITS_RE.finditer(sentence):
        if _inside(quoted, m.start(), m.end()):
            continue
        whole, frac = m.group(1), m.group(2)
        value = int(whole.replace(",", ""))
        if frac:
            for alt in (value * 2 + 1, value + 1):
                edits.append(_replace(sentence, m.start(), m.end(), _format_like(whole, alt) + frac))
            continue
        if len(whole) > 1 and whole.startswith("0"):
            continue  # codes and times like "07".
        if re.match(r" \d", sentence[m.end() : m.end() + 2]) or re.search(r"\d $", sentence[: m.start()]):
            continue  # "3 0": a version number whose dot was stripped.
        for alt in _number_alternatives(value):
            if re.search(rf"(?<!\d){alt}(?!\d)", sentence) is None:
                edits.append(_replace(sentence, m.start(), m.end(), _format_like(whole, alt)))
    for m in _EN_NUMBER_WORD_RE.finditer(sentence):
        word = m.group(1)
        low = word.lower()
        if _inside(quoted, m.start(), m.end()) or sentence[m.start() - 1 : m.start()] == "-":
            continue
        if sentence[m.end() : m.end() + 1] == "-" and not re.match(_EN_HYPHEN_UNIT, sentence[m.end() :]):
            continue  # "twenty-five": only "two-year" style compounds are changed.
        if low in _EN_SCALE_SWAP:
            if low in {"half", "quarter"} and _prev_word(sentence, m.start()) not in {"a", "one", "the"}:
                continue
            edits.append(_replace(sentence, m.start(), m.end(), _match_case(word, _EN_SCALE_SWAP[low])))
            continue
        value = _EN_UNITS[low]
        alts = [a for a in (value + 1, value + 2, value * 2) if a in _EN_UNIT_NAMES and a != value]
        alts = alts or [a for a in (value - 10, value + 10) if a in _EN_UNIT_NAMES]
        for alt in alts[:2]:
            edits.append(_replace(sentence, m.start(), m.end(), _match_case(word, _EN_UNIT_NAMES[alt])))
    for m in _CALENDAR_RE.finditer(sentence):
        word = m.group(1)
        low = word.lower()
        if (
            _inside(quoted, m.start(), m.end())
            or m.start() == 0
            or sentence[m.end() : m.end() + 1] in {"'", "-"}
        ):
            continue
        near_digit = re.search(r"\d", sentence[max(0, m.start() - 4) : m.end() + 5]) is not None
        prev = _prev_word(sentence, m.start())
        if cased and not word[:1].isupper():
            continue  # "may", "march" as words in cased text.
        if low in {"may", "march"} and not (near_digit or (cased and prev in _EN_MONTH_CONTEXT)):
            continue
        names = _MONTHS if low in _MONTHS else _DAYS
        idx = names.index(low)
        steps = (1, 2, 3, 6) if names is _MONTHS else (1, 2, 3)
        for step in steps:
            new = names[(idx + step) % len(names)]
            if new not in {"may", "march"}:
                edits.append(_replace(sentence, m.start(), m.end(), _match_case(word, new)))
    return edits


_ZH_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_ZH_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_ZH_MEASURES = _words("个月 分钟 小时 年 个 月 天 岁 次 家 位 名 种 倍 元 块 人 条 项 周") + _words(
    "届 层 款 篇 部 台 座 所 件 份 点 期 轮 批 场"
)
_ZH_ONE_OK = ("年", "个月", "小时", "分钟", "岁", "倍", "周", "场")
_ZH_NUMERAL_RE = re.compile(f"(?<![{_ZH_NUM_CHARS}第])([{_ZH_NUM_CHARS}]+)(?=({'|'.join(_ZH_MEASURES)}))")
_ZH_ORDINAL_RE = re.compile(f"第([{_ZH_NUM_CHARS}]+)(?=[{_CJK}])")
_ZH_PERCENT_RE = re.compile(f"百分之([{_ZH_NUM_CHARS}]+)")
_ZH_ARABIC_RE = re.compile(r"(?<![A-Za-z0-9_.])(\d+)(\.\d+)?(?![A-Za-z0-9_]|\.\d)")


def _zh_parse(text: str) -> int | None:
    """Parse a Chinese numeral (三, 十五, 两百, 二零一九, 三万五千); None if it is not one."""
    if not text or any(c not in _ZH_NUM_CHARS for c in text):
        return None
    if not any(c in _ZH_SMALL_UNITS or c in _ZH_BIG_UNITS for c in text):
        if len(text) == 1:
            return _ZH_DIGIT[text]
        return int("".join(str(_ZH_DIGIT[c]) for c in text)) if len(text) == 4 else None
    if text[0] in "万亿百千":
        return None  # 千万 ("by all means"), 万一 ("in case") are no counts.
    total, section, digit = 0, 0, None
    for c in text:
        if c in _ZH_DIGIT:
            if digit is not None and _ZH_DIGIT[c] != 0:
                return None  # "三四" is a range, not a number.
            digit = _ZH_DIGIT[c]
        elif c in _ZH_SMALL_UNITS:
            section += (1 if digit is None else digit) * _ZH_SMALL_UNITS[c]
            digit = None
        else:
            total += (section + (digit or 0)) * _ZH_BIG_UNITS[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def _zh_format(value: int, *, liang: bool = False) -> str:
    """Write a positive integer below 10**8 as a Chinese numeral (两 for a bare 2 if asked)."""
    digits = "零一二三四五六七八九"
    if value == 2 and liang:
        return "两"
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        rest = _zh_format(low) if low else ""
        return _zh_format(high) + "万" + ("零" + rest if 0 < low < 1000 else rest)
    out = ""
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        q, value = divmod(value, unit)
        if q:
            out += ("" if (unit == 10 and q == 1 and not out) else digits[q]) + name
        elif out and value:
            out += "" if out.endswith("零") else "零"
    if value:
        out += digits[value]
    return out or "零"


def _zh_number_edits(sentence: str) -> list[Edit]:
    """Chinese numeral, ordinal, percentage and Arabic-digit changes."""
    quoted = _quoted(sentence)
    edits: list[Edit] = []
    for m in _ZH_NUMERAL_RE.finditer(sentence):
        text, unit = m.group(1), m.group(2)
        if _inside(quoted, m.start(), m.end()) or (text == "一" and unit not in _ZH_ONE_OK):
            continue
        if sentence.startswith("分之", m.end()):
            continue
        if sentence[m.end() + len(unit) : m.end() + len(unit) + 1] == "一":
            continue  # set phrases: 三位一体, 一年一度.
        value = _zh_parse(text)
        if value is None or value == 0:
            continue
        is_year = unit == "年" and len(text) == 4 and value >= 1900
        alts = [value - 1, value + 1, value + 2] if is_year else _number_alternatives(value)
        for alt in alts[:3]:
            new = "".join(_zh_format(int(d)) for d in str(alt)) if is_year else _zh_format(alt, liang=True)
            edits.append(_replace(sentence, m.start(1), m.end(1), new))
    for m in _ZH_ORDINAL_RE.finditer(sentence):
        value = _zh_parse(m.group(1))
        if value is None or not 0 < value < 100 or _inside(quoted, m.start(), m.end()):
            continue
        for alt in (value + 1, value + 2):
            edits.append(_replace(sentence, m.start(1), m.end(1), _zh_format(alt)))
    for m in _ZH_PERCENT_RE.finditer(sentence):
        value = _zh_parse(m.group(1))
        if value is None or not 0 < value <= 100:
            continue
        for alt in _number_alternatives(value)[:2]:
            if alt <= 100:
                edits.append(_replace(sentence, m.start(1), m.end(1), _zh_format(alt)))
    for m in _ZH_ARABIC_RE.finditer(sentence):
        whole, frac = m.group(1), m.group(2) or ""
        if _inside(quoted, m.start(), m.end()) or (len(whole) > 1 and whole.startswith("0")):
            continue
        value = int(whole)
        alts = [value * 2 + 1] if frac else _number_alternatives(value)
        for alt in alts[:3]:
            edits.append(_replace(sentence, m.start(1), m.end(1), str(alt)))
    return edits


def number_edits(sentence: str, language: str, *, cased: bool = True) -> list[Edit]:
    """All number, date, amount and duration changes that apply to ``sentence``.

    Args:
        sentence: A faithful sentence.
        language: ``en`` or ``zh``.
        cased: Whether English text keeps its capitals (months are then only capitalised).

    Returns:
        Candidate edits (several alternative values per number).
    """
    return _zh_number_edits(sentence) if language == "zh" else _en_number_edits(sentence, cased=cased)


# --------------------------------------------------------------------------------------
# Names: cased English, lower-cased English, legal roles, Chinese terms
# --------------------------------------------------------------------------------------

_EN_STOP = set(
    _words(
        "a about above across after again against all almost also although always am among an and"
        " another any anyone anything are around as at back be because been before being below"
        " between both but by can could did do does doing done down during each either else enough"
        " even ever every few first for from further had has have having he her here hers herself"
        " him himself his how however i if in into is it its itself just last least less let like"
        " many may me might more most much must my myself near neither never next no nor not now of"
        " off often on once one only or other others our ours ourselves out over own per perhaps"
        " rather same second several she should since so some still such than that the their theirs"
        " them themselves then there these they third this those though through thus to together too"
        " toward towards under until up upon us very via was we well were what whatever when"
        " whenever where whether which while who whom whose why will with within without would yet"
        " you your yours yourself yourselves okay ok yeah yes um uh mm hmm oh right so well alright"
        " sure cool great yep nope wow huh mr mrs ms dr additionally moreover besides furthermore"
        " finally lastly overall meanwhile later afterwards instead therefore firstly secondly"
        " thirdly regarding according despite concerning including except"
    )
)
_EN_STOP |= set(_MONTHS) | set(_DAYS) | set(_EN_UNITS) | {"one", "hundred", "thousand", "million", "billion"}
# Capitalised but not names of a party: titles, languages, currencies, nationality adjectives.
_EN_STOP |= set(
    _words(
        "sir lord lady dame arabic latin hindi mandarin cantonese euro euros dollar dollars pound"
        " pounds pence yen yuan percent english british american"
        " americans australian australians german germans french chinese japanese indian indians"
        " irish scottish welsh european europeans african africans asian asians canadian canadians"
        " spanish italian italians russian russians dutch swiss swedish danish greek turkish mexican"
        " mexicans brazilian korean israeli arab muslim muslims christian christians jewish catholic"
        " western eastern northern southern"
    )
)
_CAP_TOKEN = r"[A-Z][A-Za-z]*(?:-[A-Za-z]+)*"
_CAP_RUN_RE = re.compile(rf"(?<![\w'’-]){_CAP_TOKEN}(?:[ \t]+{_CAP_TOKEN})*(?![\w-])")
_LOWER_TOKEN_RE = re.compile(r"[a-z][a-z]+")


def _trim_run(text: str, start: int) -> tuple[str, int]:
    """Drop leading and trailing stop words (The, And, OK ...) from a capitalised run."""
    words = list(re.finditer(r"\S+", text))
    while words and words[0].group(0).lower() in _EN_STOP:
        words.pop(0)
    while words and words[-1].group(0).lower() in _EN_STOP:
        words.pop()
    if not words:
        return "", start
    return text[words[0].start() : words[-1].end()], start + words[0].start()


def _cased_runs(text: str, *, allow_initial: Iterable[str] = ()) -> Iterator[tuple[int, int, str]]:
    """Capitalised runs (names) in cased English text, skipping sentence- and line-initial words.

    Args:
        text: Cased English text.
        allow_initial: Runs that count even at the start of a sentence (speaker names).

    Yields:
        ``(start, end, run)`` with stop words trimmed; single-letter runs are skipped.
    """
    allowed = set(allow_initial)
    for m in _CAP_RUN_RE.finditer(text):
        run, start = _trim_run(m.group(0), m.start())
        if len(run) < 2:
            continue
        before = text[:start].rstrip(" \t\"'“(")
        initial = start == 0 or not before or before[-1] in ".!?:\n;" or before.endswith("{disfmarker}")
        if initial and run not in allowed:
            # Drop the first word of the run (it is capitalised only for position), keep the rest.
            words = run.split()
            if len(words) > 1 and words[1].lower() not in _EN_STOP:
                rest = " ".join(words[1:])
                rstart = start + run.index(words[1])
                yield rstart, rstart + len(rest), rest
            continue
        yield start, start + len(run), run


@dataclass(slots=True)
class _Lexicon:
    """Which lower-case words are names, learnt from the English text of the shared data.

    Attributes:
        capitalised: Mid-sentence capitalised uses of each word in cased text.
        lowercase: Lower-case uses of each word in cased text.
        vocab: Words of the lower-cased corpora (ToS, PubMed), i.e. known common words.
    """

    capitalised: Counter[str] = field(default_factory=Counter)
    lowercase: Counter[str] = field(default_factory=Counter)
    vocab: set[str] = field(default_factory=set)

    def add(self, text: str) -> None:
        """Count capitalised (not sentence-initial) and lower-case uses of each word."""
        for line in text.split("\n"):
            for m in re.finditer(r"[A-Za-z][a-z]+", line):
                word = m.group(0)
                if word[0].islower():
                    self.lowercase[word] += 1
                    continue
                before = line[: m.start()].rstrip(" \"'“(")
                if before and before[-1] not in ".!?:;" and not before.endswith("{disfmarker}"):
                    self.capitalised[word.lower()] += 1

    def is_name(self, word: str) -> bool:
        """A word mostly written capitalised in mid-sentence (Google, Kathmandu)."""
        cap = self.capitalised[word]
        return cap >= 2 and cap >= 4 * self.lowercase[word]

    def is_common(self, word: str) -> bool:
        """A word (or its singular or stem) seen in lower case in cased text or in lower-cased corpora."""
        forms = {word}
        for suffix, repl in (
            ("ies", "y"),
            ("es", ""),
            ("s", ""),
            ("ed", ""),
            ("ed", "e"),
            ("ing", ""),
            ("ing", "e"),
        ):
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                forms.add(word[: -len(suffix)] + repl)
        return any(self.lowercase[f] > 0 or f in self.vocab for f in forms)


_TITLES = (
    "mr|mrs|ms|dr|miss|sir|lord|lady|prince|princess|president|coach|captain|manager|minister|senator|governor"
    "|judge|king|queen|star|actor|actress|singer|striker|boss|spokesman|spokeswoman|officer|chief|pope|rev"
)
_SAID = "said|says|told|added|explained|wrote|claimed|insisted|admitted|revealed|tweeted|posted"
_NAME_AFTER_RE = re.compile(rf"\b([a-z]{{3,}}) (?:{_SAID})\b|\b([a-z]{{3,}}) , (?:\d+|who|whose|the|a|an)\b")
_NAME_BEFORE_RE = re.compile(rf"\b(?:{_SAID}|{_TITLES}) ([a-z]{{3,}})\b")


def _name_evidence(text: str, lexicon: _Lexicon) -> frozenset[str]:
    """Unknown words of a lower-cased news text that are used like names of people.

    A word never seen as a common word qualifies when it comes before ``said`` or
    ``, 32 ,``, after ``said`` or a title (``mr``, ``coach`` ...), or right next to another
    such word ("anuradha koirala said").
    """
    found: set[str] = set()
    for m in _NAME_AFTER_RE.finditer(text):
        found.add(m.group(1) or m.group(2))
    found.update(m.group(1) for m in _NAME_BEFORE_RE.finditer(text))
    found = {w for w in found if w not in _EN_STOP and not lexicon.is_common(w) and not lexicon.is_name(w)}
    for m in re.finditer(r"(?=\b([a-z]{3,}) ([a-z]{3,})\b)", text):
        a, b = m.group(1), m.group(2)
        for one, other in ((a, b), (b, a)):
            if one in found and other not in _EN_STOP and not lexicon.is_common(other):
                found.add(other)
    return frozenset(found)


def _is_person(run: str, text: str) -> bool:
    """Whether a name of a lower-cased news text is used like a person's ("koirala said", "mr carroll")."""
    first, last = re.escape(run.split()[0]), re.escape(run.split()[-1])
    pattern = (
        rf"\b{last} (?:{_SAID})\b|\b{last} , (?:\d+|who)\b|\b(?:{_TITLES}) {first}\b|\b(?:{_SAID}) {first}\b"
    )
    return re.search(pattern, text) is not None


# Words capitalised as parts of names ("Premier League") that are no names on their own.
_NAME_HEADS = set(
    _words(
        "league cup club city united park street road avenue palace prince princess king queen"
        " hotel university college school hospital church river island islands airport station"
        " council party court house centre center department police government ministry state states"
        " county republic national international royal open grand championship championships premier"
        " division series world trophy festival day week award awards bank group company news times"
        " post daily mail tour masters north south east west new mount lake bay beach square hall"
        " tower bridge museum institute foundation association federation union army navy force"
        " forces office service services agency committee commission parliament senate"
    )
)


def _lower_name_runs(
    text: str, lexicon: _Lexicon, *, evidence: frozenset[str] | None
) -> Iterator[tuple[int, int, str]]:
    """Runs of name-like words in lower-cased English.

    A word is name-like if the lexicon says so (mostly capitalised in cased text), or if
    it is in ``evidence`` (see :func:`_name_evidence`).
    """

    def name_like(word: str) -> bool:
        if len(word) < 3 or word in _EN_STOP:
            return False
        return lexicon.is_name(word) or (evidence is not None and word in evidence)

    run: list[re.Match[str]] = []
    for m in [*_LOWER_TOKEN_RE.finditer(text), None]:
        if m is not None and name_like(m.group(0)) and (not run or text[run[-1].end() : m.start()] == " "):
            run.append(m)
            continue
        if run and not all(r.group(0) in _NAME_HEADS for r in run):
            yield run[0].start(), run[-1].end(), text[run[0].start() : run[-1].end()]
        run = [m] if m is not None and name_like(m.group(0)) else []


_ZH_STOP_BIGRAMS = (
    _words("当中 之中 方面 这样 一个 我们 大家 时候 现在 然后 就是 还是 可以 什么 这个 那个")
    + _words("他们 你们 自己 其实 所以 因为 但是 如果 一些 非常 已经 比较 通过 进行 今天 里面")
    + _words("里边 之后 以后 以及 还有 一下 一点 起来 出来 下来 上面 下面 这种 那种 这些 那些")
    + _words("很多 一样 的话 来说 而且 或者 包括 对于 关于 不是 没有 所有 能够 需要 应该 一直")
    + _words("一定 可能 觉得 认为 知道 希望 分钟 有请 谢谢 感谢 欢迎 嘉宾")
)
_ZH_BOUNDARY = set(
    "的了是在和与及或对把被从到为向以等也都就还而要会能可将让给使由上中下里后前时、，。；：！？“”（）—"
)
_ZH_STOP_EDGE = set(
    "的了是在和与我你他她它们这那就也都不有个一为对把被从到说要会很还而及或等着过吗呢吧啊呀嘛么之其所如因但然后什怎己候得地去来让给用"
    "位各名些种样次于以将向跟像再又才只更最太真挺"
)


@dataclass(slots=True)
class _Grams:
    """CJK n-gram statistics of one text.

    Attributes:
        counts: Occurrences of each 2- to 4-gram.
        left: How many different characters (or the run start) precede each n-gram.
        right: How many different characters (or the run end) follow each n-gram.
        longer: The largest count of a one-character extension of each n-gram, left or right.
    """

    counts: Counter[str]
    left: Counter[str]
    right: Counter[str]
    longer: Counter[str]


def _zh_grams(document: str) -> _Grams:
    """Count the CJK 2- to 5-grams of a text (runs padded with ^ and $) and their contexts."""
    runs = [f"^{run}$" for run in re.findall(f"[{_CJK}]+", document)]
    by_size = {n: Counter(r[i : i + n] for r in runs for i in range(len(r) - n + 1)) for n in (2, 3, 4, 5)}
    counts = Counter(
        {g: c for n in (2, 3, 4) for g, c in by_size[n].items() if "^" not in g and "$" not in g}
    )
    wanted = {g for g, c in counts.items() if c >= 3}
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    longer: Counter[str] = Counter()
    for n in (3, 4, 5):
        for gram, count in by_size[n].items():
            head, tail = gram[:-1], gram[1:]
            if head in wanted:
                right[head] += 1
                if gram[-1] != "$" and count > longer[head]:
                    longer[head] = count
            if tail in wanted:
                left[tail] += 1
                if gram[0] != "^" and count > longer[tail]:
                    longer[tail] = count
    return _Grams(counts, left, right, longer)


def _zh_bounded(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` sits between word boundaries (punctuation, function characters, edges)."""
    before = text[start - 1] if start > 0 else "。"
    after = text[end] if end < len(text) else "。"
    return (before in _ZH_BOUNDARY or not _CJK_RE.match(before)) and (
        after in _ZH_BOUNDARY or not _CJK_RE.match(after)
    )


def _zh_terms(document: str, grams: _Grams, df: Counter[str], max_df: int) -> Counter[str]:
    """Document-specific terms: frequent n-grams with free contexts, rare in the other documents.

    A term occurs at least 3 times, is preceded and followed by at least 3 different
    characters, does not start or end with a function character (nor start with a numeral),
    contains no filler word, occurs in at most ``max_df`` documents, is not mostly part of
    a longer n-gram (学生成 in 学生成长), and stands between word boundaries in a quarter of
    its uses.

    Args:
        document: The document text.
        grams: The document's :func:`_zh_grams`.
        df: In how many documents each n-gram occurs.
        max_df: The largest document frequency a term may have.

    Returns:
        Term counts in the document.
    """
    terms: Counter[str] = Counter()
    for g, c in sorted(grams.counts.items()):
        if c < 3 or df[g] > max_df or grams.left[g] < 3 or grams.right[g] < 3:
            continue
        if g[0] in _ZH_STOP_EDGE or g[-1] in _ZH_STOP_EDGE or g[0] in _ZH_NUM_CHARS or "的" in g:
            continue
        if any(b in g for b in _ZH_STOP_BIGRAMS) or (len(g) < 4 and grams.longer[g] >= 0.6 * c):
            continue
        spans = [m.span() for m in re.finditer(re.escape(g), document)]
        if sum(_zh_bounded(document, a, b) for a, b in spans) >= max(2, 0.25 * len(spans)):
            terms[g] = c
    return terms


_ZH_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤殷"
)
_ZH_TITLES = "|".join(
    _words("董事长 秘书长 校长 老师 教授 先生 女士 博士 院长 主任 书记 局长")
    + _words("经理 主席 所长 部长 会长 律师 医生 园长 教练 行长 市长 总")
)
_ZH_PERSON_RE = re.compile(
    f"(?<![{_ZH_SURNAMES}])[{_ZH_SURNAMES}](?:{_ZH_TITLES})(?![是结体之共计部监裁统局的])"
)


def _zh_persons(document: str) -> Counter[str]:
    """Surname-plus-title names (崔校长, 李总) and how often each occurs."""
    return Counter(_ZH_PERSON_RE.findall(document))


_LEGAL_USER_NOUNS = {
    "user": "users",
    "customer": "customers",
    "licensee": "licensees",
    "subscriber": "subscribers",
    "member": "members",
    "player": "players",
}
_LEGAL_PROVIDER_NOUNS = {
    "company": "companies",
    "provider": "providers",
    "licensor": "licensors",
    "service": "services",
    "developer": "developers",
    "operator": "operators",
}
_LEGAL_PRONOUNS = {"we": "you", "us": "you", "our": "your", "ours": "yours", "your": "our", "yours": "ours"}
_YOU_SUBJECT_NEXT = set(
    _words(
        "can may will must should shall might could would cannot agree are have need re ll ve d don"
        " do did didn won own retain keep give grant get lose waive consent understand acknowledge"
        " accept use provide submit post create upload delete share buy pay represent warrant also"
        " still only always never remain want wish choose make access stop close cancel request"
        " receive allow send opt violate break authorize license hereby were had has agreed aren can"
        " isn"
    )
)
_YOU_SUBJECT_PREV = {"if", "when", "that", "and", "or", "but", "because", "unless", "until", "so", "where"}
_YOU_SUBJECT_PREV |= {"while", "once", "whether", "than", "as", ""}
_SERVICE_VERBS = _YOU_SUBJECT_NEXT | {"uses", "collects", "shares", "tracks", "keeps", "sells"}
_LEGAL_PROVIDER_PHRASE_RE = re.compile(r"\bthe (service|company|site|website|app|platform|provider)\b")


def _legal_role_edits(sentence: str, doc: _Doc) -> list[Edit]:
    """Swap a party of a lower-cased ToS summary with one of the other side that the document names.

    ``you`` becomes ``we`` (or ``us`` as an object), ``your`` becomes ``our`` and back; "the
    user" becomes "the company" / "the provider" ... and back.
    """
    if not doc.vocab:
        doc.vocab = frozenset(re.findall(r"[a-z]+", doc.lower))
    edits: list[Edit] = []
    for m in re.finditer(r"\b[a-z]+\b", sentence):
        word, start, end = m.group(0), m.start(), m.end()
        prev, nxt = _prev_word(sentence, start), _next_word(sentence, end)
        if word == "you":
            options = ["we" if (nxt in _YOU_SUBJECT_NEXT or prev in _YOU_SUBJECT_PREV) else "us"]
        elif word in _LEGAL_PRONOUNS:
            options = [_LEGAL_PRONOUNS[word]]
        elif word in _LEGAL_USER_NOUNS and prev == "the":
            options = list(_LEGAL_PROVIDER_NOUNS)
        elif word in _LEGAL_USER_NOUNS.values():
            options = [p for p in _LEGAL_PROVIDER_NOUNS.values() if p != "services"]
        elif word in _LEGAL_PROVIDER_NOUNS and prev == "the" and (word != "service" or nxt in _SERVICE_VERBS):
            options = list(_LEGAL_USER_NOUNS)
        else:
            continue
        for new in [o for o in options if o in doc.vocab][:3]:
            edits.append(_replace(sentence, start, end, new))
    return edits


# --------------------------------------------------------------------------------------
# Per-document name inventories
# --------------------------------------------------------------------------------------


_Pool = list[tuple[str, str]]
_PLACE_BEFORE = "in|from|at|near|across|visit|visited|visiting|outside|inside"


def _kind_of(name: str, doc: _Doc) -> str:
    """Whether a name is a ``person``, a ``surname``, a ``place`` or ``other``, so swaps keep the kind.

    Cased transcripts: a person is a speaker ("Industrial Design" and "Morgan" count).
    Lower-cased news: a person is a name of two or more words used like one ("koirala said",
    "mr carroll"), a surname is the last word of such a name on its own, a place is made of
    known names and comes after "in", "from", "at" ... Chinese: a person is a surname plus a
    title (崔校长).
    """
    if name in doc.kinds:
        return doc.kinds[name]
    kind = "other"
    if doc.cased:
        if any(sp == name or sp.startswith(name) or name in sp.split() for sp in doc.speakers):
            kind = "person"
    elif doc.language == "en" and doc.dataset != "legal":
        words = name.split()
        if len(words) > 1 and _is_person(name, doc.lower) and not set(words) & _NAME_HEADS:
            kind = "person"
        elif len(words) == 1 and name in doc.surnames:
            kind = "surname"
        elif all(w in doc.known_names or w in _NAME_HEADS for w in words) and re.search(
            rf"\b(?:{_PLACE_BEFORE}) {re.escape(name)}\b", doc.lower
        ):
            kind = "place"
    doc.kinds[name] = kind
    return kind


def _sentence_names(sentence: str, doc: _Doc, lexicon: _Lexicon) -> list[tuple[int, int, str]]:
    """Names in ``sentence`` that also occur in its document (case-insensitively)."""
    if doc.language == "zh" or doc.dataset == "legal":
        spans: list[tuple[int, int, str]] = []
        used = [False] * len(sentence)
        for term in sorted(doc.names, key=lambda t: (-len(t), t)):
            pattern = re.escape(term) if doc.language == "zh" else rf"\b{re.escape(term)}\b"
            for m in re.finditer(pattern, sentence):
                if doc.language == "zh" and not _zh_bounded(sentence, m.start(), m.end()):
                    continue
                if not any(used[m.start() : m.end()]):
                    used[m.start() : m.end()] = [True] * (m.end() - m.start())
                    spans.append((m.start(), m.end(), term))
        return sorted(spans)
    if doc.cased:
        found = list(_cased_runs(sentence, allow_initial=doc.speakers))
        found = [(a, b, r) for a, b, r in found if r.lower() not in _EN_STOP]
    else:
        found = [
            _extend_run(sentence, a, b, doc)
            for a, b, _ in _lower_name_runs(sentence, lexicon, evidence=doc.evidence)
        ]
        found = [(a, b, r) for a, b, r in found if _kind_of(r, doc) in {"person", "surname", "place"}]
    return [(a, b, r) for a, b, r in found if r.lower() in doc.lower]


def _namey(word: str, doc: _Doc) -> bool:
    """A lower-case word that may continue a name: a known name or a word used like one in the document."""
    return word not in _EN_STOP and (word in doc.known_names or word in (doc.evidence or ()))


def _extend_run(sentence: str, start: int, end: int, doc: _Doc) -> tuple[int, int, str]:
    """Grow a lower-case name over the neighbouring words it keeps in the document ("andrew" + "chan")."""
    while True:
        nxt = re.match(r" ([a-z]{2,})\b", sentence[end:])
        if nxt and _namey(nxt.group(1), doc) and doc.lower.count(sentence[start:end] + nxt.group(0)) >= 2:
            end += nxt.end()
            continue
        prev = re.search(r"\b([a-z]{2,}) $", sentence[:start])
        if prev and _namey(prev.group(1), doc) and doc.lower.count(prev.group(0) + sentence[start:end]) >= 2:
            start = prev.start()
            continue
        return start, end, sentence[start:end]


_ROLE_WORDS = {"grad", "phd", "professor", "postdoc", "undergrad", "dr", "hon", "mr", "mrs", "ms", "am", "mp"}


def _related(a: str, b: str) -> bool:
    """Whether two names overlap: equal, one inside the other, or sharing a word (other than a title)."""
    al, bl = a.lower(), b.lower()
    if al in bl or bl in al:
        return True
    shared = set(re.findall(r"\w+", al)) & set(re.findall(r"\w+", bl))
    return bool(shared - _ROLE_WORDS) if " " in al + bl else False


def _size(name: str) -> int:
    """Words in an English name, characters in a Chinese one."""
    return len(name) if _CJK_RE.search(name) else len(name.split())


def _pick_names(target: str, pool: Sequence[str], sentence: str, *, prefer_size: bool = True) -> list[str]:
    """Replacement names for ``target``: unrelated to it, absent from the sentence; same size first."""
    low = sentence.lower()
    options = [p for p in pool if not _related(target, p) and p.lower() not in low]
    if prefer_size:
        same = [p for p in options if _size(p) == _size(target)]
        options = same or options
    return options[:MAX_CANDIDATE_NAMES]


def _doc_name_pool(doc: _Doc, kind: str) -> list[str]:
    """The document's names of one kind seen at least twice, most frequent first."""
    names = [n for n, c in sorted(doc.names.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 2]
    return [n for n in names if _kind_of(n, doc) == kind]


_AMI_ROLES = {"Project Manager", "Marketing", "Industrial Designer", "User Interface"}


def _name_edit(sentence: str, start: int, end: int, new: str, doc: _Doc) -> Edit:
    """Replace a name; in cased transcripts a person's name drops the article of a role ("the Marketing")."""
    article = re.search(r"\b[Tt]he $", sentence[:start]) if doc.cased and new not in _AMI_ROLES else None
    if article is None:
        return _replace(sentence, start, end, new)
    a = article.start()
    return Edit(a, end, new, (a, a + len(new)), sentence[a:end])


def _entity_swap_edits(sentence: str, doc: _Doc, lexicon: _Lexicon) -> list[Edit]:
    """Swap a name (or a ToS party) in ``sentence`` with a different one of the same document.

    In ToS summaries, company names and "the user" / "the company" swaps are preferred over
    the ubiquitous you / we swaps when a sentence offers both.
    """
    edits: list[Edit] = []
    for start, end, name in _sentence_names(sentence, doc, lexicon):
        kind = _kind_of(name, doc)
        if doc.dataset == "qmsum" and kind != "person":
            continue  # only participants: a transcript's other capitalised words mix products, units, places.
        pool = _doc_name_pool(doc, kind)
        for new in _pick_names(name, pool, sentence):
            if new.lower() in doc.lower:
                edits.append(_name_edit(sentence, start, end, new, doc))
    if doc.dataset == "legal":
        roles = _legal_role_edits(sentence, doc)
        nouns = [e for e in roles if e.target not in _LEGAL_PRONOUNS and e.target != "you"]
        pronouns = [e for e in roles if e not in nouns]
        if re.search(r"\b(?:yourself|yourselves|ourselves)\b", sentence):
            pronouns = []  # "you maintain the ownership yourself" cannot become "we maintain ... yourself".
        edits += nouns or ([] if edits else pronouns)
    return edits


def _foreign_edits(sentence: str, doc: _Doc, lexicon: _Lexicon, foreign: dict[str, _Pool]) -> list[Edit]:
    """Replace a name (or, in ToS summaries, the provider) with a name found only in other documents."""
    pool = foreign.get(doc.doc_id, [])
    if not pool:
        return []
    targets = list(_sentence_names(sentence, doc, lexicon))
    if doc.dataset == "legal":
        targets += [
            (m.start(), m.end(), m.group(0))
            for m in _LEGAL_PROVIDER_PHRASE_RE.finditer(sentence)
            if _next_word(sentence, m.end()) not in {"provider", "providers", "terms", "s"}
        ]
        for m in re.finditer(r"\bwe\b", sentence):
            if _next_word(sentence, m.end()) not in {"re", "ll", "ve", "d", "are", "have", "were", ""}:
                targets.append((m.start(), m.end(), "we"))
    edits: list[Edit] = []
    for start, end, name in targets:
        kind = _kind_of(name, doc)
        if doc.dataset == "qmsum" and kind != "person":
            continue  # a transcript's other capitalised words are too mixed (products, units, places).
        same = [n for n, k in pool if k == kind]
        if not same and kind == "person":
            continue
        kind_pool = same or [n for n, _ in pool]
        for new in _pick_names(name, kind_pool, sentence, prefer_size=doc.dataset != "legal"):
            edits.append(_name_edit(sentence, start, end, new, doc))
    return edits


# --------------------------------------------------------------------------------------
# Building the benchmark
# --------------------------------------------------------------------------------------


def _brand_names(record: dict) -> tuple[str, ...]:
    """Company names of a legal record: its ToS;DR site stems, or its TL;DRLegal title's first word."""
    stems = re.findall(r"([a-z][a-z0-9-]{2,})\.[a-z.]+", str(record.get("site") or "").lower())
    stems = [s for s in stems if s not in {"www", "com", "org", "net"} and s.isalpha()]
    if not stems and record.get("source") == "tldrlegal":
        first = str(record.get("doc_title", "")).split()[:1]
        stems = [w.lower() for w in first if w.isalpha() and w.lower() not in _EN_STOP]
    return tuple(dict.fromkeys(stems))


def _speaker_name(raw: str) -> str:
    """A transcript speaker label as summaries name it ("Hon. Bill Blair (Minister ...)" to "Bill Blair")."""
    name = re.sub(r"\s*\(.*\)\s*$", "", raw.strip())
    name = re.sub(r"^(?:Hon\.|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?)\s+", "", name)
    return re.sub(r"\s+(?:AM|MP|MS|MSP|MLA)$", "", name).strip()


def _load_docs(data: Path) -> list[_Doc]:
    """Read the four datasets (those present) into documents with their faithful sentences."""
    docs: list[_Doc] = []
    if (path := data / FILES["legal"]).is_file():
        for r in _read_jsonl(path):
            sents = [s for sec in r["sections"] for s in split_sentences(sec["summary"], "en", cased=False)]
            docs.append(_Doc("legal", "en", r["id"], r["document"], False, sents, brand=_brand_names(r)))
    if (path := data / FILES["qmsum"]).is_file():
        for r in _read_jsonl(path):
            sents = [s for q in r["specific_queries"] for s in split_sentences(q["answer"], "en")]
            speakers = tuple(dict.fromkeys(_speaker_name(t[0]) for t in r.get("turns", [])))
            doc = _Doc("qmsum", "en", r["id"], r["document"], True, sents, speakers=speakers)
            doc.group = str(r.get("domain", ""))
            docs.append(doc)
    if (path := data / FILES["vcsum"]).is_file():
        for r in _read_jsonl(path):
            sents = [s for sec in r["sections"] for s in split_sentences(sec["summary"], "zh")]
            docs.append(_Doc("vcsum", "zh", r["id"], r["document"], False, sents))
    if (path := data / FILES["realsumm"]).is_file():
        for r in _read_jsonl(path):
            ref = r.get("reference_summary") or r.get("summary") or ""
            docs.append(
                _Doc("realsumm", "en", r["id"], r["document"], False, split_sentences(ref, "en", cased=False))
            )
    for doc in docs:
        doc.lower = doc.document.lower()
    return docs


def _build_lexicon(data: Path, docs: Sequence[_Doc]) -> _Lexicon:
    """Learn name-like and common words from the English documents of the shared data."""
    lexicon = _Lexicon()
    for name in LEXICON_FILES:
        if (path := data / name).is_file():
            for r in _read_jsonl(path):
                lexicon.add(r["document"])
    for name in VOCAB_FILES:
        if (path := data / name).is_file():
            for r in _read_jsonl(path):
                lexicon.vocab.update(_LOWER_TOKEN_RE.findall(r["document"]))
    for doc in docs:
        if doc.dataset == "legal":
            lexicon.vocab.update(_LOWER_TOKEN_RE.findall(doc.lower))
    return lexicon


def _index_names(docs: list[_Doc], lexicon: _Lexicon) -> None:
    """Fill each document's name counts (speakers count as names, legal names are company names)."""
    for doc in docs:
        doc.brand = tuple(b for b in doc.brand if lexicon.lowercase[b] <= lexicon.capitalised[b])
    brands = sorted({b for d in docs for b in d.brand})
    zh_docs = [d for d in docs if d.language == "zh"]
    zh_grams = {d.doc_id: _zh_grams(d.document) for d in zh_docs}
    df: Counter[str] = Counter(g for grams in zh_grams.values() for g in grams.counts)
    max_df = max(2, len(zh_docs) // 7)
    for doc in docs:
        if doc.language == "zh":
            persons = _zh_persons(doc.document)
            doc.names = _zh_terms(doc.document, zh_grams[doc.doc_id], df, max_df)
            doc.names.update({p: c + 1 for p, c in persons.items()})
            doc.speakers = tuple(sorted(persons))
            doc.kinds = {t: "person" for t in doc.names if re.search(f"(?:{_ZH_TITLES})$", t)}
        elif doc.dataset == "legal":
            words = Counter(re.findall(r"[a-z]+", doc.lower))
            doc.names = Counter({b: words[b] for b in brands if words[b]})
        elif doc.cased:
            names: Counter[str] = Counter()
            for line in doc.document.split("\n"):
                _, sep, text = line.partition(": ")
                for _, _, run in _cased_runs(text if sep else line):
                    if " " in run or run.isupper() or lexicon.is_name(run.lower()):
                        names[run] += 1
            for speaker in doc.speakers:
                names[speaker] += 2
            doc.names = names
        else:
            doc.evidence = _name_evidence(doc.lower, lexicon)
            doc.known_names = frozenset(
                w for w in set(_LOWER_TOKEN_RE.findall(doc.lower)) if lexicon.is_name(w)
            )
            doc.names = Counter(
                run for _, _, run in _lower_name_runs(doc.lower, lexicon, evidence=doc.evidence)
            )
            full = [r for r in sorted(doc.names) if " " in r and _kind_of(r, doc) == "person"]
            doc.surnames = frozenset(r.split()[-1] for r in full)
            for name in sorted(doc.names):
                _kind_of(name, doc)


def _foreign_pools(docs: list[_Doc]) -> dict[str, _Pool]:
    """For each document, names of the other documents of its dataset, with whether each is a speaker.

    Names of documents of the same group (QMSum domain) come first, then the most frequent.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], str] = {}
    for doc in docs:
        names = Counter(dict.fromkeys(doc.brand, 5)) if doc.dataset == "legal" else doc.names
        for name, count in names.items():
            if count >= (2 if doc.language == "zh" or doc.dataset == "legal" else 3) and len(name) >= 2:
                counts[doc.dataset][name] += count
                groups[(doc.dataset, name)].add(doc.group)
                kinds.setdefault((doc.dataset, name), _kind_of(name, doc))
    pools: dict[str, _Pool] = {}
    for doc in docs:
        ranked = sorted(
            counts[doc.dataset].items(),
            key=lambda kv: (doc.group not in groups[(doc.dataset, kv[0])], -kv[1], kv[0]),
        )
        own = set(doc.names) | set(doc.brand)
        pools[doc.doc_id] = [
            (n, kinds[(doc.dataset, n)]) for n, _ in ranked if n not in own and n.lower() not in doc.lower
        ][:300]
    return pools


def _candidates(
    kind: str, sentence: str, doc: _Doc, lexicon: _Lexicon, foreign: dict[str, _Pool]
) -> list[Edit]:
    """Candidate edits of one kind for one sentence."""
    if kind == "negation":
        return negation_edits(sentence, doc.language)
    if kind == "antonym":
        return antonym_edits(sentence, doc.language)
    if kind == "number_change":
        return number_edits(sentence, doc.language, cased=doc.cased)
    if kind == "entity_swap":
        return _entity_swap_edits(sentence, doc, lexicon)
    return _foreign_edits(sentence, doc, lexicon, foreign)


def _valid(kind: str, edit: Edit, sentence: str, doc: _Doc) -> bool:
    """Checks every edit must pass: a real change, in-bounds span, not a verbatim document string."""
    edited = edit.apply(sentence)
    start, end = edit.span
    if edited == sentence or not 0 <= start < end <= len(edited) or not edited[start:end].strip():
        return False
    if edited in doc.document:
        return False
    article = re.search(r"\b(a|an|A|An)\s+$", sentence[: edit.start])
    if article and edit.replacement[:1].isalpha():
        vowel = edit.replacement[:1].lower() in "aeiou"
        if vowel != (article.group(1).lower() == "an"):
            return False  # "a easy divorce".
    new, target = edit.replacement.lower(), edit.target.lower()
    if kind == "entity_swap":
        return not _contains(sentence, new) and new not in target and target not in new and new in doc.lower
    if kind == "foreign_detail":
        return new not in doc.lower and not _contains(sentence, new)
    return True


def _contains(text: str, name: str) -> bool:
    """Whether ``name`` occurs in ``text`` case-insensitively (as whole words for English)."""
    if _CJK_RE.search(name):
        return name in text
    return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text.lower()) is not None


def build_cases(data: Path, *, seed: int = SEED) -> list[EditCase]:
    """Build the edit benchmark from the shared data folder.

    Sentences are visited in a seeded random order per dataset; for each edit kind, a
    sentence gets at most one edit, a document at most :data:`PER_DOC_KIND_CAP` edits and a
    dataset at most :data:`PER_DATASET_KIND_CAP`. Sentences not yet edited are preferred, and
    no sentence gets more than :data:`MAX_EDITS_PER_SENTENCE` edits. Identical sentence texts
    within a dataset are used once.

    Args:
        data: The folder holding the shared JSONL files.
        seed: Seed of the ``random.Random`` that orders sentences and picks edits.

    Returns:
        For each dataset, each used faithful sentence (label 1) followed by its edits (label 0).
    """
    rng = random.Random(seed)
    docs = _load_docs(data)
    lexicon = _build_lexicon(data, docs)
    _index_names(docs, lexicon)
    foreign = _foreign_pools(docs)

    datasets = list(dict.fromkeys(d.dataset for d in docs))
    cases: list[EditCase] = []
    for dataset in datasets:
        units: list[tuple[_Doc, str]] = []
        seen: set[str] = set()
        for doc in docs:
            if doc.dataset != dataset:
                continue
            for sentence in doc.sentences:
                if sentence not in seen:
                    seen.add(sentence)
                    units.append((doc, sentence))
        rng.shuffle(units)
        edits: dict[int, list[tuple[str, Edit]]] = defaultdict(list)
        for kind in EDIT_KINDS:
            per_doc: Counter[str] = Counter()
            chosen = 0
            for fresh_only in (True, False):
                for idx, (doc, sentence) in enumerate(units):
                    if chosen >= PER_DATASET_KIND_CAP:
                        break
                    used = edits[idx]
                    if per_doc[doc.doc_id] >= PER_DOC_KIND_CAP or any(k == kind for k, _ in used):
                        continue
                    if (fresh_only and used) or len(used) >= MAX_EDITS_PER_SENTENCE:
                        continue
                    options = [
                        e
                        for e in _candidates(kind, sentence, doc, lexicon, foreign)
                        if _valid(kind, e, sentence, doc)
                    ]
                    if not options:
                        continue
                    used.append((kind, rng.choice(options)))
                    per_doc[doc.doc_id] += 1
                    chosen += 1
        for idx, (doc, sentence) in enumerate(units):
            if not edits.get(idx):
                continue
            base = dict(dataset=dataset, language=doc.language, doc_id=doc.doc_id, document=doc.document)
            cases.append(
                EditCase(
                    **base, sentence=sentence, label=1, edit_kind="none", edit_span=None, original=sentence
                )
            )
            for kind, edit in sorted(edits[idx], key=lambda ke: EDIT_KINDS.index(ke[0])):
                cases.append(
                    EditCase(
                        **base,
                        sentence=edit.apply(sentence),
                        label=0,
                        edit_kind=kind,
                        edit_span=edit.span,
                        original=sentence,
                    )
                )
    return cases


def summary_table(cases: Iterable[EditCase]) -> dict[str, dict[str, int]]:
    """Count cases by dataset and edit kind.

    Args:
        cases: Cases from :func:`build_cases`.

    Returns:
        ``{dataset: {kind: count}}`` with the kinds ``none`` (faithful) and :data:`EDIT_KINDS`,
        plus a ``total`` row summing over datasets.
    """
    kinds = ("none", *EDIT_KINDS)
    table: dict[str, dict[str, int]] = {}
    for case in cases:
        row = table.setdefault(case.dataset, dict.fromkeys(kinds, 0))
        row[case.edit_kind] += 1
    table["total"] = {k: sum(row[k] for row in table.values()) for k in kinds}
    return table


def _bracketed(case: EditCase) -> str:
    """The edited sentence with its edit span in brackets."""
    if case.edit_span is None:
        return case.sentence
    a, b = case.edit_span
    return f"{case.sentence[:a]}[{case.sentence[a:b]}]{case.sentence[b:]}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the counts table and a few examples of each edit kind.

    Args:
        argv: Command-line arguments (``--examples N``).

    Returns:
        The process exit status.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    n_examples = int(args[args.index("--examples") + 1]) if "--examples" in args else 3
    data = data_dir()
    if data is None:
        print(f"../shared/eval/data is absent (set ${DATA_ENV}); nothing to build.")
        return 0
    cases = build_cases(data)
    table = summary_table(cases)
    kinds = ("none", *EDIT_KINDS)
    print(f"{'dataset':<10}" + "".join(f"{k:>16}" for k in kinds) + f"{'edited':>9}")
    for dataset, row in table.items():
        edited = sum(row[k] for k in EDIT_KINDS)
        print(f"{dataset:<10}" + "".join(f"{row[k]:>16}" for k in kinds) + f"{edited:>9}")
    by_lang: Counter[tuple[str, str]] = Counter((c.language, c.edit_kind) for c in cases)
    print()
    for lang in ("en", "zh"):
        print(f"{lang:<10}" + "".join(f"{by_lang[(lang, k)]:>16}" for k in kinds))
    rng = random.Random(SEED)
    for kind in EDIT_KINDS:
        print(f"\n== {kind}")
        for dataset in table:
            pool = [c for c in cases if c.edit_kind == kind and c.dataset == dataset]
            for case in rng.sample(pool, min(n_examples, len(pool))):
                print(f"  [{dataset}] {case.original}\n      -> {_bracketed(case)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
