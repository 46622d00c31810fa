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

import numpy as np

from .score import Signal

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]+|\d[\d,.]*\d|\d|[^\W\d_]+", re.UNICODE)
_CJK_RUN = re.compile(rf"[{_CJK}]")

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
def _stem(word: str) -> str:
    return str(_stemmer().stem(word))


def terms(text: str) -> frozenset[str]:
    """The distinct lexical terms of a text (see the module docstring)."""
    out: set[str] = set()
    for match in _TOKEN.finditer(text.lower()):
        tok = match.group(0)
        if _CJK_RUN.match(tok):
            if len(tok) == 1:
                out.add(tok)
            else:
                out.update(tok[i : i + 2] for i in range(len(tok) - 1))
        elif tok[0].isdigit():
            out.add(tok.replace(",", "").rstrip("."))
        elif tok not in STOPWORDS and len(tok) > 1:
            out.add(_stem(tok))
    return frozenset(out)


def lexical_signal(passages: Sequence[str], sentences: Sequence[str]) -> Signal:
    """IDF-weighted share of each sentence's terms found in each passage, shape (passages, sentences)."""
    from scipy import sparse

    values = np.zeros((len(passages), len(sentences)), dtype=np.float64)
    if not passages or not sentences:
        return Signal("lexical", values)
    p_terms = [terms(t) for t in passages]
    s_terms = [terms(t) for t in sentences]
    vocab: dict[str, int] = {}
    for ts in (*p_terms, *s_terms):
        for t in ts:
            vocab.setdefault(t, len(vocab))
    if not vocab:
        return Signal("lexical", values)

    def incidence(rows: list[frozenset[str]]) -> sparse.csr_matrix:
        cols = [vocab[t] for ts in rows for t in ts]
        ptr = np.cumsum([0] + [len(ts) for ts in rows])
        data = np.ones(len(cols), dtype=np.float64)
        return sparse.csr_matrix((data, cols, ptr), shape=(len(rows), len(vocab)))

    p_mat, s_mat = incidence(p_terms), incidence(s_terms)
    n = len(passages)
    df = np.asarray(p_mat.sum(axis=0)).ravel()
    idf = np.log1p((n - df + 0.5) / (df + 0.5))  # BM25's smoothed IDF, always > 0
    s_weighted = s_mat.multiply(idf[None, :]).tocsr()
    totals = np.asarray(s_weighted.sum(axis=1)).ravel()
    shared = (p_mat @ s_weighted.T).toarray()
    np.divide(shared, totals[None, :], out=values, where=totals[None, :] > 0)
    return Signal("lexical", np.clip(values, 0.0, 1.0))
