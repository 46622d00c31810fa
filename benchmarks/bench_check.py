"""Benchmark `check` on the sample contract against the encoder's own time.

Prints, from one run on one machine:

* end-to-end ``check`` time (warm) against the time to encode the same
  unique texts in one batched call; the ratio is the pipeline's overhead
  (segmentation, tokenisation, scoring, report) on top of the model;
* throughput in tokens per second (document + summary tokens / check time);
* peak resident memory, and the memory of the loaded model alone.

Timings alternate between the two measurements and report medians, so
machine noise hits both alike. Usage: python benchmarks/bench_check.py [--model M] [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Current resident set size in MB, from /proc (falls back to the peak)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return rss_mb()


def main(argv: list[str] | None = None) -> int:
    from summary_coverage import Checker, segment_document, segment_summary

    parser = argparse.ArgumentParser(description="Benchmark check() against the bare encoder.")
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--document", default=str(ROOT / "sample_docs" / "services_agreement.md"))
    parser.add_argument(
        "--summary", default=str(ROOT / "sample_docs" / "services_agreement.flawed_summary.md")
    )
    args = parser.parse_args(argv)

    base_rss = current_rss_mb()
    checker = Checker(args.model, device=args.device)
    loaded_rss = current_rss_mb()
    document = Path(args.document).read_text(encoding="utf-8")
    summary = Path(args.summary).read_text(encoding="utf-8")

    limit = checker.max_passage_tokens()
    seg = segment_document(document, max_tokens=limit, counter=checker.encoder)
    summ = segment_summary(summary)
    unique = list(dict.fromkeys([p.text for p in seg.passages] + [s.text for s in summ.sentences]))
    batch = checker.settings.batch_size

    report = checker.check(document, summary)  # warm-up: first-call allocations, lazy imports
    checker.encoder.encode(unique, batch_size=batch)
    t_check, t_encode = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        checker.encoder.encode(unique, batch_size=batch)
        t_encode.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        report = checker.check(document, summary)
        t_check.append(time.perf_counter() - t0)
    check_s, encode_s = statistics.median(t_check), statistics.median(t_encode)
    tokens = report.document.tokens + report.summary.tokens
    info = checker.model_info
    print(
        f"model            {info.name} on {info.device} ({info.dtype}), max_seq_length {info.max_seq_length}"
    )
    print(
        f"input            {Path(args.document).name}: {report.document.chars:,} chars, "
        f"{report.document.tokens:,} tokens, {len(report.passages)} passages; "
        f"summary {len(report.summary_sentences)} sentences; {len(unique)} unique texts"
    )
    print(f"check (warm)     {check_s * 1000:8.1f} ms  (median of {args.repeats})")
    print(f"encode only      {encode_s * 1000:8.1f} ms  (same unique texts, one batched call)")
    print(f"overhead ratio   {check_s / encode_s:8.3f}  (target <= 1.2)")
    print(f"throughput       {tokens / check_s:8.0f} tokens/s")
    print(
        f"memory           {base_rss:.0f} MB before the model, {loaded_rss:.0f} MB with it loaded, "
        f"peak {rss_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
