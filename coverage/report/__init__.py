"""Reports: what a check found, in every form a user reads it.

The frozen report dataclasses and their JSON schema, terminal rendering,
the self-contained HTML report, and the views (tables, heatmap data) that
every front end builds from a report.
"""

from __future__ import annotations

from .results import (
    SCHEMA_VERSION,
    Accounting,
    CoverageReport,
    PassageResult,
    SectionResult,
    SentenceResult,
    SkippedText,
    TextInfo,
)

__all__ = [
    "SCHEMA_VERSION",
    "Accounting",
    "CoverageReport",
    "PassageResult",
    "SectionResult",
    "SentenceResult",
    "SkippedText",
    "TextInfo",
]
