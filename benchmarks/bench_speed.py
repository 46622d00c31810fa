"""Speed and memory benchmark (`make bench`): ratios measured side by side in one run.

Every target is a ratio of two timings taken in the same process, alternating,
with medians, so the noise of a shared machine hits both sides alike:

1. **check overhead**: ``check`` on an 8,192-token document with a
   10-sentence summary (no embedding cache), divided by the bare encoder's time
   for the same unique texts in one batched call: with the support judge
   (the default; target <= 1.6) and without it (target <= 1.15). Then the
   same judge run on every passage x sentence pair (what SummaC does) against
   the check: target at least 20x slower.
2. **against the naive pipeline**: a quick script that encodes each paragraph
   in its own call together with the whole summary. Target: the project at
   least 5x faster.
3. **cached re-check**: the same document against an edited summary (one
   sentence changed), with the embedding cache, against the first check.
   Target: at least 10x faster.
4. **batch throughput**: 200 pairs through :func:`score_batch`, with the
   default in-memory cache starting empty; their unique tokens over wall
   time, against the encoder's own tokens/s on the same unique texts in one
   call. Target: at least 0.6 with the judge (0.85 before it).
5. **memory** (fresh subprocesses): peak RSS of the 8,192-token check against
   the RSS with the model loaded (target: at most +300 MB); peak RSS of a
   streamed file batch of 1,000 pairs against 100 pairs (target: flat).
6. **cost curve**: check time for documents of 1k to 32k tokens, with time per
   token; linear means the per-token time stays flat. Writes
   ``docs/cost_curve.svg``.

Usage: python benchmarks/bench_speed.py [--model bundled] [--repeats 5] [--quick]
(``BENCH_DTYPE=float32`` runs the memory probes in float32 instead of the default dtype.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "sample_docs" / "services_agreement.md"
SUMMARY = ROOT / "sample_docs" / "services_agreement.summary.md"


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def hwm_mb() -> float:
    """Peak resident set size since the last reset (VmHWM in /proc/self/status), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak_rss_mb()


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def paragraphs() -> list[str]:
    """The sample contract's paragraphs (blank-line separated)."""
    return [p.strip() for p in CONTRACT.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def make_document(target_tokens: int, count: Callable[[list[str]], list[int]]) -> str:
    """A contract-like document of about ``target_tokens`` tokens, every paragraph unique.

    The sample contract's paragraphs are cycled; copy k renames the parties
    and renumbers the clauses, so no text repeats (repeats would flatter the
    cache-free timings).
    """
    paras = paragraphs()
    sizes = count(paras)
    out: list[str] = []
    total = k = 0
    while total < target_tokens:
        for text, size in zip(paras, sizes, strict=True):
            if total >= target_tokens:
                break
            if k:
                text = text.replace("Provider", f"Supplier {k}").replace("Customer", f"Client {k}")
                text = re.sub(r"^(#* ?)(\d+)", lambda m, k=k: f"{m.group(1)}{k}{m.group(2)}", text)
            out.append(text)
            total += size
        k += 1
    return "\n\n".join(out)


def summary_sentences(n: int = 10) -> str:
    lines = [ln for ln in SUMMARY.read_text(encoding="utf-8").splitlines() if ln.startswith("- ")]
    return "\n".join(lines[:n])


def median_pair(a: Callable[[], Any], b: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Median wall time of ``a`` and of ``b``, measured alternately."""
    ta, tb = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def unique_texts(checker: Any, document: str, summary: str) -> list[str]:
    from summary_coverage import segment_document, segment_summary

    seg = segment_document(document, max_tokens=checker.max_passage_tokens(), counter=checker.encoder)
    summ = segment_summary(summary)
    return list(dict.fromkeys([p.text for p in seg.passages] + [s.text for s in summ.sentences]))


def batch_pairs(n: int, count: Callable[[list[str]], list[int]] | None = None, size: int = 3) -> list[dict]:
    """``n`` pairs cut from the sample contract, ``size`` paragraphs each; no text repeats."""
    paras = paragraphs()
    summary = [ln[2:] for ln in SUMMARY.read_text(encoding="utf-8").splitlines() if ln.startswith("- ")]
    rows = []
    for i in range(n):
        start = (i * size) % max(len(paras) - size, 1)
        doc = "\n\n".join(
            p.replace("Provider", f"Vendor {i}") + f" [ref {i}.{j}]"
            for j, p in enumerate(paras[start : start + size])
        )
        rows.append(
            {"id": f"pair-{i}", "document": doc, "summary": f"{summary[i % len(summary)]} (pair {i})"}
        )
    return rows


def probe(kind: str, n: int, model: str) -> dict[str, float]:
    """Run one memory probe in a fresh interpreter; return its JSON line."""
    out = subprocess.run(
        [sys.executable, __file__, "--probe", kind, "--n", str(n), "--model", model],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"HF_HUB_OFFLINE": "1"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_probe(kind: str, n: int, model: str) -> None:
    if kind == "batch":  # the environment `summary-coverage batch` sets before torch loads
        from summary_coverage.cli import BATCH_ENV

        for key, value in BATCH_ENV.items():
            os.environ.setdefault(key, value)
    from summary_coverage import Checker
    from summary_coverage.batch.local import run_batch_file

    checker = Checker(model, cache=False, dtype=os.environ.get("BENCH_DTYPE", "auto"))
    checker.check("Warm-up clause.", "Warm-up.")
    loaded = current_rss_mb()
    # Loading the weights peaks above the loaded model's size; reset the peak
    # (VmHWM) so it measures the work alone.
    Path("/proc/self/clear_refs").write_text("5")
    if kind == "check":
        document = make_document(n, checker.encoder.count_tokens)
        checker.check(document, summary_sentences())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in.jsonl"
            src.write_text("".join(json.dumps(r) + "\n" for r in batch_pairs(n, size=1)), encoding="utf-8")
            run_batch_file(src, Path(tmp) / "out.jsonl", checker=checker, progress=False)
    print(json.dumps({"loaded": loaded, "peak": hwm_mb()}))


def svg_curve(points: list[tuple[int, float]], path: Path) -> None:
    """A small line chart (tokens -> seconds) as standalone SVG, no plotting library needed."""
    w, h, pad = 560, 300, 50
    xmax = max(x for x, _ in points)
    ymax = max(y for _, y in points) * 1.1

    def xy(x: float, y: float) -> tuple[float, float]:
        return pad + (w - 2 * pad) * x / xmax, h - pad - (h - 2 * pad) * y / ymax

    line = " ".join(f"{a:.1f},{b:.1f}" for a, b in (xy(x, y) for x, y in points))
    slope = points[-1][1] / points[-1][0]
    ideal = " ".join(f"{a:.1f},{b:.1f}" for a, b in (xy(x, x * slope) for x in (0, xmax)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
        'font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>',
        f'<polyline points="{ideal}" fill="none" stroke="#bbb" stroke-dasharray="4 4"/>',
        f'<polyline points="{line}" fill="none" stroke="#1f77b4" stroke-width="2"/>',
    ]
    for x, y in points:
        a, b = xy(x, y)
        parts.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="#1f77b4"/>')
        parts.append(f'<text x="{a:.1f}" y="{h - pad + 15}" text-anchor="middle">{x // 1000}k</text>')
        parts.append(f'<text x="{a + 4:.1f}" y="{b - 6:.1f}">{y:.1f} s</text>')
    parts += [
        f'<text x="{w / 2}" y="{h - 10}" text-anchor="middle">document tokens</text>',
        f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">'
        "check time (s)</text>",
        f'<text x="{pad + 8}" y="{pad - 10}">check time against document length '
        "(dashed: proportional to the 32k point)</text>",
        "</svg>",
    ]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a shorter cost curve")
    parser.add_argument("--probe", choices=["check", "batch"], help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        run_probe(args.probe, args.n, args.model)
        return 0

    from summary_coverage import Checker, EmbeddingCache, score_batch

    repeats = 2 if args.quick else args.repeats
    checker = Checker(args.model, cache=False)
    enc = checker.encoder
    info = checker.model_info
    batch = checker.settings.batch_size
    print(f"model: {info.name} on {info.device} ({info.dtype}), max_seq_length {info.max_seq_length}")
    rows: list[tuple[str, str, str, str]] = []

    # 1. overhead on an 8,192-token document
    document = make_document(8192, enc.count_tokens)
    summary = summary_sentences(10)
    texts = unique_texts(checker, document, summary)
    report = checker.check(document, summary)  # warm-up
    judge, _why = checker.support_judge()

    def fresh_check(settings: Any = None) -> Any:
        # The judge remembers its readings; a repeated check would read them from memory.
        if judge is not None:
            judge.forget()
        return checker.check(document, summary, settings=settings)

    t_check, t_enc = median_pair(fresh_check, lambda: enc.encode(texts, batch_size=batch), repeats)
    doc_tokens = report.document.tokens
    rows.append(
        (
            "1. check with the judge / encoder alone (8k-token document, 10 sentences)",
            f"{t_check / t_enc:.3f}",
            "<= 1.6",
            f"{t_check:.2f} s vs {t_enc:.2f} s; {doc_tokens:,} tokens, {len(texts)} texts",
        )
    )
    from summary_coverage import Settings

    bare = Settings(judge=False)
    t_bare, t_enc1 = median_pair(
        lambda: checker.check(document, summary, settings=bare),
        lambda: enc.encode(texts, batch_size=batch),
        repeats,
    )
    rows.append(
        (
            "1b. check without the judge / encoder alone",
            f"{t_bare / t_enc1:.3f}",
            "<= 1.15",
            f"{t_bare:.2f} s vs {t_enc1:.2f} s",
        )
    )
    if judge is not None:
        judge.forget()
        every = [(p.text, s.text) for p in report.passages for s in report.summary_sentences]
        t0 = time.perf_counter()
        judge.probabilities(every)
        t_every = time.perf_counter() - t0
        rows.append(
            (
                "1c. judge on every passage x sentence (SummaC-style) / check with the judge",
                f"{t_every / t_check:.1f}x",
                ">= 20x",
                f"{t_every:.1f} s for {len(every):,} pairs vs {t_check:.2f} s",
            )
        )

    # 2. the naive pipeline: each paragraph in its own call, with the whole summary
    model = getattr(enc, "model", None)
    if model is not None:
        paras = [p.text for p in report.passages]

        def naive() -> None:
            for p in paras:
                model.encode([p, summary], normalize_embeddings=True, show_progress_bar=False)

        t_naive, t_check2 = median_pair(naive, lambda: checker.check(document, summary), max(repeats // 2, 1))
        rows.append(
            (
                "2. naive pipeline / check",
                f"{t_naive / t_check2:.2f}x",
                ">= 5x",
                f"{t_naive:.2f} s vs {t_check2:.2f} s ({len(paras)} encode calls)",
            )
        )

    # 3. cached re-check with an edited summary
    edited = summary.replace("thirty days", "forty days", 1)
    firsts, rechecks = [], []
    for _ in range(repeats):
        cached = Checker(enc, cache=EmbeddingCache())
        if judge is not None:
            judge.forget()  # the first check reads everything; the re-check may remember
        t0 = time.perf_counter()
        cached.check(document, summary)
        firsts.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        cached.check(document, edited)
        rechecks.append(time.perf_counter() - t0)
    first, again = statistics.median(firsts), statistics.median(rechecks)
    rows.append(
        (
            "3. first check / cached re-check (edited summary)",
            f"{first / again:.1f}x",
            ">= 10x",
            f"{first:.2f} s vs {again * 1000:.0f} ms",
        )
    )

    # 4. batch throughput: 200 pairs
    pairs = batch_pairs(200)
    pair_texts = list(
        dict.fromkeys(t for r in pairs for t in unique_texts(checker, r["document"], r["summary"]))
    )
    tokens = sum(enc.count_tokens(pair_texts))
    score_batch(pairs[:16], checker=checker)  # warm-up

    def fresh_batch() -> None:
        # As a user runs it: the default in-memory cache, empty at the start,
        # so a text repeated across the batch is encoded once.
        checker.cache = EmbeddingCache()
        if judge is not None:
            judge.forget()
        score_batch(pairs, checker=checker)
        checker.cache = None

    t_batch, t_enc_b = median_pair(fresh_batch, lambda: enc.encode(pair_texts, batch_size=batch), repeats)
    rows.append(
        (
            "4. batch tokens/s (judge on) / encoder tokens/s (200 pairs)",
            f"{t_enc_b / t_batch:.3f}",
            ">= 0.6",
            f"{tokens / t_batch:,.0f} vs {tokens / t_enc_b:,.0f} tokens/s; {200 / t_batch:.1f} pairs/s",
        )
    )

    # 5. memory, in fresh interpreters
    check_mem = probe("check", 8192, args.model)
    small, large = probe("batch", 100, args.model), probe("batch", 1000, args.model)
    rows.append(
        (
            "5a. peak RSS of the 8k check - RSS with the model loaded",
            f"+{check_mem['peak'] - check_mem['loaded']:.0f} MB",
            "<= +300 MB",
            f"loaded {check_mem['loaded']:.0f} MB, peak {check_mem['peak']:.0f} MB",
        )
    )
    rows.append(
        (
            "5b. peak RSS, batch of 1,000 pairs / 100 pairs",
            f"{large['peak'] / small['peak']:.3f}",
            "flat (~1.0)",
            f"{large['peak']:.0f} MB vs {small['peak']:.0f} MB",
        )
    )

    # 6. cost curve
    sizes = [1024, 2048, 4096, 8192] if args.quick else [1024, 2048, 4096, 8192, 16384, 32768]
    curve = []
    for size in sizes:
        doc = make_document(size, enc.count_tokens)
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            rep = checker.check(doc, summary)
            times.append(time.perf_counter() - t0)
        curve.append((rep.document.tokens, min(times)))

    print()
    print("| measure | result | target | detail |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    print("| document tokens | check time (s) | ms per 1k tokens |")
    print("| ---: | ---: | ---: |")
    for n, t in curve:
        print(f"| {n:,} | {t:.2f} | {1e6 * t / n:.0f} |")
    per_token = [t / n for n, t in curve]
    print(f"\nper-token time, largest / smallest document: {per_token[-1] / per_token[0]:.2f} (linear: ~1)")
    if not args.quick:
        svg_curve(curve, ROOT / "docs" / "cost_curve.svg")
        print("wrote docs/cost_curve.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
