"""The fixed texts in English or Chinese: every one translated, the CLI and the HTML report in 中文."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from summary_coverage.cli import main
from summary_coverage.report.html_report import render_html
from summary_coverage.report.language import LANGUAGES, TERMS_ZH, ZH, say, term, valid_language
from summary_coverage.report.terminal import render_text
from summary_coverage.score.verifier import REASONS

from conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "coverage"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _say_literals() -> list[tuple[str, str]]:
    """(file, English) of each ``say(lang, "...")`` in the package and ``tr("...")`` in the dashboard."""
    out = []
    for path in [*sorted(PACKAGE.rglob("*.py")), ROOT / "streamlit_app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            position = {"say": 1, "tr": 0}.get(node.func.id)
            if (
                position is not None
                and len(node.args) > position
                and not (node.func.id == "tr" and path.name != "streamlit_app.py")
            ):
                arg = node.args[position]
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                    f"{path.name}:{node.lineno}: say() needs its English as a literal, so it can be checked"
                )
                out.append((f"{path.name}:{node.lineno}", arg.value))
    return out


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_fixed_text_has_its_chinese_with_the_same_fields() -> None:
    found = _say_literals()
    assert len(found) >= 60, "the CLI and HTML texts go through say()"
    missing = [f"{where}: {english!r}" for where, english in found if english not in ZH]
    assert not missing, "no Chinese for:\n" + "\n".join(missing)
    for _, english in found:
        assert _fields(ZH[english]) == _fields(english), english
        words = re.sub(r"%?\{[^}]*\}|<[^>]+>", "", english)  # fields and plotly's markup are not words
        assert CJK.search(ZH[english]) or not re.search(r"[A-Za-z]{3,}", words), english
    unused = set(ZH) - {english for _, english in found}
    assert not unused, f"Chinese kept for texts no code says: {sorted(unused)}"


def test_every_flag_reason_and_figure_kind_has_a_chinese_label() -> None:
    from typing import get_args

    from summary_coverage.facts.quantities import FactKind, MismatchStatus
    from summary_coverage.report.accounting import FURNITURE

    for word in [*REASONS.values(), *get_args(FactKind), *get_args(MismatchStatus), FURNITURE]:
        assert CJK.search(term("zh", word)), word
        assert term("en", word) == word
    assert set(TERMS_ZH) >= set(REASONS.values())


def test_say_fills_fields_and_english_is_unchanged() -> None:
    assert say("en", "{a} of {b}", a=3, b=7) == "3 of 7"
    assert say("zh", "{a} of {b}", a=3, b=7) == "3 / 7"
    assert say("zh", "a text nobody translated") == "a text nobody translated"
    assert LANGUAGES == ("en", "zh")
    with pytest.raises(ValueError, match="choose one of en, zh"):
        valid_language("fr")


@pytest.fixture(scope="module")
def flawed_report(minilm):
    doc = (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")
    summary = (SAMPLES / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
    return minilm.check(doc, summary)


ENGLISH_HEADINGS = (
    "Uncovered passages",
    "Unsupported summary sentences",
    "Numbers, dates, amounts and places",
    "characters are covered",
    "of summary sentences are supported",
    "Closest evidence",
    "closest:",
    "threshold",
)


def test_terminal_report_in_chinese_keeps_the_content(flawed_report) -> None:
    en = render_text(flawed_report)
    zh = render_text(flawed_report, lang="zh")
    assert "Uncovered passages" in en and "Unsupported summary sentences" in en
    for heading in ENGLISH_HEADINGS:
        assert heading not in zh, heading
    for heading in ("覆盖率", "支持率", "未覆盖的段落", "无依据的摘要句子", "数字、日期、金额和地点"):
        assert heading in zh
    # The report's own content is the same in both: section titles, sentences, scores.
    for s in flawed_report.sections:
        assert (s.title[:40] in en) == (s.title[:40] in zh)
    for i in flawed_report.unsupported:
        sent = flawed_report.summary_sentences[i]
        assert f"{sent.support:.2f}" in zh and sent.text[:30] in zh.replace("«", "").replace("»", "")
    assert len(zh.splitlines()) == len(en.splitlines())


def test_html_report_in_chinese(flawed_report) -> None:
    page = render_html(flawed_report, lang="zh")
    assert "<html lang='zh-Hans'>" in page and "<title>摘要覆盖报告</title>" in page
    visible = re.sub(r"<[^>]+>", " ", page)
    for heading in ("Uncovered passages", "Unsupported summary sentences", "Heatmap", "Closest evidence"):
        assert heading not in visible, heading
    assert "热力图" in page and "最接近的依据" in page
    assert render_html(flawed_report).startswith("<!DOCTYPE html><html lang='en'>")


def test_cli_speaks_chinese_on_request(capsys, monkeypatch, minilm) -> None:
    monkeypatch.setattr("summary_coverage.checker.load_encoder", lambda *a, **k: minilm.encoder)
    doc, flawed = (
        str(SAMPLES / "services_agreement.md"),
        str(SAMPLES / "services_agreement.flawed_summary.md"),
    )
    assert main(["check", doc, flawed, "--model", "bundled", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "无依据的摘要句子" in out and "Unsupported summary sentences" not in out
    monkeypatch.setenv("SUMMARY_COVERAGE_LANG", "zh")
    assert main(["check", doc, flawed, "--model", "bundled", "--json"]) == 0
    assert '"unsupported"' in capsys.readouterr().out  # JSON keys never change
    code = main(["check", doc, flawed, "--lang", "fr"])
    err = capsys.readouterr().err
    assert code == 2 and "invalid choice" in err and "Traceback" not in err


def test_the_dashboard_in_chinese(monkeypatch) -> None:
    """Picking 中文 in the sidebar turns the page's fixed texts Chinese; the report's content stays."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from summary_coverage import Checker, HashingEncoder
    from summary_coverage.app import session

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(session, "make_checker", lambda model: Checker(HashingEncoder()))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240).run()
    assert at.button(key="sample_button").label == "Try the sample contract"
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.button(key="sample_button").label == "试用示例合同"
    at.text_area(key="summary_text").input(
        "- Rent is 900 euros each month.\n- Zebras graze on the roof."
    ).run()
    at.file_uploader(key="document").set_value(
        (
            "lease.md",
            b"## 1. Rent\n\nRent is 900 euros each month.\n\n## 2. Pets\n\nNo pets.\n",
            "text/markdown",
        )
    ).run()
    assert not at.exception
    labels = {m.label for m in at.metric}
    assert {"覆盖率", "支持率", "未覆盖的段落", "无依据的句子", "文档词元", "审阅后的覆盖率"} <= labels
    assert not labels & {"Coverage", "Support", "Open flags"}
    headings = " ".join(h.value for h in at.subheader)
    assert "各章节的覆盖情况" in headings and "Coverage by section" not in headings
    assert [b.label for b in at.get("download_button")][:3] == [
        "JSON 报告（第 1 版格式，含审阅记录）",
        "段落（CSV）",
        "HTML 报告",
    ]
    marked = " ".join(h.value for h in at.get("html"))
    assert (
        ">Zebras</mark>" in marked and "title='文档中未出现: " in marked
    )  # content as is, reasons in Chinese
    at.sidebar.radio(key="lang").set_value("en").run()
    assert {"Coverage", "Support"} <= {m.label for m in at.metric}
    st.cache_resource.clear()
