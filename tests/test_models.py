"""Model resolution: local cache first, offline fallback for the default, clear errors otherwise."""

from __future__ import annotations

import time

import pytest

from summary_coverage import BUNDLED_MODEL, ModelLoadError, load_encoder
from summary_coverage.encode.models import cpu_supports_bf16, hub_unreachable_reason, resolve_device
from summary_coverage.errors import InputError


def test_default_falls_back_to_bundled_model_offline_and_says_why(caplog) -> None:
    with caplog.at_level("WARNING", logger="summary_coverage.encode.models"):
        enc = load_encoder(None, device="cpu")
    assert any("Using the bundled all-MiniLM-L6-v2" in r.getMessage() for r in caplog.records)
    info = enc.info
    assert info.fallback is True
    assert info.name == BUNDLED_MODEL
    assert "BAAI/bge-m3" in info.reason and "HF_HUB_OFFLINE" in info.reason
    assert "fetch-model" in info.reason
    assert info.max_seq_length == 256
    assert (info.device, info.dtype) == ("cpu", "bfloat16" if cpu_supports_bf16() else "float32")


def test_bundled_alias_is_not_a_fallback() -> None:
    info = load_encoder("bundled", device="cpu").info
    assert info.fallback is False and info.reason == "" and info.name == BUNDLED_MODEL


def test_explicit_hub_model_that_is_not_cached_is_an_error_not_a_fallback() -> None:
    with pytest.raises(ModelLoadError, match=r"acme/no-such-model .*nor in the local cache.*fetch-model"):
        load_encoder("acme/no-such-model", device="cpu")


def test_explicit_folder_without_a_model_is_an_error(tmp_path) -> None:
    with pytest.raises(ModelLoadError, match="does not hold a loadable"):
        load_encoder(str(tmp_path), device="cpu")
    file = tmp_path / "weights.bin"
    file.write_bytes(b"x")
    with pytest.raises(ModelLoadError, match="is a file"):
        load_encoder(str(file), device="cpu")


def test_local_folder_loads_by_path() -> None:
    from summary_coverage.encode.models import bundled_model_path

    enc = load_encoder(str(bundled_model_path()), device="cpu")
    assert enc.info.fallback is False and enc.info.name == str(bundled_model_path())
    vec = enc.encode(["The fee is payable monthly."])
    assert vec.shape == (1, 384)
    assert float((vec**2).sum()) == pytest.approx(1.0, abs=1e-4)


def test_hub_probe_gives_up_quickly_when_unreachable(monkeypatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    # A closed local port: refused at once, without touching the network.
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    t0 = time.monotonic()
    reason = hub_unreachable_reason(timeout=2.0)
    assert reason is not None and "127.0.0.1" in reason
    assert time.monotonic() - t0 < 10  # a hang guard, not a speed target


def test_offline_flag_short_circuits_the_probe(monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert hub_unreachable_reason() == "HF_HUB_OFFLINE is set"


def test_device_resolution() -> None:
    assert resolve_device("cpu") == ("cpu", "bfloat16" if cpu_supports_bf16() else "float32")
    assert resolve_device("cpu", "float32") == ("cpu", "float32")
    assert resolve_device("cpu", "bfloat16") == ("cpu", "bfloat16")
    assert resolve_device("auto")[0] in {"cpu", "cuda", "mps"}
    with pytest.raises(InputError, match="device must be one of"):
        resolve_device("tpu")


def test_cuda_requested_without_gpu_is_a_clear_error() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(InputError, match="no CUDA GPU"):
        resolve_device("cuda")


def test_token_counting_uses_the_model_tokenizer(minilm) -> None:
    enc = minilm.encoder
    assert enc.special_tokens == 2
    assert enc.count_tokens(["hello world"]) == [4]  # [CLS] hello world [SEP]
    offsets = enc.token_offsets("Payment is due")
    assert [("Payment is due")[a:b] for a, b in offsets] == ["payment", "is", "due"] or len(offsets) == 3


def test_token_counts_for_more_texts_than_the_memo_holds(minilm, monkeypatch) -> None:
    from summary_coverage.encode import encoder as encoder_module

    monkeypatch.setattr(encoder_module, "TOKEN_COUNT_MEMO", 8)
    enc = minilm.encoder
    texts = [f"clause number {i} applies" for i in range(30)]  # one call, more than the memo holds
    assert enc.count_tokens(texts) == [len(enc.model.tokenizer(t)["input_ids"]) for t in texts]
    assert enc.count_tokens(texts[:3] + texts[-3:]) == [
        len(enc.model.tokenizer(t)["input_ids"]) for t in texts[:3] + texts[-3:]
    ]
