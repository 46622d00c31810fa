"""Reading a request into a document, a summary and settings, with the service's error statuses.

``POST /v1/check`` takes either JSON ``{"document", "summary", "settings"?}``
or a multipart upload with the files ``document`` and ``summary``
(``.txt``, ``.md``, ``.pdf``, ``.docx``) and an optional ``settings`` field
holding JSON. ``POST /v1/batch`` takes JSON lines, one pair per line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..errors import InputError, MissingExtraError
from ..inputs.files import LoadedText, load_bytes
from ..settings import Settings
from .config import ServiceConfig
from .problems import ApiError

SUFFIXES = (".txt", ".md", ".pdf", ".docx")
SETTING_NAMES = frozenset(Settings.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class CheckInput:
    """One pair to check, as read from a request.

    Attributes:
        document: The document text, or the uploaded file as loaded (a
            PDF keeps its pages and furniture; its warnings go into the report).
        summary: The summary text (may be empty), or the uploaded file.
        settings: The settings for this check (the service's limits applied).
        sources: The uploaded file names, or ``None`` for texts sent as JSON.
        warnings: What the file readers noticed (for example unaccepted
            tracked changes in a Word file); they go into the report.
    """

    document: str | LoadedText
    summary: str | LoadedText
    settings: Settings
    sources: tuple[str, str] | None = None
    warnings: tuple[str, ...] = ()


def settings_from(raw: Any, config: ServiceConfig) -> Settings:
    """Settings from a request's ``settings`` object, capped by the service's limits.

    A request may lower ``max_chars`` and ``time_budget``, never raise them.

    Raises:
        ApiError: 400 for anything but an object of known settings with valid values.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ApiError(400, "settings must be a JSON object.")
    unknown = sorted(set(raw) - SETTING_NAMES)
    if unknown:
        raise ApiError(400, f"Unknown setting {unknown[0]!r}; known: {', '.join(sorted(SETTING_NAMES))}.")
    values = dict(raw)
    try:  # a mistyped limit ("max_chars": "many") is the client's error, like any other bad value
        values["max_chars"] = min(int(values.get("max_chars") or config.max_chars), config.max_chars)
        budget = values.get("time_budget")
        values["time_budget"] = (
            config.time_budget if budget is None else min(float(budget), config.time_budget)
        )
        return Settings(**values)
    except (InputError, TypeError, ValueError) as exc:
        raise ApiError(400, f"Invalid settings: {exc}") from exc


def _text_field(data: dict[str, Any], name: str) -> str:
    if name not in data:
        raise ApiError(400, f"The field {name!r} is missing.")
    value = data[name]
    if not isinstance(value, str):
        raise ApiError(400, f"The field {name!r} must be a string, got {type(value).__name__}.")
    return value


def check_limits(document: str, summary: str, max_chars: int) -> None:
    """Raise 413 when a text is over the character limit."""
    for name, text in (("document", document), ("summary", summary)):
        if len(text) > max_chars:
            raise ApiError(413, f"The {name} has {len(text):,} characters, over the limit of {max_chars:,}.")


def from_json(body: bytes, config: ServiceConfig) -> CheckInput:
    """A :class:`CheckInput` from a JSON body.

    Raises:
        ApiError: 400 malformed JSON or fields; 413 a text over the limit.
    """
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"The body is not valid JSON ({exc.__class__.__name__}).") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object with 'document' and 'summary'.")
    unknown = sorted(set(data) - {"document", "summary", "settings"})
    if unknown:
        raise ApiError(400, f"Unknown field {unknown[0]!r}; the body takes document, summary and settings.")
    document, summary = _text_field(data, "document"), _text_field(data, "summary")
    settings = settings_from(data.get("settings"), config)
    check_limits(document, summary, settings.max_chars)
    return CheckInput(document, summary, settings)


def from_upload(name: str, data: bytes, *, summary: bool, max_chars: int, ocr: bool = False) -> LoadedText:
    """One uploaded file as loaded: its text, the reader's warnings, a PDF's pages and furniture.

    With ``ocr``, PDF pages without a text layer are read with Tesseract.

    Raises:
        ApiError: 415 for a file type other than .txt/.md/.pdf/.docx; 413 over
            the character limit; 422 an unreadable or empty file.
    """
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ApiError(415, f"{name or 'The upload'}: the file type must be one of {', '.join(SUFFIXES)}.")
    try:
        loaded = load_bytes(
            data, name, max_bytes=max(len(data), 1), max_chars=10**12, allow_empty=summary, ocr=ocr
        )
    except InputError as exc:
        raise ApiError(422, str(exc)) from exc
    except MissingExtraError as exc:  # this server cannot read PDF or Word files
        raise ApiError(415, str(exc)) from exc
    if len(loaded.text) > max_chars:
        raise ApiError(413, f"{name} has {len(loaded.text):,} characters, over the limit of {max_chars:,}.")
    return loaded
