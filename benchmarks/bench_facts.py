"""Numbers benchmark: are changed numbers, dates, amounts and durations caught in whole documents?

Three sets, all written for this project (no shared data needed):

* ``pairs``: ``tests/data/numbers_pairs.jsonl``, the set the alignment was
  developed on. Per language, the evidence sentences form one numbered
  document, so each summary sentence must find its own evidence among
  dozens of figure-laden clauses. Summary A = every faithful sentence,
  summary B = every changed one.
* ``held-out``: ``tests/data/numbers_pairs_heldout.jsonl``, written after the
  method was fixed and never tuned on; same construction.
* ``mutations``: the sample contracts (``sample_docs``) with their faithful
  summaries; every fact of the summary is changed in turn ("30 days" to "31
  days", "thirty" to "forty", "百分之五" to "百分之六"; :mod:`fact_mutation`).

Per set and language it prints: sentences (or mutations), recall (the changed
sentence has a *contradicted* fact), flagged (contradicted or absent), and
the flags raised on the faithful summary.

Usage: python benchmarks/bench_facts.py [--model bundled]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from summary_coverage import Checker
from summary_coverage.facts.mutation import mutations
from summary_coverage.facts.quantities import extract_facts

ROOT = Path(__file__).resolve().parent.parent
PAIR_FILES = {
    "pairs": ROOT / "tests/data/numbers_pairs.jsonl",
    "held-out": ROOT / "tests/data/numbers_pairs_heldout.jsonl",
}
SAMPLES = {
    "en": ("services_agreement.md", "services_agreement.summary.md"),
    "zh": ("zh_contract.md", "zh_contract.summary.md"),
}


@dataclass(frozen=True)
class FactsResult:
    """One row of the benchmark.

    Attributes:
        name: Set and language, e.g. ``"held-out/zh"``.
        cases: Changed sentences (pairs) or changed facts (mutations).
        contradicted: Cases whose changed sentence got a ``contradicted`` flag.
        flagged: Cases whose changed sentence got any flag.
        faithful_flags: Flags raised on the faithful summary (should be 0).
        faithful_sentences: Sentences of the faithful summary that state a fact.
    """

    name: str
    cases: int
    contradicted: int
    flagged: int
    faithful_flags: int
    faithful_sentences: int

    @property
    def recall(self) -> float:
        return self.contradicted / self.cases if self.cases else float("nan")


def pair_sets(checker: Checker, path: Path, name: str) -> list[FactsResult]:
    """Run one pairs file, one document per language."""
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for lang in sorted({p["lang"] for p in pairs}):
        ps = [p for p in pairs if p["lang"] == lang]
        document = "\n\n".join(f"{i + 1}. {p['evidence']}" for i, p in enumerate(ps))
        lines = [f"- {p['changed']}" for p in ps]
        faithful = checker.check(document, "\n".join(f"- {p['faithful']}" for p in ps))
        changed = checker.check(document, "\n".join(lines))
        ends = list(itertools.accumulate(len(line) + 1 for line in lines))  # line i ends before ends[i]
        line_of = {m: bisect.bisect_right(ends, m.summary_start) for m in changed.mismatches}
        contradicted = {line_of[m] for m in changed.mismatches if m.status == "contradicted"}
        flagged = set(line_of.values())
        out.append(
            FactsResult(
                f"{name}/{lang}", len(ps), len(contradicted), len(flagged), len(faithful.mismatches), len(ps)
            )
        )
    return out


def mutation_set(checker: Checker, lang: str) -> FactsResult:
    """Change every fact of a sample summary in turn and check each changed summary."""
    doc_name, summary_name = SAMPLES[lang]
    document = (ROOT / "sample_docs" / doc_name).read_text(encoding="utf-8")
    summary = (ROOT / "sample_docs" / summary_name).read_text(encoding="utf-8")
    base = checker.check(document, summary)
    cases = contradicted = flagged = 0
    for mut in mutations(summary):
        report = checker.check(document, mut.text)
        sentence = next(s.index for s in report.summary_sentences if s.start <= mut.changed.start < s.end)
        flags = [
            m for m in report.mismatches if m.sentence == sentence and m.summary_start == mut.changed.start
        ]
        cases += 1
        contradicted += any(m.status == "contradicted" for m in flags)
        flagged += bool(flags)
    with_facts = sum(1 for s in base.summary_sentences if extract_facts(s.text))
    return FactsResult(f"mutations/{lang}", cases, contradicted, flagged, len(base.mismatches), with_facts)


def run(checker: Checker) -> list[FactsResult]:
    """Every set that is present."""
    rows: list[FactsResult] = []
    for name, path in PAIR_FILES.items():
        if path.exists():
            rows += pair_sets(checker, path, name)
        else:
            print(f"skipping {name}: {path} not found", file=sys.stderr)
    rows += [mutation_set(checker, lang) for lang in SAMPLES]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="bundled")
    args = parser.parse_args()
    rows = run(Checker(args.model))
    print("| set | cases | recall (contradicted) | flagged at all | flags on faithful summary |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r.name} | {r.cases} | {r.recall:.3f} ({r.contradicted}) | {r.flagged} | "
            f"{r.faithful_flags} (of {r.faithful_sentences} sentences) |"
        )


if __name__ == "__main__":
    main()
