"""Scoring: similarity signals, evidence, and the verifier that turns them into probabilities."""

from __future__ import annotations
