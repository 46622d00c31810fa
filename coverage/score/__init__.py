"""Scoring: similarity signals (dense, lexical, specificity), their fusion, calibration to probabilities."""

from __future__ import annotations
