"""Tests for summary_coverage.facts.quantities: extraction, normalisation, comparison, the test set."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summary_coverage.errors import InputError
from summary_coverage.facts.quantities import Fact, Mismatch, check_sentence, extract_facts

PAIRS = Path(__file__).resolve().parent / "data" / "numbers_pairs.jsonl"


def values(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in extract_facts(text)]


def only(text: str) -> tuple[str, str]:
    found = values(text)
    assert len(found) == 1, found
    return found[0]


def load_pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("thirty (30) days", "30 day"),
        ("30 days", "30 day"),
        ("thirty days", "30 day"),
        ("30 (thirty) days", "30 day"),
        ("five (5) years", "5 year"),
        ("twelve (12) months", "12 month"),
        ("a 30-day period", "30 day"),
        ("a one-year renewal", "1 year"),
        ("twenty-four (24) months", "24 month"),
        ("48 hours", "48 hour"),
        ("15 minutes", "15 minute"),
        ("two weeks", "2 week"),
        ("30 business days", "30 business day"),
        ("ten (10) Business Days", "10 business day"),
        ("10 working days", "10 business day"),
        ("30 calendar days", "30 day"),
        ("三十日", "30 day"),
        ("30天", "30 day"),
        ("三十（30）日", "30 day"),
        ("十个工作日", "10 business day"),
        ("36个月", "36 month"),
        ("十二个月", "12 month"),
        ("五年", "5 year"),
        ("两周", "2 week"),
        ("24小时", "24 hour"),
    ],
)
def test_durations(text: str, value: str) -> None:
    assert only(text) == ("duration", value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one hundred and twenty users", "120"),
        ("350 named users", "350"),
        ("5,000 widgets", "5000"),
        ("1,500,000.00 units", "1500000"),
        ("1500000 units", "1500000"),
        ("two million shares", "2000000"),
        ("5 million shares", "5000000"),
        ("1.2 billion tokens", "1200000000"),
        ("5k users", "5000"),
        ("twenty-five staff", "25"),
        ("350名用户", "350"),
        ("三百五十名用户", "350"),
        ("200万股", "2000000"),
        ("两百万股", "2000000"),
        ("分三期支付", "3"),
    ],
)
def test_numbers(text: str, value: str) -> None:
    assert only(text) == ("number", value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("USD 5,000", "USD 5000"),
        ("$5,000", "USD 5000"),
        ("5,000 US dollars", "USD 5000"),
        ("US$5,000", "USD 5000"),
        ("5,000 dollars", "USD 5000"),
        ("five thousand US dollars", "USD 5000"),
        ("USD 48,500 per month", "USD 48500"),
        ("USD 1,500,000.00", "USD 1500000"),
        ("USD 4.50", "USD 4.5"),
        ("$5 million", "USD 5000000"),
        ("US$2.5m", "USD 2500000"),
        ("$5k", "USD 5000"),
        ("1.2 billion dollars", "USD 1200000000"),
        ("EUR 1,250,000", "EUR 1250000"),
        ("€1.25 million", "EUR 1250000"),
        ("5,000 euros", "EUR 5000"),
        ("£12,000", "GBP 12000"),
        ("GBP 12,000", "GBP 12000"),
        ("12,000 pounds sterling", "GBP 12000"),
        ("¥850,000", "CNY 850000"),
        ("RMB 850,000", "CNY 850000"),
        ("CNY 850,000", "CNY 850000"),
        ("120万元", "CNY 1200000"),
        ("人民币1,200,000元", "CNY 1200000"),
        ("人民币120万元", "CNY 1200000"),
        ("壹佰贰拾万元", "CNY 1200000"),
        ("人民币壹佰贰拾万元整", "CNY 1200000"),
        ("1.2亿元", "CNY 120000000"),
        ("壹仟伍佰万元", "CNY 15000000"),
        ("4.85万元", "CNY 48500"),
        ("5万美元", "USD 50000"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert only(text) == ("amount", value)


def test_amount_with_words_and_digits_reads_the_same_twice() -> None:
    assert values("one hundred and twenty thousand US dollars (USD 120,000)") == [
        ("amount", "USD 120000"),
        ("amount", "USD 120000"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5%", "1.5%"),
        ("1.5 per cent", "1.5%"),
        ("1.5 percent", "1.5%"),
        ("18 percent per annum", "18%"),
        ("ten percent", "10%"),
        ("5％", "5%"),
        ("百分之五", "5%"),
        ("百分之一点五", "1.5%"),
        ("百分之零点五", "0.5%"),
        ("百分之九十九点九", "99.9%"),
    ],
)
def test_percentages(text: str, value: str) -> None:
    assert only(text) == ("percentage", value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026-03-01", "2026-03-01"),
        ("1 March 2026", "2026-03-01"),
        ("March 1, 2026", "2026-03-01"),
        ("1st March 2026", "2026-03-01"),
        ("Mar. 1, 2026", "2026-03-01"),
        ("the 1st day of March, 2026", "2026-03-01"),
        ("15/03/2026", "2026-03-15"),
        ("03/15/2026", "2026-03-15"),
        ("2026/03/01", "2026-03-01"),
        ("March 2026", "2026-03"),
        ("Mar. 2026", "2026-03"),
        ("二〇二六年三月一日", "2026-03-01"),
        ("2026年3月1日", "2026-03-01"),
        ("二〇二七年十二月三十一日", "2027-12-31"),
        ("2026年3月", "2026-03"),
        ("by 31 March each year", "--03-31"),
        ("每年3月31日前", "--03-31"),
        ("in 2026", "2026"),
    ],
)
def test_dates(text: str, value: str) -> None:
    assert only(text) == ("date", value)


def test_ambiguous_numeric_date_keeps_both_readings() -> None:
    assert only("01/03/2026") == ("date", "2026-03-01|2026-01-03")
    assert only("05/05/2026") == ("date", "2026-05-05")
    ev = [(0, "Delivery on 01/03/2026.", 0)]
    assert check_sentence(0, "Delivery on 1 March 2026.", 0, ev) == ()
    assert check_sentence(0, "Delivery on January 3, 2026.", 0, ev) == ()
    assert check_sentence(0, "Delivery on 1 April 2026.", 0, ev)[0].status == "contradicted"


def test_impossible_dates_are_not_dates() -> None:
    assert all(kind != "date" for kind, _ in values("31/02/2026 and 2026-13-01"))


@pytest.mark.parametrize(
    "text",
    [
        "Section 3.1 applies.",
        "See Clause 12 and Schedule 4.",
        "3.1 The Supplier shall perform the Services.",
        "1. Definitions",
        "12 Confidentiality",
        "as set out in Sections 3 and 4",
        "in paragraph (2)",
        "the 2nd instalment",
        "the first party",
        "one of the parties",
        "第三条 甲方应支付",
        "根据第12条的约定",
        "任何一方",
        "统一标准",
        "at 10:30 a.m.",
        "ISO-A4 paper",
        "each Party agrees",
    ],
)
def test_references_ordinals_and_non_numbers_are_skipped(text: str) -> None:
    assert values(text) == []


def test_clause_reference_does_not_hide_the_facts_next_to_it() -> None:
    assert values("Under Section 3.1, the fee is USD 5,000 for 350 users.") == [
        ("amount", "USD 5000"),
        ("number", "350"),
    ]


def test_year_inside_a_date_is_not_a_number() -> None:
    assert values("Signed on 1 March 2026 by 3 directors.") == [("date", "2026-03-01"), ("number", "3")]


def test_legal_style_is_read_once() -> None:
    facts = extract_facts("within thirty (30) days")
    assert len(facts) == 1
    assert facts[0].text == "thirty (30) days"


# --------------------------------------------------------------------------- offsets


def test_offsets_are_exact() -> None:
    text = "Fees of USD 5,000 are due within thirty (30) days from 1 March 2026; 乙方支付人民币120万元。"
    facts = extract_facts(text)
    assert [f.text for f in facts] == ["USD 5,000", "thirty (30) days", "1 March 2026", "人民币120万元"]
    for f in facts:
        assert text[f.start : f.end] == f.text


def test_offsets_are_absolute_when_a_range_is_given() -> None:
    doc = "Intro text, 7 copies.\n\nFees: $5,000 within 30 days.\n\nTail 9 units."
    start = doc.index("Fees")
    end = doc.index("\n\nTail")
    facts = extract_facts(doc, start, end)
    assert [(f.kind, f.value) for f in facts] == [("amount", "USD 5000"), ("duration", "30 day")]
    for f in facts:
        assert doc[f.start : f.end] == f.text
        assert start <= f.start < f.end <= end


def test_full_width_forms_keep_offsets() -> None:
    text = "费率为５％，期限３０天"
    facts = extract_facts(text)
    assert [(f.kind, f.value, f.text) for f in facts] == [
        ("percentage", "5%", "５％"),
        ("duration", "30 day", "３０天"),
    ]


@pytest.mark.parametrize(("start", "end"), [(-1, None), (5, 2), (0, 999)])
def test_bad_range_raises(start: int, end: int | None) -> None:
    with pytest.raises(InputError, match="range"):
        extract_facts("short text", start, end)


def test_empty_and_factless_text() -> None:
    assert extract_facts("") == ()
    assert extract_facts("The parties agree as follows.") == ()


PROPERTY = settings(max_examples=300, deadline=None)
ALPHABET = st.sampled_from(
    list("0123456789 ,.-/()%$€£¥:\n\tabcdemnoqrstuyADMS")
    + ["thirty", "hundred", " and ", "million", "days", "March", "USD", "per cent", "Section "]
    + list("零〇一二两三四五六七八九十百千万亿壹贰拾佰仟点年月日天个工作元人民币百分之第名％，（）")
)


@PROPERTY
@given(st.lists(ALPHABET, max_size=60).map("".join), st.data())
def test_extract_never_raises_and_offsets_are_exact(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for facts, lo, hi in ((extract_facts(text), 0, len(text)), (extract_facts(text, start, end), start, end)):
        prev_end = lo
        for f in facts:
            assert isinstance(f, Fact)
            assert text[f.start : f.end] == f.text
            assert prev_end <= f.start < f.end <= hi
            prev_end = f.end


@PROPERTY
@given(st.text(max_size=80))
def test_extract_never_raises_on_any_unicode(text: str) -> None:
    prev_end = 0
    for f in extract_facts(text):
        assert text[f.start : f.end] == f.text
        assert prev_end <= f.start < f.end
        prev_end = f.end


def test_fifty_thousand_characters_in_well_under_a_second() -> None:
    pairs = load_pairs()
    doc = "\n\n".join(f"Section {i}.2 applies. {p['evidence']}" for i, p in enumerate(pairs))
    doc = (doc * (50_000 // len(doc) + 1))[:50_000] + "."  # "." defeats the extraction cache
    t0 = time.perf_counter()
    facts = extract_facts(doc)
    elapsed = time.perf_counter() - t0
    assert len(facts) > 500
    assert elapsed < 1.0, elapsed


# --------------------------------------------------------------------------- comparison

EVIDENCE = (
    "The Customer shall pay a monthly fee of USD 48,500 within thirty (30) days of invoice. "
    "Either party may terminate on ninety (90) days' notice from 1 March 2026. "
    "Late payments bear interest at 1.5% per month. The licence covers 350 named users."
)


@pytest.mark.parametrize(
    "sentence",
    [
        "The customer pays $48,500 a month within 30 days.",
        "Termination needs 90 days' notice, from 2026-03-01.",
        "Interest on late payment is 1.5 per cent a month for 350 named users.",
        "The licence covers three hundred and fifty named users.",
        "The parties agree on fees.",
    ],
)
def test_faithful_sentences_have_no_mismatch(sentence: str) -> None:
    assert check_sentence(0, sentence, 0, [(0, EVIDENCE, 0)]) == ()


@pytest.mark.parametrize(
    ("sentence", "kind", "summary_text", "evidence_text"),
    [
        (
            "The customer pays $48,500 a month within sixty days.",
            "duration",
            "sixty days",
            "thirty (30) days",
        ),
        ("The customer pays $45,800 a month within 30 days.", "amount", "$45,800", "USD 48,500"),
        ("Termination needs 90 days' notice, from 1 April 2026.", "date", "1 April 2026", "1 March 2026"),
        ("Late payments bear interest at 2% per month.", "percentage", "2%", "1.5%"),
        ("The licence covers 530 named users.", "number", "530", "350"),
    ],
)
def test_changed_fact_is_contradicted(
    sentence: str, kind: str, summary_text: str, evidence_text: str
) -> None:
    (m,) = check_sentence(4, sentence, 100, [(2, EVIDENCE, 1000)])
    assert (m.sentence, m.kind, m.status) == (4, kind, "contradicted")
    assert m.summary_text == summary_text
    assert sentence[m.summary_start - 100 : m.summary_end - 100] == summary_text
    assert m.evidence_passage == 2
    assert m.evidence_text == evidence_text
    assert m.evidence_start is not None and m.evidence_end is not None
    assert EVIDENCE[m.evidence_start - 1000 : m.evidence_end - 1000] == evidence_text


def test_business_days_versus_days_is_a_contradiction() -> None:
    ev = [(0, "Defects are fixed within 30 business days.", 0)]
    assert check_sentence(0, "Defects are fixed within thirty business days.", 0, ev) == ()
    (m,) = check_sentence(0, "Defects are fixed within 30 days.", 0, ev)
    assert (m.status, m.summary_value, m.evidence_value) == ("contradicted", "30 day", "30 business day")


@pytest.mark.parametrize(
    ("summary", "evidence"),
    [
        ("within two weeks", "within 14 days"),
        ("for 3 years", "for thirty-six (36) months"),
        ("期限两年", "期限为二十四个月"),
        ("in March 2026", "on 15 March 2026"),
        ("in 2027", "by 31 December 2027"),
        ("a fee of $5,000", "a fee of 5,000"),
    ],
)
def test_equivalent_forms_match(summary: str, evidence: str) -> None:
    assert check_sentence(0, summary, 0, [(0, evidence, 0)]) == ()


def test_absent_when_evidence_has_nothing_comparable() -> None:
    ev = [(0, "The term is three (3) years and the fee is USD 100.", 50)]
    out = check_sentence(1, "Interest is 5% and the fee is €100.", 10, ev)
    assert [(m.kind, m.status, m.summary_text) for m in out] == [
        ("percentage", "absent", "5%"),
        ("amount", "absent", "€100"),
    ]
    assert all(m.evidence_passage is None and m.evidence_text is None for m in out)
    assert out[0].summary_start == 10 + "Interest is 5% and the fee is €100.".index("5%")


def test_no_evidence_means_every_fact_is_absent() -> None:
    out = check_sentence(0, "Pay $5 within 3 days.", 0, [])
    assert [m.status for m in out] == ["absent", "absent"]


def test_any_passage_can_support_and_the_best_passage_is_reported() -> None:
    ev = [(7, "Notice is 30 days.", 0), (3, "Payment within 60 days.", 100)]
    assert check_sentence(0, "Payment within 60 days.", 0, ev) == ()
    (m,) = check_sentence(0, "Payment within 45 days.", 0, ev)
    assert (m.evidence_passage, m.evidence_text, m.evidence_start) == (7, "30 days", 10)


def test_same_unit_is_preferred_when_reporting() -> None:
    ev = [(0, "Within 12 months, and then within 2 years.", 0)]
    (m,) = check_sentence(0, "within 3 years", 0, ev)
    assert m.evidence_text == "2 years"


@pytest.mark.parametrize(
    ("sentence", "evidence", "status"),
    [
        ("They have two options.", "The fee covers 3 users.", "absent"),
        ("The licence covers 500 users.", "The licence covers 350 named users.", "contradicted"),
        ("Radius: 80 km.", "within a radius of 50 kilometres", "contradicted"),
        ("The count is 12.", "There are 10 sites.", "contradicted"),
        ("派驻六名技术人员", "派驻不少于8名技术人员", "contradicted"),
        ("派驻六名技术人员", "共计2000件货物", "absent"),
    ],
)
def test_plain_numbers_conflict_only_when_they_count_the_same_thing(
    sentence: str, evidence: str, status: str
) -> None:
    (m,) = check_sentence(0, sentence, 0, [(0, evidence, 0)])
    assert (m.kind, m.status) == ("number", status)


def test_results_follow_the_summary_order() -> None:
    ev = [(0, "USD 100 within 30 days at 5%.", 0)]
    out = check_sentence(0, "At 6%, USD 200 within 40 days.", 0, ev)
    assert [m.kind for m in out] == ["percentage", "amount", "duration"]
    assert [m.summary_start for m in out] == sorted(m.summary_start for m in out)


def test_mismatch_round_trips_through_json() -> None:
    ms = check_sentence(0, "Pay USD 5,000 within 60 days at 2%.", 3, [(1, "Pay $5,000 within 30 days.", 40)])
    assert [m.status for m in ms] == ["contradicted", "absent"]
    for m in ms:
        d = json.loads(json.dumps(m.to_dict()))
        assert Mismatch.from_dict(d) == m


def test_mismatch_from_dict_rejects_bad_records() -> None:
    (m,) = check_sentence(0, "within 60 days", 0, [(0, "within 30 days", 0)])
    d = m.to_dict()
    with pytest.raises(InputError, match="kind"):
        Mismatch.from_dict({**d, "kind": "colour"})
    d.pop("summary_text")
    with pytest.raises(InputError, match="summary_text"):
        Mismatch.from_dict(d)


# --------------------------------------------------------------------------- the test set


def test_pairs_file_is_well_formed() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 60
    assert sum(p["lang"] == "zh" for p in pairs) >= 20
    assert len({p["id"] for p in pairs}) == len(pairs)
    assert {p["kind"] for p in pairs} == {"amount", "percentage", "duration", "date", "number"}
    for p in pairs:
        assert set(p) == {"id", "lang", "evidence", "faithful", "changed", "kind"}
        assert p["lang"] in ("en", "zh")
        assert p["faithful"] != p["changed"]


def test_numbers_pairs_recall_and_faithful_flags(capsys: pytest.CaptureFixture[str]) -> None:
    pairs = load_pairs()
    caught = 0
    faithful_flags = 0
    wrong_kind: list[str] = []
    for p in pairs:
        evidence = [(0, p["evidence"], 0)]
        faithful = check_sentence(0, p["faithful"], 0, evidence)
        faithful_flags += len(faithful)
        contradicted = [m for m in check_sentence(0, p["changed"], 0, evidence) if m.status == "contradicted"]
        if contradicted:
            caught += 1
            if contradicted[0].kind != p["kind"]:
                wrong_kind.append(p["id"])
    recall = caught / len(pairs)
    with capsys.disabled():
        print(
            f"\nnumbers_pairs: {len(pairs)} pairs, recall of changed facts {recall:.3f}, "
            f"flags on faithful sentences {faithful_flags}, wrong kind {wrong_kind}"
        )
    assert recall >= 0.95
    assert faithful_flags == 0
