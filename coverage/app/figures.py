"""The per-section coverage heatmap (plotly), beside a bar of each section's coverage.

Rows are sections, titled with their headings; columns are summary
sentences. A cell holds the best score between any passage of the section
and the sentence, on a fixed 0-1 colour scale, so colours mean the same in
every report. Hover labels show the sentence and the passage behind the
cell, escaped (user text is never rendered as HTML).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..report.escape import hover_text
from ..report.language import say
from ..report.results import CoverageReport
from ..report.views import HeatmapData, heatmap_data

if TYPE_CHECKING:
    import plotly.graph_objects as go

COLORSCALE = "RdYlGn"
"""Red = the summary says nothing like it, green = closely matched; fixed at [0, 1]."""


def section_heatmap(report: CoverageReport, data: HeatmapData | None = None, lang: str = "en") -> go.Figure:
    """Build the heatmap + coverage bar figure for a report.

    Args:
        report: A report that carries its similarity matrix.
        data: Precomputed :func:`~summary_coverage.report.views.heatmap_data`.
        lang: The language of the axis titles and hover texts (``"en"`` or ``"zh"``).

    Returns:
        A plotly figure: trace 0 is the heatmap (absent for an empty
        summary), the last trace is the coverage bar.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    d = data or heatmap_data(report)
    n_sec, n_sent = d.z.shape
    with_cells = n_sent > 0
    fig = make_subplots(
        rows=1,
        cols=2 if with_cells else 1,
        shared_yaxes=True,
        column_widths=[0.8, 0.2] if with_cells else None,
        horizontal_spacing=0.015,
    )
    if with_cells:
        sentence_hover = [hover_text(s.text, limit=240) for s in report.summary_sentences]
        passage_hover = {p.index: hover_text(p.text, limit=360) for p in report.passages}
        custom = np.empty((n_sec, n_sent, 2), dtype=object)
        for r in range(n_sec):
            for c in range(n_sent):
                idx = int(d.best_passage[r, c])
                custom[r, c, 0] = passage_hover.get(idx, say(lang, "(no passages)"))
                custom[r, c, 1] = sentence_hover[c]
        fig.add_trace(
            go.Heatmap(
                z=d.z,
                x=list(d.sentence_labels),
                y=list(d.section_labels),
                zmin=0.0,
                zmax=1.0,
                colorscale=COLORSCALE,
                customdata=custom,
                colorbar={"title": {"text": say(lang, "score")}, "x": 1.02, "len": 0.8},
                hovertemplate=say(  # a plotly template: said without values, so never formatted
                    lang,
                    "<b>%{y}</b> · %{x} · score %{z:.2f}<br><br><b>Summary sentence</b><br>"
                    "%{customdata[1]}<br><br><b>Best passage in this section</b><br>%{customdata[0]}"
                    "<extra></extra>",
                ),
                name="heatmap",
                xgap=1,
                ygap=1,
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Bar(
            x=list(d.coverage),
            y=list(d.section_labels),
            orientation="h",
            marker={"color": list(d.coverage), "colorscale": COLORSCALE, "cmin": 0.0, "cmax": 1.0},
            hovertemplate=say(lang, "<b>%{y}</b><br>%{x:.0%} of its tokens covered<extra></extra>"),
            name="coverage",
            showlegend=False,
        ),
        row=1,
        col=2 if with_cells else 1,
    )
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    fig.update_xaxes(range=[0, 1], tickformat=".0%", row=1, col=2 if with_cells else 1)
    if with_cells:
        fig.update_xaxes(side="top", tickangle=0, title_text=say(lang, "summary sentence"), row=1, col=1)
    fig.update_xaxes(side="top", title_text=say(lang, "section coverage"), row=1, col=2 if with_cells else 1)
    fig.update_layout(
        height=max(360, 26 * n_sec + 140),
        margin={"l": 10, "r": 10, "t": 70, "b": 20},
        clickmode="event+select",
        dragmode=False,
    )
    return fig
