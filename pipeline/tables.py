"""Reading and writing the staged and published Parquet tables.

Every write goes through ``schema.conform`` and lands by rename, so a reader (or a retried
task) never sees a half-written file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import schema

PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": True}


def write_table(table_name: str, data: pa.Table | list[dict], path: Path) -> pa.Table:
    """Conform ``data`` to ``table_name``'s schema and write it atomically to ``path``."""
    table = schema.conform(table_name, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp, **PARQUET_OPTIONS)
    os.replace(tmp, path)
    return table


def _target(table_name: str, columns: list[str] | None) -> pa.Schema:
    """The table's schema, or the part of it that ``columns`` names (in that order)."""
    full = schema.table_schema(table_name)
    return full if columns is None else pa.schema([full.field(c) for c in columns])


class MissingStagedFile(FileNotFoundError):
    """A staged file is not where the run layout says: the stage that writes it has not run,
    or failed. Never read as an empty table: that would publish empty tables silently."""


def _require(table_name: str, path: Path) -> None:
    if not path.is_file():
        raise MissingStagedFile(f"the staged {table_name} table is missing: {path} "
                                f"(the stage that writes it has not run, or failed)")


def read_table(table_name: str, path: Path, columns: list[str] | None = None) -> pa.Table:
    """Read a staged table (only ``columns`` if given: the others are never decoded);
    a missing file raises ``MissingStagedFile``."""
    _require(table_name, path)
    target = _target(table_name, columns)
    return pq.read_table(path, schema=target, columns=columns)


def read_batches(table_name: str, path: Path, columns: list[str] | None = None,
                 batch_size: int | None = None) -> Iterator[pa.Table]:
    """A staged table one row group at a time, or ``batch_size`` rows at a time (a file
    written whole is one row group); only ``columns`` if given; a missing file raises
    ``MissingStagedFile`` (when the first batch is asked for)."""
    _require(table_name, path)
    source = pq.ParquetFile(path)
    target = _target(table_name, columns)
    if batch_size is None:
        parts = (source.read_row_group(group, columns=target.names) for group in range(source.num_row_groups))
    else:
        parts = (pa.Table.from_batches([b]) for b in source.iter_batches(batch_size, columns=target.names))
    for part in parts:
        yield part.select(target.names).cast(target)


@dataclass(frozen=True)
class StagedTable:
    """A staged file of one table, left on disk until a reader asks for it: whole, some
    columns, or batch by batch. Validation and publishing read it that way, one table at a
    time, so a 100k-article candidate is never held whole. The run layout
    (``pipeline.layout``) names every staged file of a run as one of these."""

    name: str
    path: Path

    @property
    def schema(self) -> pa.Schema:
        return schema.table_schema(self.name)

    def read(self, columns: list[str] | None = None) -> pa.Table:
        return read_table(self.name, self.path, columns)

    def batches(self, batch_size: int | None = None, columns: list[str] | None = None) -> Iterator[pa.Table]:
        return read_batches(self.name, self.path, columns=columns, batch_size=batch_size)

    def write(self, data: pa.Table | list[dict]) -> pa.Table:
        return write_table(self.name, data, self.path)

    def writer(self, in_key_order: bool = False) -> "StreamingWriter":
        return StreamingWriter(self.name, self.path, in_key_order)


AnyTable = pa.Table | StagedTable  # a table in memory, or one still on disk


def in_memory(table: AnyTable, columns: list[str] | None = None) -> pa.Table:
    """The table (only ``columns`` if given), read now if it is staged."""
    if isinstance(table, StagedTable):
        return table.read(columns)
    return table if columns is None else table.select(columns)


def in_batches(table: AnyTable, batch_size: int) -> Iterator[pa.Table]:
    """The table in pieces of at most ``batch_size`` rows (a table in memory is one piece)."""
    return table.batches(batch_size) if isinstance(table, StagedTable) else iter([table])


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def short_hash(*parts: str, length: int = 16) -> str:
    """A stable id from content: the same parts always give the same id."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


class OutOfKeyOrder(ValueError):
    """Batches given to a writer that promised key order were not in it."""


class StreamingWriter:
    """Write a table batch by batch (memory stays flat), publishing the file on close only.

    Each batch is sorted by the table's key; with ``in_key_order`` the batches must also
    follow one another in key order, so the file is sorted as a whole (as published tables
    are documented to be) or is not written.
    """

    def __init__(self, table_name: str, path: Path, in_key_order: bool = False):
        self.table_name = table_name
        self.path = path
        self.rows = 0
        self._in_key_order = in_key_order
        self._last_key: tuple | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self._writer = pq.ParquetWriter(self._tmp, schema.table_schema(table_name), **PARQUET_OPTIONS)

    def write(self, rows: list[dict] | pa.Table) -> None:
        if rows:
            table = schema.conform(self.table_name, rows)
            if self._in_key_order:
                self._follow(table)
            self._writer.write_table(table)
            self.rows += len(rows)

    def _follow(self, table: pa.Table) -> None:
        first, last = (self._key(table, row) for row in (0, table.num_rows - 1))
        if self._last_key is not None and first < self._last_key:
            raise OutOfKeyOrder(f"{self.table_name}: a batch starting at {first} follows one ending at {self._last_key}")
        self._last_key = last

    def _key(self, table: pa.Table, row: int) -> tuple:
        """The sort key of one row, comparable as Arrow sorts it (nulls last)."""
        values = table.select(schema.SORT_KEYS[self.table_name]).slice(row, 1).to_pylist()[0].values()
        return tuple((value is None, value) for value in values)

    def close(self) -> None:
        self._writer.close()
        os.replace(self._tmp, self.path)

    def __enter__(self) -> "StreamingWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self._writer.close()
            self._tmp.unlink(missing_ok=True)


def safe_name(name: str) -> str:
    """A run id as a folder name (Airflow run ids hold ':' and '+')."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)
