"""Plain-text rendering of a report for the terminal."""

from __future__ import annotations

import textwrap

from .escape import clip as _clip
from .results import CoverageReport, SentenceResult
from .views import accounting_line, judge_line, marked_pieces, where


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def _marked(sentence: SentenceResult) -> str:
    """The sentence with its flagged words between double angle quotes: ``due within «sixty days»``."""
    return "".join(f"«{text}»" if flag else text for text, flag in marked_pieces(sentence))


def render_text(report: CoverageReport, *, top: int = 10, width: int = 100) -> str:
    """Render the overall figures, sections, top uncovered passages and unsupported sentences.

    Args:
        report: The report to show.
        top: How many uncovered passages to list (all unsupported sentences
            are always listed).
        width: Target line width.
    """
    m = report.model
    n_pass, n_sent = len(report.passages), len(report.summary_sentences)
    n_cov = sum(p.covered for p in report.passages)
    n_sup = sum(s.supported for s in report.summary_sentences)
    model_line = f"{m.name} on {m.device} ({m.dtype}, max {m.max_seq_length} tokens per passage)"
    if m.fallback:
        model_line += " [fallback]"
    lines = [
        f"Document  {report.document.source}: {report.document.chars:,} characters, "
        f"{report.document.tokens:,} tokens, {len(report.sections)} sections, {n_pass} passages",
        f"Text      {accounting_line(report)}",
        f"Summary   {report.summary.source}: {n_sent} sentences",
        f"Model     {model_line}",
        f"Judge     {judge_line(report)}",
        f"Coverage  {_pct(report.coverage)} of the document's tokens are covered "
        f"({n_cov}/{n_pass} passages, threshold {report.coverage_threshold:.2f})",
        f"Support   {_pct(report.support)} of summary sentences are supported "
        f"({n_sup}/{n_sent}, threshold {report.support_threshold:.2f})",
        "",
        "Sections" + " " * (width - 33) + "coverage  score",
    ]
    title_w = width - 26
    for s in report.sections:
        mark = "  MISSING" if s.coverage == 0.0 and s.passages else ""
        lines.append(
            f"  {s.index:>3}  {_clip(s.title, title_w):<{title_w}} {_pct(s.coverage)}  {s.score:.2f}{mark}"
        )
    titles = {s.index: s.title for s in report.sections}
    lines += [
        "",
        f"Uncovered passages, most important first ({min(top, len(report.uncovered))} of "
        f"{len(report.uncovered)}):",
    ]
    for i in report.uncovered[:top]:
        p = report.passages[i]
        lines.append(
            f"  [{_clip(titles.get(p.section, ''), 40)}] {where(p.page, p.start, p.end)}, score {p.score:.2f}"
        )
        lines += textwrap.wrap(
            _clip(p.text, 3 * width),
            width=width - 6,
            initial_indent="      ",
            subsequent_indent="      ",
        )[:3]
    lines += ["", f"Unsupported summary sentences ({len(report.unsupported)} of {n_sent}):"]
    for i in report.unsupported:
        sent = report.summary_sentences[i]
        lines.append(f"  #{sent.index + 1} (support {sent.support:.2f}) {_clip(_marked(sent), 3 * width)}")
        for flag in sent.flags[:3]:
            lines.append(f"      {flag.reason}: {_clip(flag.detail, width - 12)}")
        if sent.judge:
            lines.append(
                f"      judge: entailed {sent.judge['entailed']:.2f}, contradicted "
                f"{sent.judge['contradicted']:.2f}, neither {sent.judge['neither']:.2f}"
            )
        elif sent.judge_note:
            lines.append(f"      judge: not run ({sent.judge_note})")
        if sent.contradiction_span is not None and sent.contradicted_by is not None:
            a, b = sent.contradiction_span
            p = report.passages[sent.contradicted_by]
            text = p.text[max(0, a - p.start) : b - p.start] if p.start <= a else p.text
            lines.append(
                f"      contradicted by: [{_clip(titles.get(p.section, ''), 40)}] "
                f"{where(p.page, a, b)}: {_clip(text, 2 * width)}"
            )
        if sent.best_passage is not None:
            p = report.passages[sent.best_passage]
            lines.append(
                f"      closest: [{_clip(titles.get(p.section, ''), 40)}] {_clip(p.text, width - 50)}"
            )
    if not report.unsupported:
        lines.append("  none")
    contradicted = [fm for fm in report.mismatches if fm.status == "contradicted"]
    absent = [fm for fm in report.mismatches if fm.status == "absent"]
    lines += ["", f"Numbers, dates and amounts: {len(contradicted)} contradicted, {len(absent)} not found"]
    for fm in contradicted + absent:
        said = f'document says "{fm.evidence_text}" (chars {fm.evidence_start}-{fm.evidence_end})'
        found = said if fm.status == "contradicted" else "stated nowhere in its evidence"
        lines.append(f'  #{fm.sentence + 1} {fm.kind}: summary says "{fm.summary_text}", {found}')
    if report.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"
