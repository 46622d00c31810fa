"""Batches: many pairs in, one row per pair out; JSONL, CSV and Parquet files, resume, the Ray engine."""

from __future__ import annotations

from .local import run_batch_file, score_batch
from .rows import COLUMNS, DEFAULT_CHUNK, BatchItem, BatchSummary, report_row, resolve_item, row_id

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
