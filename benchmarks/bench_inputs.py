"""Reading contracts as they arrive stays linear in time (part of `make bench`).

Two inputs, each at two sizes ten times apart, read and segmented (no model):

1. **A Word file of numbered list items** (python-docx, the "List Number"
   style, whose automatic numbering the reader rebuilds): 1,000 and 10,000
   items.
2. **A printed PDF** (reportlab, a running header and a ``Page N of M``
   footer on every page, the furniture the reader sets apart): 50 and 500
   pages.

For each, the time to load (extract text, numbering, furniture, layout) and
to segment, best of three runs, and the ratio large/small. Linear time gives
a ratio near 10; quadratic work near 100. Target: at most 15.

Usage: python benchmarks/bench_inputs.py [--json build/bench_inputs.json]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TARGET_RATIO = 15.0


def numbered_docx(items: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Schedule of Services", level=1)
    for i in range(items):
        document.add_paragraph(
            f"The Provider shall deliver service item {i} within ten days of the order.", style="List Number"
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def printed_pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    clause = 0
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(40, A4[1] - 30, "12/1/26, 7:34 PM    Master Services Agreement")
        pdf.drawString(40, 25, f"Page {page} of {pages}")
        pdf.setFont("Helvetica", 10)
        y = A4[1] - 70
        while y > 60:
            clause += 1
            pdf.drawString(60, y, f"{clause}.1 The Customer shall pay each invoice within thirty days of")
            pdf.drawString(
                60, y - 13, "receiving it, and interest accrues on late amounts at 1.5% per month."
            )
            y -= 32
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, data: bytes) -> dict[str, float]:
    from summary_coverage.inputs.files import load_bytes
    from summary_coverage.segment.document import segment_document

    loaded = load_bytes(data, name)
    load_s = best_of(3, lambda: load_bytes(data, name))
    furniture = [(a, b) for a, b, _ in loaded.furniture]
    seg_s = best_of(3, lambda: segment_document(loaded.text, exclude=furniture))
    seg = segment_document(loaded.text, exclude=furniture)
    return {
        "load_s": load_s,
        "segment_s": seg_s,
        "chars": len(loaded.text),
        "passages": len(seg.passages),
        "furniture": len(loaded.furniture),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results: dict[str, dict[str, object]] = {}
    failed = False
    for label, build, small, large, ext in (
        ("DOCX numbered items", numbered_docx, 1_000, 10_000, "docx"),
        ("PDF pages", printed_pdf, 50, 500, "pdf"),
    ):
        a = measure(f"small.{ext}", build(small))
        b = measure(f"large.{ext}", build(large))
        total_a, total_b = a["load_s"] + a["segment_s"], b["load_s"] + b["segment_s"]
        ratio = total_b / total_a
        ok = ratio <= TARGET_RATIO
        failed |= not ok
        results[label] = {"small": small, "large": large, "small_run": a, "large_run": b, "ratio": ratio}
        print(
            f"{label}: {small:,} -> {large:,}: load {a['load_s']:.2f} -> {b['load_s']:.2f} s, "
            f"segment {a['segment_s']:.2f} -> {b['segment_s']:.2f} s, "
            f"ratio {ratio:.1f} (target <= {TARGET_RATIO:.0f}, linear = 10) {'ok' if ok else 'NOT MET'}; "
            f"{b['passages']:,} passages, {b['furniture']:,} furniture blocks"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
