"""bge-m3-sized speed and memory on a CPU, and what bfloat16 does to real scores (part of `make bench`).

1. **bf16 against fp32 on a bge-m3-sized model.** A random-weight
   XLM-RoBERTa-large in bge-m3's layout (``benchmarks/random_m3.py``: 24
   layers, hidden 1024, 568M parameters, both heads; built once into
   ``build/random-m3-large``, 2.3 GB) checks the sample contract against its
   summary, in a fresh process per dtype: load time, check time, and peak
   RSS of the work (the check, then one 8,192-token passage encoded whole;
   VmHWM reset after loading, the load's own peak reported beside it).
   Targets: bf16 at least 3x faster than fp32; the bf16 check at most 8 s;
   peak RSS at most 2.5 GB. Speed does not depend on the weights.
2. **bf16 drift on real weights**: the bundled MiniLM in bf16 against fp32 on
   the sample contract and both its summaries: the smallest cosine between
   the two vectors of a text, and the largest change of a calibrated score
   (passage P(covered), sentence P(supported), section coverage) and of a
   decision. bf16 is the CPU default (on CPUs with bf16 instructions) only
   if the cosine stays >= 0.99 and scores within 0.02.

Usage: python benchmarks/bench_m3.py [--skip-large] [--json build/bench_m3.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_speed import current_rss_mb, hwm_mb  # noqa: E402

LARGE = ROOT / "build" / "random-m3-large"
CONTRACT = ROOT / "sample_docs" / "services_agreement.md"
SUMMARIES = ("services_agreement.summary.md", "services_agreement.flawed_summary.md")


def probe(dtype: str, folder: str, long_passage: bool) -> dict[str, Any]:
    """In this (fresh) process: load, check the sample contract, then one 8,192-token passage."""
    from summary_coverage import Checker
    from summary_coverage.encode.m3 import M3Encoder

    t0 = time.perf_counter()
    checker = Checker(folder, device="cpu", dtype=dtype, cache=False)
    load_s = time.perf_counter() - t0
    loaded_rss, load_peak = current_rss_mb(), hwm_mb()
    with contextlib.suppress(OSError):  # reset VmHWM: from here on, the peak of the work itself
        Path("/proc/self/clear_refs").write_text("5")
    summary = (ROOT / "sample_docs" / SUMMARIES[0]).read_text(encoding="utf-8")
    document = CONTRACT.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    report = checker.check(document, summary)
    check_s = time.perf_counter() - t0
    out: dict[str, Any] = {
        "dtype": report.model.dtype,
        "load_s": load_s,
        "check_s": check_s,
        "document_tokens": report.document.tokens,
        "summary_tokens": report.summary.tokens,
        "rss_loaded_mb": loaded_rss,
        "peak_load_mb": load_peak,
        "lexical_channel": report.settings["lexical_channel"],
    }
    if long_passage:
        enc = checker.encoder
        assert isinstance(enc, M3Encoder)
        words = " ".join(f"clause{i % 97} obligation{i % 13}" for i in range(4000))
        n = enc.count_tokens([words])[0]
        words = words[: int(len(words) * 8150 / n)]
        t0 = time.perf_counter()
        multi = enc.encode_multi([words])
        out["long_passage_s"] = time.perf_counter() - t0
        out["long_passage_tokens"] = int(multi.multivector[0].shape[0] + 1)
    out["peak_rss_mb"] = hwm_mb()  # the check and the long passage, model in memory
    return out


def run_probe(dtype: str, folder: Path, long_passage: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--probe", dtype, str(folder)] + (["--long"] if long_passage else [])
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def drift() -> dict[str, float]:
    """bf16 against fp32 on the bundled MiniLM: vectors and calibrated scores on the sample contract."""
    import numpy as np

    from summary_coverage import Checker

    document = CONTRACT.read_text(encoding="utf-8")
    checkers = {dt: Checker("bundled", device="cpu", dtype=dt, cache=False) for dt in ("float32", "bfloat16")}
    worst = {"min_cosine": 1.0, "passage": 0.0, "sentence": 0.0, "section": 0.0, "flips": 0.0}
    for name in SUMMARIES:
        summary = (ROOT / "sample_docs" / name).read_text(encoding="utf-8")
        a, b = (checkers[dt].check(document, summary) for dt in ("float32", "bfloat16"))
        texts = [p.text for p in a.passages] + [s.text for s in a.summary_sentences]
        va, vb = (checkers[dt].encoder.encode(texts) for dt in ("float32", "bfloat16"))
        worst["min_cosine"] = min(worst["min_cosine"], float(np.min(np.sum(va * vb, axis=1))))
        worst["passage"] = max(
            worst["passage"], max(abs(x.score - y.score) for x, y in zip(a.passages, b.passages, strict=True))
        )
        worst["sentence"] = max(
            worst["sentence"],
            max(
                abs(x.support - y.support)
                for x, y in zip(a.summary_sentences, b.summary_sentences, strict=True)
            ),
        )
        worst["section"] = max(
            worst["section"],
            max(abs(x.coverage - y.coverage) for x, y in zip(a.sections, b.sections, strict=True)),
        )
        worst["flips"] += sum(
            x.covered != y.covered for x, y in zip(a.passages, b.passages, strict=True)
        ) + sum(
            x.supported != y.supported for x, y in zip(a.summary_sentences, b.summary_sentences, strict=True)
        )
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--probe", nargs=2, metavar=("DTYPE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--long", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-large", action="store_true", help="only the MiniLM drift (no 2.3 GB model)")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench_m3.json")
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.probe[0], args.probe[1], args.long)))
        return 0

    from summary_coverage.encode.models import cpu_supports_bf16

    results: dict[str, Any] = {
        "cpu_bf16": cpu_supports_bf16(),
        "threads": os.environ.get("OMP_NUM_THREADS", "2"),
    }
    d = drift()
    results["drift"] = d
    ok = d["min_cosine"] >= 0.99 and max(d["passage"], d["sentence"], d["section"]) <= 0.02
    print("bf16 drift on the bundled MiniLM (sample contract, both summaries):")
    print(f"  min cosine to fp32 {d['min_cosine']:.4f} (target >= 0.99)")
    print(
        f"  largest change: passage P(covered) {d['passage']:.4f}, "
        f"sentence P(supported) {d['sentence']:.4f}, section coverage {d['section']:.4f} "
        f"(target <= 0.02); decisions changed: {int(d['flips'])}"
    )
    print(f"  -> bf16 as the CPU default: {'yes' if ok else 'NO, keep it opt-in'}")
    if not args.skip_large:
        if not (LARGE / "random_weights.json").is_file():
            print("building the bge-m3-sized random model in build/random-m3-large (2.3 GB) ...", flush=True)
            from benchmarks.random_m3 import build

            build(LARGE, "large")
        fp32 = run_probe("float32", LARGE, long_passage=False)
        bf16 = run_probe("bfloat16", LARGE, long_passage=True)
        results |= {"large_fp32": fp32, "large_bf16": bf16}
        speedup = fp32["check_s"] / bf16["check_s"]
        print(
            f"bge-m3-sized random model, {fp32['document_tokens']:,}-token contract + "
            f"{fp32['summary_tokens']} summary tokens, {results['threads']} threads:"
        )
        print(
            f"  fp32 check {fp32['check_s']:.1f} s, bf16 check {bf16['check_s']:.1f} s: {speedup:.2f}x faster"
        )
        print(
            f"  (targets >= 3x, bf16 <= 8 s); load fp32 {fp32['load_s']:.1f} s, bf16 {bf16['load_s']:.1f} s"
        )
        print(
            f"  bf16 peak RSS {bf16['peak_rss_mb']:,.0f} MB with one {bf16['long_passage_tokens']:,}-token "
            f"passage ({bf16['long_passage_s']:.1f} s) (target <= 2,500 MB); "
            f"fp32 peak {fp32['peak_rss_mb']:,.0f} MB"
        )
        print(
            f"  loading alone peaks at {bf16['peak_load_mb']:,.0f} MB in bf16 "
            f"(fp32: {fp32['peak_load_mb']:,.0f} MB); "
            f"loaded model {bf16['rss_loaded_mb']:,.0f} MB in bf16, {fp32['rss_loaded_mb']:,.0f} MB in fp32"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
