"""Sentences: Punkt with contract abbreviations, plus rules for Chinese, lists and enumerators."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import InputError
from .lines import CJK_CLASS, CLOSERS, ENUMERATOR_ONLY, HEADING_MD, cut, scan_lines

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer
from .pieces import Span

# Lowercase, without the final period. "etc" is deliberately absent: it ends
# sentences as often as not, and a following lowercase word already blocks a
# cut (see _lowercase_follows).
_ABBREVIATION_WORDS = (
    "sec secs s ss no nos inc ltd co corp llc llp plc u.s u.s.a u.k e.u e.g i.e vs v art "
    "arts cl para paras pp p mr mrs ms dr prof st jr sr jan feb mar apr jun jul aug sep "
    "sept oct nov dec approx cf ibid fig figs ref dept est max min incl excl n.b a.m p.m "
    "ch vol al seq viz sched exh attn govt intl assn bros reg regs hr hrs yr yrs mo mos"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split()) | frozenset("abcdefghijklmnopqrstuvwxyz")

_INLINE_ENUMERATOR = re.compile(r"(?:[ivx]{1,5}\.|\((?:[a-z]{1,2}|[ivx]{1,5})\))(?:\s|$)")
_ENUMERATOR_AFTER_COLON = re.compile(r"[:;]\s+((?:[0-9]{1,3}|[ivxIVX]{1,5}|[A-Za-z])\.)\s*$")
# "Schedule B. The ..." ends a sentence although "B." looks like an initial.
_LETTER_REFERENCE_END = re.compile(
    r"\b(?i:schedule|exhibit|annex|appendix|attachment|addendum|article|section|clause|part"
    r"|option|phase|class|series|tranche|tier|type)\s+[A-Z]\.(?=\s+[\"“(]?[A-Z])"
)
_CJK_END = re.compile(rf"[。！？；]+[{CLOSERS}]*")
_BANG_BEFORE_CJK = re.compile(rf"[!?]+[{CLOSERS}]*(?=\s*[{CJK_CLASS}])")


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    """Build the untrained Punkt tokenizer with contract abbreviations, once.

    nltk is imported here, not at module import: its package ``__init__``
    takes about 2 s, which the dashboard's first page must not wait for.
    """
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    # A PunktParameters object given as train_text is used as the parameters.
    return PunktSentenceTokenizer(params)


_ETC_BEFORE = re.compile(r"\betc\.[\"'”’)\]]*\s*$", re.IGNORECASE)


def _lowercase_follows(text: str, pos: int) -> bool:
    """Whether ``pos`` follows "etc." and starts a lowercase word (not an enumerator like ``iv.``).

    "etc." ends a sentence as often as not, so Punkt cannot know it as an
    abbreviation; a lowercase next word says the sentence goes on. Other
    lowercase sentence starts (common in lower-cased, cleaned corpora) keep
    their cut.
    """
    rest = text[pos : pos + 64].lstrip()
    if not rest or not rest[0].islower() or _INLINE_ENUMERATOR.match(rest):
        return False
    return bool(_ETC_BEFORE.search(text, max(0, pos - 16), pos))


def _punkt_cuts(sub: str) -> list[int]:
    """Punkt's sentence starts in ``sub``, adjusted for contract text.

    A cut between "etc." and a lowercase word is dropped; a cut after an inline
    enumerator (``as follows: 1. The``) moves to before the enumerator.
    """
    cuts = []
    for a, _ in _punkt().span_tokenize(sub):
        if a <= 0 or _lowercase_follows(sub, a):
            continue
        moved = _ENUMERATOR_AFTER_COLON.search(sub, max(0, a - 64), a)
        cuts.append(moved.start(1) if moved else a)
    cuts.extend(m.end() for m in _LETTER_REFERENCE_END.finditer(sub))
    return cuts


def split_sentences(text: str, start: int = 0, end: int | None = None) -> tuple[Span, ...]:
    """Split ``text[start:end]`` into sentences.

    Punkt (NLTK, untrained, with contract abbreviations such as ``Sec.``,
    ``No.``, ``Inc.``, ``Jan.``, ``U.S.``, ``e.g.`` and single initials)
    proposes cut points; then:

    * a Punkt cut between "etc." and a lowercase word is dropped (``etc. and``);
    * the text is also cut after Chinese terminators ``。！？；``, and after
      ``!``/``?`` followed by CJK text, keeping closing quotes and brackets
      with the sentence that ends;
    * it is cut before every line that starts a list item or a heading, and
      after a markdown heading line;
    * a piece that is only an enumerator (``1.``, ``1.1``, ``(a)``, ``iv.``,
      ``A.``, ``第一条``) or a heading marker (``##``) is joined to the
      sentence that follows it.

    Section numbers (``3.1``, ``Sec. 4.2``) never cause a cut, since Punkt
    only cuts at a period followed by whitespace.

    Args:
        text: The full text; offsets in the result index it.
        start: Offset where the range to split begins.
        end: Offset where it ends; ``None`` for the end of ``text``.

    Returns:
        Sentences in order, each trimmed of surrounding whitespace, with
        ``section`` 0. Every non-space character of the range is in exactly
        one sentence.

    Raises:
        InputError: ``start``/``end`` do not describe a range of ``text``.

    Example:
        >>> [s.text for s in split_sentences("See Sec. 4.2 of the Agreement. Pay now.")]
        ['See Sec. 4.2 of the Agreement.', 'Pay now.']
    """
    stop = len(text) if end is None else end
    if not 0 <= start <= stop <= len(text):
        raise InputError(f"The range {start}:{end} is not inside a text of {len(text)} characters.")
    sub = text[start:stop]
    if not sub or sub.isspace():
        return ()
    return tuple(Span(i, start + a, start + b, sub[a:b]) for i, (a, b) in enumerate(_sentence_ranges(sub)))


@lru_cache(maxsize=4096)
def _sentence_ranges(sub: str) -> tuple[tuple[int, int], ...]:
    """The sentences of ``sub`` as ``(start, end)`` offsets into it (see :func:`split_sentences`).

    Memoised: the checker splits the same passages again for the support
    checks and the numbers check, and a re-check splits them all again.
    """
    cuts = _punkt_cuts(sub)
    cuts.extend(m.end() for m in _CJK_END.finditer(sub))
    cuts.extend(m.end() for m in _BANG_BEFORE_CJK.finditer(sub))
    lines = scan_lines(sub, 0, len(sub))
    for line in lines[1:]:
        if line.kind or line.listed:
            cuts.append(line.start)
    cuts.extend(line.end for line in lines if line.kind == HEADING_MD)

    pieces = cut(sub, 0, len(sub), cuts)
    joined: list[tuple[int, int]] = []
    pending: int | None = None
    for i, (a, b) in enumerate(pieces):
        first = a if pending is None else pending
        if i + 1 < len(pieces) and ENUMERATOR_ONLY.fullmatch(sub, a, b):
            pending = first
            continue
        joined.append((first, b))
        pending = None
    return tuple(joined)
