"""Score many document/summary pairs: one output row per input row, in input order.

:func:`score_batch` takes ``(document, summary)`` tuples, dicts with
``id``/``document``/``summary`` (or ``document_path``/``summary_path``), or a
pandas DataFrame with those columns. It checks the pairs in chunks, so each
chunk's unique texts are encoded in one batched pass, and a bad pair becomes
an error row for that row only. :func:`run_batch_file` streams a JSONL, CSV or
Parquet file to an output file, resumably; the CLI's ``batch`` command is a
thin wrapper around it.

Each output row (:data:`COLUMNS`):

* ``id``: the input's ``id``, or the row number (from 0) when it has none;
* ``coverage``: token-weighted share of the document the summary covers, in [0, 1];
* ``support``: share of summary sentences the document supports, in [0, 1];
* ``uncovered`` / ``unsupported``: how many passages / sentences are flagged;
* ``contradicted``: summary facts (numbers, dates, amounts ...) the document contradicts;
* ``passages`` / ``sentences``: how many were scored;
* ``model``: the model that scored the row;
* ``error``: ``None``, or one sentence saying why the row could not be scored
  (every score column is then ``None``);
* ``report``: the full JSON report (only with ``full=True``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import InputError
from ..settings import Settings
from .rows import (
    CHUNK_CHARS,
    COLUMNS,
    DEFAULT_CHUNK,
    BatchItem,
    BatchSummary,
    report_row,
    resolve_item,
    row_id,
    rows_for_chunk,
)

if TYPE_CHECKING:
    from ..checker import Checker

__all__ = [
    "COLUMNS",
    "DEFAULT_CHUNK",
    "BatchItem",
    "BatchSummary",
    "report_row",
    "resolve_item",
    "row_id",
    "run_batch_file",
    "score_batch",
]

Engine = Literal["local", "ray"]


def _chunks(items: Iterable[BatchItem], size: int, chars: int = CHUNK_CHARS) -> Iterator[list[BatchItem]]:
    """Group items into chunks of at most ``size`` items and about ``chars`` characters."""
    chunk: list[BatchItem] = []
    held = 0
    for it in items:
        chunk.append(it)
        held += len(it.document or "") + len(it.summary or "")
        if len(chunk) >= size or held >= chars:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _iter_rows(pairs: Any) -> Iterable[Any]:
    if hasattr(pairs, "to_dict") and hasattr(pairs, "columns"):  # a pandas DataFrame
        return (dict(r) for r in pairs.to_dict(orient="records"))
    return pairs  # type: ignore[no-any-return]


def score_batch(
    pairs: Any,
    *,
    checker: Checker | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    full: bool = False,
    stream: bool = False,
    engine: Engine = "local",
    base_dir: str | os.PathLike[str] | None = None,
    progress: bool | Callable[[int], None] = False,
) -> list[dict[str, Any]] | Iterator[dict[str, Any]]:
    """Score many pairs; one row per input row, in input order.

    Args:
        pairs: ``(document, summary)`` tuples, dicts with ``id``/``document``/
            ``summary`` (or ``document_path``/``summary_path``, read under
            ``base_dir``), or a pandas DataFrame with those columns.
        checker: The checker to use; default: one for ``model``.
        model: Model for a new checker (ignored when ``checker`` is given).
        settings: Thresholds and limits.
        chunk_size: Most pairs encoded together (a chunk also ends at ``CHUNK_CHARS``).
        full: Add the whole JSON report as a ``report`` column.
        stream: Return an iterator that yields rows as they are scored.
        engine: ``"local"`` (this process) or ``"ray"`` (Ray Data; needs the
            ``ray`` extra; rows come back in input order too).
        base_dir: Folder that ``*_path`` columns are read from; a path that
            leaves it is refused. Default: the working directory.
        progress: Show a tqdm bar, or a callable told how many rows are done.

    Returns:
        A list of row dicts (see the module docstring), or an iterator with ``stream=True``.
    """
    if engine == "ray":
        from .ray_engine import score_batch_ray

        rows = score_batch_ray(
            list(_iter_rows(pairs)), model=model, settings=settings, full=full, base_dir=base_dir,
            chunk_size=chunk_size,
        )  # fmt: skip
        return iter(rows) if stream else rows
    if engine != "local":
        raise InputError(f"engine must be 'local' or 'ray', got {engine!r}.")
    if checker is None:
        from ..checker import Checker

        checker = Checker(model, settings=settings)
    it = _score_iter(checker, _iter_rows(pairs), settings, chunk_size, full, base_dir, progress, None)
    return it if stream else list(it)


def _score_iter(
    checker: Checker,
    rows: Iterable[Any],
    settings: Settings | None,
    chunk_size: int,
    full: bool,
    base_dir: str | os.PathLike[str] | None,
    progress: bool | Callable[[int], None],
    total: int | None,
    skip: frozenset[str] = frozenset(),
) -> Iterator[dict[str, Any]]:
    opts = settings or checker.settings
    bar = None
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit="pair", desc="scoring", smoothing=0.1)
    items = (
        resolve_item(r, n, base_dir=base_dir, max_chars=opts.max_chars, ocr=opts.ocr)
        for n, r in enumerate(rows)
        if row_id(r, n) not in skip
    )
    try:
        for chunk in _chunks(items, max(chunk_size, 1)):
            yield from rows_for_chunk(checker, chunk, settings, full)
            if bar is not None:
                bar.update(len(chunk))
            elif callable(progress):
                progress(len(chunk))
    finally:
        if bar is not None:
            bar.close()


def run_batch_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    checker: Checker | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    full: bool = False,
    resume: bool = False,
    overwrite: bool = False,
    base_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> BatchSummary:
    """Stream ``input_path`` through the checker into ``output_path``, one flushed row at a time.

    With ``resume``, ids already in the output are skipped, so a killed run
    restarted with ``resume=True`` ends with each id exactly once.
    ``base_dir`` defaults to the input file's folder.

    Raises:
        InputError: Unknown format, missing input, or an existing output
            without ``resume``/``overwrite``.
    """
    from .row_files import RowWriter, count_rows, read_rows, read_written_rows

    start = time.perf_counter()
    columns = COLUMNS + (["report"] if full else [])
    rows = read_rows(input_path)  # raises now for a missing or unknown input
    done = frozenset(str(r["id"]) for r in read_written_rows(output_path)) if resume else frozenset()
    if checker is None:
        from ..checker import Checker

        checker = Checker(model, settings=settings)
    base = base_dir if base_dir is not None else Path(input_path).resolve().parent
    total = count_rows(input_path)
    written = errors = 0
    with RowWriter(output_path, columns, resume=resume, overwrite=overwrite) as out:
        for row in _score_iter(
            checker,
            rows,
            settings,
            chunk_size,
            full,
            base,
            progress,
            None if total is None else max(total - len(done), 0),
            done,
        ):
            out.write(row)
            written += 1
            errors += row["error"] is not None
    skipped = (total - written) if total is not None and resume else len(done)
    return BatchSummary(written, max(skipped, 0), errors, time.perf_counter() - start)
