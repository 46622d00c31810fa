"""Compare scoring variants, and the thresholds each would need, on real human-labelled data.

Scores are calibrated probabilities (a monotone map, so AUROC is that of the
raw score); the default threshold is 0.5 for every model, and this script
shows where the balanced-accuracy optimum lies for each variant.

Task (legal_plain_english, documents with 3+ sections, each taken 3 times):
the summary is the human summaries of a random half of the sections.

* Coverage: a passage is labelled covered when its section's summary is in
  the summary. The threshold maximising balanced accuracy over passages is
  the default coverage threshold. Section-level AUROC (section score = its
  best passage score) is printed for comparison with issue 4's baselines.
* Support: the summary's own sentences are positives; two section summaries
  of another document, appended to the summary, are negatives.

Thresholds are picked on a 0.05 grid; a 2-fold split by document reports how
well a threshold chosen on one half transfers to the other.

Usage: python benchmarks/thresholds.py [--model bundled|BAAI/bge-m3|PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.eval_data import DATA_DIR, legal_cases  # noqa: E402
from benchmarks.metrics import auroc, balanced_accuracy, best_threshold  # noqa: E402
from summary_coverage import Checker, Settings  # noqa: E402


def _section_of(start: int, spans: tuple[tuple[int, int], ...]) -> int:
    for i, (a, b) in enumerate(spans):
        if a <= start < b:
            return i
    return len(spans) - 1


def collect(checker: Checker, limit: int | None, settings: Settings | None = None) -> dict[str, list]:
    cases = legal_cases()[:limit]
    out: dict[str, list] = {
        k: []
        for k in ("p_score", "p_label", "p_doc", "sec_score", "sec_label", "s_score", "s_label", "s_doc")
    }
    pairs = []
    for case in cases:
        pairs.append((case.document, case.summary))
        pairs.append((case.document, case.summary + "\n" + "\n".join(case.foreign)))
    reports = checker.check_many(pairs, settings=settings)
    for n, case in enumerate(cases):
        cov, sup = reports[2 * n], reports[2 * n + 1]
        doc = case.doc_id.split("#")[0]
        best = [0.0] * len(case.section_spans)
        for p in cov.passages:
            sec = _section_of(p.start, case.section_spans)
            out["p_score"].append(p.score)
            out["p_label"].append(case.included[sec])
            out["p_doc"].append(doc)
            best[sec] = max(best[sec], p.score)
        out["sec_score"] += best
        out["sec_label"] += list(case.included)
        boundary = len(case.summary)
        for s in sup.summary_sentences:
            out["s_score"].append(s.support)
            out["s_label"].append(s.start < boundary)
            out["s_doc"].append(doc)
    return out


def two_fold(scores: list[float], labels: list[bool], docs: list[str]) -> float:
    """Balanced accuracy of a threshold fitted on one half of the documents, tested on the other."""
    ids = sorted(set(docs))
    halves = [set(ids[0::2]), set(ids[1::2])]
    accs = []
    for fit, test in ((0, 1), (1, 0)):
        fs = [(s, y) for s, y, d in zip(scores, labels, docs, strict=True) if d in halves[fit]]
        ts = [(s, y) for s, y, d in zip(scores, labels, docs, strict=True) if d in halves[test]]
        t, _ = best_threshold([s for s, _ in fs], [y for _, y in fs])
        accs.append(balanced_accuracy([s for s, _ in ts], [y for _, y in ts], t))
    return sum(accs) / len(accs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N cases")
    args = parser.parse_args(argv)
    if not legal_cases():
        print(f"skipped: the shared eval data is not at {DATA_DIR} (legal_plain_english.jsonl).")
        return 0
    t0 = time.perf_counter()
    checker = Checker(args.model, device=args.device)
    print(f"model: {checker.model_info.name}")
    print("| scoring | task | AUROC | best threshold | balanced acc. at it | 2-fold balanced acc. |")
    print("| --- | --- | --- | --- | --- | --- |")
    variants = [
        ("dense cosine only", Settings(signal_weights={"lexical": 0.0, "specificity": 0.0})),
        ("dense x specificity^2", Settings(signal_weights={"lexical": 0.0})),
        ("default: hybrid (dense+lexical) x specificity^2, calibrated", None),
    ]
    for label, settings in variants:
        data = collect(checker, args.limit, settings)
        rows = [
            ("passage coverage", data["p_score"], data["p_label"], data["p_doc"]),
            ("section coverage (best passage)", data["sec_score"], data["sec_label"], None),
            ("sentence support", data["s_score"], data["s_label"], data["s_doc"]),
        ]
        for task, scores, labels, docs in rows:
            t, ba = best_threshold(scores, labels)
            cv = f"{two_fold(scores, labels, docs):.3f}" if docs else "-"
            print(f"| {label} | {task} | {auroc(scores, labels):.3f} | {t:.2f} | {ba:.3f} | {cv} |")
    cov_t, _ = best_threshold(data["p_score"], data["p_label"])
    sup_t, _ = best_threshold(data["s_score"], data["s_label"])
    print(
        f"passages: {len(data['p_score'])}, sections: {len(data['sec_score'])}, "
        f"summary sentences: {len(data['s_score'])}; {time.perf_counter() - t0:.0f} s"
    )
    print(f"recommended defaults: coverage_threshold={cov_t:.2f}, support_threshold={sup_t:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
