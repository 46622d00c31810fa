"""Polarity and modality: negation, obligation strength and antonyms of a clause, in English and Chinese.

Embeddings put "the Provider shall refund the fee" and "the Provider shall
not refund the fee" almost on top of each other. This module reads the cues
that flip or weaken a clause, so that a summary sentence can be compared with
the document clause it is aligned with (:func:`compare`):

* **negation**: "not", "no", "never", "without", "cannot", "n't", "neither",
  "nor", "none", "nothing", "nobody", and prohibitions ("prohibited",
  "forbidden"); Chinese 不, 未, 无, 没, 没有, 非, 别, 勿, and 不得 / 禁止 /
  严禁. A clause's *polarity* is the parity of its negation cues, so a double
  negation reads as positive;
* **modality**: how strong the obligation is: ``"prohibition"`` ("shall
  not", "must not", "may not", 不得, 禁止), ``"obligation"`` ("shall",
  "must", "is required to", "has to", 应当, 应, 必须, 须), ``"permission"``
  ("may", "can", "is entitled to", "is allowed to", 可以, 可, 有权). A
  summary that turns a "shall" into a "may" weakens an obligation;
* **antonyms**: a hand-written list of opposite pairs ("increase" /
  "decrease", "before" / "after", "include" / "exclude", 增加 / 减少, 提高 /
  降低, ...), compared by Porter stem. A summary word whose opposite is in
  the aligned clause, while the word itself is not, is flagged.

Every cue keeps its character span in the text, so the report can mark the
words that carry the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = ["Cue", "PolarityDiff", "Modality", "antonym_pairs", "compare", "cues", "negated_everywhere_else"]

Modality = Literal["prohibition", "obligation", "permission", "none"]

_EN_NEGATION = re.compile(
    r"\b(?:not|no(?!\.?\s*\d)|never|without|cannot|neither|nor|none|nothing|nobody|nowhere|prohibited"
    r"|forbidden|prohibits?|forbids?|prohibiting)\b(?!\.\s*\d)|n['’]t\b",
    re.IGNORECASE,
)
"""Negation cues; "No. 1" and "No 5" are numbers, not negations."""
# 不 inside fixed words that are not negations ("不断" constantly, "不过" however, "不同" different
# keeps its meaning of difference, which the antonym list handles).
_ZH_NOT_NEGATION = (
    "不断",
    "不过",
    "不仅",
    "不但",
    "不管",
    "不论",
    "不少",
    "不久",
    "无论",
    "毫无疑问",
    "非常",
    "并非",
)
_ZH_NEGATION = re.compile(r"不得|禁止|严禁|没有|不|未|无|没|非|别|勿")
_EN_PROHIBITION = re.compile(
    r"\b(?:shall|must|may|will)\s+not\b|\b(?:shan['’]t|mustn['’]t|cannot|can['’]t)\b|\bis\s+prohibited\b",
    re.IGNORECASE,
)
_EN_OBLIGATION = re.compile(
    r"\b(?:shall|must|will|required\s+to|obliged\s+to|obligated\s+to|has\s+to|have\s+to|needs?\s+to)\b",
    re.IGNORECASE,
)
_EN_PERMISSION = re.compile(
    r"\b(?:may|can|could|entitled\s+to|allowed\s+to|permitted\s+to|free\s+to|option\s+to)\b", re.IGNORECASE
)
_ZH_PROHIBITION = re.compile(r"不得|禁止|严禁|不可以|不能|不应")
_ZH_OBLIGATION = re.compile(r"应当|必须|应该|须|应")
_ZH_PERMISSION = re.compile(r"可以|有权|允许|可")

_ANTONYMS_EN = """
increase decrease; increase reduce; raise lower; rise fall; higher lower; more less; more fewer;
maximum minimum; most least; above below; over under; before after; earlier later; first last;
start end; begin end; open close; include exclude; inclusive exclusive; accept reject; allow prohibit;
allow forbid; permit prohibit; agree disagree; approve reject; grant deny; win lose; gain lose;
profit loss; success failure; succeed fail; positive negative; strong weak; strengthen weaken;
support oppose; for against; buy sell; purchase sell; lend borrow; import export; add remove;
add subtract; expand shrink; extend shorten; long short; high low; large small; big small; major minor;
full partial; all none; always never; entire partial; upper lower; internal external; inside outside;
public private; legal illegal; lawful unlawful; valid invalid; possible impossible; likely unlikely;
known unknown; true false; correct incorrect; right wrong; safe unsafe; secure insecure; same different;
similar different; old new; young old; early late; fast slow; quick slow; cheap expensive; rich poor;
hot cold; wet dry; light heavy; easy difficult; easy hard; simple complex; absent present;
include omit; renew terminate; continue stop; arrive depart; enter exit; send receive; give receive;
give take; pay receive; employer employee; buyer seller; landlord tenant; lessor lessee; licensor licensee;
increased reduced; upward downward; maximise minimise; maximize minimize; inflow outflow; surplus deficit;
asset liability; credit debit; exempt liable; mandatory optional; required optional; voluntary mandatory;
refundable nonrefundable; exclusive nonexclusive; revocable irrevocable; temporary permanent;
domestic foreign; north south; east west; left right; win defeat; victory defeat; guilty innocent;
like dislike; love hate; happy sad; agree refuse; admit deny; confirm deny; include except
"""
_ANTONYMS_ZH = """
增加 减少; 增加 降低; 提高 降低; 上升 下降; 上涨 下跌; 增长 下降; 增长 减少; 扩大 缩小; 加强 削弱; 增强 减弱;
支持 反对; 同意 反对; 同意 拒绝; 接受 拒绝; 允许 禁止; 批准 拒绝; 开始 结束; 开始 终止; 最大 最小; 最高 最低;
最多 最少; 之前 之后; 以前 以后; 以上 以下; 成功 失败; 胜利 失败; 赢 输; 优点 缺点; 优势 劣势; 积极 消极;
正面 负面; 盈利 亏损; 收入 支出; 买方 卖方; 买入 卖出; 购买 出售; 出租方 承租方; 甲方 乙方; 进口 出口;
内部 外部; 公开 保密; 合法 违法; 有效 无效; 必须 可以; 全部 部分; 长期 短期; 提前 延后; 早 晚; 多 少;
容易 困难; 简单 复杂; 高 低; 大 小; 快 慢; 新 旧; 包括 排除; 包含 不含; 存在 不存在; 肯定 否定; 同 异
"""


@dataclass(frozen=True, slots=True)
class Cue:
    """One polarity or modality cue in a text.

    Attributes:
        kind: ``"negation"``, or the modality (``"prohibition"``,
            ``"obligation"``, ``"permission"``).
        start: Offset of the cue's first character in the text.
        end: Offset after its last character.
        text: The cue as written.
    """

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class PolarityDiff:
    """How a summary clause differs in polarity and modality from its aligned document clause.

    Attributes:
        negation_flipped: The two clauses have opposite polarity (one
            negation more or fewer, counted by parity).
        modality_changed: Both clauses state an obligation strength and
            they differ (for example "shall" against "may").
        antonym: The summary uses a word whose opposite, not the word
            itself, is in the aligned clause.
        span: ``(start, end)`` in the summary sentence of the words that
            carry the difference, or ``None`` when there is no difference.
        detail: One phrase saying what differs, e.g. ``"'may' where the
            document says 'shall'"``.
    """

    negation_flipped: bool
    modality_changed: bool
    antonym: bool
    span: tuple[int, int] | None
    detail: str


def _zh_negations(text: str) -> list[Cue]:
    masked = text
    for word in _ZH_NOT_NEGATION:
        masked = masked.replace(word, "\0" * len(word))
    return [Cue("negation", m.start(), m.end(), m.group()) for m in _ZH_NEGATION.finditer(masked)]


def cues(text: str) -> list[Cue]:
    """Negation cues and the strongest modality cue of ``text``, in text order.

    Example:
        >>> [c.kind for c in cues("The Provider shall not refund the fee.")]
        ['prohibition', 'negation']
    """
    found = [Cue("negation", m.start(), m.end(), m.group()) for m in _EN_NEGATION.finditer(text)]
    found += _zh_negations(text)
    for kind, en, zh in (
        ("prohibition", _EN_PROHIBITION, _ZH_PROHIBITION),
        ("obligation", _EN_OBLIGATION, _ZH_OBLIGATION),
        ("permission", _EN_PERMISSION, _ZH_PERMISSION),
    ):
        hits = [m for m in (*en.finditer(text), *zh.finditer(text))]
        if hits:
            m = min(hits, key=lambda h: h.start())
            found.append(Cue(kind, m.start(), m.end(), m.group()))
            break
    return sorted(found, key=lambda c: (c.start, c.kind))


def _modality(found: list[Cue]) -> tuple[Modality, Cue | None]:
    for c in found:
        if c.kind != "negation":
            return c.kind, c  # type: ignore[return-value]
    return "none", None


@lru_cache(maxsize=1)
def antonym_pairs() -> dict[str, frozenset[str]]:
    """The antonym list as ``{stem: stems of its opposites}`` (Porter stems; Chinese words as written)."""
    from ..score.lexical import stem

    table: dict[str, set[str]] = {}
    for block, stemmed in ((_ANTONYMS_EN, True), (_ANTONYMS_ZH, False)):
        for pair in block.replace("\n", " ").split(";"):
            words = pair.split()
            if len(words) != 2:
                continue
            a, b = (stem(w) for w in words) if stemmed else words
            table.setdefault(a, set()).add(b)
            table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_NEGATIVE_PREFIXES = ("non-", "non", "un", "dis", "in", "im", "il", "ir")


def _word_stems(text: str) -> list[tuple[str, int, int]]:
    from ..score.lexical import stem

    return [(stem(m.group().lower()), m.start(), m.end()) for m in _WORD.finditer(text)]


def _antonym_hit(sentence: str, clause: str) -> tuple[int, int, str, str] | None:
    table = antonym_pairs()
    s_words = _word_stems(sentence)
    c_stems = {w for w, _, _ in _word_stems(clause)}
    for w, a, b in s_words:
        opposite = table.get(w)
        if opposite and w not in c_stems and (hit := opposite & c_stems):
            return a, b, sentence[a:b], min(hit)
    # Opposites by a negative prefix: "unnecessary" / "necessary", "disagree" / "agree", "non-exclusive".
    c_words = {m.group().lower() for m in _WORD.finditer(clause)}
    s_lower = {m.group().lower() for m in _WORD.finditer(sentence)}
    for m in _WORD.finditer(sentence):
        word = m.group().lower()
        if word in c_words:
            continue
        for prefix in _NEGATIVE_PREFIXES:
            base = word[len(prefix) :].lstrip("-")
            if word.startswith(prefix) and len(base) >= 4 and base in c_words:
                return m.start(), m.end(), m.group(), base
        for other in (f"un{word}", f"dis{word}", f"in{word}", f"im{word}", f"non{word}", f"non-{word}"):
            if other in c_words and other not in s_lower and len(word) >= 4:
                return m.start(), m.end(), m.group(), other
    for word, opposites in table.items():
        if not ("\u3400" <= word[0] <= "\u9fff") or word not in sentence or word in clause:
            continue
        for other in opposites:
            if other in clause and other not in sentence:
                a = sentence.index(word)
                return a, a + len(word), word, other
    return None


NEGATION_WINDOW = 3
"""A negation cue reaches the first content word at most this many words (CJK: characters) after it."""

_TERM = re.compile(r"[A-Za-z][A-Za-z'’-]*|[\u3400-\u9fff]")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "as",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "will",
        "shall",
        "must",
        "may",
        "can",
        "could",
        "would",
        "should",
        "any",
        "all",
        "some",
    ]
)


def _negated_terms(text: str, neg: list[Cue]) -> dict[str, tuple[bool, int, int]]:
    """Each content word's stem (CJK: character pair) -> (negated at first use, its span).

    A word is negated when it is the first content word after a negation cue,
    at most :data:`NEGATION_WINDOW` words (CJK: characters) on, in the same
    clause: "shall not *disclose* confidential information" negates "disclose",
    not "confidential". A clause ends at a comma, semicolon or colon and at a
    sentence end: in "He did not. Board members agreed" nothing is negated.
    """
    from ..score.lexical import stem

    tokens = [(m.group(), m.start(), m.end()) for m in _TERM.finditer(text)]
    content: list[tuple[str, int, int, int]] = []  # (term, start, end, token index)
    for k, (word, a, b) in enumerate(tokens):
        if "\u3400" <= word[0] <= "\u9fff":
            if k + 1 >= len(tokens) or not ("\u3400" <= tokens[k + 1][0][0] <= "\u9fff"):
                continue
            term, b = word + tokens[k + 1][0], tokens[k + 1][2]
            if _ZH_NEGATION.search(term):
                continue
        else:
            low = word.lower()
            if low in _STOP or len(low) < 3 or _EN_NEGATION.fullmatch(low):
                continue
            term = stem(low)
        content.append((term, a, b, k))
    negated_at: set[int] = set()
    for cue in neg:
        after = [c for c in content if c[1] >= cue.end]
        if not after:
            continue
        term, a, _, k = after[0]
        cue_token = next((i for i, t in enumerate(tokens) if t[2] >= cue.end), k)
        if k - cue_token <= NEGATION_WINDOW and not re.search(r"[,;:，；：.!?。！？]", text[cue.end : a]):
            negated_at.add(a)
    out: dict[str, tuple[bool, int, int]] = {}
    for term, a, b, _ in content:
        out.setdefault(term, (a in negated_at, a, b))
    return out


def _local_flip(
    sentence: str, s_neg: list[Cue], clause: str, c_neg: list[Cue]
) -> tuple[int, int, str] | None:
    """A word both texts use, negated in one text only: ``(start, end, detail)``, offsets in ``sentence``."""
    if not s_neg and not c_neg:
        return None
    mine, theirs = _negated_terms(sentence, s_neg), _negated_terms(clause, c_neg)
    for term, (negated, a, b) in mine.items():
        if term in theirs and theirs[term][0] != negated:
            # The other text must use the word plainly: "no licence is granted" negates "licence" first,
            # yet it says what "does not grant a licence" says.
            if term not in _plain_uses(clause if negated else sentence)[1]:
                continue
            if negated:
                cue = max((c for c in s_neg if c.end <= a), key=lambda c: c.end, default=None)
                x, y = (cue.start, cue.end) if cue else (a, b)
                return (
                    x,
                    y,
                    f"'{sentence[x:y]} … {sentence[a:b]}' where the document's clause does not negate it",
                )
            return a, b, f"'{sentence[a:b]}' where the document's clause negates it"
    return None


_NOT_CLAIMS = frozenset(
    ("our", "your", "their", "his", "her", "its", "my", "much", "many", "more", "less", "most", "least")
    + ("only", "also", "just", "even", "yet", "very", "so", "such", "same", "other", "one", "all", "both")
    + ("either", "every", "each", "there", "here", "then", "now")
)
"""Words a negation can reach that carry no claim of their own ("not our fault", "not so much")."""


_LIMIT_AFTER_NEGATION = re.compile(
    r"\b(?:other\s+than|except|unless|beyond|outside|apart\s+from|save\s+for)\b", re.I
)
"""Words that limit a negated word ("shall not use it *other than* for the Purpose"): not a flipped claim.

Narrower than the judge's carve-out cues (:mod:`summary_coverage.judge.assess`), which also read
"provided that" and "notwithstanding" as a rule's exception; here "beyond" and "outside" also limit.
"""


@lru_cache(maxsize=4096)
def _plain_uses(unit: str) -> tuple[frozenset[str], frozenset[str]]:
    """The content words of an evidence sentence, and those with no negation cue before them in their clause.

    Stricter than :func:`_negated_terms` on purpose: "may not post or submit"
    leaves neither word plain, so a summary's "cannot submit" is not read
    as a flipped negation.
    """
    neg = [c for c in cues(unit) if c.kind == "negation"]
    terms = _negated_terms(unit, [])  # every content word, first use
    plain = set()
    for term, (_, a, _) in terms.items():
        before = [c for c in neg if c.end <= a]
        if not before or re.search(r"[,;:，；：.!?。！？]", unit[max(c.end for c in before) : a]):
            plain.add(term)
    return frozenset(terms), frozenset(plain)


def negated_everywhere_else(sentence: str, units: tuple[str, ...]) -> tuple[int, int, str] | None:
    """A word the sentence negates that every evidence sentence using it states plainly.

    :func:`compare` reads one aligned clause and misses a negation when the
    summary rewords the clause too much to align. This reads every evidence
    sentence that uses the word: "the team will not *adopt* the scroll wheel"
    against evidence that says "adopt" only with no negation before it in
    its clause. Only this direction is read: a summary stating plainly what
    the evidence negates is too often an idiom ("no problem") or a reworded
    exception ("not limited to"). Returns ``(start, end, detail)`` in
    ``sentence``, or ``None``; always ``None`` for a sentence with Chinese characters.
    """
    if re.search(r"[\u3400-\u9fff]", sentence):
        return None  # English only: on Chinese meetings it flagged 9 of 120 faithful sentences (3 before)
    s_neg = [c for c in cues(sentence) if c.kind == "negation"]
    if not s_neg:
        return None
    for term, (negated, a, b) in _negated_terms(sentence, s_neg).items():
        if not negated or sentence[a:b].lower() in _NOT_CLAIMS:
            continue
        cue = max((c for c in s_neg if c.end <= a), key=lambda c: c.end, default=None)
        if cue is None or _LIMIT_AFTER_NEGATION.search(sentence, b):
            continue  # "shall not use it other than for the purpose" restates a limit ("only for")
        uses = [plain for used, plain in map(_plain_uses, units) if term in used]
        if uses and all(term in plain for plain in uses):
            x, y = cue.start, cue.end
            return x, y, f"'{sentence[x:y]} … {sentence[a:b]}' where the evidence never negates it"
    return None


_RESTRICTION = re.compile(r"[^.;:!?。；！？]{0,120}?(?:\b(?:only|solely|exclusively)\b|仅|只)", re.IGNORECASE)


def restricted_modality(text: str, found: list[Cue] | None = None) -> Modality | None:
    """The modality of ``text`` when "only", "solely" or "exclusively" (仅, 只) follows its cue in its clause.

    ``found`` is :func:`cues` of ``text``, when already read.
    """
    mod, cue = _modality(cues(text) if found is None else found)
    return mod if cue is not None and _RESTRICTION.match(text, cue.end) is not None else None


def same_restriction(sentence: str, clause: str) -> bool:
    """Whether ``sentence`` grants as a restricted permission what ``clause`` states as a restricted duty.

    "The Recipient may use it only to evaluate the deal" and "The Recipient
    shall use it solely for evaluating the deal" say the same: a duty to use
    something *only* for a purpose is a permission limited to that purpose.
    Both the permission and the obligation must be followed, in their own
    clause, by "only", "solely", "exclusively" (仅, 只).
    """
    return restricted_modality(sentence) == "permission" and restricted_modality(clause) == "obligation"


def compare(sentence: str, clause: str) -> PolarityDiff:
    """Compare a summary sentence (or clause) with the document clause it is aligned with.

    Args:
        sentence: The summary text; spans in the result index it.
        clause: The aligned document clause.

    Returns:
        What differs; all flags false when polarity, modality and wording agree.

    Example:
        >>> compare("The fee is not refundable.", "The fee is refundable.").negation_flipped
        True
        >>> compare("The Customer may pay late.", "The Customer shall pay on time.").modality_changed
        True
    """
    s_cues, c_cues = cues(sentence), cues(clause)
    s_neg = [c for c in s_cues if c.kind == "negation"]
    c_neg = [c for c in c_cues if c.kind == "negation"]
    s_mod, s_mod_cue = _modality(s_cues)
    c_mod, c_mod_cue = _modality(c_cues)
    # A prohibition is a negated obligation or permission: compare its polarity, not its modality.
    # Negation is compared word by word (the same word negated in one text only), which an unrelated
    # negation elsewhere in a long clause cannot fool.
    local = _local_flip(sentence, s_neg, clause, c_neg)
    flipped = local is not None
    both = {s_mod, c_mod}
    changed = s_mod != c_mod and "none" not in both and "prohibition" not in both and s_mod_cue is not None
    if changed and restricted_modality(sentence, s_cues) == "permission":
        # "may use it only for X" is "shall use it solely for X" (same_restriction, on the cues read here)
        changed = restricted_modality(clause, c_cues) != "obligation"
    antonym = None if flipped else _antonym_hit(sentence, clause)
    if local is not None:
        x, y, detail = local
        return PolarityDiff(True, changed, False, (x, y), detail)
    if changed and s_mod_cue is not None and c_mod_cue is not None:
        return PolarityDiff(
            False,
            True,
            False,
            (s_mod_cue.start, s_mod_cue.end),
            f"'{s_mod_cue.text}' ({s_mod}) where the document says '{c_mod_cue.text}' ({c_mod})",
        )
    if antonym is not None:
        a, b, word, other = antonym
        return PolarityDiff(False, False, True, (a, b), f"'{word}' where the document says the opposite")
    return PolarityDiff(False, False, False, None, "")


def _first_verbish(sentence: str) -> Cue | None:
    """A fallback span for a dropped negation: the first auxiliary or modal verb of the sentence."""
    m = re.search(
        r"\b(?:is|are|was|were|be|been|do|does|did|has|have|had|will|shall|must|may|can|could|would|should)\b",
        sentence,
        re.IGNORECASE,
    ) or re.search(r"[会能是要可应需]", sentence)
    return Cue("verb", m.start(), m.end(), m.group()) if m else None
