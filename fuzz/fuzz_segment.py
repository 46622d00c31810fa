"""Coverage-guided fuzzing of segmentation and fact extraction with atheris.

The first input byte picks ``max_tokens`` (3 to 252, or 512 for bytes 250 and
up); the rest is decoded as UTF-8 (``surrogatepass``, falling back to
``replace`` for bytes that are not UTF-8) and given to
``segment_document(text, max_tokens=..., counter=ApproximateTokenCounter())``,
``segment_summary(text)`` and ``extract_facts(text)``. The invariants
checked, any of which failing is a finding (as is any exception, a hang or
runaway memory):

* ``text[x.start:x.end] == x.text`` for every section, paragraph, passage,
  sentence (of each paragraph and of the summary), skipped summary line and
  fact;
* sections, paragraphs, passages and sentences are in order and do not
  overlap, and every non-whitespace character of the text lies in exactly
  one of each (sentences: of their paragraph);
* passages lie inside one paragraph, carry its section and their exact token
  count, and fit ``max_tokens``;
* facts are sorted and non-overlapping, and ``extract_facts`` on a passage's
  range gives offsets into the whole text.

Run (from the repository root)::

    .venv/bin/python fuzz/fuzz_segment.py build/fuzz/segment/corpus fuzz/corpus/segment \\
        -max_total_time=120 -timeout=30

or ``make fuzz``. ``tests/test_fuzz_regressions.py`` replays the seeds and
every saved finding through :func:`check_input` without atheris.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

# Imported before instrumentation so that only the packages below pay for it.
_UNINSTRUMENTED = ("numpy", "torch", "scipy", "transformers", "sentence_transformers", "tqdm")
# Packages whose branches guide the fuzzer: ours and NLTK's Punkt.
_INSTRUMENTED = ("summary_coverage", "nltk")


def split_input(data: bytes) -> tuple[int, str]:
    """``max_tokens`` (from the first byte) and the text (the rest, decoded)."""
    if not data:
        return 512, ""
    first, rest = data[0], data[1:]
    max_tokens = 512 if first >= 250 else 3 + first
    try:
        text = rest.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        text = rest.decode("utf-8", "replace")
    return max_tokens, text


def _check_spans(text: str, spans: Sequence[Any], what: str, lo: int = 0, hi: int | None = None) -> None:
    """Exact texts, in order, no overlap, inside ``[lo, hi)``; non-space characters all covered."""
    hi = len(text) if hi is None else hi
    cursor = lo
    for n, span in enumerate(spans):
        assert span.index == n, f"{what} {n} has index {span.index}"
        assert lo <= span.start < span.end <= hi, f"{what} {n} [{span.start}:{span.end}] outside [{lo}:{hi}]"
        assert text[span.start : span.end] == span.text, f"{what} {n} text differs from its offsets"
        assert span.start >= cursor, f"{what} {n} starts at {span.start}, before the previous end {cursor}"
        assert not span.text[:1].isspace() and not span.text[-1:].isspace(), f"{what} {n} is not trimmed"
        gap = text[cursor : span.start]
        assert not gap or gap.isspace(), f"{what} {n}: non-space text {gap[:40]!r} lies in no {what}"
        cursor = span.end
    tail = text[cursor:hi]
    assert not tail or tail.isspace(), f"non-space text {tail[:40]!r} after the last {what}"


def check_input(data: bytes) -> None:
    """Segment one fuzz input and check every invariant; raise on any finding.

    Raises:
        AssertionError: An invariant does not hold.
        Exception: Anything the segmenters or the fact extractor raised.
    """
    from summary_coverage.facts.quantities import extract_facts
    from summary_coverage.segment import segment_document, segment_summary, split_sentences
    from summary_coverage.segment.tokens import ApproximateTokenCounter

    max_tokens, text = split_input(data)
    counter = ApproximateTokenCounter()
    seg = segment_document(text, max_tokens=max_tokens, counter=counter)
    assert seg.text == text
    _check_spans(text, seg.sections, "section")
    _check_spans(text, seg.paragraphs, "paragraph")
    _check_spans(text, seg.passages, "passage")
    sections = seg.sections
    for paragraph in seg.paragraphs:
        a, b = paragraph.start, paragraph.end
        section = sections[paragraph.section]
        assert section.start <= a and b <= section.end, f"paragraph {paragraph.index} leaves its section"
        _check_spans(text, split_sentences(text, a, b), "sentence", a, b)
    paragraphs = iter(seg.paragraphs)
    paragraph = next(paragraphs, None)
    for passage in seg.passages:
        while paragraph is not None and paragraph.end <= passage.start:
            paragraph = next(paragraphs, None)
        assert paragraph is not None and paragraph.start <= passage.start and passage.end <= paragraph.end, (
            f"passage {passage.index} is not inside one paragraph"
        )
        assert passage.section == paragraph.section
        assert passage.tokens == counter.count_tokens([passage.text])[0], "wrong token count"
        assert passage.tokens <= max_tokens, f"passage {passage.index}: {passage.tokens} > {max_tokens}"

    summary = segment_summary(text)
    assert summary.text == text
    _check_spans_loose(text, summary.sentences, "summary sentence")
    _check_spans_loose(text, summary.skipped, "skipped line")

    facts = extract_facts(text)
    _check_facts(text, facts, 0, len(text))
    for passage in seg.passages[:20]:
        _check_facts(text, extract_facts(text, passage.start, passage.end), passage.start, passage.end)


def _check_spans_loose(text: str, spans: Sequence[Any], what: str) -> None:
    """Exact texts, in order, no overlap (summary markers may lie outside every span)."""
    cursor = 0
    for n, span in enumerate(spans):
        assert span.index == n
        assert cursor <= span.start < span.end <= len(text), f"{what} {n} [{span.start}:{span.end}] misplaced"
        assert text[span.start : span.end] == span.text, f"{what} {n} text differs from its offsets"
        assert span.text.strip() == span.text, f"{what} {n} is not trimmed"
        cursor = span.end


def _check_facts(text: str, facts: Sequence[Any], lo: int, hi: int) -> None:
    """Facts exact, sorted, non-overlapping and inside ``[lo, hi)``."""
    cursor = lo
    for fact in facts:
        assert fact.kind in ("amount", "percentage", "duration", "date", "number"), fact.kind
        assert cursor <= fact.start < fact.end <= hi, f"fact {fact} misplaced in [{lo}:{hi}]"
        assert text[fact.start : fact.end] == fact.text, f"fact {fact} text differs from its offsets"
        assert fact.value, f"fact {fact} has no value"
        cursor = fact.end


def test_one_input(data: bytes) -> None:
    """The atheris entry point."""
    check_input(data)


def main() -> None:
    """Import the targets under instrumentation and hand control to libFuzzer."""
    import importlib

    import atheris

    for module in _UNINSTRUMENTED:
        importlib.import_module(module)
    with atheris.instrument_imports(include=list(_INSTRUMENTED)):
        import nltk.tokenize.punkt  # noqa: F401

        import summary_coverage.facts.quantities  # noqa: F401
        import summary_coverage.segment  # noqa: F401
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
