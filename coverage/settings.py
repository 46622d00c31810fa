"""Checker settings and the per-model default thresholds.

Scores are cosine similarities clipped to [0, 1]; how high "the same content"
scores depends on the model (bge-m3 puts unrelated text near 0.4 and
paraphrases above 0.7, MiniLM spreads both lower). So each model has its own
default thresholds. The MiniLM values were measured on real data by
``benchmarks/thresholds.py`` (see the README); a model without measured
values uses :data:`GENERIC_THRESHOLDS` and the report says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .errors import InputError

DeviceName = Literal["auto", "cpu", "cuda", "mps"]
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda", "mps")

SIGNALS: tuple[str, ...] = ("dense", "specificity")
"""Names of the similarity signals the checker computes."""

DEFAULT_MAX_CHARS = 2_000_000
"""Longest document text accepted, in characters (about 300,000 words)."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Coverage and support thresholds for one model.

    Attributes:
        coverage: A passage counts as covered when its best similarity to
            any summary sentence is at least this.
        support: A summary sentence counts as supported when its best
            similarity to any passage is at least this.
        source: Where the values come from, shown in the report.
    """

    coverage: float
    support: float
    source: str


MODEL_THRESHOLDS: dict[str, Thresholds] = {
    # Measured: benchmarks/thresholds.py on legal_plain_english (balanced
    # accuracy optimum, rounded to 0.05). See README "Choosing thresholds".
    "sentence-transformers/all-MiniLM-L6-v2": Thresholds(
        coverage=0.35,
        support=0.45,
        source="measured on legal_plain_english (benchmarks/thresholds.py)",
    ),
    # Not measurable on the build machine (no hub access). Provisional values
    # from bge-m3's score range; re-measure with
    # `python benchmarks/thresholds.py --model BAAI/bge-m3`.
    "BAAI/bge-m3": Thresholds(
        coverage=0.55,
        support=0.60,
        source="provisional for bge-m3, not yet measured (benchmarks/thresholds.py)",
    ),
}

GENERIC_THRESHOLDS = Thresholds(
    coverage=0.50,
    support=0.50,
    source="generic default: no thresholds measured for this model; set them explicitly",
)


def thresholds_for(model_name: str) -> Thresholds:
    """Return the default thresholds for a model id (or local folder name)."""
    if model_name in MODEL_THRESHOLDS:
        return MODEL_THRESHOLDS[model_name]
    tail = model_name.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1].lower()
    for name, value in MODEL_THRESHOLDS.items():
        if name.rsplit("/", 1)[-1].lower() == tail:
            return value
    return GENERIC_THRESHOLDS


@dataclass(frozen=True, slots=True)
class Settings:
    """Options for one check. All fields are optional.

    Attributes:
        coverage_threshold: Override the model's default coverage threshold
            (0 to 1). ``None`` uses the measured per-model default.
        support_threshold: Override the model's default support threshold.
        max_passage_tokens: Cap on passage length in model tokens. ``None``
            uses the model's ``max_seq_length``; larger values are lowered to
            it, because the model would otherwise truncate.
        max_chars: Longest document accepted, in characters.
        batch_size: Texts per encoder batch.
        signal_weights: Exponents of the log-linear signal fusion, by signal
            name (``"dense"``, ``"specificity"``); ``None`` uses
            :data:`~summary_coverage.score.DEFAULT_WEIGHTS`. Weight 0 turns a
            signal off: ``{"specificity": 0}`` scores by plain cosine.

    Raises:
        InputError: An option is out of range.
    """

    coverage_threshold: float | None = None
    support_threshold: float | None = None
    max_passage_tokens: int | None = None
    max_chars: int = DEFAULT_MAX_CHARS
    batch_size: int = 32
    signal_weights: Mapping[str, float] | None = None

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
        if self.max_chars < 1:
            raise InputError(f"max_chars must be positive, got {self.max_chars}.")
        if self.batch_size < 1:
            raise InputError(f"batch_size must be positive, got {self.batch_size}.")

    def resolve(self, model_name: str) -> tuple[float, float, str]:
        """Return ``(coverage_threshold, support_threshold, source)`` for a model."""
        default = thresholds_for(model_name)
        cov = default.coverage if self.coverage_threshold is None else self.coverage_threshold
        sup = default.support if self.support_threshold is None else self.support_threshold
        overridden = self.coverage_threshold is not None or self.support_threshold is not None
        source = "set by the user" if overridden else default.source
        return float(cov), float(sup), source

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as plain JSON types."""
        out = asdict(self)
        out["signal_weights"] = None if self.signal_weights is None else dict(self.signal_weights)
        return out
