"""Text encoders: the protocol the checker needs, and its sentence-transformers implementation.

An encoder turns texts into L2-normalised vectors, so a dot product is a
cosine similarity, and it counts tokens with the same tokenizer the model
uses, so passages can be sized to fit the model without truncation.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from ..segment.tokens import TokenCounter

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
        dtype: What the encoder computes in: ``"float32"``, ``"bfloat16"``
            (CPUs with bf16 instructions) or ``"float16"`` (GPUs).
        requested: What the user asked for (``None`` = the default model).
        backend_note: Why this backend ran, when it was chosen by measurement
            (``--backend auto``); empty otherwise.
    """

    name: str
    fallback: bool
    reason: str
    max_seq_length: int
    device: str
    dtype: str
    requested: str | None = None
    backend_note: str = ""

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


TOKEN_COUNT_MEMO = 8192
"""Texts whose token counts an encoder remembers (oldest dropped first)."""

TOKENS_PER_BATCH = {"cpu": 512, "other": 16384}
"""Padded tokens per forward pass (texts in the batch x its longest text), by device.

On 2 CPU cores, MiniLM ran at 2,175 / 3,604 / 3,439 / 4,278 tokens/s on a
1k-token document with budgets of 4096 / 2048 / 1024 / 512, and at 4,327 /
4,087 / 5,567 / 5,621 on an 8k one; a bge-m3-sized model in bfloat16 ran at
259 / 326 / 383 / 452 / 445 tokens/s with 4096 / 2048 / 1024 / 512 / 256 on
the sample contract's passages: small batches stay in the CPU caches.
GPUs want large batches."""


def token_batches(
    order: Sequence[int], lengths: Sequence[int], max_texts: int, budget: int
) -> list[list[int]]:
    """Cut texts, longest first, into batches of at most ``budget`` padded tokens.

    A batch is padded to its longest text, so one long passage among 31 short
    ones would make the model process 32 long sequences; the budget bounds
    padding and activation memory. A batch holds at most ``max_texts``
    texts, and a text longer than the budget goes alone.
    """
    batches: list[list[int]] = []
    cur: list[int] = []
    width = 0
    for i in order:
        width = width if cur else max(lengths[i], 1)
        if cur and (len(cur) + 1) * width > max(budget, width) or len(cur) >= max_texts:
            batches.append(cur)
            cur, width = [], max(lengths[i], 1)
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches


class TokenizerTokens:
    """Token counts and character offsets from a Hugging Face tokenizer, safe to share between threads.

    Counts are remembered (the last :data:`TOKEN_COUNT_MEMO` texts):
    segmentation, the encoder and a re-check all count the same passages.

    Args:
        tokenizer: A fast tokenizer (``PreTrainedTokenizerFast``).
        lock: The lock that serialises calls into the tokenizer; pass the one
            that also guards other uses of the same tokenizer.
    """

    def __init__(self, tokenizer: Any, lock: threading.RLock | None = None) -> None:
        self._tokenizer = tokenizer
        self._special = int(tokenizer.num_special_tokens_to_add(pair=False))
        # Hugging Face fast tokenizers raise "Already borrowed" when one
        # instance is used from several threads (e.g. dashboard sessions).
        self.lock = lock if lock is not None else threading.RLock()
        self._counts: OrderedDict[str, int] = OrderedDict()

    @property
    def tokenizer(self) -> Any:
        """The tokenizer itself (call it under :attr:`lock`)."""
        return self._tokenizer

    @property
    def special_tokens(self) -> int:
        """Special tokens the tokenizer adds to every sequence."""
        return self._special

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Return each text's length in model tokens, special tokens included."""
        if not texts:
            return []
        with self.lock:
            memo = self._counts
            todo = list(dict.fromkeys(t for t in texts if t not in memo))
            fresh: dict[str, int] = {}
            if todo:
                enc = self._tokenizer(todo, add_special_tokens=True, truncation=False, verbose=False)
                fresh = {t: len(row) for t, row in zip(todo, enc["input_ids"], strict=True)}
            # Answer before the memo drops anything: one call may ask for more texts than it holds.
            out = [fresh[t] if t in fresh else memo[t] for t in texts]
            memo.update(fresh)
            while len(memo) > TOKEN_COUNT_MEMO:
                memo.popitem(last=False)
            return out

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Return the character span of every (non-special) token of ``text``."""
        with self.lock:
            enc = self._tokenizer(
                text,
                add_special_tokens=False,
                truncation=False,
                return_offsets_mapping=True,
                verbose=False,
            )
        return [(int(a), int(b)) for a, b in enc["offset_mapping"] if b > a]


class SentenceTransformerEncoder:
    """An :class:`Encoder` over a loaded ``SentenceTransformer``.

    Build it with :func:`summary_coverage.encode.models.load_encoder`, which
    resolves the model name, the device and the offline fallback.

    Args:
        model: The loaded model, already on its device and in its dtype.
        info: The description that goes into reports.
    """

    def __init__(self, model: SentenceTransformer, info: ModelInfo) -> None:
        self._model = model
        self._info = info
        self._tokenizer = model.tokenizer
        self._tokens = TokenizerTokens(self._tokenizer)
        self._lock = self._tokens.lock  # also guards the model's own tokenizer calls

    @property
    def info(self) -> ModelInfo:
        """Describe the model for the report."""
        return self._info

    @property
    def model(self) -> SentenceTransformer:
        """The underlying sentence-transformers model."""
        return self._model

    @property
    def tokens(self) -> TokenizerTokens:
        """The model's tokenizer, as token counts and offsets."""
        return self._tokens

    @property
    def special_tokens(self) -> int:
        """Special tokens the tokenizer adds to every sequence."""
        return self._tokens.special_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Return each text's length in model tokens, special tokens included (remembered)."""
        return self._tokens.count_tokens(texts)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Return the character span of every (non-special) token of ``text``."""
        return self._tokens.token_offsets(text)

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
        limit = int(self._model.max_seq_length or 512)

        def run(batch: list[str]) -> np.ndarray:
            with self._lock:
                vecs = self._model.encode(
                    batch,
                    batch_size=len(batch),
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            out = np.asarray(vecs, dtype=np.float32)
            if self._info.dtype != "float32":  # normalised in half precision: renormalise in float32
                norms = np.linalg.norm(out, axis=1, keepdims=True)
                np.divide(out, norms, out=out, where=norms > 0)
            return out

        return encode_by_length(
            texts,
            [min(n, limit) for n in self.count_tokens(texts)],
            run,
            dim=self._dim(),
            max_texts=4 * batch_size,  # short texts: more of them fill the token budget
            budget=self._budget(),
            progress=progress,
        )

    def _dim(self) -> int:
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        return int(get_dim() or 0)

    def _budget(self) -> int:
        return TOKENS_PER_BATCH["cpu" if self._info.device == "cpu" else "other"]


def encode_by_length(
    texts: Sequence[str],
    lengths: Sequence[int],
    encode_batch: Callable[[list[str]], np.ndarray],
    *,
    dim: int,
    max_texts: int,
    budget: int,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """Encode texts longest first, in batches of at most ``budget`` padded tokens; rows in input order.

    Args:
        texts: The texts.
        lengths: Each text's length in model tokens, as the model will read it.
            Exact lengths pad far less than estimates: 4% of the tokens were
            padding against 17% with ``len(text) / 4`` on 800 short passages
            and sentences, for one tokenizer pass (about 2% of the model's time).
        encode_batch: Encodes one batch into L2-normalised float32 rows.
        dim: The embedding width (for an empty input).
        max_texts: Most texts in one batch.
        budget: Padded tokens per batch.
        progress: Called as ``progress(done, total)`` after each batch.
    """
    total = len(texts)
    out = np.empty((total, dim), dtype=np.float32)
    order = sorted(range(total), key=lambda i: -lengths[i])
    done = 0
    for idx in token_batches(order, lengths, max(max_texts, 1), budget):
        out[idx] = encode_batch([texts[i] for i in idx])
        done += len(idx)
        if progress is not None:
            progress(done, total)
    return out
