"""The verifier and its signals: names, parties, polarity, evidence; one probability that is the decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summary_coverage import Checker, CoverageReport, HashingEncoder
from summary_coverage.facts.names import absent_names, duty_swapped, find_names, role_order, roles_swapped
from summary_coverage.facts.polarity import compare, cues, negated_everywhere_else
from summary_coverage.score.evidence import DocumentTerms, evidence_passages, measure
from summary_coverage.score.lexical import terms
from summary_coverage.score.verifier import (
    COVERAGE_FEATURES,
    SUPPORT_FEATURES,
    Verifier,
    default_verifier,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_docs"

# --------------------------------------------------------------------------- names and parties


def test_names_terms_and_roles_are_found():
    found = [(n.kind, n.text) for n in find_names("The Provider pays Acme Cloud Ltd under Schedule 2.")]
    assert found == [("role", "Provider"), ("name", "Acme Cloud Ltd"), ("term", "Schedule 2")]
    # A capitalised first word alone is the start of a sentence, not a name.
    assert [n.text for n in find_names("Payment is due monthly.")] == []
    assert [n.text for n in find_names("附件二 规定 甲方 的义务。") if n.kind == "role"] == ["甲方"]


def test_a_name_absent_from_a_lower_cased_document_is_found_and_a_present_one_is_not():
    doc = "acme cloud ltd provides the service to harbourline logistics."
    names = find_names("Acme Cloud Ltd serves Harbourline Logistics and Brightwater Inc.")
    assert [n.text for n in absent_names(names, doc)] == ["Brightwater Inc"]


def test_roles_swapped_against_the_aligned_clause():
    assert roles_swapped("The Provider pays the Customer a credit.", "The Customer pays the Provider a fee.")
    assert roles_swapped("The Customer pays the Provider.", "The Customer pays the Provider.") is None
    # A passive sentence may name the parties in either order.
    assert roles_swapped("The Customer is paid by the Provider.", "The Provider pays the Customer.") is None
    assert roles_swapped("乙方向甲方支付费用。", "甲方向乙方支付费用。") is not None


def test_the_same_act_given_to_the_other_party_is_a_swap():
    clause = "Upon the Discloser's written request, the Recipient shall promptly return all copies."
    # the same act (return), by the party on the other side, whatever the order of mention
    swapped = roles_swapped(
        "The Disclosing Party shall return all copies at the Receiving Party's request.", clause
    )
    assert swapped is not None and swapped.text == "Disclosing Party"
    assert duty_swapped("The Discloser must return all copies.", clause) is not None
    # the same party doing it, named by another role of its side: faithful
    assert (
        roles_swapped(
            "The Receiving Party shall return all copies at the Disclosing Party's request.", clause
        )
        is None
    )
    # different acts say nothing about sides
    assert roles_swapped("The Disclosing Party may request the copies back.", clause) is None
    assert (
        roles_swapped("The Customer shall pay the fees.", "The Provider shall invoice the fees monthly.")
        is None
    )
    # the clause gives the act to both parties
    both = (
        "The Customer shall keep the terms confidential, and the Provider shall keep them confidential too."
    )
    assert roles_swapped("The Provider shall keep the terms confidential.", both) is None
    # one party named in the summary, the other doing it in the contract
    assert (
        roles_swapped(
            "The customer must indemnify against third-party claims.",
            "The Supplier shall indemnify the Customer against third-party claims.",
        )
        is not None
    )
    # commercial and NDA roles are never compared: an NDA's receiving party may be "the Company"
    assert (
        roles_swapped(
            "The Receiving Party shall not disclose the terms.", "The Company shall not disclose the terms."
        )
        is None
    )
    assert [side for side, _ in role_order("we may close your account")] == [1, 0]


# --------------------------------------------------------------------------- polarity and modality


@pytest.mark.parametrize(
    ("summary", "clause", "field", "marked"),
    [
        (
            "The Provider shall not refund the fee.",
            "The Provider shall refund the fee.",
            "negation_flipped",
            "not",
        ),
        (
            "The Provider shall refund the fee.",
            "The Provider shall not refund the fee.",
            "negation_flipped",
            "refund",
        ),
        (
            "The Customer may pay within 30 days.",
            "The Customer shall pay within 30 days.",
            "modality_changed",
            "may",
        ),
        ("Fees increase each year.", "Fees decrease each year.", "antonym", "increase"),
        ("甲方不得转让本协议。", "甲方可以转让本协议。", "negation_flipped", "不得"),
        ("费用每年减少。", "费用每年增加。", "antonym", "减少"),
    ],
)
def test_polarity_differences_are_flagged_on_the_right_words(summary, clause, field, marked):
    diff = compare(summary, clause)
    assert getattr(diff, field), diff
    assert diff.span is not None and summary[diff.span[0] : diff.span[1]] == marked


@pytest.mark.parametrize(
    ("summary", "clause"),
    [
        ("The Provider shall refund the fee.", "The Provider shall refund the fee."),
        (
            "No fee is payable unless the Customer does not renew.",
            "No fee is payable unless the Customer does not renew.",
        ),
        ("甲方应当在三十日内付款。", "甲方应当在三十日内支付服务费。"),
        ("Prices rise steadily.", "Prices rise steadily, and never fall."),
        ("No refund is given.", "The Provider shall not refund the fee."),
        ("It said no. Renewal fees apply each year.", "Renewal fees apply each year."),  # a cue ends there
        ("The Agreement does not grant any licence.", "No licence is granted under this Agreement."),
    ],
)
def test_agreeing_clauses_are_not_flagged(summary, clause):
    diff = compare(summary, clause)
    assert not (diff.negation_flipped or diff.modality_changed or diff.antonym), diff


def test_not_every_bu_is_a_negation():
    assert [c.kind for c in cues("市场不断扩大，不过增长放缓。")] == []


# --------------------------------------------------------------------------- evidence


def test_one_invented_word_is_the_worst_term_and_is_marked():
    passages = [
        "The customer pays the fee monthly.",
        "Either party may terminate on notice.",
        "The law of England applies.",
    ]
    doc = DocumentTerms.build([terms(p) for p in passages])
    sentence = "The customer pays the zeppelin fee monthly."
    ev = measure(sentence, (0,), doc)
    assert ev.worst is not None and sentence[ev.worst[0] : ev.worst[1]] == "zeppelin"
    assert ev.worst_absent and 0 < ev.absent < 1 and ev.evidence < 1
    faithful = measure("The customer pays the fee monthly.", (0,), doc)
    assert faithful.evidence == pytest.approx(1.0) and faithful.worst is None


def test_evidence_takes_top_passages_and_their_neighbours_in_the_same_section():
    import numpy as np

    column = np.array([0.1, 0.9, 0.2, 0.3, 0.8])
    assert evidence_passages(column, [0, 0, 0, 1, 1], top_k=2, neighbours=1) == (1, 4, 0, 2, 3)


# --------------------------------------------------------------------------- the shipped verifier


def test_the_shipped_verifier_is_json_with_its_provenance():
    path = ROOT / "coverage" / "score" / "data" / "verifier.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    verifier = Verifier.from_dict(data)
    assert verifier.support.features == SUPPORT_FEATURES
    assert verifier.coverage.features == COVERAGE_FEATURES
    prov = data["provenance"]
    assert {"datasets", "date", "package_version", "script"} <= set(prov)
    assert len(prov["datasets"]) >= 4, "fitted across datasets, never on one"
    assert default_verifier() == verifier
    # Every weight pushes the way its signal means.
    w = dict(zip(verifier.support.features, verifier.support.weights, strict=True))
    positive = ("dense_z", "lexical", "lexical_z", "evidence")
    assert all(w[f] >= 0 for f in positive)
    assert all(w[f] <= 0 for f in SUPPORT_FEATURES if f not in positive)
    assert any(w[f] < 0 for f in ("contradicted", "negation", "name_absent"))
    assert not list(path.parent.glob("*.pkl")) and not list(path.parent.glob("*.pickle"))


def test_verifier_refuses_data_fitted_on_other_features():
    data = default_verifier().to_dict()
    data["support"]["features"] = ["dense_z"]
    with pytest.raises(ValueError, match="refit"):
        Verifier.from_dict(data)


# --------------------------------------------------------------------------- on real text, real model


@pytest.fixture(scope="module")
def flawed_report(minilm: Checker) -> CoverageReport:
    doc = (SAMPLE / "services_agreement.md").read_text(encoding="utf-8")
    summ = (SAMPLE / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
    return minilm.check(doc, summ)


def _sentence(report: CoverageReport, words: str):
    return next(s for s in report.summary_sentences if words in s.text)


def test_a_contradicted_figure_sinks_the_score_not_only_the_decision(flawed_report):
    s = _sentence(flawed_report, "sixty days")
    assert not s.supported and s.support < flawed_report.support_threshold
    assert s.flags[0].reason == "contradicted" and s.flags[0].text == "sixty days"
    assert "thirty (30) days" in s.flags[0].detail
    summary = (SAMPLE / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
    assert summary[s.flags[0].start : s.flags[0].end] == "sixty days"


def test_an_invented_obligation_is_unsupported_and_its_words_are_marked(flawed_report):
    s = _sentence(flawed_report, "oak saplings")
    assert not s.supported
    marked = " ".join(f.text for f in s.flags)
    assert any(w in marked for w in ("oak", "sapling", "woodland", "nature", "schoolchildren")), s.flags


def test_negating_swapping_and_renaming_lower_support(minilm: Checker):
    doc = (SAMPLE / "services_agreement.md").read_text(encoding="utf-8")
    faithful = (
        "The Provider shall refund to the Customer any fees paid in advance for any period after termination."
    )
    edits = {
        "negated": faithful.replace("shall refund", "shall not refund"),
        "swapped": (
            "The Customer shall refund to the Provider any fees paid in advance "
            "for any period after termination."
        ),
        "renamed": faithful.replace("the Customer", "Brightwater Shipping Inc."),
    }
    report = minilm.check(doc, "\n\n".join([faithful, *edits.values()]))
    base, *others = report.summary_sentences
    assert base.supported
    reasons = {}
    for (kind, _), s in zip(edits.items(), others, strict=True):
        assert s.support < base.support, (kind, s.support, base.support)
        reasons[kind] = {f.reason for f in s.flags}
    assert "negated" in reasons["negated"]
    assert "role swapped" in reasons["swapped"]
    assert "absent" in reasons["renamed"]


def test_flags_round_trip_through_json(flawed_report):
    again = CoverageReport.from_json(flawed_report.to_json())
    assert again == flawed_report
    assert any(s.flags for s in again.summary_sentences)


def test_a_report_written_before_the_verifier_still_reads_and_keeps_its_rule(flawed_report):
    data = json.loads(flawed_report.to_json())
    for s in data["summary_sentences"]:
        s.pop("flags")
        s.pop("evidence")
    del data["settings"]["verifier"]
    old = CoverageReport.from_dict(data)
    assert all(s.flags == () for s in old.summary_sentences)
    contradicted = {m.sentence for m in old.mismatches if m.status == "contradicted"}
    redone = old.with_thresholds(support_threshold=0.0)
    assert all(not redone.summary_sentences[i].supported for i in contradicted)


# --------------------------------------------------------------------------- score <=> decision


WORDS = st.sampled_from(
    [
        "the",
        "customer",
        "provider",
        "shall",
        "may",
        "not",
        "pay",
        "fee",
        "refund",
        "within",
        "thirty",
        "days",
        "notice",
        "terminate",
        "agreement",
        "Acme",
        "Brightwater",
        "never",
        "increase",
        "decrease",
        "30",
        "60",
        "甲方",
        "乙方",
        "不得",
        "支付",
        "费用",
    ]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.lists(SENTENCE, min_size=1, max_size=8),
    summ=st.lists(SENTENCE, min_size=0, max_size=5),
    threshold=st.floats(0, 1),
)
def test_supported_iff_support_reaches_the_threshold(doc, summ, threshold):
    report = Checker(HashingEncoder()).check("\n\n".join(doc), "\n\n".join(summ))
    for r in (report, report.with_thresholds(support_threshold=threshold, coverage_threshold=threshold)):
        for s in r.summary_sentences:
            assert 0.0 <= s.support <= 1.0
            assert s.supported == (s.best_passage is not None and s.support >= r.support_threshold)
            assert all(report.summary.chars >= f.end > f.start >= 0 for f in s.flags)
        for p in r.passages:
            assert p.covered == (p.score >= r.coverage_threshold)
        assert list(r.unsupported) == sorted(r.unsupported, key=lambda i: (r.summary_sentences[i].support, i))


def test_marked_sentences_keep_the_text_and_escape_it():
    from summary_coverage import SentenceResult
    from summary_coverage.report.views import marked_pieces, marked_sentence_html
    from summary_coverage.score.verifier import Flag

    text = "<b>Acme</b> pays 'x' & \"y\"."
    flag = Flag(13, 17, text[3:7], "absent", "<i>'Acme'</i> is not in the document", "name_absent", 1.0)
    s = SentenceResult(0, 10, 10 + len(text), text, 0.1, False, 0, {}, flags=(flag,))
    pieces = marked_pieces(s)
    assert "".join(t for t, _ in pieces) == text and [t for t, f in pieces if f] == ["Acme"]
    html = marked_sentence_html(s)
    assert "<b>" not in html and "<i>" not in html and "&lt;b&gt;" in html and "&lt;i&gt;" in html
    assert "title='absent: &lt;i&gt;&#x27;Acme&#x27;" in html


@pytest.mark.parametrize(
    ("summary", "clause", "marked"),
    [
        (
            "You grant the rights unnecessary to operate.",
            "You grant the rights necessary to operate.",
            "unnecessary",
        ),
        ("The licence is exclusive.", "The licence is non-exclusive.", "exclusive"),
        ("Users disagree to the terms.", "Users agree to the terms.", "disagree"),
    ],
)
def test_opposites_by_negative_prefix(summary, clause, marked):
    diff = compare(summary, clause)
    assert diff.antonym and summary[diff.span[0] : diff.span[1]] == marked


def test_a_numbered_reference_is_not_a_negation():
    assert [c.kind for c in cues('Schedule No. 1 (the "Key Personnel") and company No 09418273.')] == []
    assert [c.kind for c in cues("No refund is due.")] == ["negation"]


MEETING = (
    "Project Manager: So we agreed to adopt the scroll wheel for the remote.",
    "Marketing: The budget would cover the rubber case as well.",
    "Industrial Designer: We did not approve the solar panel, it costs too much.",
)


@pytest.mark.parametrize(
    ("sentence", "marked"),
    [
        ("The group decided it would not adopt a scroll wheel.", "not"),  # inserted, far from any one clause
    ],
)
def test_a_negation_no_evidence_sentence_shares_is_found(sentence, marked):
    flip = negated_everywhere_else(sentence, MEETING)
    assert flip is not None and sentence[flip[0] : flip[1]] == marked


@pytest.mark.parametrize(
    "sentence",
    [
        "The group adopted a scroll wheel.",
        "The solar panel was not approved because of its cost.",
        "They did not talk about the colour.",  # a word the evidence never uses: no evidence either way
        "In the end the designer approved the solar panel.",  # a negation dropped: too often an idiom
        "It is not our budget.",  # a negation reaching a word that claims nothing
        "They would not adopt anything other than the scroll wheel.",  # a limit, not the opposite
        "项目经理说团队不会采用滚轮。",  # Chinese is left to the aligned-clause check
    ],
)
def test_a_negation_the_evidence_agrees_with_is_not_flagged(sentence):
    assert negated_everywhere_else(sentence, MEETING) is None


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["not", "never", "the", "board", "approve", "adopt", "no", "did", "."]),
                min_size=1, max_size=14))  # fmt: skip
def test_a_sentence_agrees_with_itself(words):
    sentence = " ".join(words)
    assert negated_everywhere_else(sentence, (sentence,)) is None
