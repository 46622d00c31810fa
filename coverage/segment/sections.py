"""Sections: the document cut at its headings, with titles and levels."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .lines import CHINESE_HEADINGS, HEADING_NUMBERED, MARKDOWN, Line, is_title_line, scan_lines, trim
from .pieces import Section

TITLE_CHARS = 80
"""Longest section title; longer headings are cut and end with an ellipsis."""


def _adjusted_level(line: Line, chinese: bool) -> int:
    """Heading level, with Arabic clause numbers nested under Chinese headings."""
    if chinese and line.kind == HEADING_NUMBERED:
        return 5 + line.depth
    return line.level


def _title(line: str) -> str:
    """Section title from a stripped heading line."""
    title = line
    if MARKDOWN.match(title):
        title = title.lstrip("#").strip()
        title = re.sub(r"\s+#+$", "", title) or title
    title = " ".join(title.split()) or " ".join(line.split())
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rstrip() + "…"
    return title


def sections_from_lines(text: str, lines: Sequence[Line]) -> tuple[Section, ...]:
    whole = trim(text, 0, len(text))
    if whole is None:
        return ()
    chinese = any(line.kind in CHINESE_HEADINGS for line in lines)
    candidates = [(line, _adjusted_level(line, chinese)) for line in lines if line.kind]
    if not candidates:
        a, b = whole
        return (Section(0, "(untitled)", a, b, text[a:b], 0),)
    counts = Counter(level for _, level in candidates)
    repeated = [level for level, n in counts.items() if n >= 2]
    section_level = min(repeated) if repeated else min(counts)
    heads = [(line, level) for line, level in candidates if level <= section_level]

    sections: list[Section] = []
    preamble = trim(text, 0, heads[0][0].start)
    if preamble is not None:
        a, b = preamble
        sections.append(Section(0, "(preamble)", a, b, text[a:b], 0))
    bounds = [line.start for line, _ in heads[1:]] + [len(text)]
    carried: int | None = None  # start of heading-only sections that join the next one
    for i, ((line, level), stop) in enumerate(zip(heads, bounds, strict=True)):
        trimmed = trim(text, line.start, stop)
        if trimmed is None:  # pragma: no cover - a heading line is never blank
            continue
        a, b = trimmed
        if i + 1 < len(heads) and _only_titles(text, lines, a, b):
            carried = a if carried is None else carried
            continue
        a = a if carried is None else carried
        carried = None
        if i + 1 == len(heads) and sections and _only_titles(text, lines, line.start, b):
            # A heading that ends the document joins the section before it.
            last = sections[-1]
            sections[-1] = Section(last.index, last.title, last.start, b, text[last.start : b], last.level)
            continue
        sections.append(Section(len(sections), _title(line.stripped), a, b, text[a:b], level))
    return tuple(sections)


def _only_titles(text: str, lines: Sequence[Line], a: int, b: int) -> bool:
    """Whether every non-blank line of ``[a, b)`` is a title-like heading line."""
    for line in lines:
        if line.start >= b:
            break
        if line.end <= a or line.blank:
            continue
        if not is_title_line(text, line.start, line.end, line):
            return False
    return True


def split_sections(text: str) -> tuple[Section, ...]:
    """Split a document into sections at its headings.

    Heading candidates are whole lines, each with a level (1 = outermost):

    * markdown ``#`` to ``######``: the number of ``#``;
    * ``Article``/``Chapter``/``Part`` + a number, roman numeral or letter,
      and Chinese ``第X章``/``第X编``/``第X部分``: 1;
    * ``Section``/``Clause``/``Schedule``/``Exhibit``/``Annex``/``Appendix`` +
      an id, and ``第X节``: 2. Keyword lines count only when at most 120
      characters long and the id is followed by the end of the line,
      ``.:)-–—`` or a capitalised word, so "Section 5 shall survive
      termination." is prose, "Section 5. Payment" a heading;
    * numbered clauses followed by a capital, quote, bracket, CJK text or
      the end of the line: ``1.`` 3, ``1.1`` 4, ``1.1.1`` 5;
    * ``(a)``/``(aa)`` 6, roman ``(i)``/``(iv)`` 7;
    * ALL-CAPS lines (at most 80 characters, at least 4 capitals, a word of
      3+ letters, no trailing comma, not next to another ALL-CAPS line): 3;
    * Chinese ``第X条`` 3, ``一、`` 4, ``（一）`` 5. When a document has any
      Chinese heading, ``1.`` drops to 6 and ``1.1`` to 7.

    The section level is the shallowest level that occurs at least twice
    (or the shallowest present if none repeats), and the document is split
    at every heading of that level or shallower. Non-blank text before the
    first such heading becomes a ``"(preamble)"`` section; a document without
    headings is one ``"(untitled)"`` section. A section that holds nothing but
    heading lines (a document title straight before its first clause) is not
    a section of its own: its headings open the next section, so a heading
    is never scored alone.

    Args:
        text: The document, exactly as it will be checked.

    Returns:
        The sections in document order; ``()`` for empty or whitespace-only
        text (the caller decides whether that is an error).

    Example:
        >>> [s.title for s in split_sections("# A\\nx\\n## 1. B\\nx\\n## 2. C\\ny")]
        ['A', '1. B', '2. C']
        >>> [s.title for s in split_sections("# A\\n## 1. B\\nx\\n## 2. C\\ny")]
        ['1. B', '2. C']
    """
    return sections_from_lines(text, scan_lines(text, 0, len(text)))
