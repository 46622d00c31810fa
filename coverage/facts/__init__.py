"""Facts: numbers, dates, amounts and durations in a summary, and their check against the aligned clause."""

from __future__ import annotations
