"""Batches: many pairs in, one row per pair out; JSONL, CSV and Parquet files, resume, the Ray engine."""

from __future__ import annotations
