"""Carry-forward and union rules of incremental publish, on small tables (no spaCy, no GX)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import batches, incremental, load, schema
from pipeline.layout import Candidate, ExtractFiles

UTC = dt.timezone.utc
DAY1, DAY2 = dt.date(2026, 1, 1), dt.date(2026, 1, 2)


def _source(source_id: str, uri: str) -> dict:
    return {"source_id": source_id, "content_sha256": "0" * 64, "input_uri": uri, "text": f"text of {source_id}",
            "ingested_at": dt.datetime(2026, 1, 5, tzinfo=UTC), "n_chars": 10, "credited_agencies": []}


def _tables(sources: list[dict], rejects: tuple[str, ...] = ()) -> dict[str, pa.Table]:
    ids = [s["source_id"] for s in sources]
    return {
        "sources": schema.conform("sources", sources),
        "rejects": schema.conform("rejects", [{"input_uri": u, "reason": "empty", "detail": "", "ingested_at": None} for u in rejects]),
        "mentions": schema.conform("mentions", [{"mention_id": f"m-{i}", "source_id": i, "char_start": 0, "char_end": 1} for i in ids]),
        "places": schema.conform("places", [{"source_id": i, "char_start": 0, "char_end": 1} for i in ids]),
        "quantities": schema.conform("quantities", [{"source_id": i, "char_start": 0, "char_end": 1} for i in ids]),
    }


def test_landing_dates_come_from_the_innermost_dt_folder():
    uris = pa.array(["/l/dt=2026-01-01/a.txt", "/l/a.txt", "s3://b/dt=2025-12-31/x/dt=2026-01-02/f.jsonl#L4", "/l/dt=bad/a.txt"])
    assert incremental.landing_dates(uris).to_pylist() == [DAY1, None, DAY2, None]


def test_carry_forward_drops_the_replaced_days_and_keeps_everything_else():
    previous = _tables([_source("a", "/l/dt=2026-01-01/a.txt"), _source("b", "/l/dt=2026-01-02/b.txt"), _source("c", "/elsewhere/c.txt")],
                       rejects=("/l/dt=2026-01-02/bad.txt", "/l/dt=2026-01-01/bad.txt"))
    carried = incremental.carry_forward(previous, [DAY2])
    assert carried["sources"].column("source_id").to_pylist() == ["a", "c"]
    assert carried["rejects"].column("input_uri").to_pylist() == ["/l/dt=2026-01-01/bad.txt"]
    for name in incremental.SOURCE_KEYED:
        assert sorted(carried[name].column("source_id").to_pylist()) == ["a", "c"], name


def test_union_keeps_one_copy_of_a_source_landed_on_two_days():
    carried = _tables([_source("same", "/l/dt=2026-01-02/copy.txt"), _source("old", "/l/dt=2026-01-02/old.txt")])
    new = _tables([_source("same", "/l/dt=2026-01-01/copy.txt"), _source("new", "/l/dt=2026-01-01/new.txt")])
    merged = incremental.union(carried, new)
    sources = {r["source_id"]: r for r in merged["sources"].to_pylist()}
    assert sorted(sources) == ["new", "old", "same"]
    assert sources["same"]["input_uri"] == "/l/dt=2026-01-01/copy.txt"  # the first in URI order, as one run reads it
    assert sources["same"]["landing_date"] == DAY1
    [duplicate] = merged["rejects"].to_pylist()
    assert duplicate["input_uri"] == "/l/dt=2026-01-02/copy.txt" and duplicate["reason"] == "duplicate_input"
    assert "/l/dt=2026-01-01/copy.txt" in duplicate["detail"]
    for name in incremental.SOURCE_KEYED:
        assert sorted(merged[name].column("source_id").to_pylist()) == ["new", "old", "same"], name


def test_interval_days_and_partitions(tmp_path):
    assert load.interval_days(dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 3, tzinfo=UTC)) == [DAY1, DAY2]
    assert load.interval_days(dt.datetime(2026, 1, 1, 12, tzinfo=UTC), dt.datetime(2026, 1, 2, 1, tzinfo=UTC)) == [DAY1, DAY2]
    (tmp_path / "dt=2026-01-02").mkdir()
    (tmp_path / "dt=2026-01-03").mkdir()
    assert load.interval_partitions([str(tmp_path)], [DAY1, DAY2]) == [str(tmp_path / "dt=2026-01-02")]
    assert load.interval_partitions([f"file://{tmp_path}"], [DAY2]) == [str(tmp_path / "dt=2026-01-02")]


def test_plan_covers_every_row_once_and_parts_read_their_range(tmp_path):
    path = tmp_path / "sources.parquet"
    pq.write_table(pa.table({"source_id": [f"s{i:02d}" for i in range(10)]}), path, row_group_size=3)
    ranges = batches.plan(path, tmp_path / "extract" / "plan.json", rows_per_part=4)
    assert ranges == [[0, 4], [4, 8], [8, 10]]
    read = [batch.column(0).to_pylist() for part in ranges
            for batch in batches.iter_rows(pq.ParquetFile(path), part, batch_size=3, columns=["source_id"])]
    assert sum(read, []) == [f"s{i:02d}" for i in range(10)]
    assert max(len(r) for r in read) <= 3
    assert batches.plan(path, tmp_path / "whole" / "plan.json") == [[0, 10]]


def test_an_empty_run_still_plans_one_part_and_a_missing_part_is_an_error(tmp_path):
    path = tmp_path / "sources.parquet"
    pq.write_table(schema.SOURCES.empty_table(), path)
    extract = ExtractFiles(tmp_path / "extract")
    assert batches.plan(path, extract.plan, rows_per_part=5) == [[0, 0]]
    with pytest.raises(FileNotFoundError, match="rows-000000000-000000000"):
        extract.planned_parts()  # never skipped silently


def test_publish_refuses_a_candidate_merged_onto_an_older_version(tmp_path):
    from pipeline import publish

    candidate, root = Candidate(tmp_path / "staging"), tmp_path / "root"
    for name, staged in candidate.published().items():
        staged.write([])
    candidate.validation.mkdir(parents=True)
    candidate.summary.write_text('{"success": true}')
    logic = {"fingerprint": "logic"}
    first = publish.publish(candidate, root, {}, logic, expected_parent=None)
    with pytest.raises(publish.BaseMoved, match=first["version_id"]):
        publish.publish(candidate, root, {}, logic, expected_parent=None)  # built on "no version", but one exists now
    assert publish.publish(candidate, root, {}, logic, expected_parent=first["version_id"])["unchanged"] is True
