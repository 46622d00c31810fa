"""Read batch input rows and write output rows: JSONL, CSV or Parquet, chosen by extension.

Reading streams: JSONL and CSV line by line, Parquet by record batch (a file
or a directory of shards), so memory stays flat whatever the input size.

Writing is crash-safe and resumable:

* JSONL and CSV are appended one whole record per ``write`` call and flushed.
  Every record is one physical line (JSON escapes newlines; CSV fields have
  theirs replaced), so a run killed mid-write leaves at most a torn last
  line, which :class:`RowWriter` cuts off before it appends again.
* Parquet cannot be appended to, so rows go to a JSONL journal next to it
  (``OUTPUT.partial.jsonl``) and the Parquet file is written once at the end,
  to a temporary name that is then renamed over the target.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError, MissingExtraError

__all__ = ["FORMATS", "RowWriter", "count_rows", "format_of", "read_rows", "read_written_rows"]

FORMATS = ("jsonl", "csv", "parquet")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def format_of(path: str | os.PathLike[str]) -> str:
    """``"jsonl"``, ``"csv"`` or ``"parquet"`` from the extension; a directory is Parquet shards.

    Raises:
        InputError: The extension is none of those.
    """
    p = Path(path)
    if p.is_dir():
        return "parquet"
    fmt = _EXTENSIONS.get(p.suffix.lower())
    if fmt is None:
        raise InputError(
            f"Cannot tell the format of {str(path)!r}: use a .jsonl, .csv or .parquet file "
            "(or a directory of .parquet shards)."
        )
    return fmt


def _pyarrow() -> Any:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.dataset  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("Parquet needs pyarrow: pip install 'summary-coverage[batch]'.") from exc
    return sys.modules["pyarrow"]


def _csv_field_limit() -> None:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # documents are long fields


def read_rows(path: str | os.PathLike[str]) -> Iterator[dict[str, Any] | InputError]:
    """Yield the input's rows as dicts, in file order; a row that cannot be parsed yields an InputError.

    A malformed row never stops the stream: the caller turns it into an
    error row. An unreadable file raises InputError before the first row.
    """
    p = Path(path)
    if not p.exists():  # checked now, not at the first row: no output file is created for it
        raise InputError(f"The batch input {str(path)!r} does not exist.")
    fmt = format_of(p)
    if fmt == "jsonl":
        return _read_jsonl(p)
    if fmt == "csv":
        return _read_csv(p)
    return _read_parquet(p)


def _read_parquet(p: Path) -> Iterator[dict[str, Any] | InputError]:
    pa = _pyarrow()
    try:
        dataset = pa.dataset.dataset(str(p), format="parquet")
        for batch in dataset.to_batches(batch_size=256):
            yield from batch.to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise InputError(
            f"Cannot read the Parquet input {str(p)!r}: it is damaged or not Parquet "
            f"({exc.__class__.__name__})."
        ) from None


def _read_csv(p: Path) -> Iterator[dict[str, Any] | InputError]:
    _csv_field_limit()
    try:
        with p.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames:
                return
            for n, row in enumerate(reader, start=1):
                if None in row:
                    yield InputError(f"CSV row {n} has more fields than the header.")
                    continue
                yield dict(row)
    except UnicodeDecodeError:  # the rest of the file cannot be split into rows reliably
        raise InputError(f"The CSV input {str(p)!r} is not UTF-8 text; save it as UTF-8.") from None
    except csv.Error as exc:
        raise InputError(f"The CSV input {str(p)!r} cannot be parsed ({exc}).") from None


def _read_jsonl(p: Path) -> Iterator[dict[str, Any] | InputError]:
    with p.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            line = raw.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield InputError(f"Line {n} is not valid JSON ({exc.__class__.__name__}).")
                continue
            if not isinstance(row, dict):
                yield InputError(f"Line {n} is a JSON {type(row).__name__}, not an object.")
                continue
            yield row


def count_rows(path: str | os.PathLike[str]) -> int | None:
    """Number of input rows (for the progress bar), or ``None`` when unknown."""
    p = Path(path)
    try:
        fmt = format_of(p)
        if fmt == "parquet":
            pa = _pyarrow()
            return int(pa.dataset.dataset(str(p), format="parquet").count_rows())
        if fmt == "jsonl":
            with p.open("rb") as f:
                return sum(1 for line in f if line.strip())
        _csv_field_limit()
        with p.open(encoding="utf-8-sig", newline="") as f:
            return max(sum(1 for _ in csv.reader(f)) - 1, 0)
    except Exception:  # only for the progress bar; read_rows reports a bad input as one clear error
        return None


def _cut_torn_tail(path: Path) -> None:
    """Drop a last line that was not completely written (no final newline)."""
    if not path.exists():
        return
    with path.open("rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        pos = size
        while pos > 0:
            step = min(65536, pos)
            f.seek(pos - step)
            chunk = f.read(step)
            i = chunk.rfind(b"\n")
            if i >= 0:
                f.truncate(pos - step + i + 1)
                return
            pos -= step
        f.truncate(0)


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".partial.jsonl")


def read_written_rows(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Rows already written to an output (and its journal, for Parquet); a torn last line is skipped."""
    p = Path(path)
    fmt = format_of(p) if p.exists() or p.suffix else "jsonl"
    if fmt == "parquet":
        if p.exists():
            pa = _pyarrow()
            yield from pa.parquet.read_table(str(p)).to_pylist()
        p = _journal(p)
        fmt = "jsonl"
    if not p.exists():
        return
    if fmt == "jsonl":
        with p.open("rb") as f:
            for raw in f:
                if raw.endswith(b"\n") and raw.strip():
                    yield json.loads(raw)
    else:
        _csv_field_limit()
        with p.open(encoding="utf-8", newline="") as f:
            lines = [line for line in f if line.endswith("\n")]
        yield from csv.DictReader(lines)


class RowWriter:
    """Append output rows to a JSONL, CSV or Parquet file, flushing each one.

    Args:
        path: The output file.
        columns: Column order (CSV header and Parquet schema order).
        resume: Keep what is there and append (a torn last line is cut off);
            otherwise the output must not exist yet.
        overwrite: Replace an existing output.

    Raises:
        InputError: The output exists and neither ``resume`` nor ``overwrite``
            is set, or the extension is unknown.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        columns: list[str],
        *,
        resume: bool = False,
        overwrite: bool = False,
    ) -> None:
        self.path = Path(path)
        self.format = format_of(self.path) if not self.path.is_dir() else "parquet"
        if self.format == "parquet" and self.path.is_dir():
            raise InputError("Write Parquet output to a .parquet file (directories of shards: --engine ray).")
        self.columns = columns
        self._file_path = _journal(self.path) if self.format == "parquet" else self.path
        if self.format == "parquet":
            _pyarrow()
        exists = self._file_path.exists() or self.path.exists()
        if exists and not (resume or overwrite):
            raise InputError(
                f"The output {str(path)!r} already exists: pass --resume to continue it, "
                "or --overwrite to replace it."
            )
        if overwrite and not resume:
            for p in {self.path, self._file_path}:
                if p.exists():
                    p.unlink()
        _cut_torn_tail(self._file_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._created = not self._file_path.exists()
        new = self._created or self._file_path.stat().st_size == 0
        self.rows = 0
        self._file: TextIO = self._file_path.open("a", encoding="utf-8", newline="")
        if self.format == "csv" and new:
            self._write_line(",".join(_csv_line(columns)))

    def _write_line(self, line: str) -> None:
        self._file.write(line + "\n")
        self._file.flush()

    def write(self, row: Mapping[str, Any]) -> None:
        """Append one row and flush it."""
        if self.format == "csv":
            self._write_line(",".join(_csv_line([_csv_cell(row.get(c)) for c in self.columns])))
        else:
            self._write_line(json.dumps({c: row.get(c) for c in self.columns}, ensure_ascii=False))
        self.rows += 1

    def close(self) -> None:
        """Close the file; for Parquet, write the final file atomically from the journal."""
        if self._file.closed:
            return
        self._file.close()
        if self.format != "parquet":
            return
        pa = _pyarrow()
        # A kill between the rename below and the journal's removal leaves both;
        # rows are then in the Parquet file and in the journal, so keep each id once.
        rows, seen = [], set()
        for row in read_written_rows(self.path):
            if str(row.get("id")) not in seen:
                seen.add(str(row.get("id")))
                rows.append(row)
        table = pa.Table.from_pylist([{c: r.get(c) for c in self.columns} for r in rows])
        tmp = self.path.with_name(self.path.name + ".tmp")
        pa.parquet.write_table(table, str(tmp))
        os.replace(tmp, self.path)
        _journal(self.path).unlink(missing_ok=True)

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._file.close()  # keep the journal for --resume; no half-written Parquet
            if self._created and self.rows == 0:
                # Nothing of this run to keep (a damaged input fails at its first row):
                # leave no empty output that the next run would have to --overwrite.
                self._file_path.unlink(missing_ok=True)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = (
        value
        if isinstance(value, str)
        else json.dumps(value)
        if isinstance(value, dict | list)
        else str(value)
    )
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _csv_line(cells: list[str]) -> list[str]:
    out = []
    for cell in cells:
        if any(ch in cell for ch in ',"') or cell != cell.strip():
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return out
