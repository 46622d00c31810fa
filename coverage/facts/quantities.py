"""The numbers channel: extract and compare the hard facts of a summary sentence.

Contracts live or die on numbers, and embeddings barely see them: "30 days"
and "60 days" embed almost alike. This module pulls the *facts* out of a
text (money amounts, percentages, durations, dates and plain counts), puts
each into a canonical form that can be compared with ``==``, and checks every
fact of a summary sentence against the facts of its evidence passages.

Canonical values (``Fact.value``):

* ``amount``: ISO-like currency code and number, ``"USD 5000"``, ``"CNY 1200000"``.
  ``$``/``US$``/``USD``/``dollars`` become ``USD``; ``€``/``euros`` ``EUR``;
  ``£``/``pounds`` ``GBP``; ``¥``/``RMB``/``人民币``/``元`` ``CNY``.
* ``percentage``: ``"5%"``, ``"1.5%"`` (``per cent``, ``percent``, ``百分之五``).
* ``duration``: number and singular unit, ``"30 day"``, ``"36 month"``,
  ``"30 business day"`` (working/banking days count as business days and stay
  distinct from calendar days).
* ``date``: ISO 8601, as precise as the text: ``"2026-03-01"``, ``"2026-03"``
  (month and year), ``"2026"`` (a year in a date context), ``"--03-01"``
  (day and month without a year). An all-numeric date such as ``01/03/2026``
  that reads both ways keeps both readings, ``"2026-03-01|2026-01-03"``.
* ``number``: any other count, ``"350"``, ``"1500000"``.

Numbers are read from digits (``5,000``, ``1,500,000.00``, ``2.5m``,
``5 million``, ``120万``), English words (``one hundred and twenty``), the
legal "word (digits)" style (``thirty (30)``, read once), and Chinese numerals,
including the financial forms (``三十``, ``壹佰贰拾万``, ``二〇二六``).
Section and clause references (``Section 3.1``, ``第三条``, a number that opens
a line), ordinals and the years inside dates are not facts.

Comparison (:func:`check_sentence`) follows the approach of fact-level
consistency checks: a summary fact is *supported* when some evidence fact has
the same kind and an equal value (a duration in weeks equals one in days, a
year equals twelve months, a partial date equals a full date it is a prefix of,
and a plain number equals any fact with the same magnitude); it is
*contradicted* when the evidence states a fact of the same kind and a
compatible unit (same currency, same duration family, any date, any
percentage, a plain number that counts the same thing) with a different
value; otherwise it is *absent*.

Example:
    >>> [f.value for f in extract_facts("Fees of USD 5,000 are due within thirty (30) days.")]
    ['USD 5000', '30 day']
    >>> [m.status for m in check_sentence(0, "Pay $5,000 within 60 days.", 0,
    ...                                   [(3, "Fees of USD 5,000 are due within thirty (30) days.", 100)])]
    ['contradicted']
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal, cast, get_args

from ..errors import InputError
from ..segment.matching import expand_ligatures
from .places import places_agree

__all__ = [
    "Fact",
    "FactKind",
    "Mismatch",
    "MismatchStatus",
    "agrees",
    "check_sentence",
    "conflicts",
    "extract_facts",
]

FactKind = Literal["amount", "percentage", "duration", "date", "number", "place"]
"""Kinds of fact; ``place`` facts come from :mod:`.places` (:mod:`.align` adds them),
:func:`extract_facts` finds the others."""
MismatchStatus = Literal["contradicted", "absent"]

_KINDS: frozenset[str] = frozenset(get_args(FactKind))
_STATUSES: frozenset[str] = frozenset(get_args(MismatchStatus))


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact found in a text.

    Attributes:
        kind: What the fact is: ``"amount"``, ``"percentage"``, ``"duration"``,
            ``"date"`` or ``"number"``.
        value: Canonical, comparable form (see the module docstring), e.g.
            ``"USD 5000"``, ``"30%"``, ``"30 day"``, ``"2026-03-01"``, ``"1500000"``.
            Two facts with equal ``kind`` and ``value`` state the same thing.
        start: Offset of the first character of the fact in the text given to
            :func:`extract_facts`.
        end: Offset just past its last character.
        text: ``text[start:end]``, the surface form, e.g. ``"thirty (30) days"``.
    """

    kind: FactKind
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A summary fact the evidence does not support.

    Attributes:
        sentence: Index of the summary sentence (as given by the caller).
        kind: Kind of the summary fact.
        status: ``"contradicted"`` when the evidence states a fact of the same
            kind and unit with another value (the sentence is then wrong, not
            just unsupported); ``"absent"`` when the evidence states nothing
            comparable.
        summary_start: Offset of the fact in the summary.
        summary_end: Offset just past it in the summary.
        summary_text: The fact as written in the summary.
        summary_value: Its canonical value.
        evidence_passage: Index of the passage holding the conflicting fact;
            ``None`` when ``status`` is ``"absent"``.
        evidence_start: Offset of the conflicting fact in the document, or ``None``.
        evidence_end: Offset just past it in the document, or ``None``.
        evidence_text: The conflicting fact as written in the document, or ``None``.
        evidence_value: Its canonical value, or ``None``.
    """

    sentence: int
    kind: FactKind
    status: MismatchStatus
    summary_start: int
    summary_end: int
    summary_text: str
    summary_value: str
    evidence_passage: int | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    evidence_text: str | None = None
    evidence_value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the mismatch as a dict of plain JSON types (keys are the attribute names)."""
        return {
            "sentence": self.sentence,
            "kind": self.kind,
            "status": self.status,
            "summary_start": self.summary_start,
            "summary_end": self.summary_end,
            "summary_text": self.summary_text,
            "summary_value": self.summary_value,
            "evidence_passage": self.evidence_passage,
            "evidence_start": self.evidence_start,
            "evidence_end": self.evidence_end,
            "evidence_text": self.evidence_text,
            "evidence_value": self.evidence_value,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Mismatch:
        """Rebuild a mismatch from :meth:`to_dict` output.

        Raises:
            InputError: A key is missing or ``kind``/``status`` is not a known value.
        """
        try:
            kind = str(d["kind"])
            status = str(d["status"])
            if kind not in _KINDS or status not in _STATUSES:
                raise InputError(f"Unknown fact kind {kind!r} or mismatch status {status!r}.")

            def opt_int(key: str) -> int | None:
                v = d.get(key)
                return None if v is None else int(v)

            def opt_str(key: str) -> str | None:
                v = d.get(key)
                return None if v is None else str(v)

            return cls(
                sentence=int(d["sentence"]),
                kind=cast(FactKind, kind),
                status=cast(MismatchStatus, status),
                summary_start=int(d["summary_start"]),
                summary_end=int(d["summary_end"]),
                summary_text=str(d["summary_text"]),
                summary_value=str(d["summary_value"]),
                evidence_passage=opt_int("evidence_passage"),
                evidence_start=opt_int("evidence_start"),
                evidence_end=opt_int("evidence_end"),
                evidence_text=opt_str("evidence_text"),
                evidence_value=opt_str("evidence_value"),
            )
        except KeyError as exc:
            raise InputError(f"A mismatch record lacks the key {exc.args[0]!r}.") from exc


# --------------------------------------------------------------------------- vocabulary

# Same-length character mapping (so offsets survive): full-width forms and odd spaces.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "％": "%",
        "，": ",",
        "．": ".",
        "（": "(",
        "）": ")",
        "＄": "$",
        "￥": "¥",
        "￡": "£",
        "：": ":",
        "／": "/",
        "－": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2010": "-",
        "\u2011": "-",
    }
)

_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_SCALE = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

_CN_DIGIT = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7,
    "捌": 8, "玖": 9,
}  # fmt: skip
_CN_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNIT = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN_SCALE = {**_CN_SMALL_UNIT, **_CN_BIG_UNIT}

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_CURRENCY_CODES = ("USD", "EUR", "GBP", "CNY", "RMB", "JPY", "HKD", "CHF", "AUD", "CAD", "SGD", "INR")
_CURRENCY_SYMBOL = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "hk$": "HKD", "a$": "AUD", "c$": "CAD", "s$": "SGD",
    "€": "EUR", "£": "GBP", "¥": "CNY", "rmb": "CNY", "人民币": "CNY", "元": "CNY", "美元": "USD",
    "欧元": "EUR", "英镑": "GBP", "港元": "HKD", "日元": "JPY", "yuan": "CNY", "renminbi": "CNY",
}  # fmt: skip

# --------------------------------------------------------------------------- regex building blocks

_WORD = "|".join(sorted([*_EN_SMALL, *_EN_SCALE], key=len, reverse=True))
_AND = r"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+"
# Runs are bounded (the longest real numbers in words or Chinese numerals are
# about 20 words or 32 characters): an unbounded run made matching quadratic in
# its length, so a long run of number words hung the checker.
_WORDNUM = rf"\b(?:{_WORD})\b(?:(?:[ \t]*-[ \t]*|[ \t]+|{_AND})(?:{_WORD})\b){{0,24}}"
_DIGITS = r"(?<![A-Za-z0-9_:])(?<!\d[.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,:]\d)(?!\d)"
_SCALE = r"(?:\s*(?:million|billion|trillion|thousand|mln)\b|(?:k|m|bn)\b|\s?[十百千万亿萬億]{1,3})"
_DIGITNUM = rf"{_DIGITS}(?:{_SCALE})?(?![A-Za-z0-9_])"
_CN_CHARS = "".join([*_CN_DIGIT, *_CN_SCALE])
_CN_FIRST = "".join([*_CN_DIGIT, "十", "拾"])
_CNNUM = rf"[{_CN_FIRST}][{_CN_CHARS}]{{0,39}}(?:点[{''.join(_CN_DIGIT)}]{{1,40}})?"
_LEGAL = rf"(?:{_WORDNUM}|{_CNNUM})\s*\(\s*{_DIGITNUM}\s*\)|{_DIGITNUM}\s*\(\s*{_WORDNUM}\s*\)"
_NUM = rf"(?:{_LEGAL}|{_DIGITNUM}|{_WORDNUM}|{_CNNUM})"

_CUR_PRE = (
    r"(?:(?<![A-Za-z])(?:US\s?\$|U\.S\.\s?\$|HK\$|A\$|C\$|S\$|"
    + "|".join(_CURRENCY_CODES)
    + r")|人民币|\$|€|£|¥)"
)
_CUR_SUF = (
    r"(?:(?:US|U\.S\.|United\s+States)\s+dollars?\b|dollars?\b|euros?\b|pounds?(?:\s+sterling)?\b|"
    r"sterling\b|yuan\b|renminbi\b|(?:" + "|".join(_CURRENCY_CODES) + r")\b|"
    r"(?:美元|欧元|英镑|港元|日元|元)(?:人民币)?|人民币)"
)
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_CAP = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))
_CN_DAYNUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_ORD = r"(?:st|nd|rd|th)?"

_I = re.IGNORECASE

# --------------------------------------------------------------------------- parsing


def _fmt(d: Decimal) -> str:
    """Canonical text of a number: no exponent, no trailing zeros, no separators."""
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _parse_cn(s: str) -> Decimal | None:
    """Read a Chinese numeral (ordinary or financial), with an optional 点 fraction."""
    whole, _, frac = s.partition("点")
    if whole and not any(ch in _CN_SCALE for ch in whole):  # positional: 二〇二六
        if not all(ch in _CN_DIGIT for ch in whole):
            return None
        value = Decimal("".join(str(_CN_DIGIT[ch]) for ch in whole))
    else:
        total = section = number = 0
        for ch in whole:
            if ch in _CN_DIGIT:
                number = _CN_DIGIT[ch]
            elif ch in _CN_SMALL_UNIT:
                unit = _CN_SMALL_UNIT[ch]
                section += (number or (1 if unit == 10 and section == 0 else 0)) * unit  # 十二 = 12
                number = 0
            elif ch in _CN_BIG_UNIT:
                unit = _CN_BIG_UNIT[ch]
                if unit == 10**8:
                    total = (total + section + number) * unit
                else:
                    total += (section + number) * unit
                section = number = 0
            else:
                return None
        value = Decimal(total + section + number)
    if frac:
        if not all(ch in _CN_DIGIT for ch in frac):
            return None
        value += Decimal("0." + "".join(str(_CN_DIGIT[ch]) for ch in frac))
    return value


def _parse_words(s: str) -> Decimal | None:
    """Read an English number in words ("one hundred and twenty", "twenty-five")."""
    total = current = 0
    seen = False
    for tok in re.findall(r"[a-z]+", s.lower()):
        if tok == "and":
            continue
        if tok in _EN_SMALL:
            current += _EN_SMALL[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok in _EN_SCALE:
            total += max(current, 1) * _EN_SCALE[tok]
            current = 0
        else:
            return None
        seen = True
    return Decimal(total + current) if seen else None


_DIGIT_HEAD = re.compile(r"([\d,]+(?:\.\d+)?)\s*(.*)", re.S)


def _parse_num(s: str) -> Decimal | None:
    """Read any number the ``_NUM`` pattern matches; the digits win in "thirty (30)"."""
    s = s.strip()
    if not s:
        return None
    if "(" in s:
        outer, _, inner = s.partition("(")
        inner = inner.rstrip(") \t\n")
        return _parse_num(inner if any(c.isdigit() for c in inner) else outer)
    if s[0].isdigit():
        m = _DIGIT_HEAD.match(s)
        if m is None:
            return None
        try:
            value = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:
            return None
        rest = m.group(2).strip().lower()
        if rest:
            if rest in _EN_SCALE:
                value *= _EN_SCALE[rest]
            elif rest in ("k",):
                value *= 1000
            elif rest in ("m", "mln"):
                value *= 10**6
            elif rest == "bn":
                value *= 10**9
            elif all(ch in _CN_SCALE for ch in rest):
                for ch in rest:
                    value *= _CN_SCALE[ch]
            else:
                return None
        return value
    if s[0].isascii():
        return _parse_words(s)
    return _parse_cn(s)


def _is_lone_small_word(s: str) -> bool:
    """A single English number word of value 0 or 1 ("one of the parties"): not a fact."""
    return s.strip().lower() in ("zero", "one")


# --------------------------------------------------------------------------- rules

_Found = tuple[str, str, int, int]  # kind, value, start, end (local offsets)
_Handler = Callable[["re.Match[str]", str], "_Found | None"]


def _date_value(y: int, m: int | None = None, d: int | None = None) -> str | None:
    """ISO text of a (partial) date, or None when it does not exist."""
    if not 1000 <= y <= 2999:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _small_int(s: str | None) -> int | None:
    """Read a day/month/year field written in digits or Chinese numerals."""
    if s is None:
        return None
    s = s.strip()
    if s.isdigit() and s.isascii():
        return int(s)
    v = _parse_cn(s)
    return None if v is None else int(v)


def _h_date_ymd(m: re.Match[str], _text: str) -> _Found | None:
    y = _small_int(m.group("y"))
    gd = m.groupdict()
    mon_text = gd.get("m")
    mon: int | None
    if mon_text is None:
        mon = None
    elif mon_text.lower().rstrip(".") in _MONTHS:
        mon = _MONTHS[mon_text.lower().rstrip(".")]
    else:
        mon = _small_int(mon_text)
    day = _small_int(gd.get("d"))
    if y is None or (mon is None and day is not None):
        return None
    value = _date_value(y, mon, day)
    return None if value is None else ("date", value, m.start(), m.end())


def _h_date_numeric(m: re.Match[str], _text: str) -> _Found | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    # Day-first reading first (most contracts outside the US write d/m/y); equal readings once.
    readings = [v for v in dict.fromkeys((_date_value(y, b, a), _date_value(y, a, b))) if v is not None]
    return ("date", "|".join(readings), m.start(), m.end()) if readings else None


def _h_date_yearless(m: re.Match[str], _text: str) -> _Found | None:
    mon_text = m.group("m")
    mon = _MONTHS.get(mon_text.lower().rstrip("."))
    if mon is None:
        mon = _small_int(mon_text)
    day = _small_int(m.group("d"))
    if mon is None or day is None or not 1 <= mon <= 12 or not 1 <= day <= calendar.monthrange(2024, mon)[1]:
        return None
    return "date", f"--{mon:02d}-{day:02d}", m.start(), m.end()


def _h_year(m: re.Match[str], _text: str) -> _Found | None:
    return "date", m.group("y"), m.start("y"), m.end("y")


def _currency(token: str) -> str:
    t = re.sub(r"\s+", "", token).lower()
    if t in _CURRENCY_SYMBOL:
        return _CURRENCY_SYMBOL[t]
    for cn in ("美元", "欧元", "英镑", "港元", "日元", "元"):
        if t.startswith(cn):
            return _CURRENCY_SYMBOL[cn]
    if "dollar" in t:
        return "USD"
    if t.startswith("euro"):
        return "EUR"
    if t.startswith(("pound", "sterling")):
        return "GBP"
    up = t.upper()
    return "CNY" if up == "RMB" else up


def _h_amount(m: re.Match[str], _text: str) -> _Found | None:
    num = m.group("num") or m.group("num2")
    cur = m.group("pre") or m.group("suf") or m.group("suf2")
    value = _parse_num(num)
    if value is None or cur is None:
        return None
    return "amount", f"{_currency(cur)} {_fmt(value)}", m.start(), m.end()


def _h_percent(m: re.Match[str], _text: str) -> _Found | None:
    value = _parse_num(m.group("num") or m.group("cn"))
    return None if value is None else ("percentage", f"{_fmt(value)}%", m.start(), m.end())


_EN_UNIT = {"yr": "year", "hr": "hour", "min": "minute"}
_ZH_UNIT = {
    "个工作日": "business day", "工作日": "business day", "个自然日": "day", "自然日": "day",
    "日历日": "day", "个月": "month", "小时": "hour", "分钟": "minute", "星期": "week", "个星期": "week",
    "周": "week", "天": "day", "日": "day", "年": "year",
}  # fmt: skip


def _h_duration_en(m: re.Match[str], _text: str) -> _Found | None:
    value = _parse_num(m.group("num"))
    if value is None:
        return None
    unit = m.group("unit").lower()
    unit = unit[:-1] if unit.endswith("s") else unit
    unit = _EN_UNIT.get(unit, unit)
    q = (m.group("q") or "").lower()
    if q in ("business", "working", "banking") and unit == "day":
        unit = "business day"
    return "duration", f"{_fmt(value)} {unit}", m.start(), m.end()


def _h_duration_zh(m: re.Match[str], text: str) -> _Found | None:
    unit_text = m.group("zunit")
    if unit_text == "日" and m.start() > 0 and text[m.start() - 1] == "月":
        return None  # 每月5日: a day of the month, not a duration
    value = _parse_num(m.group("num"))
    if value is None:
        return None
    if unit_text == "年" and value >= 1000:
        return None  # a year, not a duration
    return "duration", f"{_fmt(value)} {_ZH_UNIT[unit_text]}", m.start(), m.end()


_REF_BEFORE = re.compile(
    r"(?:\b(?:sections?|secs?|ss|clauses?|cl|schedules?|articles?|arts?|annex(?:es)?|appendix|appendices|"
    r"exhibits?|paragraphs?|paras?|nos?|numbers?|parts?|items?|chapters?|rules?|pages?|pp?|"
    r"regulations?|regs?|figures?|figs?|tables?|version|steps?|stages?|phases?|tiers?|levels?|lots?|"
    r"recitals?|attachments?|addend(?:um|a))\.?\s*"
    r"(?:\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]+\))*\s*(?:,|and|or|to|through|-|–)\s*)*|§+\s*|第\s*)$",
    _I,
)
_LINE_START = re.compile(r"[\s#>*\-]*\(?")
_CLASSIFIER = frozenset("名个份次项台人家件套张位户种条款页辆批期股轮")
_CLAUSE_LIKE = re.compile(r"\d{1,3}\.\d{1,2}")


def _h_number(m: re.Match[str], text: str) -> _Found | None:
    s, e = m.start(), m.end()
    surface = m.group(0)
    before = text[max(0, s - 48) : s].rstrip()
    if before and not before[-1].isdigit() and _REF_BEFORE.search(before):
        return None
    first = surface[0]
    if first.isdigit() and "(" not in surface:
        if _CLAUSE_LIKE.fullmatch(surface):
            return None  # "3.1": a clause reference far more often than a bare decimal
        if s > 0 and text[s - 1] == "(" and text[e : e + 1] == ")":
            return None  # "(2)": a list item
        if s > 0 and text[s - 1] == "月" and text[e : e + 1] in ("日", "号"):
            return None  # 每月5日: a day of the month
        line_start = text.rfind("\n", 0, s) + 1
        if _LINE_START.fullmatch(text, line_start, s):
            nxt = text[e : e + 2]
            if nxt[:1] in (".", ")", "、", ":") or (nxt[:1] == " " and nxt[1:2].isupper()):
                return None  # a heading or list number
    elif first.isascii() and "(" not in surface:
        if _is_lone_small_word(surface):
            return None
    elif "(" not in surface and ((s > 0 and text[s - 1] == "第") or text[e : e + 1] not in _CLASSIFIER):
        return None  # Chinese numerals count only before a measure word: not 第三条, 统一, 一方
    value = _parse_num(surface)
    return None if value is None else ("number", _fmt(value), s, e)


_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    # ---- dates, most specific first
    (
        re.compile(
            r"(?<![\d.\-/])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d]|\.\d)"
        ),
        _h_date_ymd,
    ),
    (
        re.compile(
            rf"(?<![A-Za-z0-9])(?P<d>\d{{1,2}}){_ORD}(?:\s+day)?\s+(?:of\s+)?(?P<m>(?:{_MONTH})\b\.?),?"
            r"\s+(?P<y>\d{4})(?!\d)",
            _I,
        ),
        _h_date_ymd,
    ),
    (
        re.compile(
            rf"\b(?P<m>(?:{_MONTH})\b\.?)\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})(?!\d)",
            _I,
        ),
        _h_date_ymd,
    ),
    (
        re.compile(r"(?<![\d.\-/])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)"),
        _h_date_numeric,
    ),
    (
        re.compile(
            r"(?<!\d)(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s?年"
            rf"(?:\s?(?P<m>{_CN_DAYNUM})\s?月(?:\s?(?P<d>{_CN_DAYNUM})\s?[日号])?)?"
        ),
        _h_date_ymd,
    ),
    (re.compile(rf"\b(?P<m>(?:{_MONTH})\b\.?),?\s+(?P<y>\d{{4}})(?!\d)", _I), _h_date_ymd),
    (
        re.compile(rf"(?<![\d个])(?P<m>{_CN_DAYNUM})\s?月\s?(?P<d>{_CN_DAYNUM})\s?[日号]"),
        _h_date_yearless,
    ),
    (
        re.compile(
            rf"(?<![A-Za-z0-9.,])(?P<d>\d{{1,2}}){_ORD}(?:\s+day)?\s+(?:of\s+)?(?P<m>(?:{_MONTH_CAP})\b\.?)"
        ),
        _h_date_yearless,
    ),
    (
        re.compile(rf"\b(?P<m>(?:{_MONTH_CAP})\b\.?)\s+(?P<d>\d{{1,2}}){_ORD}\b(?![.,:]?\d)"),
        _h_date_yearless,
    ),
    (
        re.compile(
            r"\b(?:in|since|until|through|before|after|during|year|FY|fiscal\s+year|calendar\s+year)"
            r"\s+(?P<y>(?:19|20)\d{2})\b(?![.,:]\d)",
            _I,
        ),
        _h_year,
    ),
    # ---- money, percentages, durations
    (
        re.compile(
            rf"(?P<pre>{_CUR_PRE})\s?(?P<num>{_NUM})(?:\s?(?P<suf>{_CUR_SUF}))?"
            rf"|(?P<num2>{_NUM})\s?(?P<suf2>{_CUR_SUF})",
            _I,
        ),
        _h_amount,
    ),
    (
        re.compile(
            rf"(?P<num>{_NUM})\s?(?:%|per\s?cent\b|percent\b|pct\b)|百分之(?P<cn>{_DIGITNUM}|{_CNNUM})",
            _I,
        ),
        _h_percent,
    ),
    (
        re.compile(
            rf"(?P<num>{_NUM})(?:\s*-\s*|\s+)?(?:(?P<q>business|working|calendar|banking|clear)[\s-]+)?"
            r"(?P<unit>days?|weeks?|months?|years?|hours?|minutes?|yrs?|hrs?|mins?)\b",
            _I,
        ),
        _h_duration_en,
    ),
    (
        re.compile(
            rf"(?P<num>{_NUM})\s?(?P<zunit>个工作日|工作日|个自然日|自然日|日历日|个月|小时|分钟|个星期|星期|周|天|日|年)"
        ),
        _h_duration_zh,
    ),
    # ---- anything else that is a number
    (re.compile(_NUM, _I), _h_number),
)


@lru_cache(maxsize=4096)
def _extract_local(text: str) -> tuple[Fact, ...]:
    """Facts of ``text`` with offsets into ``text`` (cached: passages recur across sentences)."""
    folded = text.translate(_FOLD)
    if not any(ch.isdigit() or ch.isalpha() for ch in folded):
        return ()
    claimed = bytearray(len(folded))
    found: list[_Found] = []
    for pattern, handler in _RULES:
        for m in pattern.finditer(folded):
            if m.end() <= m.start() or claimed.find(1, m.start(), m.end()) != -1:
                continue
            hit = handler(m, folded)
            if hit is None:
                continue
            kind, value, s, e = hit
            if claimed.find(1, s, e) != -1:
                continue
            claimed[s:e] = b"\x01" * (e - s)
            found.append(hit)
    found.sort(key=lambda h: h[2])
    return tuple(Fact(cast(FactKind, k), v, s, e, text[s:e]) for k, v, s, e in found)


def extract_facts(text: str, start: int = 0, end: int | None = None) -> tuple[Fact, ...]:
    """Find the amounts, percentages, durations, dates and numbers of a text.

    Only ``text[start:end]`` is read, but offsets point into ``text`` itself, so
    ``text[f.start:f.end] == f.text`` always holds; pass a whole document and a
    passage's range to get document offsets.

    Args:
        text: The text to read.
        start: Offset where reading starts.
        end: Offset where reading stops; ``None`` reads to the end.

    Returns:
        Facts sorted by position; their spans never overlap. A fact's ``value``
        is canonical: two facts of the same ``kind`` state the same thing
        exactly when their values are equal (dates with several readings hold
        them joined by ``"|"``).

    Raises:
        InputError: ``start``/``end`` do not describe a range of ``text``.

    Example:
        >>> [(f.kind, f.value) for f in extract_facts("Rent: 5,000 US dollars a month from 1 March 2026.")]
        [('amount', 'USD 5000'), ('date', '2026-03-01')]
    """
    stop = len(text) if end is None else end
    if not 0 <= start <= stop <= len(text):
        raise InputError(f"The range {start}:{end} is not inside a text of {len(text)} characters.")
    local = text[start:stop]
    expanded = expand_ligatures(local)  # a PDF's "ﬁve (5) years" reads "five"
    if expanded is None:
        facts = _extract_local(local)
    else:
        spelled, origin = expanded
        facts = tuple(
            Fact(f.kind, f.value, a, b, local[a:b])
            for f in _extract_local(spelled)
            for a, b in [(origin[f.start], origin[f.end - 1] + 1)]
        )
    if start == 0:
        return facts
    return tuple(Fact(f.kind, f.value, f.start + start, f.end + start, f.text) for f in facts)


# --------------------------------------------------------------------------- comparison

_DURATION_BASE = {
    "day": ("day", 1),
    "week": ("day", 7),
    "business day": ("business day", 1),
    "month": ("month", 1),
    "year": ("month", 12),
    "hour": ("minute", 60),
    "minute": ("minute", 1),
}
_DURATION_FAMILY = {"day": "d", "business day": "d", "month": "m", "minute": "t"}


@lru_cache(maxsize=8192)
def _key(kind: str, value: str) -> tuple[str, frozenset[str]]:
    """(unit family, comparable values) of a fact: the same family means the two can conflict."""
    if kind == "amount":
        cur, _, num = value.partition(" ")
        return f"amount:{cur}", frozenset({num})
    if kind == "duration":
        num, _, unit = value.partition(" ")
        base, factor = _DURATION_BASE.get(unit, (unit, 1))
        return f"duration:{_DURATION_FAMILY.get(base, base)}", frozenset(
            {f"{_fmt(Decimal(num) * factor)} {base}"}
        )
    return kind, frozenset(value.split("|"))


@lru_cache(maxsize=8192)
def _magnitudes(kind: str, value: str) -> frozenset[str]:
    """The bare numbers a fact states, for matching a plain number against any kind."""
    if kind in ("amount", "duration"):
        return frozenset({value.split(" ")[0] if kind == "duration" else value.partition(" ")[2]})
    if kind == "percentage":
        return frozenset({value.rstrip("%")})
    if kind == "date":
        return frozenset(v[:4] for v in value.split("|") if not v.startswith("--"))
    return frozenset({value})


def _dates_agree(a: Iterable[str], b: Iterable[str]) -> bool:
    """Two date readings agree when equal or when one is a coarser prefix of the other."""
    for x in a:
        for y in b:
            if x == y or x.startswith(y + "-") or y.startswith(x + "-"):
                return True
            if x.startswith("--") and y[4:] == x[1:]:
                return True
            if y.startswith("--") and x[4:] == y[1:]:
                return True
    return False


def _same(f: Fact, e: Fact) -> bool:
    if "place" in (f.kind, e.kind):
        return f.kind == e.kind and places_agree(f.value, e.value)
    if f.kind == e.kind:
        fam_f, vals_f = _key(f.kind, f.value)
        fam_e, vals_e = _key(e.kind, e.value)
        if f.kind == "date":
            return _dates_agree(vals_f, vals_e)
        if fam_f == fam_e and vals_f & vals_e:
            return True
    if "number" in (f.kind, e.kind):
        return bool(_magnitudes(f.kind, f.value) & _magnitudes(e.kind, e.value))
    return False


def _unit(f: Fact) -> str:
    return f.value.partition(" ")[2] if f.kind == "duration" else ""


_HEAD_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*|[\u3400-\u9fff]|[^\sA-Za-z]")
_HEAD_SKIP = frozenset({
    "a", "an", "the", "of", "and", "or", "per", "each", "every", "in", "at", "to", "for", "with", "up",
    "than", "more", "less", "over",
})  # fmt: skip


def _heads(text: str, end: int) -> tuple[str, ...]:
    """What a plain number counts: up to three words (or one CJK character) right after it."""
    out: list[str] = []
    for m in _HEAD_WORD.finditer(text, end, min(len(text), end + 48)):
        word = m.group(0)
        if "\u3400" <= word <= "\u9fff":
            return (word,) if not out else tuple(out)
        if not word[0].isalpha():
            break
        if word.lower() not in _HEAD_SKIP:
            out.append(word.lower())
        if len(out) == 3:
            break
    return tuple(out)


def _same_thing(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two counts may count the same thing (unknown counts as yes; "km" = "kilometres")."""
    if not a or not b:
        return True
    return any(x[:3] == y[:3] or (min(len(x), len(y)) <= 3 and x[0] == y[0]) for x in a for y in b)


def _compatible(f: Fact, e: Fact, f_heads: tuple[str, ...] = (), e_heads: tuple[str, ...] = ()) -> bool:
    if f.kind != e.kind or _key(f.kind, f.value)[0] != _key(e.kind, e.value)[0]:
        return False
    return f.kind != "number" or _same_thing(f_heads, e_heads)


def check_sentence(
    sentence_index: int,
    sentence_text: str,
    sentence_start: int,
    evidence: Sequence[tuple[int, str, int]],
) -> tuple[Mismatch, ...]:
    """Flag the facts of one summary sentence that its evidence does not support.

    Every fact of the sentence is compared with the facts of all evidence
    passages. It is fine when some evidence fact has the same kind and an equal
    value (any reading of an ambiguous date; a week equals seven days; a plain
    number equals any fact with that number). Otherwise it is
    ``"contradicted"`` when some evidence fact has the same kind and a
    compatible unit (same currency; days, business days and weeks; months and
    years; hours and minutes; any date; any percentage; a plain number whose
    next words suggest it counts the same thing, so "two options" is not
    contradicted by "3 users", while "500 users" is by "350 named users"): the
    reported one is the first in the best passage, preferring the same unit.
    Otherwise it is ``"absent"``. A caller should treat a sentence with a
    contradicted fact as unsupported.

    Args:
        sentence_index: Index of the sentence in the summary; copied into the results.
        sentence_text: The sentence.
        sentence_start: Offset of the sentence in the summary; summary offsets
            in the results are ``sentence_start`` plus the offset in the sentence.
        evidence: ``(passage_index, passage_text, passage_start)`` triples, best
            evidence first; ``passage_start`` is the passage's offset in the
            document, so evidence offsets in the results are document offsets.

    Returns:
        One mismatch per unsupported summary fact, in the order of the facts in
        the sentence; empty when every fact is supported or the sentence
        states no facts.

    Example:
        >>> ms = check_sentence(2, "Notice: 60 days.", 500, [(7, "on thirty (30) days' notice", 1200)])
        >>> (ms[0].status, ms[0].summary_text, ms[0].evidence_text, ms[0].evidence_start)
        ('contradicted', '60 days', 'thirty (30) days', 1203)
    """
    facts = _extract_local(sentence_text)
    if not facts:
        return ()
    # rank, passage index, fact with document offsets, what it counts (plain numbers only)
    ev: list[tuple[int, int, Fact, tuple[str, ...]]] = []
    for rank, (p_index, p_text, p_start) in enumerate(evidence):
        for e in _extract_local(p_text):
            heads = _heads(p_text, e.end) if e.kind == "number" else ()
            ev.append(
                (rank, p_index, Fact(e.kind, e.value, e.start + p_start, e.end + p_start, e.text), heads)
            )
    out: list[Mismatch] = []
    for f in facts:
        s, t = sentence_start + f.start, sentence_start + f.end
        if any(_same(f, e) for _, _, e, _ in ev):
            continue
        unit = _unit(f)
        f_heads = _heads(sentence_text, f.end) if f.kind == "number" else ()
        cands = [
            (rank, _unit(e) != unit, i)
            for i, (rank, _, e, e_heads) in enumerate(ev)
            if _compatible(f, e, f_heads, e_heads)
        ]
        if not cands:
            out.append(Mismatch(sentence_index, f.kind, "absent", s, t, f.text, f.value))
            continue
        _, p_index, e, _ = ev[min(cands)[2]]
        out.append(
            Mismatch(
                sentence_index,
                f.kind,
                "contradicted",
                s,
                t,
                f.text,
                f.value,
                evidence_passage=p_index,
                evidence_start=e.start,
                evidence_end=e.end,
                evidence_text=e.text,
                evidence_value=e.value,
            )
        )
    return tuple(out)


def agrees(fact: Fact, other: Fact) -> bool:
    """Whether two facts state the same thing (the "supported" test of :func:`check_sentence`)."""
    return _same(fact, other)


def conflicts(fact: Fact, fact_text: str, other: Fact, other_text: str) -> bool:
    """Whether ``other`` states a different value of the same kind and a compatible unit.

    ``fact_text``/``other_text`` are the texts the facts' offsets point into;
    for plain numbers the words after each decide whether they count the same thing.
    """
    if _same(fact, other):
        return False
    heads = (
        (_heads(fact_text, fact.end), _heads(other_text, other.end)) if fact.kind == "number" else ((), ())
    )
    return _compatible(fact, other, *heads)
