"""Remember embeddings by model and exact text, so nothing already seen is encoded again.

Re-checking a document against an edited summary, or a batch whose contracts
share boilerplate clauses, then encodes only the new texts. Two layers:

* an in-memory LRU, bounded in bytes, private to the process;
* an optional on-disk store (SQLite in WAL mode), shared between processes:
  any number of readers run alongside one writer, and a write is one
  transaction, so a killed process never leaves a half-written vector.

Keys are ``(model key, SHA-256 of the text)``; the model key names the model
and everything that changes its vectors (see :func:`model_key`).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .encoder import Encoder, ModelInfo, ProgressCallback

__all__ = ["DEFAULT_CACHE_BYTES", "EmbeddingCache", "cached_encode", "model_key"]

DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
"""In-memory budget: about 170,000 MiniLM vectors or 65,000 bge-m3 vectors."""


def model_key(info: ModelInfo) -> str:
    """What identifies a model's vectors: name, sequence limit and number type (fp16 rounds differently)."""
    return f"{info.name}|{info.max_seq_length}|{info.dtype}"


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache:
    """An LRU of embeddings in memory, optionally backed by a directory on disk.

    Thread-safe. ``hits``/``misses`` count look-ups since creation.

    Args:
        max_bytes: Memory budget for the in-memory layer; 0 turns it off.
        directory: Folder for the on-disk store (created if missing), or
            ``None`` for memory only.
    """

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES, directory: str | Path | None = None) -> None:
        self.max_bytes = max_bytes
        self.directory = None if directory is None else Path(directory)
        self._memory: OrderedDict[tuple[str, bytes], np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.directory / "embeddings.sqlite3", timeout=60, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, digest BLOB, vector BLOB, "
                "PRIMARY KEY (model, digest))"
            )
            self._db.commit()

    def __len__(self) -> int:
        return len(self._memory)

    def close(self) -> None:
        """Close the on-disk store (the in-memory layer stays usable)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def get_many(self, model: str, texts: Sequence[str]) -> list[np.ndarray | None]:
        """Look texts up; ``None`` where a text has no stored vector."""
        keys = [(model, _digest(t)) for t in texts]
        out: list[np.ndarray | None] = [None] * len(texts)
        missing: list[int] = []
        with self._lock:
            for i, key in enumerate(keys):
                vec = self._memory.get(key)
                if vec is None:
                    missing.append(i)
                else:
                    self._memory.move_to_end(key)
                    out[i] = vec
            if missing and self._db is not None:
                found = self._read([keys[i][1] for i in missing], model)
                for i in missing:
                    vec = found.get(keys[i][1])
                    if vec is not None:
                        out[i] = vec
                        self._remember(keys[i], vec)
            hit = sum(v is not None for v in out)
            self.hits += hit
            self.misses += len(texts) - hit
        return out

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text (rows of ``vectors``)."""
        rows = [
            ((model, _digest(t)), np.array(v, dtype=np.float32)) for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock:
            for key, vec in rows:
                self._remember(key, vec)
            if self._db is not None and rows:
                with self._db:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                        [(m, d, vec.tobytes()) for (m, d), vec in rows],
                    )

    def _read(self, digests: list[bytes], model: str) -> dict[bytes, np.ndarray]:
        assert self._db is not None
        found: dict[bytes, np.ndarray] = {}
        for lo in range(0, len(digests), 500):
            chunk = digests[lo : lo + 500]
            marks = ",".join("?" * len(chunk))
            for digest, blob in self._db.execute(
                f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN ({marks})",  # noqa: S608
                [model, *chunk],
            ):
                found[bytes(digest)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _remember(self, key: tuple[str, bytes], vec: np.ndarray) -> None:
        if self.max_bytes <= 0 or vec.nbytes > self.max_bytes:
            return
        old = self._memory.pop(key, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._memory[key] = vec
        self._bytes += vec.nbytes
        while self._bytes > self.max_bytes:
            _, dropped = self._memory.popitem(last=False)
            self._bytes -= dropped.nbytes


def cached_encode(
    encoder: Encoder,
    cache: EmbeddingCache | None,
    texts: Sequence[str],
    *,
    batch_size: int = 32,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """Encode ``texts`` with ``encoder``, encoding only those ``cache`` does not hold.

    Returns the same array as ``encoder.encode(texts)``: float32, one
    L2-normalised row per text, in input order.
    """
    if cache is None:
        return encoder.encode(texts, batch_size=batch_size, progress=progress)
    key = model_key(encoder.info)
    stored = cache.get_many(key, texts)
    todo = [i for i, v in enumerate(stored) if v is None]
    fresh = encoder.encode([texts[i] for i in todo], batch_size=batch_size, progress=progress)
    if todo:
        cache.put_many(key, [texts[i] for i in todo], fresh)
    elif progress is not None:
        progress(len(texts), len(texts))
    dim = (
        fresh.shape[1]
        if fresh.ndim == 2 and fresh.shape[1]
        else next((v.shape[0] for v in stored if v is not None), 0)
    )
    out = np.empty((len(texts), dim), dtype=np.float32)
    for i, v in enumerate(stored):
        if v is not None:
            out[i] = v
    if todo:
        out[todo] = fresh
    return out
