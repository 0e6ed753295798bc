"""Publishing copies the staged candidate batch by batch, and only a candidate in key order."""

from __future__ import annotations

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline import fingerprint, publish, schema, tables, versions
from pipeline.settings import Settings
from pipeline.validate import run_validate
from tests.fixtures.tables import stage, valid_rows


def _candidate(tmp_path):
    """A validated candidate whose places span several batches."""
    rows = valid_rows()
    place = rows["places"][0]
    rows["places"] = [place | {"source_id": s, "sentence_index": i} for i, s in enumerate(["s1", "s1", "s1"])]
    for i, row in enumerate(rows["places"]):
        row.update(char_start=row["char_start"] + i, char_end=row["char_end"] + i)
    candidate = stage(rows, tmp_path / "staging")
    run_validate(candidate, tmp_path / "root", "run")
    return rows, candidate


def test_a_version_holds_the_staged_tables_copied_in_batches(tmp_path, monkeypatch):
    rows, candidate = _candidate(tmp_path)
    monkeypatch.setattr(versions, "COPY_BATCH_ROWS", 1)
    logic = fingerprint.logic(Settings())
    result = publish.publish(candidate, tmp_path / "root", {"run_id": "run"}, logic)
    folder = tmp_path / "root" / "versions" / result["version_id"]
    for name in rows:
        published = ds.dataset(folder / name, format="parquet").to_table()
        assert published.equals(schema.conform(name, rows[name])), name
    assert pq.ParquetFile(folder / "places" / "part-00000.parquet").metadata.num_row_groups == 3
    assert result["rows"]["places"] == 3
    manifest = versions.read_manifest(tmp_path / "root", result["version_id"])
    assert manifest["inputs"]["sources"] == [{k: rows["sources"][0][k] for k in ("source_id", "input_uri", "content_sha256")}]
    assert manifest["logic"] == logic


def test_a_staged_table_out_of_key_order_is_not_published(tmp_path, monkeypatch):
    rows, candidate = _candidate(tmp_path)
    path = candidate.merged.places.path
    pq.write_table(pq.read_table(path).take([2, 0, 1]), path)  # a stage that broke the sort
    monkeypatch.setattr(versions, "COPY_BATCH_ROWS", 1)
    with pytest.raises(tables.OutOfKeyOrder, match="places"):
        publish.publish(candidate, tmp_path / "root", {"run_id": "run"}, fingerprint.logic(Settings()))
    assert versions.latest_version(tmp_path / "root") is None
    assert [p.name for p in (tmp_path / "root" / "versions").iterdir()] == []


def test_a_candidate_missing_a_staged_table_is_not_published(tmp_path):
    """A path mistake must fail the publish, not publish an empty table."""
    rows, candidate = _candidate(tmp_path)
    candidate.merged.quantities.path.unlink()
    with pytest.raises(tables.MissingStagedFile, match="quantities"):
        publish.publish(candidate, tmp_path / "root", {"run_id": "run"}, fingerprint.logic(Settings()))
    assert versions.latest_version(tmp_path / "root") is None


def test_a_retry_in_the_same_second_does_not_land_on_the_version_a_crash_left(tmp_path):
    """A publisher killed after renaming its version in, before swapping ``latest``, leaves a
    complete version; the retry of the same candidate, in the same second, is a version of its own."""
    from datetime import datetime, timezone

    rows, candidate = _candidate(tmp_path)
    root = tmp_path / "root"
    created = datetime(2026, 12, 4, 21, 33, 50, 100, tzinfo=timezone.utc)
    manifest = {"parent_version_id": None}
    published = candidate.published()
    first = versions.commit(root, published, candidate.validation, dict(manifest), created)
    (root / "latest").unlink()
    (root / "LATEST").unlink()
    retry = versions.commit(root, published, candidate.validation, dict(manifest), created.replace(microsecond=900))
    assert first["version_id"][:16] == retry["version_id"][:16]  # one second
    assert first["version_id"] != retry["version_id"]
    assert versions.latest_version(root) == retry["version_id"]
    assert versions.verify(root, first["version_id"]) == [] and versions.verify(root, retry["version_id"]) == []
