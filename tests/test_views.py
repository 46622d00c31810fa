"""Presentation builders: heatmap data and figure, tables, section detail, escaping, HTML report."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest

from summary_coverage import InputError
from summary_coverage.app.figures import section_heatmap
from summary_coverage.report.escape import clip, escape_markdown, hover_text
from summary_coverage.report.html_report import color, render_html
from summary_coverage.report.views import (
    heatmap_data,
    passages_csv,
    section_detail,
    section_labels,
    section_rows,
    uncovered_rows,
    unsupported_rows,
)

DOC = """## 1. Rent

Rent is 900 euros each month.

The tenant pays rent by bank transfer.

## 2. Pets

No dogs or cats. <script>alert('x')</script> [link](javascript:alert(1)) ![img](http://evil/x.png)

## 2. Pets

A second section with the same title.
"""
SUMMARY = "- Rent is 900 euros each month.\n- Parking is free <b>always</b>."


@pytest.fixture()
def report(hashing):
    return hashing.check(DOC, SUMMARY)


def test_heatmap_cells_are_the_best_passage_per_section(report) -> None:
    d = heatmap_data(report)
    assert d.z.shape == (len(report.sections), 2)
    matrix = np.asarray(report.matrix)
    for sec in report.sections:
        rows = list(sec.passages)
        np.testing.assert_allclose(d.z[sec.index], matrix[rows].max(axis=0))
        for col in range(2):
            assert matrix[d.best_passage[sec.index, col], col] == pytest.approx(d.z[sec.index, col])
    assert d.sentence_labels == ("S1", "S2")
    assert d.coverage == tuple(s.coverage for s in report.sections)


def test_section_labels_are_unique(report) -> None:
    labels = section_labels(report)
    assert labels == ("1. Rent", "2. Pets (#1)", "2. Pets (#2)")


def test_heatmap_needs_the_matrix(report) -> None:
    from summary_coverage import CoverageReport

    with pytest.raises(InputError, match="no similarity matrix"):
        heatmap_data(CoverageReport.from_dict(report.to_dict()))


def test_figure_has_heatmap_and_coverage_bar_on_a_fixed_scale(report) -> None:
    fig = section_heatmap(report)
    heat, bar = fig.data
    assert heat.type == "heatmap" and (heat.zmin, heat.zmax) == (0.0, 1.0)
    assert list(heat.y) == list(section_labels(report)) and list(heat.x) == ["S1", "S2"]
    assert bar.type == "bar" and list(bar.x) == [s.coverage for s in report.sections]
    hover = " ".join(str(c) for row in heat.customdata for cell in row for c in cell)
    assert "&lt;script&gt;" in hover and "<script>" not in hover
    assert "&lt;b&gt;always&lt;/b&gt;" in hover


def test_figure_for_an_empty_summary_is_the_bar_alone(hashing) -> None:
    fig = section_heatmap(hashing.check(DOC, ""))
    assert [t.type for t in fig.data] == ["bar"]


def test_tables_follow_the_report_order(report) -> None:
    rows = uncovered_rows(report)
    assert [r["start"] for r in rows] == [report.passages[i].start for i in report.uncovered]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    unsupported = unsupported_rows(report)
    assert [r["text"] for r in unsupported] == ["Parking is free <b>always</b>."]
    assert unsupported[0]["evidence"] and unsupported[0]["evidence_section"]
    secs = section_rows(report)
    assert [r["section"] for r in secs] == list(section_labels(report))
    assert sum(r["uncovered"] for r in secs) == len(report.uncovered)


def test_section_detail_for_a_section_and_for_a_cell(report) -> None:
    whole = section_detail(report, 0)
    assert whole.title == "1. Rent" and len(whole.passages) == 2 and whole.focus_passage is None
    assert [s.index for s in whole.sentences] == sorted({p.best_sentence for p in whole.passages})
    cell = section_detail(report, 0, 1)
    assert [s.index for s in cell.sentences] == [1] and cell.focus_passage in {p.index for p in cell.passages}
    with pytest.raises(InputError, match="no section 9"):
        section_detail(report, 9)
    with pytest.raises(InputError, match="no summary sentence 5"):
        section_detail(report, 0, 5)


def test_passages_csv_round_trips(report) -> None:
    rows = list(csv.DictReader(io.StringIO(passages_csv(report))))
    assert len(rows) == len(report.passages)
    assert [r["text"] for r in rows] == [p.text for p in report.passages]


def test_escape_markdown_neutralises_links_images_and_html() -> None:
    text = "[click](javascript:alert(1)) ![x](http://evil/p.png) <img src=x> **bold** :red[x]"
    escaped = escape_markdown(text)
    assert re.search(r"(?<!\\)[\[\]()<>*:!]", escaped) is None, "every Markdown/HTML character is escaped"
    assert re.sub(r"\\(.)", r"\1", escaped) == text


def test_hover_text_and_clip() -> None:
    assert clip("a  b\nc", 10) == "a b c"
    assert clip("x" * 20, 5) == "xxxx…"
    assert hover_text("<b>" + "word " * 40, limit=60, width=20).count("<br>") >= 2
    assert "<b>" not in hover_text("<b>hi</b>")


def test_html_report_is_standalone_and_escaped(report) -> None:
    page = render_html(report, title="Lease <check>")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page and "Lease &lt;check&gt;" in page
    assert not re.search(r"(src|href)\s*=", page), "self-contained: no external resources"
    assert "1. Rent" in page and "Parking is free &lt;b&gt;always&lt;/b&gt;." in page
    heatmap = page.split("<table class='hm'>")[1].split("</table>")[0]
    assert heatmap.count("<tr><th>") == 1 + len(report.sections)  # header + one row per section


def test_colour_scale_endpoints() -> None:
    assert (
        color(0.0) == "rgb(165,0,38)" and color(1.0) == "rgb(0,104,55)" and color(0.5) == "rgb(255,255,191)"
    )
    assert color(-1) == color(0.0) and color(2) == color(1.0)
