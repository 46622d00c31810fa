"""What text looks like to matching: compatibility characters folded, line-end hyphens joined.

A PDF's text layer keeps typography a reader never notices: the ``ﬁ``
ligature (one character), full-width digits, and words hyphenated at a
line end (``termi-`` / ``nation``). Offsets must point into that text as
extracted, so it is never rewritten; the lexical channel, the names check
and the encoder read it through :func:`matching_text` (whole texts, for
sets and embeddings) or :func:`fold` (one term whose span is kept).

* **Compatibility characters** are folded with Unicode NFKC: ``ﬁ`` → ``fi``,
  ``１２`` → ``12``, ``Ⅳ`` → ``IV``.
* **A hyphen at a line end** between a letter and a lower-case letter joins
  the two halves into one word (``termi-\\nnation`` → ``termination``); a
  capital after the break (``Anglo-\\nSaxon``) keeps the hyphen.
* **Markdown heading markers** (``## ``) at a line start are markup, not
  words: a Word heading the reader writes as ``## 第一条 服务内容`` reads
  like the typed ``第一条 服务内容``.
* **A line break inside Chinese or Japanese text** (a wrapped line: ``软`` /
  ``件开发``) is no break at all.

Example:
    >>> matching_text("the conﬁdential termi-\\nnation ﬁle")
    'the confidential termination file'
"""

from __future__ import annotations

import re
import unicodedata

LINE_END_HYPHEN = r"-[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[a-zß-öø-ÿ])"
"""A hyphen, a line break and the lower-case start of the word's second half (regex source)."""

CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
"""Scripts written without spaces (kana, CJK ideographs, hangul), as a character-class body."""

CJK_LINE_BREAK = rf"[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[{CJK_CHARS}])"
"""A line break inside a run of CJK text, where a line wraps mid-word (regex source)."""

_JOIN = re.compile(rf"(?<=[^\W\d_]){LINE_END_HYPHEN}|(?<=[{CJK_CHARS}]){CJK_LINE_BREAK}")
_SOFT_HYPHEN = "\u00ad"


def fold(word: str) -> str:
    """One term as matching sees it: NFKC-folded, line-end hyphen removed, soft hyphens dropped."""
    if word.isascii():
        return _JOIN.sub("", word) if "-" in word else word
    return unicodedata.normalize("NFKC", _JOIN.sub("", word).replace(_SOFT_HYPHEN, ""))


_HEADING_MARK = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+(?=\S)")


def matching_text(text: str) -> str:
    """A whole text as matching sees it (see the module docstring); ``text`` itself when nothing changes."""
    if "#" in text:  # markdown heading markers are markup: "## 第一条" reads like "第一条"
        text = _HEADING_MARK.sub("", text)
    if text.isascii():
        return _JOIN.sub("", text) if "-\n" in text or "-\r" in text or "- " in text else text
    return unicodedata.normalize("NFKC", _JOIN.sub("", text).replace(_SOFT_HYPHEN, ""))


_LIGATURES = re.compile("[\ufb00-\ufb06]")


def expand_ligatures(text: str) -> tuple[str, list[int]] | None:
    """``text`` with Latin ligatures (``ﬁ``, ``ﬂ``, ``ﬀ``...) spelled out, and where each character came from.

    Returns ``None`` when the text has none. Otherwise ``(expanded, origin)``
    where ``origin[i]`` is the offset in ``text`` of ``expanded[i]``, so a
    span found in the expanded text maps back as
    ``(origin[a], origin[b - 1] + 1)``.
    """
    if not _LIGATURES.search(text):
        return None
    parts: list[str] = []
    origin: list[int] = []
    cursor = 0
    for m in _LIGATURES.finditer(text):
        parts.append(text[cursor : m.start()])
        origin.extend(range(cursor, m.start()))
        spelled = unicodedata.normalize("NFKC", m.group(0))
        parts.append(spelled)
        origin.extend([m.start()] * len(spelled))
        cursor = m.end()
    parts.append(text[cursor:])
    origin.extend(range(cursor, len(text)))
    return "".join(parts), origin
