"""Plain-text rendering of a report for the terminal."""

from __future__ import annotations

import textwrap

from .escape import clip as _clip
from .language import say, term
from .results import CoverageReport, SentenceResult
from .views import accounting_line, judge_line, marked_pieces, where


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def _marked(sentence: SentenceResult) -> str:
    """The sentence with its flagged words between double angle quotes: ``due within «sixty days»``."""
    return "".join(f"«{text}»" if flag else text for text, flag in marked_pieces(sentence))


def render_text(report: CoverageReport, *, top: int = 10, width: int = 100, lang: str = "en") -> str:
    """Render the overall figures, sections, top uncovered passages and unsupported sentences.

    Args:
        report: The report to show.
        top: How many uncovered passages to list (all unsupported sentences
            are always listed).
        width: Target line width.
        lang: ``"en"`` or ``"zh"``: the language of the fixed texts
            (:mod:`.language`); the report's own content stays as it is.
    """
    m = report.model
    n_pass, n_sent = len(report.passages), len(report.summary_sentences)
    n_cov = sum(p.covered for p in report.passages)
    n_sup = sum(s.supported for s in report.summary_sentences)
    model_line = say(
        lang,
        "{name} on {device} ({dtype}, max {n} tokens per passage)",
        name=m.name,
        device=m.device,
        dtype=m.dtype,
        n=m.max_seq_length,
    )
    if m.fallback:
        model_line += say(lang, " [fallback]")
    if m.backend_note:  # why --backend auto chose this backend (the engine's own words)
        model_line += f"; {m.backend_note}"
    lines = [
        say(
            lang,
            "Document  {source}: {chars} characters, {tokens} tokens, {sections} sections, "
            "{passages} passages",
            source=report.document.source,
            chars=f"{report.document.chars:,}",
            tokens=f"{report.document.tokens:,}",
            sections=len(report.sections),
            passages=n_pass,
        ),
        say(lang, "Text      {line}", line=accounting_line(report, lang)),
        say(lang, "Summary   {source}: {n} sentences", source=report.summary.source, n=n_sent),
        say(lang, "Model     {line}", line=model_line),
        say(lang, "Judge     {line}", line=judge_line(report, lang)),
        say(
            lang,
            "Coverage  {pct} of the document's tokens are covered ({covered}/{n} passages, threshold {t})",
            pct=_pct(report.coverage),
            covered=n_cov,
            n=n_pass,
            t=f"{report.coverage_threshold:.2f}",
        ),
        say(
            lang,
            "Support   {pct} of summary sentences are supported ({supported}/{n}, threshold {t})",
            pct=_pct(report.support),
            supported=n_sup,
            n=n_sent,
            t=f"{report.support_threshold:.2f}",
        ),
        "",
        say(lang, "Sections") + " " * (width - 33) + say(lang, "coverage  score"),
    ]
    title_w = width - 26
    for s in report.sections:
        mark = "  " + say(lang, "MISSING") if s.coverage == 0.0 and s.passages else ""
        lines.append(
            f"  {s.index:>3}  {_clip(s.title, title_w):<{title_w}} {_pct(s.coverage)}  {s.score:.2f}{mark}"
        )
    titles = {s.index: s.title for s in report.sections}
    lines += [
        "",
        say(
            lang,
            "Uncovered passages, most important first ({shown} of {n}):",
            shown=min(top, len(report.uncovered)),
            n=len(report.uncovered),
        ),
    ]
    for i in report.uncovered[:top]:
        p = report.passages[i]
        lines.append(
            f"  [{_clip(titles.get(p.section, ''), 40)}] "
            + say(
                lang,
                "{where}, score {score}",
                where=where(p.page, p.start, p.end, lang),
                score=f"{p.score:.2f}",
            )
        )
        lines += textwrap.wrap(
            _clip(p.text, 3 * width),
            width=width - 6,
            initial_indent="      ",
            subsequent_indent="      ",
        )[:3]
    lines += [
        "",
        say(lang, "Unsupported summary sentences ({n} of {total}):", n=len(report.unsupported), total=n_sent),
    ]
    for i in report.unsupported:
        sent = report.summary_sentences[i]
        lines.append(
            "  "
            + say(
                lang,
                "#{i} (support {support}) {text}",
                i=sent.index + 1,
                support=f"{sent.support:.2f}",
                text=_clip(_marked(sent), 3 * width),
            )
        )
        for flag in sent.flags[:3]:
            lines.append(f"      {term(lang, flag.reason)}: {_clip(flag.detail, width - 12)}")
        if sent.judge:
            lines.append(
                "      "
                + say(
                    lang,
                    "judge: entailed {e}, contradicted {c}, neither {n}",
                    e=f"{sent.judge['entailed']:.2f}",
                    c=f"{sent.judge['contradicted']:.2f}",
                    n=f"{sent.judge['neither']:.2f}",
                )
            )
        elif sent.judge_note:
            lines.append("      " + say(lang, "judge: not run ({note})", note=sent.judge_note))
        if sent.contradiction_span is not None and sent.contradicted_by is not None:
            a, b = sent.contradiction_span
            p = report.passages[sent.contradicted_by]
            text = p.text[max(0, a - p.start) : b - p.start] if p.start <= a else p.text
            lines.append(
                "      "
                + say(
                    lang,
                    "contradicted by: [{section}] {where}: {text}",
                    section=_clip(titles.get(p.section, ""), 40),
                    where=where(p.page, a, b, lang),
                    text=_clip(text, 2 * width),
                )
            )
        if sent.best_passage is not None:
            p = report.passages[sent.best_passage]
            lines.append(
                "      "
                + say(
                    lang,
                    "closest: [{section}] {text}",
                    section=_clip(titles.get(p.section, ""), 40),
                    text=_clip(p.text, width - 50),
                )
            )
    if not report.unsupported:
        lines.append("  " + say(lang, "none"))
    contradicted = [fm for fm in report.mismatches if fm.status == "contradicted"]
    absent = [fm for fm in report.mismatches if fm.status == "absent"]
    lines += [
        "",
        say(
            lang,
            "Numbers, dates, amounts and places: {contradicted} contradicted, {absent} not found",
            contradicted=len(contradicted),
            absent=len(absent),
        ),
    ]
    for fm in contradicted + absent:
        said = say(
            lang,
            'document says "{text}" (chars {a}-{b})',
            text=fm.evidence_text,
            a=fm.evidence_start,
            b=fm.evidence_end,
        )
        found = said if fm.status == "contradicted" else say(lang, "stated nowhere in its evidence")
        lines.append(
            "  "
            + say(
                lang,
                '#{i} {kind}: summary says "{text}", {found}',
                i=fm.sentence + 1,
                kind=term(lang, fm.kind),
                text=fm.summary_text,
                found=found,
            )
        )
    if report.warnings:
        lines += ["", say(lang, "Warnings:")] + [f"  - {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"
