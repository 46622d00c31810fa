"""A batch run SIGKILLed at 20+ random points and resumed each time ends exactly like an uninterrupted run.

Each run is a subprocess running :func:`summary_coverage.batch.local.run_batch_file`
on a ``Checker`` over a ``HashingEncoder`` that sleeps 10 ms per ``encode``
call, so a run takes seconds and a kill lands part-way through it. The
support judge is off: loading it (torch and transformers) took about 13 s
per process, every one of the 66 runs, and it is not what this test is about. Kill
points come from a seeded random generator: some before the run writes its
first row (during start-up, or before the output file exists at all), most
at a random delay after its first new row. Between some resumes a torn,
newline-less row is appended by hand, as a kill in the middle of a write
would leave it. At the end, the output holds exactly one row per input id,
in input order, each equal to the row of an uninterrupted run (floats within
1e-6), for JSONL, CSV and Parquet output (Parquet goes through its journal,
``OUTPUT.partial.jsonl``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summary_coverage import Checker, HashingEncoder, Settings
from summary_coverage.batch.local import run_batch_file

ROWS = 400
KILLS = 21
SLEEP_S = 0.01
EARLY_SHARE = 0.25  # share of kills aimed before the run's first new row
MID_DELAY_S = (0.0, 0.3)  # delay after the first new row
TORN_AFTER = frozenset({4, 11, 17})  # append a torn line after these kills
RUN_TIMEOUT_S = 60
NO_JUDGE = Settings(judge=False)

WORKER = f'''"""One batch run for test_kill_resume: SRC OUT [--resume]."""
import sys
import time

from summary_coverage import Checker, HashingEncoder, Settings
from summary_coverage.batch.local import run_batch_file


class SlowHashingEncoder(HashingEncoder):
    def encode(self, texts, **kwargs):
        time.sleep({SLEEP_S})
        return super().encode(texts, **kwargs)


run_batch_file(
    sys.argv[1], sys.argv[2], checker=Checker(SlowHashingEncoder(), settings=Settings(judge=False)),
    resume="--resume" in sys.argv[3:],
    progress=False, chunk_size=1,
)
'''


def _pairs(n: int) -> list[dict[str, str]]:
    """Short contracts whose texts differ per row (so each row really calls ``encode``)."""
    rows = []
    for i in range(n):
        document = (
            f"1. Fees\nClause {i}. The Client shall pay USD {1000 + 7 * i:,} within {10 + i % 50} days of "
            f"invoice. Late amounts bear {1 + i % 4}.5% interest a month.\n\n"
            f"2. Delivery\nThe Supplier shall deliver {i + 2} units a month for {i % 12 + 1} months.\n\n"
            f"3. Term\nEither party may terminate on {30 + i % 3 * 30} days' notice."
        )
        summary = (
            f"- The fee is ${1000 + 7 * i + (i % 5 == 0)}, due in {10 + i % 50} days.\n"
            f"- The supplier delivers {i + 2 + i % 2} units a month."
        )
        rows.append({"id": f"row-{i:04d}", "document": document, "summary": summary})
    return rows


def _journal(out: Path) -> Path:
    return out.with_name(out.name + ".partial.jsonl") if out.suffix == ".parquet" else out


def _lines(path: Path) -> int:
    """Complete lines in ``path`` (0 when it does not exist)."""
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _read_output(out: Path) -> list[dict[str, Any]]:
    if out.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(str(out)).to_pylist()
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n"), "the finished output ends with a torn line"
    if out.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    return [json.loads(line) for line in text.splitlines()]


def _same(a: Any, b: Any) -> bool:
    """Equal, or both numbers (CSV holds them as text) within 1e-6."""
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return math.isclose(x, y, rel_tol=0.0, abs_tol=1e-6)


def _torn_line(fmt: str, rid: str) -> bytes:
    if fmt == "csv":
        return f"{rid},0.4321,0.5".encode()
    return ('{"id": "' + rid + '", "coverage": 0.4321, "supp').encode()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_killed_at_random_points_and_resumed_equals_an_uninterrupted_run(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    pairs = _pairs(ROWS)
    ids = [p["id"] for p in pairs]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    written = _journal(out)  # the file rows are appended to
    env = os.environ | {"HF_HUB_OFFLINE": "1", "PYTHONSAFEPATH": "1"}
    rng = random.Random(f"kill-resume-{fmt}")

    kills: list[tuple[str, int]] = []  # (when, complete lines at the kill)
    runs = 0
    while len(kills) < KILLS:
        before = _lines(written)
        # CSV: a new file gets its header line before any row.
        first_row_at = before + 1 + (fmt == "csv" and before == 0)
        if runs == 0:  # before the output file even exists: start-up takes over a second
            budget = rng.uniform(0.1, 0.8)
        else:
            budget = rng.uniform(0.0, 2.0) if rng.random() < EARLY_SHARE else math.inf
        delay = rng.uniform(*MID_DELAY_S)
        cmd = [sys.executable, str(worker), str(src), str(out)] + (["--resume"] if runs else [])
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        runs += 1
        started = time.monotonic()
        kill_at = started + budget
        while proc.poll() is None:
            now = time.monotonic()
            if math.isinf(kill_at) and _lines(written) >= first_row_at:
                kill_at = now + delay
            if now >= kill_at or now - started > RUN_TIMEOUT_S:
                break
            time.sleep(0.002)
        if proc.poll() is not None:  # it finished (or failed) before the kill point
            _, err = proc.communicate()
            assert proc.returncode == 0, err.decode(errors="replace")
            pytest.fail(f"the run finished after {len(kills)} kills; give it more rows")
        assert time.monotonic() - started <= RUN_TIMEOUT_S, "a run stalled"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        lines = _lines(written)
        kills.append(("before-first-row" if lines < first_row_at else "mid-run", lines))
        if len(kills) - 1 in TORN_AFTER:
            done = len(list(_complete_rows(written, fmt)))
            with written.open("ab") as f:
                f.write(_torn_line(fmt, ids[done]))

    cmd = [sys.executable, str(worker), str(src), str(out), "--resume"]
    final = subprocess.run(cmd, env=env, capture_output=True, check=False)
    assert final.returncode == 0, final.stderr.decode(errors="replace")

    reference = tmp_path / f"reference.{fmt}"
    run_batch_file(
        src, reference, checker=Checker(HashingEncoder(), settings=NO_JUDGE), progress=False, chunk_size=1
    )
    expected = _read_output(reference)
    got = _read_output(out)
    if fmt == "parquet":
        assert not _journal(out).exists(), "the Parquet journal was left behind"

    mid = sum(when == "mid-run" for when, _ in kills)
    early_kills = len(kills) - mid
    print(f"{fmt}: {len(kills)} kills ({mid} mid-run, {early_kills} before the first row)", kills)
    assert len(kills) >= 20 and mid >= 10 and early_kills >= 1, kills
    assert [r["id"] for r in got] == ids, "rows lost, duplicated or out of order"
    assert [r["id"] for r in expected] == ids
    for row, ref in zip(got, expected, strict=True):
        assert row.keys() == ref.keys()
        bad = {k: (row[k], ref[k]) for k in row if not _same(row[k], ref[k])}
        assert not bad, f"{row['id']}: {bad}"


def _complete_rows(path: Path, fmt: str) -> list[str]:
    """The complete data lines of the file rows are appended to (CSV: without the header)."""
    if not path.exists():
        return []
    lines = path.read_bytes().split(b"\n")[:-1]
    return [line.decode() for line in (lines[1:] if fmt == "csv" else lines)]


def test_a_kill_between_the_parquet_rename_and_the_journal_unlink_does_not_duplicate_rows(
    tmp_path: Path,
) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pairs = _pairs(5)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    checker = Checker(HashingEncoder(), settings=NO_JUDGE)
    out = tmp_path / "out.parquet"
    journal = tmp_path / "journal.jsonl"
    run_batch_file(src, journal, checker=checker, progress=False)  # what the journal held
    run_batch_file(src, out, checker=checker, progress=False)
    journal.rename(_journal(out))  # the state a kill right after os.replace() leaves
    run_batch_file(src, out, checker=checker, progress=False, resume=True)
    assert [r["id"] for r in pq.read_table(str(out)).to_pylist()] == [p["id"] for p in pairs]
