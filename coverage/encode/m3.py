"""bge-m3's three outputs from one forward pass: dense vector, lexical weights, multi-vectors.

bge-m3 (BAAI) ships two small heads next to its XLM-RoBERTa encoder:
``sparse_linear.pt`` (hidden -> 1) and ``colbert_linear.pt`` (hidden -> hidden).
When a model folder holds both, :class:`M3Encoder` runs the encoder once per
batch and computes, from the same token states, what FlagEmbedding's
``BGEM3FlagModel`` computes (``FlagEmbedding/inference/embedder/encoder_only/m3.py``
and ``FlagEmbedding/finetune/embedder/encoder_only/m3/modeling.py``):

* **dense**: the CLS state, L2-normalised (the sentence-transformers modules
  of the model: Transformer, CLS pooling, Normalize);
* **lexical weights**: ``relu(sparse_linear(h))`` per token; a token id
  that occurs several times keeps its largest weight; the tokenizer's CLS,
  EOS, PAD and UNK ids (read from the tokenizer, never constants) and
  weights of 0 are dropped. The lexical score of two texts is the sum, over
  the token ids they share, of the products of their weights
  (:func:`summary_coverage.score.m3.lexical_scores`);
* **multi-vectors** (ColBERT): ``colbert_linear(h)`` over the states after
  CLS, at the real (unpadded) tokens, each L2-normalised. The score of a
  query against a passage is the mean, over the query's vectors, of the best
  dot product with any of the passage's vectors
  (:func:`summary_coverage.score.m3.multivector_scores`).

The heads run in float32 on the encoder's states (cast up when the encoder
runs in bfloat16 or float16). Memory stays bounded: lexical weights are
kept as one ``{token id: weight}`` map per text (scored as sparse
matrices); nothing of shape batch x length x vocabulary is ever built.
Head files are read with ``torch.load(weights_only=True)``, which refuses
anything but tensors (or from ``.safetensors`` files when present).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from .encoder import ModelInfo, ProgressCallback, SentenceTransformerEncoder, token_batches

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer

SPARSE_HEAD = "sparse_linear"
COLBERT_HEAD = "colbert_linear"
LEXICAL_CHANNEL = "bge-m3-sparse"
MULTIVECTOR_CHANNEL = "bge-m3-colbert"


@dataclass(frozen=True, slots=True)
class MultiEncoding:
    """Everything one forward pass of bge-m3 gives, for a list of texts (in input order).

    Attributes:
        dense: Shape (texts, dim), float32, rows L2-normalised: ``a @ b`` is the cosine.
        lexical: Per text, ``{token id: weight}`` with every weight > 0; the
            weight says how much that token identifies the text.
        multivector: Per text, an array (tokens after CLS, colbert dim),
            float32, rows L2-normalised; one row per real token, the final
            end-of-sequence token included (as in FlagEmbedding).
    """

    dense: np.ndarray
    lexical: tuple[dict[int, float], ...]
    multivector: tuple[np.ndarray, ...]


@runtime_checkable
class MultiEncoder(Protocol):
    """An encoder that gives bge-m3's three outputs from one pass (torch or ONNX Runtime)."""

    def encode_multi(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> MultiEncoding:
        """Dense vectors, lexical weights and multi-vectors of ``texts``, in input order."""
        ...


@dataclass(frozen=True, slots=True)
class M3Heads:
    """bge-m3's sparse and ColBERT heads, as float32 linear layers on the CPU or the model's device.

    Attributes:
        sparse: hidden -> 1.
        colbert: hidden -> colbert dim.
        files: The head files they were read from.
    """

    sparse: torch.nn.Linear
    colbert: torch.nn.Linear
    files: tuple[str, ...]


def _head_file(folder: Path, name: str) -> Path | None:
    for suffix in (".safetensors", ".pt"):
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def has_heads(folder: str | Path) -> bool:
    """Whether a model folder holds both bge-m3 heads (``sparse_linear`` and ``colbert_linear``)."""
    root = Path(folder)
    return all(_head_file(root, n) is not None for n in (SPARSE_HEAD, COLBERT_HEAD))


def _state(path: Path) -> dict[str, Any]:
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return dict(load_file(str(path), device="cpu"))
    import torch

    state = torch.load(str(path), map_location="cpu", weights_only=True)
    if not isinstance(state, dict):
        raise ValueError(f"{path.name} does not hold a state dict")
    return dict(state)


def _linear(path: Path, hidden: int, out: int | None) -> torch.nn.Linear:
    import torch

    state = _state(path)
    weight, bias = state.get("weight"), state.get("bias")
    if not isinstance(weight, torch.Tensor) or weight.ndim != 2 or weight.shape[1] != hidden:
        raise ValueError(f"{path.name}: expected a weight of shape (n, {hidden})")
    if out is not None and weight.shape[0] != out:
        raise ValueError(f"{path.name}: expected {out} output(s), found {weight.shape[0]}")
    layer = torch.nn.Linear(hidden, int(weight.shape[0]), bias=bias is not None)
    layer.load_state_dict({k: v for k, v in (("weight", weight), ("bias", bias)) if v is not None})
    return layer.float().eval()


def load_heads(folder: str | Path, hidden: int, device: str = "cpu") -> M3Heads | None:
    """Read bge-m3's heads from a model folder, or return ``None`` when it has none.

    Raises:
        ValueError: A head file exists but does not hold a linear layer of the right shape.
    """
    root = Path(folder)
    sparse_file, colbert_file = _head_file(root, SPARSE_HEAD), _head_file(root, COLBERT_HEAD)
    if sparse_file is None or colbert_file is None:
        return None
    sparse = _linear(sparse_file, hidden, 1).to(device)
    colbert = _linear(colbert_file, hidden, None).to(device)
    return M3Heads(sparse, colbert, (sparse_file.name, colbert_file.name))


def unused_token_ids(tokenizer: Any) -> frozenset[int]:
    """The ids bge-m3 drops from lexical weights: the tokenizer's CLS, EOS, PAD and UNK tokens."""
    ids = (getattr(tokenizer, f"{t}_token_id", None) for t in ("cls", "eos", "pad", "unk"))
    return frozenset(int(i) for i in ids if i is not None)


def token_weights(weights: np.ndarray, ids: np.ndarray, unused: frozenset[int]) -> dict[int, float]:
    """One text's lexical weights: the largest weight per token id, unused ids and zeros dropped."""
    keep = (weights > 0) & ~np.isin(ids, np.fromiter(unused, dtype=np.int64, count=len(unused)))
    ids, weights = ids[keep], weights[keep]
    if ids.size == 0:
        return {}
    order = np.argsort(ids, kind="stable")
    ids, weights = ids[order], weights[order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    best = np.maximum.reduceat(weights, starts)
    return {int(i): float(w) for i, w in zip(ids[starts], best, strict=True)}


BatchOutputs = tuple[np.ndarray, list[dict[int, float]], list[np.ndarray]]
"""One batch's dense rows, lexical weights and multi-vectors, in batch order."""


def per_text(
    weights: np.ndarray, colbert: np.ndarray, ids: np.ndarray, keep: np.ndarray, unused: frozenset[int]
) -> tuple[list[dict[int, float]], list[np.ndarray]]:
    """Split a batch's head outputs by text: lexical weights and the multi-vectors of real tokens.

    Args:
        weights: (batch, length) sparse-head weights after ReLU.
        colbert: (batch, length - 1) x dim normalised ColBERT vectors (padding rows zero).
        ids: (batch, length) input ids.
        keep: (batch, length) attention mask as booleans.
        unused: Token ids whose weights are dropped (:func:`unused_token_ids`).
    """
    lexical = [token_weights(weights[i][keep[i]], ids[i][keep[i]], unused) for i in range(len(ids))]
    multi = [np.ascontiguousarray(colbert[i][keep[i, 1:]], dtype=np.float32) for i in range(len(ids))]
    return lexical, multi


def encode_multi_by_length(
    texts: Sequence[str],
    lengths: Sequence[int],
    forward: Callable[[list[str]], BatchOutputs],
    *,
    dim: int,
    width: int,
    max_texts: int,
    budget: int,
    progress: ProgressCallback | None = None,
) -> MultiEncoding:
    """Run ``forward`` on batches cut longest first (:func:`.encoder.token_batches`); outputs in input order.

    The three-output twin of :func:`.encoder.encode_by_length`: ``dim`` is the
    dense width, ``width`` the multi-vectors' (for texts with no rows).
    """
    total = len(texts)
    dense = np.zeros((total, dim), dtype=np.float32)
    lexical: list[dict[int, float]] = [{} for _ in range(total)]
    multi: list[np.ndarray] = [np.zeros((0, width), dtype=np.float32) for _ in range(total)]
    order = sorted(range(total), key=lambda i: -lengths[i])
    done = 0
    for idx in token_batches(order, lengths, max_texts, budget):
        d, lw, mv = forward([texts[i] for i in idx])
        dense[idx] = d
        for k, i in enumerate(idx):
            lexical[i], multi[i] = lw[k], mv[k]
        done += len(idx)
        if progress is not None:
            progress(done, total)
    return MultiEncoding(dense, tuple(lexical), tuple(multi))


class M3Encoder(SentenceTransformerEncoder):
    """A sentence-transformers bge-m3 with its sparse and ColBERT heads, all from one forward pass.

    ``encode`` returns the dense vectors (as any :class:`Encoder`);
    :meth:`encode_multi` returns all three outputs.

    Args:
        model: The loaded model (Transformer, CLS pooling, Normalize).
        info: The description that goes into reports.
        heads: The two heads, from :func:`load_heads`.
    """

    def __init__(self, model: SentenceTransformer, info: ModelInfo, heads: M3Heads) -> None:
        super().__init__(model, info)
        self._heads = heads
        self._unused = unused_token_ids(self._tokenizer)

    @property
    def heads(self) -> M3Heads:
        """The sparse and ColBERT heads."""
        return self._heads

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> np.ndarray:
        """The dense vectors only (L2-normalised float32 rows, input order)."""
        return self.encode_multi(texts, batch_size=batch_size, progress=progress).dense

    def encode_multi(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> MultiEncoding:
        """Dense vectors, lexical weights and multi-vectors of ``texts``, one forward pass per batch.

        Texts are batched longest first by padded tokens, as :meth:`encode`
        does for any model; results come back in input order.
        """
        limit = int(self._model.max_seq_length or 512)
        return encode_multi_by_length(
            texts,
            [min(n, limit) for n in self.count_tokens(texts)],
            self._forward,
            dim=self._dim(),
            width=int(self._heads.colbert.out_features),
            max_texts=4 * batch_size,
            budget=self._budget(),
            progress=progress,
        )

    def _forward(self, batch: list[str]) -> BatchOutputs:
        import torch

        prepare = getattr(self._model, "preprocess", None) or self._model.tokenize
        with self._lock:
            features = prepare(batch)
        device = self._model.device
        features = {k: v.to(device) if hasattr(v, "to") else v for k, v in features.items()}
        with torch.inference_mode():
            out = self._model.forward(features)
            hidden = out["token_embeddings"].float()
            mask = features["attention_mask"]
            dense = torch.nn.functional.normalize(out["sentence_embedding"].float(), dim=-1)
            weights = torch.relu(self._heads.sparse(hidden)).squeeze(-1)
            colbert = self._heads.colbert(hidden[:, 1:]) * mask[:, 1:, None].float()
            colbert = torch.nn.functional.normalize(colbert, dim=-1)
        ids = features["input_ids"].cpu().numpy().astype(np.int64)
        keep = mask.cpu().numpy().astype(bool)
        w = weights.cpu().numpy().astype(np.float32)
        cv = colbert.cpu().numpy().astype(np.float32)
        lexical, multi = per_text(w, cv, ids, keep, self._unused)
        return dense.cpu().numpy().astype(np.float32), lexical, multi
