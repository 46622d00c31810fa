"""Guards for the coverage/ vs coverage.py name clash (STYLE.md section 0)."""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from pathlib import Path

import pytest

import summary_coverage

ROOT = Path(__file__).resolve().parents[1]


def test_summary_coverage_comes_from_this_repo() -> None:
    here = Path(summary_coverage.__file__).resolve()
    assert here.name == "__init__.py"
    # Strict editable installs link the files from build/; follow the link.
    assert here.resolve().parent == (ROOT / "coverage").resolve() or (
        here.resolve().samefile(ROOT / "coverage" / "__init__.py")
    )


def test_import_coverage_is_still_coverage_py() -> None:
    coverage_py = pytest.importorskip("coverage")  # by name on purpose: it must be coverage.py

    assert importlib.metadata.packages_distributions()["coverage"] == ["coverage"]
    assert hasattr(coverage_py, "Coverage"), "import coverage must give coverage.py"
    assert "site-packages" in Path(coverage_py.__file__).as_posix()
    assert importlib.import_module("coverage.data") is not None


def test_distribution_and_console_script() -> None:
    dist = importlib.metadata.distribution("summary-coverage")
    scripts = {ep.name: ep.value for ep in dist.entry_points if ep.group == "console_scripts"}
    assert scripts == {"summary-coverage": "summary_coverage.cli:main"}


def test_package_never_imports_coverage_by_name() -> None:
    pattern = re.compile(r"^\s*(import coverage\b|from coverage\b)", re.MULTILINE)
    offenders = [p.name for p in (ROOT / "coverage").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_public_modules_have_future_annotations() -> None:
    missing = [
        p.name
        for p in (ROOT / "coverage").rglob("*.py")
        if p.read_text().strip() and "from __future__ import annotations" not in p.read_text()
    ]
    assert missing == []


def test_the_wheel_ships_the_package_and_its_data(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys
    import zipfile

    src = tmp_path / "src"  # a copy, so the build leaves nothing in the checkout
    shutil.copytree(ROOT / "coverage", src / "coverage", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("summary_coverage-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "summary_coverage/score/data/verifier.json" in names  # the verifier's weights
    assert {"summary_coverage/__init__.py", "summary_coverage/py.typed", "summary_coverage/cli.py"} <= names
    assert not any(n.startswith("coverage/") for n in names), "the folder name must not be installed"
