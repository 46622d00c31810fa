"""The command line, called in-process through main(argv)."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import replace

import pytest

from summary_coverage.cli import main

from conftest import SAMPLES

DOC = str(SAMPLES / "services_agreement.md")
FLAWED = str(SAMPLES / "services_agreement.flawed_summary.md")


@pytest.fixture(autouse=True)
def _reuse_loaded_model(monkeypatch, minilm) -> None:
    """Let the CLI reuse the session's loaded MiniLM instead of loading it per call.

    ``None`` (the default model) resolves, offline, to the same bundled model
    marked as a fallback, exactly as load_encoder does.
    """
    from summary_coverage.encode import models

    real = models.load_encoder
    offline_default = _WithInfo(
        minilm.encoder, replace(minilm.encoder.info, fallback=True, reason="HF_HUB_OFFLINE is set (test)")
    )

    def load(model=None, *, device="auto", dtype="auto"):
        if model is None:
            return offline_default
        return minilm.encoder if model == "bundled" else real(model, device=device, dtype=dtype)

    monkeypatch.setattr("summary_coverage.checker.load_encoder", load)


class _WithInfo:
    """The same encoder, described by other model info."""

    def __init__(self, encoder, info) -> None:
        self._encoder, self.info = encoder, info

    def __getattr__(self, name):
        return getattr(self._encoder, name)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report_shows_omitted_sections_and_invented_obligation(capsys) -> None:
    code, out, err = run(capsys, "check", DOC, FLAWED)
    assert code == 0, err
    assert "Coverage" in out and "Support" in out
    for heading in ("8. Data Protection and Security", "13. Insurance", "14. Subcontracting and Personnel"):
        assert heading in out
    assert "oak saplings" in out.split("Unsupported summary sentences")[1]
    assert "fallback" in out


def test_json_report_parses_and_has_schema_fields(capsys) -> None:
    code, out, _ = run(capsys, "check", DOC, FLAWED, "--json", "--model", "bundled")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert set(data["model"]) >= {"name", "fallback", "reason", "max_seq_length", "device"}
    assert data["document"]["source"].endswith("services_agreement.md")
    assert data["settings"]["coverage_threshold"] == pytest.approx(data["settings"]["coverage_threshold"])
    assert len(data["passages"]) > 50 and data["unsupported"]


def test_thresholds_are_passed_through(capsys) -> None:
    code, out, _ = run(
        capsys, "check", DOC, FLAWED, "--json", "--coverage-threshold", "0.9", "--support-threshold", "0.0"
    )
    data = json.loads(out)
    assert code == 0
    assert data["settings"]["coverage_threshold"] == 0.9 and data["settings"]["support_threshold"] == 0.0
    contradicted = {m["sentence"] for m in data["mismatches"] if m["status"] == "contradicted"}
    assert contradicted
    # The decision is the score against the threshold, nothing else: at 0.0 every sentence passes,
    # and the contradicted one passes with a low score.
    assert data["unsupported"] == []
    assert all(data["summary_sentences"][i]["support"] < 0.5 for i in contradicted)


def test_summary_from_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"- The Provider hosts the platform.")))
    code, out, _ = run(capsys, "check", DOC, "-", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["source"] == "<stdin>" and len(data["summary_sentences"]) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "missing.txt", FLAWED], "No such file"),
        (["check", DOC, FLAWED, "--coverage-threshold", "1.5"], "not between 0 and 1"),
        (["check", "-", "-"], "Only one of DOCUMENT and SUMMARY"),
        (["check", DOC, FLAWED, "--model", "acme/no-such-model"], "nor in the local cache"),
        (["check", DOC], "required"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_sentence(capsys, argv, message) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert err.count("error:") == 1


def test_empty_document_exits_2(capsys, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n")
    code, _, err = run(capsys, "check", str(empty), FLAWED)
    assert code == 2 and "only whitespace" in err


def test_empty_summary_is_valid_with_a_warning(capsys, tmp_path) -> None:
    empty = tmp_path / "summary.txt"
    empty.write_text("")
    code, out, err = run(capsys, "check", DOC, str(empty), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["coverage"] == 0.0 and all(not p["covered"] for p in data["passages"])
    assert "summary is empty" in err


def test_internal_error_exits_1_without_traceback(capsys, monkeypatch) -> None:
    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("summary_coverage.checker.Checker.check", boom)
    code, _, err = run(capsys, "check", DOC, FLAWED)
    assert code == 1 and "internal error: RuntimeError: disk on fire" in err and "Traceback" not in err


def test_onnx_backend_from_the_command_line(capsys, monkeypatch, tmp_path) -> None:
    pytest.importorskip("onnxruntime", reason="the onnx extra is not installed")
    monkeypatch.setenv("SUMMARY_COVERAGE_ONNX_DIR", str(tmp_path))
    code, out, err = run(capsys, "check", DOC, FLAWED, "--json", "--model", "bundled", "--backend", "onnx")
    assert code == 0, err
    data = json.loads(out)
    assert data["model"]["name"].endswith("+onnx-int8") and data["model"]["dtype"] == "int8"
    assert not any("not fitted" in w or "calibration" in w for w in data["warnings"])
    assert {m["summary_text"] for m in data["mismatches"] if m["status"] == "contradicted"} == {"sixty days"}


def test_auto_backend_from_the_command_line(capsys, monkeypatch, tmp_path) -> None:
    """--backend auto follows this machine's verdict and says what it chose and why (stderr, JSON, text).

    The measurement itself is tested in test_backends.py; here a verdict is already remembered.
    """
    pytest.importorskip("onnxruntime", reason="the onnx extra is not installed")
    from summary_coverage.encode import backends
    from summary_coverage.encode.models import BUNDLED_MODEL, resolve_device

    monkeypatch.setenv("SUMMARY_COVERAGE_ONNX_DIR", str(tmp_path))
    _, dtype = resolve_device("cpu", "auto")
    verdict = {"backend": "torch", "reason": f"auto: torch {dtype}, measured faster here", "date": "today"}
    key = backends._verdict_key(BUNDLED_MODEL, dtype, None)
    (tmp_path / backends.VERDICTS_FILE).write_text(json.dumps({key: verdict}), encoding="utf-8")
    args = ("check", DOC, FLAWED, "--model", "bundled", "--backend", "auto", "--device", "cpu")
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    model = json.loads(out)["model"]
    note = model["backend_note"]
    assert note == f"auto: torch {dtype}, measured faster here (measured today)" and f"backend: {note}" in err
    assert model["dtype"] == dtype and not list(tmp_path.glob("*/*/model.int8.onnx"))  # nothing exported
    code, out, err = run(capsys, *args)
    model_line = next(line for line in out.splitlines() if line.startswith("Model"))
    assert code == 0 and model_line.endswith(f"; {note}")
