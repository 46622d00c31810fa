"""The support judge: shipped weights and provenance, windows, reading real contract text, in the report."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summary_coverage import CoverageReport, Settings
from summary_coverage.judge import judge as judge_module
from summary_coverage.judge.assess import MAX_CLAIM_WORDS, blame, claim_parts, judge_sentences
from summary_coverage.judge.judge import load_judge, provenance, reads
from summary_coverage.judge.windows import WINDOW_TOKENS, Window, passage_windows

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "coverage" / "judge" / "data"

CLAUSE = (
    "Either party may terminate this Agreement on ninety (90) days' written notice to the other party. "
    "The Customer shall pay each invoice within thirty (30) days of receipt."
)


@pytest.fixture(scope="module")
def judge():
    return load_judge("float32")


# --------------------------------------------------------------------------- weights and provenance


def test_weights_ship_as_safetensors_with_provenance_and_no_pickle() -> None:
    weights = DATA / "judge.safetensors"
    assert weights.is_file() and weights.stat().st_size <= 60 * 1024 * 1024
    assert not list(DATA.glob("*.bin")) and not list(DATA.glob("*.pt")) and not list(DATA.glob("*.pkl"))
    meta = provenance()
    assert meta["seed"] == json.loads((DATA / "judge.json").read_text())["seed"]
    for key in ("base", "date", "package_version", "settings", "trained_steps"):
        assert meta[key], key
    sources = meta["data"]["by_source"]
    assert {"snli", "cuad-rules"} <= set(sources)
    # Only permissively licensed sources trained the shipped weights; validation sets never did.
    assert set(sources) <= set(meta["data"]["licences"]) | {"cuad-governing-law"}
    for name in sources:
        assert "anli" not in name and "ocnli" not in name and "xnli" not in name
        assert "contractnli" not in name and "wice" not in name
    assert "NC" not in " ".join(meta["data"]["licences"].values())
    # A judge trained in stages: the earlier stage's data obey the same rules.
    if meta.get("stage_1"):
        earlier = meta["stage_1"]["data"]["by_source"]
        assert set(earlier) <= set(meta["stage_1"]["data"]["licences"]) | {"cuad-governing-law"}
        assert not any(
            bad in name for name in earlier for bad in ("anli", "ocnli", "xnli", "contractnli", "wice")
        )


def test_reads_english_not_chinese() -> None:
    assert reads("The Customer shall pay within 30 days.")
    assert reads("")
    assert not reads("客户应在三十日内付款。")
    assert reads("The fee is USD 5,000, payable in renminbi (人民币) by bank transfer to the Supplier.")


# --------------------------------------------------------------------------- windows


def _count(texts: list[str]) -> list[int]:
    return [len(t.split()) for t in texts]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(
        st.sampled_from(["shall", "pay", "the", "Fee.", "notice;", "x" * 30, "90", "days."]),
        min_size=1,
        max_size=400,
    ),
    budget=st.integers(min_value=3, max_value=60),
)
def test_windows_cover_every_character_in_order_within_budget(words: list[str], budget: int) -> None:
    text = "Intro. " + " ".join(words) + " End."
    windows = passage_windows(text, 0, 0, len(text), _count, budget)
    covered = "".join(text[w.start : w.end] for w in windows)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)
    for a, b in zip(windows, windows[1:], strict=False):
        assert a.end <= b.start
    for w in windows:
        assert w.text == text[w.start : w.end]
        assert _count([w.text])[0] <= budget or len(w.text.split()) == 1


def test_real_passage_windows_fit_the_judge(judge, contract) -> None:
    windows = passage_windows(contract, 0, 0, len(contract), judge.count_tokens)
    assert max(judge.count_tokens([w.text for w in windows])) <= WINDOW_TOKENS
    assert re.sub(r"\s", "", "".join(w.text for w in windows)) == re.sub(r"\s", "", contract)


# --------------------------------------------------------------------------- reading contract text


def test_judge_tells_the_same_from_the_opposite(judge) -> None:
    """Paraphrases read as entailed; changed figures, negations and narrowed parties as contradicted.

    (What it still gets wrong is in the README: "can end the contract with 90 days' notice" reads as
    contradicted, "Neither party may terminate" and a Supplier/Customer swap as entailed.)
    """
    entailed = [
        "The Customer must pay invoices within 30 days.",
        "Either party may end the agreement on 90 days' notice.",
    ]
    contradicted = [
        "The Customer shall pay each invoice within sixty (60) days of receipt.",
        "The Customer has 60 days to pay each invoice.",
        "The Customer shall not pay each invoice within thirty (30) days of receipt.",
        "Only the Customer may terminate this Agreement on ninety (90) days' written notice.",
    ]
    p = judge.probabilities([(CLAUSE, c) for c in entailed + contradicted])
    assert p.shape == (6, 3)
    assert abs(p.sum(axis=1) - 1).max() < 1e-5
    for i, claim in enumerate(entailed):
        assert p[i, 0] > 0.5 > p[i, 1], claim
    for i, claim in enumerate(contradicted, start=len(entailed)):
        assert p[i, 1] > 0.5 > p[i, 0], claim


def test_blame_falls_on_the_changed_words(judge) -> None:
    w = Window(0, 0, len(CLAUSE), CLAUSE)
    claim = "The Customer shall pay each invoice within sixty (60) days of receipt."
    (j,) = judge_sentences(judge, [(claim, [w])])
    assert j.ran and j.contradicting is w
    (j,) = blame(judge, [claim], [j], [0])
    assert j.blame is not None
    assert claim[j.blame[0] : j.blame[1]] == "sixty (60)"


# --------------------------------------------------------------------------- long sentences, in parts


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(
        st.tuples(
            st.lists(
                st.sampled_from(["fee", "the", "Customer", "pays", "30", "days", "notice", "x"]),
                min_size=1,
                max_size=30,
            ),
            st.sampled_from(["; ", ", and ", " and the ", ": ", ", which ", " "]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_parts_cover_every_word_in_order_and_fit_the_judge(pieces) -> None:
    sentence = "".join(" ".join(words) + sep for words, sep in pieces).strip() + "."
    spans = claim_parts(sentence)
    n_words = len(sentence.split())
    if n_words <= MAX_CLAIM_WORDS:
        assert spans == [(0, len(sentence))]
        return
    assert len(spans) > 1
    assert all(0 <= a < b <= len(sentence) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False))
    assert all(len(sentence[a:b].split()) <= MAX_CLAIM_WORDS for a, b in spans)
    # Every word is read, except the joining words and punctuation between parts.
    between = " ".join(
        sentence[b1:a2]
        for (_, b1), (a2, _) in zip([(0, 0), *spans], [*spans, (len(sentence), 0)], strict=True)
    )
    assert set(between.split()) <= {
        "and",
        "but",
        "while",
        "whereas",
        "so",
        "or",
        ";",
        ":",
        ",",
        ".",
        "and,",
    } | {w for w in between.split() if not w.strip(",;:.")}


LONG_DOC = (
    "1. Services\n\nThe Provider shall host the Customer's analytics platform and shall keep it available "
    "99.9% of each calendar month, excluding scheduled maintenance announced five days in advance.\n\n"
    "2. Fees\n\nThe Customer shall pay each invoice within thirty (30) days of receipt. Late payments "
    "bear interest at 1.5% per month.\n\n"
    "3. Termination\n\nEither party may terminate this Agreement on ninety (90) days' written notice to the "
    "other party.\n"
)


def test_a_long_sentence_is_judged_in_parts_and_the_wrong_part_is_found(minilm) -> None:
    faithful = (
        "The provider hosts the customer's analytics platform and keeps it available 99.9% of each month, "
        "not counting maintenance announced five days ahead; the customer pays each invoice within 30 days "
        "of receipt, and either party may terminate the agreement on 90 days' written notice."
    )
    wrong = faithful.replace("within 30 days", "within 60 days")
    assert len(faithful.split()) > MAX_CLAIM_WORDS
    summary = f"- {faithful}\n- {wrong}\n"
    unread = minilm.check(LONG_DOC, summary)  # by default a sentence this long is left to the other signals
    assert all(not s.judge and "words" in s.judge_note for s in unread.summary_sentences)
    report = minilm.check(LONG_DOC, summary, settings=Settings(judge_parts=True))
    good, bad = report.summary_sentences
    assert good.judge and not good.judge_note and bad.judge and not bad.judge_note
    assert (
        good.judge["entailed"] > bad.judge["entailed"]
        or bad.judge["contradicted"] > good.judge["contradicted"]
    )
    assert bad.support < good.support
    assert not bad.supported
    assert bad.contradicted_by is not None
    a, b = bad.contradiction_span
    assert "thirty (30) days" in LONG_DOC[a:b]
    # The facts check marks the wrong figure, so the judge is not asked to blame the same words again.
    (marked,) = [f for f in bad.flags if f.reason == "contradicted"]
    assert marked.text == "60 days" and bad.start <= marked.start < marked.end <= bad.end
    assert not any(f.signal.startswith("judge_") for f in bad.flags)


def test_a_word_blamed_in_a_part_is_placed_in_the_whole_sentence(judge) -> None:
    w = Window(0, 0, len(CLAUSE), CLAUSE)
    head = "The Provider hosts the platform, and "
    part = "the Customer shall pay each invoice within sixty (60) days of receipt."
    sentence = head + part
    (j,) = judge_sentences(judge, [(part, [w])])
    (j,) = blame(judge, [sentence], [dataclasses.replace(j, part=(len(head), len(sentence)))], [0])
    assert j.blame is not None
    assert sentence[j.blame[0] : j.blame[1]] == "sixty (60)"


# --------------------------------------------------------------------------- in the report


def test_report_carries_the_judge_the_contradicting_passage_and_round_trips(minilm) -> None:
    doc = (
        "1. Term\n\nThis Agreement starts on 1 March 2026.\n\n"
        "2. Termination\n\nEither party may terminate this Agreement on ninety (90) days' written notice.\n\n"
        "3. Fees\n\nThe Customer shall pay each invoice within thirty (30) days of receipt.\n"
    )
    summary = (
        "- Either party may end the agreement on 90 days' notice.\n"
        "- The Customer has 60 days to pay each invoice.\n"
    )
    report = minilm.check(doc, summary)
    assert report.settings["support_judge"]["status"] == "ran"
    good, bad = report.summary_sentences
    assert good.supported and good.judge["entailed"] > good.judge["contradicted"]
    assert not any(f.reason in ("absent", "not in evidence") and f.text == "end" for f in good.flags)
    assert not bad.supported
    assert bad.contradicted_by is not None
    a, b = bad.contradiction_span
    assert "thirty (30) days" in doc[a:b]
    again = (
        CoverageReport.from_json(report.to_json())
        if hasattr(CoverageReport, "from_json")
        else (CoverageReport.from_dict(json.loads(report.to_json())))
    )
    assert again.summary_sentences[1].contradiction_span == bad.contradiction_span
    assert again.summary_sentences[1].judge == bad.judge


def test_a_wrong_figure_is_the_flag_not_the_paraphrase_around_it(minilm) -> None:
    doc = (
        "12. Termination\n\n12.1 Either party may terminate this Agreement on ninety (90) days' notice.\n\n"
        "13. Payment\n\n13.1 The Buyer shall pay each invoice within thirty (30) days of receipt.\n"
    )
    s = minilm.check(doc, "Either party may end the agreement on 30 days' notice.").summary_sentences[0]
    assert not s.supported and s.judge["contradicted"] > 0.5
    assert [f.text for f in s.flags if f.reason == "contradicted"] == ["30 days"]
    assert not [f for f in s.flags if f.reason == "absent"]  # "end" is the clause's "terminate"
    # ... while a word the judge does not read as the clause's stays flagged
    other = minilm.check(doc, "Only the Buyer may end the agreement on 90 days' notice.").summary_sentences[0]
    assert not other.supported and any(f.text in ("Only", "end") for f in other.flags)


def test_reports_saved_before_the_judge_still_load(minilm) -> None:
    report = minilm.check("The fee is USD 100 a month.", "The fee is USD 100 a month.")
    data = json.loads(report.to_json())
    for s in data["summary_sentences"]:
        for key in ("judge", "judge_note", "contradicted_by", "contradiction_span"):
            del s[key]
    old = CoverageReport.from_dict(data)
    assert old.summary_sentences[0].judge == {} and old.summary_sentences[0].contradicted_by is None


def test_judge_off_or_missing_is_said_plainly(minilm, monkeypatch) -> None:
    off = minilm.check(
        CLAUSE, "Either party may terminate on 90 days' notice.", settings=Settings(judge=False)
    )
    assert off.settings["support_judge"]["status"] == "not run"
    assert off.summary_sentences[0].judge == {}
    assert "turned off" in off.summary_sentences[0].judge_note
    assert any("support judge did not run" in w for w in off.warnings)

    from summary_coverage import Checker, HashingEncoder

    monkeypatch.setattr(judge_module, "judge_unavailable_reason", lambda: "the weights are not installed")
    judge_module.load_judge.cache_clear()
    try:
        missing = Checker(HashingEncoder()).check(CLAUSE, "Either party may terminate on 90 days' notice.")
    finally:
        judge_module.load_judge.cache_clear()
    assert missing.settings["support_judge"] == {
        "status": "not run",
        "reason": "the weights are not installed",
    }
    assert "not installed" in missing.summary_sentences[0].judge_note
    assert 0.0 <= missing.summary_sentences[0].support <= 1.0


def test_chinese_sentences_are_left_to_the_other_signals(minilm) -> None:
    root = Path(__file__).resolve().parents[1] / "sample_docs"
    doc = (root / "zh_contract.md").read_text(encoding="utf-8")
    summ = (root / "zh_contract.summary.md").read_text(encoding="utf-8")
    report = minilm.check(doc, summ)
    assert report.summary_sentences
    for s in report.summary_sentences:
        assert s.judge == {} and "Chinese" in s.judge_note
    assert any("did not read" in w for w in report.warnings)


def test_score_and_decision_agree_with_the_judge(minilm, contract, flawed_summary) -> None:
    report = minilm.check(contract, flawed_summary)
    for s in report.summary_sentences:
        assert s.supported == (s.support >= report.support_threshold)
        if s.judge:
            assert set(s.judge) == {"entailed", "contradicted", "neither"}
            assert all(0.0 <= v <= 1.0 for v in s.judge.values())
            # entailed and neither come from the same window (the most entailed one); contradicted is the
            # highest over the windows, so the three need not sum to 1.
            assert s.judge["entailed"] + s.judge["neither"] <= 1 + 1e-6
        if s.contradicted_by is not None:
            assert s.judge["contradicted"] >= 0.5
            p = report.passages[s.contradicted_by]
            a, b = s.contradiction_span
            assert p.start <= a < b <= p.end


def test_the_judge_runs_whatever_the_encoder(hashing) -> None:
    """The judge has its own network: any encoder (here the hashing one) only ranks the windows."""
    report = hashing.check(CLAUSE, "The Customer must pay invoices within 30 days.")
    assert report.settings["support_judge"]["status"] == "ran"
    assert report.summary_sentences[0].judge


def test_readings_are_remembered_and_identical(judge) -> None:
    """A re-check reads unchanged (window, sentence) pairs from memory: same numbers, no model call."""
    pairs = [(CLAUSE, "The Customer must pay invoices within 30 days."), (CLAUSE, "Fees are due yearly.")]
    first = judge.probabilities(pairs)
    real = judge._net
    judge._net = None  # any model call would fail
    try:
        again = judge.probabilities(list(reversed(pairs)))
    finally:
        judge._net = real
    assert (again[::-1] == first).all()


def test_blame_only_adds_flags_and_batch_rows_skip_it(minilm) -> None:
    """Blame finds words to flag, never a score: off, every score and decision is the same.

    Batch rows without the full report show no flags, so the batch skips it; with the report it is there.
    """
    from summary_coverage.batch import score_batch

    summary = "The Customer may never terminate this Agreement."
    on = minilm.check(CLAUSE, summary)
    off = minilm.check(CLAUSE, summary, settings=Settings(blame=False))
    (s_on,), (s_off,) = on.summary_sentences, off.summary_sentences
    assert not s_on.supported and s_on.support == s_off.support and s_on.judge == s_off.judge
    blamed = [f for f in s_on.flags if f.signal.startswith("judge_")]
    assert blamed and blamed[0].text == "never"
    assert not any(f.signal.startswith("judge_") for f in s_off.flags)
    (row,) = score_batch([(CLAUSE, summary)], checker=minilm)
    assert row["support"] == round(on.support, 6) and row["unsupported"] == 1
    (full,) = score_batch([(CLAUSE, summary)], checker=minilm, full=True)
    flags = json.loads(full["report"])["summary_sentences"][0]["flags"]
    assert any(f["signal"].startswith("judge_") for f in flags)


NDA = (
    "5. Confidentiality\n\nThe Recipient shall hold the Confidential Information in strict confidence. "
    "The Recipient shall not disclose Confidential Information to any person except to its employees who "
    "need to know it for the Purpose.\n\n6. Term\n\nThis Agreement remains in force for three (3) years.\n"
)


def test_a_permission_the_contract_grants_as_an_exception_is_not_contradicted(minilm) -> None:
    faithful = minilm.check(
        NDA, "The Recipient may share the Confidential Information with its employees who need to know it."
    ).summary_sentences[0]
    assert faithful.supported and faithful.contradicted_by is None
    assert faithful.judge["contradicted"] < 0.5
    wide = minilm.check(NDA, "The Recipient may share the Confidential Information with anyone.")
    assert not wide.summary_sentences[0].supported  # the exception is not a licence to share with anyone


def test_only_a_permission_against_a_rule_with_an_exception_loses_its_contradiction() -> None:
    from summary_coverage.judge.assess import _exceptions_read
    from summary_coverage.judge.windows import Window

    ws = [
        Window(0, 0, 10, "The Recipient shall not disclose it except to its employees."),
        Window(0, 10, 20, "The Recipient shall not disclose it to anyone."),
    ]
    rows = np.array([[0.1, 0.8, 0.1], [0.1, 0.8, 0.1]])
    read = _exceptions_read("The Recipient may share it with its employees.", ws, rows)
    assert read[0].tolist() == pytest.approx([0.1, 0.0, 0.9]) and read[1].tolist() == [0.1, 0.8, 0.1]
    for claim in ("The Recipient may not share it.", "The Recipient shares it with its employees."):
        assert _exceptions_read(claim, ws, rows).tolist() == rows.tolist()
    assert rows[0, 1] == 0.8  # the readings passed in are not changed


USE_NDA = (
    "2. Use. The Recipient shall use the Confidential Information solely for the purpose of evaluating a "
    "possible business relationship between the parties.\n\n4. Term. This Agreement remains in force for two "
    "(2) years.\n"
)


def test_a_restricted_permission_is_the_restricted_duty_it_summarises(minilm) -> None:
    from summary_coverage.facts.polarity import compare, same_restriction

    clause = USE_NDA.split("\n\n")[0]
    claim = "The Recipient may use the information only to evaluate a possible business relationship."
    assert same_restriction(claim, clause) and not compare(claim, clause).modality_changed
    # without "only" on either side, 'may' where the contract says 'shall' is still a weaker duty
    assert not same_restriction("The Recipient may use the Confidential Information.", clause)
    assert compare("The Recipient may use the Confidential Information.", clause).modality_changed
    assert not same_restriction(claim, "The Recipient shall use the Confidential Information with care.")
    s = minilm.check(USE_NDA, claim).summary_sentences[0]  # was contradicted 0.99, support 0.222
    assert s.supported and s.contradicted_by is None and not s.flags
    wide = minilm.check(USE_NDA, "The Recipient may use the Confidential Information for any purpose.")
    assert not wide.summary_sentences[0].supported


RECIPIENT_NDA = (
    "3. Return of Information. Upon the Discloser's written request, the Recipient shall promptly return or "
    "destroy all Confidential Information and all copies of it.\n\n"
    "4. Term. This Agreement remains in force for two (2) years.\n"
)


def test_the_judge_reads_a_role_by_the_name_the_claim_gives_it() -> None:
    from summary_coverage.judge.aliases import aliases, in_document_terms, names_used

    used = names_used(RECIPIENT_NDA)
    assert used == {"recipient", "discloser"}
    rewrites = aliases("The Receiving Party returns everything at the Disclosing Party's request.", used)
    assert in_document_terms("the Recipient shall return it on the Discloser's request", rewrites) == (
        "the Receiving Party shall return it on the Disclosing Party's request"
    )
    # the claim's own name is in the document, or the claim names the role twice over: nothing is renamed
    assert aliases("The Recipient returns everything.", used) == []
    assert aliases("The Receiving Party returns everything.", used | {"receiving party"}) == []
    assert aliases("The Recipient, the Receiving Party, returns it.", used) == []
    # whole words only, for the judge and the names check alike: a receivership names no receiver
    assert names_used("Either party may end this Agreement on the other's receivership.") == frozenset()
    assert names_used("The Recipients shall return it.") == {"recipient"}
    from summary_coverage.facts.names import absent_names, find_names

    claim = find_names("The Receiving Party shall keep it secret.")
    assert [n.text for n in absent_names(claim, "On receivership, the Agreement ends.")] == [
        "Receiving Party"
    ]
    assert absent_names(claim, "The Recipient shall keep it secret.") == []


def test_a_role_the_contract_names_otherwise_is_not_absent_and_quotes_stay_the_contracts(minilm) -> None:
    s = minilm.check(
        RECIPIENT_NDA,
        "The Receiving Party shall return or destroy all Confidential Information at the Disclosing "
        "Party's request.",
    ).summary_sentences[0]
    assert s.supported and s.judge["entailed"] > 0.5
    assert not [f for f in s.flags if "Party" in f.text]
    keep = "The Receiving Party may keep all copies of the Confidential Information."
    wrong = minilm.check(RECIPIENT_NDA, keep)
    quotes = [f.detail for f in wrong.summary_sentences[0].flags if "the evidence says otherwise" in f.detail]
    assert quotes and "the Recipient shall" in quotes[0]  # the contract's words, not the judge's reading
    swapped = minilm.check(
        RECIPIENT_NDA,
        "The Disclosing Party shall return or destroy all Confidential Information at the Receiving "
        "Party's request.",
    ).summary_sentences[0]
    assert [(f.signal, f.text) for f in swapped.flags][:1] == [("role_swap", "Disclosing Party")]
    assert swapped.support < s.support - 0.2
