"""The Document view: the whole text, every passage tinted, flags, pages, furniture and evidence marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summary_coverage import Checker
from summary_coverage.inputs.files import load_bytes
from summary_coverage.report.document_view import document_html, page_starts_of

from fixtures_docs import contract_as_pdf

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


def _visible(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    body = re.sub(r"<span class='(?:page|tag)'>.*?</span>", "", body)
    return re.sub(r"<[^>]+>", "", body).replace("&nbsp;", " ")


def test_every_passage_is_tinted_and_uncovered_ones_marked(minilm: Checker) -> None:
    import html

    text = (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")
    summary = (SAMPLES / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
    report = minilm.check(text, summary)
    page = document_html(report, text)
    for p in report.passages:
        assert f"id='p-{p.index}'" in page
    assert page.count("class='p uncovered") == len(report.uncovered)
    assert len(re.findall(r"id='sec-\d+'", page)) == len(report.sections)
    assert html.unescape(_visible(page)) == text  # the whole text, every character, in order
    assert "<script>" not in page

    s = report.unsupported[0]
    focused = document_html(report, text, sentence=s, scroll=True)
    best = report.summary_sentences[s].best_passage
    assert re.search(rf"class='p[^']*evidence[^']*focus[^']*' id='p-{best}'", focused)
    assert '<mark class="match">' in focused
    assert f"getElementById('p-{best}')" in focused


def test_user_text_is_escaped(minilm: Checker) -> None:
    text = "# Terms\n\nThe <script>alert(1)</script> fee is 'due' & \"payable\" in 30 days."
    report = minilm.check(text, "The fee is payable in 30 days.")
    page = document_html(report, text, sentence=0)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_pdf_shows_its_pages_and_greys_its_furniture(minilm: Checker) -> None:
    pytest.importorskip("reportlab")
    data, _ = contract_as_pdf((SAMPLES / "zh_contract.md").read_text(encoding="utf-8"), chinese=True)
    loaded = load_bytes(data, "zh.pdf")
    report = minilm.check(loaded, (SAMPLES / "zh_contract.summary.md").read_text(encoding="utf-8"))
    page = document_html(report, loaded.text, pages=loaded.pages)
    assert page.count("class='page'") == len(loaded.pages) == 3
    assert page.count("class='furniture'") == len(loaded.furniture)
    assert page_starts_of(report)[0] <= loaded.pages[1]


def test_a_page_that_starts_inside_a_passage_is_numbered_there(hashing) -> None:
    text = "## 1. Term\n\nThe agreement runs for two years and renews for one more year unless ended.\n"
    report = hashing.check(text, "- The agreement runs for two years.")
    (passage,) = [p for p in report.passages if "renews" in p.text]
    inside = text.index("renews")  # page 2 starts in the middle of the clause
    page = document_html(report, text, pages=[0, inside], sentence=0)
    start = page.index(f"id='p-{passage.index}'")
    mark = page.index("p.&nbsp;2")
    assert start < page.index("runs") < mark < page.index("renews") < page.index("unless ended")
    assert page.count("class='page'") == 2 and page.index("p.&nbsp;1") < start
    assert '<mark class="match">agreement</mark>' in page  # the evidence's shared words, still marked
