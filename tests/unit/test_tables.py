"""Staged tables read lazily, and the streaming writer's key-order promise."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import schema, tables


def _places(*keys: tuple[str, int]) -> list[dict]:
    return [{"source_id": s, "sentence_index": 0, "char_start": c, "char_end": c + 5, "text": "Homs", "place_name": "Homs"}
            for s, c in keys]


def test_staged_table_reads_whole_in_columns_and_in_batches(tmp_path):
    path = tmp_path / "places.parquet"
    written = tables.write_table("places", _places(("b", 4), ("a", 9), ("a", 1)), path)
    staged = tables.StagedTable("places", path)
    assert staged.schema == schema.table_schema("places")
    assert staged.read().equals(written)
    assert tables.in_memory(staged, ["source_id", "char_start"]).to_pylist() == [
        {"source_id": "a", "char_start": 1}, {"source_id": "a", "char_start": 9}, {"source_id": "b", "char_start": 4}]
    pieces = list(tables.in_batches(staged, 2))
    assert [p.num_rows for p in pieces] == [2, 1]
    assert pa.concat_tables(pieces).equals(written)


def test_a_missing_staged_file_is_an_error_not_an_empty_table(tmp_path):
    missing = tables.StagedTable("places", tmp_path / "none.parquet")
    for read in (missing.read, lambda: list(missing.batches(2))):
        with pytest.raises(tables.MissingStagedFile, match=r"staged places table is missing: .*none\.parquet"):
            read()


def test_a_table_in_memory_is_one_piece():
    table = schema.conform("places", _places(("a", 1), ("a", 9)))
    assert tables.in_memory(table) is table
    assert tables.in_memory(table, ["char_start"]).column_names == ["char_start"]
    assert list(tables.in_batches(table, 1)) == [table]


def test_writer_in_key_order_writes_one_sorted_file(tmp_path):
    path = tmp_path / "places.parquet"
    with tables.StreamingWriter("places", path, in_key_order=True) as writer:
        writer.write(_places(("a", 9), ("a", 1)))  # sorted within the batch
        writer.write(_places(("a", 9)))  # an equal key may follow
        writer.write(_places(("c", 0), ("b", 3)))
    keys = pq.read_table(path, columns=["source_id", "char_start"]).to_pylist()
    assert [(k["source_id"], k["char_start"]) for k in keys] == [("a", 1), ("a", 9), ("a", 9), ("b", 3), ("c", 0)]


def test_writer_in_key_order_refuses_a_batch_that_starts_behind_and_leaves_no_file(tmp_path):
    path = tmp_path / "places.parquet"
    with pytest.raises(tables.OutOfKeyOrder, match="places: a batch starting at"):
        with tables.StreamingWriter("places", path, in_key_order=True) as writer:
            writer.write(_places(("b", 3), ("c", 0)))
            writer.write(_places(("a", 1)))
    assert list(tmp_path.iterdir()) == []


def test_writer_without_the_promise_takes_batches_in_any_order(tmp_path):
    path = tmp_path / "places.parquet"
    with tables.StreamingWriter("places", path) as writer:
        writer.write(_places(("b", 3)))
        writer.write(_places(("a", 1)))
    assert pq.read_table(path).column("source_id").to_pylist() == ["b", "a"]


def test_the_writer_orders_nulls_last_as_arrow_sorts_them(tmp_path):
    assert schema.conform("changes", [{"event_id": None}, {"event_id": "e1"}]).column("event_id").to_pylist() == ["e1", None]
    with tables.StreamingWriter("changes", tmp_path / "ok.parquet", in_key_order=True) as writer:
        writer.write([{"event_id": "e1"}])
        writer.write([{"event_id": None}])
    with pytest.raises(tables.OutOfKeyOrder):
        with tables.StreamingWriter("changes", tmp_path / "bad.parquet", in_key_order=True) as writer:
            writer.write([{"event_id": "e1"}, {"event_id": None}])
            writer.write([{"event_id": "e2"}])
