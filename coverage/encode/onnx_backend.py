"""An opt-in CPU encoder on ONNX Runtime with int8 weights.

The sentence-transformers model's transformer is exported once to ONNX with
``torch.onnx.export`` (the TorchScript exporter; no ``optimum``), its
attention, GELU and layer norms are fused with ONNX Runtime's transformer
optimizer (BERT-family models: BERT, RoBERTa, XLM-RoBERTa), its weight
matrices are quantised to int8 with ONNX Runtime's dynamic quantisation, and
the result is cached on disk with the tokenizer (and bge-m3's two heads).
Later loads read only the cache: the torch model is not loaded again, so a
bge-m3-sized model loads in well under its float32 size.

bge-m3 (a model folder with ``sparse_linear`` and ``colbert_linear``) gives an
:class:`OnnxM3Encoder`: the dense vector, the lexical weights and the
multi-vectors from one int8 pass, the heads computed in float32 exactly as
:class:`~summary_coverage.encode.m3.M3Encoder` computes them. Its texts are read
whole up to :data:`MAX_TOKENS` tokens (attention memory grows with the square
of a text's length); the checker splits longer passages, and the report's
``max_passage_tokens`` says so.

What the vectors mean: the same embedding as the model's sentence-transformers
pipeline (transformer, then the model's own pooling, then L2 normalisation),
computed with int8 weight matrices and activations quantised per batch. On
the bundled all-MiniLM-L6-v2 the vectors keep a cosine of about 0.99 with
the float32 ones (0.98 or more on every sample-contract passage), and
encoding is faster on a CPU (``benchmarks/bench_onnx.py`` measures both).

Recipe (ONNX Runtime's dynamic quantisation for transformer models):

* only ``MatMul`` nodes with constant weights are quantised, per output
  channel (``per_channel=True``); embeddings, layer norms and the attention
  products stay float32. Per-tensor weights, or quantised embedding look-ups,
  drop the cosine to about 0.93 on MiniLM;
* weights are signed int8 without ``reduce_range`` (7-bit weights lowered
  the worst cosine from 0.988 to 0.978 on the sample contract); on x86 CPUs
  with AVX2 but no VNNI, ONNX Runtime's u8s8 kernels can saturate, which
  costs some accuracy there;
* activations are quantised with one scale per batch, so a text's vector
  shifts slightly (cosine about 0.99) with the texts it is batched with;
  results are not bit-identical across batchings, unlike float32.

Cache layout: ``<cache root>/<model slug>/<key>/model.int8.onnx`` (and
``model.int8.onnx.data`` over 2 GB), ``export.json``, ``tokenizer/`` and, for
bge-m3, ``heads.safetensors``, where the root is ``cache_dir``, else the
environment variable ``SUMMARY_COVERAGE_ONNX_DIR``, else
``~/.cache/summary-coverage/onnx``. The key hashes the model name,
``max_seq_length``, the model folder's files (names, sizes, small files whole,
a strided sample of large ones; a sample of the weights when the folder is
unknown) and the recipe version, so another model, another sequence limit or
retrained weights export afresh. Each export is written in
a temporary folder beside its final place and renamed into it in one step,
so a killed export never leaves a half-written model where a later load
would find it.

Install with ``pip install 'summary-coverage[onnx]'`` (onnxruntime, onnx).

Example:
    >>> from summary_coverage import Checker  # doctest: +SKIP
    >>> from summary_coverage.encode.onnx_backend import load_onnx_encoder  # doctest: +SKIP
    >>> encoder = load_onnx_encoder("bundled")  # the first call exports: seconds  # doctest: +SKIP
    >>> encoder.info.name, encoder.info.dtype  # doctest: +SKIP
    ('sentence-transformers/all-MiniLM-L6-v2+onnx-int8', 'int8')
    >>> report = Checker(encoder).check(contract_text, summary_text)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import MissingExtraError, ModelLoadError
from .encoder import (
    ModelInfo,
    ProgressCallback,
    SentenceTransformerEncoder,
    TokenizerTokens,
    encode_by_length,
)
from .folders import folder_digest as _folder_digest
from .m3 import (
    BatchOutputs,
    M3Encoder,
    M3Heads,
    MultiEncoding,
    encode_multi_by_length,
    per_text,
    unused_token_ids,
)

if TYPE_CHECKING:
    import onnxruntime

__all__ = [
    "CACHE_ENV",
    "NAME_SUFFIX",
    "POOLING_MODES",
    "OnnxEncoder",
    "OnnxM3Encoder",
    "default_cache_dir",
    "load_onnx_encoder",
]

logger = logging.getLogger(__name__)

CACHE_ENV = "SUMMARY_COVERAGE_ONNX_DIR"
"""Environment variable that overrides the default cache root."""

NAME_SUFFIX = "+onnx-int8"
"""Appended to the model name in :class:`ModelInfo`, so reports say which backend scored."""

POOLING_MODES = ("mean", "cls", "max")
"""Pooling modes of a sentence-transformers ``Pooling`` module that this backend reproduces."""

RECIPE_VERSION = 2
"""Bump when the export or quantisation settings change, so old caches are rebuilt.

2: attention, GELU and layer norms fused before quantisation (the fused
attention is quantised too); tokenizer and heads stored with the export."""

MODEL_FILE = "model.int8.onnx"
META_FILE = "export.json"
TOKENIZER_DIR = "tokenizer"
HEADS_FILE = "heads.safetensors"

MAX_TOKENS = 2048
"""Longest text the int8 model reads in one piece. ONNX Runtime's fused CPU attention holds a
(heads x length x length) float32 matrix per text: 268 MB for bge-m3 at 2,048 tokens, 4.3 GB at
8,192. Longer passages are split by the checker (their pieces are all scored)."""

TOKENS_PER_CALL = 512
"""Padded tokens per ONNX Runtime call (at most ``batch_size`` texts). Small batches stay in the CPU
caches: on the sample contract (153 texts, 2 cores) the bundled MiniLM took 648 / 501 / 393 ms with
no budget / 2,048 / 512 tokens (min cosine to float32 0.988 / 0.988 / 0.986), and a bge-m3-sized
model 12.4 / 7.5 / 5.5 s with 8,192 / 2,048 / 512."""

FUSABLE_TYPES = frozenset({"bert", "roberta", "xlm-roberta"})
"""Model types whose attention ONNX Runtime's BERT optimizer fuses (others are quantised unfused)."""
OPSET = 17
_STALE_TMP_SECONDS = 3600.0
_INSTALL_HINT = "the ONNX backend needs onnxruntime and onnx: pip install 'summary-coverage[onnx]'."


def default_cache_dir() -> Path:
    """Return the cache root: ``$SUMMARY_COVERAGE_ONNX_DIR`` or ``~/.cache/summary-coverage/onnx``."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "summary-coverage" / "onnx"


def _slug(name: str) -> str:
    """A folder name for a model id or path: ``BAAI/bge-m3`` -> ``baai--bge-m3``."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower().replace("/", "--")).strip("-.")
    return slug[-80:] or "model"


def _import_onnxruntime() -> Any:
    try:
        import onnxruntime
    except ImportError as exc:
        raise MissingExtraError(f"onnxruntime is not installed; {_INSTALL_HINT}") from exc
    return onnxruntime


@dataclass(frozen=True, slots=True)
class _Pipeline:
    """What the sentence-transformers pipeline does around the transformer."""

    pooling: str
    prompt: str
    lower_case: bool


def _pooling_mode(module: Any) -> str:
    """Read the pooling mode from a ``Pooling`` module (new and legacy config styles)."""
    config: dict[str, Any] = dict(module.get_config_dict())
    mode = config.get("pooling_mode")
    if mode is None:  # sentence-transformers < 5: one boolean per mode
        legacy = {
            "pooling_mode_cls_token": "cls",
            "pooling_mode_mean_tokens": "mean",
            "pooling_mode_max_tokens": "max",
            "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
            "pooling_mode_weightedmean_tokens": "weightedmean",
            "pooling_mode_lasttoken": "lasttoken",
        }
        mode = tuple(value for key, value in legacy.items() if config.get(key))
    if isinstance(mode, list | tuple):
        mode = mode[0] if len(mode) == 1 else "+".join(str(m) for m in mode)
    return str(mode)


def _pipeline(model: Any, name: str) -> _Pipeline:
    """Check that the model is Transformer -> Pooling -> [Normalize] and read its settings.

    Raises:
        ModelLoadError: Any other pipeline, or a pooling mode this backend does not reproduce.
    """
    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if not modules or kinds[0] != "Transformer" or not hasattr(modules[0], "auto_model"):
        raise ModelLoadError(
            f"{name} cannot run on ONNX Runtime: its first module is {kinds[0] if kinds else 'missing'}, "
            "not a Hugging Face Transformer."
        )
    if len(kinds) < 2 or kinds[1] != "Pooling":
        raise ModelLoadError(f"{name} cannot run on ONNX Runtime: no Pooling module follows its transformer.")
    extra = [k for k in kinds[2:] if k != "Normalize"]
    if extra:
        raise ModelLoadError(
            f"{name} cannot run on ONNX Runtime: its pipeline has a {extra[0]} module; only "
            "Transformer -> Pooling -> Normalize is supported."
        )
    pooling = _pooling_mode(modules[1])
    if pooling not in POOLING_MODES:
        raise ModelLoadError(
            f"{name} cannot run on ONNX Runtime: pooling mode {pooling!r} is not supported "
            f"(supported: {', '.join(POOLING_MODES)})."
        )
    prompt_name = getattr(model, "default_prompt_name", None)
    prompt = str((getattr(model, "prompts", None) or {}).get(prompt_name, "")) if prompt_name else ""
    if prompt and not getattr(modules[1], "include_prompt", True):
        raise ModelLoadError(
            f"{name} cannot run on ONNX Runtime: it pools without its default prompt's tokens, "
            "which this backend does not reproduce."
        )
    return _Pipeline(
        pooling=pooling,
        prompt=prompt,
        lower_case=bool(getattr(modules[0], "do_lower_case", False)),
    )


def _input_names(tokenizer: Any) -> list[str]:
    names = [n for n in tokenizer.model_input_names if n in ("input_ids", "attention_mask", "token_type_ids")]
    if "input_ids" not in names or "attention_mask" not in names:
        raise ModelLoadError("The model's tokenizer does not produce input_ids and an attention_mask.")
    return names


def _auto_model(encoder: SentenceTransformerEncoder) -> Any:
    """The Hugging Face model inside the sentence-transformers Transformer module."""
    first: Any = encoder.model[0]
    return first.auto_model


def _cache_key(name: str, max_seq_length: int | None, digest: str) -> str:
    """The export's folder name: hashes the model name, its sequence limit, its files and the recipe."""
    head = {"name": name, "max_seq_length": max_seq_length, "recipe": RECIPE_VERSION, "opset": OPSET}
    return hashlib.sha256(json.dumps(head, sort_keys=True).encode() + digest.encode()).hexdigest()[:16]


def _weights_digest(encoder: SentenceTransformerEncoder) -> str:
    """Hash a strided sample of every weight (for a model whose folder is not known)."""
    import torch

    digest = hashlib.sha256()
    with torch.inference_mode():
        for key, tensor in _auto_model(encoder).state_dict().items():
            flat = tensor.detach().reshape(-1)
            sample = flat[:: max(1, flat.numel() // 64)][:64].to(torch.float64).cpu().numpy()
            digest.update(f"{key}{tuple(tensor.shape)}{tensor.dtype}".encode())
            digest.update(sample.tobytes())
    return digest.hexdigest()


def _declared_max_seq_length(folder: Path) -> int | None:
    """``max_seq_length`` from a sentence-transformers folder's ``sentence_bert_config.json``."""
    try:
        value = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))[
            "max_seq_length"
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return int(value) if isinstance(value, int) else None


def _encoder_key(encoder: SentenceTransformerEncoder) -> str:
    from .models import model_folder

    folder = model_folder(encoder.info)
    digest = _folder_digest(folder) if folder is not None else _weights_digest(encoder)
    return _cache_key(encoder.info.name, encoder.info.max_seq_length, digest)


@contextlib.contextmanager
def _eager_attention(auto_model: Any) -> Iterator[None]:
    """Export the attention as plain MatMul/Softmax: the pattern ONNX Runtime's optimizer fuses.

    PyTorch's scaled-dot-product attention exports with NaN guards (``IsNaN``,
    ``Where``) that no optimizer fuses; they took 23% of the int8 model's time.
    """
    config = getattr(auto_model, "config", None)
    before = getattr(config, "_attn_implementation", None)
    setter = getattr(auto_model, "set_attn_implementation", None)
    try:
        if before not in (None, "eager") and setter is not None:
            setter("eager")
        yield
    finally:
        if before not in (None, "eager") and setter is not None:
            setter(before)


def _export_fp32(encoder: SentenceTransformerEncoder, input_names: Sequence[str], path: Path) -> None:
    """Export the transformer (token embeddings out) with dynamic batch and sequence axes."""
    import torch

    auto_model = _auto_model(encoder)

    class _Body(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: Any) -> Any:
            kwargs = dict(zip(input_names, inputs, strict=True))
            return self.inner(**kwargs, return_dict=True).last_hidden_state

    sample = encoder.model.tokenizer(
        ["A short probe sentence for the exporter.", "Short one."],
        padding=True,
        truncation=True,
        max_length=encoder.info.max_seq_length,
        return_tensors="pt",
    )
    args = tuple(sample[n] for n in input_names)
    axes = {n: {0: "batch", 1: "sequence"} for n in [*input_names, "token_embeddings"]}
    was_training = auto_model.training
    auto_model.eval()
    try:
        with warnings.catch_warnings(), torch.inference_mode(), _eager_attention(auto_model):
            # Tracer and deprecation warnings from the TorchScript exporter are
            # expected; the export is verified against the torch model instead.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Body(auto_model),
                args,
                str(path),
                input_names=list(input_names),
                output_names=["token_embeddings"],
                dynamic_axes=axes,
                opset_version=OPSET,
                do_constant_folding=True,
                dynamo=False,
            )
    finally:
        auto_model.train(was_training)


def _step(*args: str) -> dict[str, int]:
    """Run one step of :mod:`.onnx_steps` in a child process; return what it printed."""
    script = Path(__file__).with_name("onnx_steps.py")
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=False
    )  # fmt: skip
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ModelLoadError(f"The ONNX export's {args[0]} step failed: {last}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {str(k): int(v) for k, v in result.items()}


def _fuse(src: Path, dst: Path, config: Any) -> dict[str, int]:
    """Fuse attention, GELU and layer norms (BERT-family models); return what was fused.

    ``dst`` must be in ``src``'s folder (it refers to ``src``'s weight files).
    Returns an empty dict, and leaves no ``dst``, when the model is not of a
    fusable type or its attention did not fuse in every layer (the unfused
    graph is then quantised as it is).
    """
    model_type = str(getattr(config, "model_type", ""))
    layers = int(getattr(config, "num_hidden_layers", 0) or 0)
    if model_type not in FUSABLE_TYPES or not layers:
        return {}
    big = ["--big"] if _folder_bytes(src.parent) > 1_800_000_000 else []
    heads, hidden = str(int(config.num_attention_heads)), str(int(config.hidden_size))
    try:
        stats = _step("fuse", str(src), str(dst), heads, hidden, *big)
    except (ModelLoadError, ValueError) as exc:  # an optimizer failure costs speed, never the export
        logger.warning("Attention fusion failed (%s); quantising the unfused graph.", exc)
        return {}
    if stats.get("Attention", 0) != layers:
        logger.info("Attention fused in %s of %s layers; quantising the unfused graph.", stats, layers)
        return {}
    return stats


def _quantize(src: Path, dst: Path) -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime.quantization  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(f"onnxruntime.quantization is unavailable; {_INSTALL_HINT}") from exc
    big = ["--big"] if _folder_bytes(src.parent) > 1_800_000_000 else []
    _step("quantize", str(src), str(dst), *big)


def _folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def _remove_stale(parent: Path) -> None:
    """Delete temporary folders left by exports that were killed over an hour ago."""
    now = time.time()
    for tmp in parent.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > _STALE_TMP_SECONDS:
                shutil.rmtree(tmp, ignore_errors=True)


def _complete(folder: Path) -> bool:
    return all((folder / f).exists() for f in (META_FILE, MODEL_FILE, TOKENIZER_DIR))


@dataclass(frozen=True, slots=True)
class _Heads:
    """bge-m3's sparse and ColBERT heads as float32 arrays (see :mod:`.m3`)."""

    sparse_weight: np.ndarray  # (hidden,)
    sparse_bias: float
    colbert_weight: np.ndarray  # (colbert dim, hidden)
    colbert_bias: np.ndarray  # (colbert dim,)

    @classmethod
    def from_torch(cls, heads: M3Heads) -> _Heads:
        def arr(t: Any) -> np.ndarray:
            return np.ascontiguousarray(t.detach().float().cpu().numpy(), dtype=np.float32)

        sparse_b = heads.sparse.bias
        colbert_b = heads.colbert.bias
        return cls(
            arr(heads.sparse.weight).reshape(-1),
            float(arr(sparse_b)[0]) if sparse_b is not None else 0.0,
            arr(heads.colbert.weight),
            arr(colbert_b) if colbert_b is not None else np.zeros(heads.colbert.out_features, np.float32),
        )

    def save(self, path: Path) -> None:
        from safetensors.numpy import save_file

        save_file(
            {
                "sparse.weight": self.sparse_weight,
                "sparse.bias": np.array([self.sparse_bias], np.float32),
                "colbert.weight": self.colbert_weight,
                "colbert.bias": self.colbert_bias,
            },
            str(path),
        )

    @classmethod
    def load(cls, path: Path) -> _Heads:
        from safetensors.numpy import load_file

        t = load_file(str(path))
        return cls(t["sparse.weight"], float(t["sparse.bias"][0]), t["colbert.weight"], t["colbert.bias"])


class OnnxEncoder:
    """An :class:`~summary_coverage.encode.encoder.Encoder` that runs an int8 ONNX model on the CPU.

    Tokenisation (``count_tokens``, ``token_offsets``, ``special_tokens``)
    uses the model's own tokenizer, stored with the export, so passages are
    sized exactly as for the torch model. Encoding sorts texts longest first,
    runs batches through ONNX Runtime, applies the model's own pooling (mean,
    cls or max) and L2-normalises, so ``a @ b`` is a cosine similarity.

    Thread-safe: tokenizer calls are serialised by a lock (fast tokenizers
    fail when shared between threads) and ONNX Runtime sessions may run
    concurrently.

    Build it with :func:`load_onnx_encoder` or :meth:`from_encoder`, which
    export and cache the model, or with :meth:`over` around a loaded torch
    encoder and an exported file.

    Args:
        tokens: The model's tokenizer.
        model_path: The quantised ONNX file.
        pipeline: Pooling, prompt and lower-casing of the model's pipeline.
        info: The float32 model's description (this encoder reports it with
            ``+onnx-int8``, dtype ``int8``, and at most :data:`MAX_TOKENS` tokens).
        dim: The embedding width.
        threads: ONNX Runtime intra-op threads; ``None`` lets it choose (one
            per physical core).
        exported: Whether ``model_path`` was exported by this load (``False``
            when it came from the cache); shown by :attr:`exported`.

    Raises:
        MissingExtraError: onnxruntime is not installed.
        ModelLoadError: The file cannot be loaded.
    """

    def __init__(
        self,
        tokens: TokenizerTokens,
        model_path: str | os.PathLike[str],
        *,
        pipeline: _Pipeline,
        info: ModelInfo,
        dim: int,
        threads: int | None = None,
        exported: bool = False,
    ) -> None:
        ort = _import_onnxruntime()
        self._tokens = tokens
        self._tokenizer = tokens.tokenizer
        self._lock = tokens.lock
        self._pipeline = pipeline
        self._path = Path(model_path)
        self._exported = exported
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = int(threads)
        # ONNX Runtime's threads otherwise spin for a while after each call, taking the
        # cores from the torch judge and the scoring that run between encoder calls.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session: onnxruntime.InferenceSession = ort.InferenceSession(
                str(self._path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:
            raise ModelLoadError(
                f"The ONNX model {self._path} could not be loaded ({exc.__class__.__name__}); "
                "delete its folder to export it again."
            ) from exc
        self._inputs = [i.name for i in self._session.get_inputs()]
        self._dim = int(dim)
        self._info = replace(
            info,
            name=info.name + NAME_SUFFIX,
            device="cpu",
            dtype="int8",
            max_seq_length=min(int(info.max_seq_length), MAX_TOKENS),
        )

    @classmethod
    def over(
        cls,
        encoder: SentenceTransformerEncoder,
        model_path: str | os.PathLike[str],
        *,
        threads: int | None = None,
    ) -> OnnxEncoder:
        """Run an exported file with a loaded torch encoder's tokenizer, pipeline and description.

        Raises:
            ModelLoadError: The encoder's pipeline is not Transformer -> Pooling
                (mean, cls or max) -> Normalize, or the file cannot be loaded.
        """
        return cls(
            encoder.tokens,
            model_path,
            pipeline=_pipeline(encoder.model, encoder.info.name),
            info=encoder.info,
            dim=_dimension(encoder.model),
            threads=threads,
        )

    @classmethod
    def from_encoder(
        cls,
        encoder: SentenceTransformerEncoder,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        threads: int | None = None,
    ) -> OnnxEncoder:
        """Export ``encoder``'s model (or reuse the cached export) and open it.

        A bge-m3 model (an :class:`~summary_coverage.encode.m3.M3Encoder`)
        gives an :class:`OnnxM3Encoder`. The returned encoder does not hold
        ``encoder``: drop it to free the torch model's memory.

        Args:
            encoder: A float32 encoder on the CPU, as from
                ``load_encoder(model, device="cpu", dtype="float32")``.
            cache_dir: Cache root; ``None`` uses :func:`default_cache_dir`.
            threads: ONNX Runtime intra-op threads; ``None`` lets it choose.

        Returns:
            The int8 encoder; its :attr:`exported` says whether this call exported.

        Raises:
            MissingExtraError: onnxruntime or onnx is not installed.
            ModelLoadError: The encoder is not float32 on the CPU, its pipeline
                is unsupported, or the export does not reproduce the model.
        """
        _import_onnxruntime()
        info = encoder.info
        if info.device != "cpu" or info.dtype != "float32":
            raise ModelLoadError(
                f"Export needs the float32 CPU model, got {info.dtype} on {info.device}; "
                "load it with load_encoder(model, device='cpu', dtype='float32')."
            )
        pipeline = _pipeline(encoder.model, info.name)  # fail before a long export
        input_names = _input_names(encoder.model.tokenizer)
        key = _encoder_key(encoder)
        parent = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        parent = parent / _slug(info.name)
        final = parent / key
        if _complete(final):
            logger.info("Using the cached ONNX export of %s at %s", info.name, final)
            return _open(final, info=info, threads=threads, exported=False)
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(parent)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key}-", dir=parent))
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache may be shared
        try:
            started = time.perf_counter()
            logger.info("Exporting %s to ONNX and quantising it to int8 (once) ...", info.name)
            # The float32 export gets a folder of its own: over 2 GB the exporter writes
            # one external-data file per weight next to it, and the fused graph, written
            # beside it, refers to those files for every weight it did not change.
            (tmp / "fp32").mkdir()
            _export_fp32(encoder, input_names, tmp / "fp32" / "model.onnx")
            config = _auto_model(encoder).config
            fused = _fuse(tmp / "fp32" / "model.onnx", tmp / "fp32" / "fused.onnx", config)
            _quantize(tmp / "fp32" / ("fused.onnx" if fused else "model.onnx"), tmp / MODEL_FILE)
            shutil.rmtree(tmp / "fp32")
            encoder.model.tokenizer.save_pretrained(str(tmp / TOKENIZER_DIR))
            heads = _Heads.from_torch(encoder.heads) if isinstance(encoder, M3Encoder) else None
            if heads is not None:
                heads.save(tmp / HEADS_FILE)
            meta = {
                "model": info.name,
                "max_seq_length": info.max_seq_length,
                "dim": _dimension(encoder.model),
                "inputs": input_names,
                "pooling": pipeline.pooling,
                "prompt": pipeline.prompt,
                "lower_case": pipeline.lower_case,
                "heads": heads is not None,
                "recipe": RECIPE_VERSION,
                "opset": OPSET,
                "fused": fused,
                "quantization": "dynamic int8, MatMul and fused attention weights per channel",
                "versions": _versions(),
            }
            (tmp / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
            built = _open(tmp, info=info, threads=threads, exported=True)
            meta["checks"] = built._verify(encoder)
            meta["seconds"] = round(time.perf_counter() - started, 2)
            del built  # release the session before the folder moves
            (tmp / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
            try:
                tmp.rename(final)
            except OSError:
                # Another process finished the same export first; use its copy.
                if not _complete(final):
                    raise
                logger.info("Another process exported %s meanwhile; using its copy.", info.name)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        logger.info("ONNX export of %s cached at %s", info.name, final)
        return _open(final, info=info, threads=threads, exported=True)

    @property
    def info(self) -> ModelInfo:
        """Describe the model for the report: the model's name plus ``+onnx-int8``, dtype ``int8``."""
        return self._info

    @property
    def model_path(self) -> Path:
        """The quantised ONNX file in use."""
        return self._path

    @property
    def exported(self) -> bool:
        """``True`` when this load exported the model, ``False`` when it reused the cache."""
        return self._exported

    @property
    def pooling(self) -> str:
        """The pooling mode read from the model's pipeline: ``"mean"``, ``"cls"`` or ``"max"``."""
        return self._pipeline.pooling

    @property
    def special_tokens(self) -> int:
        """Special tokens the tokenizer adds to every sequence."""
        return self._tokens.special_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Return each text's length in model tokens, special tokens included."""
        return self._tokens.count_tokens(texts)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Return the character span of every (non-special) token of ``text``."""
        return self._tokens.token_offsets(text)

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> np.ndarray:
        """Encode texts, longest first, in batches; return rows in input order.

        Args:
            texts: The texts; longer ones are truncated at ``max_seq_length``
                tokens, as sentence-transformers does (the checker never
                passes longer ones).
            batch_size: Texts per ONNX Runtime call.
            progress: Called as ``progress(done, total)`` after each batch.

        Returns:
            A float32 array of shape ``(len(texts), dim)`` whose rows are
            L2-normalised, so ``a @ b`` is the cosine similarity.
        """
        # At most ``batch_size`` texts per call, not the torch encoder's 4x: int8 scales
        # activations once per batch, and on the sample contract batches of up to 128
        # short texts moved the worst row's cosine to fp32 from 0.987 to 0.982 and
        # calibrated scores by up to 0.09.
        limit = self._info.max_seq_length
        return encode_by_length(
            texts,
            [min(n, limit) for n in self.count_tokens(texts)],
            lambda batch: self._pool(*self._run(batch)),
            dim=self._dim,
            max_texts=batch_size,
            budget=TOKENS_PER_CALL,
            progress=progress,
        )

    def _run(self, batch: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Token states (batch, length, hidden) float32, the input ids and the attention mask."""
        pipe = self._pipeline
        if pipe.prompt:
            batch = [pipe.prompt + t for t in batch]
        if pipe.lower_case:
            batch = [t.lower() for t in batch]
        with self._lock:
            enc = self._tokenizer(
                batch,
                padding=True,
                truncation=True,
                max_length=self._info.max_seq_length,
                return_tensors="np",
            )
        feed = {name: np.asarray(enc[name], dtype=np.int64) for name in self._inputs}
        hidden = np.asarray(self._session.run(None, feed)[0], dtype=np.float32)
        return hidden, feed["input_ids"], np.asarray(enc["attention_mask"], dtype=np.int64)

    def _pool(self, hidden: np.ndarray, ids: np.ndarray, attention: np.ndarray) -> np.ndarray:
        mask = attention.astype(np.float32)[:, :, None]
        pooling = self._pipeline.pooling
        if pooling == "cls":
            pooled = hidden[:, 0]
        elif pooling == "max":
            pooled = np.where(mask > 0, hidden, np.float32(-1e9)).max(axis=1)
        else:
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)

    def _verify(self, reference: SentenceTransformerEncoder, min_cosine: float = 0.9) -> dict[str, float]:
        """Compare with the torch model on a few probes; a broken export is never cached.

        The probes differ in batch size and length from the export's sample,
        so baked-in shapes would show up here. Returns the smallest cosine.
        """
        ours = self.encode(_PROBES)
        ref = reference.encode(_PROBES)
        cos = float((ours * ref).sum(axis=1).min())
        if cos < min_cosine:
            raise ModelLoadError(
                f"The ONNX export of {reference.info.name} does not reproduce the model "
                f"(cosine {cos:.3f} < {min_cosine}); it was not cached."
            )
        return {"min_dense_cosine": round(cos, 4)}


_PROBES = [
    "The Supplier shall deliver the Services in accordance with the Statement of Work.",
    "Invoices are payable within thirty (30) days of receipt.",
    "Either party may terminate this Agreement on ninety days' written notice to the other party, "
    "and termination does not affect rights accrued before it.",
]


class OnnxM3Encoder(OnnxEncoder):
    """bge-m3 on ONNX Runtime int8: dense vectors, lexical weights and multi-vectors from one pass.

    The heads run in float32 on the int8 model's token states, as
    :class:`~summary_coverage.encode.m3.M3Encoder` runs them on the torch
    model's (same meaning, same token ids dropped). Batches hold at most
    :data:`TOKENS_PER_CALL` padded tokens, longest texts first.
    """

    def __init__(self, *args: Any, heads: _Heads, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._heads = heads
        self._unused = unused_token_ids(self._tokenizer)

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> np.ndarray:
        """The dense vectors only (L2-normalised float32 rows, input order)."""
        return self.encode_multi(texts, batch_size=batch_size, progress=progress).dense

    def encode_multi(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        progress: ProgressCallback | None = None,
    ) -> MultiEncoding:
        """Dense vectors, lexical weights and multi-vectors of ``texts`` (see :class:`MultiEncoding`)."""
        limit = self._info.max_seq_length
        return encode_multi_by_length(
            texts,
            [min(n, limit) for n in self.count_tokens(texts)],
            self._forward,
            dim=self._dim,
            width=int(self._heads.colbert_weight.shape[0]),
            max_texts=batch_size,
            budget=TOKENS_PER_CALL,
            progress=progress,
        )

    def _forward(self, batch: list[str]) -> BatchOutputs:
        hidden, ids, attention = self._run(batch)
        h = self._heads
        keep = attention.astype(bool)
        weights = np.maximum(hidden @ h.sparse_weight + np.float32(h.sparse_bias), 0.0)
        colbert = (hidden[:, 1:] @ h.colbert_weight.T + h.colbert_bias) * keep[:, 1:, None]
        colbert = colbert / np.clip(np.linalg.norm(colbert, axis=-1, keepdims=True), 1e-12, None)
        return self._pool(hidden, ids, attention), *per_text(weights, colbert, ids, keep, self._unused)

    def _verify(self, reference: SentenceTransformerEncoder, min_cosine: float = 0.9) -> dict[str, float]:
        """The dense check, plus the multi-vectors (row cosines) and the lexical weights (as vectors)."""
        checks = super()._verify(reference, min_cosine)
        if not isinstance(reference, M3Encoder):
            return checks
        ours, ref = self.encode_multi(_PROBES), reference.encode_multi(_PROBES)
        rows = min(
            float((a * b).sum(axis=1).min()) for a, b in zip(ours.multivector, ref.multivector, strict=True)
        )
        lex = min(_sparse_cosine(a, b) for a, b in zip(ours.lexical, ref.lexical, strict=True))
        if rows < min_cosine or lex < min_cosine:
            raise ModelLoadError(
                f"The ONNX export of {reference.info.name} does not reproduce bge-m3's heads "
                f"(multi-vector cosine {rows:.3f}, lexical cosine {lex:.3f} < {min_cosine}); "
                "it was not cached."
            )
        return checks | {"min_multivector_cosine": round(rows, 4), "min_lexical_cosine": round(lex, 4)}


def _sparse_cosine(a: dict[int, float], b: dict[int, float]) -> float:
    keys = sorted(set(a) | set(b))
    if not keys:
        return 1.0
    va = np.array([a.get(k, 0.0) for k in keys])
    vb = np.array([b.get(k, 0.0) for k in keys])
    denom = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb / denom) if denom > 0 else 0.0


def _dimension(model: Any) -> int:
    get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(get_dim() or 0)


def _open(
    folder: Path,
    *,
    info: ModelInfo | None = None,
    requested: str | None = None,
    threads: int | None = None,
    exported: bool = False,
) -> OnnxEncoder:
    """Open an export folder: tokenizer, pipeline and heads from the folder, no torch model.

    Args:
        folder: The export's folder.
        info: The float32 model's description, when it was loaded; else it is
            rebuilt from ``export.json`` (no fallback; ``requested`` kept).
    """
    from transformers import AutoTokenizer

    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        tokenizer = AutoTokenizer.from_pretrained(
            str(folder / TOKENIZER_DIR), local_files_only=True, trust_remote_code=False
        )
        heads = _Heads.load(folder / HEADS_FILE) if meta.get("heads") else None
        pipeline = _Pipeline(str(meta["pooling"]), str(meta.get("prompt", "")), bool(meta.get("lower_case")))
        dim = int(meta["dim"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelLoadError(
            f"The ONNX export in {folder} is incomplete ({exc.__class__.__name__}); delete its folder "
            "to export it again."
        ) from exc
    if info is None:
        info = ModelInfo(
            name=str(meta["model"]),
            fallback=False,
            reason="",
            max_seq_length=int(meta["max_seq_length"]),
            device="cpu",
            dtype="float32",
            requested=requested,
        )
    args = (TokenizerTokens(tokenizer), folder / MODEL_FILE)
    kwargs: dict[str, Any] = {
        "pipeline": pipeline,
        "info": info,
        "dim": dim,
        "threads": threads,
        "exported": exported,
    }
    if heads is not None:
        return OnnxM3Encoder(*args, heads=heads, **kwargs)
    return OnnxEncoder(*args, **kwargs)


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("torch", "transformers", "sentence-transformers", "onnx", "onnxruntime"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def load_onnx_encoder(
    model: str | None = "bundled",
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    threads: int | None = None,
) -> OnnxEncoder:
    """Load a model as an int8 ONNX Runtime encoder, exporting it on first use.

    A model already exported is opened from the cache alone: the torch model
    is not loaded. Otherwise the float32 model is loaded with
    ``load_encoder(model, device="cpu", dtype="float32")`` (same names,
    fallback rules and errors), exported, and released.

    Args:
        model: A hub id, a local folder, ``"bundled"`` (default), or ``None``
            for the default model with its offline fallback.
        cache_dir: Cache root; ``None`` uses ``$SUMMARY_COVERAGE_ONNX_DIR`` or
            ``~/.cache/summary-coverage/onnx``.
        threads: ONNX Runtime intra-op threads; ``None`` lets it choose.

    Returns:
        The encoder (an :class:`OnnxM3Encoder` for bge-m3); ``info.name`` is
        the model's name plus ``+onnx-int8``, ``info.dtype`` is ``"int8"``,
        ``info.device`` is ``"cpu"``, and ``info.requested`` keeps ``model``.

    Raises:
        MissingExtraError: onnxruntime or onnx is not installed.
        ModelLoadError: The model cannot be loaded or exported.

    Example:
        >>> encoder = load_onnx_encoder("bundled", cache_dir="/tmp/onnx")  # doctest: +SKIP
        >>> encoder.encode(["Fees are due in 30 days."]).shape  # doctest: +SKIP
        (1, 384)
    """
    from .models import load_encoder, local_model

    _import_onnxruntime()
    parent = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    local = local_model(model)
    if local is not None:
        name, folder = local
        final = (
            parent / _slug(name) / _cache_key(name, _declared_max_seq_length(folder), _folder_digest(folder))
        )
        if _complete(final):
            logger.info("Using the cached ONNX export of %s at %s", name, final)
            return _open(final, requested=model, threads=threads)
    encoder = load_encoder(model, device="cpu", dtype="float32")
    return OnnxEncoder.from_encoder(encoder, cache_dir=cache_dir, threads=threads)
