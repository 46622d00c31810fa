"""The whole document as one HTML page: passages tinted by coverage, flags and evidence marked.

:func:`document_html` renders the checked text itself, every character of
it, for the dashboard's Document tab (and for anyone who wants the view):

* each **passage** is a block tinted by its P(covered) (the heatmap's
  red-to-green scale, light), with its score on hover; **uncovered**
  passages get a red bar and the label "uncovered";
* each **section** starts with an anchor (``id="sec-N"``), each passage has
  ``id="p-N"``, so a link or a script can scroll there;
* a PDF's **page numbers** stand in the margin where each page starts (inside
  a passage, for a clause that runs on to the next page), and
  its **page furniture** (running headers and footers) is greyed out, as
  text that was not scored;
* for a selected **summary sentence**, its evidence passages are outlined
  and the words they share with the sentence marked; the ``focus`` passage
  is where the page scrolls to.

Every piece of user text is HTML-escaped; the page holds no script unless
``scroll`` is asked for, and then only a fixed one that scrolls to an id.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..score.lexical import term_spans, terms
from .escape import escape_html
from .html_report import color
from .results import CoverageReport

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:.5rem 1rem 2rem 4rem;
line-height:1.45;color:#222}
.p{display:block;white-space:pre-wrap;margin:.35rem 0;padding:.3rem .5rem;border-radius:4px;
border-left:4px solid transparent}
.p.uncovered{border-left-color:#c0392b}.p.evidence{outline:2px solid #1f6feb;outline-offset:1px}
.p.focus{box-shadow:0 0 0 3px #1f6feb55}
.tag{font-size:.7rem;color:#c0392b;font-weight:600;margin-right:.4rem;font-family:monospace}
.gap{white-space:pre-wrap}.blank{display:none}.furniture{display:block;white-space:pre-wrap;color:#aaa;font-size:.8rem;
margin:.2rem 0;border-top:1px dashed #ddd}
.page{position:absolute;left:.5rem;font-size:.75rem;color:#777;font-family:monospace}
.sec{display:block;height:0}mark.match{background:#cfe3ff;padding:0}
"""


def _tint(score: float) -> str:
    """A light version of the heatmap colour of ``score``: rgb mixed 3:1 with white."""
    r, g, b = (int(x) for x in color(score)[4:-1].split(","))
    return f"rgb({(r + 3 * 255) // 4},{(g + 3 * 255) // 4},{(b + 3 * 255) // 4})"


def _marked(text: str, words: frozenset[str]) -> str:
    """``text`` escaped, with the terms in ``words`` wrapped in ``<mark class="match">``."""
    if not words:
        return escape_html(text)
    out: list[str] = []
    cursor = 0
    for term, a, b in term_spans(text):
        if term in words and a >= cursor:
            out.append(escape_html(text[cursor:a]))
            out.append(f'<mark class="match">{escape_html(text[a:b])}</mark>')
            cursor = b
    out.append(escape_html(text[cursor:]))
    return "".join(out)


def document_html(
    report: CoverageReport,
    text: str,
    *,
    sentence: int | None = None,
    focus: int | None = None,
    pages: Sequence[int] = (),
    scroll: bool = False,
) -> str:
    """The document as a self-contained HTML page (see the module docstring).

    Args:
        report: The report of ``text``.
        text: The exact document text the report was made from.
        sentence: A summary sentence whose evidence to outline and whose
            words to mark, or ``None``.
        focus: The passage to scroll to (default: the sentence's best
            evidence), or ``None``.
        pages: Offsets where each PDF page starts (``LoadedText.pages``);
            page numbers are shown where given.
        scroll: Add the one-line script that scrolls to ``focus``.

    Returns:
        The HTML page.
    """
    evidence: set[int] = set()
    words: frozenset[str] = frozenset()
    if sentence is not None and 0 <= sentence < len(report.summary_sentences):
        s = report.summary_sentences[sentence]
        evidence = set(s.evidence) | ({s.best_passage} if s.best_passage is not None else set())
        words = terms(s.text)
        focus = s.best_passage if focus is None else focus
    section_starts = sorted((sec.start, sec.index) for sec in report.sections)
    next_section = 0
    furniture = sorted((k.start, k.end, k.page) for k in report.skipped if k.part == "document")
    page_starts = list(pages)
    pieces: list[tuple[int, int, str]] = [(p.start, p.end, "passage") for p in report.passages]
    pieces += [(a, b, "furniture") for a, b, _ in furniture]
    pieces.sort()
    by_start = {p.start: p for p in report.passages}
    out = [f"<!doctype html><html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>"]
    cursor = 0
    next_page = 0

    def page_marks(upto: int) -> str:
        """The numbers of the pages starting at or before ``upto`` not shown yet."""
        nonlocal next_page
        marks = []
        while next_page < len(page_starts) and page_starts[next_page] <= upto:
            marks.append(f"<span class='page'>p.&nbsp;{next_page + 1}</span>")
            next_page += 1
        return "".join(marks)

    def passage_body(a: int, b: int, marked: bool) -> str:
        """A passage's text, escaped (shared words marked), with a page's number where one starts in it."""
        chunks = []
        for cut in [s for s in page_starts[next_page:] if a < s < b] + [b]:
            chunks.append(_marked(text[a:cut], words) if marked else escape_html(text[a:cut]))
            chunks.append(page_marks(cut) if cut < b else "")
            a = cut
        return "".join(chunks)

    for a, b, kind in pieces:
        if a < cursor:  # pieces never overlap; this guards a malformed report
            continue
        if a > cursor:
            gap = text[cursor:a]
            out.append(f"<span class='gap{' blank' if gap.isspace() else ''}'>{escape_html(gap)}</span>")
        out.append(page_marks(a))
        while next_section < len(section_starts) and section_starts[next_section][0] <= a:
            out.append(f"<span class='sec' id='sec-{section_starts[next_section][1]}'></span>")
            next_section += 1
        if kind == "furniture":
            out.append(
                f"<span class='furniture' title='page furniture, not scored'>{escape_html(text[a:b])}</span>"
            )
        else:
            p = by_start[a]
            classes = (
                ["p"]
                + (["uncovered"] if not p.covered else [])
                + (["evidence"] if p.index in evidence else [])
            )
            classes += ["focus"] if p.index == focus else []
            tip = f"passage {p.index + 1}: P(covered) {p.score:.2f}" + (f", page {p.page}" if p.page else "")
            tag = "<span class='tag'>uncovered</span>" if not p.covered else ""
            body = passage_body(a, b, marked=p.index in evidence)
            out.append(
                f"<span class='{' '.join(classes)}' id='p-{p.index}' style='background:{_tint(p.score)}' "
                f"title='{escape_html(tip)}'>{tag}{body}</span>"
            )
        cursor = b
    if cursor < len(text):
        out.append(f"<span class='gap'>{escape_html(text[cursor:])}</span>")
    if scroll and focus is not None:
        out.append(
            f"<script>document.getElementById('p-{int(focus)}')?.scrollIntoView({{block:'center'}});</script>"
        )
    out.append("</body></html>")
    return "".join(out)


def page_starts_of(report: CoverageReport) -> list[int]:
    """Page start offsets rebuilt from a report (its first passage on each page), for a report from JSON."""
    firsts: dict[int, int] = {}
    for p in report.passages:
        if p.page is not None:
            firsts.setdefault(p.page, p.start)
    return [firsts[k] for k in sorted(firsts)] if firsts else []
