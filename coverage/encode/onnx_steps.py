"""The two memory-heavy steps of an ONNX export, each run in a child process by :mod:`.onnx_backend`.

Run as a script (``python onnx_steps.py fuse|quantize SRC DST ...``); it imports
only onnx and onnxruntime, never this package, and prints one JSON line.

* ``fuse``: ONNX Runtime's BERT optimizer fuses attention, GELU and layer
  norms. The graph is read *without* its weights, in the export's folder, so
  the optimizer loads only the query/key/value weights it packs, from their
  files, when it packs them: on a bge-m3-sized model this peaks at 1.3 GB
  instead of 13.5 GB (its symbolic shape inference copies every weight), in
  4 s instead of 40 s. The fused graph is written next to the source, and
  refers to the source's weight files for every weight it did not change.
* ``quantize``: dynamic int8 quantisation (see :mod:`.onnx_backend`).

A child process gives its memory back to the system when it ends, and a
failure in it cannot take the caller down.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from pathlib import Path


class _Quiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and "pre-processing" not in record.getMessage()


def fuse(src: Path, dst: Path, heads: int, hidden: int, big: bool) -> dict[str, int]:
    """Fuse ``src`` into ``dst`` (same folder); return the fused operator counts."""
    import onnx
    from onnxruntime.transformers import optimizer

    model = onnx.load(str(src), load_external_data=False)
    os.chdir(src.parent)  # weights load on demand, by their paths relative to the export
    fused = optimizer.optimize_model(
        model, model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=0
    )
    stats = {k: int(v) for k, v in fused.get_fused_operator_statistics().items() if v}
    fused.save_model_to_file(str(dst), use_external_data_format=big, all_tensors_to_one_file=True)
    return stats


def quantize(src: Path, dst: Path, big: bool) -> dict[str, int]:
    """Dynamic int8: MatMul and fused attention weights per output channel, signed, full range."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        src,
        dst,
        op_types_to_quantize=["MatMul", "Attention"],
        per_channel=True,
        reduce_range=False,
        weight_type=QuantType.QInt8,
        # A protobuf holds at most 2 GB. Embedding tables stay float32, so the
        # int8 model can be nearly as large as the float32 one (bge-m3: 2.3 -> 1.4 GB).
        use_external_data_format=big,
        # Fused nodes (com.microsoft domain) defeat ONNX shape inference; their outputs are float32.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    return {}


def main(argv: list[str]) -> int:
    root = logging.getLogger()
    root.addFilter(_Quiet())
    root.setLevel(logging.WARNING)
    warnings.simplefilter("ignore")
    step, src, dst = argv[0], Path(argv[1]).resolve(), Path(argv[2]).resolve()
    big = "--big" in argv
    if step == "fuse":
        out = fuse(src, dst, int(argv[3]), int(argv[4]), big)
    elif step == "quantize":
        out = quantize(src, dst, big)
    else:
        raise SystemExit(f"unknown step {step!r}")
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
