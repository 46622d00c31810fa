"""The rules that make the support judge's contract training pairs, on contract text written here."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]


def _load():
    # Loaded from its file: putting the repository root on sys.path would shadow coverage.py.
    spec = importlib.util.spec_from_file_location("contract_edits", ROOT / "training" / "contract_edits.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["contract_edits"] = module
    spec.loader.exec_module(module)
    return module


ce = _load()

CLAUSES = [
    "The Supplier shall deliver the Products within thirty (30) days of each Purchase Order.",
    "The Distributor shall not sell the Products outside the Territory without the Supplier's consent.",
    "This Agreement shall be governed by the laws of the State of Delaware.",
    "The Licensee may terminate this Agreement upon ninety (90) days' written notice to the Licensor.",
    "Licensor grants Licensee a non-exclusive, non-transferable license to use the Software.",
    "The Customer shall pay all undisputed invoices within 45 days, except as provided in Section 7.",
]
DOCUMENT = (
    "Acme Corp., a Nevada corporation, with offices in Austin, Texas, and Borealis Ltd., a company organised "
    "in Ontario. " + " ".join(CLAUSES)
)
PARTIES = ["Supplier", "Distributor", "Licensee", "Licensor", "Customer"]


@pytest.mark.parametrize("rule", ce.CONTRADICTION_RULES)
def test_each_rule_changes_some_clause_into_a_contradiction(rule: str) -> None:
    rng = random.Random(3)
    made = [ce.contradiction(c, parties=PARTIES, document=DOCUMENT, rng=rng, rule=rule) for c in CLAUSES]
    made = [m for m in made if m is not None]
    assert made, rule
    for m in made:
        assert m.label == ce.CONTRADICTION
        assert m.text not in CLAUSES


def test_governing_law_moves_to_a_place_the_contract_names_elsewhere() -> None:
    rng = random.Random(1)
    c = ce.move_place(CLAUSES[2], DOCUMENT, rng)
    assert c is not None and c.kind == "place_named"
    moved = c.text.replace("This Agreement shall be governed by the laws of the State of ", "").rstrip(".")
    assert moved in ("Nevada", "Texas", "Ontario") and moved in DOCUMENT


def test_polarity_flip_and_party_swap_read_as_intended() -> None:
    rng = random.Random(0)
    flipped = {ce.flip_polarity(CLAUSES[1], rng).text for _ in range(20)}  # type: ignore[union-attr]
    assert any("shall sell" in t or "may sell" in t for t in flipped)
    swapped = ce.swap_parties(CLAUSES[3], PARTIES, rng)
    assert swapped is not None
    assert swapped.text.startswith("The Licensor may terminate") and swapped.text.endswith("to the Licensee.")


def test_dropping_the_exception_makes_an_absolute_claim() -> None:
    c = ce.drop_exception(CLAUSES[5], random.Random(0))
    assert c is not None and "except" not in c.text and "45 days" in c.text


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**6), i=st.integers(min_value=0, max_value=len(CLAUSES) - 1))
def test_paraphrases_keep_every_figure_and_polarity(seed: int, i: int) -> None:
    """A faithful rewording never drops a number, a negation or a modal's strength."""
    clause = CLAUSES[i]
    out = ce.paraphrase(clause, random.Random(seed), strength=4)
    for figure in ("30", "90", "45", "7"):
        if figure in clause:
            assert figure in out
    assert ("not" in clause) == ("not" in out)
    assert ("may" in clause.split()) <= ("may" in out.split())


def test_an_exception_to_a_prohibition_grants_a_permission_and_lifting_it_contradicts() -> None:
    granted, lifted = ce.grant_exception(  # type: ignore[misc]
        "The Recipient shall not disclose the Confidential Information to any third party except to its "
        "employees who need to know it."
    )
    assert (granted.label, lifted.label) == (ce.ENTAILMENT, ce.CONTRADICTION)
    assert (
        granted.text
        == "The Recipient may disclose the Confidential Information to its employees who need to know it."
    )
    assert lifted.text == "The Recipient may disclose the Confidential Information to any third party."
    # "other than" carries the prohibition's preposition over; a consent becomes "with" it
    purpose = ce.grant_exception(
        "Licensee shall not use the Software for any purpose other than its internal business."
    )
    assert (
        purpose is not None and purpose[0].text == "Licensee may use the Software for its internal business."
    )
    consent = ce.grant_exception(
        "The Distributor shall not assign this Agreement without the prior written consent of the Supplier."
    )
    assert consent is not None
    assert (
        consent[0].text
        == "The Distributor may assign this Agreement with the prior written consent of the Supplier."
    )
    assert consent[1].text == "The Distributor may assign this Agreement without anyone's consent."
    # no named scope to lift, or a compound clause with another modal first: no pair
    assert ce.grant_exception("The Distributor shall not sell the Products except in the Territory.") is None
    assert (
        ce.grant_exception(
            "Each Party shall keep it confidential and shall not disclose it to any third party except to "
            "its advisers."
        )
        is None
    )


def test_recipe_3_reads_a_restriction_as_the_permission_it_equals() -> None:
    clause = "The Recipient shall use the Confidential Information solely for the Purpose."
    # recipe 2's flips may weaken it to "may use ... solely", labelled a contradiction; recipe 3 never does
    old = {ce.flip_polarity(clause, random.Random(i)).text for i in range(40)}  # type: ignore[union-attr]
    assert "The Recipient may use the Confidential Information solely for the Purpose." in old
    new = {
        c.text
        for i in range(40)
        if (c := ce.flip_polarity(clause, random.Random(i), restrictions=True)) is not None
    }
    assert new and not any("may use" in t for t in new)
    assert "The Recipient shall not use the Confidential Information solely for the Purpose." in new
    # and the faithful rewording says it the way a summary does
    worded = {
        ce.paraphrase(clause, random.Random(i), strength=8, extra=ce.PLAIN_RESTRICTIONS) for i in range(40)
    }
    assert any("may use" in t and "only" in t for t in worded), worded
    assert all(
        "may use" not in t for t in (ce.paraphrase(clause, random.Random(i), strength=8) for i in range(40))
    )
