"""Presentation data derived from a report: heatmap cells, tables, section detail, CSV.

Everything here is plain Python and numpy, so the dashboard and the HTML
report share it and tests check it without Streamlit or plotly.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ..score.signals import section_matrix
from ..score.verifier import Flag
from .escape import escape_html
from .language import say, term
from .results import CoverageReport, PassageResult, SentenceResult


@dataclass(frozen=True, slots=True)
class HeatmapData:
    """Per-section, per-summary-sentence best scores, ready to draw.

    Attributes:
        z: Array (sections, sentences): the best fused score between any
            passage of the section and the sentence, in [0, 1].
        best_passage: Array (sections, sentences) of the passage index
            behind each cell, -1 for a section without passages.
        section_labels: One unique label per section (its title).
        sentence_labels: ``"S1"``, ``"S2"``, ... one per summary sentence.
        coverage: Each section's coverage, for the bar beside the heatmap.
    """

    z: np.ndarray
    best_passage: np.ndarray
    section_labels: tuple[str, ...]
    sentence_labels: tuple[str, ...]
    coverage: tuple[float, ...]


def where(page: int | None, start: int, end: int, lang: str = "en") -> str:
    """Where a passage is, for people: ``"page 3, characters 120–180"`` (no page for texts without pages)."""
    chars = say(lang, "characters {a}–{b}", a=start, b=end)
    return chars if page is None else say(lang, "page {page}, {chars}", page=page, chars=chars)


def section_labels(report: CoverageReport) -> tuple[str, ...]:
    """Section titles, made unique by appending ``(#index)`` to repeated ones."""
    seen: dict[str, int] = {}
    for s in report.sections:
        seen[s.title] = seen.get(s.title, 0) + 1
    return tuple(f"{s.title} (#{s.index})" if seen[s.title] > 1 else s.title for s in report.sections)


def heatmap_data(report: CoverageReport) -> HeatmapData:
    """Compute the section x sentence heatmap from the report's similarity matrix.

    Raises:
        InputError: The report carries no matrix (it was loaded from JSON
            written without ``include_matrix=True``).
    """
    if report.matrix is None:
        raise InputError("This report has no similarity matrix; save it with include_matrix=True.")
    matrix = np.asarray(report.matrix, dtype=np.float64)
    n_sec, n_sent = len(report.sections), len(report.summary_sentences)
    p_sec = np.array([p.section for p in report.passages], dtype=np.int64)
    z = section_matrix(matrix, p_sec, n_sec) if n_sent else np.zeros((n_sec, 0))
    best = np.full((n_sec, n_sent), -1, dtype=np.int64)
    for sec in report.sections:
        rows = list(sec.passages)
        if rows and n_sent:
            best[sec.index] = np.asarray(rows)[matrix[rows].argmax(axis=0)]
    return HeatmapData(
        z=z,
        best_passage=best,
        section_labels=section_labels(report),
        sentence_labels=tuple(f"S{i + 1}" for i in range(n_sent)),
        coverage=tuple(s.coverage for s in report.sections),
    )


def uncovered_rows(report: CoverageReport) -> list[dict[str, Any]]:
    """Uncovered passages, most important first: section, score, position, text."""
    titles = section_labels(report)
    return [
        {
            "rank": rank + 1,
            "section": titles[p.section],
            "score": round(p.score, 3),
            "page": p.page,
            "start": p.start,
            "end": p.end,
            "tokens": p.tokens,
            "text": p.text,
        }
        for rank, p in enumerate(report.passages[i] for i in report.uncovered)
    ]


def marked_pieces(sentence: SentenceResult) -> list[tuple[str, Flag | None]]:
    """The sentence cut into plain text and flagged words, in order, for highlighting.

    Overlapping flags keep the strongest; joining the pieces' texts gives the
    sentence back exactly.

    Example:
        >>> [(t, f.reason if f else None) for t, f in marked_pieces(sentence)]  # doctest: +SKIP
        [('The fee is due within ', None), ('sixty days', 'contradicted'), ('.', None)]
    """
    chosen: list[Flag] = []
    for f in sentence.flags:  # strongest first
        inside = sentence.start <= f.start < f.end <= sentence.end
        if inside and not any(f.start < g.end and g.start < f.end for g in chosen):
            chosen.append(f)
    pieces: list[tuple[str, Flag | None]] = []
    pos = sentence.start
    for f in sorted(chosen, key=lambda g: g.start):
        if f.start > pos:
            pieces.append((sentence.text[pos - sentence.start : f.start - sentence.start], None))
        pieces.append((sentence.text[f.start - sentence.start : f.end - sentence.start], f))
        pos = f.end
    if pos < sentence.end or not pieces:
        pieces.append((sentence.text[pos - sentence.start :], None))
    return pieces


def marked_sentence_html(sentence: SentenceResult, lang: str = "en") -> str:
    """The sentence as escaped HTML, flagged words in ``<mark>`` with the reason on hover."""
    out = []
    for text, flag in marked_pieces(sentence):
        if flag is None:
            out.append(escape_html(text))
        else:
            tip = escape_html(f"{term(lang, flag.reason)}: {flag.detail}")
            out.append(
                f"<mark class='flag' title='{tip}' "
                "style='background:#ffd6d6;border-bottom:2px solid #c0392b'>"
                f"{escape_html(text)}</mark>"
            )
    return "<span class='summary-sentence'>" + "".join(out) + "</span>"


def flag_summary(sentence: SentenceResult, lang: str = "en") -> str:
    """The sentence's reasons in one line, strongest first, e.g. ``"contradicted: 'sixty days' ..."``."""
    return "; ".join(f"{term(lang, f.reason)}: {f.detail}" for f in sentence.flags[:3])


def accounting_line(report: CoverageReport, lang: str = "en") -> str:
    """Where the document's text went, in one line (see :meth:`.results.Accounting.line`)."""
    acc = report.document.accounted
    if acc is None:
        return say(lang, "not recorded (a report saved before the accounting was kept)")
    return acc.line(lang)


def judge_line(report: CoverageReport, lang: str = "en") -> str:
    """One line on the support judge: what ran, or that it did not and why."""
    info = report.settings.get("support_judge")
    if not info:
        return say(lang, "not recorded (a report from before the support judge)")
    if info.get("status") != "ran":
        return say(lang, "not run: {reason}", reason=info.get("reason", "no reason given"))
    read = sum(bool(s.judge) for s in report.summary_sentences)
    return say(
        lang,
        "{name} ({dtype}), read {read} of {n} summary sentences",
        name=info.get("name", "support judge"),
        dtype=info.get("dtype", "?"),
        read=read,
        n=len(report.summary_sentences),
    )


def judge_summary(sentence: SentenceResult, lang: str = "en") -> str:
    """The judge's reading in one line (``"entailed 0.08 · contradicted 0.87 · neither 0.05"``)."""
    if sentence.judge:
        j = sentence.judge
        return say(
            lang,
            "entailed {e} · contradicted {c} · neither {n}",
            e=f"{j['entailed']:.2f}",
            c=f"{j['contradicted']:.2f}",
            n=f"{j['neither']:.2f}",
        )
    return say(lang, "not run ({note})", note=sentence.judge_note) if sentence.judge_note else ""


def contradiction_text(report: CoverageReport, sentence: SentenceResult) -> str:
    """The words of the passage that contradicts the sentence ("" when none does)."""
    if sentence.contradiction_span is None or sentence.contradicted_by is None:
        return ""
    p = report.passages[sentence.contradicted_by]
    a, b = sentence.contradiction_span
    if not p.start <= a < b <= p.end:
        return p.text
    return p.text[a - p.start : b - p.start]


def unsupported_rows(report: CoverageReport, lang: str = "en") -> list[dict[str, Any]]:
    """Unsupported summary sentences, weakest first, each with its best evidence passage.

    ``contradiction`` is the passage text the support judge reads as stating
    the opposite ("" when none does), ``judge`` its three probabilities;
    ``reasons`` and ``judge`` are written in ``lang``.
    """
    titles = section_labels(report)
    rows = []
    for i in report.unsupported:
        s = report.summary_sentences[i]
        p = None if s.best_passage is None else report.passages[s.best_passage]
        c = None if s.contradicted_by is None else report.passages[s.contradicted_by]
        rows.append(
            {
                "sentence": f"S{s.index + 1}",
                "text": s.text,
                "support": round(s.support, 3),
                "reasons": flag_summary(s, lang),
                "evidence_section": "" if p is None else titles[p.section],
                "evidence_start": None if p is None else p.start,
                "evidence": "" if p is None else p.text,
                "judge": judge_summary(s, lang),
                "contradiction_section": "" if c is None else titles[c.section],
                "contradiction_start": None if s.contradiction_span is None else s.contradiction_span[0],
                "contradiction": contradiction_text(report, s),
            }
        )
    return rows


def mismatch_rows(report: CoverageReport) -> list[dict[str, Any]]:
    """Facts of summary sentences that the evidence contradicts or lacks, with both spans."""
    titles = section_labels(report)
    rows = []
    for m in report.mismatches:
        passage = None if m.evidence_passage is None else report.passages[m.evidence_passage]
        rows.append(
            {
                "sentence": f"S{m.sentence + 1}",
                "status": m.status,
                "kind": m.kind,
                "summary_says": m.summary_text,
                "document_says": m.evidence_text or "",
                "evidence_section": "" if passage is None else titles[passage.section],
                "summary_start": m.summary_start,
                "evidence_start": m.evidence_start,
                "sentence_text": report.summary_sentences[m.sentence].text,
            }
        )
    return rows


def section_rows(report: CoverageReport) -> list[dict[str, Any]]:
    """One row per section: title, coverage, score, passages, uncovered count, offsets."""
    titles = section_labels(report)
    return [
        {
            "section": titles[s.index],
            "coverage": round(s.coverage, 3),
            "score": round(s.score, 3),
            "passages": len(s.passages),
            "uncovered": sum(not report.passages[i].covered for i in s.passages),
            "start": s.start,
            "end": s.end,
        }
        for s in report.sections
    ]


@dataclass(frozen=True, slots=True)
class SectionDetail:
    """A section's passages next to the summary sentences that match them.

    Attributes:
        title: The section's label.
        coverage: The section's coverage.
        passages: Its passages in document order (``covered`` marks them).
        sentences: The matching summary sentences: the chosen one for a
            heatmap cell, else every sentence that is the best match of one
            of the section's passages, in summary order.
        focus_passage: For a cell, the passage behind it; else ``None``.
    """

    title: str
    coverage: float
    passages: tuple[PassageResult, ...]
    sentences: tuple[SentenceResult, ...]
    focus_passage: int | None


def section_detail(report: CoverageReport, section: int, sentence: int | None = None) -> SectionDetail:
    """Collect what the dashboard shows when a section (or one of its cells) is clicked.

    Raises:
        InputError: The section or sentence index does not exist.
    """
    if not 0 <= section < len(report.sections):
        raise InputError(f"There is no section {section}; the document has {len(report.sections)}.")
    sec = report.sections[section]
    passages = tuple(report.passages[i] for i in sec.passages)
    focus = None
    if sentence is not None:
        if not 0 <= sentence < len(report.summary_sentences):
            raise InputError(f"There is no summary sentence {sentence}.")
        sentences: tuple[SentenceResult, ...] = (report.summary_sentences[sentence],)
        if report.matrix is not None and passages:
            rows = list(sec.passages)
            focus = rows[int(np.asarray(report.matrix)[rows, sentence].argmax())]
    else:
        wanted = sorted({p.best_sentence for p in passages if p.best_sentence is not None})
        sentences = tuple(report.summary_sentences[i] for i in wanted)
    return SectionDetail(section_labels(report)[section], sec.coverage, passages, sentences, focus)


def passages_csv(report: CoverageReport) -> str:
    """The passages table as CSV text (UTF-8), one row per passage."""
    buffer = io.StringIO()
    report.to_dataframe().to_csv(buffer, index=False)
    return buffer.getvalue()
