"""Accuracy benchmark: the checker against three baselines on human-labelled data.

One run prints a Markdown table with one row per task: the number of
labelled units, how many are positive, the AUROC of the checker's score and
of three baselines (:mod:`benchmarks.baselines`), and the checker's balanced
accuracy at its *default* thresholds (the report's ``coverage_threshold`` /
``support_threshold``; nothing is tuned per dataset). The best AUROC of a
row is in bold.

Tasks (data read at run time from ../shared/eval/data; see its README):

* ``legal``: section coverage on legal_plain_english, built exactly as
  :func:`benchmarks.eval_data.legal_cases` (documents with 3+ sections x 3
  repeats, summary = a random half of the section summaries). Unit = a
  section; positive = its summary is in the summary. Checker score = the
  best ``score`` of the passages starting in the section.
* ``realsumm``: fact coverage on REALSumm. Document = the reference facts
  (SCUs) joined by blank lines, so each fact is one passage; summary = a
  system summary (by default 8 of the 25 systems per document, evenly spaced
  in file order; ``--systems 25`` takes all). Unit = a fact; positive = the
  crowd majority says the summary expresses it (2-2 ties skipped). Checker
  score = the fact's passage ``score``.
* ``frank``: support on FRANK's XSum part. Unit = a system summary; positive
  = every sentence faithful, negative = every sentence unfaithful (mixed
  skipped). Checker score = the lowest ``support`` of its sentences.
* ``frank-oute``: the same summaries; positive = no out-of-article
  information (``error_free["OutE"] == 1``), negative = ``0``.
* ``finesure``: support on FineSurE's faithfulness samples. Unit = a summary
  sentence; positive = the annotator majority finds no error.

Every task function returns a :class:`TaskData` whose ``scores`` and
``labels`` can be reused, e.g. ``legal_sections(Checker("bundled"))``.

Usage: python benchmarks/bench_quality.py [--limit N] [--systems N]
       [--tasks legal,realsumm,frank,frank-oute,finesure] [--model bundled]

``--limit N`` keeps the first N records of each dataset (legal: the first N
cases). Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.baselines import BASELINES, EmbeddingCache, Unit, baseline_scores  # noqa: E402
from benchmarks.eval_data import (  # noqa: E402
    DATA_DIR,
    finesure_records,
    frank_records,
    legal_cases,
    realsumm_records,
)
from benchmarks.metrics import auroc, balanced_accuracy  # noqa: E402
from benchmarks.thresholds import _section_of  # noqa: E402
from summary_coverage import Checker, CoverageReport, Settings  # noqa: E402

CHUNK = 64
"""Pairs per ``check_many`` call: texts are deduplicated and batched within a chunk."""

DEFAULT_SYSTEMS = 8
"""REALSumm system summaries used per document, evenly spaced over the 25 (``--systems 25``: all)."""

Aggregate = Literal["min", "max"]


@dataclass
class TaskData:
    """Scores and labels of one task.

    Attributes:
        name: The row label.
        scores: The checker's score per unit (higher = covered / supported).
        labels: The human label per unit (True = covered / faithful).
        predicted: The checker's decision at its default threshold.
        units: What the baselines compare, one per unit.
        notes: Counts and data quirks met while building the task.
        threshold: The default threshold the decisions used (coverage or support).
    """

    name: str
    scores: list[float] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    predicted: list[bool] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    threshold: float | None = None

    def add(self, score: float, label: bool, threshold: float, unit: Unit) -> None:
        """Append one labelled unit; the checker predicts positive when ``score >= threshold``."""
        self.threshold = threshold
        predicted = score >= threshold
        self.scores.append(score)
        self.labels.append(label)
        self.predicted.append(predicted)
        self.units.append(unit)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def check_chunked(
    checker: Checker,
    pairs: Sequence[tuple[str, str]],
    *,
    settings: Settings | None = None,
    what: str = "",
    chunk: int = CHUNK,
) -> list[CoverageReport]:
    """``checker.check_many`` over ``pairs`` in chunks, with progress on stderr."""
    reports: list[CoverageReport] = []
    for lo in range(0, len(pairs), chunk):
        reports += checker.check_many(pairs[lo : lo + chunk], settings=settings)
        _log(f"  {what}: checked {len(reports)}/{len(pairs)} pairs")
    return reports


def _passage_texts(report: CoverageReport) -> tuple[str, ...]:
    return tuple(p.text for p in report.passages)


def _sentence_texts(report: CoverageReport) -> tuple[str, ...]:
    return tuple(s.text for s in report.summary_sentences)


def _join(parts: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join texts by blank lines; return the text and each part's (start, end)."""
    spans, pos = [], 0
    for part in parts:
        spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return "\n\n".join(parts), spans


# --- tasks ---------------------------------------------------------------


def legal_sections(
    checker: Checker, *, limit: int | None = None, settings: Settings | None = None
) -> TaskData:
    """Section coverage on legal_plain_english (the construction of ``legal_cases()``)."""
    data = TaskData("legal section coverage")
    cases = legal_cases()[:limit]
    # Repeats of a document sit next to each other, so a chunk encodes it once.
    cases = sorted(cases, key=lambda c: c.doc_id.split("#")[0])
    reports = check_chunked(
        checker, [(c.document, c.summary) for c in cases], settings=settings, what="legal"
    )
    empty = 0
    for case, report in zip(cases, reports, strict=True):
        best: list[float | None] = [None] * len(case.section_spans)
        for p in report.passages:
            sec = _section_of(p.start, case.section_spans)
            best[sec] = max(best[sec] or 0.0, p.score)
        parts = _sentence_texts(report)
        for (a, b), included, score in zip(case.section_spans, case.included, best, strict=True):
            if score is None:
                empty += 1
            s = score or 0.0
            unit = Unit((case.document[a:b],), case.summary, parts, (case.summary,))
            data.add(s, included, report.coverage_threshold, unit)
    data.notes.append(f"{len(cases)} document x summary cases")
    if empty:
        data.notes.append(f"{empty} sections had no passage starting in them (score 0)")
    return data


def realsumm_facts(
    checker: Checker,
    *,
    limit: int | None = None,
    systems: int = DEFAULT_SYSTEMS,
    settings: Settings | None = None,
) -> TaskData:
    """Fact coverage on REALSumm: does the system summary express each reference fact?

    ``systems`` evenly spaced systems (in file order) are used per document.
    """
    data = TaskData("realsumm fact coverage")
    pairs: list[tuple[str, str]] = []
    meta: list[tuple[dict, dict, list[tuple[int, int]]]] = []
    for rec in realsumm_records()[:limit]:
        document, spans = _join(rec["scus"])
        pool = rec["systems"]
        n = max(1, min(systems, len(pool)))
        for i in (k * len(pool) // n for k in range(n)):
            pairs.append((document, pool[i]["summary"]))
            meta.append((rec, pool[i], spans))
    reports = check_chunked(checker, pairs, settings=settings, what="realsumm")
    ties = not_one_to_one = 0
    for (rec, system, spans), report in zip(meta, reports, strict=True):
        parts = _sentence_texts(report)
        for scu, (a, b), present in zip(rec["scus"], spans, system["scu_present"], strict=True):
            if present is None:
                ties += 1
                continue
            hits = [p for p in report.passages if p.start < b and p.end > a]
            if len(hits) != 1 or (hits[0].start, hits[0].end) != (a, b):
                not_one_to_one += 1
            score = max((p.score for p in hits), default=0.0)
            unit = Unit((scu,), system["summary"], parts, (system["summary"],))
            data.add(score, bool(present), report.coverage_threshold, unit)
    docs = len({m[0]["id"] for m in meta})
    data.notes.append(
        f"{docs} documents, {len(pairs)} system summaries (at most {systems} per document, evenly spaced)"
    )
    data.notes.append(f"{ties} tied (2-2) fact labels skipped")
    if not_one_to_one:
        data.notes.append(f"{not_one_to_one} facts did not map to exactly one passage (max over overlaps)")
    return data


_frank_memo: dict[tuple[int, int | None, str], list[tuple[str, dict, CoverageReport]]] = {}


def _frank_xsum_reports(
    checker: Checker, limit: int | None, settings: Settings | None
) -> list[tuple[str, dict, CoverageReport]]:
    """(document, summary record, report) for every XSum summary, checked once per run."""
    key = (id(checker), limit, repr(settings))
    if key not in _frank_memo:
        items, pairs = [], []
        for rec in frank_records("xsum")[:limit]:
            for summ in rec["summaries"]:
                pairs.append((rec["document"], "\n\n".join(summ["summary_sentences"])))
                items.append((rec["document"], summ))
        reports = check_chunked(checker, pairs, settings=settings, what="frank xsum")
        _frank_memo[key] = [(doc, summ, rep) for (doc, summ), rep in zip(items, reports, strict=True)]
    return _frank_memo[key]


def _agg(values: Sequence[float], how: Aggregate) -> float:
    return (min if how == "min" else max)(values) if values else 0.0


def frank_support(
    checker: Checker,
    *,
    limit: int | None = None,
    label: Literal["faithful", "OutE"] = "faithful",
    aggregate: Aggregate = "min",
    settings: Settings | None = None,
) -> TaskData:
    """Summary support on FRANK XSum.

    ``label="faithful"``: all sentences faithful (positive) vs all unfaithful
    (negative), mixed skipped. ``label="OutE"``: no out-of-article information
    (``error_free["OutE"] == 1``) vs every sentence has it (``0``); partial
    values skipped. The score of a summary is the ``aggregate`` of its
    sentences' support.
    """
    name = "frank XSum support" if label == "faithful" else "frank XSum OutE (info not in article)"
    data = TaskData(name)
    skipped = multi = 0
    for document, summ, report in _frank_xsum_reports(checker, limit, settings):
        if label == "faithful":
            target = {"all_sentences_faithful": True, "all_sentences_unfaithful": False}.get(summ["label"])
        else:
            flag = summ["error_free"].get("OutE")
            target = {1.0: True, 0.0: False}.get(flag) if flag is not None else None
        if target is None:
            skipped += 1
            continue
        supports = [s.support for s in report.summary_sentences]
        multi += len(supports) > 1
        score = _agg(supports, aggregate)
        parts = _passage_texts(report)
        unit = Unit(tuple(summ["summary_sentences"]), document, parts, parts)
        data.add(score, target, report.support_threshold, unit)
    data.notes.append(f"{skipped} summaries skipped (mixed or partial label)")
    data.notes.append(f"{multi} summaries have several sentences (score = {aggregate} over them)")
    return data


def finesure_faithfulness(
    checker: Checker, *, limit: int | None = None, settings: Settings | None = None
) -> TaskData:
    """Sentence support on FineSurE's faithfulness samples (FRANK CNN/DM summaries).

    The dataset's sentences are checked together, one per paragraph; each
    maps to the checker's sentences that start inside it (the lowest support
    if it was split). A dataset sentence with no checker sentence is checked
    on its own.
    """
    data = TaskData("finesure sentence support")
    recs = finesure_records("faithfulness")[:limit]
    joined = [_join(r["summary_sentences"]) for r in recs]
    reports = check_chunked(
        checker,
        [(r["document"], text) for r, (text, _) in zip(recs, joined, strict=True)],
        settings=settings,
        what="finesure",
    )
    split = alone = 0
    for rec, (_, spans), report in zip(recs, joined, reports, strict=True):
        for sentence, (a, b), error in zip(
            rec["summary_sentences"], spans, rec["sentence_error_majority"], strict=True
        ):
            own = [s for s in report.summary_sentences if a <= s.start < b]
            if not own:
                alone += 1
                own = list(checker.check(rec["document"], sentence, settings=settings).summary_sentences)
            split += len(own) > 1
            score = _agg([s.support for s in own], "min")
            parts = _passage_texts(report)
            unit = Unit((sentence,), rec["document"], parts, parts)
            data.add(score, error == 0, report.support_threshold, unit)
    data.notes.append(f"{len(recs)} summaries")
    if split or alone:
        data.notes.append(f"{split} sentences split by the checker (min), {alone} checked alone")
    return data


TASKS: dict[str, Callable[..., TaskData]] = {
    "legal": legal_sections,
    "realsumm": realsumm_facts,
    "frank": frank_support,
    "frank-oute": lambda checker, **kw: frank_support(checker, label="OutE", **kw),
    "finesure": finesure_faithfulness,
}


# --- table ---------------------------------------------------------------

FOOTNOTES = """\
Definitions. AUROC: probability that a positive unit outscores a negative one (ties count half), pooled over
all units of a row. Balanced accuracy: mean of the true-positive and true-negative rates of the checker's own
decision at its default thresholds (covered: score >= coverage_threshold; supported: support >=
support_threshold, all sentences of a unit), with no tuning per dataset.
- legal: unit = a labelled section; checker = best score of the passages starting in it. Baselines compare
  the section text with the summary. Note: the shipped verifier was fitted on this task, among others,
  so its balanced accuracy here is in-sample.
- realsumm: unit = a reference fact (SCU); checker = coverage score of the fact checked as one passage of a
  document made of the facts. Baselines compare the fact with the system summary.
- frank / frank-oute / finesure: unit = a summary (FRANK XSum) or a summary sentence (FineSurE); checker = its
  support (lowest over the sentences of a unit). Baselines compare each sentence with the article.
Baselines (benchmarks/baselines.py; the checker's own encoder, rows L2-normalised):
- unigram F1: F1 of lower-cased word-token multisets (regex \\w+, each CJK character a token). Coverage: unit
  vs the whole summary. Support: the best F1 of the sentence against any one document passage (the
  checker's passages).
- naive cosine: cosine of the unit's embedding with ONE embedding of the whole other text (the whole summary
  for coverage, the whole document for support), truncated by the model at its max_seq_length.
- best cosine: the highest cosine between the unit and any piece of the other text: each summary sentence
  (the checker's split) for coverage, each document passage (the checker's passages) for support.
Units with several sentences score the minimum over their sentences in every method."""


@dataclass(frozen=True)
class Row:
    """One table row: AUROCs by method and the checker's balanced accuracy."""

    task: TaskData
    aurocs: dict[str, float]
    balanced_accuracy: float


def evaluate(task: TaskData, cache: EmbeddingCache) -> Row:
    """Score the baselines on ``task`` and compute its AUROCs and balanced accuracy."""
    methods = {"project": task.scores} | baseline_scores(task.units, cache)
    aurocs = {name: auroc(scores, task.labels) for name, scores in methods.items()}
    ba = balanced_accuracy([float(p) for p in task.predicted], task.labels, 0.5)
    return Row(task, aurocs, ba)


def format_table(rows: Sequence[Row]) -> str:
    """The Markdown table, the best AUROC of each row in bold."""
    methods = ("project", *BASELINES)
    head = (
        "| task | n | positives | project AUROC | "
        + " | ".join(f"{m} AUROC" for m in BASELINES)
        + " | project bal. acc. @ default |"
    )
    lines = [head, "|" + " --- |" * (len(methods) + 4)]
    for row in rows:
        shown = {m: f"{row.aurocs[m]:.3f}" for m in methods}
        best = max((v for v in shown.values() if v != "nan"), default=None)
        cells = [f"**{v}**" if v == best else v for v in shown.values()]
        n, pos = len(row.task.labels), sum(row.task.labels)
        lines.append(
            f"| {row.task.name} | {n} | {pos} | " + " | ".join(cells) + f" | {row.balanced_accuracy:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="bundled")
    parser.add_argument("--device", default="auto")
    parser.add_argument(
        "--limit", type=int, default=None, help="use only the first N records (legal: cases) per dataset"
    )
    parser.add_argument(
        "--tasks", default=",".join(TASKS), help=f"comma-separated subset of: {', '.join(TASKS)}"
    )
    parser.add_argument(
        "--systems", type=int, default=DEFAULT_SYSTEMS, help="REALSumm system summaries per document"
    )
    args = parser.parse_args(argv)
    if args.systems < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--limit and --systems must be at least 1")
    names = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in names if t not in TASKS]
    if unknown:
        parser.error(f"unknown task {unknown[0]!r}; known: {', '.join(TASKS)}")
    if not DATA_DIR.is_dir():
        print(f"skipped: the shared eval data is not at {DATA_DIR}.")
        return 0

    t0 = time.perf_counter()
    checker = Checker(args.model, device=args.device)
    cache = EmbeddingCache(checker.encoder)
    rows = []
    for name in names:
        _log(f"{name}:")
        t1 = time.perf_counter()
        extra = {"systems": args.systems} if name == "realsumm" else {}
        task = TASKS[name](checker, limit=args.limit, **extra)
        if not task.labels:
            _log(f"  {name}: no data, skipped")
            continue
        rows.append(evaluate(task, cache))
        _log(f"  {name}: {len(task.labels)} units in {time.perf_counter() - t1:.0f} s")
    if not rows:
        print(f"skipped: no evaluation files found in {DATA_DIR}.")
        return 0

    info = checker.model_info
    print(f"model: {info.name} ({info.device}, {info.dtype}, max_seq_length {info.max_seq_length})")
    used = ", ".join(f"{r.task.name} {r.task.threshold:.2f}" for r in rows if r.task.threshold is not None)
    print(f"default thresholds used: {used}" + (f"; --limit {args.limit}" if args.limit else ""))
    print()
    print(format_table(rows))
    print()
    for row in rows:
        print(f"- {row.task.name}: " + "; ".join(row.task.notes))
    print()
    print(FOOTNOTES)
    print()
    print(f"total runtime: {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
