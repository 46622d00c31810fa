"""The dashboard's page model: built once per report and thresholds, every user text escaped."""

from __future__ import annotations

import dataclasses

import pytest

from summary_coverage import CoverageReport
from summary_coverage.app.report_page import build_report_page, memo_one, page_key
from summary_coverage.report.review import Review

DOC = """## 1. Rent

Rent is 900 euros each month, paid by <b>bank</b> transfer.

The tenant pays a deposit of 2,000 euros before moving in.

## 2. Pets *and* plants

No dogs or cats. <script>alert('x')</script> [link](javascript:alert(1)) ![img](http://evil/x.png)

## 3. Noise

Quiet hours run from 22:00 to 07:00 every day.
"""
SUMMARY = (
    "- Rent is 900 euros each month.\n- The deposit is 3,000 euros.\n"
    "- Parking is free <b>always</b> [here](javascript:x)."
)


@pytest.fixture()
def report(hashing) -> CoverageReport:
    return hashing.check(DOC, SUMMARY)


def test_the_page_holds_what_the_report_says(report) -> None:
    page = build_report_page(report)
    assert page.labels == ("1. Rent", "2. Pets *and* plants", "3. Noise")
    heat, bar = page.figure.data
    assert heat.type == "heatmap" and bar.type == "bar"
    assert len(page.uncovered) == len(report.uncovered)
    assert len(page.top_uncovered) == min(3, len(report.uncovered))
    assert [c.heading.split("**")[1] for c in page.unsupported] == [f"S{i + 1}" for i in report.unsupported]
    assert len(page.facts) == len(report.mismatches)
    assert [r["section"] for r in page.sections] == list(page.labels)


def test_every_user_text_on_the_page_is_escaped(report) -> None:
    page = build_report_page(report)
    markdown = "\n".join(
        [*page.top_uncovered, *page.facts, *page.warnings]
        + [t for c in page.unsupported for t in (c.heading, c.reasons, c.evidence_intro, c.evidence)]
    )
    html = "\n".join(c.sentence_html for c in page.unsupported)
    assert "<script>" not in markdown and "<b>" not in markdown and "](javascript" not in markdown
    assert "<b>" not in html and "&lt;b&gt;" in html  # the flagged sentence, as text
    assert any("\\<b\\>bank\\</b\\>" in c.evidence for c in page.unsupported)  # document text, escaped
    assert any("3,000 euros" in line and "2,000 euros" in line for line in page.facts)


def test_a_saved_report_without_its_matrix_has_no_figure(report) -> None:
    saved = CoverageReport.from_dict(report.to_dict())
    assert saved.matrix is None and build_report_page(saved).figure is None
    assert page_key(saved) != page_key(report)


def test_the_key_follows_thresholds_and_names_not_the_review(report) -> None:
    key = page_key(report)
    assert page_key(dataclasses.replace(report)) == key
    assert page_key(dataclasses.replace(report, review=Review().decide("passage:0", "dismissed"))) == key
    assert page_key(report.with_thresholds(0.9, report.support_threshold)) != key
    assert page_key(report.with_thresholds(report.coverage_threshold, 0.1)) != key
    renamed = dataclasses.replace(report, document=dataclasses.replace(report.document, source="b.md"))
    assert page_key(renamed) != key


def test_memo_builds_once_per_key_and_keeps_one_entry() -> None:
    store: dict[str, object] = {}
    built: list[str] = []

    def build(value: str) -> str:
        built.append(value)
        return value.upper()

    assert memo_one(store, "page", 1, lambda: build("a")) == "A"
    assert memo_one(store, "page", 1, lambda: build("b")) == "A"  # same key: not rebuilt
    assert memo_one(store, "page", 2, lambda: build("c")) == "C"
    assert memo_one(store, "page", 1, lambda: build("d")) == "D"  # one entry per name
    assert memo_one(store, "view", 1, lambda: build("e")) == "E"  # names are apart
    assert built == ["a", "c", "d", "e"] and set(store) == {"page", "view"}
