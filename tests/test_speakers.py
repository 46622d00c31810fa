"""Tests for summary_coverage.facts.speakers: who said it, in a meeting transcript."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summary_coverage import Checker
from summary_coverage.facts.speakers import find_turns, speaker_swap

TURNS = [
    (
        "Project Manager",
        "Okay, let's start. Today we decide the case material and the buttons of the remote.",
    ),
    (
        "Industrial Designer",
        "I looked at the materials. A rubber case would be cheap and survives being dropped.",
    ),
    ("Marketing", "Our survey says young users want a fancy look and feel, so colours matter more."),
    ("User Interface", "For the buttons, I suggest a scroll wheel instead of the usual channel buttons."),
    ("Project Manager", "Good. What about the battery?"),
    (
        "Industrial Designer",
        "A kinetic battery is too expensive for our budget of twelve euros and fifty cents.",
    ),
    ("Marketing", "Then we go with normal batteries."),
    ("User Interface", "And speech recognition would be nice but it is too costly."),
    ("Project Manager", "Fine, so normal batteries, a rubber case and a scroll wheel."),
    ("Marketing", "Agreed, and the colours should follow the company style."),
    ("Dr Industrial Designer", "I will draw the rubber case for the next meeting."),
    ("User Interface", "I will work out where the scroll wheel sits."),
]
MEETING = "\n".join(f"{who}: {said}" for who, said in TURNS)


def test_a_transcript_has_turns_with_exact_offsets_and_plain_speakers() -> None:
    turns = find_turns(MEETING)
    assert [t.speaker for t in turns] == [who.removeprefix("Dr ") for who, _ in TURNS]
    assert [MEETING[t.start : t.end].strip() for t in turns] == [said for _, said in TURNS]


def test_a_contract_with_a_notice_block_is_not_a_transcript(contract: str) -> None:
    notices = "\n".join(
        f"{k}: {v}" for k, v in [("Address", "14 Wharfside Row"), ("Email", "legal@example.com")] * 3
    )
    assert find_turns(contract + "\n\n" + notices) == ()
    assert find_turns("Note: one line.\nNote: two lines.") == ()


def test_words_given_to_the_wrong_speaker_are_found() -> None:
    swap = speaker_swap("Industrial Designer suggested a scroll wheel instead of channel buttons.", MEETING)
    assert swap is not None
    assert (swap.named, swap.said_by) == ("Industrial Designer", "User Interface")
    assert "scroll wheel" in MEETING[swap.turn.start : swap.turn.end]
    assert (
        speaker_swap("User Interface suggested a scroll wheel instead of channel buttons.", MEETING) is None
    )
    # the label's honorific does not matter
    assert (
        speaker_swap("The Industrial Designer will draw the rubber case for the next meeting.", MEETING)
        is None
    )


def test_sentences_the_rule_cannot_read_are_left_alone() -> None:
    for sentence in [
        "Project Manager asked User Interface about a scroll wheel instead of buttons.",  # two speakers
        "He said Marketing suggested a scroll wheel instead of channel buttons.",  # a pronoun
        "Marketing liked buttons.",  # too few words
        "Nobody in particular suggested a scroll wheel instead of channel buttons.",  # no speaker
    ]:
        assert speaker_swap(sentence, MEETING) is None, sentence
    assert speaker_swap("Industrial Designer suggested a scroll wheel.", "Just a paragraph.") is None


def test_the_checker_flags_the_swapped_speaker(minilm: Checker) -> None:
    summary = (
        "User Interface suggested a scroll wheel instead of channel buttons. "
        "Industrial Designer suggested a scroll wheel instead of channel buttons."
    )
    right, wrong = minilm.check(MEETING, summary).summary_sentences
    assert right.signals["name_swap"] == 0.0 and not [f for f in right.flags if f.reason == "name swapped"]
    assert wrong.signals["name_swap"] == 1.0
    flag = next(f for f in wrong.flags if f.reason == "name swapped")
    assert summary[flag.start : flag.end] == "Industrial Designer"
    assert flag.detail.startswith("User Interface says it")
    assert wrong.support < right.support


LABELS = ["Anna", "Bo Chen", "Project Manager", "Grad F", "Kirsty Williams AM"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS), st.text(alphabet="ab c?.\n:", max_size=30)), max_size=25))
def test_turns_are_in_order_inside_the_text_and_never_overlap(parts: list[tuple[str, str]]) -> None:
    text = "\n".join(f"{who}: {said}" for who, said in parts)
    turns = find_turns(text)
    assert all(0 <= t.start <= t.end <= len(text) for t in turns)
    assert all(a.end <= b.start for a, b in zip(turns, turns[1:], strict=False))
