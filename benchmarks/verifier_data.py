"""Labelled coverage and support units from every shared dataset, with the checker's features.

This is the data the verifier is fitted and judged on (``benchmarks/fit_verifier.py``,
``benchmarks/bench_verifier.py``). Each dataset is one *group*, so a
leave-one-group-out fit never sees the dataset it is judged on.

Coverage units (label: the summary covers it or not):

* ``legal``: legal_plain_english sections; summary = the human summaries of a
  random half of the sections (:func:`benchmarks.eval_data.legal_cases`);
* ``qmsum``: QMSum meeting transcripts; summary = the answers of a random half
  of the specific queries; unit = a query's transcript turns, covered when a
  chosen answer's turns overlap them, uncovered when none does;
* ``vcsum``: VCSum Chinese meetings; summary = the human summaries of a random
  half of the segments; unit = a segment;
* ``realsumm``: REALSumm; document = the reference facts (SCUs), one per
  paragraph; summary = a system summary; unit = a fact, covered when the crowd
  majority says the summary expresses it.

Support units (label: the document supports the sentence or not):

* ``legal``, ``qmsum``, ``vcsum``, ``realsumm``: the summary's own human
  sentences (supported) and two sentences of another document of the same
  dataset (unsupported), checked together;
* ``frank``: FRANK system summaries (XSum and CNN/DM), every sentence of a summary judged
  all-faithful (supported) or all-unfaithful (unsupported); mixed ones are left out;
* ``edits``: the rule-built edit benchmark (:mod:`benchmarks.edit_bench`), each
  edit in the group of the dataset it was built from.

A unit's score is the checker's: the best passage score inside a coverage
unit, the lowest support of the summary sentences a support unit spans.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_data import (  # noqa: E402
    frank_records,
    legal_cases,
    realsumm_records,
    records,
)

GROUPS = ("legal", "qmsum", "vcsum", "realsumm", "frank", "cuad")
CHUNK = 16
"""Pairs per ``check_many`` call."""
TOP_CELLS = 6
"""Coverage cells kept per unit (best by fused score), among which the model picks the best."""


@dataclass
class CoverageCase:
    group: str
    doc_id: str
    document: str
    summary: str
    units: list[tuple[list[tuple[int, int]], bool]]


@dataclass
class SupportCase:
    group: str
    doc_id: str
    document: str
    sentences: list[dict[str, Any]]  # text, label, kind, edit_span (in the sentence), source

    @property
    def summary(self) -> str:
        return "\n\n".join(s["text"] for s in self.sentences)


_EN_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_ZH_SENT = re.compile(r"(?<=[。！？])")


def sentences_of(text: str) -> list[str]:
    """Split a human summary paragraph into sentences (regex; enough for labelled units)."""
    parts = _ZH_SENT.split(text) if re.search(r"[\u4e00-\u9fff]", text) else _EN_SENT.split(text)
    return [p.strip() for p in parts if len(p.strip()) >= 8]


# --------------------------------------------------------------------------- coverage


def legal_coverage() -> list[CoverageCase]:
    return [
        CoverageCase(
            "legal",
            c.doc_id,
            c.document,
            c.summary,
            [([span], inc) for span, inc in zip(c.section_spans, c.included, strict=True)],
        )
        for c in legal_cases()
    ]


def qmsum_coverage(repeats: int = 2, seed: int = 13) -> list[CoverageCase]:
    rng = random.Random(seed)
    out = []
    for rep in range(repeats):
        for rec in records("qmsum_dev_meetings.jsonl"):
            queries = rec["specific_queries"]
            if len(queries) < 2:
                continue
            turns = rec["turns"]
            chosen = set(rng.sample(range(len(queries)), len(queries) // 2))
            spans = [[(turns[a][1], turns[b][2]) for a, b in q["turn_spans"]] for q in queries]
            ranges = [[(a, b) for a, b in q["turn_spans"]] for q in queries]

            def overlaps(i: int, j: int, ranges: list[list[tuple[int, int]]] = ranges) -> bool:
                return any(a <= d and c <= b for a, b in ranges[i] for c, d in ranges[j])

            units = []
            for i in range(len(queries)):
                covered = i in chosen or any(overlaps(i, j) for j in chosen)
                units.append((spans[i], covered))
            summary = "\n\n".join(queries[i]["answer"] for i in sorted(chosen))
            out.append(CoverageCase("qmsum", f"{rec['id']}#{rep}", rec["document"], summary, units))
    return out


def vcsum_coverage(repeats: int = 2, seed: int = 13) -> list[CoverageCase]:
    rng = random.Random(seed)
    out = []
    for rep in range(repeats):
        for rec in records("vcsum_zh_dev_meetings.jsonl"):
            secs = rec["sections"]
            if len(secs) < 2:
                continue
            chosen = set(rng.sample(range(len(secs)), len(secs) // 2))
            summary = "\n\n".join(secs[i]["summary"] for i in sorted(chosen))
            units = [([(s["start"], s["end"])], i in chosen) for i, s in enumerate(secs)]
            out.append(CoverageCase("vcsum", f"{rec['id']}#{rep}", rec["document"], summary, units))
    return out


def realsumm_coverage(systems: int = 8) -> list[CoverageCase]:
    out = []
    for rec in realsumm_records():
        scus = rec["scus"]
        document = "\n\n".join(scus)
        spans, pos = [], 0
        for s in scus:
            spans.append((pos, pos + len(s)))
            pos += len(s) + 2
        step = max(1, len(rec["systems"]) // systems)
        for sys_rec in rec["systems"][::step][:systems]:
            units = [
                ([span], bool(present))
                for span, present in zip(spans, sys_rec["scu_present"], strict=True)
                if present is not None
            ]
            out.append(
                CoverageCase(
                    "realsumm", f"{rec['id']}:{sys_rec['system']}", document, sys_rec["summary"], units
                )
            )
    return out


# --------------------------------------------------------------------------- support


def _with_foreign(group: str, items: list[tuple[str, str, list[str]]], seed: int = 13) -> list[SupportCase]:
    """``items``: (doc_id, document, own sentences); two sentences of another item join as negatives."""
    rng = random.Random(seed)
    out = []
    for i, (doc_id, document, own) in enumerate(items):
        others = [j for j in range(len(items)) if j != i and items[j][2]]
        if not own or not others:
            continue
        foreign_pool = items[rng.choice(others)][2]
        foreign = rng.sample(foreign_pool, min(2, len(foreign_pool)))
        sents = [{"text": s, "label": 1, "kind": "own"} for s in own]
        sents += [{"text": s, "label": 0, "kind": "foreign"} for s in foreign]
        out.append(SupportCase(group, doc_id, document, sents))
    return out


def legal_support() -> list[SupportCase]:
    items = []
    for c in legal_cases(repeats=1):
        own = [line for line in c.summary.split("\n") if len(line.split()) >= 3]
        items.append((c.doc_id, c.document, own))
    return _with_foreign("legal", items)


def _sampled_support(
    group: str, name: str, paragraphs: Callable[[dict[str, Any]], list[str]], per_doc: int, seed: int
) -> list[SupportCase]:
    """Up to ``per_doc`` sentences of each record's human summary paragraphs, with foreign negatives."""
    rng = random.Random(seed)
    items = []
    for rec in records(name):
        own = [s for text in paragraphs(rec) for s in sentences_of(text)]
        items.append((rec["id"], rec["document"], rng.sample(own, min(per_doc, len(own)))))
    return _with_foreign(group, items)


def qmsum_support(per_doc: int = 8, seed: int = 13) -> list[SupportCase]:
    return _sampled_support(
        "qmsum",
        "qmsum_dev_meetings.jsonl",
        lambda r: [q["answer"] for q in r["specific_queries"]],
        per_doc,
        seed,
    )


def vcsum_support(per_doc: int = 8, seed: int = 13) -> list[SupportCase]:
    return _sampled_support(
        "vcsum", "vcsum_zh_dev_meetings.jsonl", lambda r: [s["summary"] for s in r["sections"]], per_doc, seed
    )


def realsumm_support() -> list[SupportCase]:
    items = [(r["id"], r["document"], sentences_of(r["reference_summary"])) for r in realsumm_records()]
    return _with_foreign("realsumm", items)


def frank_support() -> list[SupportCase]:
    out = []
    for rec in frank_records():
        sents = []
        for s in rec["summaries"]:
            if s["label"] == "mixed":
                continue
            label = 1 if s["label"] == "all_sentences_faithful" else 0
            kind = f"frank-{rec['dataset']}"
            oute = s["error_free"].get("OutE")
            sents += [
                {
                    "text": t,
                    "label": label,
                    "kind": kind,
                    "summary_id": f"{rec['id']}:{s['model']}",
                    "oute": oute,
                }
                for t in s["summary_sentences"]
                if t.strip()
            ]
        if sents:
            out.append(SupportCase("frank", rec["id"], rec["document"], sents))
    return out


def cuad_support(docs: int = 80, seed: int = 13) -> list[SupportCase]:
    """Claims about real contracts: the CUAD *training* contracts of the support judge's split only.

    Per contract: the governing-law claim with the true place and with a place the contract names
    elsewhere, and rule-made claims about its own sentences (faithful rewordings and single edits:
    negation, weakened obligation, changed figure, swapped party, moved place, ...), from
    ``training/support_data.py``. The held-out contracts, ContractNLI and WiCE are never read here.
    """
    from training.support_data import SHARED, contract_pairs, cuad_records, cuad_split, governing_law_pairs

    if not SHARED.is_dir():
        return []
    rng = random.Random(seed)
    train = [r for r in cuad_records() if cuad_split(r["id"]) == "train"]
    rng.shuffle(train)
    out = []
    for r in train[:docs]:
        pairs = governing_law_pairs(r, rng) + [p for p in contract_pairs(r, rng, 4) if p.label in (0, 1)]
        sents = [
            {"text": p.claim, "label": int(p.label == 0), "kind": f"cuad-{p.kind}"}
            for p in pairs
            if len(p.claim) > 20 and "\n" not in p.claim
        ]
        if sents:
            out.append(SupportCase("cuad", r["id"], r["document"], sents))
    return out


def edit_support() -> list[SupportCase]:
    from benchmarks.edit_bench import build_cases, data_dir

    data = data_dir()
    if data is None:
        return []
    by_doc: dict[tuple[str, str], SupportCase] = {}
    for c in build_cases(data):
        key = (c.dataset, c.doc_id)
        case = by_doc.setdefault(key, SupportCase(c.dataset, f"edits:{c.doc_id}", c.document, []))
        case.sentences.append(
            {
                "text": c.sentence,
                "label": c.label,
                "kind": "edit-" + c.edit_kind,
                "edit_span": list(c.edit_span) if c.edit_span else None,
                "language": c.language,
            }
        )
    return list(by_doc.values())


# --------------------------------------------------------------------------- features


@dataclass
class Rows:
    coverage: list[dict[str, Any]] = field(default_factory=list)
    support: list[dict[str, Any]] = field(default_factory=list)


def _chunks(items: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def coverage_rows(checker: Any, cases: Sequence[CoverageCase], rows: Rows, log: Any = None) -> None:
    import numpy as np

    for chunk in _chunks(cases, CHUNK):
        reports = checker.check_many([(c.document, c.summary) for c in chunk])
        for case, report in zip(chunk, reports, strict=True):
            m = report.signal_matrices
            fused = m["fused"]
            starts = np.array([p.start for p in report.passages])
            ends = np.array([p.end for p in report.passages])
            for k, (spans, label) in enumerate(case.units):
                inside = np.zeros(len(report.passages), dtype=bool)
                for a, b in spans:
                    inside |= (starts < b) & (ends > a)
                idx = np.flatnonzero(inside)
                if idx.size == 0 or fused.shape[1] == 0:
                    cells: list[dict[str, float]] = []
                else:
                    sub = fused[idx]
                    order = np.argsort(-sub, axis=None)[:TOP_CELLS]
                    cells = []
                    for flat in order:
                        r, c = divmod(int(flat), sub.shape[1])
                        p = int(idx[r])
                        cells.append(
                            {
                                name: float(m[name][p, c])
                                for name in ("dense_z", "lexical", "lexical_z", "specificity")
                            }
                        )
                names = ("dense_z", "lexical", "lexical_z", "specificity")
                best = fused[idx].argmax(axis=1) if idx.size and fused.shape[1] else []
                per_passage = [
                    {name: float(m[name][int(p), int(c)]) for name in names}
                    for p, c in zip(idx, best, strict=True)
                ]
                rows.coverage.append(
                    {
                        "passages": per_passage,
                        "group": case.group,
                        "doc": case.doc_id,
                        "unit": k,
                        "label": int(label),
                        "cells": cells,
                        "score": max((report.passages[int(i)].score for i in idx), default=0.0),
                    }
                )
        if log:
            log(f"coverage {chunk[0].group}: {len(rows.coverage)} units")


def weakest_sentences(summary: str, texts: Sequence[str], report: Any) -> list[tuple[int, list[Any]]]:
    """For each text of ``summary`` (in order): its offset and the report's sentences that overlap it."""
    out = []
    pos = 0
    for text in texts:
        a = summary.index(text, pos)
        b = pos = a + len(text)
        out.append((a, [r for r in report.summary_sentences if r.start < b and r.end > a]))
    return out


def support_rows(checker: Any, cases: Sequence[SupportCase], rows: Rows, log: Any = None) -> None:
    for chunk in _chunks(cases, CHUNK):
        reports = checker.check_many([(c.document, c.summary) for c in chunk])
        for case, report in zip(chunk, reports, strict=True):
            found = weakest_sentences(case.summary, [s["text"] for s in case.sentences], report)
            for s, (a, hit) in zip(case.sentences, found, strict=True):
                if not hit:
                    continue
                worst = min(hit, key=lambda r: r.support)
                rows.support.append(
                    {
                        "group": case.group,
                        "doc": case.doc_id,
                        "label": int(s["label"]),
                        "kind": s["kind"],
                        "language": s.get("language", ""),
                        "summary_id": s.get("summary_id"),
                        "oute": s.get("oute"),
                        "features": {k: float(v) for k, v in worst.signals.items()},
                        "support": worst.support,
                        "flags": [
                            {"start": f.start - a, "end": f.end - a, "signal": f.signal, "reason": f.reason}
                            for r in hit
                            for f in r.flags
                        ],
                        "edit_span": s.get("edit_span"),
                    }
                )
        if log:
            log(f"support {chunk[0].group}: {len(rows.support)} sentences")


def collect(
    checker: Any, *, limit: int | None = None, log: Any = None, parts: Sequence[str] = ("coverage", "support")
) -> Rows:
    """Run the checker over every dataset and return the labelled rows (of the ``parts`` asked for)."""
    rows = Rows()
    builders_cov = (legal_coverage, qmsum_coverage, vcsum_coverage, realsumm_coverage)
    builders_sup = (
        legal_support,
        qmsum_support,
        vcsum_support,
        realsumm_support,
        frank_support,
        edit_support,
        cuad_support,
    )
    for build in builders_cov if "coverage" in parts else ():
        t = time.perf_counter()
        cases = build()[:limit]
        coverage_rows(checker, cases, rows, log)
        if log:
            log(f"{build.__name__}: {len(cases)} cases in {time.perf_counter() - t:.0f} s")
    for build in builders_sup if "support" in parts else ():
        t = time.perf_counter()
        cases = build()[:limit]
        support_rows(checker, cases, rows, log)
        if log:
            log(f"{build.__name__}: {len(cases)} cases in {time.perf_counter() - t:.0f} s")
    return rows


def save(rows: Rows, path: Path, meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "coverage": rows.coverage, "support": rows.support}, fh)


def load(path: Path) -> tuple[Rows, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Rows(data["coverage"], data["support"]), data["meta"]
