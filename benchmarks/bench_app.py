"""How fast the dashboard is usable, in a real browser (`make bench-app`).

A real ``streamlit run streamlit_app.py`` server on a loopback port, driven
by Playwright on Debian's Chromium (the same set-up as
``tests/test_browser.py``). Times, each from the user's action to what they
wait for:

1. **First usable page, cold**: on a server just started (it answers its
   health check; no script has run), from opening the URL to the "Try the
   sample contract" button on screen (the page's imports and first run; the
   model still loading in the background). The server's own start-up is
   reported beside it.
2. **Sample to heatmap, cold**: from the click to the plotly heatmap drawn
   (the model load finishes, the sample is checked).
3. **First usable page, warm**: a new browser tab on the running server.
4. **Sample to heatmap, warm**: the click in that tab (the result is cached).
5. **Threshold move**: one step of the coverage-threshold slider (keyboard)
   to the "Coverage" figure changing.

Targets (issue 16, on the build machine): 1 ≤ 2 s, 3 ≤ 1 s, 4 ≤ 3 s, 5 ≤ 0.5 s.
For scale, the floor: the same measure of a one-button Streamlit page on a
fresh server (Streamlit's front end itself).
Each figure is one run: the machine is shared, so read them as orders of
magnitude, and rerun for a second opinion.

Usage: python benchmarks/bench_app.py [--json build/bench_app.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEATMAP = ".js-plotly-plot .heatmaplayer .hm image"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
TARGETS = {
    "first_page_cold_s": 2.0,
    "first_page_warm_s": 1.0,
    "sample_to_heatmap_warm_s": 3.0,
    "threshold_move_s": 0.5,
}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(port: int, log: Path, app: Path = ROOT / "streamlit_app.py") -> subprocess.Popen[bytes]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port), "--server.headless", "true", "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _wait_health(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("streamlit did not start")


def _floor(browser: object, chromium: str) -> float:
    """Streamlit's own floor here: a page of one title and one button, opened on a fresh server."""
    app = ROOT / "build" / "bench_app_floor.py"
    app.write_text('import streamlit as st\nst.title("floor")\nst.button("Try the sample contract")\n')
    port = _port()
    proc = _start(port, ROOT / "build" / "bench_app_floor.log", app)
    try:
        _wait_health(f"http://127.0.0.1:{port}")
        page = browser.new_page()  # type: ignore[attr-defined]
        t = time.monotonic()
        page.goto(f"http://127.0.0.1:{port}", wait_until="commit")
        page.get_by_role("button", name="Try the sample contract").wait_for()
        return time.monotonic() - t
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def _visit(page: object, url: str) -> tuple[float, float]:
    """Open the URL, then click the sample: seconds to the usable page, and from the click to the heatmap."""
    t = time.monotonic()
    page.goto(url, wait_until="commit")  # type: ignore[attr-defined]
    button = page.get_by_role("button", name="Try the sample contract")  # type: ignore[attr-defined]
    button.wait_for()
    first_page = time.monotonic() - t
    t = time.monotonic()
    button.click()
    page.wait_for_selector(HEATMAP)  # type: ignore[attr-defined]
    return first_page, time.monotonic() - t


def _coverage_value(page: object) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Coverage").first  # type: ignore[attr-defined]
    return str(metric.locator('[data-testid="stMetricValue"]').inner_text())


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    port = _port()
    url = f"http://127.0.0.1:{port}"
    log = ROOT / "build" / "bench_app_streamlit.log"
    log.parent.mkdir(exist_ok=True)
    results: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        start = time.monotonic()
        proc = _start(port, log)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1200})
            page.set_default_timeout(300_000)
            _wait_health(url)
            results["server_start_s"] = time.monotonic() - start
            results["first_page_cold_s"], results["sample_to_heatmap_cold_s"] = _visit(page, url)
            warm = browser.new_page(viewport={"width": 1500, "height": 1200})
            warm.set_default_timeout(300_000)
            results["first_page_warm_s"], results["sample_to_heatmap_warm_s"] = _visit(warm, url)

            before = _coverage_value(warm)
            slider = warm.get_by_role("slider").first
            slider.focus()
            t = time.monotonic()
            for _ in range(5):  # 0.05 up: enough to change the rounded figure on the sample
                warm.keyboard.press("ArrowRight")
            warm.wait_for_function(
                """(before) => [...document.querySelectorAll('[data-testid="stMetric"]')]
                    .some((m) => m.innerText.startsWith('Coverage\\n') && !m.innerText.includes(before))""",
                arg=before,
            )
            results["threshold_move_s"] = time.monotonic() - t
            results["floor_first_page_s"] = _floor(browser, chromium)
        finally:
            browser.close()
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
    failed = False
    for name, value in results.items():
        target = TARGETS.get(name)
        ok = target is None or value <= target
        failed |= not ok
        goal = "" if target is None else f" (target <= {target:g} s) {'ok' if ok else 'NOT MET'}"
        print(f"{name}: {value:.2f} s{goal}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
