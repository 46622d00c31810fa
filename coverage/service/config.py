"""What one service process is configured with (``summary-coverage serve`` options)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..inputs.files import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS

DEFAULT_QUEUE = 8
"""Requests admitted at once (running or waiting for the encoder); the next one gets 429."""

DEFAULT_TIME_BUDGET = 120.0
"""Seconds one check may take before it answers 504."""


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """Options of one service process.

    Attributes:
        host: Interface to listen on; loopback by default.
        port: TCP port.
        model: Model for the checker (``None``: the default, bge-m3 or the
            bundled fallback; ``"bundled"``: MiniLM).
        device: Checker device.
        dtype: Checker number format.
        backend: ``torch``, ``onnx`` (int8 on the CPU) or ``auto`` (whichever is
            measured faster here with the same vectors; see :mod:`..encode.backends`).
        workers: Server processes, each with its own model.
        queue_size: Requests admitted at once (running or waiting); more answer 429.
        time_budget: Seconds a check may take; over it, 504. A request's own
            ``settings.time_budget`` may only lower it.
        max_body_bytes: Largest request body; larger ones answer 413 before
            the body is read.
        max_chars: Longest document or summary, in characters; longer: 413.
        api_key_file: File holding the bearer token that ``/v1/*`` and
            ``/metrics`` require, or ``None`` for no authentication. The
            file's path travels to worker processes, never the token.
        cors_origins: Origins allowed by CORS; none by default (no CORS headers).
        log_level: ``debug``, ``info``, ``warning`` or ``error``.
        retry_after: Seconds suggested to a client that got 429.
        cache: Keep the library's in-memory embedding cache (texts seen
            before are not encoded again; up to 256 MB).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    model: str | None = None
    device: str = "auto"
    dtype: str = "auto"
    backend: str = "torch"
    workers: int = 1
    queue_size: int = DEFAULT_QUEUE
    time_budget: float = DEFAULT_TIME_BUDGET
    max_body_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = DEFAULT_MAX_CHARS
    api_key_file: str | None = None
    cors_origins: tuple[str, ...] = ()
    log_level: str = "info"
    retry_after: int = 1
    cache: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise InputError(f"--port must be between 1 and 65535, got {self.port}.")
        for name in ("workers", "queue_size", "max_body_bytes", "max_chars", "retry_after"):
            if getattr(self, name) < 1:
                raise InputError(f"{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}.")
        if not self.time_budget > 0:
            raise InputError(f"--time-budget must be positive, got {self.time_budget}.")
        if self.backend not in ("torch", "onnx", "auto"):
            raise InputError(f"--backend must be torch, onnx or auto, got {self.backend!r}.")
        if self.log_level not in ("debug", "info", "warning", "error"):
            raise InputError(f"--log-level must be debug, info, warning or error, got {self.log_level!r}.")

    def to_json(self) -> str:
        """The configuration as JSON (handed to worker processes through the environment)."""
        data = asdict(self)
        data["cors_origins"] = list(self.cors_origins)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> ServiceConfig:
        """Rebuild from :meth:`to_json`."""
        data: dict[str, Any] = json.loads(text)
        data["cors_origins"] = tuple(data.get("cors_origins") or ())
        return cls(**data)


def read_api_key(path: str | Path) -> str:
    """The bearer token in a file (surrounding whitespace dropped).

    Raises:
        InputError: The file cannot be read or is empty.
    """
    try:
        key = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"The API key file {path} cannot be read ({exc.__class__.__name__}).") from exc
    if not key:
        raise InputError(f"The API key file {path} is empty.")
    return key
