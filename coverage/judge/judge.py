"""The support judge: P(entailed), P(contradicted), P(neither) for an evidence text and a claim.

A cross-encoder trained in this project (``make train-support``;
``training/train_support.py``) from permissively licensed data: SNLI, the
licensed parts of the TRUE consistency benchmark (PAWS, SummEval, Q2, BEGIN)
and XSumFaith, plus contradictions, paraphrases and unrelated claims made by
rule from real commercial contracts (CUAD). Its weights ship inside the
package (``data/judge.safetensors``, bfloat16) with their provenance and
measured figures (``data/judge.json``). Nothing is downloaded, no remote code
runs and no pickle is read.

What the three numbers mean: reading only ``evidence``,

* ``entailed``: the chance that it states what the claim says (a paraphrase
  counts: "end" for "terminate", "30 days" for "thirty (30) days");
* ``contradicted``: the chance that it states the opposite or another value
  (a negated or weakened obligation, swapped parties, another number or
  place);
* ``neither``: it says nothing either way about the claim.

They sum to 1. The judge reads English; its base model has no Chinese
training, so :func:`reads` says which texts it can judge, and the checker
leaves the others to its other signals (and says so in the report).

The model is read-only once loaded (``torch.inference_mode``, eval mode), so
one judge can serve many threads.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelLoadError
from .model import LABELS, build_network

__all__ = ["JudgeInfo", "SupportJudge", "judge_unavailable_reason", "load_judge", "reads"]

MAX_LENGTH = 256
"""Most tokens of one (evidence, claim) input; the judge's windows are cut to fit it, never truncated."""

MEMO_SIZE = 20_000
"""Most (evidence, claim) readings remembered per judge (about 1 MB), oldest dropped first."""

CLAIM_TOKENS = 96
"""Most tokens of the claim inside one input; a longer claim's tail is cut (reported by the checker)."""

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def reads(text: str) -> bool:
    """Whether the judge can read ``text``: English (or any Latin-script text), not Chinese.

    A text where more than one character in ten is a CJK ideograph is left to
    the checker's other signals.
    """
    letters = sum(ch.isalpha() for ch in text)
    return not letters or len(_CJK.findall(text)) <= 0.1 * letters


@dataclass(frozen=True, slots=True)
class JudgeInfo:
    """What judged: for the report's ``model`` section and the provenance file."""

    name: str
    base: str
    dtype: str
    device: str
    trained: str
    languages: tuple[str, ...] = ("en",)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {
            "name": self.name,
            "base": self.base,
            "dtype": self.dtype,
            "device": self.device,
            "trained": self.trained,
            "languages": list(self.languages),
        }


def _data_file(name: str) -> Path:
    return Path(str(resources.files(__package__).joinpath("data", name)))


def provenance() -> dict[str, Any]:
    """The shipped weights' provenance (``data/judge.json``): data, licences, settings, figures."""
    path = _data_file("judge.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def judge_unavailable_reason() -> str | None:
    """Why the shipped judge cannot load here (its weights missing), or ``None`` when it can."""
    if not _data_file("judge.safetensors").is_file() or not _data_file("judge.json").is_file():
        return "the judge's weights (summary_coverage/judge/data/judge.safetensors) are not installed"
    return None


class SupportJudge:
    """The trained judge, loaded once; :meth:`probabilities` is thread-safe.

    Args:
        network: The judge network (:func:`.model.build_network`) with its weights.
        tokenizer: The bundled model's tokenizer.
        info: What is running.
    """

    def __init__(self, network: Any, tokenizer: Any, info: JudgeInfo) -> None:
        self._net = network
        self._tok = tokenizer
        self.info = info
        self._lock = threading.Lock()  # tokenizers' fast backend is not safe to call from many threads
        self._memo: dict[tuple[str, str], np.ndarray] = {}  # (evidence, claim) -> probabilities, oldest first

    def forget(self) -> None:
        """Drop every remembered reading (benchmarks time the judge's real work with it)."""
        with self._lock:
            self._memo.clear()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word-piece tokens of each text, without special tokens."""
        if not texts:
            return []
        with self._lock:
            ids = self._tok(list(texts), add_special_tokens=False)["input_ids"]
        return [len(i) for i in ids]

    def probabilities(self, pairs: Sequence[tuple[str, str]], *, batch_size: int = 16) -> np.ndarray:
        """``(n, 3)`` probabilities (entailed, contradicted, neither) for ``(evidence, claim)`` pairs.

        Pairs are run longest first in batches and returned in input order.
        An evidence text longer than the input is cut at its end; the checker
        gives the judge windows that fit (:mod:`.windows`), so that happens
        only when a caller passes longer text.
        """
        import torch

        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float64)
        if not pairs:
            return out
        with self._lock:
            known = {i: self._memo[p] for i, p in enumerate(pairs) if p in self._memo}
        for i, row in known.items():
            out[i] = row
        todo = [i for i in range(len(pairs)) if i not in known]
        order = sorted(todo, key=lambda i: -(len(pairs[i][0]) + len(pairs[i][1])))
        for k in range(0, len(order), batch_size):
            idx = order[k : k + batch_size]
            with self._lock:
                claims = [self._clip_claim(pairs[i][1]) for i in idx]
                enc = self._tok(
                    [pairs[i][0] for i in idx],
                    claims,
                    truncation="only_first",
                    max_length=MAX_LENGTH,
                    padding=True,
                    return_tensors="pt",
                )
            with torch.inference_mode():
                logits = self._net(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
                probs = torch.softmax(logits.float(), dim=-1).numpy()
            out[idx] = probs
        with self._lock:  # a re-check (one summary sentence edited) reads the others from here
            for i in order:
                self._memo[pairs[i]] = out[i].copy()
            while len(self._memo) > MEMO_SIZE:
                self._memo.pop(next(iter(self._memo)))
        return out

    def _clip_claim(self, claim: str) -> str:
        ids = self._tok(claim, add_special_tokens=False)["input_ids"]
        if len(ids) <= CLAIM_TOKENS:
            return claim
        return str(self._tok.decode(ids[:CLAIM_TOKENS]))


@lru_cache(maxsize=2)
def load_judge(dtype: str = "auto") -> SupportJudge:
    """Load the shipped judge (once per dtype) on the CPU.

    Args:
        dtype: ``"float32"``, ``"bfloat16"`` or ``"auto"`` (bfloat16 where the
            CPU has bf16 instructions, else float32).

    Raises:
        ModelLoadError: The weights are missing or do not fit the network.
    """
    from safetensors.torch import load_file

    from ..encode.models import cpu_supports_bf16

    reason = judge_unavailable_reason()
    if reason is not None:
        raise ModelLoadError(f"The support judge cannot run: {reason}.")
    if dtype == "auto":
        dtype = "bfloat16" if cpu_supports_bf16() else "float32"
    if dtype not in ("float32", "bfloat16"):
        raise ModelLoadError(f"The support judge runs in float32 or bfloat16, not {dtype!r}.")
    meta = provenance()
    info = JudgeInfo(
        name="summary-coverage support judge",
        base=str(meta.get("base", "all-MiniLM-L6-v2")),
        dtype=dtype,
        device="cpu",
        trained=f"{meta.get('date', '?')}, {meta.get('data', {}).get('pairs', '?')} pairs",
    )
    return judge_from_weights(load_file(str(_data_file("judge.safetensors"))), info)


def judge_from_weights(weights: Mapping[str, Any], info: JudgeInfo) -> SupportJudge:
    """A judge on the CPU in ``info.dtype`` from a network state dict (the shipped weights, or a run's).

    Raises:
        ModelLoadError: The weights do not fit the network.
    """
    import torch
    from transformers import AutoTokenizer, BertConfig

    from ..encode.models import bundled_model_path

    base = bundled_model_path()
    net = build_network(BertConfig.from_json_file(str(base / "config.json")))
    result = net.load_state_dict({k: v.float() for k, v in weights.items()}, strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise ModelLoadError(
            "The support judge's weights do not fit its network "
            f"(missing {len(result.missing_keys)}, unexpected {len(result.unexpected_keys)} tensors)."
        )
    net.to(getattr(torch, info.dtype))
    net.eval()
    return SupportJudge(net, AutoTokenizer.from_pretrained(str(base)), info)
