"""The dashboard under load: five simultaneous users on one real `streamlit run` server.

Each user is its own Chromium context (its own Streamlit session), uploads a
different contract with a pasted summary, and waits for the plotly heatmap.
Every user must see their own document's sections (a marker section unique to
their file), and the server must load the model once. The latencies (upload to
rendered heatmap) are printed as p50/p95; `make load` shows them.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from test_browser import (
    CHROMIUM_FLAGS,
    HEATMAP_IMAGE,
    HEATMAP_RENDERED_JS,
    PAGE_TEXT_JS,
    ROOT,
    chromium,  # noqa: F401  (fixture)
    dashboard,  # noqa: F401  (fixture)
)

USERS = 5
TIMEOUT_MS = 150_000
FALLBACK_LOG = "Using the bundled all-MiniLM-L6-v2"
DOCUMENT_LABEL = "Document (.txt, .md, .pdf, .docx)"


def _documents(tmp_path: Path) -> list[tuple[Path, str]]:
    """Six different contracts (about 1,500 tokens each), each with a marker section of its own.

    The sixth repeats the first one's sections with every paragraph tagged, so it
    is as long, but no passage of it is in the shared embedding cache.
    """
    text = (ROOT / "sample_docs" / "services_agreement.md").read_text(encoding="utf-8")
    parts = text.split("\n## ")
    out = []
    for i in range(USERS + 1):
        k = i % USERS
        body = "\n## ".join([parts[0], *parts[1 + 3 * k : 4 + 3 * k]])
        if i == USERS:
            body = "\n\n".join(p if p.startswith("#") else f"{p} [copy]" for p in body.split("\n\n"))
        marker = f"Special Condition {chr(65 + i)}{i}"
        body += f"\n\n## 99. {marker}\n\n99.1 The {marker} applies to deliveries made by user {i} only.\n"
        path = tmp_path / f"contract_{i}.md"
        path.write_text(body, encoding="utf-8")
        out.append((path, marker))
    return out


async def _user(browser, url: str, doc: Path, marker: str, others: list[str]) -> float:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1400, "height": 1200})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        await page.goto(url, wait_until="domcontentloaded")
        box = page.get_by_label("…or paste the summary")
        # By its label: the uploaders are lazy-loaded components, and under load the
        # summary's uploader can mount first, so "the first file input" may be the wrong one.
        doc_widget = page.get_by_test_id("stFileUploader").filter(has_text=DOCUMENT_LABEL)
        uploader = doc_widget.locator('input[type="file"]')
        await box.wait_for()
        start = time.monotonic()
        await uploader.set_input_files(str(doc))
        await doc_widget.get_by_text(doc.name).wait_for()  # the document uploader lists the file
        await box.fill(f"- The provider supplies the services.\n- The {marker} applies to user deliveries.")
        await box.press("Control+Enter")
        try:  # no retry: every user's first upload and summary must get through
            await page.wait_for_function(HEATMAP_RENDERED_JS, arg=HEATMAP_IMAGE, polling=250)
        except Exception as exc:
            text = await page.evaluate(PAGE_TEXT_JS)
            raise AssertionError(
                f"{doc.name}: no heatmap ({exc.__class__.__name__}); page:\n{text[-2500:]}"
            ) from None
        latency = time.monotonic() - start
        text = await page.evaluate(PAGE_TEXT_JS)
        assert marker in text, f"user with {doc.name} does not see its own section {marker!r}"
        leaked = [m for m in others if m in text]
        assert not leaked, f"user with {doc.name} sees other users' sections: {leaked}"
    finally:
        await context.close()
    return latency


def test_five_simultaneous_users_each_get_their_own_result(
    chromium: str,  # noqa: F811
    dashboard: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.async_api import async_playwright

    url, log_path = dashboard
    *docs, solo = _documents(tmp_path)
    markers = [m for _, m in docs]

    async def run() -> tuple[float, list[float]]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
            try:
                warm = await browser.new_page()  # the first visit loads the model; time the users after it
                warm.set_default_timeout(TIMEOUT_MS)
                await warm.goto(url, wait_until="domcontentloaded")
                await warm.get_by_role("button", name="Try the sample contract").wait_for()
                await warm.close()
                alone = await _user(browser, url, *solo, markers)  # the same work with nobody else on
                together = await asyncio.gather(
                    *(_user(browser, url, d, m, [o for o in markers if o != m] + [solo[1]]) for d, m in docs)
                )
                return alone, sorted(together)
            finally:
                await browser.close()

    alone, latencies = asyncio.run(run())
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert log.count(FALLBACK_LOG) == 1, (
        f"the model was loaded {log.count(FALLBACK_LOG)} times:\n{log[-3000:]}"
    )
    p50 = statistics.median(latencies)
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(
        f"\nload: {USERS} simultaneous users, each a different contract; latency upload->rendered heatmap "
        f"p50 {p50:.1f} s, p95 {p95:.1f} s, max {latencies[-1]:.1f} s; one user alone {alone:.1f} s "
        "(model already loaded)"
    )
    assert len(latencies) == USERS
