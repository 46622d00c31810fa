"""Which backend reads the texts: torch, ONNX Runtime int8, or the faster of the two on this machine.

``--backend auto`` (:func:`load_backend` with ``"auto"``) measures rather than
guesses. On a CPU it loads both the torch model (in the CPU's dtype: bfloat16
where the CPU has bf16 instructions, else float32) and the int8 export (made
once, see :mod:`.onnx_backend`), encodes the same probe texts with each, and
keeps the int8 model only when

* its vectors agree with the torch model's (smallest cosine on the probe at
  least :data:`MIN_AGREEMENT`; the export itself was already checked against
  float32 before it was cached), and
* it is faster by at least :data:`MIN_GAIN` (a margin against noise).

The verdict is remembered per model, machine (CPU model and instruction sets),
dtype and thread count in ``auto-verdicts.json`` under the ONNX cache root,
so later loads open only the chosen model. Which backend ran, and why, is in
the report's model description (``ModelInfo.backend_note``).

What it chooses on the build machine (2 cores with AMX bf16 and int8): torch
bfloat16 for both models. The bundled MiniLM runs int8 a little faster than
bf16 (393 against 460 ms on the sample contract) but its int8 vectors are not
close enough (cosine 0.985: 4 decisions of the sample contract changed); a
bge-m3-sized model is close enough (0.998) but runs int8 no faster than bf16
(an 11.0 / 7.4 s check against 7.7 s). On a CPU without bf16 instructions
torch runs float32, and int8 is 2.1x its speed for the bge-m3-sized model.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, ModelLoadError
from .encoder import Encoder
from .models import load_encoder, local_model, resolve_device

__all__ = ["BACKENDS", "MIN_AGREEMENT", "MIN_GAIN", "BackendChoice", "load_backend"]

logger = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx", "auto")
"""``torch``: the model as loaded (any device); ``onnx``: ONNX Runtime int8 on the CPU; ``auto``: measured."""

MIN_AGREEMENT = 0.995
"""Smallest cosine between a probe text's int8 and torch vectors for int8 to be eligible.

Measured on the sample contract against float32: bf16 MiniLM (min cosine 0.9999) changed no
decision; int8 MiniLM (0.985) changed 4 and one section's coverage by 0.16; the int8
bge-m3-sized model (0.998) changed none, its largest score change 0.06."""

MIN_GAIN = 1.1
"""int8 is chosen only when the torch time is at least this many times the int8 time."""

VERDICTS_FILE = "auto-verdicts.json"

EXPORT_MEMORY_FACTOR = 4.5
"""An export peaks at about this many times the model's weight files (bge-m3-sized: 2.3 GB of
weights, 9.4 GB for the exporting process and its quantising child together); auto does not
start an export the free memory cannot hold."""

_CLAUSES = (
    "The Provider shall deliver the Services in accordance with each Statement of Work.",
    "Invoices are payable within thirty (30) days of the date of receipt.",
    "Either party may terminate this Agreement on ninety days' written notice to the other party.",
    "The Customer owns all right, title and interest in the Customer Data.",
    "Each party's total liability is capped at the fees paid in the twelve months before the claim.",
    "Disputes shall be finally resolved by arbitration in London under the rules then in force.",
    "The Provider shall notify the Customer of any personal data breach within forty-eight hours.",
    "No amendment is effective unless it is in writing and signed by both parties.",
)


def probe_texts() -> list[str]:
    """Texts of one to eight clauses (about 20 to 170 tokens): the lengths a contract check reads."""
    n = len(_CLAUSES)
    return [" ".join(_CLAUSES[(i // n + k) % n] for k in range(1 + i % n)) for i in range(3 * n)]


@dataclass(frozen=True, slots=True)
class BackendChoice:
    """What ran, and why.

    Attributes:
        backend: ``"torch"`` or ``"onnx-int8"``.
        reason: One sentence for the report.
        seconds: Probe time of each backend measured (empty when nothing was measured).
        agreement: Smallest probe cosine of int8 to torch, when measured.
        remembered: The verdict came from an earlier measurement on this machine.
    """

    backend: str
    reason: str
    seconds: dict[str, float]
    agreement: float | None = None
    remembered: bool = False


def _cpu_signature() -> str:
    """The CPU model and the instruction sets that decide int8 and bf16 speed."""
    name, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name") and name in ("", platform.machine()):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_int8", "amx_bf16")
    return f"{platform.machine()}|{name}|{','.join(f for f in wanted if f in flags)}|{os.cpu_count()}"


def _verdict_key(name: str, dtype: str, threads: int | None) -> str:
    return f"{name}|{dtype}|threads={threads or 'default'}|{_cpu_signature()}"


def _read_verdicts(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_verdict(path: Path, key: str, verdict: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = _read_verdicts(path) | {key: verdict}
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:  # a read-only cache costs a re-measurement next time, nothing else
        logger.info("Could not remember the backend verdict in %s: %s", path, exc)


def _available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _weight_bytes(folder: Path) -> int:
    kinds = {".safetensors", ".bin", ".pt", ".pth"}
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and f.suffix in kinds)


def _best_time(encoder: Encoder, texts: Sequence[str], repeats: int = 3) -> float:
    encoder.encode(texts[:4])  # warm-up: lazy kernels, first allocations
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        encoder.encode(texts)
        best = min(best, time.perf_counter() - t0)
    return best


def _noted(encoder: Encoder, choice: BackendChoice) -> Encoder:
    """Put the choice's reason into the encoder's report description (``info.backend_note``)."""
    if hasattr(encoder, "_info"):  # SentenceTransformerEncoder and OnnxEncoder keep their description there
        encoder._info = replace(encoder.info, backend_note=choice.reason)
    return encoder


def load_backend(
    model: str | None,
    backend: str = "torch",
    *,
    device: str | None = "auto",
    dtype: str | None = "auto",
    cache_dir: str | os.PathLike[str] | None = None,
    threads: int | None = None,
) -> tuple[Encoder, BackendChoice]:
    """Load ``model`` on the backend asked for, or on the one measured fastest (``"auto"``).

    Args:
        model: As for :func:`~summary_coverage.encode.models.load_encoder`.
        backend: ``"torch"``, ``"onnx"`` (int8 on the CPU) or ``"auto"``.
        device: As for ``load_encoder``; ``"onnx"`` needs the CPU.
        dtype: As for ``load_encoder`` (the torch side of ``"auto"``).
        cache_dir: ONNX cache root (see :mod:`.onnx_backend`).
        threads: ONNX Runtime intra-op threads.

    Returns:
        The encoder and what was chosen; the encoder's ``info.backend_note`` says it.

    Raises:
        ModelLoadError: The model cannot be loaded.
        MissingExtraError: ``"onnx"`` without onnxruntime installed.
        InputError: An unknown backend or device.
    """
    from ..errors import InputError

    if backend not in BACKENDS:
        raise InputError(f"Unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}.")
    if backend == "torch":
        enc = load_encoder(model, device=device, dtype=dtype)
        return enc, BackendChoice("torch", "", {})
    from .onnx_backend import default_cache_dir, load_onnx_encoder

    dev, dt = resolve_device(device, dtype)
    if backend == "onnx":
        if dev != "cpu":
            raise InputError(
                f"The ONNX backend runs on the CPU; drop --device {device} or use --backend torch."
            )
        int8: Encoder = load_onnx_encoder(model, cache_dir=cache_dir, threads=threads)
        return int8, BackendChoice("onnx-int8", "", {})

    def torch_only(reason: str) -> tuple[Encoder, BackendChoice]:
        choice = BackendChoice("torch", f"auto: torch {dt}, {reason}", {})
        return _noted(load_encoder(model, device=dev, dtype=dt), choice), choice

    if dev != "cpu":
        return torch_only(f"int8 runs on the CPU only and this check runs on {dev}")
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return torch_only("onnxruntime is not installed (pip install 'summary-coverage[onnx]')")
    root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    local = local_model(model)
    name = local[0] if local is not None else str(model)
    key = _verdict_key(name, dt, threads)
    verdicts = root / VERDICTS_FILE
    known = _read_verdicts(verdicts).get(key)
    if isinstance(known, dict) and known.get("backend") in ("torch", "onnx-int8"):
        choice = BackendChoice(
            str(known["backend"]),
            f"{known.get('reason', '')} (measured {known.get('date', 'earlier')})",
            dict(known.get("seconds", {})),
            known.get("agreement"),
            remembered=True,
        )
        if choice.backend == "torch":
            return _noted(load_encoder(model, device=dev, dtype=dt), choice), choice
        return _noted(load_onnx_encoder(model, cache_dir=cache_dir, threads=threads), choice), choice
    if local is not None:
        need, free = EXPORT_MEMORY_FACTOR * _weight_bytes(local[1]), _available_bytes()
        if free is not None and need > free:
            return torch_only(
                f"the int8 export would need about {need / 2**30:.1f} GB of memory and "
                f"{free / 2**30:.1f} GB are free; run --backend onnx once on a larger machine"
            )
    torch_enc = load_encoder(model, device=dev, dtype=dt)
    try:
        int8_enc = load_onnx_encoder(model, cache_dir=cache_dir, threads=threads)
    except (ModelLoadError, MissingExtraError) as exc:
        choice = BackendChoice("torch", f"auto: torch {dt}, the int8 export failed: {exc}", {})
        return _noted(torch_enc, choice), choice
    texts = probe_texts()
    seconds = {"torch": _best_time(torch_enc, texts), "onnx-int8": _best_time(int8_enc, texts)}
    agreement = float((torch_enc.encode(texts) * int8_enc.encode(texts)).sum(axis=1).min())
    gain = seconds["torch"] / max(seconds["onnx-int8"], 1e-9)
    if agreement < MIN_AGREEMENT:
        backend_used, reason = "torch", f"int8 vectors agree with {dt} only to cosine {agreement:.3f}"
    elif gain < MIN_GAIN:
        backend_used, reason = (
            "torch",
            f"int8 is {gain:.2f}x the speed of torch {dt} here (needs {MIN_GAIN}x)",
        )
    else:
        backend_used, reason = "onnx-int8", f"int8 is {gain:.2f}x the speed of torch {dt} here"
    reason = f"auto: {'ONNX Runtime int8' if backend_used == 'onnx-int8' else f'torch {dt}'}, {reason}"
    _write_verdict(
        verdicts,
        key,
        {
            "backend": backend_used,
            "reason": reason,
            "seconds": {k: round(v, 4) for k, v in seconds.items()},
            "agreement": round(agreement, 4),
            "date": time.strftime("%Y-%m-%d"),
        },
    )
    choice = BackendChoice(backend_used, reason, seconds, agreement)
    chosen: Encoder = int8_enc if backend_used == "onnx-int8" else torch_enc
    del torch_enc, int8_enc  # the other model's memory goes with the caller's last reference
    logger.info("Backend: %s", reason)
    return _noted(chosen, choice), choice
