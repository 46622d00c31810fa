"""The lexical channel: terms, and the IDF-weighted share of a sentence's terms found in a passage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summary_coverage.score import lexical
from summary_coverage.score.lexical import lexical_signal, terms

PASSAGES = [
    "4.2 The Customer shall pay each undisputed invoice within thirty (30) days of receipt.",
    "9.1 Either party may terminate this Agreement on ninety days' written notice to the other.",
    "12.3 The Provider keeps all Customer Data confidential and encrypted at rest.",
    "第五条 甲方应在收到发票后三十日内付款。",
]
SENTENCES = [
    "Invoices are payable within 30 days.",
    "Customer data stays confidential.",
    "The supplier must plant oak saplings.",
    "三十日内付款。",
]


def test_terms_stem_words_drop_stopwords_keep_numbers_and_cjk_bigrams() -> None:
    assert terms("The Customer shall pay 1,234.5 invoices") == {"custom", "pay", "1234.5", "invoic"}
    assert terms("付款期限") == {"付款", "款期", "期限"}
    assert terms("²") == {"2"}  # a digit to str.isdigit: kept as a number (folded), not dropped


def test_each_sentence_matches_its_own_passage_best() -> None:
    values = lexical_signal(PASSAGES, SENTENCES).values
    assert values.shape == (4, 4)
    assert values[:, 0].argmax() == 0 and values[:, 1].argmax() == 2 and values[:, 3].argmax() == 3
    assert values[:, 2].max() < 0.2  # nothing in the document talks about oak saplings
    assert values[3, 3] == pytest.approx(1.0)  # every character pair of the sentence is in 第五条


def test_dense_and_sparse_paths_give_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
    dense = lexical_signal(PASSAGES, SENTENCES).values
    monkeypatch.setattr(lexical, "_DENSE_CELLS", 0)
    np.testing.assert_allclose(lexical_signal(PASSAGES, SENTENCES).values, dense, atol=1e-12)


texts = st.lists(st.text(alphabet="ab cd 12 付款期限 ²", max_size=30), min_size=0, max_size=6)


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_values_are_shares_and_paths_agree(passages: list[str], sentences: list[str]) -> None:
    values = lexical_signal(passages, sentences).values
    assert values.shape == (len(passages), len(sentences))
    assert ((values >= 0) & (values <= 1)).all()
    saved = lexical._DENSE_CELLS
    try:
        lexical._DENSE_CELLS = 0
        np.testing.assert_allclose(lexical_signal(passages, sentences).values, values, atol=1e-12)
    finally:
        lexical._DENSE_CELLS = saved
    for j, s in enumerate(sentences):
        for i, p in enumerate(passages):
            if terms(s) and terms(s) <= terms(p):
                assert values[i, j] == pytest.approx(1.0)
