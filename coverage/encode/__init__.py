"""Encoding: texts in, normalised vectors out.

The Encoder protocol and its length-sorted batching, model resolution and
the offline fallback, the embedding cache, the ONNX backend and the hashing
test encoder.
"""

from __future__ import annotations
