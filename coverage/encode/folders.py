"""A cheap fingerprint of a model folder's files, for caches derived from the model (ONNX, half precision)."""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["folder_digest"]

_SAMPLES = 64
_SAMPLE_BYTES = 4096
_WHOLE_FILE_BYTES = 1 << 20


def folder_digest(folder: Path) -> str:
    """Hash a model folder's files: names and sizes, small files whole, large ones by a strided sample.

    Cheap even for bge-m3 (64 reads of 4 KB per weight file), and it changes
    when the weights in a local folder are retrained under the same name.
    ONNX exports and images in the folder are ignored (the backend makes its own).
    """
    digest = hashlib.sha256()
    skip = {".onnx", ".onnx_data", ".png", ".jpg"}
    files = sorted(
        f for f in folder.rglob("*")
        if f.is_file() and not f.name.startswith(".") and f.suffix not in skip
        and "onnx" not in f.relative_to(folder).parts[:-1]
    )  # fmt: skip
    for path in files:
        size = path.stat().st_size
        digest.update(f"{path.relative_to(folder).as_posix()}:{size};".encode())
        with path.open("rb") as handle:
            if size <= _WHOLE_FILE_BYTES:
                digest.update(handle.read())
                continue
            for k in range(_SAMPLES):
                handle.seek(k * (size - _SAMPLE_BYTES) // (_SAMPLES - 1))
                digest.update(handle.read(_SAMPLE_BYTES))
    return digest.hexdigest()
