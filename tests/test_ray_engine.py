"""The Ray Data engine gives the local engine's rows: same ids, scores and error rows, in input order."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip(
    "ray", reason="the Ray engine needs the ray extra: pip install 'summary-coverage[ray]'"
)
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from summary_coverage import score_batch  # noqa: E402
from summary_coverage.batch.local import COLUMNS, run_batch_file  # noqa: E402
from summary_coverage.batch.ray_engine import run_batch_ray, score_batch_ray  # noqa: E402
from summary_coverage.batch.row_files import RowWriter, read_written_rows  # noqa: E402
from summary_coverage.cli import main  # noqa: E402
from summary_coverage.errors import InputError, MissingExtraError, ModelLoadError  # noqa: E402

from conftest import SAMPLES, SHORT_PAIRS  # noqa: E402

# Ray's own modules warn about their deprecated settings when a DataContext is copied.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    """One small local Ray for the whole module (2 CPUs, no dashboard, worker logs kept off the terminal)."""
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        ignore_reinit_error=True,
        runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}},
    )
    yield
    ray.shutdown()


def assert_same_rows(got: list[dict], want: list[dict]) -> None:
    """Row for row: same keys and values, floats within 1e-6."""
    assert [r["id"] for r in got] == [r["id"] for r in want]
    for g, w in zip(got, want, strict=True):
        assert set(g) == set(w)
        for key, value in w.items():
            if isinstance(value, float):
                assert g[key] == pytest.approx(value, abs=1e-6), (w["id"], key)
            else:
                assert g[key] == value, (w["id"], key)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def short_rows(n: int = 6) -> list[dict]:
    return [
        {"id": f"s{i}", "document": SHORT_PAIRS[i % 3][0], "summary": SHORT_PAIRS[i % 3][1]} for i in range(n)
    ]


def test_score_batch_ray_equals_local_on_real_documents(minilm) -> None:
    def sample(name: str) -> str:
        return (SAMPLES / name).read_text(encoding="utf-8")

    contract = sample("services_agreement.md")
    rows = [
        {"id": "agreement", "document": contract, "summary": sample("services_agreement.summary.md")},
        {"id": "flawed", "document": contract, "summary": sample("services_agreement.flawed_summary.md")},
        {"id": "zh", "document": sample("zh_contract.md"), "summary": sample("zh_contract.summary.md")},
        SHORT_PAIRS[0],
        SHORT_PAIRS[1],
        {"document": SHORT_PAIRS[2][0], "summary": SHORT_PAIRS[2][1]},
        {"id": "empty", "document": "", "summary": "Something."},
        {"id": "no-summary", "document": "A document whose row has no summary column."},
    ]
    got = score_batch(rows, engine="ray", model="bundled")
    want = score_batch(rows, checker=minilm)
    assert isinstance(got, list) and isinstance(want, list)
    assert_same_rows(got, want)
    ids = ["agreement", "flawed", "zh", "3", "4", "5", "empty", "no-summary"]
    assert [r["id"] for r in got] == ids  # tuples and id-less rows get their row number
    assert set(got[0]) == set(COLUMNS)
    errors = {r["id"]: r["error"] for r in got}
    assert errors["empty"] == "The document is empty."
    assert "no 'summary'" in errors["no-summary"]
    assert all(r["coverage"] is None for r in got if r["error"])
    assert got[1]["unsupported"] > got[0]["unsupported"]  # the flawed summary invents things


def test_jsonl_file_to_jsonl_file_equals_the_local_engine(minilm, tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    write_jsonl(source, short_rows(4)[:2])
    with source.open("a", encoding="utf-8") as f:
        f.write("{not json\n")  # one error row for this line, as in the local engine
        f.write(json.dumps({"document": SHORT_PAIRS[2][0], "summary": SHORT_PAIRS[2][1]}) + "\n")
    summary = run_batch_ray(
        source, tmp_path / "ray.jsonl", model="bundled", settings=None, full=False,
        resume=False, overwrite=False, base_dir=None, cache_dir=tmp_path / "cache",
    )  # fmt: skip
    run_batch_file(source, tmp_path / "local.jsonl", checker=minilm, progress=False)
    got = list(read_written_rows(tmp_path / "ray.jsonl"))
    assert_same_rows(got, list(read_written_rows(tmp_path / "local.jsonl")))
    assert [r["id"] for r in got] == ["s0", "s1", "2", "3"]
    assert "not valid JSON" in got[2]["error"]
    assert (summary.written, summary.skipped, summary.errors) == (4, 0, 1)
    assert (tmp_path / "cache" / "embeddings.sqlite3").exists()  # the actors shared the on-disk cache


def test_parquet_shards_to_a_parquet_directory(minilm, tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    rows = short_rows(5)
    rows[3]["id"] = None  # no id: the row number (3) is its id, as in the local engine
    pq.write_table(pa.Table.from_pylist(rows[:2]), shards / "part-0.parquet")
    pq.write_table(pa.Table.from_pylist(rows[2:]), shards / "part-1.parquet")
    out = tmp_path / "scores"
    summary = run_batch_ray(
        shards, out, model="bundled", settings=None, full=True,
        resume=False, overwrite=False, base_dir=None, cache_dir=None, progress=False,
    )  # fmt: skip
    files = sorted(out.glob("*.parquet"))
    assert files
    got = pa.concat_tables([pq.read_table(f) for f in files]).to_pylist()
    run_batch_file(shards, tmp_path / "local.jsonl", checker=minilm, full=True, progress=False)
    want = list(read_written_rows(tmp_path / "local.jsonl"))
    report = {r["id"]: json.loads(r.pop("report")) for r in got}
    local_report = {r["id"]: json.loads(r.pop("report")) for r in want}
    assert_same_rows(got, want)
    assert [r["id"] for r in got] == ["s0", "s1", "s2", "3", "s4"]
    assert report.keys() == local_report.keys()
    for rid, rep in report.items():
        assert rep["coverage"] == pytest.approx(local_report[rid]["coverage"], abs=1e-9)
        assert len(rep["passages"]) == len(local_report[rid]["passages"])
    assert (summary.written, summary.errors) == (5, 0)

    with pytest.raises(InputError, match="not empty"):  # an existing directory is never mixed into
        run_batch_ray(shards, out, model="bundled", full=False, resume=False, overwrite=False)
    with pytest.raises(InputError, match="Cannot resume into the directory"):
        run_batch_ray(shards, out, model="bundled", full=False, resume=True, overwrite=False)


def test_resume_skips_written_ids_and_writes_each_id_once(minilm, tmp_path: Path) -> None:
    rows = short_rows(6)
    source = tmp_path / "pairs.jsonl"
    write_jsonl(source, rows)
    output = tmp_path / "scores.csv"
    first = score_batch(rows[:3], checker=minilm)
    assert isinstance(first, list)
    with RowWriter(output, COLUMNS) as out:
        for row in first:
            out.write(row)
    with output.open("a", encoding="utf-8") as f:
        f.write("s3,0.5")  # a torn last line, as a killed run leaves it
    summary = run_batch_ray(
        source, output, model="bundled", settings=None, full=False,
        resume=True, overwrite=False, base_dir=None, cache_dir=None,
    )  # fmt: skip
    ids = [r["id"] for r in read_written_rows(output)]
    assert ids == [r["id"] for r in rows]
    assert (summary.written, summary.skipped, summary.errors) == (3, 3, 0)


def test_cli_batch_with_engine_ray(tmp_path: Path, capsys) -> None:
    source = tmp_path / "pairs.jsonl"
    write_jsonl(source, short_rows(2) + [{"id": "bad", "document": "", "summary": "x"}])
    output = tmp_path / "out.csv"
    code = main(["batch", str(source), "-o", str(output), "--engine", "ray", "--model", "bundled"])
    assert code == 3  # some rows are errors
    assert "3 rows written" in capsys.readouterr().err
    assert [r["id"] for r in read_written_rows(output)] == ["s0", "s1", "bad"]


def test_a_model_that_cannot_load_raises_model_load_error() -> None:
    with pytest.raises(ModelLoadError, match="no/such/model"):
        score_batch_ray([SHORT_PAIRS[0]], model="/no/such/model")


def test_missing_ray_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(MissingExtraError, match=r"summary-coverage\[ray\]"):
        score_batch_ray([SHORT_PAIRS[0]], model="bundled")


class FakeRay:
    def __init__(self, resources: dict[str, float]) -> None:
        self.resources = resources

    def cluster_resources(self) -> dict[str, float]:
        return self.resources


@pytest.mark.parametrize(
    ("resources", "num_actors", "plan"),
    [
        ({"CPU": 32.0, "GPU": 4.0}, None, (4, {"num_gpus": 1}, None)),  # one actor per GPU
        ({"CPU": 2.0}, None, (1, {"num_cpus": 1.0}, 2)),  # one CPU stays free for reading and writing
        ({"CPU": 64.0}, None, (8, {"num_cpus": 1.0}, 8)),
        ({"CPU": 2.0}, 2, (2, {"num_cpus": 0.5}, 1)),
        ({"CPU": 1.0}, None, (1, {"num_cpus": 0.0}, 1)),
    ],
)
def test_actor_plan(resources, num_actors, plan) -> None:
    from summary_coverage.batch.ray_engine import _actor_plan

    assert _actor_plan(FakeRay(resources), num_actors) == plan
