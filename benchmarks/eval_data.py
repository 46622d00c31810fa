"""Load the shared, human-labelled evaluation sets from ../shared/eval/data at run time.

The data is never copied into the project (licences); scripts that need it
print a message and exit 0 when the folder is absent.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(
    os.environ.get(
        "SUMMARY_COVERAGE_EVAL", Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "data"
    )
)


def data_path(name: str) -> Path | None:
    """Return the path of a shared eval file, or None when it is absent."""
    path = (DATA_DIR / name).resolve()
    return path if path.is_file() else None


def read_jsonl(path: Path) -> Iterator[dict]:
    """Yield the records of a JSONL file."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True)
class LegalCase:
    """One document with a summary made of a random half of its section summaries.

    Attributes:
        doc_id: The record id plus the repetition number.
        document: The full document (section texts joined by blank lines).
        summary: The chosen sections' human summaries, one per line.
        section_spans: (start, end) of each labelled section in ``document``.
        included: Whether each section's summary is part of ``summary``.
        foreign: Summary sentences taken from another document (support negatives).
    """

    doc_id: str
    document: str
    summary: str
    section_spans: tuple[tuple[int, int], ...]
    included: tuple[bool, ...]
    foreign: tuple[str, ...]


def legal_cases(min_sections: int = 3, repeats: int = 3, seed: int = 13) -> list[LegalCase]:
    """Build the legal section-coverage task described in issue 4.

    The documents with at least ``min_sections`` sections are each taken
    ``repeats`` times, with the summaries of a random half of their sections
    as the summary. For the support task, two section summaries from another
    document are kept aside as unsupported candidates.
    """
    path = data_path("legal_plain_english.jsonl")
    if path is None:
        return []
    records = [r for r in read_jsonl(path) if r["n_sections"] >= min_sections]
    rng = random.Random(seed)
    cases = []
    for rep in range(repeats):
        for rec in records:
            sections = rec["sections"]
            spans, pos = [], 0
            for sec in sections:
                spans.append((pos, pos + len(sec["text"])))
                pos += len(sec["text"]) + 2
            k = len(sections) // 2
            chosen = set(rng.sample(range(len(sections)), k))
            summary = "\n".join(sections[i]["summary"] for i in sorted(chosen))
            other = rng.choice([r for r in records if r["id"] != rec["id"]])
            foreign = tuple(s["summary"] for s in rng.sample(other["sections"], 2))
            cases.append(
                LegalCase(
                    doc_id=f"{rec['id']}#{rep}",
                    document=rec["document"],
                    summary=summary,
                    section_spans=tuple(spans),
                    included=tuple(i in chosen for i in range(len(sections))),
                    foreign=foreign,
                )
            )
    return cases


def records(name: str) -> list[dict]:
    """All records of a shared eval file, or ``[]`` when the file is absent."""
    path = data_path(name)
    return [] if path is None else list(read_jsonl(path))


def realsumm_records() -> list[dict]:
    """REALSumm: documents, reference facts (``scus``) and per-system ``scu_present`` labels."""
    return records("realsumm_scu_coverage.jsonl")


def frank_records(dataset: str | None = None) -> list[dict]:
    """FRANK documents with their judged system summaries; ``dataset`` keeps ``"xsum"`` or ``"cnndm"``."""
    return [r for r in records("frank_factuality.jsonl") if dataset is None or r["dataset"] == dataset]


def finesure_records(task: str | None = None) -> list[dict]:
    """FineSurE samples; ``task`` keeps ``"faithfulness"`` or ``"keyfact"``."""
    return [r for r in records("finesure_samples.jsonl") if task is None or r["task"] == task]
