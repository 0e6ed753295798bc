"""Extraction in parts: a plan of article row ranges, one part folder per range.

The DAG maps one extract task over the plan (``extract.expand``) so that extraction
scales out over workers; the CLI runs the same ranges in a loop. Each range writes its
own part folder (``layout.ExtractFiles``), so a retried mapped task redoes its own range
and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq


def plan(sources: Path, plan_file: Path, rows_per_part: int | None = None) -> list[list[int]]:
    """Split the cleaned sources into ``[start, stop)`` row ranges and record the plan.

    There is always at least one range (an empty one for no articles), so every run has
    the same shape and a mapped task never expands to nothing.
    """
    total = pq.ParquetFile(sources).metadata.num_rows
    step = max(rows_per_part or total, 1)
    ranges = [[start, min(start + step, total)] for start in range(0, max(total, 1), step)]
    plan_file.parent.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(json.dumps(ranges) + "\n")
    return ranges


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
