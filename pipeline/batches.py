"""Extraction in parts: a plan of article row ranges, one part folder per range.

The DAG maps one extract task over the plan (``extract.expand``) so that extraction
scales out over workers; the CLI runs the same ranges in a loop. Each range writes its
own part folder, so a retried mapped task redoes its own range and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

PLAN_FILE = "plan.json"


def part_name(rows: Sequence[int]) -> str:
    return f"rows-{rows[0]:09d}-{rows[1]:09d}"


def plan(sources: Path, out_dir: Path, rows_per_part: int | None = None) -> list[list[int]]:
    """Split the cleaned sources into ``[start, stop)`` row ranges and record the plan.

    There is always at least one range (an empty one for no articles), so every run has
    the same shape and a mapped task never expands to nothing.
    """
    total = pq.ParquetFile(sources).metadata.num_rows
    step = max(rows_per_part or total, 1)
    ranges = [[start, min(start + step, total)] for start in range(0, max(total, 1), step)]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / PLAN_FILE).write_text(json.dumps(ranges) + "\n")
    return ranges


def planned_parts(out_dir: Path) -> list[Path]:
    """The part folders of the recorded plan; a missing part is an error, never a silent gap."""
    ranges = json.loads((out_dir / PLAN_FILE).read_text())
    parts = [out_dir / part_name(rows) for rows in ranges]
    missing = [p.name for p in parts if not p.is_dir()]
    if missing:
        raise FileNotFoundError(f"extract parts missing in {out_dir}: {', '.join(missing)}")
    return parts


def iter_rows(source: pq.ParquetFile, rows: Sequence[int] | None, batch_size: int,
              columns: list[str]) -> Iterator[pa.RecordBatch]:
    """Record batches of the rows ``[start, stop)`` (all rows when ``rows`` is None), streamed."""
    start, stop = rows if rows is not None else (0, source.metadata.num_rows)
    offset = 0
    for batch in source.iter_batches(batch_size=batch_size, columns=columns):
        low, high = max(start - offset, 0), min(stop - offset, batch.num_rows)
        offset += batch.num_rows
        if high > low:
            yield batch.slice(low, high - low)
        if offset >= stop:
            break
