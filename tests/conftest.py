"""Shared fixtures: the real bundled model (loaded once), a hashing encoder, sample files.

HF_HUB_OFFLINE is set before anything imports sentence-transformers, so no
test can touch the network or wait on a hub look-up.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from summary_coverage import Checker, HashingEncoder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_docs"

SHORT_PAIRS = [
    # (document, summary): the second summary says 60 days where its document says 90.
    ("The Customer shall pay each invoice within thirty (30) days. Late amounts bear 1.5% interest a month.",
     "Invoices are due in 30 days, with 1.5% monthly interest on late amounts."),
    ("The Provider shall keep Customer Data in the United Kingdom. Backups are kept for 90 days.",
     "Data stays in the UK and backups are kept for 60 days."),
    ("Either party may terminate on ninety (90) days' notice. Fees already paid are not refunded.",
     "Either side may end the contract with 90 days' notice."),
]  # fmt: skip

SHARED_EVAL = ROOT.parent / "shared" / "eval" / "data"


@pytest.fixture(scope="session")
def minilm() -> Checker:
    """A Checker on the real bundled all-MiniLM-L6-v2 in float32, loaded once per session.

    float32 on every machine, so results do not depend on whether the CPU has
    bf16 instructions; ``test_m3.py`` and ``test_checker.py`` check bf16 itself.
    """
    return Checker("bundled", device="cpu", dtype="float32")


@pytest.fixture()
def hashing() -> Checker:
    """A Checker on the deterministic bag-of-words encoder (no model)."""
    return Checker(HashingEncoder())


@pytest.fixture(scope="session")
def contract() -> str:
    return (SAMPLES / "services_agreement.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def faithful_summary() -> str:
    return (SAMPLES / "services_agreement.summary.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def flawed_summary() -> str:
    return (SAMPLES / "services_agreement.flawed_summary.md").read_text(encoding="utf-8")
