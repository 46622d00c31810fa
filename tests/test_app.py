"""The dashboard page under Streamlit's AppTest (the full dashboard is issue 3)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import ROOT


def test_sample_button_shows_figures_and_the_fallback_notice() -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180).run()
    assert not at.exception
    at.button(key="sample").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {
        "Coverage",
        "Support",
        "Uncovered passages",
        "Unsupported sentences",
        "Document tokens",
    }
    assert metrics["Unsupported sentences"] == "1"
    assert any("bge-m3" in w.value for w in at.warning)
