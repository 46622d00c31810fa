"""A reviewer's decisions on a report's flags: confirmed or dismissed, with a note.

Every flag a report raises can be settled by a person: an uncovered
passage, an unsupported sentence, a contradicted or absent fact, the marked
words of a sentence. :func:`~.review_items.review_items` lists them, each with a stable id
built from the report's own indices and offsets (so the same check gives the
same ids), and a :class:`Review` holds the decisions. The review travels
with the report (``CoverageReport.review``, the ``"review"`` field of the
JSON, absent or empty in reports written before it), so a saved report
reopens with its review.

"After review" figures (:func:`~.review_items.after_review`) read the decisions as a
reviewer means them: a dismissed uncovered passage counts as covered, a
dismissed unsupported sentence as supported, and a confirmed fact or
marked-words flag makes its sentence unsupported, whatever its score.

Example:
    >>> review = Review().decide("passage:3", "dismissed", note="boilerplate, fine to omit")
    >>> review.decision("passage:3").note
    'boilerplate, fine to omit'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from ..errors import InputError

Decision = Literal["confirmed", "dismissed"]
DECISIONS: tuple[str, ...] = ("confirmed", "dismissed")
NOTE_CHARS = 2_000
"""Longest note kept, in characters."""


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One decision on one flag.

    Attributes:
        flag: The flag's id (see :func:`~.review_items.review_items`), e.g. ``"passage:12"``.
        decision: ``"confirmed"`` (the flag is right) or ``"dismissed"`` (it is not).
        note: The reviewer's words, plain text (escaped wherever it is shown).
        at: When it was decided, ISO 8601 in UTC.
    """

    flag: str
    decision: str
    note: str = ""
    at: str = ""

    def to_dict(self) -> dict[str, str]:
        """Plain JSON types."""
        return {"flag": self.flag, "decision": self.decision, "note": self.note, "at": self.at}


@dataclass(frozen=True, slots=True)
class Review:
    """The decisions taken on a report's flags, one per flag, in the order they were taken."""

    entries: tuple[ReviewEntry, ...] = ()

    def decision(self, flag: str) -> ReviewEntry | None:
        """The decision on ``flag``, or ``None`` while it is open."""
        for entry in self.entries:
            if entry.flag == flag:
                return entry
        return None

    def decide(self, flag: str, decision: str, *, note: str = "", at: str | None = None) -> Review:
        """A review with ``flag`` settled (replacing an earlier decision on it).

        Raises:
            InputError: ``decision`` is neither ``"confirmed"`` nor ``"dismissed"``,
                or the flag id is empty.
        """
        if decision not in DECISIONS:
            raise InputError(f"A decision is 'confirmed' or 'dismissed', not {decision!r}.")
        if not flag:
            raise InputError("A decision needs the id of the flag it settles.")
        stamp = at if at is not None else datetime.now(timezone.utc).isoformat(timespec="seconds")
        entry = ReviewEntry(flag, decision, note[:NOTE_CHARS], stamp)
        return Review(tuple(e for e in self.entries if e.flag != flag) + (entry,))

    def reopen(self, flag: str) -> Review:
        """A review with any decision on ``flag`` taken back."""
        return Review(tuple(e for e in self.entries if e.flag != flag))

    def to_list(self) -> list[dict[str, str]]:
        """Plain JSON types: one object per decision."""
        return [e.to_dict() for e in self.entries]

    @classmethod
    def from_list(cls, data: Sequence[Mapping[str, Any]] | None) -> Review:
        """Read :meth:`to_list` output; ``None`` (a report from before reviews) is an empty review.

        Raises:
            InputError: An entry is not an object with a flag id and a known decision.
        """
        review = cls()
        for raw in data or ():
            if not isinstance(raw, Mapping) or not isinstance(raw.get("flag"), str):
                raise InputError("Each review entry must be an object with a 'flag' id.")
            note = raw.get("note", "")
            review = review.decide(
                raw["flag"],
                str(raw.get("decision")),
                note=note if isinstance(note, str) else "",
                at=str(raw.get("at", "")),
            )
        return review
