"""A deterministic, model-free encoder: hashed bag of words.

For unit tests and dry runs only: it has no notion of meaning, only of
shared words. Identical texts score 1.0; texts without a shared word score 0.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from ..segment.tokens import ApproximateTokenCounter
from .encoder import ModelInfo, ProgressCallback

_WORD = re.compile(r"[\u2e80-\u9fff]|\w+", re.UNICODE)


class HashingEncoder(ApproximateTokenCounter):
    """Hashed bag-of-words vectors of a fixed dimension, L2-normalised.

    Args:
        dim: Vector size.
        max_seq_length: The passage limit it reports, in approximate tokens.
    """

    def __init__(self, dim: int = 512, max_seq_length: int = 256) -> None:
        self.dim = dim
        self.calls = 0
        self._info = ModelInfo(
            name="hashing-bag-of-words",
            fallback=False,
            reason="",
            max_seq_length=max_seq_length,
            device="cpu",
            dtype="float32",
        )

    @property
    def info(self) -> ModelInfo:
        """Describe the encoder for the report."""
        return self._info

    def _bucket(self, word: str) -> int:
        return int.from_bytes(
            hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
        )

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """Encode texts as normalised hashed word counts (``calls`` counts invocations)."""
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                out[row, self._bucket(word) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        if progress is not None:
            progress(len(texts), len(texts))
        return out
