"""Batch scoring: one row per input row, in order; bad rows become error rows; files resume after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from summary_coverage import Checker, HashingEncoder, InputError, Settings, score_batch
from summary_coverage.batch.local import COLUMNS, run_batch_file
from summary_coverage.batch.row_files import RowWriter, read_rows, read_written_rows
from summary_coverage.cli import main
from summary_coverage.errors import BudgetExceededError

from conftest import SHORT_PAIRS


def test_rows_are_in_input_order_and_equal_single_checks(minilm) -> None:
    rows = score_batch(SHORT_PAIRS, checker=minilm, chunk_size=2)
    assert [r["id"] for r in rows] == ["0", "1", "2"]
    for row, (doc, summ) in zip(rows, SHORT_PAIRS, strict=True):
        report = minilm.check(doc, summ)
        assert row["coverage"] == pytest.approx(report.coverage, abs=1e-5)
        assert row["support"] == pytest.approx(report.support, abs=1e-5)
        assert row["error"] is None and set(row) == set(COLUMNS)
    assert rows[1]["contradicted"] == 1 and rows[1]["unsupported"] == 1  # 60 days against 90 days


def test_chunks_end_at_a_pair_count_or_a_character_budget() -> None:
    from summary_coverage.batch.local import BatchItem, _chunks

    items = [BatchItem(str(i), "d" * 40, "s" * 10) for i in range(7)]
    assert [len(c) for c in _chunks(items, 3)] == [3, 3, 1]
    assert [len(c) for c in _chunks(items, 100, chars=120)] == [3, 3, 1]  # 50 characters a pair
    assert [len(c) for c in _chunks(items, 100, chars=10)] == [1] * 7  # a long pair goes alone
    assert [it.id for c in _chunks(items, 2, chars=120) for it in c] == [str(i) for i in range(7)]


def test_one_bad_pair_does_not_make_the_chunk_fall_back_to_single_checks(minilm, monkeypatch) -> None:
    # A bad pair used to fail the chunk's batched pass, and every pair of the chunk was then
    # checked on its own (200 short pairs with one empty document: 10.8 s against 5.7 s).
    def single(*args, **kwargs):
        raise AssertionError("fell back to one check per pair")

    monkeypatch.setattr(minilm, "check", single)
    pairs = [
        SHORT_PAIRS[0],
        ("   ", "Anything."),
        SHORT_PAIRS[1],
        ("Fees \ud800 due.", "Fees due."),
        SHORT_PAIRS[2],
    ]
    rows = score_batch(pairs, checker=minilm)
    assert [r["error"] is None for r in rows] == [True, False, True, False, True]
    assert "only whitespace" in rows[1]["error"] and "lone surrogate" in rows[3]["error"]
    assert rows[2]["contradicted"] == 1  # the good pairs are scored as usual


def test_dicts_dataframes_and_streaming_give_the_same_rows(minilm) -> None:
    dicts = [{"id": f"r{i}", "document": d, "summary": s} for i, (d, s) in enumerate(SHORT_PAIRS)]
    a = score_batch(dicts, checker=minilm)
    b = score_batch(pd.DataFrame(dicts), checker=minilm)
    stream = score_batch(dicts, checker=minilm, stream=True)
    assert not isinstance(stream, list)
    c = list(stream)
    assert [r["id"] for r in a] == ["r0", "r1", "r2"]
    for x, y, z in zip(a, b, c, strict=True):
        assert x == y == z


def test_bad_rows_become_error_rows_and_the_batch_goes_on(minilm, tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(SHORT_PAIRS[0][0], encoding="utf-8")
    rows = [
        {"id": "empty", "document": "", "summary": "x"},
        {"id": "no-doc", "summary": "x"},
        {"id": "wrong-type", "document": 42, "summary": "x"},
        {"id": "escape", "document_path": "../../etc/passwd", "summary": "x"},
        {"id": "absolute", "document_path": "/etc/passwd", "summary": "x"},
        {"id": "missing-file", "document_path": "nope.txt", "summary": "x"},
        {"id": "three", "document": "a", "summary": "b", "extra": 1},
        ("only one item",),
        {"id": "ok", "document_path": "doc.txt", "summary": SHORT_PAIRS[0][1]},
    ]
    out = score_batch(rows, checker=minilm, base_dir=tmp_path, chunk_size=4)
    errors = {r["id"]: r["error"] for r in out}
    assert [r["id"] for r in out] == ["empty", "no-doc", "wrong-type", "escape", "absolute", "missing-file",
                                      "three", "7", "ok"]  # fmt: skip
    assert errors["empty"] == "The document is empty."
    assert "no 'document'" in errors["no-doc"] and "must hold text" in errors["wrong-type"]
    assert "outside the allowed base directory" in errors["escape"]
    assert "outside the allowed base directory" in errors["absolute"]
    assert errors["missing-file"] and errors["7"] and "pair must be" in errors["7"]
    assert errors["three"] is None and errors["ok"] is None  # extra columns are fine
    assert out[-1]["coverage"] == pytest.approx(score_batch([SHORT_PAIRS[0]], checker=minilm)[0]["coverage"])
    assert all(r["coverage"] is None for r in out if r["error"])


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("ext", ["jsonl", "csv", "parquet"])
def test_cli_batch_writes_every_format(minilm, tmp_path: Path, ext: str, capsys) -> None:
    rows = [{"id": f"p{i}", "document": d, "summary": s} for i, (d, s) in enumerate(SHORT_PAIRS)]
    src = tmp_path / f"in.{ext}"
    if ext == "jsonl":
        _write_jsonl(src, rows)
    elif ext == "csv":
        pd.DataFrame(rows).to_csv(src, index=False)
    else:
        pd.DataFrame(rows).to_parquet(src)
    out = tmp_path / f"out.{ext}"
    code = main(["batch", str(src), "-o", str(out), "--model", "bundled", "--no-progress", "--full"])
    assert code == 0, capsys.readouterr().err
    got = list(read_written_rows(out))
    assert [str(r["id"]) for r in got] == ["p0", "p1", "p2"]
    assert float(got[1]["support"]) == 0.0 and int(got[1]["contradicted"]) == 1
    report = json.loads(got[0]["report"])
    assert report["schema_version"] == 1 and report["summary"]["chars"] == len(SHORT_PAIRS[0][1])
    assert not list(tmp_path.glob("*.partial.jsonl")) and not list(tmp_path.glob("*.tmp"))


def test_cli_batch_exit_codes(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [{"id": "a", "document": "", "summary": "x"}])
    assert (
        main(["batch", str(src), "-o", str(tmp_path / "o.jsonl"), "--model", "bundled", "--no-progress"]) == 3
    )
    assert "1 rows are errors" in capsys.readouterr().err
    # the output exists now: refuse to clobber it
    assert main(["batch", str(src), "-o", str(tmp_path / "o.jsonl"), "--model", "bundled"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "x.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["batch", str(src), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "Cannot tell the format" in capsys.readouterr().err


def test_malformed_lines_and_columns_in_files(minilm, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "document": "Fees are due in 30 days.", "summary": "Fees are due in 30 days."}\n'
        "{broken\n"
        "[1, 2]\n"
        '{"id": "d", "document": null, "summary": "x"}\n',
        encoding="utf-8",
    )
    summary = run_batch_file(src, tmp_path / "out.jsonl", checker=minilm, progress=False)
    rows = list(read_written_rows(tmp_path / "out.jsonl"))
    assert [r["id"] for r in rows] == ["a", "1", "2", "d"]
    assert rows[0]["error"] is None and all(r["error"] for r in rows[1:])
    assert (summary.written, summary.errors) == (4, 3)
    csv_src = tmp_path / "in.csv"
    csv_src.write_text("id,text\nx,hello\n", encoding="utf-8")
    run_batch_file(csv_src, tmp_path / "out.csv", checker=minilm, progress=False)
    (row,) = read_written_rows(tmp_path / "out.csv")
    assert "no 'document'" in row["error"]


def test_a_torn_last_line_is_cut_off_on_resume(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "a", "error": null}\n{"id": "b", "err', encoding="utf-8")
    assert [r["id"] for r in read_written_rows(out)] == ["a"]
    with RowWriter(out, ["id", "error"], resume=True) as w:
        w.write({"id": "c", "error": None})
    assert out.read_text(encoding="utf-8") == '{"id": "a", "error": null}\n{"id": "c", "error": null}\n'
    assert list(read_rows(out)) == [{"id": "a", "error": None}, {"id": "c", "error": None}]


def _pairs(n: int) -> list[dict]:
    return [
        {"id": f"id-{i:03d}", "document": f"Clause {i}. The fee of USD {1000 + i} is due in {10 + i} days. "
         f"The supplier shall deliver {i + 2} units a month.", "summary": f"The fee is ${1000 + i}."}
        for i in range(n)
    ]  # fmt: skip


def test_a_killed_run_resumes_without_losing_or_duplicating_rows(tmp_path: Path) -> None:
    """SIGKILL a real CLI run part-way, resume it, and compare with an uninterrupted run."""
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, _pairs(40))
    env = os.environ | {"HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "summary_coverage", "batch", str(src), "--model", "bundled", "--no-progress",
           "--chunk-size", "1"]  # fmt: skip
    killed = tmp_path / "killed.jsonl"
    proc = subprocess.Popen([*cmd, "-o", str(killed)], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if killed.exists() and killed.read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    partial = killed.read_bytes().count(b"\n")
    assert 5 <= partial < 40, "the kill must land part-way through the run"
    subprocess.run([*cmd, "-o", str(killed), "--resume"], env=env, check=True, stderr=subprocess.DEVNULL)
    whole = tmp_path / "whole.jsonl"
    subprocess.run([*cmd, "-o", str(whole)], env=env, check=True, stderr=subprocess.DEVNULL)
    resumed = list(read_written_rows(killed))
    reference = {r["id"]: r for r in read_written_rows(whole)}
    assert sorted(r["id"] for r in resumed) == sorted(reference) and len(resumed) == 40
    for row in resumed:
        ref = reference[row["id"]]
        assert row.keys() == ref.keys()
        for k, v in row.items():
            assert v == pytest.approx(ref[k], abs=1e-5) if isinstance(v, float) else v == ref[k]


class SlowOnMarker(HashingEncoder):
    """Takes 2 s for any batch holding the word SLOWCLAUSE; instant otherwise."""

    def encode(self, texts, **kwargs):  # type: ignore[no-untyped-def, override]
        if any("SLOWCLAUSE" in t for t in texts):
            time.sleep(2.0)
        return super().encode(texts, **kwargs)


def test_a_pair_past_its_time_budget_becomes_an_error_row_and_the_rest_are_scored() -> None:
    checker = Checker(SlowOnMarker(), settings=Settings(time_budget=0.5))
    rows = [
        {"id": "fast-1", "document": "Fees are due in 30 days.", "summary": "Fees are due in 30 days."},
        {"id": "slow", "document": "A SLOWCLAUSE here. Fees are due.", "summary": "Fees are due."},
        {"id": "fast-2", "document": "The term is two years.", "summary": "It runs two years."},
    ]
    out = score_batch(rows, checker=checker, chunk_size=3)
    errors = {r["id"]: r["error"] for r in out}
    assert errors["fast-1"] is None and errors["fast-2"] is None
    assert errors["slow"] and "time budget of 0.5 s" in errors["slow"]
    with pytest.raises(BudgetExceededError):
        checker.check(rows[1]["document"], rows[1]["summary"])


def test_documents_over_the_token_limit_are_refused_before_encoding() -> None:
    enc = HashingEncoder()
    checker = Checker(enc, settings=Settings(max_tokens=50))
    with pytest.raises(InputError, match="over the limit of 50"):
        checker.check("word " * 400, "A summary.")
    assert enc.calls == 0
    (row,) = score_batch([("word " * 400, "A summary.")], checker=checker)
    assert "over the limit of 50" in row["error"]


def test_time_budget_and_token_limit_from_the_command_line(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [{"id": "long", "document": "The fee is due. " * 300, "summary": "Fee due."}])
    out = tmp_path / "out.jsonl"
    code = main(
        ["batch", str(src), "-o", str(out), "--model", "bundled", "--no-progress", "--max-tokens", "100"]
    )
    assert code == 3
    (row,) = read_written_rows(out)
    assert "over the limit of 100" in row["error"]
    assert main(["batch", str(src), "-o", str(out), "--overwrite", "--time-budget", "0"]) == 2
    assert "time_budget must be a positive" in capsys.readouterr().err
