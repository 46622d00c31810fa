"""Hostile input: every case ends in a correct report or one clear error, never a crash, hang or traceback.

Each input goes through the surfaces where it can arrive: the library
(``Checker``, ``load_path``/``load_bytes``), the command line (``main(argv)``:
exit 0 with a report, or exit 2 with one ``error:`` line on stderr) and the
dashboard (Streamlit's AppTest: one error box, no exception). Cases already
covered well in ``test_loaders.py``, ``test_app.py`` or ``test_batch.py`` only
get the surface they lack here; a comment names the existing test.

Big inputs use the deterministic ``HashingEncoder`` (fixture ``hashing``), so
the file runs in under a minute on two cores; a few small realistic cases use
the real bundled MiniLM (fixture ``minilm``). Memory claims are measured with
``tracemalloc`` (Python allocations, numpy buffers included); nothing here
asserts a time.
"""

from __future__ import annotations

import ast
import codecs
import hashlib
import json
import os
import pickle
import random
import re
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from summary_coverage import Checker, CoverageReport, HashingEncoder, InputError, Settings
from summary_coverage.app import session
from summary_coverage.batch.local import run_batch_file, score_batch
from summary_coverage.batch.row_files import read_written_rows
from summary_coverage.cli import main
from summary_coverage.facts.quantities import extract_facts
from summary_coverage.inputs.files import load_path
from summary_coverage.report.html_report import render_html

from conftest import ROOT
from fixtures_docs import encrypted_pdf, text_pdf, word_docx, zero_bomb_zip

APP = str(ROOT / "streamlit_app.py")
PACKAGE = ROOT / "coverage"
SUMMARY = "- The fees are due within 30 days.\n- The term is one year.\n"

# Peak Python allocations (tracemalloc, numpy buffers included) allowed for a
# 200,000-token check with the HashingEncoder: measured 26 MiB, bound 256 MiB.
PEAK_BOUND_200K_TOKENS = 256 * 2**20
# Reading an endless device (/dev/zero) stops at the 50 MB size limit: measured
# 50 MiB (the bytes read), bound 128 MiB.
PEAK_BOUND_ENDLESS_INPUT = 128 * 2**20


# --------------------------------------------------------------------------
# Helpers


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def assert_exact(report: CoverageReport, document: str, summary: str) -> None:
    """Every offset in the report points at exactly the text it claims."""
    assert report.document.chars == len(document) and report.summary.chars == len(summary)
    for p in report.passages:
        assert document[p.start : p.end] == p.text, p
    for sec in report.sections:
        assert 0 <= sec.start <= sec.end <= len(document)
    for s in report.summary_sentences:
        assert summary[s.start : s.end] == s.text, s
    for k in report.skipped:
        assert summary[k.start : k.end] == k.text, k
    for m in report.mismatches:
        assert summary[m.summary_start : m.summary_end] == m.summary_text, m
        if m.evidence_start is not None:
            assert document[m.evidence_start : m.evidence_end] == m.evidence_text, m


def assert_covers(report: CoverageReport, document: str) -> None:
    """Passages are in order, do not overlap, and hold every non-space character exactly once."""
    spans = [(p.start, p.end) for p in report.passages]
    assert spans == sorted(spans)
    pos = 0
    for a, b in spans:
        assert a >= pos, "passages overlap"
        assert not document[pos:a].strip(), f"non-space text between passages: {document[pos:a]!r}"
        assert b > a
        pos = b
    assert not document[pos:].strip(), "text after the last passage is missing"
    assert sum(len("".join(p.text.split())) for p in report.passages) == len("".join(document.split()))


def assert_round_trip(report: CoverageReport) -> None:
    assert CoverageReport.from_json(report.to_json()) == report


def assert_one_error(code: int, err: str, message: str) -> None:
    """Exit 2 and exactly one line on stderr: ``error: <one sentence>``, no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and lines[0].endswith("."), err
    assert message in lines[0], err


def prose(n_words: int, *, seed: int = 0, sentence: int = 17, paragraph: int = 120, section: int = 0) -> str:
    """Deterministic English-like text: sentences, blank-line paragraphs, optional ``## N.`` headings."""
    rng = random.Random(seed)
    syllables = ["ta", "ro", "mi", "ven", "dal", "sor", "ke", "lin", "pa", "gru", "est", "ol", "quin", "bra"]
    vocab = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) for _ in range(600)]
    vocab += ["fee", "term", "supplier", "customer", "notice", "invoice", "days", "payment", "audit"]
    out: list[str] = []
    heading = 0
    for i in range(n_words):
        if section and i % section == 0:
            heading += 1
            out.append(("\n\n" if i else "") + f"## {heading}. Clause group {heading}\n\n")
        elif i and i % paragraph == 0:
            out.append(".\n\n")
        elif i and i % sentence == 0:
            out.append(". ")
        elif i:
            out.append(" ")
        word = rng.choice(vocab)
        starts = i == 0 or i % sentence == 0 or i % paragraph == 0 or bool(section and i % section == 0)
        out.append(word.capitalize() if starts else word)
    out.append(".\n")
    return "".join(out)


def long_line(n_chars: int, *, seed: int = 1) -> str:
    """Exactly ``n_chars`` characters of words and single spaces: no newline, no punctuation."""
    rng = random.Random(seed)
    vocab = ["alpha", "bravo", "clause", "delta", "echo", "fee", "golf", "hotel", "india", "term", "notice"]
    parts: list[str] = []
    size = 0
    while size < n_chars:
        word = rng.choice(vocab) + str(rng.randint(0, 99))
        parts.append(word)
        size += len(word) + 1
    text = " ".join(parts)[:n_chars]
    return text[:-1] + "z" if text.endswith(" ") else text


@pytest.fixture()
def cli(monkeypatch, capsys):
    """Run ``main(argv)`` with every model resolved to a fresh HashingEncoder; returns (code, out, err)."""
    monkeypatch.setattr(
        "summary_coverage.checker.load_encoder",
        lambda model=None, *, device="auto", dtype="auto": HashingEncoder(),
    )

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture()
def dashboard(monkeypatch):
    """Start the dashboard on the HashingEncoder (as test_app.py's ``hashing_encoder`` fixture does)."""
    st.cache_resource.clear()
    st.cache_data.clear()
    encoder = HashingEncoder()
    monkeypatch.setattr(session, "make_checker", lambda model: Checker(encoder))
    yield lambda: AppTest.from_file(APP, default_timeout=240).run()
    st.cache_resource.clear()
    st.cache_data.clear()


def upload(at: AppTest, key: str, name: str, data: bytes) -> AppTest:
    return at.file_uploader(key=key).set_value((name, data, "application/octet-stream")).run()


def errors(at: AppTest) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# --------------------------------------------------------------------------
# Empty, whitespace-only and heading-only documents

DEGENERATE = [
    ("empty.txt", b"", "empty.txt is empty."),
    ("bom-only.md", codecs.BOM_UTF8, "bom-only.md is empty."),
    ("blank.md", b" \r\n\t\n\xc2\xa0\n\x0c", "blank.md contains only whitespace."),
    ("headings.md", b"# Terms\n\n## 1. Fees\n\n## 2. Term\n\n### 2.1 Renewal\n", None),
    ("numbered.txt", b"1. DEFINITIONS\n2. PAYMENT\n3. TERM AND TERMINATION\n", None),
    ("bare-numbers.txt", b"1.\n2.\n3.\n", None),
]


@pytest.mark.parametrize(("name", "data", "message"), DEGENERATE)
def test_degenerate_documents_agree_between_library_and_cli(
    tmp_path, hashing, cli, name, data, message
) -> None:
    doc = write(tmp_path, name, data)
    summ = write(tmp_path, "summary.txt", SUMMARY)
    if message is not None:
        with pytest.raises(InputError) as info:
            hashing.check(doc, summ)
        assert str(info.value).endswith(message)
        code, _, err = cli("check", str(doc), str(summ))
        assert_one_error(code, err, message)
        assert err == f"error: {info.value}\n", "the CLI says exactly what the library says"
        return
    report = hashing.check(doc, summ)
    text = data.decode("utf-8")
    assert report.passages and report.sections
    assert_exact(report, text, SUMMARY)
    assert_covers(report, text)
    code, out, err = cli("check", str(doc), str(summ), "--json")
    assert code == 0, err
    assert json.loads(out) == json.loads(report.to_json()), "the CLI reports exactly what the library does"


@pytest.mark.parametrize(
    ("document", "message"),
    [("", "The document is empty."), (" \r\n\u3000\t", "The document contains only whitespace.")],
)
def test_degenerate_document_strings_are_one_clear_error(hashing, document, message) -> None:
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        hashing.check(document, SUMMARY)


def test_a_summary_of_headings_only_scores_nothing_and_says_so(hashing) -> None:
    summary = "# Summary\n\n## Key points\n"
    report = hashing.check("The fee is due in 30 days.", summary)
    assert report.summary_sentences == () and report.coverage == 0.0 and report.support == 1.0
    assert [k.text for k in report.skipped] == ["# Summary", "## Key points"]
    assert any("summary is empty" in w for w in report.warnings)
    assert_exact(report, "The fee is due in 30 days.", summary)


def test_heading_only_documents_in_the_dashboard(dashboard) -> None:
    # Empty and whitespace-only uploads are test_app.py::test_bad_document_gives_one_error_box...
    at = dashboard()
    at.text_area(key="summary_text").input(SUMMARY).run()
    for name, data, _ in DEGENERATE[3:]:
        upload(at, "document", name, data)
        assert not at.exception and not errors(at), name
        assert int(metrics(at)["Document tokens"].replace(",", "")) > 0


# --------------------------------------------------------------------------
# NUL bytes

NUL_DOC = "## 1. Fees\n\nFees are due\x00 within 30 days.\n\n## 2. Term\n\nThe term is one\x00 year.\n"


@pytest.mark.parametrize("name", ["doc.txt", "doc.md"])
def test_nul_bytes_in_a_text_file_are_one_clear_error(tmp_path, cli, name) -> None:
    # load_bytes itself: test_loaders.py::test_random_bytes_with_nuls_are_binary
    doc = write(tmp_path, name, NUL_DOC)
    with pytest.raises(InputError, match="looks like a binary file, not text"):
        load_path(doc)
    code, _, err = cli("check", str(doc), str(write(tmp_path, "s.txt", SUMMARY)))
    assert_one_error(code, err, "looks like a binary file, not text")


def test_nul_characters_in_a_string_are_kept_with_exact_offsets(hashing) -> None:
    report = hashing.check(NUL_DOC, "- Fees are due\x00 within 30 days.")
    assert_exact(report, NUL_DOC, "- Fees are due\x00 within 30 days.")
    assert_covers(report, NUL_DOC)
    assert any("\x00" in p.text for p in report.passages)
    assert_round_trip(report)


# --------------------------------------------------------------------------
# Size: a 1,000,000-character line, a 200,000-token document


def test_a_million_character_line_is_split_into_passages_never_truncated(tmp_path, hashing, cli) -> None:
    text = long_line(1_000_000)
    assert len(text) == 1_000_000 and "\n" not in text and "." not in text
    report = hashing.check(text, "- alpha7 bravo12 clause3 fee9")
    assert len(report.passages) > 100 and all(p.split for p in report.passages)
    assert max(p.tokens for p in report.passages) <= hashing.max_passage_tokens()
    assert_covers(report, text)
    assert_exact(report, text, "- alpha7 bravo12 clause3 fee9")
    assert any("nothing was truncated" in w for w in report.warnings)
    # The same file through the command line: a report with the same passages.
    summary = write(tmp_path, "s.txt", "- alpha7 bravo12 clause3 fee9")
    code, out, err = cli("check", str(write(tmp_path, "line.txt", text)), str(summary), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [(p["start"], p["end"]) for p in data["passages"]] == [(p.start, p.end) for p in report.passages]


def test_a_million_characters_without_a_space_stay_whole(hashing) -> None:
    text = "x" * 1_000_000  # one approximate token: one passage, all of it
    report = hashing.check(text, "- x")
    assert_covers(report, text)
    assert [(p.start, p.end) for p in report.passages] == [(0, 1_000_000)]


def test_a_200k_token_document_completes_within_a_memory_bound(hashing) -> None:
    text = prose(200_000, seed=3, section=4000)
    summary = "\n".join(f"- {s.strip()}." for s in text.split(".")[::400] if s.strip())
    tracemalloc.start()
    try:
        report = hashing.check(text, summary)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"200k-token check: {len(text):,} chars, peak Python allocations {peak / 2**20:.0f} MiB")
    assert report.document.tokens >= 200_000
    assert len(report.sections) == 50
    assert_covers(report, text)
    assert peak < PEAK_BOUND_200K_TOKENS, f"peak {peak / 2**20:.0f} MiB"


def test_a_5000_digit_number_is_a_value_not_a_crash(hashing) -> None:
    # int() refuses strings over 4,300 digits (CVE-2020-10735); facts must not call it on one.
    number = "9" * 5000
    document = f"The fee is USD {number}.\n\nThe term is {number} days.\n"
    summary = f"- The fee is USD {number[:-1]}8.\n- The term is 30 days.\n"
    report = hashing.check(document, summary)
    assert_exact(report, document, summary)
    assert_round_trip(report)


def test_long_runs_of_number_words_and_chinese_numerals_finish(hashing) -> None:
    # Fact extraction used to be quadratic in the length of such a run (about 3 minutes for this
    # document, hours for a 2,000,000-character one); numbers are now read in bounded runs.
    document = "一二三四五六七八九十百千" * 1700 + "\n\n" + "one hundred and twenty-one thousand " * 560
    summary = "- The fee is one hundred and twenty-one thousand days.\n- 一二三天。"
    report = hashing.check(document, summary)
    assert_exact(report, document, summary)
    assert_covers(report, document)
    words = extract_facts("thirty " * 100)
    assert words and all(len(f.text.split()) <= 25 for f in words)


def test_an_endless_device_as_the_document_stops_at_the_size_limit(tmp_path, cli) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    summary = str(write(tmp_path, "s.txt", SUMMARY))
    tracemalloc.start()
    try:
        code, _, err = cli("check", "/dev/zero", summary)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"/dev/zero: peak Python allocations {peak / 2**20:.0f} MiB")
    assert_one_error(code, err, "/dev/zero is over the 50.0 MB limit.")
    assert peak < PEAK_BOUND_ENDLESS_INPUT
    code, _, err = cli("check", "/dev/null", summary)
    assert_one_error(code, err, "/dev/null is empty.")


@pytest.mark.parametrize("checker_fixture", ["hashing", "minilm"])
def test_lone_surrogates_are_one_clear_error(request, checker_fixture) -> None:
    # Such strings come from JSON escapes ("\ud800"); the tokenizer used to raise a bare TypeError.
    checker = request.getfixturevalue(checker_fixture)
    message = r"^The document is not valid Unicode: it holds a lone surrogate \(U\+D800\) at character 5\.$"
    with pytest.raises(InputError, match=message):
        checker.check("Fees \ud800 are due.", "Fees are due.")
    with pytest.raises(InputError, match=r"^The summary is not valid Unicode: .*\(U\+DCFF\)"):
        checker.check("Fees are due.", "Fees \udcff are due.")


# --------------------------------------------------------------------------
# Repetition and disproportion

CLAUSE = "The Supplier shall deliver the goods within thirty (30) days of each written order."


def test_a_paragraph_repeated_50_times_is_scored_50_times(minilm) -> None:
    document = "\n\n".join([CLAUSE] * 50) + "\n"
    report = minilm.check(document, "- Goods are delivered within 30 days of an order.")
    assert len(report.passages) == 50
    assert len({p.start for p in report.passages}) == 50
    assert {p.text for p in report.passages} == {CLAUSE}
    assert len({round(p.score, 6) for p in report.passages}) == 1, "identical passages, identical scores"
    assert all(p.covered for p in report.passages) and report.coverage == 1.0
    assert_exact(report, document, "- Goods are delivered within 30 days of an order.")
    assert_covers(report, document)
    assert_round_trip(report)


INVENTED = [
    "The landlord repaints the hallway every spring.",
    "Tenants may store bicycles in the cellar.",
    "The garden is shared with the neighbours.",
    "Parking spaces are assigned by lottery.",
    "The building has a rooftop solar array.",
    "Visitors must sign a guest book at the door.",
    "The caretaker lives on the ground floor.",
    "Smoking is forbidden on the balconies.",
    "Laundry machines run on prepaid cards.",
    "The lift is serviced by an external company.",
]


def test_a_summary_longer_than_the_document(minilm) -> None:
    document = "Rent is 900 euros each month. The tenant may keep one cat."
    summary = "- Rent is 900 euros each month.\n" + "\n".join(f"- {s}" for s in INVENTED * 3)
    report = minilm.check(document, summary)
    assert report.summary.chars > 10 * report.document.chars
    assert len(report.summary_sentences) == 31 and len(report.passages) == 1
    assert report.summary_sentences[0].supported
    assert len(report.unsupported) >= 25, "invented sentences have no support"
    assert_exact(report, document, summary)
    assert_round_trip(report)


def test_a_summary_of_1000_sentences(hashing, contract) -> None:
    pieces = (" ".join(s.split()) for s in re.split(r"(?<=\.)\s+", contract))
    sentences = [s for s in pieces if len(s) > 20 and not s.startswith("#")]
    lines = [f"- Point {i}: {sentences[i % len(sentences)]}" for i in range(1000)]
    summary = "\n".join(lines) + "\n"
    # The judge reads all 1,000 sentences; the blamed-word search (about ten more readings for each
    # unsupported one, most of them here) is left out: it works sentence by sentence, so 1,000 of them
    # test nothing its own tests do not, and it took 70 of this test's 160 s on a 2-core AVX2 CPU.
    report = hashing.check(contract, summary, settings=Settings(blame=False))
    assert len(report.summary_sentences) >= 1000
    assert all(s.best_passage is not None for s in report.summary_sentences)
    judged = sum(bool(s.judge) for s in report.summary_sentences)
    assert judged >= 700, f"the judge read {judged} of 1,000 sentences"  # 751: the rest are over 40 words
    assert all(s.judge or s.judge_note for s in report.summary_sentences), "a sentence not judged says why"
    assert_exact(report, contract, summary)
    assert_covers(report, contract)
    assert_round_trip(report)


# --------------------------------------------------------------------------
# Scripts, emoji, invisible characters, line ends

MIXED_DOC = (
    "# Vertrag · 合同 · عقد · חוזה 📑\r\n\r\n"
    "## 1. Fees 💶\r\n\r\n"
    "The Customer pays each invoice within 30 days 👩‍💻. 客户应在三十日内付款。\u200b"
    "العميل يدفع خلال ٣٠ يوما. הלקוח משלם תוך 30 ימים.\r\n\r\n"
    "## 2. Hosting 🇩🇪🇨🇳🇮🇱\r"
    "The Provider\u200dhosts all data in Germany 🇩🇪 and backs it up\ufeff nightly.\r\r"
    "## 3. İstanbul ǅ ﬁnal\n"
    "Zero\u200bwidth joiners 👨‍👩‍👧‍👦, skin tones 👍🏽 and ﬀ ligatures stay intact.\u2028"
    "Tags 🏴󠁧󠁢󠁳󠁣󠁴󠁿 too; the deposit is 2 months of rent.\n"
)
MIXED_SUMMARY = (
    "# Summary 📝\r\n"
    "- The customer pays within 60 days 💶.\r"
    "- 客户应在三十日内付款。\n"
    "- Data is hosted in Germany 🇩🇪\u200b.\r\n"
    "- العميل يدفع خلال ٣٠ يوما.\r\n"
    "- The deposit is 2 months of rent 👨‍👩‍👧‍👦."
)


@pytest.mark.parametrize("checker_fixture", ["hashing", "minilm"])
def test_mixed_scripts_emoji_and_invisible_characters_keep_exact_offsets(request, checker_fixture) -> None:
    checker = request.getfixturevalue(checker_fixture)
    report = checker.check(MIXED_DOC, MIXED_SUMMARY)
    assert_exact(report, MIXED_DOC, MIXED_SUMMARY)
    assert_covers(report, MIXED_DOC)
    assert [s.title for s in report.sections][-3:] == [
        "1. Fees 💶",
        "2. Hosting 🇩🇪🇨🇳🇮🇱",
        "3. İstanbul ǅ ﬁnal",
    ]
    assert len(report.summary_sentences) == 5 and [k.text for k in report.skipped] == ["# Summary 📝"]
    assert any(m.summary_text == "60 days" and m.status == "contradicted" for m in report.mismatches)
    assert_round_trip(report)


def test_mixed_scripts_through_the_command_line(tmp_path, cli) -> None:
    doc = write(tmp_path, "mixed.md", MIXED_DOC)
    summ = write(tmp_path, "summary.md", MIXED_SUMMARY)
    code, out, err = cli("check", str(doc), str(summ), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["document"]["sha256"] == hashlib.sha256(MIXED_DOC.encode()).hexdigest()
    for p in data["passages"]:
        assert MIXED_DOC[p["start"] : p["end"]] == p["text"]
    for s in data["summary_sentences"]:
        assert MIXED_SUMMARY[s["start"] : s["end"]] == s["text"]
    assert CoverageReport.from_dict(data).to_dict() == data


# --------------------------------------------------------------------------
# Every encoding the loaders detect, through the command line

ASCIIISH = "## 1. Fees\n\nThe fee is due within 30 days: café, naïve, 合同.\n\n## 2. Term\n\nOne year.\n"
CHINESE = "第一条 付款条款\n甲方应在收到发票后三十日内付款。如有争议，双方应友好协商解决。\n"
FRENCH = (
    "Le café est très bon. Nous avons mangé une crème brûlée à côté de la fenêtre,\r\n"
    "et l'été était déjà là. Ça coûte 12 € — « voilà ».\n"
)
GERMAN = "Herr Müller wohnt in der Hauptstraße und fährt täglich über die Brücke."
POLISH = "Zażółć gęślą jaźń, powiedział Łukasz."
CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy."
RUSSIAN = "Договор вступает в силу с даты подписания обеими сторонами. Споры решаются путём переговоров."
BIG5 = "本合約由甲乙雙方於二零二四年簽訂。甲方應在收到發票後三十日內付款。如有爭議，雙方應友好協商解決。"
KOREAN = "이 계약은 양 당사자가 서명한 날부터 효력이 발생합니다. 분쟁이 있는 경우 협의하여 해결합니다."
JAPANESE = "この契約は両当事者が署名した日から効力を生じます。紛争がある場合は協議により解決します。"

ENCODINGS = [
    ("utf-8", ASCIIISH, ASCIIISH.encode("utf-8")),
    ("utf-8-sig", ASCIIISH, codecs.BOM_UTF8 + ASCIIISH.encode("utf-8")),
    ("utf-16-le-bom", ASCIIISH, codecs.BOM_UTF16_LE + ASCIIISH.encode("utf-16-le")),
    ("utf-16-be-bom", ASCIIISH, codecs.BOM_UTF16_BE + ASCIIISH.encode("utf-16-be")),
    ("utf-16-le", ASCIIISH, ASCIIISH.encode("utf-16-le")),
    ("utf-16-be", ASCIIISH, ASCIIISH.encode("utf-16-be")),
    ("utf-32-le-bom", ASCIIISH, codecs.BOM_UTF32_LE + ASCIIISH.encode("utf-32-le")),
    ("utf-32-be-bom", ASCIIISH, codecs.BOM_UTF32_BE + ASCIIISH.encode("utf-32-be")),
    ("gb18030", CHINESE, CHINESE.encode("gb18030")),
    ("gbk", CHINESE, CHINESE.encode("gbk")),
    ("gb2312", CHINESE, CHINESE.encode("gb2312")),
    ("cp1252", FRENCH, FRENCH.encode("cp1252")),
    ("latin-1", GERMAN, GERMAN.encode("latin-1")),
    ("cp1250-pl", POLISH, POLISH.encode("cp1250")),
    ("cp1250-cz", CZECH, CZECH.encode("cp1250")),
    ("cp1251", RUSSIAN, RUSSIAN.encode("cp1251")),
    ("big5", BIG5, BIG5.encode("big5")),
    ("euc-kr", KOREAN, KOREAN.encode("euc_kr")),
    ("shift-jis", JAPANESE, JAPANESE.encode("shift_jis")),
]


@pytest.mark.parametrize(("label", "text", "data"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_every_detected_encoding_reaches_the_checker_exactly(tmp_path, cli, label, text, data) -> None:
    # Decoding itself: test_loaders.py (test_utf16_*, test_chinese_gb_text, test_european_legacy_encodings...)
    doc = write(tmp_path, f"{label}.txt", data)
    code, out, err = cli("check", str(doc), str(write(tmp_path, "s.txt", SUMMARY)), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["document"]["chars"] == len(text)
    assert report["document"]["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    for p in report["passages"]:
        assert text[p["start"] : p["end"]] == p["text"]
    utf = label.startswith("utf-8") or label.endswith("bom")
    assert ("is not UTF-8; its encoding was detected as" in err) is not utf
    assert "error" not in err


# --------------------------------------------------------------------------
# PDF


def thousand_page_pdf(pages: int = 1000) -> bytes:
    """A PDF written by hand: catalog, page tree, one Helvetica font, ``pages`` one-line pages.

    Page N (from 1) is object 2N+2 and its content stream object 2N+3; the
    cross-reference table holds each object's exact byte offset.
    """
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for n in range(1, pages + 1):
        page, content = 2 * n + 2, 2 * n + 3
        kids.append(b"%d 0 R" % page)
        line = f"Page {n}: The Supplier shall deliver batch {n} within {n % 28 + 2} days of each order."
        stream = b"BT /F1 12 Tf 72 720 Td (" + line.encode("latin-1") + b") Tj ET"
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def test_a_1000_page_pdf_is_read_whole_and_checked(tmp_path, hashing) -> None:
    loaded = load_path(write(tmp_path, "long.pdf", thousand_page_pdf()))
    assert loaded.format == "pdf" and loaded.warnings == ()
    found = [int(n) for n in re.findall(r"Page (\d+):", loaded.text)]
    assert found == list(range(1, 1001))
    assert loaded.text.startswith("Page 1:") and "Page 1000:" in loaded.text
    report = hashing.check(loaded.text, "- The Supplier delivers each batch within 30 days.")
    assert_covers(report, loaded.text)
    assert_round_trip(report)


_GOOD_PDF = text_pdf(["1. RENT", "Rent is 900 euros each month. No dogs or cats may live in the flat."])
_DOCX = word_docx()
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(64)

# (file name, bytes, the error's key phrase). Loader-level tests of the same inputs are named.
BAD_FILES = [
    # test_loaders.py::test_truncated_pdf_is_damaged_and_pypdf_stays_quiet
    ("truncated.pdf", _GOOD_PDF[: len(_GOOD_PDF) // 2], "could not be read as a PDF (it may be damaged"),
    ("garbled.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8, "could not be read as a PDF"),
    # test_loaders.py::test_pdf_with_user_password_is_rejected
    ("locked.pdf", encrypted_pdf(_GOOD_PDF, user_password="secret"), "is encrypted; remove the password"),
    # test_loaders.py::test_pdf_without_text_layer
    ("scan.pdf", text_pdf([None, None]), "has no text layer (it looks scanned)"),
    # test_loaders.py::test_truncated_docx
    ("corrupt.docx", _DOCX[: len(_DOCX) // 2], "is not a valid Word (.docx) file"),
    # test_loaders.py::test_docx_zip_bomb_by_ratio
    ("bomb.docx", zero_bomb_zip(11 * 1024 * 1024), "too large when decompressed to be a safe Word document"),
    # Extensions that lie.
    ("pdf-inside.docx", _GOOD_PDF, "is not a valid Word (.docx) file"),
    ("word-inside.pdf", _DOCX, "is not a valid PDF file"),
    ("text-inside.pdf", b"Rent is 900 euros each month.\n", "is not a valid PDF file"),
    ("png-inside.txt", _PNG, "looks like a binary file, not text"),  # library: test_png_is_binary
    ("word-inside.txt", _DOCX, "looks like a binary file, not text"),
    ("pdf-inside.md", _GOOD_PDF, "looks like a binary file, not text"),
    ("nul.txt", NUL_DOC.encode(), "looks like a binary file, not text"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_one_clear_error_in_library_and_cli(tmp_path, cli, name, data, message) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        load_path(path)
    assert message in str(info.value)
    code, out, err = cli("check", str(path), str(write(tmp_path, "s.txt", SUMMARY)))
    assert_one_error(code, err, message)
    assert err == f"error: {info.value}\n" and out == ""


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_one_error_box_in_the_dashboard(dashboard, name, data, message) -> None:
    # test_app.py::test_bad_document_gives_one_error_box... covers scan.pdf, fake.docx and PNG-as-.txt.
    at = dashboard()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", name, data)
    assert not at.exception
    assert len(errors(at)) == 1 and message in errors(at)[0], errors(at)
    upload(at, "document", "lease.pdf", _GOOD_PDF)  # the page still works afterwards
    assert not at.exception and not errors(at) and metrics(at)


def test_a_lying_extension_with_readable_content_gives_a_correct_report(tmp_path, hashing, cli) -> None:
    # Plain text named .log or without an extension is read as text (test_loaders.py covers load_bytes).
    text = "## 1. Fees\n\nThe fee is due within 30 days.\n"
    for name in ("contract.log", "contract"):
        path = write(tmp_path, name, text)
        code, out, err = cli("check", str(path), str(write(tmp_path, "s.txt", SUMMARY)), "--json")
        assert code == 0, err
        assert [p["text"] for p in json.loads(out)["passages"]] == [
            "## 1. Fees\n\nThe fee is due within 30 days."
        ]


# --------------------------------------------------------------------------
# Batch input: ragged CSV rows, wrong column types, symlinks out of the base folder


def test_a_csv_with_ragged_rows(tmp_path, hashing, cli) -> None:
    src = write(
        tmp_path,
        "in.csv",
        "id,document,summary\n"
        "good-1,Fees are due within 30 days.,Fees are due within 30 days.\n"
        "long,too,many,fields,here\n"
        "short,Only a document\n"
        "good-2,The term is one year.,The term is one year.\n",
    )
    summary = run_batch_file(src, tmp_path / "lib.jsonl", checker=hashing, progress=False)
    rows = {r["id"]: r for r in read_written_rows(tmp_path / "lib.jsonl")}
    assert list(rows) == ["good-1", "1", "short", "good-2"]  # the ragged row gets its number (from 0)
    assert rows["1"]["error"] == "CSV row 2 has more fields than the header."
    assert rows["short"]["error"] == "The row has no 'summary' or 'summary_path' value."
    assert rows["good-1"]["error"] is None and rows["good-1"]["coverage"] == 1.0
    assert rows["good-2"]["error"] is None and rows["good-2"]["passages"] == 1
    assert (summary.written, summary.errors) == (4, 2)
    code, _, err = cli("batch", str(src), "-o", str(tmp_path / "cli.csv"), "--no-progress")
    assert code == 3 and "2 rows are errors" in err and "Traceback" not in err
    cli_rows = list(read_written_rows(tmp_path / "cli.csv"))
    assert [r["error"] or None for r in cli_rows] == [r["error"] for r in rows.values()]


def test_a_parquet_file_with_an_integer_summary_column(tmp_path, hashing, cli) -> None:
    write(tmp_path, "summary.txt", "Fees are due within 30 days.")
    frame = pd.DataFrame(
        {
            "id": ["int-1", "from-path", "int-2"],
            "document": ["Fees are due within 30 days."] * 3,
            "summary": pd.array([7, None, 9], dtype="Int64"),
            "summary_path": [None, "summary.txt", None],
        }
    )
    src = tmp_path / "in.parquet"
    frame.to_parquet(src)
    summary = run_batch_file(src, tmp_path / "lib.parquet", checker=hashing, progress=False)
    rows = {r["id"]: r for r in read_written_rows(tmp_path / "lib.parquet")}
    assert rows["int-1"]["error"] == rows["int-2"]["error"] == "The summary column must hold text, got int."
    assert rows["from-path"]["error"] is None and rows["from-path"]["coverage"] == 1.0
    assert (summary.written, summary.errors) == (3, 2)
    code, _, err = cli("batch", str(src), "-o", str(tmp_path / "cli.jsonl"), "--no-progress")
    assert code == 3 and "2 rows are errors" in err and "Traceback" not in err
    assert [r["error"] for r in read_written_rows(tmp_path / "cli.jsonl")] == [
        r["error"] for r in rows.values()
    ]


@pytest.mark.parametrize("ext", ["jsonl", "csv"])
def test_lone_surrogates_in_a_batch_are_error_rows(tmp_path, cli, ext) -> None:
    # The full report used to fail to encode as UTF-8 and stop the run with exit 1.
    src = write(
        tmp_path,
        "in.jsonl",
        '{"id": "bad", "document": "Fees \\ud800 due.", "summary": "Fees due."}\n'
        '{"id": "ok", "document": "Fees are due.", "summary": "Fees are due."}\n',
    )
    out = tmp_path / f"out.{ext}"
    code, _, err = cli("batch", str(src), "-o", str(out), "--full", "--no-progress")
    assert code == 3 and "1 rows are errors" in err and "Traceback" not in err
    bad, ok = read_written_rows(out)
    assert "lone surrogate (U+D800)" in bad["error"] and not ok["error"] and json.loads(ok["report"])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("missing.jsonl", None, "does not exist."),
        ("table.xlsx", b"PK\x03\x04", "Cannot tell the format of"),
        (
            "latin.csv",
            "id,document,summary\na,Café fees are due.,Fees are due.\n".encode("cp1252"),
            "not UTF-8",
        ),
        ("damaged.parquet", b"PAR1 and then nothing", "it is damaged or not Parquet (ArrowInvalid)."),
    ],
)
def test_an_unreadable_batch_input_is_one_clear_error(tmp_path, cli, name, data, message) -> None:
    # These used to end in "internal error: UnicodeDecodeError / ArrowInvalid" (exit 1), and
    # left an empty output file behind that blocked the next run.
    src = tmp_path / name if data is None else write(tmp_path, name, data)
    for out in (tmp_path / "out.jsonl", tmp_path / "out.csv", tmp_path / "out.parquet"):
        code, _, err = cli("batch", str(src), "-o", str(out), "--no-progress")
        assert_one_error(code, err, message)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted({src.name} - {"missing.jsonl"})


def test_a_symlink_out_of_the_base_folder_is_refused(tmp_path, hashing, cli) -> None:
    # The plain ../../etc/passwd and /etc/passwd cases: test_batch.py::test_bad_rows_become_error_rows...
    base, outside = tmp_path / "base", tmp_path / "outside"
    base.mkdir()
    outside.mkdir()
    write(outside, "secret.txt", "The secret fee is 5,000 euros.")
    write(base, "doc.txt", "Fees are due within 30 days.")
    (base / "link.txt").symlink_to(outside / "secret.txt")
    (base / "linked-dir").symlink_to(outside, target_is_directory=True)
    (base / "inside-link.txt").symlink_to(base / "doc.txt")
    rows = [
        {"id": "file-link", "document_path": "link.txt", "summary": "x"},
        {"id": "dir-link", "document_path": "linked-dir/secret.txt", "summary": "x"},
        {"id": "summary-link", "document": "Fees are due.", "summary_path": "link.txt"},
        {"id": "inside", "document_path": "inside-link.txt", "summary": "Fees are due within 30 days."},
    ]
    out = {r["id"]: r for r in score_batch(rows, checker=hashing, base_dir=base)}
    for rid in ("file-link", "dir-link", "summary-link"):
        assert "outside the allowed base directory" in out[rid]["error"], out[rid]
    assert out["inside"]["error"] is None and out["inside"]["coverage"] == 1.0
    src = write(base, "in.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    code, _, err = cli("batch", str(src), "-o", str(tmp_path / "out.jsonl"), "--no-progress")
    assert code == 3 and "3 rows are errors" in err
    got = [r["error"] for r in read_written_rows(tmp_path / "out.jsonl")]
    assert [bool(e and "outside the allowed base directory" in e) for e in got] == [True, True, True, False]
    assert all("5,000" not in json.dumps(r) for r in read_written_rows(tmp_path / "out.jsonl"))


# --------------------------------------------------------------------------
# Security: no raw HTML, no unpickling, no remote code

XSS = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
HOSTILE_DOC = (
    "## 1. Rent\n\nRent is 900 euros each month.\n\n"
    f"## 2. Pets\n\nNo dogs or cats may live in the flat. {XSS}\n\n"
    f"## 3. <b>Bold</b> heading {XSS}\n\nThe tenant alerts the landlord to damage.\n"
)
HOSTILE_SUMMARY = (
    f"- Rent is 900 euros each month.\n- Dogs alert the img script. {XSS}\n- ' onmouseover='alert(1)"
)


def _unescaped_html(markdown: str) -> list[str]:
    """Raw HTML tags or javascript/http links that Markdown would render (not backslash-escaped)."""
    return re.findall(r"(?<!\\)<(?:script|img|b)\b|(?<!\\)\]\((?:javascript|http)", markdown, re.IGNORECASE)


def test_uploaded_html_and_links_are_never_rendered_in_the_dashboard(dashboard) -> None:
    # Summary escaping alone: test_app.py::test_user_text_is_escaped_on_the_page
    at = dashboard()
    at.text_area(key="summary_text").input(HOSTILE_SUMMARY).run()
    upload(at, "document", "hostile.md", HOSTILE_DOC.encode())
    at.sidebar.slider[0].set_value(1.0).run()  # every passage uncovered: the list shows them
    at.sidebar.slider[1].set_value(1.0).run()  # every sentence unsupported: evidence is shown
    assert not at.exception and not errors(at)
    assert metrics(at)["Coverage"] == "0%" and metrics(at)["Support"] == "0%"
    shown = [md.value for md in at.markdown] + [c.value for c in at.caption]
    for value in shown:
        assert not _unescaped_html(value), value
    flat = [v.replace("\\", "") for v in shown]
    uncovered = [v for v in flat if v.startswith(("1. ", "2. ", "3. ")) and "characters" in v]
    assert any("<script>alert(1)</script>" in v for v in uncovered), "the uncovered list shows the text"
    assert sum("<img src=x onerror=alert(1)>" in v for v in flat) >= 3, "passages, evidence and sentences"
    assert any("Closest evidence, in" in v and "<b>Bold</b>" in v for v in flat), "escaped section title"


def test_the_html_report_escapes_everything_the_user_wrote(hashing) -> None:
    report = hashing.check(HOSTILE_DOC, HOSTILE_SUMMARY).with_thresholds(1.0, 1.0)
    page = render_html(report, title="<script>alert('title')</script>")
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>Bold" not in page
    assert "href" not in page and "onmouseover='" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, in passages and evidence
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 3
    assert "&#x27; onmouseover=&#x27;alert(1)" in page  # the sentence in a title='' attribute stays inside it


class _MakesDirectory:
    """Unpickling this calls ``os.mkdir(path)``: proof that a pickle was loaded."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (self.path,))


def test_pickles_are_refused_or_read_as_text_never_unpickled(tmp_path, hashing, cli, dashboard) -> None:
    proof = tmp_path / "proof-the-payload-works"
    pickle.loads(pickle.dumps(_MakesDirectory(str(proof))))  # our own payload, as a control
    assert proof.is_dir()
    marker = tmp_path / "unpickled"
    payloads = {
        "evil.pkl": pickle.dumps(_MakesDirectory(str(marker)), protocol=5),
        "evil.pickle": pickle.dumps(_MakesDirectory(str(marker)), protocol=2),
        "evil.txt": pickle.dumps(_MakesDirectory(str(marker)), protocol=4),
        "ascii-evil.txt": pickle.dumps(_MakesDirectory(str(marker)), protocol=0),
    }
    summary = write(tmp_path, "s.txt", SUMMARY)
    outcomes = {}
    for name, data in payloads.items():
        path = write(tmp_path, name, data)
        try:
            loaded = load_path(path)
        except InputError as exc:
            outcomes[name] = "error"
            assert "looks like a binary file" in str(exc)
        else:
            outcomes[name] = "text"
            assert loaded.text == data.decode("ascii")  # protocol 0 is ASCII: read as the text it is
            assert_covers(hashing.check(path, summary), loaded.text)
        code, _, err = cli("check", str(path), str(summary))
        if outcomes[name] == "error":
            assert_one_error(code, err, "looks like a binary file")
        else:
            assert code == 0, err
    assert outcomes == {
        "evil.pkl": "error",
        "evil.pickle": "error",
        "evil.txt": "error",
        "ascii-evil.txt": "text",
    }
    rows = score_batch(
        [{"document_path": name, "summary": "x"} for name in payloads], checker=hashing, base_dir=tmp_path
    )
    assert [r["error"] is None for r in rows] == [False, False, False, True]
    at = dashboard()
    at.text_area(key="summary_text").input(SUMMARY).run()
    upload(at, "document", "evil.txt", payloads["evil.txt"])
    assert not at.exception and "looks like a binary file" in errors(at)[0]
    upload(at, "document", "ascii-evil.txt", payloads["ascii-evil.txt"])
    assert not at.exception and not errors(at)
    assert not marker.exists(), "a pickle was unpickled"


def _loader_calls(source: str) -> list[ast.Call]:
    """Calls that load model code or weights: SentenceTransformer(...), *.from_pretrained(...), ..."""
    names = {
        "SentenceTransformer",
        "CrossEncoder",
        "from_pretrained",
        "pipeline",
        "AutoModel",
        "AutoTokenizer",
    }
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in names:
                calls.append(node)
    return calls


@pytest.mark.parametrize("module", ["encode/models.py", "encode/onnx_backend.py"])
def test_every_model_load_in_the_source_passes_trust_remote_code_false(module) -> None:
    source = (PACKAGE / module).read_text(encoding="utf-8")
    calls = _loader_calls(source)
    for call in calls:
        kwargs = {k.arg: k.value for k in call.keywords}
        assert "trust_remote_code" in kwargs, ast.unparse(call)
        assert (
            isinstance(kwargs["trust_remote_code"], ast.Constant)
            and kwargs["trust_remote_code"].value is False
        )
    if module == "encode/models.py":
        assert calls, "models.py loads the model; the test must see that call"
    else:
        assert "load_encoder(" in source, "the ONNX backend loads its model through models.load_encoder"
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"trust_remote_code\s*=\s*True", text), path.name
        assert not re.search(r"trust_remote_code\s*=\s*(?!False\b)", text), path.name


def test_the_model_constructor_receives_trust_remote_code_false(monkeypatch) -> None:
    import sentence_transformers

    from summary_coverage import load_encoder
    from summary_coverage.errors import ModelLoadError

    seen: list[dict[str, object]] = []

    class Refused(Exception):
        pass

    def fake_constructor(source: str, **kwargs: object) -> None:
        seen.append({"source": source, **kwargs})
        raise Refused(source)

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", fake_constructor)
    with pytest.raises(Refused):
        load_encoder("bundled", device="cpu")
    with pytest.raises(Refused):
        load_encoder(None, device="cpu")  # bge-m3 from the cache, then the bundled fallback
    with pytest.raises(ModelLoadError):
        load_encoder("acme/remote-code-model", device="cpu")
    assert len(seen) >= 4
    assert all(call["trust_remote_code"] is False for call in seen), seen
