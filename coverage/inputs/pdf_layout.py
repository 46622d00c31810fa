"""PDF pages as a reader sees them: running headers and footers set apart, clauses whole across page breaks.

A PDF's text layer is a list of lines per page. Printed documents repeat
*page furniture* at the top or bottom of most pages: a running title, the
print date, ``Page 3 of 12``, ``CONFIDENTIAL``, a file URL with ``1/5``.
Read in page order, that furniture lands in the middle of every clause
that crosses a page break, and the numbers check then sees a date the
document never states.

:func:`assemble_pages` finds the furniture and lays the pages out as one
text in reading order:

* **Furniture** is a line among the first or last :data:`EDGE_LINES` lines
  of a page whose shape (lower-cased, spaces collapsed, every run of digits
  read as one digit) recurs in that zone on at least half the pages (and on
  two or more), so a changing page number or date still matches; and a line
  that is only a page number (``7``, ``- 7 -``, ``Page 7 of 12``, ``7/12``,
  ``第 7 页``) in that zone of a multi-page document.
* **Page breaks**: when a page's last line does not end a sentence, or the
  next page begins in lower case, the break is inside a paragraph; the
  pages join with a plain line break, and the furniture between them moves
  down to the next paragraph start on the new page (a numbered clause, a
  list item, a heading, a blank line), so the clause stays one passage.
  Elsewhere pages are separated by a blank line, with their furniture
  between them.
* Every furniture block sits between blank lines and is returned as a span,
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
    within ten days
    of the invoice.
    <BLANKLINE>
    ACME CONFIDENTIAL
    <BLANKLINE>
    1.2 Late fees apply.
    >>> [laid.text[a:b] for a, b, _ in laid.furniture]
    ['ACME CONFIDENTIAL', 'ACME CONFIDENTIAL']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

EDGE_LINES = 3
"""How many lines at the top and at the bottom of a page may be furniture."""

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


def _edge(lines: Sequence[str]) -> list[int]:
    """Indices of the non-blank lines in the top and bottom zones of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    zone = filled[:EDGE_LINES] + filled[-EDGE_LINES:]
    return sorted(set(zone))


def find_furniture(pages: Sequence[Sequence[str]]) -> list[set[int]]:
    """For each page, the indices of its lines that are page furniture (see the module docstring)."""
    edges = [_edge(lines) for lines in pages]
    counts: Counter[str] = Counter()
    for lines, zone in zip(pages, edges, strict=True):
        counts.update({_shape(lines[i]) for i in zone})
    needed = max(2, math.ceil(len(pages) / 2))
    out: list[set[int]] = []
    for lines, zone in zip(pages, edges, strict=True):
        marked = set()
        for i in zone:
            line = lines[i].strip()
            if counts[_shape(line)] >= needed or (len(pages) > 1 and _PAGE_NUMBER.fullmatch(line)):
                marked.add(i)
        out.append(marked)
    return out


def _continues(before: str, after: str) -> bool:
    """Whether a page ending in ``before`` runs on into a page starting with ``after``."""
    if not before or not after:
        return False
    if _PARAGRAPH_START.match(after):
        return False
    return not _SENTENCE_END.search(before) or after.lstrip()[:1].islower()


def _paragraph_break(body: Sequence[str]) -> int:
    """Index in ``body`` of the first line that starts a paragraph (after the first line); ``len(body)`` if none."""
    for i in range(1, len(body)):
        line = body[i]
        if not line.strip() or _PARAGRAPH_START.match(line):
            return i
    for i in range(len(body) - 1):  # no paragraph start: the first sentence end
        if _SENTENCE_END.search(body[i]):
            return i + 1
    return len(body)


def assemble_pages(pages: Sequence[Sequence[str]]) -> LaidOutPages:
    """Lay out pages' lines as one text with furniture set apart (see the module docstring).

    Args:
        pages: Each page's text lines, top to bottom (as extracted).

    Returns:
        The text, page start offsets and furniture spans.
    """
    marked = find_furniture(pages)
    parts: list[str] = []
    size = 0
    starts: list[int] = []
    furniture: list[tuple[int, int, int]] = []
    last_body = ""

    def emit(chunk: str) -> None:
        nonlocal size
        parts.append(chunk)
        size += len(chunk)

    def emit_furniture(lines: list[str], page: int) -> None:
        if not lines:
            return
        if size:
            emit("\n\n")
        block = "\n".join(lines)
        furniture.append((size, size + len(block), page))
        emit(block)

    for number, (lines, skip) in enumerate(zip(pages, marked, strict=True), start=1):
        body = [line.rstrip() for i, line in enumerate(lines) if i not in skip]
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        furn = [lines[i].strip() for i in sorted(skip)]
        if body and _continues(last_body, body[0]):
            cut = _paragraph_break(body)
            emit("\n")
            starts.append(size)
            emit("\n".join(body[:cut]))
            emit_furniture(furn, number)
            if cut < len(body):
                emit("\n\n" + "\n".join(body[cut:]))
        else:
            emit_furniture(furn, number)
            if body and size:
                emit("\n\n")
            starts.append(size)
            emit("\n".join(body))
        if body:
            last_body = body[-1]
    return LaidOutPages("".join(parts), tuple(starts), tuple(furniture))
