"""The support judge, measured on data it never trained on, alone and inside the checker.

    python benchmarks/bench_judge.py [--quick] [--provenance]

Judge alone (argmax of its three outputs):
* SNLI held out (the premises the training split never saw), ANLI dev (NC,
  adversarial), OCNLI dev (NC, Chinese): accuracy;
* rule-made pairs from the CUAD contracts held out of training: AUROC of
  P(entailed) - P(contradicted), entailed against each kind of contradiction;
* ``tests/data/judge_heldout.jsonl``: 180 hand-written pairs (a helper who never
  saw the method wrote them): accuracy and AUROC per kind, English and Chinese.

The checker end to end (the bundled MiniLM, the judge on, the shipped verifier):
* ContractNLI dev (61 real NDAs; validation only, never fitted on): each NDA
  checked against its 17 hypotheses; AUROC of the sentence's support *within
  each hypothesis* (mean over hypotheses with both labels) for entailed vs
  contradicted and entailed vs the rest, and the balanced accuracy of the
  decisions at the default threshold; also the judge's own
  P(entailed) - P(contradicted) within each hypothesis;
* WiCE dev (web claims against the cited page; validation only): AUROC of
  support, supported vs not supported;
* governing law on the held-out CUAD contracts: "This Agreement is governed by
  the laws of X" with X the true place, and X a place the contract names
  elsewhere: balanced accuracy of the decisions;
* the same hand-written pairs, each evidence as a document: decisions per kind.

Figures go to ``build/judge_figures.json``; ``--provenance`` also writes them
into ``coverage/judge/data/judge.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.metrics import auroc, balanced_accuracy  # noqa: E402
from benchmarks.verifier_data import weakest_sentences  # noqa: E402

SHARED = ROOT.parent / "shared" / "train"
HELDOUT = ROOT / "tests" / "data" / "judge_heldout.jsonl"
OUT = ROOT / "build" / "judge_figures.json"
LABEL = {"entailment": 0, "contradiction": 1, "neutral": 2}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _mean(values: Sequence[float]) -> float:
    vals = [v for v in values if v == v]
    return float(np.mean(vals)) if vals else float("nan")


def judge_alone(judge: Any, quick: bool) -> dict[str, Any]:
    from training.support_data import cuad_pairs, nli_pairs, tidy

    out: dict[str, Any] = {}
    rng = random.Random(7)

    def accuracy(pairs: list[tuple[str, str, int]]) -> float:
        probs = judge.probabilities([(p, h) for p, h, _ in pairs])
        return float(np.mean(probs.argmax(1) == np.array([y for _, _, y in pairs])))

    snli = [(p.evidence, p.claim, p.label) for p in nli_pairs("heldout")]
    rng.shuffle(snli)
    out["snli_heldout_accuracy"] = accuracy(snli[: 600 if quick else 2000])
    nli = _jsonl(SHARED / "nli_en.jsonl")
    anli = [
        (tidy(r["premise"]), tidy(r["hypothesis"]), LABEL[r["label"]])
        for r in nli
        if r["source"].startswith("anli")
    ]
    rng.shuffle(anli)
    out["anli_dev_accuracy"] = accuracy(anli[: 600 if quick else len(anli)])
    zh = [
        (r["premise"], r["hypothesis"], LABEL[r["label"]])
        for r in _jsonl(SHARED / "nli_zh.jsonl")
        if r["source"] == "ocnli-dev"
    ]
    out["ocnli_dev_accuracy"] = accuracy(zh[: 600 if quick else len(zh)])

    held = cuad_pairs("heldout", seed=99, per_doc=40 if quick else 120)
    probs = judge.probabilities([(p.evidence, p.claim) for p in held])
    score = probs[:, 0] - probs[:, 1]
    ent = [s for s, p in zip(score, held, strict=True) if p.label == 0]
    kinds: dict[str, list[float]] = defaultdict(list)
    for s, p in zip(score, held, strict=True):
        if p.label == 1:
            kinds[p.kind].append(float(s))
    out["cuad_heldout_rules_auroc"] = {
        k: round(auroc(ent + v, [True] * len(ent) + [False] * len(v)), 3)
        for k, v in sorted(kinds.items())
        if len(v) >= 5
    }
    all_c = [x for v in kinds.values() for x in v]
    out["cuad_heldout_rules_auroc"]["all"] = round(
        auroc(ent + all_c, [True] * len(ent) + [False] * len(all_c)), 3
    )
    out["cuad_heldout_rules_three_way_accuracy"] = float(
        np.mean(probs.argmax(1) == np.array([p.label for p in held]))
    )
    out["cuad_heldout_rules_pairs"] = len(held)
    out.update(clause_claims_alone(judge))
    return out


def clause_claims_alone(judge: Any) -> dict[str, Any]:
    """Plain claims of the lawyers' annotations on the held-out CUAD contracts (training/cuad_claims.py).

    Entailed (the claim against its annotated clause) against contradicted
    (the opposite claim, another date or period): AUROC of P(entailed) -
    P(contradicted); entailed against neither (the same claim against the
    most word-sharing stretch of a contract without such a clause): AUROC of
    P(entailed).
    """
    from training.support_data import clause_claim_pairs

    held = clause_claim_pairs("heldout", seed=99)
    probs = judge.probabilities([(p.evidence, p.claim) for p in held])
    labels = np.array([p.label for p in held])
    ec = labels != 2
    en = labels != 1
    return {
        "cuad_heldout_clause_claims_pairs": len(held),
        "cuad_heldout_clause_claims_auroc_entailed_vs_contradicted": round(
            auroc(list(probs[ec, 0] - probs[ec, 1]), list(labels[ec] == 0)), 3
        ),
        "cuad_heldout_clause_claims_auroc_entailed_vs_neither": round(
            auroc(list(probs[en, 0]), list(labels[en] == 0)), 3
        ),
        "cuad_heldout_clause_claims_three_way_accuracy": round(float(np.mean(probs.argmax(1) == labels)), 3),
    }


def heldout_alone(judge: Any) -> dict[str, Any]:
    rows = _jsonl(HELDOUT)
    probs = judge.probabilities([(r["evidence"], r["claim"]) for r in rows])
    out: dict[str, Any] = {}
    for lang in ("en", "zh"):
        idx = [i for i, r in enumerate(rows) if r["lang"] == lang]
        y = np.array([LABEL[rows[i]["label"]] for i in idx])
        out[f"{lang}_three_way_accuracy"] = float(np.mean(probs[idx].argmax(1) == y))
        score = probs[idx, 0] - probs[idx, 1]
        ent = [float(score[k]) for k, i in enumerate(idx) if rows[i]["label"] == "entailment"]
        con = [float(score[k]) for k, i in enumerate(idx) if rows[i]["label"] == "contradiction"]
        out[f"{lang}_auroc_entailed_vs_contradicted"] = auroc(
            ent + con, [True] * len(ent) + [False] * len(con)
        )
        if lang == "en":
            kinds: dict[str, list[float]] = defaultdict(list)
            for k, i in enumerate(idx):
                if rows[i]["label"] == "contradiction":
                    kinds[rows[i]["kind"]].append(float(score[k]))
            out["en_auroc_by_kind"] = {
                kind: round(auroc(ent + v, [True] * len(ent) + [False] * len(v)), 3)
                for kind, v in sorted(kinds.items())
            }
    return out


def contractnli(checker: Any, quick: bool) -> dict[str, Any]:
    docs = _jsonl(SHARED / "contractnli_dev.jsonl")
    if quick:
        docs = docs[:20]
    by_h: dict[str, list[tuple[str, float, bool, float]]] = defaultdict(list)
    t = time.perf_counter()
    for d in docs:
        hyps = d["hypotheses"]
        summary = "\n".join(f"- {h['hypothesis']}" for h in hyps)
        report = checker.check(d["document"], summary)
        found = weakest_sentences(summary, [h["hypothesis"] for h in hyps], report)
        for h, (_a, hit) in zip(hyps, found, strict=True):
            if not hit:
                continue
            s = min(hit, key=lambda r: r.support)
            judge = (s.judge.get("entailed", 0.0) - s.judge.get("contradicted", 0.0)) if s.judge else 0.0
            by_h[h["key"]].append((h["label"], s.support, s.supported, judge))
    seconds = time.perf_counter() - t

    def within(pos_label: str, neg: set[str], col: int) -> float:
        vals = []
        for rows in by_h.values():
            sc = [r[col] for r in rows if r[0] == pos_label or r[0] in neg]
            lab = [r[0] == pos_label for r in rows if r[0] == pos_label or r[0] in neg]
            if any(lab) and not all(lab):
                vals.append(auroc(sc, lab))
        return _mean(vals)

    rows = [r for v in by_h.values() for r in v]
    ec = [r for r in rows if r[0] in ("Entailment", "Contradiction")]
    return {
        "ndas": len(docs),
        "seconds": round(seconds, 1),
        "within_hypothesis_auroc_entailed_vs_contradicted": within("Entailment", {"Contradiction"}, 1),
        "within_hypothesis_auroc_entailed_vs_rest": within(
            "Entailment", {"Contradiction", "NotMentioned"}, 1
        ),
        "judge_within_hypothesis_auroc_entailed_vs_contradicted": within("Entailment", {"Contradiction"}, 3),
        "pooled_auroc_entailed_vs_contradicted": auroc(
            [r[1] for r in ec], [r[0] == "Entailment" for r in ec]
        ),
        "balanced_accuracy_entailed_vs_contradicted": balanced_accuracy(
            [r[1] for r in ec], [r[0] == "Entailment" for r in ec], 0.5
        ),
        "balanced_accuracy_entailed_vs_rest": balanced_accuracy(
            [r[1] for r in rows], [r[0] == "Entailment" for r in rows], 0.5
        ),
    }


def wice(checker: Any, quick: bool) -> dict[str, Any]:
    rows = [r for r in _jsonl(SHARED / "wice_dev.jsonl") if r["label"] != "partially_supported"]
    if quick:
        rows = rows[:60]
    scores, labels, judged = [], [], []
    for r in rows:
        doc = "\n\n".join(s for s in r["evidence"] if s.strip())
        report = checker.check(doc, r["claim"])
        s = min(report.summary_sentences, key=lambda x: x.support)
        scores.append(s.support)
        judged.append(s.judge.get("entailed", 0.0) if s.judge else 0.0)
        labels.append(r["label"] == "supported")
    return {
        "claims": len(rows),
        "auroc_supported_vs_not": auroc(scores, labels),
        "judge_auroc_supported_vs_not": auroc(judged, labels),
        "balanced_accuracy": balanced_accuracy(scores, labels, 0.5),
    }


def governing_law(checker: Any) -> dict[str, Any]:
    from training.support_data import PLACES, cuad_records, cuad_split, governing_place

    scores, labels = [], []
    docs = 0
    for r in cuad_records():
        if cuad_split(r["id"]) != "heldout":
            continue
        place = governing_place(r)
        if place is None:
            continue
        doc = r["document"]
        named = sorted(
            {p for p in re.findall(r"\b(?:" + "|".join(map(re.escape, PLACES)) + r")\b", doc)} - {place}
        )
        if not named:
            continue
        docs += 1
        wrong = named[0]
        for x, y in ((place, True), (wrong, False)):
            report = checker.check(doc, f"This Agreement is governed by the laws of {x}.")
            scores.append(report.summary_sentences[0].support)
            labels.append(y)
    return {
        "contracts": docs,
        "balanced_accuracy": balanced_accuracy(scores, labels, 0.5),
        "auroc": auroc(scores, labels),
    }


def _listed_together(sentence: str, parties: Sequence[str]) -> bool:
    """Whether two parties stand in one list ("the Company or the Agent"): exchanging them says the same."""
    names = "|".join(re.escape(p) for p in sorted(parties, key=len, reverse=True))
    return (
        re.search(rf"\b(?:{names})\b(?:'s)?\s*(?:,|and|or|&|and/or)\s*(?:the\s+)?\b(?:{names})\b", sentence)
        is not None
    )


def party_exchange(checker: Any, per_doc: int = 6) -> dict[str, Any]:
    """Two parties exchanged, on the held-out CUAD contracts, through the checker.

    From each held-out contract, up to ``per_doc`` sentences naming two of its parties (seeded):
    the sentence reworded (faithful) and, as its minimal pair, the same rewording with two parties
    exchanged (``training/contract_edits.swap_parties``; "A or B" lists excluded: their order means
    nothing). All claims of a contract form one summary. AUROC of support, faithful vs exchanged,
    the balanced accuracy of the decisions, and the share of exchanges flagged ``role_swap``.
    """
    from summary_coverage.facts.party_exchange import parties_swapped
    from training.contract_edits import paraphrase, swap_parties
    from training.support_data import _aliases, _parties, contract_sentences, cuad_records, cuad_split, tidy

    def rule(sentence: str, clause: str) -> bool:
        return parties_swapped(sentence, clause) is not None

    scores, labels, flagged = [], [], []
    alone: dict[str, list[bool]] = defaultdict(list)
    docs = 0
    for r in cuad_records():
        if cuad_split(r["id"]) != "heldout":
            continue
        rng = random.Random("party:" + r["id"])
        doc, parties = r["document"], _parties(r)
        claims: list[tuple[str, bool]] = []
        spans = contract_sentences(doc)
        order = list(range(len(spans)))
        rng.shuffle(order)
        for i in order:
            sent = tidy(doc[slice(*spans[i])])
            swapped = swap_parties(sent, parties, rng)
            if swapped is None or len(sent.split()) > 60 or "\n" in sent:
                continue
            if _listed_together(sent, parties):
                continue
            seed, strength, aliases = rng.random(), rng.randint(0, 8), _aliases(r, sent)
            faithful = paraphrase(sent, random.Random(seed), strength=strength, aliases=aliases)
            edited = paraphrase(swapped.text, random.Random(seed), strength=strength, aliases=aliases)
            # The rule alone, on every such sentence: the exchange against its source, the faithful
            # rewording against its source and against the next sentence (a wrong alignment).
            alone["exchange_found"].append(rule(edited, sent))
            alone["faithful_flagged"].append(rule(faithful, sent))
            if i + 1 < len(spans):
                alone["faithful_flagged_against_next"].append(rule(faithful, tidy(doc[slice(*spans[i + 1])])))
            if len(claims) < 2 * per_doc:
                claims += [(faithful, True), (edited, False)]
        if not claims:
            continue
        docs += 1
        report = checker.check(doc, "\n\n".join(c for c, _ in claims))
        by_start = {s.start: s for s in report.summary_sentences}
        offset = 0
        for text, label in claims:
            s = by_start.get(offset)
            offset += len(text) + 2
            if s is None:
                continue  # the segmenter cut the claim elsewhere: not scored
            scores.append(s.support)
            labels.append(label)
            if not label:
                flagged.append(any(f.signal == "role_swap" for f in s.flags))
    return {
        "contracts": docs,
        "claims": len(scores),
        "auroc": auroc(scores, labels),
        "balanced_accuracy": balanced_accuracy(scores, labels, 0.5),
        "exchanges_flagged": round(float(np.mean(flagged)), 3) if flagged else None,
        "rule_alone": {k: round(float(np.mean(v)), 4) for k, v in alone.items()}
        | {"sentences": len(alone["exchange_found"])},
    }


def heldout_checked(checker: Any) -> dict[str, Any]:
    rows = [r for r in _jsonl(HELDOUT)]
    out: dict[str, Any] = {}
    by_kind: dict[str, list[bool]] = defaultdict(list)
    scores: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for r in rows:
        report = checker.check(r["evidence"], r["claim"])
        s = min(report.summary_sentences, key=lambda x: x.support)
        right = s.supported == (r["label"] == "entailment")
        by_kind[f"{r['lang']}:{r['label']}:{r['kind']}"].append(right)
        scores[r["lang"]].append((s.support, r["label"] == "entailment"))
    out["decisions_right_by_kind"] = {k: round(float(np.mean(v)), 3) for k, v in sorted(by_kind.items())}
    for lang, v in scores.items():
        out[f"{lang}_auroc_entailed_vs_rest"] = auroc([a for a, _ in v], [b for _, b in v])
        out[f"{lang}_balanced_accuracy"] = balanced_accuracy([a for a, _ in v], [b for _, b in v], 0.5)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="samples of each set (a few minutes)")
    ap.add_argument("--provenance", action="store_true", help="write the figures into judge.json")
    ap.add_argument("--no-judge", action="store_true", help="the checker without the judge (the baseline)")
    ap.add_argument(
        "--only", default="", help="comma-separated parts: alone,heldout,contractnli,wice,law,party,checked"
    )
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is missing (the shared training and validation data)")
        return 0
    from summary_coverage import Checker, Settings
    from summary_coverage.judge.judge import load_judge

    judge = load_judge()
    checker = Checker("bundled", settings=Settings(judge=not args.no_judge))
    global OUT
    if args.no_judge:
        OUT = OUT.with_name("judge_figures_baseline.json")
    parts = (
        set(args.only.split(","))
        if args.only
        else {"alone", "heldout", "contractnli", "wice", "law", "party", "checked"}
    )
    figures: dict[str, Any] = json.loads(OUT.read_text()) if OUT.exists() and args.only else {}
    steps = [
        ("alone", "judge_alone", lambda: judge_alone(judge, args.quick)),
        ("heldout", "handwritten_alone", lambda: heldout_alone(judge)),
        ("contractnli", "contractnli_dev", lambda: contractnli(checker, args.quick)),
        ("wice", "wice_dev", lambda: wice(checker, args.quick)),
        ("law", "governing_law_heldout_cuad", lambda: governing_law(checker)),
        ("party", "party_exchange_heldout_cuad", lambda: party_exchange(checker)),
        ("checked", "handwritten_checked", lambda: heldout_checked(checker)),
    ]
    for part, key, run in steps:
        if part not in parts:
            continue
        t = time.perf_counter()
        figures[key] = run()
        print(f"{key} ({time.perf_counter() - t:.0f} s): {json.dumps(figures[key], indent=1)}", flush=True)
    figures["quick"] = args.quick
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    if args.provenance:
        path = ROOT / "coverage" / "judge" / "data" / "judge.json"
        prov = json.loads(path.read_text())
        prov["figures"] = figures | {"command": "python benchmarks/bench_judge.py"}
        path.write_text(json.dumps(prov, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
