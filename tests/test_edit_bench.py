"""The rule-built edit benchmark (benchmarks/edit_bench.py): edit rules on literal strings, and the
benchmark built from the shared evaluation data (skipped when ../shared/eval/data is absent)."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_edit_bench():
    """Import benchmarks/edit_bench.py by path.

    Putting the repository root on sys.path would make ``import coverage``
    find the package folder instead of coverage.py (STYLE.md §0).
    """
    spec = importlib.util.spec_from_file_location("edit_bench", ROOT / "benchmarks" / "edit_bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["edit_bench"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


_bench = _load_edit_bench()
EDIT_KINDS = _bench.EDIT_KINDS
Edit = _bench.Edit
EditCase = _bench.EditCase
antonym_edits = _bench.antonym_edits
build_cases = _bench.build_cases
data_dir = _bench.data_dir
negation_edits = _bench.negation_edits
number_edits = _bench.number_edits
split_sentences = _bench.split_sentences
summary_table = _bench.summary_table


def _edited(sentence: str, edits: list[Edit]) -> dict[str, str]:
    """Each edit's result mapped to the text of its span."""
    out = {}
    for e in edits:
        new = e.apply(sentence)
        out[new] = new[e.span[0] : e.span[1]]
    return out


# ---------------------------------------------------------------------------------------------
# Edit rules on hand-written sentences (no data needed)
# ---------------------------------------------------------------------------------------------


def test_english_negation_insertion() -> None:
    got = _edited(
        "The supplier will deliver the goods.", negation_edits("The supplier will deliver the goods.", "en")
    )
    assert got == {"The supplier will not deliver the goods.": "will not"}


def test_english_negation_removal_spans_the_words_around_the_gap() -> None:
    got = _edited(
        "The supplier does not deliver on Sundays.",
        negation_edits("The supplier does not deliver on Sundays.", "en"),
    )
    assert got["The supplier does deliver on Sundays."] == "does deliver"
    sentence = "you can t transfer your account without permission."
    assert _edited(sentence, negation_edits(sentence, "en"))[
        "you can transfer your account without permission."
    ] == ("can transfer")
    sentence = "The buyer cannot resell the licence."
    assert "The buyer can resell the licence." in _edited(sentence, negation_edits(sentence, "en"))


def test_english_negation_skips_months_quotes_and_double_negatives() -> None:
    sentence = "The fee was set in May 2024 and it may rise."
    results = set(_edited(sentence, negation_edits(sentence, "en")))
    assert "The fee was set in May 2024 and it may not rise." in results
    assert not any("May not" in r for r in results)
    sentence = 'They said the report "Prices will rise" was published.'
    assert all('"Prices will rise"' in r for r in _edited(sentence, negation_edits(sentence, "en")))
    sentence = "They admit that no colour is acceptable to everyone."
    assert negation_edits(sentence, "en") == []


def test_english_antonym_keeps_capitals_and_word_boundaries() -> None:
    sentence = "Increase the budget before the vote, unless costs rise."
    got = _edited(sentence, antonym_edits(sentence, "en"))
    assert got["Decrease the budget before the vote, unless costs rise."] == "Decrease"
    assert got["Increase the budget after the vote, unless costs rise."] == "after"
    assert "Increase the budget before the vote, unless costs fall." in got
    assert not any("unmore" in r or "unlmore" in r for r in got)  # "unless" is not "less"
    assert antonym_edits("Customer support replies within a day.", "en") == []  # the noun "support"


def test_chinese_negation_insertion_and_removal() -> None:
    sentence = "明天的会议很重要，我们会准时参加。"
    got = _edited(sentence, negation_edits(sentence, "zh"))
    assert got == {"明天的会议很重要，我们不会准时参加。": "不会"}  # 会议 is a noun, not the modal 会
    sentence = "他不同意这个方案。"
    got = _edited(sentence, negation_edits(sentence, "zh"))
    assert "他同意这个方案。" in got
    assert "同意" in got["他同意这个方案。"]


def test_chinese_antonym_and_numbers() -> None:
    sentence = "公司计划增加投资。"
    assert _edited(sentence, antonym_edits(sentence, "zh")) == {"公司计划减少投资。": "减少"}
    sentence = "合同期限为三年，费用为百分之五。"
    got = _edited(sentence, number_edits(sentence, "zh"))
    assert "合同期限为四年，费用为百分之五。" in got
    assert any(r.startswith("合同期限为三年，费用为百分之") and r != sentence for r in got)
    assert number_edits("我们一起讨论一下这个问题。", "zh") == []  # 一起, 一下 are no counts


def test_english_numbers() -> None:
    sentence = "The contract runs for 30 days from 2021 and costs 1,200 euros."
    got = _edited(sentence, number_edits(sentence, "en"))
    assert "The contract runs for 60 days from 2021 and costs 1,200 euros." in got
    assert "The contract runs for 30 days from 2022 and costs 1,200 euros." in got
    assert "The contract runs for 30 days from 2021 and costs 2,400 euros." in got
    assert all(re.fullmatch(r"[\d,]+", span) for span in got.values())


def test_split_sentences() -> None:
    text = "The team met on Monday. They chose a yellow case for the remote. Ok."
    assert split_sentences(text, "en") == ["They chose a yellow case for the remote."]
    assert split_sentences("我们讨论了区块链技术的应用前景和挑战。好的。", "zh") == [
        "我们讨论了区块链技术的应用前景和挑战。"
    ]


def test_data_dir_is_none_when_the_override_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUMMARY_COVERAGE_EVAL_DATA", str(tmp_path / "absent"))
    assert data_dir() is None
    monkeypatch.setenv("SUMMARY_COVERAGE_EVAL_DATA", str(tmp_path))
    assert data_dir() == tmp_path


# ---------------------------------------------------------------------------------------------
# The benchmark built from the shared data
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data() -> Path:
    path = data_dir()
    if path is None:
        pytest.skip("../shared/eval/data is absent: the edit benchmark is built from it at run time")
    return path


@pytest.fixture(scope="module")
def cases(data: Path) -> list[EditCase]:
    return build_cases(data)


def _span_text(case: EditCase) -> str:
    assert case.edit_span is not None
    return case.sentence[case.edit_span[0] : case.edit_span[1]]


def _contains(text: str, name: str) -> bool:
    if re.search(r"[\u4e00-\u9fff]", name):
        return name in text
    return re.search(rf"(?<![a-z0-9]){re.escape(name.lower())}(?![a-z0-9])", text.lower()) is not None


def test_size_datasets_languages_kinds(cases: list[EditCase]) -> None:
    edited = [c for c in cases if c.label == 0]
    assert len(edited) >= 600
    assert len({c.dataset for c in edited}) >= 4
    assert {c.language for c in edited} == {"en", "zh"}
    kinds = Counter(c.edit_kind for c in edited)
    assert set(kinds) == set(EDIT_KINDS)
    assert min(kinds.values()) >= 60, kinds
    for language in ("en", "zh"):
        assert {c.edit_kind for c in edited if c.language == language} == set(EDIT_KINDS)


def test_every_edit_is_a_real_change_with_a_valid_span(cases: list[EditCase]) -> None:
    for c in cases:
        if c.label == 1:
            assert c.edit_kind == "none" and c.edit_span is None and c.sentence == c.original
            continue
        assert c.edit_kind in EDIT_KINDS
        assert c.sentence != c.original
        assert c.edit_span is not None
        start, end = c.edit_span
        assert 0 <= start < end <= len(c.sentence), c
        assert _span_text(c).strip(), c
        assert c.sentence not in c.document, c


def test_each_edit_has_its_faithful_original_and_shares_the_document(cases: list[EditCase]) -> None:
    faithful = {(c.dataset, c.doc_id, c.sentence) for c in cases if c.label == 1}
    documents: dict[tuple[str, str], str] = {}
    for c in cases:
        if c.label == 0:
            assert (c.dataset, c.doc_id, c.original) in faithful
        doc = documents.setdefault((c.dataset, c.doc_id), c.document)
        assert doc is c.document  # one string object per record, not one copy per case
    per_doc_kind = Counter((c.dataset, c.doc_id, c.edit_kind) for c in cases if c.label == 0)
    assert max(per_doc_kind.values()) <= 6


def test_names_swapped_in_come_from_the_right_document(cases: list[EditCase]) -> None:
    swaps = [c for c in cases if c.edit_kind == "entity_swap"]
    foreign = [c for c in cases if c.edit_kind == "foreign_detail"]
    for c in swaps:
        name = _span_text(c)
        assert name.lower() in c.document.lower(), c
        assert not _contains(c.original, name), c
    for c in foreign:
        name = _span_text(c)
        assert name.lower() not in c.document.lower(), c
        assert not _contains(c.original, name), c


def test_summary_table_counts(cases: list[EditCase]) -> None:
    table = summary_table(cases)
    assert set(table) == {c.dataset for c in cases} | {"total"}
    assert sum(table["total"].values()) == len(cases)
    assert table["total"]["none"] == sum(c.label for c in cases)


def test_build_is_deterministic(cases: list[EditCase], data: Path) -> None:
    assert build_cases(data) == cases
