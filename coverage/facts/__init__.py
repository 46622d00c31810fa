"""Facts: numbers, dates, amounts, durations and places in a summary, checked against the aligned clause."""

from __future__ import annotations

from .places import Place, find_places, place_within, places_agree
from .quantities import (
    Fact,
    FactKind,
    Mismatch,
    MismatchStatus,
    agrees,
    check_sentence,
    conflicts,
    extract_facts,
)

__all__ = [
    "Fact",
    "FactKind",
    "Mismatch",
    "MismatchStatus",
    "Place",
    "agrees",
    "check_sentence",
    "conflicts",
    "extract_facts",
    "find_places",
    "place_within",
    "places_agree",
]
