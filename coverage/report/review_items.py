"""The flags of a report a reviewer can settle, and the headline figures once they are settled."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..score.signals import weighted_share
from .results import CoverageReport


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One flag a reviewer can settle.

    Attributes:
        flag: Its id: ``passage:N`` (uncovered passage N), ``sentence:N``
            (unsupported sentence N), ``fact:N:A-B`` (a contradicted or absent
            fact of sentence N at summary offsets A-B), ``words:N:A-B`` (marked
            words of sentence N).
        kind: ``"uncovered passage"``, ``"unsupported sentence"``,
            ``"contradicted fact"``, ``"absent fact"`` or ``"marked words"``.
        passage: The document passage it concerns (the uncovered passage, or
            the sentence's best evidence), or ``None``.
        sentence: The summary sentence it concerns, or ``None``.
        summary: One line on what was found.
    """

    flag: str
    kind: str
    passage: int | None
    sentence: int | None
    summary: str


def review_items(report: CoverageReport) -> tuple[ReviewItem, ...]:
    """Every flag of the report, uncovered passages (most important first), then sentence by sentence."""
    items: list[ReviewItem] = []
    for i in report.uncovered:
        p = report.passages[i]
        items.append(
            ReviewItem(
                f"passage:{i}",
                "uncovered passage",
                i,
                None,
                f"Not covered by the summary (P(covered) {p.score:.2f}).",
            )
        )
    unsupported = set(report.unsupported)
    for s in report.summary_sentences:
        if s.index in unsupported:
            items.append(
                ReviewItem(
                    f"sentence:{s.index}",
                    "unsupported sentence",
                    s.best_passage,
                    s.index,
                    f"Summary sentence {s.index + 1} is not supported (support {s.support:.2f}).",
                )
            )
        for m in report.mismatches:
            if m.sentence != s.index:
                continue
            said = (
                f"'{m.summary_text}' where the document says '{m.evidence_text}'"
                if m.status == "contradicted"
                else f"'{m.summary_text}' is stated nowhere in its evidence"
            )
            items.append(
                ReviewItem(
                    f"fact:{s.index}:{m.summary_start}-{m.summary_end}",
                    f"{m.status} fact",
                    m.evidence_passage if m.evidence_passage is not None else s.best_passage,
                    s.index,
                    f"Summary sentence {s.index + 1}: {said}.",
                )
            )
        for f in s.flags:
            items.append(
                ReviewItem(
                    f"words:{s.index}:{f.start}-{f.end}",
                    "marked words",
                    s.best_passage,
                    s.index,
                    f"Summary sentence {s.index + 1}: '{f.text}' ({f.reason}: {f.detail}).",
                )
            )
    return tuple(items)


@dataclass(frozen=True, slots=True)
class ReviewedFigures:
    """Headline figures as the review leaves them.

    Attributes:
        coverage: Token-weighted share of covered passages, dismissed uncovered
            passages counted as covered.
        support: Share of supported sentences, dismissed unsupported sentences
            counted as supported and sentences with a confirmed fact or
            marked-words flag as unsupported.
        open: Flags nobody has settled yet.
        confirmed: Flags confirmed.
        dismissed: Flags dismissed.
    """

    coverage: float
    support: float
    open: int
    confirmed: int
    dismissed: int


def after_review(report: CoverageReport) -> ReviewedFigures:
    """The report's coverage and support once its review is applied (see the module docstring)."""
    review = report.review
    items = review_items(report)
    decided = {item.flag: review.decision(item.flag) for item in items}
    tokens = np.array([p.tokens for p in report.passages], dtype=np.float64)
    covered = np.array(
        [
            p.covered or ((e := decided.get(f"passage:{p.index}")) is not None and e.decision == "dismissed")
            for p in report.passages
        ],
        dtype=bool,
    )
    supported = 0
    for s in report.summary_sentences:
        entry = decided.get(f"sentence:{s.index}")
        ok = s.supported or (entry is not None and entry.decision == "dismissed")
        confirmed_detail = any(
            item.sentence == s.index
            and item.kind != "unsupported sentence"
            and (e := decided.get(item.flag)) is not None
            and e.decision == "confirmed"
            for item in items
        )
        supported += ok and not confirmed_detail
    n = len(report.summary_sentences)
    entries = [e for e in decided.values() if e is not None]
    return ReviewedFigures(
        coverage=weighted_share(tokens, covered),
        support=supported / n if n else 1.0,
        open=len(items) - len(entries),
        confirmed=sum(e.decision == "confirmed" for e in entries),
        dismissed=sum(e.decision == "dismissed" for e in entries),
    )
