"""Coverage-guided fuzzing of the PDF page layout and the accounting of every character, with atheris.

The first input byte picks ``max_tokens`` (as in ``fuzz_segment.py``); the
rest is decoded as UTF-8 and read as a document's pages: pages are
separated by form feeds (``\\f``), lines by line breaks, and each line is
placed 12 points below the one before (a line starting with ``@`` sits
on its own 30 points lower, as a footer would). The pages go through
:func:`~summary_coverage.inputs.pdf_layout.lay_out_pages` and the laid-out
text through ``segment_document`` with the furniture excluded. Findings:

* any exception, a hang or runaway memory;
* a character lost or made up by the layout (the non-space characters of
  the laid-out text differ from the pages');
* a furniture span that is not one whole line of its page, among its
  first or last ``EDGE_LINES`` lines, at most ``FURNITURE_CHARS`` long
  (page numbers aside);
* a passage holding a furniture character, two passages overlapping, or a
  non-space character in neither a passage nor the furniture
  (``account(...).unaccounted != 0``).

Run (from the repository root)::

    .venv/bin/python fuzz/fuzz_accounting.py build/fuzz/accounting/corpus fuzz/corpus/accounting \\
        -max_total_time=600 -timeout=30

or ``make fuzz``. ``tests/test_fuzz_regressions.py`` replays the seeds and
every saved finding through :func:`check_input` without atheris.
"""

from __future__ import annotations

import sys
from collections import Counter

# Imported before instrumentation so that only the packages below pay for it.
_UNINSTRUMENTED = ("numpy", "torch", "scipy", "transformers", "sentence_transformers", "tqdm")
# Packages whose branches guide the fuzzer: ours.
_INSTRUMENTED = ("summary_coverage",)


def split_input(data: bytes) -> tuple[int, list[list[str]]]:
    """``max_tokens`` (from the first byte) and the pages' lines (the rest, decoded)."""
    if not data:
        return 512, [[]]
    first, rest = data[0], data[1:]
    max_tokens = 512 if first >= 250 else 3 + first
    try:
        text = rest.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        text = rest.decode("utf-8", "replace")
    return max_tokens, [page.split("\n") for page in text.split("\f")]


def check_input(data: bytes) -> None:
    """Lay out, segment and account for one fuzz input; raise on any finding.

    Raises:
        AssertionError: An invariant does not hold.
        Exception: Anything the layout, the segmenter or the accounting raised.
    """
    from summary_coverage.inputs.pdf_layout import (
        _PAGE_NUMBER,
        EDGE_LINES,
        FURNITURE_CHARS,
        PlacedLine,
        lay_out_pages,
    )
    from summary_coverage.report.accounting import FURNITURE, account
    from summary_coverage.segment import segment_document
    from summary_coverage.segment.tokens import ApproximateTokenCounter

    max_tokens, raw_pages = split_input(data)
    pages = []
    for raw in raw_pages:
        y = 800.0
        placed = []
        for line in raw:
            if line.startswith("@"):
                y -= 30.0
            placed.append(PlacedLine(line, y, 10.0))
            y -= 12.0
        pages.append(placed)
    laid = lay_out_pages(pages)
    text = laid.text

    def chars(s: str) -> Counter[str]:
        return Counter(c for c in s if not c.isspace() and c != "#")

    # The layout only moves lines, joins wrapped ones and marks headings ("#"): no character is lost.
    assert chars(text) == chars("".join(ln.text for page in pages for ln in page)), "the layout lost text"
    assert list(laid.pages) == sorted(laid.pages) and len(laid.pages) == len(pages)
    for a, b, page in laid.furniture:
        line = text[a:b]
        assert "\n" not in line and line == line.strip() and line, f"furniture {line!r} is not one line"
        lines = [ln.text.strip() for ln in pages[page - 1] if ln.text.strip()]
        assert line in lines[:EDGE_LINES] + lines[-EDGE_LINES:], f"furniture {line!r} away from the edge"
        assert len(line) <= FURNITURE_CHARS or _PAGE_NUMBER.fullmatch(line), "a long furniture line"
    seg = segment_document(
        text,
        max_tokens=max_tokens,
        counter=ApproximateTokenCounter(),
        exclude=[(a, b) for a, b, _ in laid.furniture],
    )
    spans = sorted([(p.start, p.end) for p in seg.passages] + [(a, b) for a, b, _ in laid.furniture])
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start, "a passage holds furniture, or two passages overlap"
    for p in seg.passages:
        assert text[p.start : p.end] == p.text
    acc = account(
        text, [(p.start, p.end) for p in seg.passages], [(FURNITURE, a, b) for a, b, _ in laid.furniture]
    )
    assert acc.unaccounted == 0, f"{acc.unaccounted} characters neither scored nor skipped"


def test_one_input(data: bytes) -> None:
    """The atheris entry point."""
    check_input(data)


def main() -> None:
    """Import the targets under instrumentation and hand control to libFuzzer."""
    import importlib

    import atheris

    for name in _UNINSTRUMENTED:
        importlib.import_module(name)
    with atheris.instrument_imports(include=list(_INSTRUMENTED)):
        import summary_coverage.inputs.pdf_layout  # noqa: F401
        import summary_coverage.report.accounting  # noqa: F401
        import summary_coverage.segment  # noqa: F401
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
