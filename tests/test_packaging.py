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
    offenders = [p.name for p in (ROOT / "coverage").glob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_public_modules_have_future_annotations() -> None:
    missing = [
        p.name
        for p in (ROOT / "coverage").glob("*.py")
        if p.read_text().strip() and "from __future__ import annotations" not in p.read_text()
    ]
    assert missing == []
