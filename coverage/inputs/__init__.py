"""Inputs: bytes or a path in, the exact text that gets checked out (text files, PDF, Word)."""

from __future__ import annotations
