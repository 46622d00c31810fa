"""Benchmark the int8 ONNX Runtime encoder against the float32 torch encoder on the CPU.

Encodes the passages of ``sample_docs/services_agreement.md`` plus the
sentences of its summary with both encoders, alternating run by run so that
machine noise hits both alike, and prints from one run on one machine:

* the median encode time of each (``--repeats`` runs, at least 5) and the
  speed-up, float32 time / int8 time; on a CPU with bf16 instructions also
  the torch bfloat16 encoder (the CPU default there), int8's real competitor;
* the cosine between each text's int8 and float32 vectors (min and mean):
  how closely the int8 model reproduces the float32 embedding;
* the one-time export time (or "cached") and the file sizes.

The first ONNX load exports and quantises the model into the cache folder
(``--cache-dir``, else ``$SUMMARY_COVERAGE_ONNX_DIR``, else
``~/.cache/summary-coverage/onnx``).

Usage: python benchmarks/bench_onnx.py [--model bundled] [--repeats 7] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import torch

    from summary_coverage import load_encoder, segment_document, segment_summary
    from summary_coverage.encode.models import cpu_supports_bf16
    from summary_coverage.encode.onnx_backend import OnnxEncoder

    parser = argparse.ArgumentParser(description="Benchmark the int8 ONNX encoder against float32 torch.")
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=None, help="threads for both (default: their own)")
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--document", default=str(ROOT / "sample_docs" / "services_agreement.md"))
    parser.add_argument("--summary", default=str(ROOT / "sample_docs" / "services_agreement.summary.md"))
    args = parser.parse_args(argv)
    repeats = max(args.repeats, 5)
    if args.threads:
        torch.set_num_threads(args.threads)

    fp32 = load_encoder(args.model, device="cpu", dtype="float32")
    bf16 = load_encoder(args.model, device="cpu", dtype="bfloat16") if cpu_supports_bf16() else None
    t0 = time.perf_counter()
    onnx = OnnxEncoder.from_encoder(fp32, cache_dir=args.cache_dir, threads=args.threads)
    load_s = time.perf_counter() - t0

    document = Path(args.document).read_text(encoding="utf-8")
    summary = Path(args.summary).read_text(encoding="utf-8")
    seg = segment_document(document, max_tokens=fp32.info.max_seq_length, counter=fp32)
    summ = segment_summary(summary)
    texts = [p.text for p in seg.passages] + [s.text for s in summ.sentences]
    tokens = sum(fp32.count_tokens(texts))

    # Warm-up: first-call allocations, lazy imports, ONNX Runtime's kernel selection.
    ref = fp32.encode(texts, batch_size=args.batch_size)
    ours = onnx.encode(texts, batch_size=args.batch_size)
    t_fp32: list[float] = []
    t_int8: list[float] = []
    t_bf16: list[float] = []
    if bf16 is not None:
        bf16.encode(texts, batch_size=args.batch_size)
    for _ in range(repeats):
        t0 = time.perf_counter()
        ref = fp32.encode(texts, batch_size=args.batch_size)
        t_fp32.append(time.perf_counter() - t0)
        if bf16 is not None:
            t0 = time.perf_counter()
            bf16.encode(texts, batch_size=args.batch_size)
            t_bf16.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ours = onnx.encode(texts, batch_size=args.batch_size)
        t_int8.append(time.perf_counter() - t0)
    fp32_s, int8_s = statistics.median(t_fp32), statistics.median(t_int8)
    cosine = np.sum(ours * ref, axis=1)

    size_mb = onnx.model_path.stat().st_size / 2**20
    info = fp32.info
    print(f"model            {info.name}, max_seq_length {info.max_seq_length}, batch {args.batch_size}")
    print(
        f"input            {Path(args.document).name}: {len(seg.passages)} passages + "
        f"{len(summ.sentences)} summary sentences = {len(texts)} texts, {tokens:,} tokens"
    )
    print(
        f"threads          torch {torch.get_num_threads()}, onnxruntime "
        f"{args.threads or 'default (one per physical core)'}; {os.cpu_count()} CPUs"
    )
    how = "exported and quantised" if onnx.exported else "loaded from the cache"
    print(f"onnx load        {load_s:8.2f} s  ({how}; {size_mb:.1f} MB int8 file)")
    print(f"onnx cache       {onnx.model_path.parent}")
    print(f"fp32 torch       {fp32_s * 1000:8.1f} ms  (median of {repeats}; runs: {_ms(t_fp32)})")
    print(f"int8 onnx        {int8_s * 1000:8.1f} ms  (median of {repeats}; runs: {_ms(t_int8)})")
    print(f"speed-up         {fp32_s / int8_s:8.2f} x  (fp32 time / int8 time)")
    if t_bf16:
        bf16_s = statistics.median(t_bf16)
        print(f"bf16 torch       {bf16_s * 1000:8.1f} ms  (median of {repeats}; runs: {_ms(t_bf16)})")
        print(f"int8 vs bf16     {bf16_s / int8_s:8.2f} x  (bf16 time / int8 time: above 1, int8 is faster)")
    print(f"throughput       {tokens / fp32_s:8.0f} tokens/s fp32, {tokens / int8_s:.0f} tokens/s int8")
    print(
        f"cosine vs fp32   min {cosine.min():.4f}, mean {cosine.mean():.4f}, "
        f"rows below 0.98: {int((cosine < 0.98).sum())} of {len(texts)}"
    )
    return 0


def _ms(times: list[float]) -> str:
    return ", ".join(f"{t * 1000:.0f}" for t in times)


if __name__ == "__main__":
    sys.exit(main())
