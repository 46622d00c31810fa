"""Everything in __all__ is importable and documented."""

from __future__ import annotations

import pytest

import summary_coverage


@pytest.mark.parametrize("name", summary_coverage.__all__)
def test_exported_name_exists_and_is_documented(name: str) -> None:
    obj = getattr(summary_coverage, name)
    if callable(obj) and not isinstance(obj, str):
        assert obj.__doc__, f"{name} needs a docstring"


def test_version_matches_distribution() -> None:
    import importlib.metadata

    assert summary_coverage.__version__ == importlib.metadata.version("summary-coverage")
