"""The Checker end to end: hand-computable cases, real text with the real bundled model."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summary_coverage import (
    Checker,
    CoverageReport,
    HashingEncoder,
    InputError,
    Settings,
    check,
    segment_document,
)

from conftest import SAMPLES

OMITTED = ("8. Data Protection and Security", "13. Insurance", "14. Subcontracting and Personnel")
INVENTED = "plant two hundred oak saplings"

THREE_SECTIONS = """# Lease

## 1. Rent

The tenant pays rent of 900 euros each month to the landlord.

## 2. Repairs

The landlord repairs the roof, the boiler and the windows.

## 3. Pets

No dogs or cats may live in the flat.
"""


def _section(report, title: str):
    return next(s for s in report.sections if s.title == title)


# --- hand-computable cases (HashingEncoder: shared words only) ---------------


def test_summary_equal_to_document_covers_everything(hashing) -> None:
    plain = "The tenant pays rent monthly.\n\nThe landlord repairs the roof.\n\nNo pets are allowed."
    report = hashing.check(plain, plain)
    assert report.coverage == pytest.approx(1.0)
    assert report.support == pytest.approx(1.0)
    assert report.uncovered == () and report.unsupported == ()


def test_empty_summary_leaves_everything_uncovered_with_a_warning(hashing) -> None:
    report = hashing.check(THREE_SECTIONS, "")
    assert report.coverage == 0.0
    assert report.support == 1.0  # an empty summary claims nothing
    assert len(report.uncovered) == len(report.passages) > 0
    assert all(p.best_sentence is None and p.score == 0.0 for p in report.passages)
    assert any("summary is empty" in w for w in report.warnings)


def test_summary_of_one_section_covers_only_that_section(hashing) -> None:
    report = hashing.check(THREE_SECTIONS, "- The landlord repairs the roof, the boiler and the windows.")
    covered = {s.title: s.coverage for s in report.sections}
    assert covered["2. Repairs"] == pytest.approx(1.0)
    assert covered["1. Rent"] == 0.0 and covered["3. Pets"] == 0.0


def test_invented_sentence_is_unsupported_and_listed(hashing) -> None:
    report = hashing.check(
        THREE_SECTIONS, "- No dogs or cats may live in the flat.\n- Zebras graze freely upstairs."
    )
    assert [report.summary_sentences[i].text for i in report.unsupported] == ["Zebras graze freely upstairs."]
    assert report.summary_sentences[0].supported


def test_summary_longer_than_document_still_works(hashing) -> None:
    doc = "The fee is 10 dollars."
    summary = "\n".join(f"- Point {i}: the fee is 10 dollars, paid in cash." for i in range(200))
    report = hashing.check(doc, summary)
    assert len(report.summary_sentences) == 200 and len(report.passages) == 1
    assert report.passages[0].covered


@pytest.mark.parametrize(
    ("document", "message"),
    [("", "The document is empty."), (" \n\t ", "The document contains only whitespace.")],
)
def test_empty_document_is_an_input_error(hashing, document, message) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        hashing.check(document, "x")


def test_document_over_the_size_limit_is_an_input_error(hashing) -> None:
    with pytest.raises(InputError, match=r"12 characters, over the limit of 10"):
        hashing.check("0123456789AB", "x", settings=Settings(max_chars=10))


def test_bad_settings_are_input_errors() -> None:
    with pytest.raises(InputError, match="coverage_threshold must be between 0 and 1"):
        Settings(coverage_threshold=1.2)
    with pytest.raises(InputError, match="Unknown signal 'bm25'"):
        Settings(signal_weights={"bm25": 1.0})


def test_paths_are_loaded(hashing, tmp_path) -> None:
    doc = tmp_path / "lease.md"
    doc.write_text(THREE_SECTIONS, encoding="utf-16")
    report = hashing.check(doc, SAMPLES / "services_agreement.summary.md")
    assert report.document.source == str(doc)
    assert report.document.chars == len(THREE_SECTIONS)


def test_every_character_is_in_exactly_one_passage_of_the_report(hashing, contract) -> None:
    report = hashing.check(contract, "- anything")
    for p in report.passages:
        assert contract[p.start : p.end] == p.text
    owned = sorted((p.start, p.end) for p in report.passages)
    for (_, end), (start, _) in zip(owned, owned[1:], strict=False):
        assert end <= start
    covered_chars = sum(len(p.text.replace(" ", "").replace("\n", "")) for p in report.passages)
    assert covered_chars == len("".join(contract.split()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    doc=st.text(alphabet=st.sampled_from(list("abc def\n\n.#1")), min_size=1, max_size=300).filter(
        lambda t: t.strip()
    ),
    summary=st.lists(st.sampled_from(["abc", "def abc", "a b c", "zzz", "de. f"]), max_size=6),
    t1=st.floats(0, 1),
    t2=st.floats(0, 1),
)
def test_coverage_is_bounded_monotone_and_order_free(hashing, doc, summary, t1, t2) -> None:
    text = "\n".join(f"- {s}" for s in summary)
    report = hashing.check(doc, text)
    lo, hi = sorted((t1, t2))
    a, b = report.with_thresholds(lo, lo), report.with_thresholds(hi, hi)
    assert 0.0 <= b.coverage <= a.coverage <= 1.0
    assert 0.0 <= b.support <= a.support <= 1.0
    for sec in a.sections:
        assert 0.0 <= sec.coverage <= 1.0
    permuted = hashing.check(doc, "\n".join(f"- {s}" for s in reversed(summary)))
    assert permuted.coverage == pytest.approx(report.coverage)
    assert sorted(p.score for p in permuted.passages) == pytest.approx(
        sorted(p.score for p in report.passages)
    )


# --- the real bundled model on the sample documents ------------------------


@pytest.fixture(scope="module")
def flawed_report(minilm, contract, flawed_summary):
    return minilm.check(contract, flawed_summary)


@pytest.fixture(scope="module")
def faithful_report(minilm, contract, faithful_summary):
    return minilm.check(contract, faithful_summary)


def test_flawed_summary_leaves_the_omitted_sections_uncovered(flawed_report, faithful_report) -> None:
    for title in OMITTED:
        flawed, faithful = _section(flawed_report, title), _section(faithful_report, title)
        assert flawed.coverage <= 0.3, title
        assert flawed.coverage < faithful.coverage, title
    drops = [_section(faithful_report, t).coverage - _section(flawed_report, t).coverage for t in OMITTED]
    assert sum(drops) / len(drops) >= 0.3
    rest = [s.coverage for s in flawed_report.sections if s.title not in OMITTED and s.passages]
    omitted = [_section(flawed_report, t).coverage for t in OMITTED]
    assert max(omitted) < sum(rest) / len(rest)
    assert faithful_report.coverage > flawed_report.coverage


def test_flawed_summary_unsupported_sentences_are_the_invented_and_the_changed_one(flawed_report) -> None:
    unsupported = [flawed_report.summary_sentences[i].text for i in flawed_report.unsupported]
    assert len(unsupported) == 2
    assert any(INVENTED in t for t in unsupported) and any("sixty days" in t for t in unsupported)
    invented = next(s for s in flawed_report.summary_sentences if INVENTED in s.text)
    assert invented.support < flawed_report.support_threshold  # unsupported by similarity alone


def test_faithful_summary_is_fully_supported(faithful_report) -> None:
    assert faithful_report.support == 1.0 and faithful_report.unsupported == ()


def test_uncovered_ranking_puts_wholly_missed_sections_first(flawed_report) -> None:
    zero = {s.index for s in flawed_report.sections if s.coverage == 0.0 and s.passages}
    ranked_sections = [flawed_report.passages[i].section for i in flawed_report.uncovered]
    n = sum(1 for p in flawed_report.passages if p.section in zero)
    assert set(ranked_sections[:n]) == zero
    assert len(flawed_report.uncovered) == sum(not p.covered for p in flawed_report.passages)


def test_report_records_model_and_settings(flawed_report) -> None:
    m = flawed_report.model
    assert m.name == "sentence-transformers/all-MiniLM-L6-v2" and m.max_seq_length == 256
    s = flawed_report.settings
    assert s["coverage_threshold"] == 0.5 and s["support_threshold"] == 0.5
    assert s["threshold_source"].startswith("verifier fitted on") and s["verifier"] == s["threshold_source"]
    assert s["max_passage_tokens"] == 256
    assert s["lexical_channel"] == "idf-term-overlap" and s["multivector_channel"] is None
    assert flawed_report.versions["summary-coverage"] == "0.1.0"
    assert all(p.tokens <= 256 for p in flawed_report.passages)
    assert set(flawed_report.passages[0].signals) == {
        "dense",
        "dense_z",
        "lexical_z",
        "lexical",
        "specificity",
        "hybrid",
        "fused",
    }


def test_chinese_contract_is_segmented_by_clause_and_scored_in_full(minilm) -> None:
    doc = (SAMPLES / "zh_contract.md").read_text(encoding="utf-8")
    summary = (SAMPLES / "zh_contract.summary.md").read_text(encoding="utf-8")
    report = minilm.check(doc, summary)
    titles = [s.title for s in report.sections]
    assert sum(t.startswith("第") and "条" in t[:5] for t in titles) == 13
    assert len(report.summary_sentences) >= 6
    assert all(doc[p.start : p.end] == p.text for p in report.passages)
    assert all(summary[s.start : s.end] == s.text for s in report.summary_sentences)


def test_long_documents_are_scored_in_full_never_truncated(minilm) -> None:
    """A 50,000-token document: every passage fits the model and nothing is dropped."""
    base = (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")
    doc = (base + "\n\n") * 8  # about 55,000 model tokens
    enc = minilm.encoder
    seg = segment_document(doc, max_tokens=256, counter=enc)
    total = sum(p.tokens for p in seg.passages)
    assert total >= 50_000
    assert max(enc.count_tokens([p.text for p in seg.passages])) <= 256
    assert "".join("".join(p.text.split()) for p in seg.passages) == "".join(doc.split())
    # Scoring it end to end (hashing encoder: the full pipeline without a minute of model time).
    report = Checker(HashingEncoder(max_seq_length=256)).check(doc, "- The fee is USD 48,500 per month.")
    assert len(report.passages) >= len(seg.passages) // 2 and report.document.tokens > 0


def test_one_long_paragraph_is_split_not_truncated(minilm) -> None:
    sentence = "The Provider shall keep accurate records of all Services. "
    doc = sentence * 20  # one paragraph of about 240 tokens, over the 64-token limit below
    report = minilm.check(doc, "- The Provider keeps records.", settings=Settings(max_passage_tokens=64))
    assert len(report.passages) >= 4 and all(p.split for p in report.passages)
    assert all(p.tokens <= 64 for p in report.passages)
    assert report.settings["max_passage_tokens"] == 64
    assert "".join(p.text for p in report.passages).replace(" ", "") == doc.replace(" ", "")
    assert any("nothing was truncated" in w for w in report.warnings)


def test_passage_limit_never_exceeds_the_model(minilm) -> None:
    assert minilm.max_passage_tokens(Settings(max_passage_tokens=4096)) == 256


def test_module_level_check_reuses_the_default_checker(monkeypatch, minilm) -> None:
    from summary_coverage import checker as checker_module

    monkeypatch.setattr(checker_module, "_default_checkers", {(None, "auto"): minilm})
    first = check(THREE_SECTIONS, "- Rent is 900 euros a month.")
    second = check(THREE_SECTIONS, "- Rent is 900 euros a month.")
    assert first == second and checker_module._default_checkers[(None, "auto")] is minilm


def test_check_many_matches_single_checks(minilm) -> None:
    pairs = [(THREE_SECTIONS, "- Rent is 900 euros a month."), (THREE_SECTIONS, "- No pets are allowed.")]
    many = minilm.check_many(pairs)
    singles = [minilm.check(d, s) for d, s in pairs]
    for a, b in zip(many, singles, strict=True):
        assert [p.score for p in a.passages] == pytest.approx([p.score for p in b.passages], abs=1e-5)


def test_check_each_puts_an_error_in_place_of_a_bad_pair_and_checks_the_rest_together(minilm) -> None:
    pairs = [
        (THREE_SECTIONS, "- Rent is 900 euros a month."),
        ("   \n ", "- Anything."),
        ("Fees \ud800 are due.", "Fees are due."),
        (THREE_SECTIONS, "- No pets are allowed."),
    ]
    results = minilm.check_each(pairs)
    assert isinstance(results[1], InputError) and "only whitespace" in str(results[1])
    assert isinstance(results[2], InputError) and "lone surrogate (U+D800)" in str(results[2])
    for got, (doc, summ) in zip([results[0], results[3]], [pairs[0], pairs[3]], strict=True):
        assert isinstance(got, CoverageReport)
        want = minilm.check(doc, summ)
        assert [p.score for p in got.passages] == pytest.approx([p.score for p in want.passages], abs=1e-5)
    with pytest.raises(InputError, match="only whitespace"):
        minilm.check_many(pairs)


def test_changed_number_is_contradicted_and_makes_the_sentence_unsupported(flawed_report) -> None:
    changed = next(s for s in flawed_report.summary_sentences if "sixty days" in s.text)
    flags = [
        m for m in flawed_report.mismatches if m.sentence == changed.index and m.status == "contradicted"
    ]
    assert flags, "the changed payment term must be flagged"
    m = flags[0]
    assert m.kind == "duration" and "sixty days" in m.summary_text
    assert m.evidence_text is not None and "30" in m.evidence_text
    assert flawed_report.summary.chars > m.summary_end > m.summary_start
    assert not flawed_report.summary_sentences[changed.index].supported
    assert changed.index in flawed_report.unsupported


def test_faithful_summary_has_no_contradicted_facts(faithful_report) -> None:
    assert [m for m in faithful_report.mismatches if m.status == "contradicted"] == []


def test_mismatches_survive_the_json_round_trip(flawed_report) -> None:
    from summary_coverage import CoverageReport

    again = CoverageReport.from_json(flawed_report.to_json())
    assert again.mismatches == flawed_report.mismatches and again == flawed_report


def test_bfloat16_gives_the_float32_decisions_on_real_weights(minilm, contract, flawed_summary) -> None:
    """bf16 (the CPU default where the CPU has bf16 instructions) moves calibrated scores by < 0.02."""
    bf16 = Checker("bundled", device="cpu", dtype="bfloat16", cache=False)
    a, b = minilm.check(contract, flawed_summary), bf16.check(contract, flawed_summary)
    assert b.model.dtype == "bfloat16" and a.model.dtype == "float32"
    assert max(abs(x.score - y.score) for x, y in zip(a.passages, b.passages, strict=True)) < 0.02
    assert (
        max(abs(x.support - y.support) for x, y in zip(a.summary_sentences, b.summary_sentences, strict=True))
        < 0.02
    )
    assert [p.covered for p in a.passages] == [p.covered for p in b.passages]
    assert [s.supported for s in a.summary_sentences] == [s.supported for s in b.summary_sentences]
