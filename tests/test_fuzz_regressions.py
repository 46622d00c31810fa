"""Replay the fuzzers' seeds and saved inputs through the fuzz harnesses' own checks.

``fuzz/fuzz_loaders.py``, ``fuzz/fuzz_segment.py`` and ``fuzz/fuzz_accounting.py`` each expose
``check_input(data)``, the exact check the atheris entry point runs. This
test imports them by path and feeds them, without atheris:

* every seed in ``fuzz/corpus/loaders/``, ``fuzz/corpus/segment/`` and ``fuzz/corpus/accounting/``;
* every file in ``tests/data/fuzz_regressions/``: inputs that crashed a
  harness once (kept after the fix) and inputs the fuzzer found that reach
  new code. A file's name starts with the target it belongs to
  (``loaders-``, ``segment-`` or ``accounting-``).

The first input byte is the harness's switch (the file suffix for the
loader, ``max_tokens`` for segmentation); see ``split_input`` in each harness.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = Path(__file__).resolve().parent / "data" / "fuzz_regressions"
TARGETS = ("loaders", "segment", "accounting")


def _harness(target: str) -> ModuleType:
    path = ROOT / "fuzz" / f"fuzz_{target}.py"
    spec = importlib.util.spec_from_file_location(f"_fuzz_{target}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HARNESSES = {target: _harness(target) for target in TARGETS}


def _inputs() -> list[tuple[str, Path]]:
    cases = [(t, p) for t in TARGETS for p in sorted((ROOT / "fuzz" / "corpus" / t).iterdir()) if p.is_file()]
    for path in sorted(REGRESSIONS.iterdir()) if REGRESSIONS.is_dir() else []:
        target = path.name.split("-", 1)[0]
        assert target in TARGETS, f"{path.name} must start with one of {TARGETS} and a dash"
        cases.append((target, path))
    return cases


CASES = _inputs()


def test_there_is_something_to_replay() -> None:
    for target in TARGETS:
        assert sum(t == target for t, _ in CASES) >= 5, target
    assert REGRESSIONS.is_dir() and any(REGRESSIONS.iterdir())


@pytest.mark.parametrize(("target", "path"), CASES, ids=[f"{t}:{p.parent.name}/{p.name}" for t, p in CASES])
def test_replay(target: str, path: Path) -> None:
    HARNESSES[target].check_input(path.read_bytes())


def test_every_loader_suffix_is_seeded() -> None:
    names = {HARNESSES["loaders"].split_input(p.read_bytes())[0] for t, p in CASES if t == "loaders"}
    assert {"fuzz.txt", "fuzz.md", "fuzz.pdf", "fuzz.docx"} <= names
