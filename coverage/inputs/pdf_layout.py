"""PDF pages as a reader sees them: running headers and footers set apart, clauses whole across page breaks.

A PDF's text layer is a list of lines per page. Printed documents repeat
*page furniture* at the top or bottom of most pages: a running title, the
print date, ``Page 3 of 12``, ``CONFIDENTIAL``, a file URL with ``1/5``.
Read in page order, that furniture lands in the middle of every clause
that crosses a page break, and the numbers check then sees a date the
document never states.

:func:`assemble_pages` finds the furniture and lays the pages out as one
text in reading order:

* **Furniture is lines, never paragraphs.** It is found on the page's
  printed lines, before wrapped lines are joined into paragraphs, so a
  header set one ordinary line above the body cannot take the body's first
  paragraph with it. A furniture line is among the first or last
  :data:`EDGE_LINES` lines of a page, at most :data:`FURNITURE_CHARS`
  characters long, with only furniture between it and the page's edge, and
  either its shape (lower-cased, spaces collapsed, every run of digits read
  as one digit) recurs at the same place (the k-th line from the top or
  from the foot) on at least half the pages (and on two or more), so a
  changing page number or date still matches, while rarely occurring away
  from the edges (boilerplate clauses do); or it is only a
  page number (``7``, ``- 7 -``, ``Page 7 of 12``, ``7/12``, ``第 7 页``)
  in a multi-page document. A line that opens a clause or a heading
  (``5. Fees``, ``Section 5``, ``第五条``) is furniture only when the very
  same text (digits included) recurs, so clause headings that differ only
  in their numbers stay headings. Text that repeats because the contract
  repeats itself is body text.
* **Page breaks**: when a page's last line does not end a sentence, or the
  next page begins in lower case, or the page ends with a heading, the
  break is inside a paragraph; the
  pages join with a plain line break, and the furniture between them moves
  down to the next paragraph start on the new page (a numbered clause, a
  list item, a heading, a blank line), so the clause stays one passage.
  Elsewhere pages are separated by a blank line, with their furniture
  between them.
* Every furniture line sits between blank lines (with the other furniture
  lines of its page break) and is returned as a span of its own,
  so segmentation can leave it out (see
  :func:`summary_coverage.segment.document.segment_document`). Page start
  offsets are returned too: a passage's page is the page its first
  character is on.

The text itself is not changed: ligatures (``ﬁ``) and line-end hyphens stay
as extracted, and matching reads through them
(:mod:`summary_coverage.score.lexical`).

Example:
    >>> pages = [["ACME CONFIDENTIAL", "1.1 Fees are due", "within ten days"],
    ...          ["ACME CONFIDENTIAL", "of the invoice.", "1.2 Late fees apply."]]
    >>> laid = assemble_pages(pages)
    >>> print(laid.text)
    ACME CONFIDENTIAL
    <BLANKLINE>
    1.1 Fees are due
    within ten days of the invoice.
    <BLANKLINE>
    ACME CONFIDENTIAL
    <BLANKLINE>
    1.2 Late fees apply.
    >>> [laid.text[a:b] for a, b, _ in laid.furniture]
    ['ACME CONFIDENTIAL', 'ACME CONFIDENTIAL']
    >>> lay_out_pages([[PlacedLine("ACME CONFIDENTIAL", 800, 10), PlacedLine("1.1 Fees.", 787, 10)],
    ...                [PlacedLine("ACME CONFIDENTIAL", 800, 10), PlacedLine("1.2 Interest.", 787, 10)]]).text
    'ACME CONFIDENTIAL\\n\\n1.1 Fees.\\n\\nACME CONFIDENTIAL\\n\\n1.2 Interest.'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

_Line = TypeVar("_Line")

EDGE_LINES = 3
"""How many lines at the top and at the bottom of a page may be furniture."""
FURNITURE_CHARS = 160
"""Longest furniture line: a running header or footer is a line (a title, a date, a URL), not a paragraph."""

_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?(?:(?:page|p\.|seite|página|pagina)\s*)?\d{1,4}"
    r"(?:\s*(?:of|/|von|de|di|sur)\s*\d{1,4})?(?:\s*[-–—])?"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?。！？:;：；)\]）】”\"']\s*$")
_PARAGRAPH_START = re.compile(
    r"\s*(?:#{1,6}\s"
    r"|[-*+•▪◦‣]\s"
    r"|[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?\s"
    r"|\((?:[0-9]{1,3}|[A-Za-z]{1,3})\)\s"
    r"|(?:article|section|clause|schedule|exhibit|annex|appendix|chapter|part)\s+\S"
    r"|第[一二三四五六七八九十百千零〇两0-9]+[条章节编]"
    r"|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十]+[）)])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LaidOutPages:
    """Pages joined into one text, with where each page starts and its furniture.

    Attributes:
        text: The pages in reading order; furniture blocks between blank lines.
        pages: Offset of each page's first character in ``text`` (page ``k``,
            1-based, starts at ``pages[k - 1]``); nondecreasing.
        furniture: ``(start, end, page)`` of each furniture block, in order.
    """

    text: str
    pages: tuple[int, ...]
    furniture: tuple[tuple[int, int, int], ...]


def _shape(line: str) -> str:
    return _DIGITS.sub("0", " ".join(line.lower().split()))


def _places(lines: Sequence[str]) -> dict[int, list[tuple[str, int]]]:
    """Each edge line's places: ``("top", k)`` for the k-th line, ``("bottom", k)`` from the foot."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    places: dict[int, list[tuple[str, int]]] = {}
    for k, i in enumerate(filled[:EDGE_LINES]):
        places.setdefault(i, []).append(("top", k))
    for k, i in enumerate(filled[::-1][:EDGE_LINES]):
        places.setdefault(i, []).append(("bottom", k))
    return places


def find_furniture(pages: Sequence[Sequence[str]]) -> list[set[int]]:
    """For each page, the indices of its lines that are page furniture (see the module docstring).

    ``pages`` are printed lines: a furniture line is found as a line, so the
    text printed beside it is never taken with it. A running header or footer
    is printed in the same place on every page, so a line counts as repeated
    only where it recurs at the same place (the k-th line from the top, or
    from the foot) on at least half the pages.
    """
    places = [_places(lines) for lines in pages]
    counts: Counter[tuple[str, tuple[str, int]]] = Counter()
    exact: Counter[tuple[str, tuple[str, int]]] = Counter()
    edges: Counter[str] = Counter()
    inside: Counter[str] = Counter()  # the same shapes away from the page edges
    for lines, where in zip(pages, places, strict=True):
        counts.update({(_shape(lines[i]), p) for i, ps in where.items() for p in ps})
        exact.update({(" ".join(lines[i].split()), p) for i, ps in where.items() for p in ps})
        edges.update({_shape(lines[i]) for i in where})
        inside.update({_shape(line) for i, line in enumerate(lines) if i not in where and line.strip()})
    needed = max(2, math.ceil(len(pages) / 2))

    def furniture_line(line: str, place: tuple[str, int]) -> bool:
        if len(pages) > 1 and _PAGE_NUMBER.fullmatch(line):
            return True
        if len(line) > FURNITURE_CHARS:
            return False
        shape = _shape(line)
        # Boilerplate that also fills the middle of pages is text, not furniture.
        if counts[(shape, place)] < needed or inside[shape] > edges[shape] // 10:
            return False
        # A clause opening or heading that recurs only by shape ("5. Fees", "6. Term") is text.
        return (
            not (line.startswith("#") or _PARAGRAPH_START.match(line))
            or exact[(" ".join(line.split()), place)] >= needed
        )

    out: list[set[int]] = []
    for lines in pages:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        marked: set[int] = set()
        for zone, run in (("top", filled[:EDGE_LINES]), ("bottom", filled[::-1][:EDGE_LINES])):
            for k, i in enumerate(run):
                if not furniture_line(lines[i].strip(), (zone, k)):
                    break  # only furniture lies between a furniture line and the page's edge
                marked.add(i)
        out.append(marked)
    return out


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """One extracted line, its baseline height and its font size in points (``None`` when unknown)."""

    text: str
    y: float | None = None
    size: float | None = None


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def mark_blocks(pages: Sequence[Sequence[PlacedLine]]) -> list[list[str]]:
    """Each page's lines with the layout written in: blank lines at paragraph gaps, ``#`` before headings.

    A text layer has no paragraphs, only lines; the space between them shows
    where a paragraph ends. With the typical distance between consecutive
    body lines of the whole document as the line pitch (their lower
    quartile), a step down of more than 1.3 pitches (and at least 2 points
    more), or any step up (a new column or block), starts a new paragraph.
    A short line (at most 100 characters) set at least 15% larger than the
    body text is a heading; it is written as a markdown heading line, one
    ``#`` per size rank (largest first, at most three), as the Word reader
    writes heading styles. Lines that only wrap are then joined
    (:func:`reflow`). Lines without a position (OCR) are only reflowed.
    """
    known = [
        line for page in pages for line in page if line.y is not None and line.size and line.text.strip()
    ]
    if len(known) < 2:
        return reflow_pages([[line.text for line in page] for page in pages])
    body = _median([line.size for line in known if line.size])
    steps = []
    for page in pages:
        placed = [line for line in page if line.y is not None and line.size and line.text.strip()]
        steps += [
            a.y - b.y
            for a, b in zip(placed, placed[1:], strict=False)
            if a.y is not None and b.y is not None and a.y > b.y and abs((a.size or 0) - body) < 0.5
        ]
    # The lower quartile: on a page of one-line paragraphs the median step is a paragraph gap.
    pitch = sorted(steps)[len(steps) // 4] if steps else body * 1.2
    large = sorted(
        {round(line.size or 0, 1) for line in known if (line.size or 0) >= body * 1.15}, reverse=True
    )
    marked: list[list[str]] = []
    for page in pages:
        out: list[str] = []
        previous: PlacedLine | None = None
        for line in page:
            if not line.text.strip() or line.y is None:
                out.append(line.text)
                continue
            if previous is not None and previous.y is not None:
                step = previous.y - line.y
                if (step > pitch * 1.3 and step > pitch + 2) or step < -pitch * 0.5:
                    out.append("")
            text = line.text
            size = round(line.size or 0, 1)
            if size in large and len(text.strip()) <= 100 and not text.lstrip().startswith("#"):
                text = "#" * min(large.index(size) + 1, 3) + " " + text.strip()
            out.append(text)
            previous = line
        marked.append(out)
    return reflow_pages(marked)


def _joiner(before: str, after: str) -> str:
    """What joins a wrapped line to the next: a line break after a hyphen, nothing in CJK, else a space."""
    if before.endswith("-") and after[:1].islower():
        return "\n"  # the hyphenated word keeps its line break; matching joins it
    if _is_cjk(before[-1:]) and _is_cjk(after[:1]):
        return ""
    return " "


def _is_cjk(char: str) -> bool:
    return bool(char) and (
        "\u3040" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\uff00" <= char <= "\uffef"
    )


def reflow_pages(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """Join the lines that only wrap, so that each paragraph is one line again.

    A line wrapped at the margin is *full*: at least three quarters as long
    as the document's long lines (their 90th percentile). A full line and the
    non-blank line after it belong to one paragraph, unless one of them is
    a heading (``#``) or the full line ends a sentence and the next starts
    a clause or list item. So a clause number or ``(12)`` that a wrap puts
    at a line start is not taken for a new clause, and a heading, being
    short, always keeps its own line.
    """
    lengths = sorted(len(x.strip()) for page in pages for x in page if x.strip() and not x.startswith("#"))
    if len(lengths) < 4:
        return [list(page) for page in pages]
    full = 0.75 * lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
    return [_reflow(page, full) for page in pages]


def _reflow(lines: Sequence[str], full: float) -> list[str]:
    out: list[str] = []
    for line in lines:
        text = line.strip()
        last = out[-1] if out else ""
        tail = last.rsplit("\n", 1)[-1].strip()
        if (
            text
            and tail
            and not tail.startswith("#")
            and not text.startswith("#")
            and len(tail) >= full
            and not (_SENTENCE_END.search(tail) and _PARAGRAPH_START.match(text))
        ):
            out[-1] = last.rstrip() + _joiner(tail, text) + text
        else:
            out.append(line)
    return out


def _continues(before: str, after: str) -> bool:
    """Whether a page ending in ``before`` runs on into a page starting with ``after``."""
    if not before or not after:
        return False
    heading = before.startswith("#") or (
        len(before) <= 100 and bool(_PARAGRAPH_START.match(before)) and not _SENTENCE_END.search(before)
    )
    if heading:  # a heading at the foot of a page belongs to the text on the next
        return True
    if _PARAGRAPH_START.match(after):
        return False
    return not _SENTENCE_END.search(before) or after.lstrip()[:1].islower()


def _paragraph_break(body: Sequence[str]) -> int:
    """Index in ``body`` of the first line after the first that starts a paragraph; ``len(body)`` if none."""
    for i in range(1, len(body)):
        line = body[i]
        if not line.strip() or _PARAGRAPH_START.match(line):
            return i
    for i in range(len(body) - 1):  # no paragraph start: the first sentence end
        if _SENTENCE_END.search(body[i]):
            return i + 1
    return len(body)


def lay_out_pages(pages: Sequence[Sequence[PlacedLine]]) -> LaidOutPages:
    """A PDF's placed lines as one text: furniture lines found first, then paragraphs and headings marked.

    The furniture is found on the printed lines (:func:`find_furniture`), and
    only the body lines go on to :func:`mark_blocks`, so a header line never
    joins the paragraph printed under it.
    """
    bodies, furniture = _set_apart(pages, [[line.text for line in page] for page in pages])
    return _assemble(mark_blocks(bodies), furniture)


def assemble_pages(pages: Sequence[Sequence[str]]) -> LaidOutPages:
    """Lay out pages' lines as one text with furniture set apart (see the module docstring).

    Args:
        pages: Each page's text lines, top to bottom (as extracted).

    Returns:
        The text, page start offsets and furniture spans (one per furniture line).
    """
    return _assemble(*_set_apart(pages, pages))


def _set_apart(
    pages: Sequence[Sequence[_Line]], texts: Sequence[Sequence[str]]
) -> tuple[list[list[_Line]], list[list[str]]]:
    """Each page's body lines, and its furniture lines' text as found on ``texts`` (the printed lines)."""
    marked = find_furniture(texts)
    bodies = [
        [line for i, line in enumerate(page) if i not in skip]
        for page, skip in zip(pages, marked, strict=True)
    ]
    furniture = [[text[i].strip() for i in sorted(skip)] for text, skip in zip(texts, marked, strict=True)]
    return bodies, furniture


def _assemble(bodies: Sequence[Sequence[str]], furniture: Sequence[Sequence[str]]) -> LaidOutPages:
    """Join each page's body lines, its furniture lines set apart between blank lines.

    Furniture waits until the paragraph it interrupts has ended: a clause that
    runs over two page breaks stays one paragraph, and the furniture of both
    breaks follows it. A page with no body text ends the paragraph before it.
    """
    parts: list[str] = []
    size = 0
    starts: list[int] = []
    spans: list[tuple[int, int, int]] = []
    pending: list[tuple[str, int]] = []  # furniture lines waiting for the paragraph to end, with their page
    last_body = ""

    def emit(chunk: str) -> None:
        nonlocal size
        parts.append(chunk)
        size += len(chunk)

    def flush() -> None:
        for k, (line, page) in enumerate(pending):
            emit("\n" if k else "\n\n" if size else "")
            spans.append((size, size + len(line), page))
            emit(line)
        pending.clear()

    for number, (lines, furn) in enumerate(zip(bodies, furniture, strict=True), start=1):
        body = [line.rstrip() for line in lines]
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        pending.extend((line, number) for line in furn)
        if body and _continues(last_body, body[0]):
            cut = _paragraph_break(body)
            heading = (
                last_body.startswith("#") or len(last_body) <= 100 and bool(_PARAGRAPH_START.match(last_body))
            )
            emit("\n" if heading else _joiner(last_body, body[0].lstrip()))
            starts.append(size)
            emit("\n".join(body[:cut]))
            if cut < len(body):
                flush()
                emit("\n\n" + "\n".join(body[cut:]))
        else:
            flush()
            if body and size:
                emit("\n\n")
            starts.append(size)
            emit("\n".join(body))
        last_body = body[-1] if body else ""
    flush()
    return LaidOutPages("".join(parts), tuple(starts), tuple(spans))
