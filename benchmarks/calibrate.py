"""Fit the per-model calibration (coverage and support Platt maps) on real labelled data.

Fits on legal_plain_english (the task of benchmarks/thresholds.py: 48
documents x 3 random half-summaries; passages labelled by whether their
section's summary is in the summary; support positives are the summary's
own sentences, negatives two sentences of another document), class-balanced,
and writes ``coverage/score/data/calibration.json``. Validation on other datasets
is ``make bench-quality``. The raw scores used are the report's signals at
each best match (``fused`` for coverage, ``hybrid`` for support), which do
not depend on the current calibration.

Usage: python benchmarks/calibrate.py [--model bundled] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.eval_data import DATA_DIR, legal_cases  # noqa: E402
from benchmarks.metrics import auroc, balanced_accuracy  # noqa: E402
from benchmarks.thresholds import _section_of  # noqa: E402
from summary_coverage import Checker  # noqa: E402
from summary_coverage.score.calibration import fit_platt  # noqa: E402
from summary_coverage.score.signals import DEFAULT_WEIGHTS  # noqa: E402

TARGET = ROOT / "coverage" / "score" / "data" / "calibration.json"


def collect(checker: Checker) -> dict[str, list]:
    cases = legal_cases()
    pairs = []
    for case in cases:
        pairs += [
            (case.document, case.summary),
            (case.document, case.summary + "\n" + "\n".join(case.foreign)),
        ]
    reports = checker.check_many(pairs)
    out: dict[str, list] = {"cov_x": [], "cov_y": [], "cov_doc": [], "sup_x": [], "sup_y": [], "sup_doc": []}
    for n, case in enumerate(cases):
        cov, sup = reports[2 * n], reports[2 * n + 1]
        doc = case.doc_id.split("#")[0]
        for p in cov.passages:
            if "fused" in p.signals:
                out["cov_x"].append(p.signals["fused"])
                out["cov_y"].append(case.included[_section_of(p.start, case.section_spans)])
                out["cov_doc"].append(doc)
        for s in sup.summary_sentences:
            if "hybrid" in s.signals:
                out["sup_x"].append(s.signals["hybrid"])
                out["sup_y"].append(s.start < len(case.summary))
                out["sup_doc"].append(doc)
    return out


def two_fold(x: list[float], y: list[bool], docs: list[str]) -> float:
    """Balanced accuracy at 0.5 of a map fitted on one half of the documents, tested on the other."""
    ids = sorted(set(docs))
    halves = [set(ids[0::2]), set(ids[1::2])]
    xs, ys, ds = np.asarray(x), np.asarray(y), np.asarray(docs)
    accs = []
    for fit, test in ((0, 1), (1, 0)):
        fm = np.isin(ds, list(halves[fit]))
        tm = np.isin(ds, list(halves[test]))
        platt = fit_platt(xs[fm], ys[fm])
        accs.append(balanced_accuracy(list(platt(xs[tm])), list(ys[tm]), 0.5))
    return float(np.mean(accs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fit the calibration of a model.")
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the JSON")
    args = parser.parse_args(argv)
    if not legal_cases():
        print(f"skipped: the shared eval data is not at {DATA_DIR}.")
        return 0
    checker = Checker(args.model)
    name = checker.model_info.name
    data = collect(checker)
    result = {}
    for task, x, y, docs in (
        ("coverage", data["cov_x"], data["cov_y"], data["cov_doc"]),
        ("support", data["sup_x"], data["sup_y"], data["sup_doc"]),
    ):
        platt = fit_platt(np.asarray(x), np.asarray(y))
        probs = platt(np.asarray(x))
        print(
            f"{task:8s} n={len(x)} positives={sum(y)} a={platt.a:.3f} b={platt.b:.3f} "
            f"raw score at p=0.5: {platt.inverse(0.5):.3f}; AUROC {auroc(list(x), y):.3f}; "
            f"balanced acc. at 0.5: {balanced_accuracy(list(probs), y, 0.5):.3f} in-sample, "
            f"{two_fold(x, y, docs):.3f} 2-fold by document"
        )
        result[task] = {"a": round(platt.a, 6), "b": round(platt.b, 6)}
    table = json.loads(TARGET.read_text()) if TARGET.exists() else {}
    table[name] = result | {
        "fitted_on": f"legal_plain_english ({len(set(data['cov_doc']))} documents x 3; "
        f"{len(data['cov_x'])} passages, {len(data['sup_x'])} summary sentences)",
        "signal_weights": DEFAULT_WEIGHTS,
    }
    if args.dry_run:
        print(json.dumps(table[name], indent=2))
    else:
        TARGET.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n")
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
