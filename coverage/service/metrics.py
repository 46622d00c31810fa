"""Prometheus metrics of one service process, in the text exposition format (no extra dependency).

* ``summary_coverage_requests_total{endpoint, status}``: requests answered;
* ``summary_coverage_request_seconds{endpoint}``: latency histogram;
* ``summary_coverage_queue_depth``: requests admitted and not yet answered;
* ``summary_coverage_encoder_tokens_total``: model tokens scored (document + summary);
* ``summary_coverage_errors_total{kind}``: error answers by their ``code``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
"""Latency histogram bounds, in seconds."""


def _labels(**labels: str) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
    return "{" + inner + "}" if inner else ""


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Metrics:
    """Thread-safe counters and a latency histogram.

    Args:
        queue_depth: Returns the current queue depth when the metrics are rendered.
    """

    def __init__(self, queue_depth: Callable[[], int]) -> None:
        self._lock = threading.Lock()
        self._queue_depth = queue_depth
        self._requests: dict[tuple[str, int], int] = defaultdict(int)
        self._errors: dict[str, int] = defaultdict(int)
        self._buckets: dict[str, list[int]] = {}
        self._sums: dict[str, float] = defaultdict(float)
        self._counts: dict[str, int] = defaultdict(int)
        self._tokens = 0

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        """Count one answered request and its latency."""
        with self._lock:
            self._requests[(endpoint, status)] += 1
            counts = self._buckets.setdefault(endpoint, [0] * len(BUCKETS))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            self._sums[endpoint] += seconds
            self._counts[endpoint] += 1

    def error(self, kind: str) -> None:
        """Count one error answer of ``kind`` (its JSON ``code``)."""
        with self._lock:
            self._errors[kind] += 1

    def tokens(self, n: int) -> None:
        """Count model tokens scored."""
        with self._lock:
            self._tokens += int(n)

    def render(self) -> str:
        """All metrics in the Prometheus text format."""
        with self._lock:
            lines = [
                "# HELP summary_coverage_requests_total Requests answered, by endpoint and HTTP status.",
                "# TYPE summary_coverage_requests_total counter",
            ]
            for (endpoint, status), n in sorted(self._requests.items()):
                lines.append(
                    f"summary_coverage_requests_total{_labels(endpoint=endpoint, status=str(status))} {n}"
                )
            lines += [
                "# HELP summary_coverage_request_seconds Time to answer a request, by endpoint.",
                "# TYPE summary_coverage_request_seconds histogram",
            ]
            for endpoint, counts in sorted(self._buckets.items()):
                for bound, n in zip(BUCKETS, counts, strict=True):
                    labels = _labels(endpoint=endpoint, le=repr(bound))
                    lines.append(f"summary_coverage_request_seconds_bucket{labels} {n}")
                total = self._counts[endpoint]
                lines.append(
                    f"summary_coverage_request_seconds_bucket{_labels(endpoint=endpoint, le='+Inf')} {total}"
                )
                lines.append(
                    f"summary_coverage_request_seconds_sum{_labels(endpoint=endpoint)} {self._sums[endpoint]}"
                )
                lines.append(f"summary_coverage_request_seconds_count{_labels(endpoint=endpoint)} {total}")
            lines += [
                "# HELP summary_coverage_queue_depth Requests admitted and not yet answered.",
                "# TYPE summary_coverage_queue_depth gauge",
                f"summary_coverage_queue_depth {self._queue_depth()}",
                "# HELP summary_coverage_encoder_tokens_total Model tokens scored (documents and summaries).",
                "# TYPE summary_coverage_encoder_tokens_total counter",
                f"summary_coverage_encoder_tokens_total {self._tokens}",
                "# HELP summary_coverage_errors_total Error answers, by error code.",
                "# TYPE summary_coverage_errors_total counter",
            ]
            lines += [
                f"summary_coverage_errors_total{_labels(kind=k)} {n}" for k, n in sorted(self._errors.items())
            ]
        return "\n".join(lines) + "\n"
