"""Rows, shared by both batch engines: resolving an input row, and the output row of each pair.

:func:`rows_for_chunk` checks one chunk of pairs with a :class:`Checker` and
returns one output row per item, in order, with an error row for a pair that
could not be scored; the local engine (:mod:`.local`) and the Ray engine
(:mod:`.ray_engine`) both call it, so their rows are the same.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CoverageError, InputError
from ..inputs.files import load_path
from ..settings import Settings

if TYPE_CHECKING:
    from ..checker import Checker
    from ..report.results import CoverageReport

COLUMNS = [
    "id", "coverage", "support", "uncovered", "unsupported", "contradicted", "judge_contradicted", "passages",
    "sentences", "model", "error",
]  # fmt: skip
DEFAULT_CHUNK = 256
"""Most pairs checked together: their unique texts are encoded in one batched pass."""

CHUNK_CHARS = 400_000
"""A chunk also ends once its documents and summaries reach this many characters
(about 100k tokens), so long documents come in small chunks and short ones in
large chunks. The encoder sorts each chunk's texts by length; a larger chunk
pads less (200 short pairs: 6.6 s in chunks of 64 against 5.9 s in one pass)."""


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One input row, resolved: its id and texts, or why it cannot be scored.

    Attributes:
        id: The row's ``id`` (as a string), or its row number.
        document: The document text (``None`` when ``error`` is set).
        summary: The summary text (``None`` when ``error`` is set).
        error: One sentence saying what is wrong with the row, or ``None``.
    """

    id: str
    document: str | None
    summary: str | None
    error: str | None = None


def _inside(base: Path, value: str) -> Path:
    """``value`` as a path under ``base``; a path that leaves ``base`` is refused."""
    base = base.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(base):
        raise InputError(f"The path {value!r} is outside the allowed base directory {str(base)!r}.")
    return target


def _text(
    row: Mapping[str, Any], name: str, base: Path, max_chars: int, allow_empty: bool, ocr: bool = False
) -> str:
    value = row.get(name)
    path = row.get(f"{name}_path")
    if value is not None and not (isinstance(value, float) and math.isnan(value)):
        if not isinstance(value, str):
            raise InputError(f"The {name} column must hold text, got {type(value).__name__}.")
        return value
    if path is not None and path != "":
        if not isinstance(path, str):
            raise InputError(f"The {name}_path column must hold a path, got {type(path).__name__}.")
        return load_path(_inside(base, path), max_chars=max_chars, allow_empty=allow_empty, ocr=ocr).text
    raise InputError(f"The row has no {name!r} or {name + '_path'!r} value.")


def row_id(row: Any, n: int) -> str:
    """A row's id: its ``id`` value as a string, or its row number when it has none."""
    raw = row.get("id") if isinstance(row, Mapping) else None
    return str(n) if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw)


def resolve_item(
    row: Any, n: int, *, base_dir: str | os.PathLike[str] | None = None, max_chars: int, ocr: bool = False
) -> BatchItem:
    """Turn one input row (tuple, dict or parse error) into a :class:`BatchItem`; never raises.

    With ``ocr``, ``*_path`` PDFs without a text layer are read with Tesseract.
    """
    base = Path(base_dir) if base_dir is not None else Path.cwd()
    if isinstance(row, InputError):
        return BatchItem(str(n), None, None, str(row))
    if isinstance(row, tuple | list):
        if len(row) != 2:
            return BatchItem(str(n), None, None, f"A pair must be (document, summary), got {len(row)} items.")
        row = {"document": row[0], "summary": row[1]}
    if not isinstance(row, Mapping):
        return BatchItem(str(n), None, None, f"A row must be a pair or a mapping, got {type(row).__name__}.")
    rid = row_id(row, n)
    try:
        document = _text(row, "document", base, max_chars, allow_empty=False, ocr=ocr)
        summary = _text(row, "summary", base, max_chars, allow_empty=True, ocr=ocr)
    except (InputError, OSError) as exc:
        return BatchItem(rid, None, None, _sentence(exc))
    return BatchItem(rid, document, summary)


def _sentence(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text if isinstance(exc, CoverageError) else f"{exc.__class__.__name__}: {text}"


def report_row(rid: str, report: CoverageReport, *, full: bool = False) -> dict[str, Any]:
    """The output row for a scored pair (see the module docstring)."""
    row: dict[str, Any] = {
        "id": rid,
        "coverage": round(report.coverage, 6),
        "support": round(report.support, 6),
        "uncovered": len(report.uncovered),
        "unsupported": len(report.unsupported),
        "contradicted": sum(m.status == "contradicted" for m in report.mismatches),
        "judge_contradicted": sum(s.contradicted_by is not None for s in report.summary_sentences),
        "passages": len(report.passages),
        "sentences": len(report.summary_sentences),
        "model": report.model.name,
        "error": None,
    }
    if full:
        row["report"] = report.to_json(indent=None)
    return row


def _error_row(rid: str, error: str, model: str, full: bool) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(id=rid, model=model, error=error)
    if full:
        row["report"] = None
    return row


def rows_for_chunk(
    checker: Checker,
    items: list[BatchItem],
    settings: Settings | None,
    full: bool,
    *,
    on_report: Callable[[CoverageReport], None] | None = None,
) -> list[dict[str, Any]]:
    """Score one chunk; a pair that fails becomes an error row and the others are still scored.

    ``on_report`` is called with each report made (the service counts its tokens).
    """
    model = checker.model_info.name
    if not full:  # the rows show no flags, so the judge's blamed words would be read and dropped
        settings = dataclasses.replace(settings or checker.settings, blame=False)
    good = [it for it in items if it.error is None]
    by_id: dict[int, dict[str, Any]] = {}
    try:
        results = checker.check_each(
            [(it.document or "", it.summary or "") for it in good], settings=settings
        )
        for it, res in zip(good, results, strict=True):
            by_id[id(it)] = (
                _error_row(it.id, _sentence(res), model, full)
                if isinstance(res, Exception)
                else report_row(it.id, res, full=full)
            )
            if on_report is not None and not isinstance(res, Exception):
                on_report(res)
    except Exception:  # the time budget ran out, or the encoder failed: score them one by one
        for it in good:
            try:
                rep = checker.check(it.document or "", it.summary or "", settings=settings)
                by_id[id(it)] = report_row(it.id, rep, full=full)
                if on_report is not None:
                    on_report(rep)
            except Exception as exc:
                by_id[id(it)] = _error_row(it.id, _sentence(exc), model, full)
    return [by_id[id(it)] if it.error is None else _error_row(it.id, it.error, model, full) for it in items]


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a file batch run did.

    Attributes:
        written: Rows written by this run.
        skipped: Input rows skipped because ``--resume`` found them already written.
        errors: Rows of this run that are error rows.
        seconds: Wall time of this run.
    """

    written: int
    skipped: int
    errors: int
    seconds: float
