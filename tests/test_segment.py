"""Tests for summary_coverage.segment: sections, paragraphs, passages, sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summary_coverage.errors import InputError
from summary_coverage.segment import (
    SummarySegmentation,
    segment_document,
    segment_summary,
    split_paragraphs,
    split_passages,
    split_sections,
    split_sentences,
)
from summary_coverage.segment.pieces import DocumentSegmentation, Passage, Section, Span
from summary_coverage.segment.tokens import ApproximateTokenCounter

SAMPLES = Path(__file__).resolve().parents[1] / "sample_docs"
COUNTER = ApproximateTokenCounter()
PROPERTY = settings(max_examples=200, deadline=None)


# --------------------------------------------------------------------------- helpers


def sentence_texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def nonspace_positions(text: str, start: int = 0, end: int | None = None) -> set[int]:
    stop = len(text) if end is None else end
    return {i for i in range(start, stop) if not text[i].isspace()}


def assert_spans(text: str, spans: Sequence[Span | Section | Passage]) -> None:
    """Exact offsets, trimmed, sorted, non-overlapping, in bounds, indexed 0..n-1."""
    previous_end = 0
    for i, span in enumerate(spans):
        assert span.index == i
        assert 0 <= previous_end <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert not span.text[0].isspace()
        assert not span.text[-1].isspace()
        previous_end = span.end


def covered(spans: Sequence[Span | Section | Passage]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def assert_partition(text: str, spans: Sequence[Span | Section | Passage]) -> None:
    """Every non-space character of ``text`` lies in exactly one span."""
    assert_spans(text, spans)  # sorted and non-overlapping: at most once
    assert nonspace_positions(text) <= covered(spans)  # at least once


def assert_segmentation(seg: DocumentSegmentation, max_tokens: int) -> None:
    text = seg.text
    for spans in (seg.sections, seg.paragraphs, seg.passages):
        assert_partition(text, spans)
    for p in seg.paragraphs:
        section = seg.sections[p.section]
        assert section.start <= p.start and p.end <= section.end
    starts = [p.start for p in seg.paragraphs]
    for passage in seg.passages:
        holder = max(i for i, s in enumerate(starts) if s <= passage.start)
        paragraph = seg.paragraphs[holder]
        assert paragraph.start <= passage.start and passage.end <= paragraph.end
        assert passage.section == paragraph.section
        assert passage.tokens <= max_tokens
    if seg.passages:
        counts = COUNTER.count_tokens([p.text for p in seg.passages])
        assert counts == [p.tokens for p in seg.passages]


LINE_BREAK = re.compile(r"\r\n|\r|\n")
MARKER = re.compile(r"(?:[-*+•]|[0-9]{1,3}[.)]|\([0-9A-Za-z]{1,5}\))")


def line_of(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in LINE_BREAK.finditer(text):
        if m.start() >= pos:
            return start, m.start()
        start = m.end()
    return start, len(text)


def assert_summary(summary: SummarySegmentation) -> None:
    text = summary.text
    assert_spans(text, summary.sentences)
    assert_spans(text, summary.skipped)
    in_sentences, in_skipped = covered(summary.sentences), covered(summary.skipped)
    assert not in_sentences & in_skipped
    for pos in nonspace_positions(text) - in_sentences - in_skipped:
        a, b = line_of(text, pos)
        line = text[a:b]
        lead = len(line) - len(line.lstrip())
        marker = MARKER.match(line, lead)
        assert marker is not None, (pos, line)
        assert a + lead <= pos < a + marker.end(), (pos, line)


FRAGMENTS = [
    "# Title",
    "## 1. Fees",
    "### 2.1 Scope",
    "1. DEFINITIONS",
    "2. PAYMENT",
    "1.1 The Provider shall deliver the Services.",
    "2.3.4 “Affiliate” means any entity.",
    "(a) first item;",
    "(ii) second item",
    "(iv)",
    "ARTICLE IV",
    "Section 5 shall survive termination.",
    "Section 5. Payment",
    "Schedule A Pricing",
    "PAYMENT TERMS",
    "THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY",
    "第一条 服务内容",
    "第十二条",
    "第二章 总则",
    "一、总则",
    "（一）",
    "(三)",
    "甲方应支付费用。乙方应提供服务；",
    "他说：“好。”",
    "Sec. 3.1",
    "U.S. Inc.",
    "Jan. 15",
    "No. 3",
    "e.g. by wire",
    "etc. and",
    "3.5 million was paid.",
    "Fees are USD 5,000. Payment follows.",
    "- bullet",
    "* star",
    "• dot",
    "+ plus",
    "1) one",
    "iv. Next",
    "as follows: 1. The",
    "Really? 是的!",
    "。",
    "！」",
    "...",
    "\u200b",
    "\x00",
    "\t",
    " ",
    "  ",
    "\r\n",
    "\n\n",
    "\r",
    "\n",
    "\r\n\r\n",
    "\x0c",
    "\u3000",
]


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(FRAGMENTS),
                st.text(max_size=12),
                st.sampled_from([" ", "\n", "\r\n", ". ", "。"]),
            ),
            max_size=40,
        )
    )
    return "".join(parts)


any_text = st.one_of(st.text(), documents())


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(any_text, st.integers(min_value=3, max_value=40))
def test_document_invariants(text: str, max_tokens: int) -> None:
    seg = segment_document(text, max_tokens=max_tokens)
    assert seg.text is text
    assert_segmentation(seg, max_tokens)
    assert (not seg.sections) == (not text.strip())


@PROPERTY
@given(any_text)
def test_segmentation_is_deterministic_and_consistent(text: str) -> None:
    seg = segment_document(text, max_tokens=16)
    assert seg == segment_document(text, max_tokens=16)
    assert seg.sections == split_sections(text)
    assert seg.paragraphs == split_paragraphs(text, seg.sections)
    # A paragraph's sentences do not depend on the text around it.
    for p in seg.paragraphs:
        inside = split_sentences(text, p.start, p.end)
        alone = split_sentences(p.text)
        assert [(s.start - p.start, s.text) for s in inside] == [(s.start, s.text) for s in alone]


@PROPERTY
@given(any_text, st.data())
def test_sentences_partition_any_range(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    sentences = split_sentences(text, start, end)
    assert_spans(text, sentences)
    assert all(start <= s.start and s.end <= end for s in sentences)
    assert covered(sentences) >= nonspace_positions(text, start, end)


@PROPERTY
@given(any_text)
def test_summary_invariants(text: str) -> None:
    summary = segment_summary(text)
    assert summary.text is text
    assert_summary(summary)


class SkippingCounter:
    """Like a subword tokenizer that drops control characters: some text has no token."""

    special_tokens = 1
    _token = re.compile(r"[^\s\x00\u200b]{1,3}")

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(self._token.findall(t)) + 1 for t in texts]

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._token.finditer(text)]


@PROPERTY
@given(any_text, st.integers(min_value=2, max_value=12))
def test_passages_never_lose_text_with_other_counter(text: str, max_tokens: int) -> None:
    counter = SkippingCounter()
    sections = split_sections(text)
    paragraphs = split_paragraphs(text, sections)
    passages = split_passages(text, paragraphs, max_tokens=max_tokens, counter=counter)
    assert_partition(text, passages)
    assert all(p.tokens <= max_tokens for p in passages)
    assert [p.tokens for p in passages] == counter.count_tokens([p.text for p in passages])


# --------------------------------------------------------------------------- sections

MARKDOWN_CONTRACT = """\
# MASTER SERVICES AGREEMENT

This Agreement is made between Acme Inc. (the "Customer") and Widget Ltd. (the "Provider").

## 1. Definitions

1.1 "Affiliate" means any entity controlled by a Party.
1.2 "Services" means the services in Schedule A.

## 2. Fees

2.1 The Customer shall pay the fees:
(a) within thirty (30) days of invoice; and
(b) in U.S. dollars.

## 3. Term

This Agreement lasts three years.
"""


def test_markdown_contract_splits_at_second_level_headings() -> None:
    seg = segment_document(MARKDOWN_CONTRACT)
    assert [s.title for s in seg.sections] == [
        "MASTER SERVICES AGREEMENT",
        "1. Definitions",
        "2. Fees",
        "3. Term",
    ]
    assert [s.level for s in seg.sections] == [1, 2, 2, 2]
    assert seg.sections[1].text.startswith("## 1. Definitions")
    assert seg.sections[1].text.endswith("Schedule A.")
    paragraphs = [p.text for p in seg.paragraphs if p.section == 1]
    assert paragraphs == [
        '## 1. Definitions\n\n1.1 "Affiliate" means any entity controlled by a Party.',
        '1.2 "Services" means the services in Schedule A.',
    ]
    fees = [p.text for p in seg.paragraphs if p.section == 2]
    assert fees[1:] == ["(a) within thirty (30) days of invoice; and", "(b) in U.S. dollars."]
    assert_segmentation(seg, 512)


def test_title_and_preamble_sections() -> None:
    text = "Agreement dated 1 May.\n\n## Scope\nThe scope.\n## Price\nThe price."
    sections = split_sections(text)
    assert [(s.title, s.level) for s in sections] == [
        ("(preamble)", 0),
        ("Scope", 2),
        ("Price", 2),
    ]
    assert sections[0].text == "Agreement dated 1 May."


PLAIN_CONTRACT = """\
SERVICES AGREEMENT

1. DEFINITIONS
1.1 "Fees" means the amounts in clause 2.
1.2 "Term" has the meaning in clause 3.

2. PAYMENT
2.1 The Customer shall pay within 30 days.
(a) Late amounts bear interest.
3.5 million was paid in advance.

3. TERM
3.1 The Term is two years.
"""


def test_plain_text_contract_with_all_caps_numbered_headings() -> None:
    sections = split_sections(PLAIN_CONTRACT)
    # The title line has no text of its own, so it opens the first clause's section.
    assert [s.title for s in sections] == ["1. DEFINITIONS", "2. PAYMENT", "3. TERM"]
    assert [s.level for s in sections] == [3, 3, 3]
    assert sections[0].text.startswith("SERVICES AGREEMENT\n\n1. DEFINITIONS")
    paragraphs = split_paragraphs(PLAIN_CONTRACT, sections)
    payment = [p.text for p in paragraphs if p.section == 1]
    assert payment == [
        "2. PAYMENT\n2.1 The Customer shall pay within 30 days.",
        "(a) Late amounts bear interest.\n3.5 million was paid in advance.",
    ]


def test_articles_and_sections() -> None:
    text = (
        "ARTICLE I\nDEFINITIONS\n\nSection 1.1 Terms. Words have meanings.\n\n"
        "Section 1.2 Headings. Headings are for convenience.\n\n"
        "ARTICLE II\nPAYMENT\n\nSection 2.1 Fees. The Customer pays.\n"
    )
    sections = split_sections(text)
    assert [(s.title, s.level) for s in sections] == [("ARTICLE I", 1), ("ARTICLE II", 1)]
    paragraphs = split_paragraphs(text, sections)
    assert [p.text for p in paragraphs] == [
        # A two-line heading ("ARTICLE I" / "DEFINITIONS") is never a paragraph of its own.
        "ARTICLE I\nDEFINITIONS\n\nSection 1.1 Terms. Words have meanings.",
        "Section 1.2 Headings. Headings are for convenience.",
        "ARTICLE II\nPAYMENT\n\nSection 2.1 Fees. The Customer pays.",
    ]


def test_keyword_headings_need_a_heading_shape() -> None:
    text = (
        "Section 5. Payment\nThe fee.\n\nSection 5 shall survive termination.\n\n"
        "Schedule A Pricing\nPrices.\n\nSchedule A is attached hereto.\n"
    )
    titles = [s.title for s in split_sections(text)]
    assert titles == ["Section 5. Payment", "Schedule A Pricing"]


def test_prose_lines_are_not_headings() -> None:
    text = "3.5 million was paid.\nSection 5 shall survive termination.\nPart of the fee is due."
    assert [s.title for s in split_sections(text)] == ["(untitled)"]


def test_all_caps_block_is_not_a_heading() -> None:
    text = (
        "1. WARRANTY\nThe Provider warrants the work.\n\n"
        "THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n"
        "IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY\n"
        "AND FITNESS FOR A PARTICULAR PURPOSE.\n\n"
        "2. LIABILITY\nLiability is capped.\n"
    )
    assert [s.title for s in split_sections(text)] == ["1. WARRANTY", "2. LIABILITY"]


CHINESE_CONTRACT = """\
技术服务合同

甲方：杭州澜川智慧物流有限公司
乙方：苏州青穹数据科技有限公司

第一条 服务内容
乙方应向甲方提供以下服务：
（一）设计并部署调度平台；
（二）完成数据迁移。

第二条 服务期限
服务期限为十二个月。

第三条 服务费用
1. 服务费用总额为人民币120万元。
2. 甲方分三期付款。

第四条 保密
双方应保密。

第五条 其他
本合同一式四份。
"""


def test_chinese_contract_splits_per_article() -> None:
    seg = segment_document(CHINESE_CONTRACT)
    assert [s.title for s in seg.sections] == [
        "(preamble)",
        "第一条 服务内容",
        "第二条 服务期限",
        "第三条 服务费用",
        "第四条 保密",
        "第五条 其他",
    ]
    assert [s.level for s in seg.sections[1:]] == [3] * 5
    first = [p.text for p in seg.paragraphs if p.section == 1]
    assert first == [
        "第一条 服务内容\n乙方应向甲方提供以下服务：",
        "（一）设计并部署调度平台；",
        "（二）完成数据迁移。",
    ]
    # Arabic numbers nest under 条 and start paragraphs, not sections.
    third = [p.text for p in seg.paragraphs if p.section == 3]
    assert third == ["第三条 服务费用\n1. 服务费用总额为人民币120万元。", "2. 甲方分三期付款。"]
    assert_segmentation(seg, 512)


def test_chinese_enumerated_headings() -> None:
    text = "一、总则\n本协议适用于双方。\n\n二、费用\n费用按月支付。\n\n三、违约\n违约方赔偿损失。"
    sections = split_sections(text)
    assert [(s.title, s.level) for s in sections] == [("一、总则", 4), ("二、费用", 4), ("三、违约", 4)]


def test_document_without_headings_is_one_untitled_section() -> None:
    text = "The parties met on Monday.\n\nThey agreed on a price. Delivery is next week."
    seg = segment_document(text)
    assert [(s.title, s.level, s.start, s.end) for s in seg.sections] == [("(untitled)", 0, 0, len(text))]
    assert [p.text for p in seg.paragraphs] == [
        "The parties met on Monday.",
        "They agreed on a price. Delivery is next week.",
    ]


@pytest.mark.parametrize("text", ["", " ", "\r\n\t \u3000\n"])
def test_empty_document_has_no_segments(text: str) -> None:
    assert split_sections(text) == ()
    seg = segment_document(text)
    assert (seg.sections, seg.paragraphs, seg.passages) == ((), (), ())


def test_long_titles_are_cut_and_whitespace_collapsed() -> None:
    heading = "## " + "Very  long\theading " * 10
    sections = split_sections(f"{heading}\nx\n## Short ##\ny")
    assert len(sections[0].title) == 80
    assert sections[0].title.endswith("…")
    assert "  " not in sections[0].title and "\t" not in sections[0].title
    assert sections[1].title == "Short"


# --------------------------------------------------------------------------- paragraphs


def test_hard_wrapped_text_is_chunked_by_sentences() -> None:
    sentence = "The Provider shall maintain the platform and report every incident"
    lines = [f"{sentence} number {i}. It shall also keep records" for i in range(60)]
    text = "\n".join(lines) + "."
    paragraphs = split_paragraphs(text, split_sections(text))
    assert len(paragraphs) >= 3
    assert all(len(p.text) <= 1_000 for p in paragraphs)
    assert_partition(text, paragraphs)


def test_text_without_newlines_is_chunked() -> None:
    text = " ".join(f"Clause {i} requires the parties to act in good faith." for i in range(120))
    assert len(text) > 6_000 and "\n" not in text
    paragraphs = split_paragraphs(text, split_sections(text))
    assert len(paragraphs) >= 6
    assert all(p.text.endswith("good faith.") for p in paragraphs)
    assert_partition(text, paragraphs)


def test_single_huge_sentence_stays_one_paragraph() -> None:
    text = "word " * 500
    paragraphs = split_paragraphs(text, split_sections(text))
    assert [p.text for p in paragraphs] == [text.strip()]


def test_heading_only_paragraph_merges_with_next() -> None:
    text = "## 4. Payment\n\n### 4.1 Fees\n\nThe fee is USD 10.\n\n## 5. Term\n"
    seg = segment_document(text)
    # A heading that ends the document has no text of its own: it joins the section before it.
    assert [s.title for s in seg.sections] == ["4. Payment"]
    assert [p.text for p in seg.paragraphs] == [
        "## 4. Payment\n\n### 4.1 Fees\n\nThe fee is USD 10.\n\n## 5. Term",
    ]


def test_a_heading_is_never_a_passage_of_its_own() -> None:
    text = (
        "# Master Agreement\n\n## 1. Fees\n\n1.1 The fee is USD 10.\n\n## 2. Term\n\n"
        "### 2.1 Length\n\nOne year.\n\n### 2.2 Renewal\n"
    )
    seg = segment_document(text)
    assert [s.title for s in seg.sections] == ["1. Fees", "2. Term"]
    assert [p.text for p in seg.passages] == [
        "# Master Agreement\n\n## 1. Fees\n\n1.1 The fee is USD 10.",
        "## 2. Term\n\n### 2.1 Length\n\nOne year.\n\n### 2.2 Renewal",
    ]
    assert [p.text for p in segment_document("# Only a title\n").passages] == ["# Only a title"]


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The fee is payable under Sec. 4.2 of the Agreement. Payment is due on Jan. 15 "
            "to Acme Inc. in the U.S. within thirty (30) days, e.g. by wire.",
            [
                "The fee is payable under Sec. 4.2 of the Agreement.",
                "Payment is due on Jan. 15 to Acme Inc. in the U.S. within thirty (30) days, e.g. by wire.",
            ],
        ),
        ("Fees are USD 5,000. Payment follows.", ["Fees are USD 5,000.", "Payment follows."]),
        (
            "甲方应支付费用。乙方应提供服务；双方应保密！",
            ["甲方应支付费用。", "乙方应提供服务；", "双方应保密！"],
        ),
        ("他说：“我同意。”随后签字。", ["他说：“我同意。”", "随后签字。"]),
        ("See No. 3 and cl. 4.1 here. Next.", ["See No. 3 and cl. 4.1 here.", "Next."]),
        ("Pens, paper, etc. and ink. Stop.", ["Pens, paper, etc. and ink.", "Stop."]),
        ("As set out in Schedule B. The fee applies.", ["As set out in Schedule B.", "The fee applies."]),
        (
            "Terms:\n- First item. Still first.\n- Second item\n(a) third",
            ["Terms:", "- First item.", "Still first.", "- Second item", "(a) third"],
        ),
        (
            "The parties agree as follows: 1. The Provider acts. 2. The Customer pays.",
            ["The parties agree as follows:", "1. The Provider acts.", "2. The Customer pays."],
        ),
        ("Really? Yes. 真的吗?是的。", ["Really?", "Yes.", "真的吗?", "是的。"]),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert sentence_texts(text) == expected


def test_enumerator_only_sentence_joins_the_next() -> None:
    assert sentence_texts("iv. The rate is fixed.") == ["iv. The rate is fixed."]
    assert sentence_texts("12. The Customer pays. Done.") == ["12. The Customer pays.", "Done."]


def test_sentences_in_a_range_index_the_full_text() -> None:
    text = "Intro. A first one. A second one. Outro."
    start = text.index("A first")
    end = text.index(" Outro")
    spans = split_sentences(text, start, end)
    assert [(s.start, s.end) for s in spans] == [
        (start, start + len("A first one.")),
        (text.index("A second"), end),
    ]


def test_bad_sentence_range_raises() -> None:
    with pytest.raises(InputError, match="range"):
        split_sentences("abc", 2, 1)
    with pytest.raises(InputError, match="range"):
        split_sentences("abc", 0, 4)


# --------------------------------------------------------------------------- passages


def test_large_document_passages_fit_and_nothing_is_truncated() -> None:
    sentences = [
        "The Provider shall deliver the Services described in Schedule {i} with due care.",
        "Fees of USD {i},500 are payable under Sec. {i}.2 within thirty (30) days.",
        "Either Party may terminate on {i} days' notice, e.g. for a material breach.",
        "第{i}条 乙方应当按时交付成果，并承担相应的保密义务。",
        "Notices go to Acme Inc. in the U.S. and are effective on receipt.",
    ]
    blocks = []
    for i in range(400):
        body = " ".join(s.format(i=i) for s in sentences[: 2 + i % 4])
        blocks.append(f"## {i + 1}. Clause {i}\n\n{body}\n\n{body} {body}")
    text = "\n\n".join(blocks)
    assert sum(COUNTER.count_tokens([text])) > 50_000
    seg = segment_document(text, max_tokens=64)
    assert len(seg.sections) == 400
    assert all(p.tokens <= 64 for p in seg.passages)
    assert "".join("".join(p.text.split()) for p in seg.passages) == "".join(text.split())
    assert any(p.split for p in seg.passages)
    assert_partition(text, seg.passages)


def test_long_sentence_without_punctuation_is_split_into_pieces() -> None:
    words = [f"word{i}" for i in range(100)]
    text = " ".join(words)
    seg = segment_document(text, max_tokens=12)
    assert len(seg.passages) == 10
    assert all(p.split and p.tokens <= 12 for p in seg.passages)
    assert " ".join(p.text for p in seg.passages) == text


def test_cjk_run_without_spaces_is_split_at_token_boundaries() -> None:
    text = "甲" * 50
    seg = segment_document(text, max_tokens=10)
    assert [len(p.text) for p in seg.passages] == [8] * 6 + [2]
    assert "".join(p.text for p in seg.passages) == text


def test_sentences_are_packed_greedily() -> None:
    text = "One two three. Four five. Six seven eight nine. Ten."
    seg = segment_document(text, max_tokens=7)
    assert [p.text for p in seg.passages] == [
        "One two three. Four five.",
        "Six seven eight nine. Ten.",
    ]
    assert [p.tokens for p in seg.passages] == [7, 7]


def test_paragraph_that_fits_is_one_unsplit_passage() -> None:
    seg = segment_document("Short paragraph. Two sentences.", max_tokens=20)
    assert [(p.text, p.tokens, p.split) for p in seg.passages] == [
        ("Short paragraph. Two sentences.", 6, False)
    ]


def test_max_tokens_must_leave_room_for_one_token() -> None:
    with pytest.raises(InputError, match="max_tokens"):
        segment_document("Some text.", max_tokens=2)
    with pytest.raises(InputError, match="max_tokens"):
        split_passages("x", [Span(0, 0, 1, "x")], max_tokens=1, counter=COUNTER)


def test_crlf_and_cr_offsets_are_exact() -> None:
    text = (
        "# Title\r\n\r\n## 1. Fees\r\n1.1 The fee is due.\r\n1.2 Pay it.\r\n\r\n"
        "## 2. Term\r\nOne year.\rTwo years.\r\r"
    )
    seg = segment_document(text)
    assert [s.title for s in seg.sections] == ["1. Fees", "2. Term"]
    assert [p.text for p in seg.paragraphs] == [
        "# Title\r\n\r\n## 1. Fees\r\n1.1 The fee is due.",
        "1.2 Pay it.",
        "## 2. Term\r\nOne year.\rTwo years.",
    ]
    spans: list[Section | Span | Passage] = [*seg.sections, *seg.paragraphs, *seg.passages]
    for span in spans:
        assert text[span.start : span.end] == span.text
    assert_segmentation(seg, 512)


# --------------------------------------------------------------------------- summary


def test_summary_with_heading_and_bullets() -> None:
    text = "# Summary\n- First point. Second point.\n- Third point\n1. Fourth"
    summary = segment_summary(text)
    assert [s.text for s in summary.sentences] == [
        "First point.",
        "Second point.",
        "Third point",
        "Fourth",
    ]
    assert [s.text for s in summary.skipped] == ["# Summary"]
    assert summary.sentences[0].start == text.index("First")
    assert [s.index for s in summary.sentences] == [0, 1, 2, 3]
    assert_summary(summary)


def test_summary_without_newlines_is_sentences() -> None:
    summary = segment_summary("The fee rises by 4%. The term is 36 months.")
    assert [s.text for s in summary.sentences] == ["The fee rises by 4%.", "The term is 36 months."]
    assert summary.skipped == ()


def test_summary_paragraphs_and_markers() -> None:
    text = "## Key points\r\n\r\nThe deal\r\nis done.\r\n\r\n(a) Pay on time.\r\n  * Nested item"
    summary = segment_summary(text)
    assert [s.text for s in summary.sentences] == [
        "The deal\r\nis done.",
        "Pay on time.",
        "Nested item",
    ]
    assert [s.text for s in summary.skipped] == ["## Key points"]


@pytest.mark.parametrize("text", ["", "\n\n", "# Only a heading"])
def test_summary_without_claims(text: str) -> None:
    assert segment_summary(text).sentences == ()


def test_chinese_summary() -> None:
    summary = segment_summary("- 服务费用为120万元。甲方分三期付款。\n- 合同自签字之日起生效。")
    assert [s.text for s in summary.sentences] == [
        "服务费用为120万元。",
        "甲方分三期付款。",
        "合同自签字之日起生效。",
    ]


# --------------------------------------------------------------------------- sample documents


def test_sample_contract(contract: str) -> None:
    seg = segment_document(contract, max_tokens=128)
    assert seg.sections[0].title == "MASTER SERVICES AGREEMENT"
    assert [s.title.split(".")[0] for s in seg.sections[1:]] == [str(i) for i in range(1, 17)]
    assert_segmentation(seg, 128)


def test_sample_chinese_contract() -> None:
    text = (SAMPLES / "zh_contract.md").read_text(encoding="utf-8")
    seg = segment_document(text)
    assert seg.sections[0].title == "技术服务合同"
    assert all(re.fullmatch(r"第[一二三四五六七八九十]+条 .+", s.title) for s in seg.sections[1:])
    assert len(seg.sections) == 14
    assert_segmentation(seg, 512)


@pytest.mark.parametrize("name", ["services_agreement.summary.md", "zh_contract.summary.md"])
def test_sample_summaries(name: str) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    summary = segment_summary(text)
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(summary.sentences) >= len(bullets)
    assert not any(s.text.startswith("- ") for s in summary.sentences)
    assert_summary(summary)
