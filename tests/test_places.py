"""Tests for summary_coverage.facts.places and the place check: the law that governs, the seat, the courts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summary_coverage import Checker
from summary_coverage.facts.places import find_places, place_within, places_agree

ROOT = Path(__file__).resolve().parent.parent


def found(text: str) -> list[tuple[str, str]]:
    return [(p.value, p.text) for p in find_places(text)]


# --------------------------------------------------------------------------- finding places


def test_states_countries_and_cities_are_found_with_exact_offsets() -> None:
    text = "This Agreement is governed by the laws of the State of Delaware; venue lies in San Francisco."
    places = find_places(text)
    assert [(p.value, p.text) for p in places] == [
        ("delaware", "Delaware"),
        ("san francisco", "San Francisco"),
    ]
    assert all(text[p.start : p.end] == p.text for p in places)


def test_postal_code_counts_only_before_a_zip_code() -> None:
    assert found("2200 Meridian Parkway, Austin, TX 78741") == [("austin", "Austin"), ("texas", "TX")]
    assert found("The IN clause and the OR clause apply.") == []


def test_country_adjective_counts_only_before_law_or_courts() -> None:
    assert found("This Agreement is governed by English law.") == [("england", "English")]
    assert found("The documents may be written in English or French.") == []
    assert found("the Dutch courts have exclusive jurisdiction") == [("netherlands", "Dutch")]


def test_a_place_inside_a_longer_proper_name_is_not_a_place() -> None:
    for text in [
        "Payment is made to Bank of America.",
        "The parts come from Texas Instruments.",
        "She studied at George Washington University.",
    ]:
        assert found(text) == [], text
    # ... but corporate forms and frame words around it do not hide it
    assert found("Quillfield Analytics Inc., a Delaware corporation") == [("delaware", "Delaware")]
    assert found("the courts of the State of New York") == [("new york", "New York")]


def test_all_capitals_headings_still_name_places() -> None:
    assert found("GOVERNED BY THE LAWS OF THE STATE OF CALIFORNIA") == [("california", "CALIFORNIA")]


def test_chinese_and_english_names_share_one_value() -> None:
    assert found("本合同适用中华人民共和国法律，争议提交上海仲裁委员会。") == [
        ("china", "中华人民共和国"),
        ("shanghai", "上海"),
    ]
    assert found("arbitration in Shanghai") == [("shanghai", "Shanghai")]
    assert found("深圳") == [("shenzhen", "深圳")]
    # 国 followed by 家 after a region is "countries", not a country's name
    assert found("欧美国家和发展中国家的做法不同，美国家庭和中国家长也不同。") == [
        ("united states", "美国"),
        ("china", "中国"),
    ]
    assert places_agree("shenzhen", "china") and places_agree("shenzhen", "guangdong")


def test_agreement_is_containment_and_within_is_one_way() -> None:
    assert places_agree("san francisco", "united states")
    assert places_agree("united states", "austin")
    assert not places_agree("delaware", "new york")
    assert not places_agree("hong kong", "china")  # its own legal system
    assert place_within("austin", "texas") and not place_within("texas", "austin")
    assert place_within("texas", "texas")


PIECES = ["New York", "Delaware", "London", "Bank of America", "TX 78701", "English law", "上海",
          "the State of", "Austin,", "corporation", "Mr. Washington", "\n"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_places_never_overlap_and_their_offsets_are_exact(parts: list[str]) -> None:
    text = " ".join(parts)
    places = find_places(text)
    for p in places:
        assert text[p.start : p.end] == p.text
    for a, b in zip(places, places[1:], strict=False):
        assert a.end <= b.start


# --------------------------------------------------------------------------- in the check

SUMMARY = (
    "The Agreement is governed by the laws of Delaware. "
    "The Agreement is governed by the laws of England and Wales. "
    "Disputes are finally resolved by arbitration seated in London. "
    "Disputes are finally resolved by arbitration seated in Austin, Texas. "
    "The Provider is a Delaware corporation with its principal place of business in Austin."
)


def test_a_governing_law_moved_to_another_named_place_is_contradicted(minilm: Checker, contract: str) -> None:
    # Delaware and Austin, Texas are in the contract (the Provider's incorporation and address),
    # so they are not absent: only the clause the sentence talks about gives them away.
    report = minilm.check(contract, SUMMARY)
    s = report.summary_sentences
    wrong_law, true_law, true_seat, wrong_seat, true_party = s
    for sentence, place in ((wrong_law, "Delaware"), (wrong_seat, "Austin")):
        assert not sentence.supported, sentence
        flag = next(f for f in sentence.flags if f.reason == "contradicted" and f.text == place)
        assert "England" in flag.detail or "London" in flag.detail
        assert SUMMARY[flag.start : flag.end] == place
    for sentence in (true_law, true_seat, true_party):
        assert sentence.supported, sentence
        assert not [f for f in sentence.flags if f.reason == "contradicted"], sentence.flags


def test_a_place_named_nowhere_is_absent_across_languages(minilm: Checker) -> None:
    # An English summary of a Chinese contract: no word is shared, but 上海 is Shanghai.
    zh = (ROOT / "sample_docs" / "zh_contract.md").read_text(encoding="utf-8")
    summary = (
        "The provider will also open a support office in Shanghai. Disputes go to arbitration in Hangzhou."
    )
    report = minilm.check(zh, summary)
    shanghai, hangzhou = report.summary_sentences
    assert [(m.summary_text, m.status) for m in report.mismatches] == [("Shanghai", "absent")]
    assert not shanghai.supported and shanghai.signals["fact_absent"] == 1.0
    assert hangzhou.signals["fact_absent"] == 0.0  # 杭州仲裁委员会
    # What the reviewer sees: the place, once, as absent, with why. Not "'provider' does not occur in
    # the document": no English word occurs in a Chinese contract, so that says nothing.
    assert [(f.text, f.reason, f.signal) for f in shanghai.flags] == [("Shanghai", "absent", "fact_absent")]
    assert shanghai.flags[0].detail == "the document states no 'Shanghai'" and shanghai.flags[0].weight > 0
    assert hangzhou.flags == ()


def test_a_place_written_inside_a_longer_name_is_not_absent(minilm: Checker) -> None:
    document = (
        "The Borrower shall repay the loan to Shanghai Pudong Development Bank in twelve monthly "
        "instalments. Late payments bear interest at two percent per month."
    )
    report = minilm.check(document, "The loan is repaid to a bank in Shanghai in monthly instalments.")
    assert not [m for m in report.mismatches if m.kind == "place"]
