"""The review desk's table: one row per flag, a decision and a note, and back to a Review.

The dashboard shows the flags of a report (:func:`~summary_coverage.report.review_items.review_items`)
in one editable table: the reviewer picks ``confirmed`` or ``dismissed`` (or
leaves ``open``) and may write a note. These functions turn a report and its
review into the table's rows and the edited rows back into a review, so the
page holds no logic of its own and the round trip is tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..report.results import CoverageReport
from ..report.review import Review
from ..report.review_items import review_items

OPEN = "open"
CHOICES: tuple[str, ...] = (OPEN, "confirmed", "dismissed")


def review_rows(report: CoverageReport) -> list[dict[str, Any]]:
    """One row per flag: its id, kind, what was found, where, the decision and the note."""
    rows = []
    for item in review_items(report):
        entry = report.review.decision(item.flag)
        page = None if item.passage is None else report.passages[item.passage].page
        rows.append(
            {
                "flag": item.flag,
                "kind": item.kind,
                "finding": item.summary,
                "page": page,
                "decision": OPEN if entry is None else entry.decision,
                "note": "" if entry is None else entry.note,
            }
        )
    return rows


def review_from_rows(rows: Sequence[Mapping[str, Any]], previous: Review) -> Review:
    """The review the edited rows describe; unchanged decisions keep their time stamp.

    A row left ``open`` (or with an unknown decision) takes back any earlier
    decision on its flag. A note without a decision is kept only once a
    decision is taken.
    """
    review = previous
    for row in rows:
        flag = str(row.get("flag", ""))
        decision = str(row.get("decision") or OPEN)
        note = row.get("note")
        note = "" if note is None or note != note else str(note)  # NaN from an emptied cell
        if not flag:
            continue
        if decision not in CHOICES[1:]:
            review = review.reopen(flag)
            continue
        before = previous.decision(flag)
        if before is not None and before.decision == decision and before.note == note:
            continue
        review = review.decide(flag, decision, note=note)
    return review
