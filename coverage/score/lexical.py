"""The lexical channel: IDF-weighted term overlap between passages and summary sentences.

Embeddings blur specifics (names, defined terms, rare words); exact term
overlap keeps them, and on long documents and non-English text it is the
stronger signal (bge-m3 paper: BM25 beats dense retrieval on long documents).
Terms are language-aware without any downloaded data:

* Latin-script and other spaced scripts: lower-cased words, English
  stopwords removed, Porter stems (nltk, rule-based).
* CJK (Chinese, Japanese kana, Korean hangul): overlapping character
  bigrams of each run, so Chinese works without a word segmenter.
* Numbers are kept as terms, with thousands separators removed.
* Ligatures and full-width forms are folded (``ﬁle`` is ``file``), and a
  word hyphenated at a line end is one term
  (:mod:`summary_coverage.segment.matching`).

The signal for a (passage, sentence) pair is the **IDF-weighted share of the
sentence's distinct terms that occur in the passage**, in [0, 1]: 1.0 means
every content term of the sentence appears in the passage. IDF comes from
the document's own passages (smoothed like BM25), so terms that occur
everywhere in this document count for little.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ..segment.matching import CJK_CHARS, CJK_LINE_BREAK, LINE_END_HYPHEN, fold
from .signals import Signal

_CJK = CJK_CHARS
# A word hyphenated at a line end (a PDF's "termi-\nnation") is one word, and a CJK run
# goes on across a wrapped line.
_TOKEN = re.compile(
    rf"([{_CJK}]+(?:{CJK_LINE_BREAK}[{_CJK}]+)*)|(\d[\d,.]*\d|\d)|([^\W\d_]+(?:{LINE_END_HYPHEN}[^\W\d_]+)?)",
    re.UNICODE,
)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each either else etc few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just may me might more most must my myself neither no nor not now of off on once only or
other ought our ours ourselves out over own per same shall she should so some such than that the
their theirs them themselves then there these they this those through thus to too under until up
upon us very was we were what when where whether which while who whom whose why will with within
without would you your yours yourself yourselves hereby herein hereof hereto hereunder thereof
therein thereto thereunder whereas""".split()  # noqa: SIM905 - a word list reads better as text
)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of a lower-cased word (nltk's rule-based stemmer, no data needed)."""
    return str(_stemmer().stem(word))


@lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    """The distinct lexical terms of a text (see the module docstring).

    Memoised: a check asks for the terms of the same passages and clauses
    several times (lexical channel, evidence, clause alignment), and a
    re-check or a batch sharing boilerplate asks again. On an 8k-token
    document this was about a third of a cached re-check.
    """
    return frozenset(t for t, _, _ in term_spans(text))


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """Every term occurrence of ``text`` as ``(term, start, end)``, in text order.

    The terms are those of :func:`terms` (``set(t for t, _, _ in term_spans(x)) == terms(x)``),
    each with the character span it comes from, so a term can be marked in the text.
    """
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        cjk, number, word = m.group(1), m.group(2), m.group(3)
        a = m.start()
        if cjk:
            if len(cjk) == 1:
                out.append((cjk.lower(), a, a + 1))
            elif cjk.isalpha():  # no line break inside
                out.extend((cjk[i : i + 2].lower(), a + i, a + i + 2) for i in range(len(cjk) - 1))
            else:
                at = [a + i for i, ch in enumerate(cjk) if not ch.isspace()]
                chars = [text[i] for i in at]
                out.extend(
                    ((chars[i] + chars[i + 1]).lower(), at[i], at[i + 1] + 1) for i in range(len(at) - 1)
                )
        elif number or word[0].isdigit():
            out.append((fold((number or word).lower()).replace(",", "").rstrip("."), a, m.end()))
        else:
            low = fold(word.lower())
            if low not in STOPWORDS and len(low) > 1:
                out.append((stem(low), a, m.end()))
    return out


def lexical_signal(
    passages: Sequence[str],
    sentences: Sequence[str],
    *,
    passage_terms: Sequence[frozenset[str]] | None = None,
) -> Signal:
    """IDF-weighted share of each sentence's terms found in each passage, shape (passages, sentences).

    ``passage_terms`` are the passages' :func:`terms`, when already computed.
    """
    values = np.zeros((len(passages), len(sentences)), dtype=np.float64)
    if not passages or not sentences:
        return Signal("lexical", values)
    p_terms = list(passage_terms) if passage_terms is not None else [terms(t) for t in passages]
    s_terms = [terms(t) for t in sentences]
    vocab: dict[str, int] = {}
    for ts in (*p_terms, *s_terms):
        for t in ts:
            vocab.setdefault(t, len(vocab))
    if not vocab:
        return Signal("lexical", values)

    n = len(passages)
    if (n + len(sentences)) * len(vocab) <= _DENSE_CELLS:
        p_mat, s_mat = _dense_incidence(p_terms, vocab), _dense_incidence(s_terms, vocab)
        df = p_mat.sum(axis=0)
        s_weighted = s_mat * _idf(n, df)[None, :]
        totals = s_weighted.sum(axis=1)
        shared = p_mat @ s_weighted.T
    else:
        p_sparse, s_sparse = _sparse_incidence(p_terms, vocab), _sparse_incidence(s_terms, vocab)
        df = np.asarray(p_sparse.sum(axis=0)).ravel()
        s_sparse = s_sparse.multiply(_idf(n, df)[None, :]).tocsr()
        totals = np.asarray(s_sparse.sum(axis=1)).ravel()
        shared = (p_sparse @ s_sparse.T).toarray()
    np.divide(shared, totals[None, :], out=values, where=totals[None, :] > 0)
    return Signal("lexical", np.clip(values, 0.0, 1.0))


_DENSE_CELLS = 1 << 18
"""Below this many matrix cells the term incidence is a dense array: for the
short pairs of a batch, building sparse matrices cost more than the product."""


def _idf(n: int, df: np.ndarray) -> np.ndarray:
    return np.log1p((n - df + 0.5) / (df + 0.5))  # BM25's smoothed IDF, always > 0


def _index(rows: Sequence[frozenset[str]], vocab: dict[str, int]) -> tuple[list[int], np.ndarray]:
    """Column of every (row, term) entry, row by row, and where each row starts."""
    return [vocab[t] for ts in rows for t in ts], np.cumsum([0] + [len(ts) for ts in rows])


def _dense_incidence(rows: Sequence[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    cols, ptr = _index(rows, vocab)
    out = np.zeros((len(rows), len(vocab)), dtype=np.float64)
    out[np.repeat(np.arange(len(rows)), np.diff(ptr)), cols] = 1.0
    return out


def _sparse_incidence(rows: Sequence[frozenset[str]], vocab: dict[str, int]) -> Any:
    from scipy import sparse

    cols, ptr = _index(rows, vocab)
    data = np.ones(len(cols), dtype=np.float64)
    return sparse.csr_matrix((data, cols, ptr), shape=(len(rows), len(vocab)))
