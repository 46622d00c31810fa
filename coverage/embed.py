"""Text encoders: the protocol the checker needs, and its sentence-transformers implementation.

An encoder turns texts into L2-normalised vectors, so a dot product is a
cosine similarity, and it counts tokens with the same tokenizer the model
uses, so passages can be sized to fit the model without truncation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from .tokens import TokenCounter

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while texts are encoded."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model produced the scores, and why that one.

    Attributes:
        name: Hub id or local folder of the model that was used.
        fallback: ``True`` when the requested default model was unavailable
            and the bundled all-MiniLM-L6-v2 was used instead.
        reason: Why the fallback happened; empty when ``fallback`` is False.
        max_seq_length: Longest input the model reads, in tokens. Passages
            are sized to fit it.
        device: ``"cpu"``, ``"cuda"``, ``"cuda:0"``, ``"mps"``, ...
        dtype: ``"float32"`` or ``"float16"``.
        requested: What the user asked for (``None`` = the default model).
    """

    name: str
    fallback: bool
    reason: str
    max_seq_length: int
    device: str
    dtype: str
    requested: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the model info as plain JSON types."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelInfo:
        """Rebuild from :meth:`to_dict` output."""
        return cls(**data)


@runtime_checkable
class Encoder(TokenCounter, Protocol):
    """What the checker needs from a model."""

    @property
    def info(self) -> ModelInfo:
        """Describe the model for the report."""
        ...

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> np.ndarray:
        """Encode texts into a float32 array of shape (len(texts), dim), rows L2-normalised."""
        ...


class SentenceTransformerEncoder:
    """An :class:`Encoder` over a loaded ``SentenceTransformer``.

    Build it with :func:`summary_coverage.models.load_encoder`, which
    resolves the model name, the device and the offline fallback.

    Args:
        model: The loaded model, already on its device and in its dtype.
        info: The description that goes into reports.
    """

    def __init__(self, model: SentenceTransformer, info: ModelInfo) -> None:
        self._model = model
        self._info = info
        self._tokenizer = model.tokenizer
        self._special = int(self._tokenizer.num_special_tokens_to_add(pair=False))
        # Hugging Face fast tokenizers raise "Already borrowed" when one
        # instance is used from several threads (e.g. dashboard sessions).
        self._lock = threading.RLock()

    @property
    def info(self) -> ModelInfo:
        """Describe the model for the report."""
        return self._info

    @property
    def model(self) -> SentenceTransformer:
        """The underlying sentence-transformers model."""
        return self._model

    @property
    def special_tokens(self) -> int:
        """Special tokens the tokenizer adds to every sequence."""
        return self._special

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Return each text's length in model tokens, special tokens included."""
        if not texts:
            return []
        with self._lock:
            enc = self._tokenizer(list(texts), add_special_tokens=True, truncation=False, verbose=False)
        return [len(row) for row in enc["input_ids"]]

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Return the character span of every (non-special) token of ``text``."""
        with self._lock:
            enc = self._tokenizer(
                text,
                add_special_tokens=False,
                truncation=False,
                return_offsets_mapping=True,
                verbose=False,
            )
        return [(int(a), int(b)) for a, b in enc["offset_mapping"] if b > a]

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> np.ndarray:
        """Encode texts, longest first, in batches; return rows in input order.

        Rows are L2-normalised, so ``a @ b`` is the cosine similarity.
        """
        total = len(texts)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = int(get_dim() or 0)
        if total == 0:
            return np.zeros((0, dim), dtype=np.float32)
        order = sorted(range(total), key=lambda i: -len(texts[i]))
        out = np.empty((total, dim), dtype=np.float32)
        # Several batches per call keep the per-call overhead small while still
        # reporting progress often enough for a progress bar.
        step = max(batch_size * 4, 1) if progress is not None else total
        done = 0
        for lo in range(0, total, step):
            idx = order[lo : lo + step]
            with self._lock:
                vecs = self._model.encode(
                    [texts[i] for i in idx],
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            out[idx] = np.asarray(vecs, dtype=np.float32)
            done += len(idx)
            if progress is not None:
                progress(done, total)
        return out
