"""Contracts printed the ordinary ways (reportlab, tight header; Chromium; LibreOffice), in two languages.

Nothing of a clause may be skipped: only the running header and footer
lines are, every clause heading is a section, and every passage is on the
page where its first words are printed. The PDFs are made by
``tests/printed_docs.py`` from texts written for these tests.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")

from printed_docs import FURNITURE, OUT, clauses, markdown  # noqa: E402

from summary_coverage.inputs.files import load_path  # noqa: E402

NAMES = sorted(FURNITURE)


def _chars(text: str) -> Counter[str]:
    """Letters and digits, ligatures folded: what must survive printing and reading back."""
    return Counter(c for c in unicodedata.normalize("NFKC", text) if c.isalnum())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def checked(minilm):
    out = {}
    for name in NAMES:
        path = OUT / f"{name}.pdf"
        loaded = load_path(path)
        summary = clauses(name)[4][1][0]
        out[name] = (loaded, minilm.check(loaded, summary), path)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_only_header_and_footer_lines_are_skipped(checked, name: str) -> None:
    loaded, report, _ = checked[name]
    header, footer = FURNITURE[name]
    skipped = [s for s in report.skipped if s.part == "document"]
    pages = report.document.pages
    assert pages >= 3
    for s in skipped:
        line = " ".join(s.text.split())
        assert header.fullmatch(line) or footer.fullmatch(line), (s.page, line)
        assert "\n" not in s.text and loaded.text[s.start : s.end] == s.text
    # One header and one footer per page, each found.
    assert sorted((s.page, bool(header.fullmatch(" ".join(s.text.split())))) for s in skipped) == sorted(
        (p, h) for p in range(1, pages + 1) for h in (True, False)
    )
    acc = report.document.accounted
    assert acc is not None and acc.unaccounted == 0
    assert acc.skipped == (
        ("header/footer lines", 2 * pages, sum(len("".join(s.text.split())) for s in skipped)),
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_character_of_every_clause_reaches_a_passage(checked, name: str) -> None:
    _, report, _ = checked[name]
    wanted = _chars(markdown(name).replace("#", ""))
    got = _chars("".join(p.text for p in report.passages))
    missing = wanted - got
    assert not missing, f"clause text not in any passage: {dict(missing)}"


@pytest.mark.parametrize("name", NAMES)
def test_every_clause_heading_is_a_section(checked, name: str) -> None:
    _, report, _ = checked[name]
    titles = {_squash(s.title.lstrip("#")) for s in report.sections}
    for heading, _ in clauses(name):
        assert _squash(heading) in titles, (heading, sorted(titles))
    assert len(report.sections) >= len(clauses(name))


@pytest.mark.parametrize("name", NAMES)
def test_every_passage_is_on_the_page_its_first_words_are_printed(checked, name: str) -> None:
    _, report, path = checked[name]
    pages = [_squash(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(Path(path).read_bytes())).pages]
    for p in report.passages:
        first = _squash(p.text.lstrip("# ").split("\n")[0])[:12]  # its first line (a heading may end a page)
        assert first in pages[p.page - 1], (p.index, p.page, first)
