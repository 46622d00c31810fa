"""Token counting, the one thing segmentation needs from a model.

Passages must fit the model's maximum sequence length, measured in the
model's own tokens. Segmentation stays pure by taking any object that
satisfies :class:`TokenCounter`; the sentence-transformers encoder provides
one backed by its tokenizer, and :class:`ApproximateTokenCounter` is a
model-free stand-in for tests and for segmenting without a model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class TokenCounter(Protocol):
    """Counts a model's tokens and locates them in the text."""

    @property
    def special_tokens(self) -> int:
        """Number of special tokens (e.g. [CLS], [SEP]) added to every sequence."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Return the token count of each text, special tokens included."""
        ...

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Return the ``(start, end)`` character span of each token of ``text``.

        Special tokens are excluded; spans are sorted and lie within ``text``.
        """
        ...


_APPROX_TOKEN = re.compile(
    r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]+"
)


class ApproximateTokenCounter:
    """Model-free token counter: one token per word, and per CJK character.

    It undercounts subword tokenizers, so use it only when no model is at
    hand (tests, quick segmentation previews).
    """

    special_tokens = 2

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Return the approximate token count of each text, plus 2 specials."""
        return [len(_APPROX_TOKEN.findall(t)) + self.special_tokens for t in texts]

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Return the character span of each approximate token."""
        return [m.span() for m in _APPROX_TOKEN.finditer(text)]
