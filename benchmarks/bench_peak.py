"""This machine's own limit: sustained matrix-multiply throughput, and how much of it a check uses.

Absolute times move from machine to machine; the share of the machine's
peak that the check achieves does not, so it is the figure to push.

1. **Peak**: ``torch.matmul`` in float32 and bfloat16 and ``torch._int_mm``
   (int8 x int8 -> int32), and ONNX Runtime's dynamically quantised int8
   ``MatMul`` (what ``--backend onnx`` runs: activations quantised per call,
   int8 weights per channel), on the shapes the encoders run: a batch of 512
   tokens (the CPU token budget per forward pass) against each projection of
   MiniLM (hidden 384, feed-forward 1,536) and of a bge-m3-sized model
   (hidden 1,024, feed-forward 4,096). Each is run for 0.5 s after a warm-up;
   the median of 3 runs is reported, in GFLOP/s (GOP/s for int8: one
   multiply-add counts two).
2. **Achieved**: the bundled MiniLM encodes the 8k-token document of
   ``bench_speed.py`` in bfloat16 (the CPU default here) and in float32.
   Its multiply-adds are counted from the real token counts (projections
   ``2 x tokens x (4 d^2 + 2 d f)`` per layer, attention ``4 x n^2 x d`` per
   layer per text of ``n`` tokens; padding not counted), so the achieved
   rate is useful work per second, and its share of the peak at the
   feed-forward shape (the largest) is printed.

Usage: python benchmarks/bench_peak.py [--json build/peak_figures.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

TOKENS = 512
"""Rows of each multiply: the CPU token budget of one forward pass (``TOKENS_PER_BATCH['cpu']``)."""
MODELS = {"MiniLM (384/1536)": (384, 1536), "bge-m3-sized (1024/4096)": (1024, 4096)}


def _rate(run: Callable[[], object], ops: float, seconds: float = 0.5) -> float:
    """Operations per second of ``run``, sustained for ``seconds`` (median of 3, after a warm-up)."""
    for _ in range(3):
        run()
    rates = []
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            run()
            n += 1
        rates.append(ops * n / (time.perf_counter() - t0))
    return statistics.median(rates)


def _ort_int8(k: int, n: int) -> Callable[[], object] | None:
    """One dynamically quantised MatMul (TOKENS x k) @ (k x n) on ONNX Runtime, or None without it."""
    try:
        import numpy as np
        import onnx
        import onnxruntime as ort
        from onnx import TensorProto, helper, numpy_helper
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        return None
    import tempfile

    rng = np.random.default_rng(0)
    weight = numpy_helper.from_array(rng.standard_normal((k, n)).astype(np.float32), "W")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"])],
        "mm",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, k])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, n])],
        [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "f.onnx", Path(tmp) / "q.onnx"
        onnx.save(model, str(src))
        import logging

        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # the quantiser's advice to pre-process, on the root logger
        try:
            quantize_dynamic(src, dst, per_channel=True, reduce_range=False, weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
        session = ort.InferenceSession(str(dst), providers=["CPUExecutionProvider"])
    x = rng.standard_normal((TOKENS, k)).astype(np.float32)
    return lambda: session.run(None, {"X": x})


def peak() -> dict[str, dict[str, float]]:
    """GFLOP/s (GOP/s) per model shape and dtype."""
    import torch

    out: dict[str, dict[str, float]] = {}
    for name, (d, f) in MODELS.items():
        shapes = {
            "q/k/v/out (d x d)": (d, d),
            "feed-forward in (d x f)": (d, f),
            "feed-forward out (f x d)": (f, d),
        }
        for label, (k, n) in shapes.items():
            ops = 2.0 * TOKENS * k * n
            row: dict[str, float] = {}
            for dtype in (torch.float32, torch.bfloat16):
                a, b = torch.randn(TOKENS, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
                row[str(dtype).removeprefix("torch.")] = _rate(lambda a=a, b=b: torch.matmul(a, b), ops) / 1e9
            ai = torch.randint(-128, 127, (TOKENS, k), dtype=torch.int8)
            bi = torch.randint(-128, 127, (k, n), dtype=torch.int8)
            try:
                row["int8"] = _rate(lambda ai=ai, bi=bi: torch._int_mm(ai, bi), ops) / 1e9
            except RuntimeError:  # no int8 kernel for this shape on this CPU
                row["int8"] = float("nan")
            ort_run = _ort_int8(k, n)
            row["onnxruntime int8"] = _rate(ort_run, ops) / 1e9 if ort_run is not None else float("nan")
            out[f"{name}: {label}"] = row
    return out


def achieved() -> dict[str, dict[str, float]]:
    """Useful GFLOP/s of the bundled MiniLM encoding the 8k-token document, per dtype."""
    from bench_speed import make_document

    from summary_coverage import Checker, segment_document

    out = {}
    for dtype in ("bfloat16", "float32"):
        checker = Checker("bundled", dtype=dtype, cache=False)
        enc = checker.encoder
        model = getattr(enc, "model", None)
        config = model[0].auto_model.config if model is not None else None
        if config is None:
            continue
        d, f, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
        document = make_document(8192, enc.count_tokens)
        seg = segment_document(document, max_tokens=checker.max_passage_tokens(), counter=enc)
        texts = list(dict.fromkeys(p.text for p in seg.passages))
        lengths = enc.count_tokens(texts)
        flops = sum(layers * (2.0 * n * (4 * d * d + 2 * d * f) + 4.0 * n * n * d) for n in lengths)
        enc.encode(texts[:8])
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            enc.encode(texts, batch_size=checker.settings.batch_size)
            times.append(time.perf_counter() - t0)
        seconds = statistics.median(times)
        out[dtype] = {"tokens": float(sum(lengths)), "seconds": seconds, "gflops": flops / seconds / 1e9}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "peak_figures.json")
    args = parser.parse_args(argv)
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {TOKENS} tokens per multiply")
    table = peak()
    print(
        "\n| shape (rows = 512 tokens) | float32 GFLOP/s | bfloat16 GFLOP/s | torch int8 GOP/s "
        "| onnxruntime int8 GOP/s |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, row in table.items():
        print(
            f"| {label} | {row['float32']:,.0f} | {row['bfloat16']:,.0f} | {row['int8']:,.0f} "
            f"| {row['onnxruntime int8']:,.0f} |"
        )
    got = achieved()
    minilm_ffn = table["MiniLM (384/1536): feed-forward in (d x f)"]
    print("\n| bundled MiniLM, 8k-token document | tokens | seconds | useful GFLOP/s | share of the peak |")
    print("|---|---:|---:|---:|---:|")
    for dtype, row in got.items():
        share = row["gflops"] / minilm_ffn[dtype]
        print(
            f"| {dtype} | {row['tokens']:,.0f} | {row['seconds']:.2f} | {row['gflops']:,.0f} | {share:.1%} |"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"peak": table, "achieved": got}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
