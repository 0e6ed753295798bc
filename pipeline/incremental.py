"""Incremental publish: a run's candidate is the latest version with this run's landing days replaced.

An incremental run (one data interval) carries forward every sources / mentions / places /
quantities / rejects row of the latest version except those read from the landing days it
reprocesses, adds its own rows, and dedupe then runs over the union. So re-running a day
replaces that day's contribution, and backfilling N days one by one gives the same tables as
one run over the N days. A full run (no interval) carries nothing: its inputs are the dataset.

The merged candidate is written to the run's ``layout.Candidate``, where dedupe, validate
and publish work on it. Its ``base.json`` records the version it was merged onto; publish
refuses a candidate whose base is no longer latest (``publish.BaseMoved``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import schema, versions
from pipeline.layout import Candidate, RunLayout
from pipeline.load import LANDING_DAY_PATTERN

SOURCE_KEYED = ("mentions", "places", "quantities")


def landing_dates(uris: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The landing day of each input URI: its innermost ``dt=YYYY-MM-DD`` folder, else null."""
    found = pc.extract_regex(uris, LANDING_DAY_PATTERN)
    return pc.struct_field(found, "dt").cast(pa.date32())


def run_tables(layout: RunLayout) -> dict[str, pa.Table]:
    """This run's own rows: every planned extract part, load, clean and extract rejects, and
    the cleaned sources but those the extractor raised on (an input is a source or a reject)."""
    parts = layout.extract.planned_parts()

    def from_parts(name: str) -> pa.Table:
        return pa.concat_tables([part.tables()[name].read() for part in parts])

    result = {name: from_parts(name) for name in SOURCE_KEYED}
    failed = from_parts("rejects")
    sources = layout.clean.sources.read()
    result["sources"] = sources.filter(pc.invert(pc.is_in(sources.column("input_uri"), value_set=failed.column("input_uri"))))
    result["rejects"] = pa.concat_tables([layout.load.rejects.read(), layout.clean.rejects.read(), failed])
    return result


def published_tables(root: Path, version_id: str | None) -> dict[str, pa.Table]:
    """The carried tables of a published version (empty tables when there is none).

    A version written before a column was added lacks it; it reads as nulls.
    """
    names = ("sources", "rejects", *SOURCE_KEYED)
    if version_id is None:
        return {name: schema.TABLES[name].empty_table() for name in names}
    folder, manifest = versions.version_dir(root, version_id), versions.read_manifest(root, version_id)
    result = {}
    for name in names:
        target = schema.TABLES[name]
        table = pa.concat_tables([pq.read_table(folder / f["path"]) for f in manifest["tables"][name]["files"]])
        for field in target:
            if field.name not in table.column_names:
                table = table.append_column(field.name, pa.nulls(table.num_rows, field.type))
        result[name] = table.select(target.names).cast(target)
    return result


def carry_forward(previous: dict[str, pa.Table], days: Sequence[date]) -> dict[str, pa.Table]:
    """The previous rows that did not come from ``days``: rows outside partitions always stay."""
    replaced = pa.array(sorted(days), pa.date32())

    def outside(dates: pa.Array) -> pa.Array:
        return pc.invert(pc.fill_null(pc.is_in(dates, value_set=replaced), False))

    sources = previous["sources"].filter(outside(landing_dates(previous["sources"].column("input_uri"))))
    rejects = previous["rejects"].filter(outside(landing_dates(previous["rejects"].column("input_uri"))))
    kept_ids = sources.column("source_id")
    return {"sources": sources, "rejects": rejects,
            **{name: previous[name].filter(pc.is_in(previous[name].column("source_id"), value_set=kept_ids)) for name in SOURCE_KEYED}}


def union(carried: dict[str, pa.Table], new: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Carried rows plus this run's rows; one source per ``source_id``.

    The same article (same id and content) landing on two days is one source, read from the
    first input in URI order, as one run over both days would read it; the other copy
    becomes a ``duplicate_input`` reject. Extracted rows of a source come from this run.
    """
    sources = pa.concat_tables([carried["sources"], new["sources"]]).sort_by([("source_id", "ascending"), ("input_uri", "ascending")])
    ids = sources.column("source_id").to_pylist()
    first = pa.array([i == 0 or ids[i] != ids[i - 1] for i in range(len(ids))], pa.bool_())
    winners, losers = sources.filter(first), sources.filter(pc.invert(first))
    winner_uri = dict(zip(winners.column("source_id").to_pylist(), winners.column("input_uri").to_pylist()))
    duplicates = [{"input_uri": row["input_uri"], "reason": "duplicate_input", "ingested_at": row["ingested_at"],
                   "detail": f"same id and content as {winner_uri[row['source_id']]}"}
                  for row in losers.select(["source_id", "input_uri", "ingested_at"]).to_pylist()]
    result = {
        "sources": winners.set_column(winners.schema.get_field_index("landing_date"), "landing_date",
                                      landing_dates(winners.column("input_uri"))),
        "rejects": pa.concat_tables([carried["rejects"], new["rejects"], schema.conform("rejects", duplicates)]),
    }
    new_ids = new["sources"].column("source_id")
    for name in SOURCE_KEYED:
        old = carried[name].filter(pc.invert(pc.is_in(carried[name].column("source_id"), value_set=new_ids)))
        result[name] = pa.concat_tables([old, new[name]])
    return result


def run_merge(layout: RunLayout, root: Path, days: Sequence[date] | None) -> dict:
    """Merge stage entry point: the run's rows and those carried from the latest version
    → the run's candidate (``layout.Candidate``).

    ``days`` are the landing days this run replaces; None is a full run (nothing carried).
    """
    base = versions.latest_version(root)
    new = run_tables(layout)
    carried = carry_forward(published_tables(root, base), days) if days is not None else published_tables(root, None)
    merged = union(carried, new)
    candidate = layout.candidate
    for name, staged in candidate.merged.tables().items():
        staged.write(merged[name])
    days_text = None if days is None else [d.isoformat() for d in days]
    candidate.base.write_text(json.dumps({"base_version_id": base, "replaced_days": days_text}) + "\n")
    return {"base_version_id": base, "carried_sources": carried["sources"].num_rows,
            "sources": merged["sources"].num_rows, "rejects": merged["rejects"].num_rows}


def base_version(candidate: Candidate) -> str | None:
    """The version a merged candidate was built on."""
    return json.loads(candidate.base.read_text())["base_version_id"]
