"""Parties exchanged: a sentence that restates a clause with two parties in each other's places."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summary_coverage import Checker
from summary_coverage.facts.party_exchange import parties_exchanged

CLAUSE = (
    "Distributor may, no later than 120 days after a Product is sold, return to Vendor, at "
    "Distributor's expense, any Product received by Distributor from Vendor."
)


def test_two_parties_in_each_others_places_are_found_and_marked():
    swapped = (
        "Vendor may, no later than 120 days after a Product is sold, return to Distributor, at "
        "Vendor's expense, any Product received by Vendor from Distributor."
    )
    found = parties_exchanged(swapped, CLAUSE)
    assert found is not None and (found.start, found.end, found.text) == (0, 6, "Vendor")
    # Reworded as well: "buy" for "purchase", "contract" for "Agreement".
    found = parties_exchanged(
        "Vendor will buy the Products from Distributor under Sections 5 and 6 of this contract.",
        "Distributor will purchase the Products from Vendor in accordance with Sections 5 and 6 of this "
        "Agreement.",
    )
    assert found is not None and found.text == "Vendor"
    # Names, acronyms and lower-case role words are parties alike.
    assert parties_exchanged(
        "DD agrees to provide a summary of the adjustment items to MBRK.",
        "MBRK agrees to provide a summary of any adjustment items to DD.",
    )
    assert parties_exchanged(
        "The sponsor grants ANTHEMIC a licence to use the sponsor's name and logo in promoting the Event.",
        "ANTHEMIC grants the Sponsor a license to use ANTHEMIC's name, logo and other identifying marks in "
        "promoting the Event.",
    )


def test_faithful_restatements_and_unordered_pairs_are_left_alone():
    # The same parties in the same places, reworded.
    assert (
        parties_exchanged(
            "Distributor may return to Vendor, at its own expense, any Product it received from Vendor "
            "within 120 days after a Product is sold.",
            CLAUSE,
        )
        is None
    )
    # Coordinated parties: the order means nothing.
    assert (
        parties_exchanged(
            "This Agreement is between Beta Ltd and Acme Corp.", "Between Acme Corp and Beta Ltd."
        )
        is None
    )
    assert (
        parties_exchanged(
            "Information supplied by the Agent or the Company is covered.",
            "Information supplied by the Company or the Agent is covered.",
        )
        is None
    )
    # A name and the longer name that contains it are one party.
    assert (
        parties_exchanged(
            "The goodwill of Franchisee, Pretzel Time, Inc. or its System may be affected.",
            "The goodwill of Franchisee, Pretzel Time or its System may be affected.",
        )
        is None
    )
    # One party in common is not enough to speak of an exchange.
    assert parties_exchanged("Acme shall pay the fees to Beta.", "Gamma shall pay the fees to Beta.") is None


def test_a_sentence_about_another_clause_is_not_compared():
    # Both parties in both texts, but the sentence does not restate the clause (less than half aligns).
    assert (
        parties_exchanged(
            "Vendor shall maintain product liability insurance naming Distributor as an additional insured.",
            CLAUSE,
        )
        is None
    )


_PARTIES = st.sampled_from(["Acme", "Beta Ltd", "the Licensor", "the Licensee", "MBRK", "Vendor"])
_WORDS = st.sampled_from(
    ["shall", "pay", "to", "from", "the", "fees", "deliver", "goods", "within", "30", "days"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PARTIES, _WORDS), min_size=2, max_size=30))
def test_a_text_never_exchanges_parties_with_itself(words):
    text = " ".join(words) + "."
    assert parties_exchanged(text, text) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORDS, min_size=3, max_size=12), st.lists(_WORDS, min_size=1, max_size=6))
def test_exchanging_the_actor_and_the_recipient_is_always_found(middle, tail):
    clause = "Acme " + " ".join(middle) + " to Beta Ltd " + " ".join(tail) + "."
    swapped = "Beta Ltd " + " ".join(middle) + " to Acme " + " ".join(tail) + "."
    found = parties_exchanged(swapped, clause)
    assert found is not None and found.start == 0


def test_the_checker_flags_the_exchange_on_the_party_it_moved():
    document = (
        "DISTRIBUTION AGREEMENT\n\n"
        "1. Appointment. Vendor appoints Distributor as its exclusive distributor of the Products in the "
        "Territory for a term of three years.\n\n"
        "2. Returns. Distributor may, no later than 120 days after a Product is sold, return to Vendor, at "
        "Distributor's expense, any Product received by Distributor from Vendor which Distributor believes "
        "to be defective.\n\n"
        "3. Payment. Distributor shall pay each invoice of Vendor within thirty days of its date.\n"
    )
    swapped = (
        "Vendor may, within 120 days after a Product is sold, return to Distributor, at Vendor's expense, "
        "any Product received by Vendor from Distributor which Vendor believes to be defective."
    )
    faithful = (
        "Distributor may, within 120 days after a Product is sold, return to Vendor, at Distributor's "
        "expense, any Product received by Distributor from Vendor which Distributor believes to be defective."
    )
    checker = Checker("bundled", device="cpu", dtype="float32")
    (sentence,) = checker.check(document, swapped).summary_sentences
    flags = [f for f in sentence.flags if f.signal == "role_swap"]
    assert flags, sentence.flags
    assert swapped[flags[0].start : flags[0].end] == "Vendor"
    assert "the parties are the other way round" in flags[0].detail
    (right,) = checker.check(document, faithful).summary_sentences
    assert not [f for f in right.flags if f.signal == "role_swap"]
    # The flag lowers the score (the support judge, which never learned swaps, still reads it as
    # entailed, so the sentence may stay above the threshold: README, "Parties exchanged").
    assert sentence.support < right.support - 0.2
