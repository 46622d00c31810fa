"""The support model's network: a cross-encoder over (evidence, claim) with three outputs.

The encoder is all-MiniLM-L6-v2's architecture (a 6-layer BERT, 384 wide),
fine-tuned here; its vocabulary and tokenizer are the bundled model's. The
head reads the ``[CLS]`` vector and the mean of the token vectors and gives
three logits, in the order of :data:`LABELS`: entailed (the evidence states
the claim), contradicted (it states the opposite or another value), neither.

The same class trains (``training/train_support.py``) and judges
(:mod:`.judge`), so the shipped weights always fit the code that reads them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LABELS", "build_network"]

LABELS: tuple[str, str, str] = ("entailed", "contradicted", "neither")
"""The judge's outputs, in the order of its logits."""


def build_network(config: Any) -> Any:
    """A fresh (random) judge network for a ``transformers.BertConfig``."""
    import torch
    from torch import nn
    from transformers import BertModel

    class JudgeNetwork(nn.Module):
        """BERT encoder + a linear head on ``[CLS]`` and the mean of the token vectors."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel(config, add_pooling_layer=False)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(2 * config.hidden_size, len(LABELS))

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            pooled = torch.cat([hidden[:, 0], mean], dim=-1)
            return self.head(self.dropout(pooled))  # type: ignore[no-any-return]

    return JudgeNetwork()
