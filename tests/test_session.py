"""The dashboard's shared state: result cache, cache keys, progress stages."""

from __future__ import annotations

import threading
import time

import pytest

from summary_coverage import Settings
from summary_coverage.app.session import ResultCache, result_key, stage_fraction


def test_result_key_changes_with_every_input() -> None:
    base = result_key("doc", "sum", None, Settings())
    assert base == result_key("doc", "sum", None, Settings())
    others = {
        result_key("doc2", "sum", None, Settings()),
        result_key("doc", "sum2", None, Settings()),
        result_key("doc", "sum", "bundled", Settings()),
        result_key("doc", "sum", None, Settings(max_passage_tokens=64)),
        result_key("do", "csum", None, Settings()),  # boundaries between fields matter
    }
    assert base not in others and len(others) == 5


def test_concurrent_requests_for_one_key_compute_once(hashing) -> None:
    cache = ResultCache(maxsize=4)
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return hashing.check("Rent is 900 euros.", "- Rent is 900 euros.")

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute("k", compute))) for _ in range(5)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 5 and all(r is results[0] for r in results)


def test_cache_is_lru_bounded(hashing) -> None:
    cache = ResultCache(maxsize=2)
    report = hashing.check("Rent is 900 euros.", "")
    for key in ("a", "b"):
        cache.get_or_compute(key, lambda: report)
    cache.get("a")  # refresh a
    cache.get_or_compute("c", lambda: report)
    assert len(cache) == 2 and cache.get("b") is None and cache.get("a") is report


def test_a_failed_computation_is_not_cached(hashing) -> None:
    cache = ResultCache()

    def boom():
        raise ValueError("nope")

    with pytest.raises(ValueError):
        cache.get_or_compute("k", boom)
    assert cache.get("k") is None and len(cache) == 0
    assert cache._key_locks == {}, "no per-key lock is left behind"


@pytest.mark.parametrize(
    ("event", "fraction", "label"),
    [
        (("reading", 0, 1), 0.0, "Reading…"),
        (("segmenting", 1, 1), 0.10, "Segmenting…"),
        (("embedding", 50, 100), 0.425, "Embedding 50/100 texts"),
        (("scoring", 1, 1), 0.80, "Scoring…"),
        (("judging", 0, 1), 0.80, "Judging…"),
        (("reporting", 1, 1), 1.0, "Reporting…"),
    ],
)
def test_progress_stages_map_onto_one_bar(event, fraction, label) -> None:
    assert stage_fraction(*event) == (pytest.approx(fraction), label)


def test_checker_reports_every_stage(hashing) -> None:
    seen = []
    hashing.check("Rent is 900 euros.\n\nNo pets.", "- Rent.", progress=lambda *e: seen.append(e))
    stages = [s for s, _, _ in seen]
    assert stages[0] == "segmenting" and stages[-1] == "reporting"
    order = list(dict.fromkeys(stages))
    assert order == ["segmenting", "embedding", "scoring", "judging", "reporting"]
    assert seen[-1] == ("reporting", 1, 1)


def test_the_dashboard_loads_the_backend_its_environment_names(monkeypatch, tmp_path) -> None:
    """SUMMARY_COVERAGE_BACKEND=onnx (or auto) makes the dashboard's checker; a wrong name is one sentence."""
    pytest.importorskip("onnxruntime", reason="the onnx extra is not installed")
    from summary_coverage.app import session
    from summary_coverage.encode.onnx_backend import OnnxEncoder
    from summary_coverage.errors import InputError

    monkeypatch.setenv("SUMMARY_COVERAGE_ONNX_DIR", str(tmp_path))
    monkeypatch.setenv(session.BACKEND_ENV, "onnx")
    checker = session.make_checker("bundled")
    assert isinstance(checker.encoder, OnnxEncoder) and checker.model_info.dtype == "int8"
    monkeypatch.setenv(session.BACKEND_ENV, "tpu")
    with pytest.raises(InputError, match="Unknown backend 'tpu'"):
        session.make_checker("bundled")
