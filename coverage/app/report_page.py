"""What the dashboard draws for one report, built once and kept while it does not change.

A Streamlit page reruns top to bottom on every click. Rebuilding the
heatmap figure, the tables and the escaped texts of an unchanged report on
each rerun is wasted work (the heatmap alone took about 60 ms on the
sample contract). :func:`build_report_page` makes everything that depends
only on the report (and its thresholds) in one go; :func:`page_key` says
when that is stale; :func:`memo_one` keeps one built value per name in a
session's state until its key changes.

Example:
    >>> page = memo_one(st.session_state, "report_page", page_key(report),
    ...                 lambda: build_report_page(report))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ..report.escape import escape_markdown
from ..report.language import say, term
from ..report.results import CoverageReport
from ..report.views import (
    marked_sentence_html,
    mismatch_rows,
    section_labels,
    section_rows,
    uncovered_rows,
    unsupported_rows,
    where,
)
from .figures import section_heatmap

T = TypeVar("T")

TOP_UNCOVERED = 3
"""Uncovered passages written out in full above the table."""


@dataclass(frozen=True, slots=True)
class UnsupportedCard:
    """One unsupported summary sentence as the dashboard shows it; every text escaped.

    Attributes:
        heading: Markdown, e.g. ``"**S3** · support 0.21"``.
        sentence_html: The sentence as HTML, flagged words marked.
        reasons: Markdown line of the flags' reasons ("" when none).
        evidence_intro: Markdown caption naming the evidence's section ("" when none).
        evidence: The closest evidence passage, as Markdown ("" when none).
        judge: The support judge's reading, as Markdown ("" when none).
        contradiction_intro: Markdown caption naming the contradicting passage's section ("" when none).
        contradiction: The passage text the judge reads as stating the opposite, as Markdown ("" when none).
    """

    heading: str
    sentence_html: str
    reasons: str
    evidence_intro: str
    evidence: str
    judge: str = ""
    contradiction_intro: str = ""
    contradiction: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class ReportPage:
    """The report's figure, tables and escaped texts, for one pair of thresholds.

    Attributes:
        labels: Unique section labels (heatmap rows, section picker).
        figure: The heatmap + coverage-bar figure, or ``None`` when the
            report holds no similarity matrix (a JSON saved without it).
        warnings: The report's warnings as Markdown, the bundled-model
            notice left out (the page shows it on its own).
        top_uncovered: The first uncovered passages as Markdown paragraphs.
        uncovered: Rows of the uncovered-passages table, ranked.
        unsupported: One card per unsupported sentence, weakest first.
        facts: One Markdown line per contradicted or missing fact.
        sections: Rows of the all-sections table.
    """

    labels: tuple[str, ...]
    figure: Any
    warnings: tuple[str, ...]
    top_uncovered: tuple[str, ...]
    uncovered: list[dict[str, Any]]
    unsupported: tuple[UnsupportedCard, ...]
    facts: tuple[str, ...]
    sections: list[dict[str, Any]]


def page_key(report: CoverageReport) -> Hashable:
    """What a :class:`ReportPage` depends on: the texts, their names, the model, settings, thresholds.

    Two reports with the same key draw the same page. The review is not
    part of it: the review desk reads the review itself.
    """
    return (
        report.document.sha256,
        report.summary.sha256,
        report.document.source,
        report.summary.source,
        report.model.name,
        report.model.dtype,
        json.dumps(report.settings, sort_keys=True, default=str),
        report.coverage_threshold,
        report.support_threshold,
        report.matrix is not None,
    )


def build_report_page(report: CoverageReport, lang: str = "en") -> ReportPage:
    """Build everything the dashboard draws for ``report`` that does not depend on UI state.

    ``lang`` is the language of the fixed texts (``"en"`` or ``"zh"``, :mod:`..report.language`).
    """
    rows = uncovered_rows(report)
    top = tuple(
        f"{row['rank']}. **{escape_markdown(row['section'])}** · "
        + say(lang, "score {score}", score=f"{row['score']:.2f}")
        + f" · {where(row['page'], row['start'], row['end'], lang)}  \n{escape_markdown(row['text'])}"
        for row in rows[:TOP_UNCOVERED]
    )
    cards = []
    for row in unsupported_rows(report, lang):
        sentence = report.summary_sentences[int(row["sentence"][1:]) - 1]
        cards.append(
            UnsupportedCard(
                heading=f"**{row['sentence']}** · "
                + say(lang, "support {support}", support=f"{row['support']:.2f}"),
                sentence_html=marked_sentence_html(sentence, lang),
                reasons=escape_markdown(row["reasons"]) if row["reasons"] else "",
                evidence_intro=(
                    say(
                        lang,
                        "Closest evidence, in {section}:",
                        section=escape_markdown(row["evidence_section"]),
                    )
                    if row["evidence"]
                    else ""
                ),
                evidence=escape_markdown(row["evidence"]) if row["evidence"] else "",
                judge=say(lang, "Judge: {text}", text=escape_markdown(row["judge"])) if row["judge"] else "",
                contradiction_intro=(
                    say(
                        lang,
                        "Contradicted by, in {section}:",
                        section=escape_markdown(row["contradiction_section"]),
                    )
                    if row["contradiction"]
                    else ""
                ),
                contradiction=escape_markdown(row["contradiction"]) if row["contradiction"] else "",
            )
        )
    facts = []
    for row in mismatch_rows(report):
        status = (
            say(lang, ":red[**contradicted**]")
            if row["status"] == "contradicted"
            else say(lang, ":orange[not found]")
        )
        says = (
            say(lang, " · document: **{text}**", text=escape_markdown(row["document_says"]))
            if row["document_says"]
            else ""
        )
        facts.append(
            f"{row['sentence']} · {status} · {term(lang, row['kind'])} · "
            + say(lang, "summary: **{text}**", text=escape_markdown(row["summary_says"]))
            + f"{says}  \n{escape_markdown(row['sentence_text'])}"
        )
    return ReportPage(
        labels=section_labels(report),
        figure=None if report.matrix is None else section_heatmap(report, lang=lang),
        warnings=tuple(
            escape_markdown(w) for w in report.warnings if not w.startswith("Scored with the bundled")
        ),
        top_uncovered=top,
        uncovered=rows,
        unsupported=tuple(cards),
        facts=tuple(facts),
        sections=section_rows(report),
    )


def memo_one(store: MutableMapping[str, Any], name: str, key: Hashable, build: Callable[[], T]) -> T:
    """The value ``build`` made for ``key``, kept in ``store[name]`` until a call brings another key.

    One entry per name: moving a threshold and back builds twice, but a
    session never holds more than one page (or document view) per name.

    Args:
        store: Where to keep it (a session's ``st.session_state``; any mapping in tests).
        name: The entry's name in ``store``.
        key: What the value depends on; compared with ``==``.
        build: Makes the value; called only when ``key`` changed.
    """
    entry = store.get(name)
    if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == key):
        entry = (key, build())
        store[name] = entry
    return entry[1]


__all__ = ["ReportPage", "UnsupportedCard", "build_report_page", "memo_one", "page_key"]
