"""Facts: numbers, dates, amounts and durations in a summary, and their check against the aligned clause."""

from __future__ import annotations

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
    "agrees",
    "check_sentence",
    "conflicts",
    "extract_facts",
]
