"""The HTTP service on real servers (uvicorn on loopback ports) with a real client (httpx).

One server is a separate process started by ``summary-coverage serve`` (the
bundled model, float32); servers with other configurations (auth, a small
queue, a broken checker) run uvicorn in a thread of this process, sharing the
session's loaded model.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from summary_coverage import Checker, Settings  # noqa: E402
from summary_coverage.batch.rows import report_row  # noqa: E402
from summary_coverage.errors import InputError  # noqa: E402
from summary_coverage.service.app import create_app  # noqa: E402
from summary_coverage.service.config import DEFAULT_TIME_BUDGET, ServiceConfig  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
SHORT_DOC = "The Provider shall deliver the reports every month. Fees are due within thirty days of invoice."
SHORT_SUMMARY = "Reports are delivered monthly. Fees are due within 30 days."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, proc: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text() if log else ''}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the server process writes its logs: a file, so a full pipe can never block the server."""
    return tmp_path_factory.mktemp("serve") / "server.log"


SERVER_PIDS: dict[str, int] = {}
"""The process of each ``serve`` started here, by base URL (its memory is read from /proc)."""


@pytest.fixture(scope="module")
def server(server_log: Path) -> Iterator[str]:
    """``summary-coverage serve`` in its own process, bundled model in float32."""
    port = _free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    cmd = [
        sys.executable, "-m", "summary_coverage", "serve", "--model", "bundled", "--dtype", "float32",
        "--port", str(port), "--queue-size", "2", "--log-level", "info",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with server_log.open("wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        SERVER_PIDS[base] = proc.pid
        try:
            _wait_ready(base, proc, server_log)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


class ThreadServer:
    """uvicorn serving an app in a background thread, on a free loopback port."""

    def __init__(self, app: Any) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        _wait_ready(self.base)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


def _error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"] and body["error"]["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    return dict(body["error"])


# --- endpoints ------------------------------------------------------------------------------------


def test_health_readiness_and_the_openapi_schema(server: str) -> None:
    assert httpx.get(server + "/healthz").json() == {"status": "ok"}
    ready = httpx.get(server + "/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    schema = httpx.get(server + "/openapi.json").json()
    assert {"/v1/check", "/v1/batch", "/healthz", "/readyz", "/metrics"} <= set(schema["paths"])
    body = schema["paths"]["/v1/check"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert httpx.get(server + "/docs").status_code == 200


def test_check_json_equals_the_librarys_report(
    server: str, minilm: Checker, contract: str, flawed_summary: str
) -> None:
    response = httpx.post(
        server + "/v1/check", json={"document": contract, "summary": flawed_summary}, timeout=120
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    want = minilm.check(contract, flawed_summary, settings=Settings(time_budget=DEFAULT_TIME_BUDGET))
    # Same fields, same decisions, same texts and offsets; floats agree to rounding (another process
    # and thread may sum in another order, which moves the last digit of a few scores).
    _same(response.json(), json.loads(want.to_json()))


def _same(got: Any, want: Any, where: str = "report") -> None:
    if isinstance(want, float) and isinstance(got, float | int):
        assert got == pytest.approx(want, abs=1e-6), where
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), where
        for k in want:
            _same(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            _same(g, w, f"{where}[{i}]")
    else:
        assert got == want, where


def test_check_html_is_the_escaped_report(server: str) -> None:
    # Hostile text in a passage the summary does not cover, so the report lists it.
    doc = (
        SHORT_DOC + "\n\nThe <script>alert(1)</script> liability of each party is capped at the annual fees."
    )
    response = httpx.post(
        server + "/v1/check", params={"format": "html"}, json={"document": doc, "summary": SHORT_SUMMARY}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text


def test_multipart_upload_of_two_files(server: str) -> None:
    files = {
        "document": ("services_agreement.md", (SAMPLES / "services_agreement.md").read_bytes()),
        "summary": ("summary.md", (SAMPLES / "services_agreement.summary.md").read_bytes()),
    }
    response = httpx.post(
        server + "/v1/check", files=files, data={"settings": '{"coverage_threshold": 0.4}'}, timeout=120
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (
        report["document"]["source"] == "services_agreement.md"
        and report["summary"]["source"] == "summary.md"
    )
    assert report["settings"]["coverage_threshold"] == 0.4 and report["passages"]


def test_a_word_files_reader_warnings_reach_the_report(server: str) -> None:
    from fixtures_docs import tracked_docx

    files = {
        "document": ("tracked.docx", tracked_docx()),
        "summary": ("s.txt", b"Payment is due in 30 days."),
    }
    report = httpx.post(server + "/v1/check", files=files).json()
    assert any("tracked changes" in w for w in report["warnings"])


def test_batch_streams_one_row_per_line_and_bad_lines_become_error_rows(server: str, minilm: Checker) -> None:
    lines = [
        json.dumps({"id": "a", "document": SHORT_DOC, "summary": SHORT_SUMMARY}),
        "{not json",
        json.dumps({"id": "p", "document_path": "/etc/passwd", "summary": "x"}),
        json.dumps({"document": SHORT_DOC, "summary": ""}),
        json.dumps({"id": "e", "document": "   ", "summary": "x"}),
    ]
    response = httpx.post(
        server + "/v1/batch",
        content="\n".join(lines) + "\n",
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [r["id"] for r in rows] == ["a", "1", "p", "3", "e"]
    assert [r["error"] is None for r in rows] == [True, False, False, True, False]
    assert "not valid JSON" in rows[1]["error"] and "Paths are not accepted" in rows[2]["error"]
    want = report_row(
        "a", minilm.check(SHORT_DOC, SHORT_SUMMARY, settings=Settings(time_budget=DEFAULT_TIME_BUDGET))
    )
    assert rows[0] == want


# --- errors ---------------------------------------------------------------------------------------


JSON = {"content-type": "application/json"}


def _with(settings: dict[str, Any]) -> bytes:
    return json.dumps({"document": SHORT_DOC, "summary": "x", "settings": settings}).encode()


@pytest.mark.parametrize(
    ("body", "headers", "status", "code", "words"),
    [
        (b"{not json", JSON, 400, "bad_request", "not valid JSON"),
        (b'{"document": "x"}', JSON, 400, "bad_request", "'summary' is missing"),
        (b'{"document": 3, "summary": ""}', JSON, 400, "bad_request", "must be a string"),
        (_with({"nope": 1}), JSON, 400, "bad_request", "Unknown setting 'nope'"),
        (_with({"coverage_threshold": 7}), JSON, 400, "bad_request", "between 0 and 1"),
        (_with({"max_chars": "many"}), JSON, 400, "bad_request", "Invalid settings"),
        (
            b"document=x",
            {"content-type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
            "json",
        ),
        (b'{"document": "   ", "summary": "x"}', JSON, 422, "unreadable_input", "whitespace"),
    ],
)
def test_bad_requests_get_one_json_error_shape(
    server: str, body: bytes, headers: dict[str, str], status: int, code: str, words: str
) -> None:
    error = _error(httpx.post(server + "/v1/check", content=body, headers=headers), status, code)
    assert words in error["message"]


def test_uploads_of_the_wrong_type_or_unreadable_files(server: str) -> None:
    exe = {"document": ("tool.exe", b"MZ\x90\x00"), "summary": ("s.txt", b"x")}
    assert (
        "file type"
        in _error(httpx.post(server + "/v1/check", files=exe), 415, "unsupported_media_type")["message"]
    )
    empty = {"document": ("empty.txt", b""), "summary": ("s.txt", b"x")}
    assert (
        "empty" in _error(httpx.post(server + "/v1/check", files=empty), 422, "unreadable_input")["message"]
    )
    broken = {"document": ("broken.pdf", b"%PDF-1.4 garbage"), "summary": ("s.txt", b"x")}
    _error(httpx.post(server + "/v1/check", files=broken), 422, "unreadable_input")
    missing = {"document": ("d.txt", SHORT_DOC.encode())}
    assert (
        "'summary'" in _error(httpx.post(server + "/v1/check", files=missing), 400, "bad_request")["message"]
    )


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _stream(megabytes: int) -> Iterator[bytes]:
    block = b" " * (1024 * 1024)
    for _ in range(megabytes):
        yield block


def _post_urllib(url: str, body: bytes | Iterator[bytes]) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:  # a 4xx: what we want to see, with its body
        return exc.code, exc.read()


def _post_requests(url: str, body: bytes | Iterator[bytes]) -> tuple[int, bytes]:
    requests = pytest.importorskip("requests")
    r = requests.post(url, data=body, headers={"content-type": "application/json"}, timeout=120)
    return r.status_code, r.content


def _post_httpx(url: str, body: bytes | Iterator[bytes]) -> tuple[int, bytes]:
    r = httpx.post(url, content=body, headers={"content-type": "application/json"}, timeout=120)
    return r.status_code, r.content


def _post_curl(url: str, body: bytes | Iterator[bytes]) -> tuple[int, bytes]:
    import shutil

    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    cmd = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "-H", "content-type: application/json"]
    if not isinstance(body, bytes):
        cmd += ["-H", "Transfer-Encoding: chunked"]
    proc = subprocess.Popen(
        [*cmd, "--data-binary", "@-", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )

    def feed() -> None:
        assert proc.stdin is not None
        try:
            for block in [body] if isinstance(body, bytes) else body:
                proc.stdin.write(block)
            proc.stdin.close()
        except BrokenPipeError:  # curl stopped reading: it has its answer
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.wait(timeout=120)
    writer.join(timeout=10)
    assert proc.returncode == 0, err.decode()
    text, _, code = out.rpartition(b"\n")
    return int(code), text


@pytest.mark.parametrize("client", ["urllib", "requests", "httpx", "curl"])
def test_bodies_over_50_mb_are_refused_with_413_that_every_client_reads(server: str, client: str) -> None:
    """A 60 MB post and a 200 MB chunked stream: each client reads the 413 and its JSON error.

    urllib used to see "Connection reset by peer": the server answered and closed while it was still
    sending. The server's memory stays flat (the body is read and discarded, never kept), and the next
    request is served. Memory is compared over a second round: the first may raise the allocator's
    high-water mark once (48 MB once, on a loaded machine), which a server keeping bodies would do on
    every round.
    """
    post = {"urllib": _post_urllib, "requests": _post_requests, "httpx": _post_httpx, "curl": _post_curl}[
        client
    ]
    pid = SERVER_PIDS[server]
    rss = []
    for _ in range(2):
        rss.append(_rss_mb(pid))
        for body in (b" " * (60 * 1024 * 1024), _stream(200)):
            status, raw = post(server + "/v1/check", body)
            assert status == 413, raw[:200]
            error = json.loads(raw)["error"]
            assert error["code"] == "too_large" and "over the limit" in error["message"]
            assert httpx.get(server + "/readyz").status_code == 200
    rss.append(_rss_mb(pid))
    assert rss[2] - rss[1] < 40, f"the server kept part of a refused body: {rss} MB"


def test_every_refusal_is_read_not_only_413(server: str) -> None:
    """A 404 or 405 answered before a 20 MB body was read still reaches urllib, with its JSON."""
    for path, status in (("/v1/nowhere", 404), ("/readyz", 405)):
        code, raw = _post_urllib(server + path, b" " * (20 * 1024 * 1024))
        assert code == status and json.loads(raw)["error"]["message"]


def test_a_text_over_the_character_limit_is_413(server: str) -> None:
    body = {"document": "word " * 500_000, "summary": "x", "settings": {"max_chars": 1000}}
    assert "characters" in _error(httpx.post(server + "/v1/check", json=body), 413, "too_large")["message"]


def test_over_budget_is_504_for_that_request_only(server: str, contract: str, faithful_summary: str) -> None:
    body = {"document": contract, "summary": faithful_summary, "settings": {"time_budget": 0.001}}
    _error(httpx.post(server + "/v1/check", json=body, timeout=60), 504, "over_budget")
    ok = httpx.post(server + "/v1/check", json={"document": SHORT_DOC, "summary": SHORT_SUMMARY})
    assert ok.status_code == 200


def test_unknown_paths_and_methods_use_the_same_error_shape(server: str) -> None:
    _error(httpx.get(server + "/v1/nothing"), 404, "not_found")
    _error(httpx.get(server + "/v1/check"), 405, "method_not_allowed")


def test_a_full_queue_answers_429_with_retry_after_and_serves_what_it_took(
    server: str, contract: str, faithful_summary: str
) -> None:
    body = {"document": contract, "summary": faithful_summary}

    def post(_: int) -> httpx.Response:
        return httpx.post(server + "/v1/check", json=body, timeout=120)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(8)))
    statuses = [r.status_code for r in answers]
    assert set(statuses) <= {200, 429} and statuses.count(200) >= 2 and 429 in statuses
    busy = next(r for r in answers if r.status_code == 429)
    assert busy.headers["retry-after"] == "1"
    _error(busy, 429, "overloaded")


def test_a_client_that_leaves_mid_upload_or_mid_check_costs_nothing_further(
    server: str, contract: str, faithful_summary: str
) -> None:
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:  # half a body, then gone
        head = "POST /v1/check HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        sock.sendall(head.encode() + b"content-length: 100000\r\n\r\n")
        sock.sendall(b'{"document": "' + b"a" * 1000)
    # a long document no earlier test sent (so none of it is in the server's embedding cache): the check
    # is still encoding when the client leaves
    fresh = "\n\n".join(
        f"Clause {i} requires the supplier to ship batch {i} within {i % 90 + 1} days." for i in range(3000)
    )
    payload = json.dumps({"document": fresh, "summary": faithful_summary}).encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:  # a whole request, then gone
        head = "POST /v1/check HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        sock.sendall(head.encode() + f"content-length: {len(payload)}\r\n\r\n".encode() + payload)
        time.sleep(0.3)
    deadline = time.monotonic() + 60

    def settled(text: str) -> bool:  # both abandoned requests counted (499), nothing left in the queue
        return "summary_coverage_queue_depth 0" in text and _count(text, "499") >= 2

    while time.monotonic() < deadline and not settled(httpx.get(server + "/metrics").text):
        time.sleep(0.1)
    metrics = httpx.get(server + "/metrics").text
    assert settled(metrics), metrics
    assert _count(metrics, "500") == 0  # a client that leaves is not a bug
    assert (
        httpx.post(server + "/v1/check", json={"document": SHORT_DOC, "summary": SHORT_SUMMARY}).status_code
        == 200
    )


def _count(metrics: str, status: str) -> float:
    """Requests answered with ``status`` on /v1/check, from the Prometheus text."""
    key = f'summary_coverage_requests_total{{endpoint="/v1/check",status="{status}"}} '
    return sum(float(line[len(key) :]) for line in metrics.splitlines() if line.startswith(key))


def test_metrics_count_what_happened(server: str) -> None:
    httpx.post(server + "/v1/check", json={"document": SHORT_DOC, "summary": SHORT_SUMMARY})
    httpx.post(server + "/v1/check", content=b"{", headers={"content-type": "application/json"})
    text = httpx.get(server + "/metrics").text
    values = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line and not line.startswith("#")
    }
    assert values['summary_coverage_requests_total{endpoint="/v1/check",status="200"}'] >= 1
    assert values['summary_coverage_requests_total{endpoint="/v1/check",status="400"}'] >= 1
    assert values['summary_coverage_errors_total{kind="bad_request"}'] >= 1
    assert values["summary_coverage_encoder_tokens_total"] > 0
    assert values['summary_coverage_request_seconds_count{endpoint="/v1/check"}'] >= 2
    assert values['summary_coverage_request_seconds_bucket{endpoint="/v1/check",le="+Inf"}'] >= 2


# --- auth, and a real bug ---------------------------------------------------------------------------


def test_bearer_token_auth(minilm: Checker, tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("s3cret-token\n")
    app = create_app(ServiceConfig(api_key_file=str(key)), checker=minilm)
    with ThreadServer(app) as srv:
        body = {"document": SHORT_DOC, "summary": SHORT_SUMMARY}
        no = httpx.post(srv.base + "/v1/check", json=body)
        assert _error(no, 401, "unauthorized") and no.headers["www-authenticate"] == "Bearer"
        _error(
            httpx.post(srv.base + "/v1/check", json=body, headers={"authorization": "Bearer wrong"}),
            401,
            "unauthorized",
        )
        _error(httpx.get(srv.base + "/metrics"), 401, "unauthorized")
        good = {"authorization": "Bearer s3cret-token"}
        assert httpx.post(srv.base + "/v1/check", json=body, headers=good).status_code == 200
        assert httpx.get(srv.base + "/metrics", headers=good).status_code == 200
        assert httpx.get(srv.base + "/healthz").status_code == 200  # health stays open
    with ThreadServer(create_app(ServiceConfig(), checker=minilm)) as open_srv:  # auth off
        assert httpx.post(open_srv.base + "/v1/check", json=body).status_code == 200


class _Broken:
    """A checker with a bug."""

    def __init__(self, real: Checker) -> None:
        self.model_info = real.model_info

    def check(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")


def test_a_real_bug_is_500_with_a_request_id_and_no_traceback(
    minilm: Checker, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(ServiceConfig(), checker=_Broken(minilm))  # type: ignore[arg-type]
    with ThreadServer(app) as srv, caplog.at_level("ERROR", logger="summary_coverage.service"):
        response = httpx.post(
            srv.base + "/v1/check",
            json={"document": SHORT_DOC, "summary": "x"},
            headers={"x-request-id": "req-42"},
        )
        error = _error(response, 500, "internal")
        assert "req-42" in error["message"] and "secret internal detail" not in response.text
    assert any(getattr(r, "request_id", None) == "req-42" and r.exc_info for r in caplog.records)


def test_no_cors_headers_unless_configured(server: str, minilm: Checker) -> None:
    preflight = {"origin": "https://evil.example", "access-control-request-method": "POST"}
    assert "access-control-allow-origin" not in httpx.options(server + "/v1/check", headers=preflight).headers
    with ThreadServer(
        create_app(ServiceConfig(cors_origins=("https://app.example",)), checker=minilm)
    ) as srv:
        ok = httpx.options(srv.base + "/v1/check", headers=preflight | {"origin": "https://app.example"})
        assert ok.headers["access-control-allow-origin"] == "https://app.example"


def test_logs_are_json_lines_with_request_ids(server: str, server_log: Path) -> None:
    httpx.post(
        server + "/v1/check", json={"document": SHORT_DOC, "summary": "x"}, headers={"x-request-id": "log-7"}
    )
    httpx.get(server + "/healthz")  # the log line of the request above is written by now
    lines = [json.loads(line) for line in server_log.read_text().splitlines() if line.strip()]
    mine = [r for r in lines if r.get("request_id") == "log-7"]
    assert mine and mine[0]["path"] == "/v1/check" and mine[0]["status"] == 200 and mine[0]["level"] == "info"
    assert all({"time", "level", "logger", "message"} <= set(r) for r in lines)


def test_serve_options_reach_the_service_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from summary_coverage import cli
    from summary_coverage.service import server as server_module

    seen: list[ServiceConfig] = []
    monkeypatch.setattr(server_module, "serve", seen.append)
    key = tmp_path / "key"
    key.write_text("k")
    argv = [
        "serve", "--port", "9001", "--model", "bundled", "--dtype", "float32", "--backend", "auto",
        "--workers", "3",
        "--queue-size", "5", "--time-budget", "9", "--max-body-mb", "2", "--max-chars", "777",
        "--api-key-file", str(key), "--cors-origin", "https://a.example", "--log-level", "debug",
        "--no-cache",
    ]  # fmt: skip
    assert cli.main(argv) == 0
    assert seen == [
        ServiceConfig(
            port=9001, model="bundled", dtype="float32", backend="auto", workers=3, queue_size=5,
            time_budget=9.0,
            max_body_bytes=2 * 1024 * 1024, max_chars=777, api_key_file=str(key),
            cors_origins=("https://a.example",), log_level="debug", cache=False,
        )
    ]  # fmt: skip
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    assert cli.main(["serve", "--api-key-file", str(empty)]) == 2  # a clear error, before any model loads


def test_the_service_runs_the_int8_backend_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("onnxruntime", reason="the onnx extra is not installed")
    monkeypatch.setenv("SUMMARY_COVERAGE_ONNX_DIR", str(tmp_path))
    with pytest.raises(InputError, match="--backend must be torch, onnx or auto"):
        ServiceConfig(backend="tpu")
    app = create_app(ServiceConfig(model="bundled", backend="onnx", device="cpu"))
    with ThreadServer(app) as srv:
        answer = httpx.post(srv.base + "/v1/check", json={"document": SHORT_DOC, "summary": SHORT_SUMMARY})
    assert answer.status_code == 200, answer.text
    model = answer.json()["model"]
    assert model["name"].endswith("+onnx-int8") and model["dtype"] == "int8"
