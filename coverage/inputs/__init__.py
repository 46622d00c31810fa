"""Inputs: bytes or a path in, the exact text that gets checked out (text files, PDF, Word)."""

from __future__ import annotations

from .files import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, LoadedText, load_bytes, load_path
from .formats import SUPPORTED_SUFFIXES
from .text_files import decode_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CHARS",
    "SUPPORTED_SUFFIXES",
    "LoadedText",
    "decode_text",
    "load_bytes",
    "load_path",
]
