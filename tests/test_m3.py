"""bge-m3's dense, lexical and multi-vector outputs, checked against FlagEmbedding's formulas.

bge-m3 cannot be downloaded here, so a tiny random-weight XLM-RoBERTa is built
in bge-m3's exact file layout (``benchmarks/random_m3.py``, loaded by path).

FlagEmbedding's ``BGEM3FlagModel`` installs from PyPI without CUDA packages
(1.4.2 with accelerate, datasets, peft, ir-datasets), but does not import with
transformers 5 (``ModuleNotFoundError: transformers.modeling_attn_mask_utils``
from its package ``__init__``). The reference below is therefore its formulas,
written out from its source, and run on ``transformers.AutoModel`` directly
(not through sentence-transformers, which the code under test uses):

* ``FlagEmbedding/finetune/embedder/encoder_only/m3/modeling.py``:
  ``_dense_embedding`` (CLS, then ``normalize``), ``_sparse_embedding``
  (``torch.relu(self.sparse_linear(hidden_state))``), ``_colbert_embedding``
  (``colbert_linear(last_hidden_state[:, 1:]) * mask[:, 1:][:, :, None]``, then
  ``normalize(dim=-1)`` in the inference forward);
* ``FlagEmbedding/inference/embedder/encoder_only/m3.py``:
  ``_process_token_weights`` (drop the ids of ``cls_token``, ``eos_token``,
  ``pad_token``, ``unk_token`` from ``special_tokens_map``; keep ``w > 0``;
  max per id), ``_process_colbert_vecs`` (``colbert_vecs[:tokens_num - 1]``),
  ``compute_lexical_matching_score`` and ``colbert_score``
  (``einsum('in,jn->ij')``, max over the passage, sum / query length).
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summary_coverage import Checker, CoverageReport
from summary_coverage.encode.m3 import M3Encoder, token_weights, unused_token_ids
from summary_coverage.encode.models import load_encoder, resolve_device
from summary_coverage.errors import InputError, ModelLoadError
from summary_coverage.score import m3 as m3_scores

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "The Provider shall pay the Customer within thirty (30) days.",
    "Fees fees fees: the fees are due, and the fees are final.",
    "服务商应当在三十日内向客户付款。",
    "a",
    "Either party may terminate this Agreement on ninety days' written notice to the other party, "
    "and the Customer shall pay all fees accrued up to the date of termination.",
]


def _random_m3() -> Any:
    spec = importlib.util.spec_from_file_location("random_m3", ROOT / "benchmarks" / "random_m3.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(_random_m3().build(tmp_path_factory.mktemp("bge-m3-tiny"), "tiny"))


@pytest.fixture(scope="module")
def encoder(tiny: Path) -> M3Encoder:
    enc = load_encoder(str(tiny), device="cpu", dtype="float32")
    assert isinstance(enc, M3Encoder)
    return enc


class Reference:
    """FlagEmbedding's bge-m3 inference, one text at a time, on transformers' AutoModel."""

    def __init__(self, folder: Path) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.model = AutoModel.from_pretrained(str(folder)).eval()
        hidden = self.model.config.hidden_size
        self.sparse_linear = torch.nn.Linear(hidden, 1)
        self.colbert_linear = torch.nn.Linear(hidden, hidden)
        self.sparse_linear.load_state_dict(torch.load(folder / "sparse_linear.pt", weights_only=True))
        self.colbert_linear.load_state_dict(torch.load(folder / "colbert_linear.pt", weights_only=True))

    def encode(self, text: str) -> tuple[np.ndarray, dict[str, float], np.ndarray]:
        torch = self.torch
        inputs = self.tokenizer([text], return_tensors="pt", truncation=True, max_length=8192)
        with torch.no_grad():
            last = self.model(**inputs, return_dict=True).last_hidden_state
            dense = torch.nn.functional.normalize(last[:, 0], dim=-1)
            sparse = torch.relu(self.sparse_linear(last))
            colbert = self.colbert_linear(last[:, 1:]) * inputs["attention_mask"][:, 1:][:, :, None].float()
            colbert = torch.nn.functional.normalize(colbert, dim=-1)
        # _process_token_weights
        result: dict[str, float] = defaultdict(int)
        unused = set()
        for name in ["cls_token", "eos_token", "pad_token", "unk_token"]:
            if name in self.tokenizer.special_tokens_map:
                unused.add(self.tokenizer.convert_tokens_to_ids(self.tokenizer.special_tokens_map[name]))
        for w, idx in zip(
            sparse.squeeze(-1)[0].numpy(), inputs["input_ids"][0].numpy().tolist(), strict=True
        ):
            if idx not in unused and w > 0 and w > result[str(idx)]:
                result[str(idx)] = float(w)
        # _process_colbert_vecs
        tokens_num = int(np.sum(inputs["attention_mask"][0].numpy()))
        return dense[0].numpy(), dict(result), colbert[0].numpy()[: tokens_num - 1]

    @staticmethod
    def lexical_score(a: dict[str, float], b: dict[str, float]) -> float:
        return sum(w * b[t] for t, w in a.items() if t in b)

    @staticmethod
    def colbert_score(q: np.ndarray, p: np.ndarray) -> float:
        token_scores = np.einsum("in,jn->ij", q, p)
        return float(token_scores.max(-1).sum() / q.shape[0])


@pytest.fixture(scope="module")
def reference(tiny: Path) -> Reference:
    return Reference(tiny)


def test_layout_is_bge_m3s(tiny: Path) -> None:
    for name in (
        "config.json", "pytorch_model.bin", "tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
        "config_sentence_transformers.json", "1_Pooling/config.json", "sparse_linear.pt", "colbert_linear.pt",
    ):  # fmt: skip
        assert (tiny / name).is_file(), name


def test_special_token_ids_come_from_the_tokenizer(encoder: M3Encoder) -> None:
    tok = encoder.model.tokenizer
    ids = {tok.cls_token_id, tok.eos_token_id, tok.pad_token_id, tok.unk_token_id}
    assert unused_token_ids(tok) == ids
    assert ids == {0, 2, 4, 5}  # the tiny tokenizer's; XLM-R's constants would be {0, 1, 2, 3}
    out = encoder.encode_multi(TEXTS)
    assert all(not (set(d) & ids) for d in out.lexical)


def test_dense_lexical_and_multivector_equal_the_reference(encoder: M3Encoder, reference: Reference) -> None:
    out = encoder.encode_multi(TEXTS, batch_size=2)  # padded batches, longest first
    refs = [reference.encode(t) for t in TEXTS]
    for i, (dense, weights, colbert) in enumerate(refs):
        np.testing.assert_allclose(out.dense[i], dense, atol=1e-5)
        assert {str(k): v for k, v in out.lexical[i].items()} == pytest.approx(weights, abs=1e-5)
        assert out.multivector[i].shape == colbert.shape
        np.testing.assert_allclose(out.multivector[i], colbert, atol=1e-5)
    lexical = m3_scores.lexical_scores(list(out.lexical), list(out.lexical))
    colbert = m3_scores.multivector_scores(list(out.multivector), list(out.multivector))
    for i in range(len(TEXTS)):
        for j in range(len(TEXTS)):
            assert lexical[i, j] == pytest.approx(Reference.lexical_score(refs[i][1], refs[j][1]), abs=1e-5)
            # colbert[p, q]: query q's tokens matched in passage p
            assert colbert[j, i] == pytest.approx(Reference.colbert_score(refs[i][2], refs[j][2]), abs=1e-5)
    assert np.allclose(encoder.encode(TEXTS), out.dense)


def test_a_passage_of_8192_tokens_is_encoded_whole(encoder: M3Encoder, reference: Reference) -> None:
    words = " ".join(f"clause{i % 97} obligation{i % 13}" for i in range(6000))
    n = encoder.count_tokens([words])[0]
    while n > 8192:
        words = words[: int(len(words) * 8100 / n)]
        n = encoder.count_tokens([words])[0]
    assert 7000 < n <= 8192
    out = encoder.encode_multi([words, "a short one"])
    assert out.multivector[0].shape[0] == n - 1  # every token after CLS, none cut
    dense, _, colbert = reference.encode(words)
    np.testing.assert_allclose(out.dense[0], dense, atol=1e-5)
    np.testing.assert_allclose(out.multivector[0][-5:], colbert[-5:], atol=1e-5)


def test_the_checker_uses_all_three_outputs(tiny: Path, contract: str, faithful_summary: str) -> None:
    checker = Checker(str(tiny), device="cpu", dtype="float32")
    report = checker.check(contract, faithful_summary)
    assert report.settings["lexical_channel"] == "bge-m3-sparse"
    assert report.settings["multivector_channel"] == "bge-m3-colbert"
    assert report.model.dtype == "float32"
    assert {"multivector", "multivector_z"} <= set(report.signal_matrices)
    sent = report.summary_sentences[0]
    assert "multivector" in sent.signals
    assert all(0.0 <= p.score <= 1.0 for p in report.passages)
    assert all(
        s.supported == (s.support >= report.settings["support_threshold"]) for s in report.summary_sentences
    )
    again = CoverageReport.from_json(report.to_json())
    assert again.settings["multivector_channel"] == "bge-m3-colbert"
    # the lexical channel is bge-m3's share, not the term overlap
    enc = checker.encoder
    assert isinstance(enc, M3Encoder)
    p_text = report.passages[sent.best_passage or 0].text
    multi = enc.encode_multi([p_text, sent.text])
    share = m3_scores.lexical_share([multi.lexical[0]], [multi.lexical[1]])[0, 0]
    assert report.signal_matrices["lexical"][sent.best_passage or 0, 0] == pytest.approx(share, abs=1e-6)


def test_bfloat16_is_recorded_and_vectors_stay_normalised(tiny: Path) -> None:
    enc = load_encoder(str(tiny), device="cpu", dtype="bfloat16")
    assert enc.info.dtype == "bfloat16"
    vecs = enc.encode(TEXTS)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_unknown_or_wrong_dtypes_are_refused() -> None:
    with pytest.raises(InputError, match="dtype must be one of"):
        resolve_device("cpu", "int4")
    with pytest.raises(InputError, match="for GPUs"):
        resolve_device("cpu", "float16")
    assert resolve_device("cpu", "float32") == ("cpu", "float32")


def test_a_head_of_the_wrong_shape_is_a_clear_load_error(tiny: Path, tmp_path: Path) -> None:
    import shutil

    import torch

    broken = tmp_path / "broken"
    shutil.copytree(tiny, broken)
    torch.save(torch.nn.Linear(7, 1).state_dict(), broken / "sparse_linear.pt")
    with pytest.raises(ModelLoadError, match="heads"):
        load_encoder(str(broken), device="cpu", dtype="float32")


def test_token_weights_keep_the_largest_weight_per_id() -> None:
    got = token_weights(
        np.array([0.5, 0.9, 0.0, 0.2, 0.7], dtype=np.float32), np.array([7, 7, 8, 1, 9]), frozenset({1})
    )
    assert got == pytest.approx({7: 0.9, 9: 0.7})


_weights = st.dictionaries(st.integers(0, 30), st.floats(0.01, 3.0), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(_weights, min_size=1, max_size=5), st.lists(_weights, min_size=1, max_size=5))
def test_lexical_scores_are_the_sum_of_shared_products(
    rows: list[dict[int, float]], cols: list[dict[int, float]]
) -> None:
    got = m3_scores.lexical_scores(rows, cols)
    for i, a in enumerate(rows):
        for j, b in enumerate(cols):
            assert got[i, j] == pytest.approx(sum(w * b[t] for t, w in a.items() if t in b), abs=1e-9)


def _unit_rows(seed: int, n: int) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, 6)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 9), min_size=1, max_size=5),
    st.lists(st.integers(0, 12), min_size=1, max_size=6),
    st.integers(1, 64),
    st.integers(0, 1000),
)
def test_multivector_scores_match_colbert_score_under_any_memory_budget(
    q_lens: list[int], p_lens: list[int], cells: int, seed: int
) -> None:
    queries = [_unit_rows(seed + i, n) for i, n in enumerate(q_lens)]
    passages = [_unit_rows(seed + 100 + i, n) for i, n in enumerate(p_lens)]
    old = m3_scores._CELLS
    m3_scores._CELLS = cells * 8192  # tiny budgets force many blocks
    try:
        got = m3_scores.multivector_scores(queries, passages)
    finally:
        m3_scores._CELLS = old
    for p, pv in enumerate(passages):
        for q, qv in enumerate(queries):
            want = Reference.colbert_score(qv, pv) if len(qv) and len(pv) else 0.0
            assert got[p, q] == pytest.approx(want, abs=1e-5)


# --- bge-m3 on ONNX Runtime int8 (issue 25) ------------------------------------------------------


@pytest.fixture(scope="module")
def onnx_m3(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    pytest.importorskip(
        "onnxruntime", reason="the ONNX backend needs the onnx extra: pip install -e '.[onnx]'"
    )
    from summary_coverage.encode.onnx_backend import load_onnx_encoder

    return load_onnx_encoder(str(tiny), cache_dir=tmp_path_factory.mktemp("onnx-m3"))


def test_onnx_m3_gives_all_three_outputs_like_the_torch_model(onnx_m3: Any, encoder: M3Encoder) -> None:
    """The int8 pass reproduces the float32 model's dense vectors, lexical weights and multi-vectors."""
    from summary_coverage.encode.m3 import MultiEncoder
    from summary_coverage.encode.onnx_backend import OnnxM3Encoder

    assert isinstance(onnx_m3, OnnxM3Encoder) and isinstance(onnx_m3, MultiEncoder)
    assert not isinstance(encoder, OnnxM3Encoder)
    ours, ref = onnx_m3.encode_multi(TEXTS, batch_size=2), encoder.encode_multi(TEXTS)
    assert (ours.dense * ref.dense).sum(axis=1).min() >= 0.97
    for a, b, text in zip(ours.multivector, ref.multivector, TEXTS, strict=True):
        assert a.shape == b.shape, text  # one row per real token after CLS, EOS included
        assert (a * b).sum(axis=1).min() >= 0.95, text
        np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    for a, b in zip(ours.lexical, ref.lexical, strict=True):
        shared = set(a) & set(b)
        assert all(w > 0 for w in a.values())
        # The same tokens carry weight (a weight near 0 may cross it) and the weights agree.
        assert len(shared) >= 0.8 * max(len(a), len(b))
        assert max((abs(a[k] - b[k]) for k in shared), default=0.0) <= 0.05 * max(b.values(), default=0.0)
        assert not set(a) & unused_token_ids(encoder.model.tokenizer)
    # The scores the checker computes from them keep their order.
    lex_ours = m3_scores.lexical_scores(ours.lexical[:3], ours.lexical)
    lex_ref = m3_scores.lexical_scores(ref.lexical[:3], ref.lexical)
    assert np.array_equal(lex_ours.argmax(axis=1), lex_ref.argmax(axis=1))
    np.testing.assert_allclose(onnx_m3.encode(TEXTS), ours.dense, atol=0.02)


def test_onnx_m3_reads_from_the_cache_without_torch(onnx_m3: Any, tiny: Path, monkeypatch) -> None:
    from summary_coverage.encode import onnx_backend

    folder = onnx_m3.model_path.parent
    meta = json.loads((folder / onnx_backend.META_FILE).read_text(encoding="utf-8"))
    assert meta["heads"] is True and meta["pooling"] == "cls" and meta["fused"].get("Attention") == 2
    assert meta["checks"]["min_multivector_cosine"] >= 0.9 and meta["checks"]["min_lexical_cosine"] >= 0.9

    def no_torch(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("loaded the torch model although the export is cached")

    monkeypatch.setattr("summary_coverage.encode.models.load_encoder", no_torch)
    again = onnx_backend.load_onnx_encoder(str(tiny), cache_dir=folder.parent.parent)
    assert type(again) is type(onnx_m3) and not again.exported
    assert again.info == onnx_m3.info and again.info.dtype == "int8"
    # Texts are read whole up to MAX_TOKENS (attention memory); the checker splits longer passages.
    assert again.info.max_seq_length == min(8192, onnx_backend.MAX_TOKENS)
    a, b = again.encode_multi(TEXTS[:2]), onnx_m3.encode_multi(TEXTS[:2])
    np.testing.assert_allclose(a.dense, b.dense, atol=1e-6)


def test_checker_on_onnx_m3_uses_the_heads(onnx_m3: Any, encoder: M3Encoder) -> None:
    document = (ROOT / "sample_docs" / "services_agreement.md").read_text(encoding="utf-8")
    document = document[: document.index("## 5.")]
    summary = "The Provider shall deliver the Services. Invoices are payable within thirty (30) days."
    ours = Checker(onnx_m3, cache=False).check(document, summary)
    ref = Checker(encoder, cache=False).check(document, summary)
    assert ours.settings["lexical_channel"] == "bge-m3-sparse"
    assert ours.settings["multivector_channel"] == "bge-m3-colbert"
    assert ours.model.name.endswith("+onnx-int8") and ours.model.dtype == "int8"
    assert [p.text for p in ours.passages] == [p.text for p in ref.passages]
    assert len(ours.summary_sentences) == len(ref.summary_sentences) == 2


# --- half precision from a copy in its final dtype (issue 25) -------------------------------------


def test_a_large_float32_checkpoint_loads_in_bf16_from_a_copy_made_once(
    tiny: Path, tmp_path: Path, monkeypatch
) -> None:
    """The copy holds the cast values, so the model computes the same numbers; later loads reuse it."""
    import torch
    from safetensors import safe_open

    from summary_coverage.encode import half_copy

    original = load_encoder(str(tiny), device="cpu", dtype="bfloat16")  # below MIN_BYTES: no copy
    assert not any(tmp_path.iterdir())
    monkeypatch.setenv(half_copy.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(half_copy, "MIN_BYTES", 0)  # the tiny model stands in for bge-m3's 2.3 GB
    copied = load_encoder(str(tiny), device="cpu", dtype="bfloat16")
    (copy,) = [p.parent for p in tmp_path.rglob(half_copy._DONE)]
    with safe_open(str(copy / "model.safetensors"), framework="pt") as handle:
        assert {handle.get_tensor(k).dtype for k in handle.keys()} == {torch.bfloat16}  # noqa: SIM118
    assert (copy / "sparse_linear.pt").exists() and not (copy / "pytorch_model.bin").exists()
    assert isinstance(copied, M3Encoder) and copied.info == original.info  # same name, dtype, heads
    assert Path(copied.model[0].auto_model.config._name_or_path) == copy  # read from the copy
    a, b = copied.encode_multi(TEXTS), original.encode_multi(TEXTS)
    np.testing.assert_array_equal(a.dense, b.dense)
    assert a.lexical == b.lexical
    made = (copy / half_copy._DONE).stat().st_mtime_ns
    load_encoder(str(tiny), device="cpu", dtype="bfloat16")
    assert (copy / half_copy._DONE).stat().st_mtime_ns == made  # reused, not written again
    # float32 never uses a copy; a read-only cache falls back to the float32 weights.
    assert half_copy.half_precision_folder(tiny, "float32") is None
    monkeypatch.setattr(half_copy, "_write_copy", lambda *a: (_ for _ in ()).throw(OSError("read-only")))
    assert half_copy.half_precision_folder(tiny, "float16", cache_dir=tmp_path / "ro") is None
