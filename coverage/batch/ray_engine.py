"""Score batches on Ray Data: the local engine's rows, computed by a pool of actors (one per GPU).

Each actor holds one :class:`~summary_coverage.checker.Checker`, built once in
its constructor, and scores chunks of pairs with the very code the local
engine runs (:func:`~summary_coverage.batch.rows.resolve_item`, then the batch
module's chunk scorer). A row therefore comes back with the same id, the same
columns and the same scores as with ``engine="local"``, and a bad row still
becomes an error row for that row only.

How rows flow:

* Each input row is numbered on the driver (Parquet: from row-group metadata,
  without reading the data), so a row without an ``id`` gets its row number,
  exactly as in the local engine. Only the columns the scorer reads (``id``,
  ``document``, ``summary``, ``document_path``, ``summary_path``) travel.
* JSONL and CSV are read on the driver with the local engine's streaming
  reader, so a malformed line still becomes one error row (Ray's JSON reader
  would fail the whole file). Parquet files and directories of shards are read
  by Ray tasks, one row group at a time, so big inputs never pass through the
  driver.
* Actors: one per GPU when the cluster has GPUs (``num_gpus=1`` each);
  otherwise a CPU pool that always leaves one CPU free for the reading and
  writing tasks, each actor running torch on its share of the CPUs.
* Order: the dataset runs with ``preserve_order``, so rows come back in input
  order.

Example:
    >>> from summary_coverage import score_batch
    >>> rows = score_batch(pairs, model="bundled", engine="ray")  # doctest: +SKIP
    >>> run_batch_ray("in.parquet", "scores/", model="bundled", settings=None, full=False,
    ...               resume=False, overwrite=False, base_dir=None, cache_dir=None)  # doctest: +SKIP

Ray is an optional dependency (``pip install 'summary-coverage[ray]'``); it is
imported only when one of these functions runs. With ``RAY_ADDRESS`` set, the
driver joins that cluster; otherwise it starts a local one.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import pickle
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CoverageError, InputError, MissingExtraError
from ..settings import Settings
from .rows import COLUMNS, DEFAULT_CHUNK, BatchSummary, resolve_item, row_id, rows_for_chunk

if TYPE_CHECKING:
    from ..checker import Checker

__all__ = ["run_batch_ray", "score_batch_ray"]

logger = logging.getLogger(__name__)

_ROW = "__summary_coverage_row__"
_PAYLOAD = "__summary_coverage_payload__"
_INPUT_KEYS = ("id", "document", "summary", "document_path", "summary_path")
"""The only input columns the scorer reads (see :func:`~summary_coverage.batch.rows.resolve_item`)."""
_READ_BATCH = 256
_ROWS_PER_SHARD = 1024
"""Rows per Parquet shard of a directory output (Ray >= 2.40; older Ray writes one per block)."""
_READ_CPUS = 0.5
_ENV_PREFIXES = ("HF_", "HUGGINGFACE_", "TRANSFORMERS_", "SENTENCE_TRANSFORMERS_")


# --------------------------------------------------------------------------- optional imports


def _ray() -> Any:
    """The ``ray`` module, with Ray Data loaded; a clear error when the extra is missing."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(
            "The Ray engine needs Ray Data: pip install 'summary-coverage[ray]'."
        ) from exc
    return ray


def _pyarrow() -> Any:
    """The ``pyarrow`` module (Ray Data depends on it, so it is there whenever Ray is)."""
    try:
        import pyarrow
        import pyarrow.dataset  # noqa: F401
        import pyarrow.fs  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("The Ray engine needs pyarrow: pip install 'summary-coverage[ray]'.") from exc
    return pyarrow


def _hf_env() -> dict[str, str]:
    """Hugging Face and sentence-transformers settings (offline mode, caches) to hand to workers."""
    return {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES)}


def _init_ray(ray: Any) -> None:
    """Join ``RAY_ADDRESS`` when set, else start a quiet local Ray; a running Ray is kept as is."""
    if ray.is_initialized():
        return
    address = os.environ.get("RAY_ADDRESS") or None
    start = time.perf_counter()
    if address is not None:
        ray.init(address=address, ignore_reinit_error=True, logging_level=logging.WARNING)
    else:
        env = _hf_env()
        ray.init(
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
            ignore_reinit_error=True,
            runtime_env={"env_vars": env} if env else None,
        )
    logger.info("Ray ready in %.1f s (%s)", time.perf_counter() - start, address or "local")


# --------------------------------------------------------------------------- rows in


def _payload(row: Any) -> bytes:
    """One input row, pickled, keeping only what the scorer reads."""
    if isinstance(row, Mapping):
        row = {k: row[k] for k in _INPUT_KEYS if k in row}
    try:
        return pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an unpicklable value: the row becomes an error row
        error = InputError(f"The row cannot be sent to the Ray workers ({exc.__class__.__name__}: {exc}).")
        return pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL)


def _payload_items(rows: Iterable[Any], skip: frozenset[str]) -> tuple[list[dict[str, Any]], int]:
    """Number and pickle the rows (dropping ids in ``skip``); also returns how many rows were read."""
    items: list[dict[str, Any]] = []
    total = 0
    for n, row in enumerate(rows):
        total += 1
        if skip and row_id(row, n) in skip:
            continue
        items.append({_ROW: n, _PAYLOAD: _payload(row)})
    return items, total


def _payload_table(rows: list[Any], first: int, skip: frozenset[str]) -> Any:
    pa = _pyarrow()
    numbers = [n for n, r in enumerate(rows, start=first) if not skip or row_id(r, n) not in skip]
    payloads = [_payload(rows[n - first]) for n in numbers]
    return pa.table({_ROW: pa.array(numbers, pa.int64()), _PAYLOAD: pa.array(payloads, pa.binary())})


def _read_pieces(
    batch: Any, *, filesystem: Any, schema: Any, columns: list[str], skip: frozenset[str]
) -> Iterator[Any]:
    """Ray task: read Parquet row groups and yield numbered, pickled rows (what the scorer takes)."""
    pa = _pyarrow()
    fmt = pa.dataset.ParquetFileFormat()
    for path, group, first in zip(
        batch.column("path").to_pylist(),
        batch.column("group").to_pylist(),
        batch.column("first").to_pylist(),
        strict=True,
    ):
        fragment = fmt.make_fragment(path, filesystem=filesystem, row_groups=[group])
        n = first
        for record_batch in fragment.to_batches(schema=schema, columns=columns, batch_size=_READ_BATCH):
            rows = record_batch.to_pylist() if columns else [{}] * record_batch.num_rows
            table = _payload_table(rows, n, skip)
            n += record_batch.num_rows
            if table.num_rows:
                yield table


def _from_items(ray: Any, items: list[dict[str, Any]]) -> Any:
    blocks = max(1, min(len(items), 64))
    try:
        return ray.data.from_items(items, override_num_blocks=blocks)
    except TypeError:  # Ray < 2.10 names it parallelism
        return ray.data.from_items(items, parallelism=blocks)


def _parquet_dataset(ray: Any, source: str, skip: frozenset[str]) -> tuple[Any, int]:
    """A dataset of numbered, pickled rows read by Ray tasks, and the input's row count.

    The row groups are listed and numbered on the driver from the files' metadata,
    in the order the local engine reads them, so the row numbers agree.
    """
    pa = _pyarrow()
    try:
        dataset = pa.dataset.dataset(source, format="parquet")
        pieces: list[dict[str, Any]] = []
        total = 0
        for fragment in dataset.get_fragments():
            for group in fragment.row_groups:
                pieces.append({"path": fragment.path, "group": group.id, "first": total})
                total += group.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"Cannot read the Parquet input {source!r}: {exc}") from None
    columns = [c for c in _INPUT_KEYS if c in dataset.schema.names]
    if not pieces:
        return None, 0
    ds = _from_items(ray, pieces).map_batches(
        _read_pieces,
        batch_size=1,
        batch_format="pyarrow",
        fn_kwargs={
            "filesystem": dataset.filesystem,
            "schema": dataset.schema,
            "columns": columns,
            "skip": skip,
        },
        num_cpus=_READ_CPUS,
    )
    return ds, total


# --------------------------------------------------------------------------- scoring


def _output_types(pa: Any) -> dict[str, Any]:
    ints = ("uncovered", "unsupported", "contradicted", "judge_contradicted", "passages", "sentences")
    return {
        "id": pa.string(),
        "coverage": pa.float64(),
        "support": pa.float64(),
        **dict.fromkeys(ints, pa.int64()),
        "model": pa.string(),
        "error": pa.string(),
        "report": pa.string(),
    }


class _Scorer:
    """Ray Data actor: one Checker, built once, scoring one chunk of rows per call.

    Args:
        model: Model for the Checker (as in :class:`~summary_coverage.checker.Checker`).
        settings: Settings passed to every check (``None``: the checker's defaults).
        full: Add the ``report`` column.
        base_dir: Absolute folder that ``*_path`` columns are read from.
        cache_dir: Folder of the shared on-disk embedding cache, or ``None``.
        device: Checker device (``"auto"`` picks the GPU Ray assigned).
        threads: torch CPU threads for this actor, or ``None`` to keep torch's choice.
    """

    def __init__(
        self,
        model: str | None,
        settings: Settings | None,
        full: bool,
        base_dir: str,
        cache_dir: str | None,
        device: str | None,
        threads: int | None,
    ) -> None:
        from ..checker import Checker
        from ..encode.cache import EmbeddingCache

        if threads is not None:
            import torch

            torch.set_num_threads(threads)
        cache = EmbeddingCache(directory=cache_dir) if cache_dir is not None else True
        self.checker: Checker | None = None
        self.error: CoverageError | None = None
        try:
            self.checker = Checker(model, device=device, settings=settings, cache=cache)
        except CoverageError as exc:
            # Raised by the first call instead: Ray passes a task's error on with its cause
            # (so the driver re-raises it as itself), but only a message for a dead actor.
            self.error = exc
        self.settings = settings
        self.full = full
        self.base_dir = base_dir
        self.max_chars = (settings or Settings()).max_chars
        self.columns = COLUMNS + (["report"] if full else [])

    def __call__(self, batch: Any) -> Any:
        """Score one chunk: a table of numbered, pickled rows in, a table of output rows out."""
        if self.checker is None:
            raise self.error or CoverageError("The scoring actor has no checker.")
        pa = _pyarrow()
        numbers = batch.column(_ROW).to_pylist()
        items = [
            resolve_item(pickle.loads(payload), n, base_dir=self.base_dir, max_chars=self.max_chars)
            for n, payload in zip(numbers, batch.column(_PAYLOAD).to_pylist(), strict=True)
        ]
        rows = rows_for_chunk(self.checker, items, self.settings, self.full)
        types = _output_types(pa)
        data = {c: pa.array([r.get(c) for r in rows], type=types.get(c)) for c in self.columns}
        data[_ROW] = pa.array(numbers, pa.int64())
        return pa.table(data)


def _actor_plan(ray: Any, num_actors: int | None) -> tuple[int, dict[str, float], int | None]:
    """How many scoring actors, what each reserves, and how many torch threads each runs.

    With GPUs: one actor per GPU. On CPUs: one actor per 8 CPUs by default, and
    the pool reserves at most all CPUs but one, because an actor pool holding
    every CPU starves the reading and writing tasks and the run hangs.
    """
    if num_actors is not None and num_actors < 1:
        raise InputError(f"num_actors must be at least 1, got {num_actors}.")
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    if gpus >= 1:
        return num_actors or gpus, {"num_gpus": 1}, None
    cpus = max(int(resources.get("CPU", 1)), 1)
    actors = num_actors or max(1, cpus // 8)
    reserve = min(1.0, max(cpus - 1, 0) / actors)
    return actors, {"num_cpus": reserve}, max(1, cpus // actors)


def _score(
    ray: Any,
    ds: Any,
    *,
    model: str | None,
    settings: Settings | None,
    full: bool,
    base_dir: str,
    cache_dir: str | None,
    device: str | None,
    chunk_size: int,
    num_actors: int | None,
) -> Any:
    """The dataset of output rows (plus the row number column) for a dataset of numbered rows."""
    if chunk_size < 1:
        raise InputError(f"chunk_size must be at least 1, got {chunk_size}.")
    actors, resources, threads = _actor_plan(ray, num_actors)
    logger.info("Scoring with %d Ray actor(s), each reserving %s", actors, resources)
    return ds.map_batches(
        _Scorer,
        batch_size=chunk_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors),
        fn_constructor_kwargs={
            "model": model,
            "settings": settings,
            "full": full,
            "base_dir": base_dir,
            "cache_dir": cache_dir,
            "device": device,
            "threads": threads,
        },
        **resources,
    )


def _iter_output(scored: Any) -> Iterator[dict[str, Any]]:
    """Output rows (row number included) as the driver receives them."""
    for table in scored.iter_batches(batch_size=None, batch_format="pyarrow"):
        yield from table.to_pylist()


def _coverage_cause(exc: BaseException) -> CoverageError | None:
    """The CoverageError behind a Ray error (model load failure, bad input), if there is one."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        cause = getattr(e, "cause", None)  # Ray's task errors carry the worker's exception here
        if isinstance(cause, BaseException):
            todo.append(cause)
        elif isinstance(e, CoverageError):
            return e
        else:
            todo += [e.__cause__, e.__context__]
    return None


@contextlib.contextmanager
def _execution(progress: bool) -> Iterator[None]:
    """Run Ray Data in input order, without its INFO logs; without ``progress``, also without bars.

    Ray Data draws progress bars on a terminal; elsewhere it logs progress at
    INFO every few seconds, which is kept out of the way here.

    A CoverageError raised inside a worker (say, a model that cannot be loaded)
    is re-raised as itself, not as Ray's wrapper.
    """
    from ray.data import DataContext

    ctx = DataContext.get_current()
    saved = (ctx.execution_options.preserve_order, ctx.enable_progress_bars)
    original = getattr(ctx, "raise_original_map_exception", None)  # Ray >= 2.40
    if original is not None:
        ctx.raise_original_map_exception = True  # keep the worker's exception as the cause
    data_logger = logging.getLogger("ray.data")
    level = data_logger.level
    progress_logger = logging.getLogger("ray.data._internal.progress")
    ctx.execution_options.preserve_order = True
    data_logger.setLevel(logging.WARNING)
    if not progress:
        ctx.enable_progress_bars = False
        progress_logger.addFilter(_no_progress_notice)
    try:
        yield
    except Exception as exc:
        cause = _coverage_cause(exc)
        if cause is None or cause is exc:
            raise
        raise cause from exc
    finally:
        ctx.execution_options.preserve_order, ctx.enable_progress_bars = saved
        if original is not None:
            ctx.raise_original_map_exception = original
        data_logger.setLevel(level)
        progress_logger.removeFilter(_no_progress_notice)


def _no_progress_notice(record: logging.LogRecord) -> bool:
    """Drop Ray Data's warning that progress bars are off: here they are off on purpose."""
    return "Progress bars disabled" not in record.getMessage()


# --------------------------------------------------------------------------- public API


def score_batch_ray(
    rows: list[Any],
    *,
    model: str | None = None,
    settings: Settings | None = None,
    full: bool = False,
    base_dir: str | os.PathLike[str] | None = None,
    num_actors: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    device: str | None = "auto",
    progress: bool = False,
) -> list[dict[str, Any]]:
    """Score pairs on Ray Data; the same rows, in the same order, as the local engine.

    Args:
        rows: ``(document, summary)`` tuples or dicts with ``id``/``document``/
            ``summary`` (or ``document_path``/``summary_path``).
        model: Model each actor loads (hub id, local folder, ``"bundled"``,
            ``None`` for the default).
        settings: Thresholds and limits.
        full: Add the whole JSON report as a ``report`` column.
        base_dir: Folder that ``*_path`` columns are read from (by the workers,
            so it must exist on every node). Default: the working directory.
        num_actors: Scoring actors; default one per GPU, or one per 8 CPUs.
        chunk_size: Pairs per actor call, encoded in one batched pass.
        device: Checker device on each actor (``"auto"``: the GPU Ray assigned).
        progress: Show Ray Data's progress bars (on a terminal).

    Returns:
        One row dict per input row (see :mod:`summary_coverage.batch.local`), in input order.

    Raises:
        MissingExtraError: Ray is not installed.
        ModelLoadError: The actors cannot load ``model``.

    Example:
        >>> rows = score_batch_ray([(contract, summary)], model="bundled")  # doctest: +SKIP
        >>> rows[0]["coverage"]  # doctest: +SKIP
        0.71
    """
    items, _ = _payload_items(rows, frozenset())
    if not items:
        return []
    ray = _ray()
    _init_ray(ray)
    base = str(Path(base_dir if base_dir is not None else Path.cwd()).resolve())
    with _execution(progress):
        scored = _score(
            ray, _from_items(ray, items), model=model, settings=settings, full=full, base_dir=base,
            cache_dir=None, device=device, chunk_size=chunk_size, num_actors=num_actors,
        )  # fmt: skip
        out = list(_iter_output(scored))
    out.sort(key=lambda r: int(r[_ROW]))
    for r in out:
        del r[_ROW]
    return out


def _is_uri(path: str) -> bool:
    return "://" in path


def _dir_output(output_path: str) -> bool:
    """True when the output is a directory of Parquet shards: a URI, a folder, or a name with no extension."""
    if _is_uri(output_path):
        return True
    p = Path(output_path)
    return p.is_dir() or (not p.suffix and not p.is_file())


def _prepare_dir(pa: Any, output_path: str, overwrite: bool) -> tuple[Any, str]:
    """Check (or create) the output directory; with ``overwrite``, delete its ``.parquet`` shards."""
    fs, root = pa.fs.FileSystem.from_uri(
        output_path if _is_uri(output_path) else str(Path(output_path).resolve())
    )
    info = fs.get_file_info(root)
    if info.type == pa.fs.FileType.NotFound:
        fs.create_dir(root, recursive=True)
        return fs, root
    if info.type != pa.fs.FileType.Directory:
        raise InputError(
            f"The output {output_path!r} is a file: give a .jsonl, .csv or .parquet name, or a directory."
        )
    entries = fs.get_file_info(pa.fs.FileSelector(root, recursive=False))
    if entries and not overwrite:
        raise InputError(
            f"The output directory {output_path!r} is not empty: pass --overwrite to replace "
            "its Parquet shards, or choose a new directory."
        )
    for entry in entries:
        if entry.type == pa.fs.FileType.File and entry.path.endswith(".parquet"):
            fs.delete_file(entry.path)
    return fs, root


def _count_shards(pa: Any, fs: Any, root: str) -> tuple[int, int]:
    """Rows and error rows in the Parquet shards of an output directory."""
    shards = sorted(
        e.path
        for e in fs.get_file_info(pa.fs.FileSelector(root, recursive=False))
        if e.type == pa.fs.FileType.File and e.path.endswith(".parquet")
    )
    if not shards:
        return 0, 0
    table = pa.dataset.dataset(shards, format="parquet", filesystem=fs).to_table(columns=["error"])
    return table.num_rows, table.num_rows - table.column("error").null_count


def _write_dir(scored: Any, output_path: str) -> None:
    target = output_path if _is_uri(output_path) else str(Path(output_path).resolve())
    options = {}
    if "min_rows_per_file" in inspect.signature(scored.write_parquet).parameters:
        options["min_rows_per_file"] = _ROWS_PER_SHARD
    scored.drop_columns([_ROW]).write_parquet(target, **options)


def run_batch_ray(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    model: str | None = None,
    settings: Settings | None = None,
    full: bool = False,
    resume: bool = False,
    overwrite: bool = False,
    base_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    num_actors: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    device: str | None = "auto",
    progress: bool = True,
) -> BatchSummary:
    """Score a JSONL, CSV or Parquet input on Ray Data into an output file or a directory of shards.

    Output to a ``.jsonl``/``.csv``/``.parquet`` file streams the rows back to
    the driver, which writes them as the local engine does (flushed, resumable
    with ``resume``). Output to a directory (a path with no extension, or a
    URI such as ``s3://bucket/scores/``) is written by the workers as Parquet
    shards; that cannot be resumed.

    Args:
        input_path: A .jsonl/.csv/.parquet file, a directory of Parquet
            shards, or a Parquet URI the workers can read.
        output_path: A .jsonl/.csv/.parquet file, or a directory (or URI) for
            Parquet shards.
        model: Model each actor loads.
        settings: Thresholds and limits.
        full: Add the whole JSON report as a ``report`` column.
        resume: Skip ids already in the output file (file outputs only).
        overwrite: Replace the output file, or the directory's ``.parquet`` shards.
        base_dir: Folder ``*_path`` columns are read from; default the input's folder.
        cache_dir: On-disk embedding cache shared by the actors of each node
            (SQLite in WAL mode); give a node-local path, since SQLite must not
            be shared over a network filesystem.
        num_actors: Scoring actors; default one per GPU, or one per 8 CPUs.
        chunk_size: Pairs per actor call.
        device: Checker device on each actor.
        progress: Show Ray Data's progress bars (on a terminal).

    Returns:
        What the run did.

    Raises:
        InputError: Missing or unknown input, an existing output without
            ``resume``/``overwrite``, or ``resume`` with a directory output.
        MissingExtraError: Ray is not installed.
        ModelLoadError: The actors cannot load ``model``.
    """
    from .row_files import RowWriter, format_of, read_rows, read_written_rows

    start = time.perf_counter()
    ray, pa = _ray(), _pyarrow()  # before anything is touched on disk
    source, target = os.fspath(input_path), os.fspath(output_path)
    if _is_uri(source):
        if Path(source).suffix and format_of(source) != "parquet":
            raise InputError(f"Only Parquet inputs can be read from a URI, got {source!r}.")
        fmt = "parquet"
    else:
        if not Path(source).exists():
            raise InputError(f"The batch input {source!r} does not exist.")
        fmt = format_of(source)
        source = str(Path(source).resolve())
    to_dir = _dir_output(target)
    if to_dir and resume:
        raise InputError(
            f"Cannot resume into the directory {target!r}: resume works with a .jsonl, .csv or "
            ".parquet output file; for a directory, pass --overwrite or choose a new one."
        )
    base = base_dir if base_dir is not None else (Path.cwd() if _is_uri(source) else Path(source).parent)
    base_abs = str(Path(base).resolve())
    cache = None if cache_dir is None else str(Path(cache_dir).resolve())
    columns = COLUMNS + (["report"] if full else [])
    done = frozenset(str(r["id"]) for r in read_written_rows(target)) if resume else frozenset()
    writer = None if to_dir else RowWriter(target, columns, resume=resume, overwrite=overwrite)
    written = errors = 0
    with writer if writer is not None else contextlib.nullcontext():
        fs_root = _prepare_dir(pa, target, overwrite) if to_dir else None
        _init_ray(ray)
        with _execution(progress):
            if fmt == "parquet":
                ds, total = _parquet_dataset(ray, source, done)
            else:
                items, total = _payload_items(read_rows(source), done)
                ds = _from_items(ray, items) if items else None
            if ds is not None:
                scored = _score(
                    ray, ds, model=model, settings=settings, full=full, base_dir=base_abs, cache_dir=cache,
                    device=device, chunk_size=chunk_size, num_actors=num_actors,
                )  # fmt: skip
                if fs_root is not None:
                    _write_dir(scored, target)
                    written, errors = _count_shards(pa, *fs_root)
                elif writer is not None:
                    for row in _iter_output(scored):
                        del row[_ROW]
                        writer.write(row)
                        written += 1
                        errors += row["error"] is not None
    skipped = total - written if resume else 0
    return BatchSummary(written, max(skipped, 0), errors, time.perf_counter() - start)
