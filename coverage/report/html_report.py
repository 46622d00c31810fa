"""A self-contained HTML report: one file, no scripts, readable without Python.

Everything user-supplied is escaped. The heatmap is an HTML table coloured
with inline styles on the same fixed 0-1 scale as the dashboard.
"""

from __future__ import annotations

from .escape import clip, escape_html
from .language import say, term
from .results import CoverageReport
from .views import (
    accounting_line,
    contradiction_text,
    heatmap_data,
    judge_line,
    judge_summary,
    marked_pieces,
    section_labels,
    where,
)

# RdYlGn, sampled at 0, 0.25, 0.5, 0.75, 1 (as in the dashboard's colour scale).
_STOPS = (
    (0.0, (165, 0, 38)),
    (0.25, (244, 109, 67)),
    (0.5, (255, 255, 191)),
    (0.75, (102, 189, 99)),
    (1.0, (0, 104, 55)),
)

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1400px}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
.figs{display:flex;gap:2rem;flex-wrap:wrap}.fig{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem}
.fig b{display:block;font-size:1.4rem}table{border-collapse:collapse}
td,th{border:1px solid #eee;padding:.25rem .5rem;font-size:.85rem;vertical-align:top;text-align:left}
.hm td{width:1.6rem;height:1.2rem;padding:0}.bar{background:#eee;width:160px;height:.8rem}
.bar span{display:block;height:100%}.warn{background:#fff4e5;border:1px solid #f0b429;padding:.6rem;
border-radius:6px}.passage{white-space:pre-wrap}.muted{color:#777}
.contradiction{border-left:3px solid #c0392b;padding-left:6px}
mark.flag{background:#ffd6d6;border-bottom:2px solid #c0392b;padding:0 .1rem}
.reasons{font-size:.85rem;color:#933}
"""


def color(value: float) -> str:
    """The RdYlGn colour of a score in [0, 1], as ``rgb(r,g,b)``."""
    v = min(max(value, 0.0), 1.0)
    for (a, ca), (b, cb) in zip(_STOPS, _STOPS[1:], strict=False):
        if v <= b:
            t = (v - a) / (b - a)
            r, g, bl = (round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True))
            return f"rgb({r},{g},{bl})"
    return "rgb(0,104,55)"


def render_html(report: CoverageReport, *, title: str | None = None, top: int = 50, lang: str = "en") -> str:
    """Render the report as one standalone HTML page.

    Args:
        report: The report; the heatmap needs its matrix (``include_matrix``).
        title: The page heading (escaped); default "Summary coverage report" in ``lang``.
        top: How many uncovered passages to list in full.
        lang: ``"en"`` or ``"zh"``: the language of the fixed texts (:mod:`.language`).
    """
    e = escape_html
    m = report.model
    labels = section_labels(report)
    title = say(lang, "Summary coverage report") if title is None else title
    html_lang = "zh-Hans" if lang == "zh" else "en"
    out = [
        f"<!DOCTYPE html><html lang='{html_lang}'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        "<p class='muted'>"
        + say(
            lang,
            "Document {source} ({chars} characters, {tokens} tokens) · summary {summary} ({n} sentences) · "
            "model {model} on {device} · thresholds: coverage {ct}, support {st}",
            source=e(report.document.source),
            chars=f"{report.document.chars:,}",
            tokens=f"{report.document.tokens:,}",
            summary=e(report.summary.source),
            n=len(report.summary_sentences),
            model=e(m.name),
            device=e(m.device),
            ct=f"{report.coverage_threshold:.2f}",
            st=f"{report.support_threshold:.2f}",
        )
        + "</p>",
        f"<p class='muted'>{e(say(lang, 'Document text: {line}', line=accounting_line(report, lang)))}</p>",
        f"<p class='muted'>{e(say(lang, 'Support judge: {line}', line=judge_line(report, lang)))}</p>",
    ]
    if m.fallback:
        fallback = say(lang, "Scored with the bundled fallback model: {reason}", reason=m.reason)
        out.append(f"<p class='warn'>{e(fallback)}</p>")
    out.append("<div class='figs'>")
    for label, value in (
        (say(lang, "Coverage"), f"{report.coverage:.0%}"),
        (say(lang, "Support"), f"{report.support:.0%}"),
        (
            say(lang, "Uncovered passages"),
            say(lang, "{a} of {b}", a=len(report.uncovered), b=len(report.passages)),
        ),
        (
            say(lang, "Unsupported sentences"),
            say(lang, "{a} of {b}", a=len(report.unsupported), b=len(report.summary_sentences)),
        ),
        (say(lang, "Document tokens"), f"{report.document.tokens:,}"),
    ):
        out.append(f"<div class='fig'>{e(label)}<b>{e(value)}</b></div>")
    out.append(
        f"</div><h2>{e(say(lang, 'Sections'))}</h2><table><tr><th>{e(say(lang, 'Section'))}</th>"
        f"<th>{e(say(lang, 'Coverage'))}</th><th></th><th>{e(say(lang, 'Score'))}</th></tr>"
    )
    for sec, label in zip(report.sections, labels, strict=True):
        out.append(
            f"<tr><td>{e(label)}</td><td>{sec.coverage:.0%}</td><td><div class='bar'><span style='width:"
            f"{100 * sec.coverage:.0f}%;background:{color(sec.coverage)}'></span></div></td>"
            f"<td>{sec.score:.2f}</td></tr>"
        )
    out.append("</table>")
    if report.matrix is not None and report.summary_sentences:
        d = heatmap_data(report)
        out.append(
            f"<h2>{e(say(lang, 'Heatmap: best match per section and summary sentence'))}</h2>"
            "<table class='hm'><tr><th></th>"
        )
        out += [f"<th title='{e(t.text)}'>{i + 1}</th>" for i, t in enumerate(report.summary_sentences)]
        out.append("</tr>")
        for r, label in enumerate(d.section_labels):
            out.append(f"<tr><th>{e(clip(label, 60))}</th>")
            out += [f"<td style='background:{color(float(z))}' title='{float(z):.2f}'></td>" for z in d.z[r]]
            out.append("</tr>")
        out.append(f"</table><p class='muted'>{e(say(lang, 'Hover a column number for its sentence.'))}</p>")
    heading = say(lang, "Uncovered passages ({n}), most important first", n=len(report.uncovered))
    out.append(f"<h2>{e(heading)}</h2><ol>")
    for i in report.uncovered[:top]:
        p = report.passages[i]
        at = say(
            lang, "score {score}, {where}", score=f"{p.score:.2f}", where=where(p.page, p.start, p.end, lang)
        )
        out.append(
            f"<li><b>{e(labels[p.section])}</b> <span class='muted'>{e(at)}</span>"
            f"<div class='passage'>{e(p.text)}</div></li>"
        )
    out.append("</ol>")
    if len(report.uncovered) > top:
        more = say(lang, "{n} more in the JSON or CSV download.", n=len(report.uncovered) - top)
        out.append(f"<p class='muted'>{e(more)}</p>")
    out.append(
        f"<h2>{e(say(lang, 'Unsupported summary sentences ({n})', n=len(report.unsupported)))}</h2><ol>"
    )
    for i in report.unsupported:
        sent = report.summary_sentences[i]
        ev = "" if sent.best_passage is None else report.passages[sent.best_passage].text
        marked = "".join(
            f"<mark class='flag' title='{e(term(lang, f.reason) + ': ' + f.detail)}'>{e(t)}</mark>"
            if f
            else e(t)
            for t, f in marked_pieces(sent)
        )
        reasons = "".join(f"<li>{e(term(lang, f.reason))}: {e(f.detail)}</li>" for f in sent.flags[:3])
        against = contradiction_text(report, sent)
        judged = judge_summary(sent, lang)
        support = say(lang, "support {support}", support=f"{sent.support:.2f}")
        out.append(
            f"<li>{marked} <span class='muted'>{e(support)}</span>"
            + (f"<ul class='reasons'>{reasons}</ul>" if reasons else "")
            + (f"<div class='muted'>{e(say(lang, 'Judge: {text}', text=judged))}</div>" if judged else "")
            + (
                f"<div class='passage contradiction'><b>{e(say(lang, 'Contradicted by'))}</b> "
                f"({e(labels[report.passages[sent.contradicted_by].section])}): {e(clip(against, 600))}</div>"
                if against and sent.contradicted_by is not None
                else ""
            )
            + f"<div class='passage muted'>{e(say(lang, 'Closest evidence: {text}', text=clip(ev, 400)))}"
            + "</div></li>"
        )
    out.append("</ol>")
    if report.mismatches:
        heads = (
            say(lang, "Sentence"),
            say(lang, "Status"),
            say(lang, "Kind"),
            say(lang, "Summary says"),
            say(lang, "Document says"),
        )
        out.append(
            f"<h2>{e(say(lang, 'Numbers, dates, amounts and places'))}</h2><table><tr>"
            + "".join(f"<th>{e(h)}</th>" for h in heads)
            + "</tr>"
        )
        for fm in report.mismatches:
            out.append(
                f"<tr><td>S{fm.sentence + 1}</td><td>{e(term(lang, fm.status))}</td>"
                f"<td>{e(term(lang, fm.kind))}</td>"
                f"<td>{e(fm.summary_text)}</td><td>{e(fm.evidence_text or '')}</td></tr>"
            )
        out.append("</table>")
    if report.warnings:
        out.append(
            f"<h2>{e(say(lang, 'Warnings'))}</h2><ul>"
            + "".join(f"<li>{e(w)}</li>" for w in report.warnings)
            + "</ul>"
        )
    out.append("</body></html>")
    return "\n".join(out)
