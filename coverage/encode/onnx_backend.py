"""An opt-in CPU encoder on ONNX Runtime with int8 weights.

The sentence-transformers model's transformer is exported once to ONNX with
``torch.onnx.export`` (the TorchScript exporter; no ``optimum``), its
weight matrices are quantised to int8 with ONNX Runtime's dynamic
quantisation, and the result is cached on disk. Later loads reuse the cache.

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

Cache layout: ``<cache root>/<model slug>/<key>/model.int8.onnx`` plus
``export.json``, where the root is ``cache_dir``, else the environment
variable ``SUMMARY_COVERAGE_ONNX_DIR``, else ``~/.cache/summary-coverage/onnx``.
The key hashes the model name, ``max_seq_length``, the model's input names,
a sample of its weights and the recipe version, so another model, another
sequence limit or retrained weights export afresh. Each export is written in
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
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import MissingExtraError, ModelLoadError
from .encoder import ModelInfo, ProgressCallback, SentenceTransformerEncoder, encode_by_length

if TYPE_CHECKING:
    import onnxruntime

__all__ = [
    "CACHE_ENV",
    "NAME_SUFFIX",
    "POOLING_MODES",
    "OnnxEncoder",
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

RECIPE_VERSION = 1
"""Bump when the export or quantisation settings change, so old caches are rebuilt."""

MODEL_FILE = "model.int8.onnx"
META_FILE = "export.json"
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


def _cache_key(encoder: SentenceTransformerEncoder, input_names: Sequence[str]) -> str:
    """Hash what changes the exported model: name, sequence limit, inputs, weights, recipe."""
    import torch

    info = encoder.info
    auto_model = _auto_model(encoder)
    digest = hashlib.sha256()
    head = {
        "name": info.name,
        "max_seq_length": info.max_seq_length,
        "inputs": list(input_names),
        "model_type": str(getattr(auto_model.config, "model_type", "")),
        "recipe": RECIPE_VERSION,
        "opset": OPSET,
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    # A strided sample of every tensor: cheap even for bge-m3, and it changes
    # when the weights in a local folder are retrained under the same name.
    with torch.inference_mode():
        for key, tensor in auto_model.state_dict().items():
            flat = tensor.detach().reshape(-1)
            sample = flat[:: max(1, flat.numel() // 64)][:64].to(torch.float64).cpu().numpy()
            digest.update(f"{key}{tuple(tensor.shape)}{tensor.dtype}".encode())
            digest.update(sample.tobytes())
    return digest.hexdigest()[:16]


class _Quiet(logging.Filter):
    """Drop onnxruntime.quantization's per-node notes and its advice to pre-process.

    The quantiser logs them on the root logger, one line per node.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        return "pre-processing before quantization" not in record.getMessage()


@contextlib.contextmanager
def _quiet_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    flt = _Quiet()
    root.addFilter(flt)
    try:
        yield
    finally:
        root.removeFilter(flt)


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
        with warnings.catch_warnings(), torch.inference_mode():
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


def _quantize(src: Path, dst: Path) -> None:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise MissingExtraError(f"onnxruntime.quantization is unavailable; {_INSTALL_HINT}") from exc
    with _quiet_root_logger():
        quantize_dynamic(
            src,
            dst,
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            reduce_range=False,
            weight_type=QuantType.QInt8,
            # A protobuf holds at most 2 GB. Embedding tables stay float32, so the
            # int8 model can be nearly as large as the float32 one (bge-m3: 2.3 -> 1.3 GB).
            use_external_data_format=_folder_bytes(src.parent) > 1_800_000_000,
        )


def _folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def _remove_stale(parent: Path) -> None:
    """Delete temporary folders left by exports that were killed over an hour ago."""
    now = time.time()
    for tmp in parent.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > _STALE_TMP_SECONDS:
                shutil.rmtree(tmp, ignore_errors=True)


class OnnxEncoder:
    """An :class:`~summary_coverage.encode.encoder.Encoder` that runs an int8 ONNX model on the CPU.

    Tokenisation (``count_tokens``, ``token_offsets``, ``special_tokens``) is
    delegated to the float32 :class:`SentenceTransformerEncoder` it was built
    from, so passages are sized exactly as for the torch model; that encoder's
    model stays loaded for its tokenizer. Encoding sorts texts longest first,
    runs batches through ONNX Runtime, applies the model's own pooling (mean,
    cls or max) and L2-normalises, so ``a @ b`` is a cosine similarity.

    Thread-safe: tokenizer calls are serialised by a lock (fast tokenizers
    fail when shared between threads) and ONNX Runtime sessions may run
    concurrently. Do not use the wrapped encoder from other threads directly.

    Build it with :func:`load_onnx_encoder` or :meth:`from_encoder`, which
    export and cache the model.

    Args:
        encoder: The float32 CPU encoder of the same model.
        model_path: The quantised ONNX file.
        threads: ONNX Runtime intra-op threads; ``None`` lets it choose (one
            per physical core).
        exported: Whether ``model_path`` was exported by this load (``False``
            when it came from the cache); shown by :attr:`exported`.

    Raises:
        MissingExtraError: onnxruntime is not installed.
        ModelLoadError: The model's pipeline is not Transformer -> Pooling
            (mean, cls or max) -> Normalize, or the file cannot be loaded.
    """

    def __init__(
        self,
        encoder: SentenceTransformerEncoder,
        model_path: str | os.PathLike[str],
        *,
        threads: int | None = None,
        exported: bool = False,
    ) -> None:
        ort = _import_onnxruntime()
        base = encoder.info
        self._encoder = encoder
        self._pipeline = _pipeline(encoder.model, base.name)
        self._tokenizer = encoder.model.tokenizer
        self._path = Path(model_path)
        self._exported = exported
        self._lock = threading.RLock()
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = int(threads)
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
        get_dim = getattr(encoder.model, "get_embedding_dimension", None) or (
            encoder.model.get_sentence_embedding_dimension
        )
        self._dim = int(get_dim() or 0)
        self._info = replace(base, name=base.name + NAME_SUFFIX, device="cpu", dtype="int8")

    @classmethod
    def from_encoder(
        cls,
        encoder: SentenceTransformerEncoder,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        threads: int | None = None,
    ) -> OnnxEncoder:
        """Export ``encoder``'s model (or reuse the cached export) and wrap it.

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
        _pipeline(encoder.model, info.name)  # fail before a long export
        input_names = _input_names(encoder.model.tokenizer)
        key = _cache_key(encoder, input_names)
        parent = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        parent = parent / _slug(info.name)
        final = parent / key
        if (final / META_FILE).is_file() and (final / MODEL_FILE).is_file():
            logger.info("Using the cached ONNX export of %s at %s", info.name, final)
            return cls(encoder, final / MODEL_FILE, threads=threads, exported=False)
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(parent)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key}-", dir=parent))
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache may be shared
        try:
            started = time.perf_counter()
            logger.info("Exporting %s to ONNX and quantising it to int8 (once) ...", info.name)
            # The float32 export gets a folder of its own: over 2 GB the exporter
            # writes one external-data file per weight next to it.
            (tmp / "fp32").mkdir()
            _export_fp32(encoder, input_names, tmp / "fp32" / "model.onnx")
            _quantize(tmp / "fp32" / "model.onnx", tmp / MODEL_FILE)
            shutil.rmtree(tmp / "fp32")
            built = cls(encoder, tmp / MODEL_FILE, threads=threads, exported=True)
            built._verify()
            pooling = built.pooling
            del built  # release the session before the folder moves
            meta = {
                "model": info.name,
                "max_seq_length": info.max_seq_length,
                "inputs": input_names,
                "pooling": pooling,
                "recipe": RECIPE_VERSION,
                "opset": OPSET,
                "quantization": "dynamic int8, MatMul weights per channel",
                "versions": _versions(),
                "seconds": round(time.perf_counter() - started, 2),
            }
            (tmp / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
            try:
                tmp.rename(final)
            except OSError:
                # Another process finished the same export first; use its copy.
                if not (final / META_FILE).is_file():
                    raise
                logger.info("Another process exported %s meanwhile; using its copy.", info.name)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        logger.info("ONNX export of %s cached at %s", info.name, final)
        return cls(encoder, final / MODEL_FILE, threads=threads, exported=True)

    @property
    def info(self) -> ModelInfo:
        """Describe the model for the report: the model's name plus ``+onnx-int8``, dtype ``int8``."""
        return self._info

    @property
    def torch_encoder(self) -> SentenceTransformerEncoder:
        """The float32 encoder this one was built from (it provides the tokenizer)."""
        return self._encoder

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
        return self._encoder.special_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Return each text's length in model tokens, special tokens included."""
        with self._lock:
            return self._encoder.count_tokens(texts)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Return the character span of every (non-special) token of ``text``."""
        with self._lock:
            return self._encoder.token_offsets(text)

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
                tokens, as sentence-transformers does.
            batch_size: Texts per ONNX Runtime call.
            progress: Called as ``progress(done, total)`` after each batch.

        Returns:
            A float32 array of shape ``(len(texts), dim)`` whose rows are
            L2-normalised, so ``a @ b`` is the cosine similarity.
        """
        # Batches of ``batch_size`` texts sorted by exact token count, not the torch
        # encoder's padded-token budget: int8 scales activations once per batch, and
        # on the sample contract budget batches (up to 128 short texts) moved the worst
        # row's cosine to fp32 from 0.987 to 0.982 and calibrated scores by up to 0.09.
        return encode_by_length(
            texts,
            self.count_tokens(texts),
            self._encode_batch,
            dim=self._dim,
            max_texts=batch_size,
            budget=sys.maxsize,
            progress=progress,
        )

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
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
        mask = np.asarray(enc["attention_mask"], dtype=np.float32)[:, :, None]
        if pipe.pooling == "cls":
            pooled = hidden[:, 0]
        elif pipe.pooling == "max":
            pooled = np.where(mask > 0, hidden, np.float32(-1e9)).max(axis=1)
        else:
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)

    def _verify(self, min_cosine: float = 0.9) -> None:
        """Compare with the torch model on a few probes; a broken export is never cached.

        The probes differ in batch size and length from the export's sample,
        so baked-in shapes would show up here.
        """
        probes = [
            "The Supplier shall deliver the Services in accordance with the Statement of Work.",
            "Invoices are payable within thirty (30) days of receipt.",
            "Either party may terminate this Agreement on ninety days' written notice to the other party, "
            "and termination does not affect rights accrued before it.",
        ]
        ours = self.encode(probes)
        ref = self._encoder.encode(probes)
        cos = (ours * ref).sum(axis=1)
        if not np.all(cos >= min_cosine):
            raise ModelLoadError(
                f"The ONNX export of {self._encoder.info.name} does not reproduce the model "
                f"(cosine {float(cos.min()):.3f} < {min_cosine}); it was not cached."
            )


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

    The float32 model is loaded with ``load_encoder(model, device="cpu", dtype="float32")``
    (same names, fallback rules and errors); it provides the tokenizer and,
    on the first load, the weights to export. Later loads read the cached
    export (see the module docstring for where it lives and what its key is).

    Args:
        model: A hub id, a local folder, ``"bundled"`` (default), or ``None``
            for the default model with its offline fallback.
        cache_dir: Cache root; ``None`` uses ``$SUMMARY_COVERAGE_ONNX_DIR`` or
            ``~/.cache/summary-coverage/onnx``.
        threads: ONNX Runtime intra-op threads; ``None`` lets it choose.

    Returns:
        The encoder; ``info.name`` is the model's name plus ``+onnx-int8``,
        ``info.dtype`` is ``"int8"``, ``info.device`` is ``"cpu"``, and
        ``info.requested`` keeps ``model``.

    Raises:
        MissingExtraError: onnxruntime or onnx is not installed.
        ModelLoadError: The model cannot be loaded or exported.

    Example:
        >>> encoder = load_onnx_encoder("bundled", cache_dir="/tmp/onnx")  # doctest: +SKIP
        >>> encoder.encode(["Fees are due in 30 days."]).shape  # doctest: +SKIP
        (1, 384)
    """
    from .models import load_encoder

    _import_onnxruntime()
    encoder = load_encoder(model, device="cpu", dtype="float32")
    return OnnxEncoder.from_encoder(encoder, cache_dir=cache_dir, threads=threads)
