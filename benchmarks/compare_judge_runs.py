"""Two training runs of the support judge, measured alone on the same pairs, on this machine.

    python benchmarks/compare_judge_runs.py build/judge build/judge_repro

Each argument is a ``train_support.py --out`` folder; its ``checkpoint.safetensors``
is read (float32 weights, cast to bfloat16 as the shipped judge is). Prints the
largest weight difference, the training losses side by side, and
:func:`benchmarks.bench_judge.judge_alone` for each run (SNLI held out, ANLI,
OCNLI, rule-made claims on the held-out CUAD contracts). The rerun reproduces
the first when every figure is within 0.01.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    import torch
    from safetensors.torch import load_file

    from benchmarks.bench_judge import judge_alone
    from summary_coverage.judge.judge import JudgeInfo, judge_from_weights

    runs = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    if len(runs) != 2:
        print("give two run folders, e.g. build/judge build/judge_repro", file=sys.stderr)
        return 2
    weights = [
        {k[6:]: v for k, v in load_file(str(r / "checkpoint.safetensors")).items() if k.startswith("model.")}
        for r in runs
    ]
    states = [json.loads((r / "checkpoint.json").read_text()) for r in runs]
    a, b = weights
    print("steps:", [s["step"] for s in states])
    print("largest weight difference:", max(float((a[k].float() - b[k].float()).abs().max()) for k in a))
    losses = zip(states[0]["losses"], states[1]["losses"], strict=False)  # the shorter run's saves
    print("losses (every save):", [(round(x, 4), round(y, 4)) for x, y in losses])
    for run, w, state in zip(runs, weights, states, strict=True):
        # As shipped: the weights rounded to bfloat16, run in bfloat16.
        info = JudgeInfo(str(run), "all-MiniLM-L6-v2", "bfloat16", "cpu", f"step {state['step']}")
        judge = judge_from_weights({k: v.to(torch.bfloat16) for k, v in w.items()}, info)
        t = time.perf_counter()
        figures = judge_alone(judge, quick=False)
        print(f"{run} ({time.perf_counter() - t:.0f} s): {json.dumps(figures)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
