"""What a Word paragraph looks like to its author: heading level, automatic number, tracked text.

* **Headings** come from paragraph styles: ``Title`` is level 1, ``Heading N``
  level N + 1 (so a Word file reads like a markdown contract with ``#`` for
  its title and ``##`` for its clauses), and a custom style based on one of
  them (at any depth) takes its level; a style or paragraph outline level
  (``w:outlineLvl``) counts too. A heading is written as a markdown heading
  line, which opens a section at that level.
* **Automatic numbering** (``w:numPr`` on the paragraph or its style, with the
  numbering part's definitions) is rebuilt as the author sees it: ``1.``,
  ``1.1``, ``(a)``, ``iv.``, following each level's ``lvlText``, ``numFmt``
  and ``start``, with deeper levels restarting when a shallower one advances.
  Bullets become ``-``.
* **Tracked changes**: inserted text is kept, deleted text left out
  (``w:del``, ``w:moveFrom``), and :class:`DocxText` says the file had them.
* **Text boxes** become blocks of their own after the paragraph that anchors
  them (read once: Word's VML fallback copy is skipped), and **footnotes and
  endnotes** become ``Footnote N: ...`` blocks after the paragraph that
  cites them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {f"{W}del", f"{W}moveFrom", f"{W}delText", f"{MC}Fallback"}
_TEXT_BOX = f"{W}txbxContent"
_NOTE_REFERENCES = {f"{W}footnoteReference": "footnote", f"{W}endnoteReference": "endnote"}
_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
    (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _val(element: Any, tag: str) -> str | None:
    child = element.find(f"{W}{tag}") if element is not None else None
    return None if child is None else child.get(f"{W}val")


def roman(n: int) -> str:
    """Lower-case Roman numeral of a positive integer."""
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, and so on."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_CN_DIGITS = "零一二三四五六七八九"


def chinese_counting(n: int) -> str:
    """Word's ``chineseCounting``: 一, 十, 十一, 二十三, 一百零五, 一百一十 (Arabic digits past 999)."""
    if n < 0 or n > 999:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")
    hundreds, rest = divmod(n, 100)
    head = _CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _CN_DIGITS[rest]
    tens, units = divmod(rest, 10)
    return head + _CN_DIGITS[tens] + "十" + (_CN_DIGITS[units] if units else "")


def format_number(n: int, fmt: str) -> str:
    """A counter in a Word ``numFmt`` (decimal, lowerLetter, upperRoman, chineseCounting, ...)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_counting(n)
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class Attachments:
    """What a paragraph holds that is not its own running text: text boxes and note references."""

    text_boxes: list[Any] = field(default_factory=list)  # w:txbxContent elements
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, w:id)


def paragraph_text(p: Any, attached: Attachments | None = None) -> tuple[str, bool]:
    """The text of a ``w:p`` with insertions kept and deletions left out; and whether it had changes.

    A text box's paragraphs (``w:txbxContent``) and footnote or endnote
    references are not part of the running text; they are collected into
    ``attached`` when given. The VML copy Word keeps of every text box
    (``mc:Fallback``) is skipped, so a box is read once.
    """
    parts: list[str] = []
    changed = False

    def walk(node: Any) -> None:
        nonlocal changed
        for child in node.iterchildren():
            tag = child.tag
            if tag == f"{MC}Fallback":
                continue
            if tag in _SKIP:
                changed = True
                continue
            if tag == _TEXT_BOX:
                if attached is not None:
                    attached.text_boxes.append(child)
                continue
            if tag in _NOTE_REFERENCES:
                if attached is not None:
                    attached.notes.append((_NOTE_REFERENCES[tag], child.get(f"{W}id", "")))
                continue
            if tag == f"{W}ins" or tag == f"{W}moveTo":
                changed = True
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag != f"{W}pPr":
                walk(child)

    walk(p)
    return "".join(parts), changed


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class Numbering:
    """The numbering definitions of a document and the running counters."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    abstract_of: dict[str, str] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)  # abstractNum -> counter per level

    @classmethod
    def of(cls, document: Any) -> Numbering:
        """Read ``word/numbering.xml`` (an empty definition when the file has none)."""
        out = cls()
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            return out
        abstract: dict[str, dict[int, _Level]] = {}
        for a in root.iterchildren(f"{W}abstractNum"):
            levels = {}
            for lvl in a.iterchildren(f"{W}lvl"):
                start = _val(lvl, "start")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = _Level(
                    int(start) if start and start.isdigit() else 1,
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                )
            abstract[a.get(f"{W}abstractNumId", "")] = levels
        for num in root.iterchildren(f"{W}num"):
            num_id, abstract_id = num.get(f"{W}numId", ""), _val(num, "abstractNumId") or ""
            levels = {k: _Level(v.start, v.fmt, v.text) for k, v in abstract.get(abstract_id, {}).items()}
            for override in num.iterchildren(f"{W}lvlOverride"):
                start = _val(override, "startOverride")
                ilvl = int(override.get(f"{W}ilvl", "0"))
                if start and start.isdigit() and ilvl in levels:
                    levels[ilvl].start = int(start)
            out.levels[num_id] = levels
            out.abstract_of[num_id] = abstract_id
        return out

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (num, level) and return the label the author sees ('' if none)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, [0] * 10)
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        level = levels[ilvl]
        counts[ilvl] = level.start if counts[ilvl] == 0 else counts[ilvl] + 1
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return ""
        text = level.text
        for k in range(ilvl + 1):
            lv = levels.get(k, _Level())
            value = counts[k] or lv.start
            text = text.replace(f"%{k + 1}", format_number(value, lv.fmt))
        return text.strip()


def _style_chain(style: Any) -> Iterator[Any]:
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = getattr(style, "base_style", None)
        seen += 1


def heading_level(paragraph: Any) -> int:
    """The paragraph's heading level (see the module docstring), or 0 for body text."""
    outline = _val(paragraph._p.pPr, "outlineLvl") if paragraph._p.pPr is not None else None
    if outline is not None and outline.isdigit() and int(outline) < 9:
        return int(outline) + 2
    try:
        style = paragraph.style
    except Exception:
        return 0
    for s in _style_chain(style):
        name = (getattr(s, "name", "") or "").strip().lower()
        if name == "title":
            return 1
        if name.startswith("heading ") and name[8:].strip().isdigit():
            return int(name[8:].strip()) + 1
        ppr = getattr(s.element, "pPr", None)
        level = _val(ppr, "outlineLvl") if ppr is not None else None
        if level is not None and level.isdigit() and int(level) < 9:
            return int(level) + 2
    return 0


def numbering_of(paragraph: Any) -> tuple[str, int] | None:
    """``(numId, ilvl)`` from the paragraph's own ``w:numPr`` or its style chain's."""
    sources = [paragraph._p.pPr]
    with contextlib.suppress(Exception):  # a paragraph whose style cannot be resolved
        sources += [getattr(s.element, "pPr", None) for s in _style_chain(paragraph.style)]
    num_id: str | None = None
    ilvl: int | None = None
    for ppr in sources:
        numpr = ppr.find(f"{W}numPr") if ppr is not None else None
        if numpr is None:
            continue
        num_id = num_id if num_id is not None else _val(numpr, "numId")
        level = _val(numpr, "ilvl")
        ilvl = ilvl if ilvl is not None else (int(level) if level and level.isdigit() else None)
        if num_id is not None and ilvl is not None:
            break
    return None if num_id is None else (num_id, ilvl or 0)


@dataclass
class DocxText:
    """Running state while a document is rendered: numbering counters and what was seen."""

    numbering: Numbering
    tracked_changes: bool = False
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> w:id -> w:footnote/w:endnote
    note_counts: dict[str, int] = field(default_factory=dict)
    attached: Attachments = field(default_factory=Attachments)

    def render(self, paragraph: Any) -> str:
        """A paragraph as the author sees it: heading marker, rebuilt number, tracked text.

        Its text boxes and notes wait in :attr:`attached` for :meth:`attachments`.
        """
        text, changed = paragraph_text(paragraph._p, self.attached)
        self.tracked_changes |= changed
        if not text.strip():
            return ""
        num = numbering_of(paragraph)
        label = self.numbering.label(*num) if num else ""
        if label:
            # Word puts a tab after the number; a full-width bracket ("（一）") needs no space.
            gap = "" if label[-1] in "）】〕」』、．：" else " "
            text = f"{label}{gap}{text.lstrip()}"
        level = heading_level(paragraph)
        if level:
            return "#" * min(level, 6) + " " + " ".join(text.split())
        return text

    def attachments(self, render_box: Any) -> list[str]:
        """The blocks that follow the paragraph just rendered: its text boxes, then its notes.

        A footnote reads ``Footnote 2: ...`` (numbered in order of reference,
        as Word shows them) and sits right after the paragraph that cites
        it, where a reader looks for it. ``render_box`` renders one
        ``w:txbxContent`` element (its paragraphs and tables).
        """
        attached, self.attached = self.attached, Attachments()
        blocks = [text for box in attached.text_boxes if (text := render_box(box)).strip()]
        for kind, note_id in attached.notes:
            note = self.notes.get(kind, {}).get(note_id)
            if note is None:
                continue
            self.note_counts[kind] = self.note_counts.get(kind, 0) + 1
            body = " ".join(
                " ".join(paragraph_text(p)[0].split()) for p in note.iterchildren(f"{W}p")
            ).strip()
            if body:
                blocks.append(f"{kind.capitalize()} {self.note_counts[kind]}: {body}")
        return blocks


def read_notes(document: Any) -> dict[str, dict[str, Any]]:
    """Footnotes and endnotes by kind and ``w:id``, without separators and continuation notices."""
    from docx.oxml import parse_xml

    out: dict[str, dict[str, Any]] = {}
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind not in ("footnotes", "endnotes") or rel.is_external:
            continue
        root = parse_xml(rel.target_part.blob)
        notes = out.setdefault(kind[:-1], {})
        for note in root.iterchildren(f"{W}{kind[:-1]}"):
            if note.get(f"{W}type") in (None, "normal"):
                notes[note.get(f"{W}id", "")] = note
    return out
