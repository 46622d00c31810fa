"""What text looks like to matching: ligatures and other compatibility characters folded, line-end hyphens joined.

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

Example:
    >>> matching_text("the conﬁdential termi-\\nnation ﬁle")
    'the confidential termination file'
"""

from __future__ import annotations

import re
import unicodedata

LINE_END_HYPHEN = r"-[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[a-zß-öø-ÿ])"
"""A hyphen, a line break and the lower-case start of the word's second half (regex source)."""

_JOIN = re.compile(rf"(?<=[^\W\d_]){LINE_END_HYPHEN}")
_SOFT_HYPHEN = "\u00ad"


def fold(word: str) -> str:
    """One term as matching sees it: NFKC-folded, line-end hyphen removed, soft hyphens dropped."""
    if word.isascii():
        return _JOIN.sub("", word) if "-" in word else word
    return unicodedata.normalize("NFKC", _JOIN.sub("", word).replace(_SOFT_HYPHEN, ""))


def matching_text(text: str) -> str:
    """A whole text as matching sees it (see the module docstring); ``text`` itself when nothing changes."""
    if text.isascii():
        return _JOIN.sub("", text) if "-\n" in text or "-\r" in text or "- " in text else text
    return unicodedata.normalize("NFKC", _JOIN.sub("", text).replace(_SOFT_HYPHEN, ""))
