"""--backend auto: the faster of torch and ONNX Runtime int8 on this machine, measured once, remembered.

Runs on the real bundled MiniLM. Which backend wins depends on the machine, so
the tests check the measurement, the verdict and what the report says, and
force each verdict to check that a remembered one loads only its model.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("onnxruntime", reason="the ONNX backend needs the onnx extra: pip install -e '.[onnx]'")

from summary_coverage import Checker, SentenceTransformerEncoder  # noqa: E402
from summary_coverage.encode import backends  # noqa: E402
from summary_coverage.encode.backends import MIN_AGREEMENT, VERDICTS_FILE, load_backend, probe_texts  # noqa: E402
from summary_coverage.encode.onnx_backend import OnnxEncoder  # noqa: E402
from summary_coverage.errors import InputError  # noqa: E402

from conftest import SAMPLES  # noqa: E402


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("auto")
    encoder, choice = load_backend("bundled", "auto", device="cpu", cache_dir=root)
    return root, encoder, choice


def test_auto_measures_both_and_keeps_the_faster_that_agrees(measured) -> None:
    root, encoder, choice = measured
    assert set(choice.seconds) == {"torch", "onnx-int8"} and all(t > 0 for t in choice.seconds.values())
    assert choice.agreement is not None and 0.9 < choice.agreement <= 1.0001
    gain = choice.seconds["torch"] / choice.seconds["onnx-int8"]
    agrees = choice.agreement >= MIN_AGREEMENT
    assert (choice.backend == "onnx-int8") == (agrees and gain >= backends.MIN_GAIN)
    assert isinstance(encoder, OnnxEncoder if choice.backend == "onnx-int8" else SentenceTransformerEncoder)
    assert choice.reason.startswith("auto: ")
    # The reason names the measurement that decided: the vectors' agreement, else the speed.
    assert (f"cosine {choice.agreement:.3f}" in choice.reason) == (not agrees)
    assert (f"{gain:.2f}x" in choice.reason) == agrees
    assert encoder.info.backend_note == choice.reason
    verdicts = json.loads((root / VERDICTS_FILE).read_text(encoding="utf-8"))
    ((key, verdict),) = verdicts.items()
    assert key.startswith("sentence-transformers/all-MiniLM-L6-v2|") and verdict["backend"] == choice.backend


def test_the_report_says_which_backend_ran_and_why(measured) -> None:
    _, encoder, choice = measured
    document = (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")
    report = Checker(encoder).check(
        document[: document.index("## 3.")], "The Provider shall deliver the Services."
    )
    assert report.model.backend_note == choice.reason
    assert json.loads(report.to_json())["model"]["backend_note"] == choice.reason


@pytest.mark.parametrize("winner", ["torch", "onnx-int8"])
def test_a_remembered_verdict_loads_only_its_model(measured, winner, monkeypatch) -> None:
    root, _, _ = measured
    path = root / VERDICTS_FILE
    verdicts = json.loads(path.read_text(encoding="utf-8"))
    key = next(iter(verdicts))
    path.write_text(json.dumps({key: verdicts[key] | {"backend": winner, "reason": f"auto: {winner} won"}}))

    def unwanted(*args, **kwargs):
        raise AssertionError("loaded the model the verdict did not choose")

    if winner == "torch":
        monkeypatch.setattr("summary_coverage.encode.onnx_backend.load_onnx_encoder", unwanted)
    else:
        monkeypatch.setattr(backends, "load_encoder", unwanted)
    encoder, choice = load_backend("bundled", "auto", device="cpu", cache_dir=root)
    assert choice.remembered and choice.backend == winner
    assert isinstance(encoder, OnnxEncoder if winner == "onnx-int8" else SentenceTransformerEncoder)
    assert encoder.info.backend_note.startswith(f"auto: {winner} won (measured ")


def test_auto_keeps_torch_when_the_export_would_not_fit_in_memory(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(backends, "_available_bytes", lambda: 1024)
    monkeypatch.setattr("summary_coverage.encode.onnx_backend.load_onnx_encoder", lambda *a, **k: 1 / 0)
    encoder, choice = load_backend("bundled", "auto", device="cpu", cache_dir=tmp_path)
    assert choice.backend == "torch" and isinstance(encoder, SentenceTransformerEncoder)
    assert "would need about" in choice.reason and not (tmp_path / VERDICTS_FILE).exists()


def test_probe_texts_span_short_and_long_clauses() -> None:
    texts = probe_texts()
    words = [len(t.split()) for t in texts]
    assert len(set(texts)) == len(texts) == 24 and min(words) < 20 < 100 < max(words)


def test_unknown_backend_is_one_clear_sentence() -> None:
    with pytest.raises(InputError, match="Unknown backend 'tpu'"):
        load_backend("bundled", "tpu")
