"""The report: JSON schema 1 round trip, re-thresholding, the DataFrame view, rendering."""

from __future__ import annotations

import json

import numpy as np
import pytest

from summary_coverage import CoverageReport, InputError
from summary_coverage.report.terminal import render_text

DOC = "## 1. Rent\n\nRent is 900 euros.\n\n## 2. Pets\n\nNo dogs or cats.\n"


@pytest.fixture()
def report(hashing):
    return hashing.check(DOC, "# Summary\n- Rent is 900 euros.\n- Parking is free.")


def test_json_round_trip_is_exact(report) -> None:
    again = CoverageReport.from_json(report.to_json())
    assert again == report
    assert again.to_dict() == report.to_dict()


def test_schema_has_the_documented_fields(report) -> None:
    data = json.loads(report.to_json())
    assert data["schema_version"] == 1
    assert set(data) >= {
        "schema_version",
        "model",
        "settings",
        "versions",
        "coverage",
        "support",
        "sections",
        "passages",
        "summary_sentences",
        "uncovered",
        "unsupported",
        "warnings",
        "skipped",
    }
    assert set(data["model"]) >= {"name", "fallback", "reason", "max_seq_length", "device"}
    assert set(data["sections"][0]) >= {"index", "title", "start", "end", "coverage", "score", "passages"}
    assert set(data["passages"][0]) >= {
        "index",
        "section",
        "start",
        "end",
        "text",
        "tokens",
        "score",
        "covered",
        "best_sentence",
    }
    assert set(data["summary_sentences"][0]) >= {
        "index",
        "start",
        "end",
        "text",
        "support",
        "supported",
        "best_passage",
    }
    assert data["skipped"] == [
        {
            "start": 0,
            "end": 9,
            "text": "# Summary",
            "reason": "heading line, not a claim",
            "part": "summary",
            "page": None,
        }
    ]
    assert "matrix" not in data


def test_matrix_is_optional_in_json_and_round_trips(report) -> None:
    data = report.to_dict(include_matrix=True)
    assert np.asarray(data["matrix"]).shape == (len(report.passages), len(report.summary_sentences))
    again = CoverageReport.from_dict(data)
    np.testing.assert_allclose(again.matrix, report.matrix)


def test_other_schema_versions_are_refused(report) -> None:
    data = report.to_dict() | {"schema_version": 2}
    with pytest.raises(InputError, match="schema version 2"):
        CoverageReport.from_dict(data)


def test_with_thresholds_rescores_without_the_model(report) -> None:
    strict = report.with_thresholds(1.0, 1.0)
    assert (
        strict.settings["coverage_threshold"] == 1.0
        and strict.settings["threshold_source"] == "set by the user"
    )
    assert [p.score for p in strict.passages] == [p.score for p in report.passages]
    lenient = report.with_thresholds(0.0, 0.0)
    assert lenient.coverage == 1.0 and lenient.support == 1.0 and lenient.uncovered == ()
    assert report.with_thresholds() == report
    with pytest.raises(InputError, match="between 0 and 1"):
        report.with_thresholds(1.5)


def test_offsets_point_into_the_checked_texts(report) -> None:
    summary = "# Summary\n- Rent is 900 euros.\n- Parking is free."
    for p in report.passages:
        assert DOC[p.start : p.end] == p.text
    for s in report.summary_sentences:
        assert summary[s.start : s.end] == s.text
    for sec in report.sections:
        assert DOC[sec.start : sec.end].startswith("## ")


def test_dataframe_has_one_row_per_passage(report) -> None:
    df = report.to_dataframe()
    assert len(df) == len(report.passages)
    assert list(df["section_title"]) == [report.sections[p.section].title for p in report.passages]
    assert df["covered"].dtype == bool


def test_text_rendering_lists_sections_uncovered_and_unsupported(report) -> None:
    text = render_text(report)
    assert "1. Rent" in text and "2. Pets" in text
    assert "No dogs or cats." in text.split("Uncovered passages")[1]
    unsupported = text.split("Unsupported summary sentences")[1]
    assert "«Parking» is free." in unsupported  # the word with no support is marked
    assert "absent: 'Parking' does not occur in the document" in unsupported
