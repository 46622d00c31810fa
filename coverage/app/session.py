"""What the dashboard shares between sessions: the checker factory and a result cache.

Reports are immutable, so one cached report can serve every session that
asks for the same (document, summary, model, settings); each session keeps
only its own UI state.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable

from ..checker import Checker, StageCallback
from ..report.language import say
from ..report.results import CoverageReport
from ..settings import Settings

BACKEND_ENV = "SUMMARY_COVERAGE_BACKEND"
"""``torch`` (default), ``onnx`` or ``auto``: the backend the dashboard loads its model with
(``SUMMARY_COVERAGE_BACKEND=auto make app``); see :mod:`summary_coverage.encode.backends`."""


def make_checker(model: str | None) -> Checker:
    """Build the checker for a model (the dashboard caches the result; tests replace this).

    Raises:
        InputError: ``$SUMMARY_COVERAGE_BACKEND`` names no backend (the dashboard shows the sentence).
    """
    backend = os.environ.get(BACKEND_ENV, "").strip() or "torch"
    if backend == "torch":
        return Checker(model or None)
    from ..encode.backends import load_backend

    encoder, _ = load_backend(model or None, backend)  # the report's model says what ran, and why
    return Checker(encoder)


def result_key(document: str, summary: str, model: str | None, settings: Settings) -> str:
    """A key that changes whenever the texts, the model or a setting changes."""
    h = hashlib.sha256()
    for part in (document, "\x00", summary, "\x00", model or "", "\x00"):
        h.update(part.encode("utf-8", "surrogatepass"))
    h.update(json.dumps(settings.to_dict(), sort_keys=True).encode())
    return h.hexdigest()


class ResultCache:
    """A thread-safe LRU of reports, computed once per key even under concurrent requests.

    Args:
        maxsize: Reports kept; the least recently used is dropped first.
    """

    def __init__(self, maxsize: int = 32) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[str, CoverageReport] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: str) -> CoverageReport | None:
        """Return the cached report for a key, or ``None``."""
        with self._lock:
            report = self._items.get(key)
            if report is not None:
                self._items.move_to_end(key)
            return report

    def get_or_compute(self, key: str, compute: Callable[[], CoverageReport]) -> CoverageReport:
        """Return the cached report, or compute it once (other callers for the same key wait)."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            found = self.get(key)
            if found is not None:
                return found
            try:
                report = compute()
                with self._lock:
                    self._items[key] = report
                    self._items.move_to_end(key)
                    while len(self._items) > self.maxsize:
                        self._items.popitem(last=False)
            finally:
                with self._lock:
                    self._key_locks.pop(key, None)
            return report


def stage_fraction(stage: str, done: int, total: int, lang: str = "en") -> tuple[float, str]:
    """Map a checker progress event to (overall fraction, label) for a progress bar.

    Reading takes 0-5%, segmenting 5-10%, embedding 10-75%, scoring 75-80%,
    the support judge 80-97%, writing the report the rest.
    """
    spans = {
        "reading": (0.0, 0.05),
        "segmenting": (0.05, 0.10),
        "embedding": (0.10, 0.75),
        "scoring": (0.75, 0.80),
        "judging": (0.80, 0.97),
        "reporting": (0.97, 1.0),
    }
    lo, hi = spans.get(stage, (0.0, 1.0))
    frac = lo + (hi - lo) * (done / total if total else 1.0)
    labels = {
        "reading": say(lang, "Reading…"),
        "segmenting": say(lang, "Segmenting…"),
        "scoring": say(lang, "Scoring…"),
        "judging": say(lang, "Judging…"),
        "reporting": say(lang, "Reporting…"),
    }
    label = (
        say(lang, "Embedding {done}/{total} texts", done=done, total=total)
        if stage == "embedding"
        else labels.get(stage, f"{stage.capitalize()}…")
    )
    return min(max(frac, 0.0), 1.0), label


__all__ = ["ResultCache", "StageCallback", "make_checker", "result_key", "stage_fraction"]
