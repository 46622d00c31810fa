"""Summaries: the sentences that get checked, without bullets, numbers or heading lines."""

from __future__ import annotations

import re

from .lines import is_cjk, scan_lines, trim
from .pieces import Span, SummarySegmentation
from .sentences import split_sentences

_SUMMARY_HEADING = re.compile(r"#{1,6}(?:\s|$)")
_SUMMARY_BULLET = re.compile(
    r"(?:[-*+•]|[0-9]{1,3}[.)]|\((?:[0-9]{1,3}|[A-Za-z]{1,2}|[ivxIVX]{1,5})\))(?:\s+|$)"
)

_TERMINAL = tuple(".!?。！？；;:")


def _wrapped(previous: str, line: str) -> bool:
    """Whether ``line`` continues ``previous`` as a hard-wrapped line of the same item.

    Summaries usually put one point per line, so a new line starts a new item,
    unless the previous line does not end in terminal punctuation and either
    the new line starts with a lowercase letter ("The deal\\nis done.") or
    the previous line looks cut at a fixed width (60+ characters, 30+ in CJK
    text) and the new line does not start with a capital letter.
    """
    last = previous.rstrip()
    if not last or last.endswith(_TERMINAL):
        return False
    if line[:1].islower():
        return True
    tail = last[last.rfind("\n") + 1 :]
    cjk = any(is_cjk(c) for c in tail[-10:])
    return len(tail) >= (30 if cjk else 60) and not line[:1].isupper()


def segment_summary(text: str) -> SummarySegmentation:
    """Split a summary into the sentences that get checked.

    Lines that are markdown headings (``# Summary``) are ``skipped``: they
    are not claims. A bullet or number (``- ``, ``* ``, ``+ ``, ``• ``,
    ``1. ``, ``1) ``, ``(a) ``) starts a new item and is left out of the
    sentence span; blank lines end items, and so does a line break unless the
    line was hard-wrapped (see :func:`_wrapped`). Each item is then split with
    :func:`split_sentences`.

    Args:
        text: The summary, exactly as it will be checked.

    Returns:
        The sentences and skipped lines; an empty summary has neither.

    Example:
        >>> seg = segment_summary("# Summary\\n- Fees rise. Term ends.\\n2. Notice")
        >>> [s.text for s in seg.sentences], [s.text for s in seg.skipped]
        (['Fees rise.', 'Term ends.', 'Notice'], ['# Summary'])
    """
    items: list[tuple[int, int]] = []
    skipped: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for line in scan_lines(text, 0, len(text)):
        if line.blank:
            if current is not None:
                items.append(current)
            current = None
            continue
        content = text[line.start : line.end]
        lead = len(content) - len(content.lstrip())
        body = content[lead:]
        if _SUMMARY_HEADING.match(body):
            if current is not None:
                items.append(current)
            current = None
            trimmed = trim(text, line.start, line.end)
            if trimmed is not None:
                skipped.append(trimmed)
            continue
        if bullet := _SUMMARY_BULLET.match(body):
            if current is not None:
                items.append(current)
            current = (line.start + lead + bullet.end(), line.end)
            continue
        if current is not None and not _wrapped(text[current[0] : current[1]], body):
            items.append(current)
            current = None
        current = (line.start + lead if current is None else current[0], line.end)
    if current is not None:
        items.append(current)

    sentences: list[Span] = []
    for a, b in items:
        for s in split_sentences(text, a, b):
            sentences.append(Span(len(sentences), s.start, s.end, s.text))
    return SummarySegmentation(
        text,
        tuple(sentences),
        tuple(Span(i, a, b, text[a:b]) for i, (a, b) in enumerate(skipped)),
    )
