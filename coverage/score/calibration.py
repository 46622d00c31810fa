"""Calibrated scores: map raw similarities to probabilities, per model.

Raw similarities mean different things per model (bge-m3 clusters between
0.6 and 1.0, MiniLM spreads lower), so a fixed threshold on them does not
transfer. Each model gets two logistic (Platt) maps, fitted on real
human-labelled data by ``benchmarks/calibrate.py`` and shipped as data in
``data/calibration.json``:

* coverage: ``P(passage is covered) = sigmoid(a * fused + b)``, fitted on
  legal_plain_english passages whose section summary is, or is not, in the
  summary (class-balanced);
* support: ``P(sentence is supported) = sigmoid(a * hybrid + b)`` at the
  sentence's best passage, fitted on its own summary sentences against
  sentences of another document.

So the default threshold 0.5 means "more likely covered (supported) than
not" for every calibrated model. A model without fitted parameters uses the
bundled model's and the report says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..encode.models import BUNDLED_MODEL
from ..settings import DEFAULT_THRESHOLD, Settings

REFERENCE_MODEL = BUNDLED_MODEL


@dataclass(frozen=True, slots=True)
class Platt:
    """A logistic map ``sigmoid(a * x + b)`` from a raw score to a probability."""

    a: float
    b: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = np.clip(self.a * np.asarray(x, dtype=np.float64) + self.b, -50.0, 50.0)
        return 1.0 / (1.0 + np.exp(-z))

    def inverse(self, p: float) -> float:
        """The raw score that maps to probability ``p``."""
        return (float(np.log(p / (1.0 - p))) - self.b) / self.a


@dataclass(frozen=True, slots=True)
class Calibration:
    """The coverage and support maps of one model, and where they come from."""

    model: str
    coverage: Platt
    support: Platt
    source: str


def fit_platt(scores: np.ndarray, labels: np.ndarray, *, balanced: bool = True, iters: int = 100) -> Platt:
    """Fit ``sigmoid(a * x + b)`` by Newton's method on the (class-balanced) logistic loss.

    Class balancing makes 0.5 the point where both errors weigh the same,
    whatever the share of positives in the fitting data.
    """
    x = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    pos = max(float(y.sum()), 1.0)
    neg = max(float(len(y) - y.sum()), 1.0)
    w = np.where(y > 0.5, len(y) / (2 * pos), len(y) / (2 * neg)) if balanced else np.ones_like(y)
    X = np.stack([x, np.ones_like(x)], axis=1)
    theta = np.zeros(2)
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ theta, -50, 50)))
        grad = X.T @ (w * (p - y)) + 1e-6 * theta
        hess = (X * (w * p * (1 - p))[:, None]).T @ X + 1e-6 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    return Platt(float(theta[0]), float(theta[1]))


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data/calibration.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _entry(model: str, data: dict[str, Any]) -> Calibration:
    e = data[model]
    return Calibration(
        model=model,
        coverage=Platt(**e["coverage"]),
        support=Platt(**e["support"]),
        source=f"calibrated on {e['fitted_on']}",
    )


def calibration_for(model_name: str) -> Calibration:
    """The calibration of a model (hub id or folder), or the reference model's with a note."""
    data = _table()
    if model_name in data:
        return _entry(model_name, data)
    base, plus, backend = model_name.partition("+")
    if plus and base:  # an export of a calibrated model, e.g. "...MiniLM-L6-v2+onnx-int8"
        found = calibration_for(base)
        if not found.source.startswith("not calibrated"):
            return Calibration(
                model=model_name,
                coverage=found.coverage,
                support=found.support,
                source=f"{found.source} (fitted on {base}; applied to its {backend} export)",
            )
    tail = model_name.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1].lower()
    for name in data:
        if name.rsplit("/", 1)[-1].lower() == tail:
            return _entry(name, data)
    ref = _entry(REFERENCE_MODEL, data)
    return Calibration(
        model=model_name,
        coverage=ref.coverage,
        support=ref.support,
        source=f"not calibrated for this model: using the calibration of {REFERENCE_MODEL} "
        "(fit one with benchmarks/calibrate.py)",
    )


def resolve_thresholds(settings: Settings, model_name: str) -> tuple[float, float, str]:
    """Return ``(coverage_threshold, support_threshold, source)`` for a check with ``model_name``.

    The thresholds are the user's when set, else 0.5 on the calibrated scale;
    ``source`` says which, or which calibration the model's scores use.
    """
    cov = DEFAULT_THRESHOLD if settings.coverage_threshold is None else settings.coverage_threshold
    sup = DEFAULT_THRESHOLD if settings.support_threshold is None else settings.support_threshold
    overridden = settings.coverage_threshold is not None or settings.support_threshold is not None
    source = "set by the user" if overridden else calibration_for(model_name).source
    return float(cov), float(sup), source
