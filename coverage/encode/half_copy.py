"""Load a large float32 checkpoint in half precision without reading it in float32 every time.

transformers loads a bfloat16 model from a float32 checkpoint by reading every
float32 weight and casting it. The checkpoint is memory-mapped, so the load's
peak resident memory counts the whole float32 file as well as the bfloat16
model: 3.7 GB for a bge-m3-sized model whose bfloat16 weights are 1.1 GB.

So the first half-precision load of a large float32 checkpoint writes a copy of
its transformer weights in that dtype (``model.safetensors``) into a cache
folder. Every other file of the model is linked, or copied where links are
not allowed. Later loads read the copy, whose weights are already in their
final dtype and are mapped lazily: the bge-m3-sized load peaks at 517 MB
(350 MB anonymous). The copy holds exactly the values the cast would give,
so the model computes the same numbers.

Cache layout: ``<root>/<model slug>-<dtype>/<key>/``, where the root is
``$SUMMARY_COVERAGE_HALF_DIR`` or ``~/.cache/summary-coverage/half``, and the
key hashes the model folder's files (:func:`.folders.folder_digest`), so
retrained weights get a new copy. Copies are written in a temporary folder and
renamed into place in one step. Any failure (disk full, read-only cache)
falls back to the normal load, with a log line.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .folders import folder_digest

__all__ = ["CACHE_ENV", "MIN_BYTES", "half_precision_folder"]

logger = logging.getLogger(__name__)

CACHE_ENV = "SUMMARY_COVERAGE_HALF_DIR"
"""Environment variable that overrides the cache root of half-precision copies."""

MIN_BYTES = 256 * 2**20
"""Checkpoints smaller than this load directly (the bundled MiniLM: 90 MB); the copy pays off above it."""

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
"""The transformer's weight files a copy replaces (at the folder's top level, where bge-m3 keeps them)."""

_DONE = "half-copy.json"


def default_cache_dir() -> Path:
    """``$SUMMARY_COVERAGE_HALF_DIR`` or ``~/.cache/summary-coverage/half``."""
    env = os.environ.get(CACHE_ENV, "").strip()
    return Path(env).expanduser() if env else Path.home() / ".cache" / "summary-coverage" / "half"


def _stored_dtype(folder: Path) -> str:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(config.get("torch_dtype") or config.get("dtype") or "float32")


def _transformer_at_top(folder: Path) -> bool:
    """Whether the sentence-transformers Transformer module reads the folder's own top level."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    first = modules[0] if isinstance(modules, list) and modules else {}
    return (
        isinstance(first, dict)
        and str(first.get("type", "")).endswith("Transformer")
        and not first.get("path")
    )


def _weights(folder: Path) -> Path | None:
    for name in WEIGHT_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def half_precision_folder(folder: Path, dtype: str, cache_dir: Path | None = None) -> Path | None:
    """The folder to load ``folder``'s model from in ``dtype``: a half-precision copy, made once.

    Returns ``None`` (load the original) when ``dtype`` is float32, the
    checkpoint is small or not stored in float32, the folder is not a
    sentence-transformers model with its transformer at the top level, or the
    copy cannot be written.
    """
    if dtype not in ("bfloat16", "float16"):
        return None
    weights = _weights(folder)
    if (
        weights is None
        or weights.stat().st_size < MIN_BYTES
        or _stored_dtype(folder) != "float32"
        or not _transformer_at_top(folder)
    ):
        return None
    root = cache_dir if cache_dir is not None else default_cache_dir()
    slug = folder.resolve().as_posix().strip("/").replace("/", "--")[-80:]
    final = root / f"{slug}-{dtype}" / folder_digest(folder)[:16]
    if (final / _DONE).is_file():
        return final
    try:
        return _write_copy(folder, weights, dtype, final)
    except (OSError, RuntimeError, ValueError) as exc:
        logger.warning(
            "Could not write a %s copy of %s (%s); loading the float32 weights.", dtype, folder, exc
        )
        return None


def _write_copy(folder: Path, weights: Path, dtype: str, final: Path) -> Path:
    import torch
    from safetensors.torch import save_file

    logger.info("Writing a %s copy of %s's weights (once) ...", dtype, folder)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
    try:
        for path in folder.rglob("*"):
            rel = path.relative_to(folder)
            if path.is_dir() or (len(rel.parts) == 1 and rel.name in WEIGHT_FILES):
                continue
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.symlink(path.resolve(), tmp / rel)
            except OSError:  # no symlinks here (e.g. Windows without the privilege)
                shutil.copy2(path, tmp / rel)
        half = getattr(torch, dtype)
        if weights.suffix == ".safetensors":
            from safetensors import safe_open

            with safe_open(str(weights), framework="pt") as handle:
                state = {k: handle.get_tensor(k).to(half).contiguous() for k in handle.keys()}  # noqa: SIM118
        else:
            loaded = torch.load(str(weights), map_location="cpu", weights_only=True, mmap=True)
            state = {k: v.to(half).contiguous() for k, v in loaded.items()}
            del loaded
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        del state
        done = {"source": str(folder), "weights": weights.name, "dtype": dtype}
        (tmp / _DONE).write_text(json.dumps(done, indent=2), encoding="utf-8")
        try:
            tmp.rename(final)
        except OSError:
            if not (final / _DONE).is_file():  # another process wrote the same copy first: use it
                raise
    finally:
        if tmp.exists():
            with contextlib.suppress(OSError):
                shutil.rmtree(tmp)
    return final
