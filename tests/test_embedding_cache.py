"""The embedding cache: nothing already seen is encoded again, in memory or across processes."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from summary_coverage import Checker, EmbeddingCache, HashingEncoder
from summary_coverage.encode.cache import cached_encode, model_key


class CountingEncoder(HashingEncoder):
    """The hashing encoder, remembering every text it was asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], **kwargs):  # type: ignore[no-untyped-def, override]
        self.seen.extend(texts)
        return super().encode(texts, **kwargs)


def test_recheck_with_an_edited_summary_encodes_only_the_new_sentence(contract, faithful_summary) -> None:
    enc = CountingEncoder()
    checker = Checker(enc)
    first = checker.check(contract, faithful_summary)
    n_first = len(enc.seen)
    edited = faithful_summary.replace("thirty days", "forty days", 1)
    assert edited != faithful_summary
    second = checker.check(contract, edited)
    new = enc.seen[n_first:]
    assert len(new) == 1 and "forty days" in new[0]
    assert len(first.passages) == len(second.passages)


def test_cached_vectors_equal_fresh_ones(minilm) -> None:
    texts = ["The Provider shall pay within thirty (30) days.", "Either party may terminate.", "终止合同。"]
    cache = EmbeddingCache()
    fresh = minilm.encoder.encode(texts)
    once = cached_encode(minilm.encoder, cache, texts)
    twice = cached_encode(minilm.encoder, cache, texts[::-1])
    np.testing.assert_allclose(once, fresh, atol=1e-6)
    np.testing.assert_array_equal(twice, once[::-1])
    assert cache.hits == 3 and cache.misses == 3


def test_checker_without_a_cache_encodes_everything_every_time(contract) -> None:
    enc = CountingEncoder()
    checker = Checker(enc, cache=False)
    checker.check(contract, "- A summary sentence.")
    n = len(enc.seen)
    checker.check(contract, "- A summary sentence.")
    assert len(enc.seen) == 2 * n


def test_memory_layer_stays_within_its_budget() -> None:
    dim = 8
    cache = EmbeddingCache(max_bytes=10 * dim * 4)
    texts = [f"text {i}" for i in range(25)]
    cache.put_many("m", texts, np.ones((25, dim), dtype=np.float32))
    assert len(cache) == 10
    got = cache.get_many("m", texts)
    assert [v is not None for v in got] == [False] * 15 + [True] * 10  # least recently used went first


def test_models_do_not_share_vectors() -> None:
    cache = EmbeddingCache()
    cache.put_many("model-a", ["x"], np.ones((1, 4), dtype=np.float32))
    assert cache.get_many("model-b", ["x"]) == [None]
    info = HashingEncoder().info
    assert model_key(info).startswith(info.name)


def _write_then_exit(directory: str) -> None:
    cache = EmbeddingCache(directory=directory)
    cache.put_many(
        "m", [f"clause {i}" for i in range(200)], np.arange(200 * 4, dtype=np.float32).reshape(200, 4)
    )
    cache.close()


def _read_count(directory: str, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    cache = EmbeddingCache(directory=directory)
    got = cache.get_many("m", [f"clause {i}" for i in range(200)])
    queue.put(sum(v is not None for v in got))


def test_disk_store_is_shared_between_processes(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    writer = ctx.Process(target=_write_then_exit, args=(str(tmp_path),))
    writer.start()
    writer.join(60)
    assert writer.exitcode == 0
    queue = ctx.Queue()
    readers = [ctx.Process(target=_read_count, args=(str(tmp_path), queue)) for _ in range(3)]
    for r in readers:
        r.start()
    counts = [queue.get(timeout=60) for _ in readers]
    for r in readers:
        r.join(60)
    assert counts == [200, 200, 200]
    fresh = EmbeddingCache(directory=tmp_path, max_bytes=0)  # memory off: every hit comes from disk
    vec = fresh.get_many("m", ["clause 7"])[0]
    assert vec is not None and vec.tolist() == [28.0, 29.0, 30.0, 31.0]


def test_disk_store_survives_a_new_checker(tmp_path: Path, contract) -> None:
    enc = CountingEncoder()
    Checker(enc, cache=EmbeddingCache(directory=tmp_path)).check(contract, "- One sentence.")
    n = len(enc.seen)
    Checker(enc, cache=EmbeddingCache(directory=tmp_path)).check(contract, "- One sentence.")
    assert len(enc.seen) == n  # the second checker encoded nothing


@pytest.mark.parametrize("max_bytes", [0, 1])
def test_a_tiny_budget_still_returns_correct_vectors(max_bytes: int) -> None:
    enc = HashingEncoder()
    texts = ["alpha beta", "gamma", "alpha beta"]
    out = cached_encode(enc, EmbeddingCache(max_bytes=max_bytes), texts)
    np.testing.assert_array_equal(out, enc.encode(texts))
