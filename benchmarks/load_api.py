"""Load test of the HTTP service (`make load-api`): loopback only, bounded in count and time.

Starts ``summary-coverage serve`` (bundled MiniLM, default dtype, queue of 8)
on a free loopback port and drives it with closed-loop clients (each sends its
next request when the previous one is answered; no retries):

1. **short pairs** (a two-sentence document and a one-sentence summary, the
   similarity case): throughput and p50/p95/p99 latency at 1, 4 and 16
   clients; the 429s that appear once more clients than the queue holds are
   counted, with their own latency.
The server runs without its embedding cache (``--no-cache``), so every
request is encoded in full, as distinct requests are; ``--cache`` keeps it.

2. **the sample contract** (6.8k tokens, with its summary) at 1, 4 and 16
   clients: the same figures; at 16 clients with a queue of 8, every request
   must answer 200 or 429, none lost, none 5xx, and a 429 come at once.
3. **memory**: the server's RSS after the first 100 requests (short pairs and
   3 contracts, the mix of the rest) and after 2,000.

Targets (2 cores): short pairs >= 40 requests/s at 4 clients with p95 <= 250 ms;
contract at 16 clients: only 200/429, 429 within 100 ms; RSS after 2,000
requests within 50 MB of after 100.

Usage: python benchmarks/load_api.py [--json build/load_api.json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHORT = {
    "document": "The Provider shall deliver the usage reports every month. Fees are due within thirty days.",
    "summary": "Usage reports are delivered monthly.",
}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def drive(base: str, body: dict[str, Any], clients: int, per_client: int) -> dict[str, Any]:
    """``clients`` closed-loop clients, ``per_client`` requests each; latencies by status."""
    import httpx

    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=300) as http:
            for _ in range(per_client):
                t0 = time.perf_counter()
                try:
                    status = http.post(base + "/v1/check", json=body).status_code
                except httpx.HTTPError:
                    status = -1  # lost: no answer
                with lock:
                    results.append((status, time.perf_counter() - t0))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    ok = [s for st, s in results if st == 200]
    busy = [s for st, s in results if st == 429]
    return {
        "clients": clients,
        "requests": len(results),
        "ok": len(ok),
        "busy_429": len(busy),
        "other": sorted({st for st, _ in results} - {200, 429}),
        "lost": sum(st == -1 for st, _ in results),
        "ok_per_s": len(ok) / wall,
        "p50_ms": 1000 * _pct(ok, 0.50),
        "p95_ms": 1000 * _pct(ok, 0.95),
        "p99_ms": 1000 * _pct(ok, 0.99),
        "max_429_ms": 1000 * max(busy) if busy else None,
        "median_429_ms": 1000 * statistics.median(busy) if busy else None,
    }


def _row(name: str, r: dict[str, Any]) -> str:
    busy = f"{r['busy_429']} (max {r['max_429_ms']:.0f} ms)" if r["busy_429"] else "0"
    bad = f"; other statuses {r['other']}, lost {r['lost']}" if r["other"] or r["lost"] else ""
    return (
        f"| {name} | {r['clients']} | {r['requests']} | {r['ok_per_s']:.1f} | {r['p50_ms']:.0f} | "
        f"{r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {busy}{bad} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "load_api.json")
    parser.add_argument("--queue-size", type=int, default=8)
    parser.add_argument(
        "--cache", action="store_true", help="keep the server's embedding cache (repeated texts are free)"
    )
    args = parser.parse_args(argv)
    import httpx

    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    cmd = [sys.executable, "-m", "summary_coverage", "serve", "--model", "bundled", "--port", str(port)]
    cmd += ["--queue-size", str(args.queue_size), "--log-level", "warning"]
    if not args.cache:
        cmd.append("--no-cache")
    server = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        dtype = json.loads(httpx.post(base + "/v1/check", json=SHORT).text)["model"]["dtype"]
        contract: dict[str, Any] = {
            "document": (ROOT / "sample_docs" / "services_agreement.md").read_text(encoding="utf-8"),
            "summary": (ROOT / "sample_docs" / "services_agreement.summary.md").read_text(encoding="utf-8"),
        }
        results: dict[str, Any] = {"dtype": dtype, "queue_size": args.queue_size}
        # the first 100 requests: the same mix as the rest (short pairs and a few contracts)
        drive(base, contract, 1, 3)
        warm = drive(base, SHORT, 1, 96)
        results["rss_after_100_mb"] = _rss_mb(server.pid)
        results["short"] = [warm] + [drive(base, SHORT, c, n) for c, n in ((4, 100), (16, 50))]
        results["contract"] = [drive(base, contract, c, n) for c, n in ((1, 4), (4, 4), (16, 2))]
        done = 4 + sum(r["requests"] for r in results["short"] + results["contract"])
        rest = max(0, 2000 - done)
        results["fill"] = drive(base, SHORT, 4, -(-rest // 4)) if rest else None
        total = done + (results["fill"]["requests"] if results["fill"] else 0)
        results["requests_total"] = total
        results["rss_after_total_mb"] = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    cache = "embedding cache on" if args.cache else "no embedding cache: every text encoded"
    print(f"summary-coverage serve, bundled MiniLM ({results['dtype']}), queue {args.queue_size}, {cache}")
    print("| load | clients | requests | 200s per s | p50 ms | p95 ms | p99 ms | 429s |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results["short"]:
        print(_row("short pair", r))
    for r in results["contract"]:
        print(_row("sample contract", r))
    four = results["short"][1]
    print(
        f"short pairs at 4 clients: {four['ok_per_s']:.1f} requests/s (target >= 40), "
        f"p95 {four['p95_ms']:.0f} ms (target <= 250)"
    )
    c16 = results["contract"][2]
    print(
        f"contract at 16 clients: {c16['ok']} x 200, {c16['busy_429']} x 429, other {c16['other']}, "
        f"lost {c16['lost']}; slowest 429 {c16['max_429_ms'] or 0:.0f} ms (target <= 100)"
    )
    grow = results["rss_after_total_mb"] - results["rss_after_100_mb"]
    print(
        f"server RSS {results['rss_after_100_mb']:.0f} MB after 100 requests, "
        f"{results['rss_after_total_mb']:.0f} MB after {results['requests_total']:,}: "
        f"{grow:+.0f} MB (target within 50)"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
