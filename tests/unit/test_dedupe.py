from datetime import datetime, timezone

from pipeline import dedupe, schema


def _source(source_id, text, published=None):
    return {"source_id": source_id, "external_id": source_id, "content_sha256": "0" * 64, "text": text,
            "published_at": published, "ingested_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
            "credited_agencies": [], "n_chars": len(text), "language": "en", "input_uri": source_id}


def _mention(mention_id, source_id, value=12.0, parent=None, place="Idlib"):
    return {"mention_id": mention_id, "source_id": source_id, "sentence_index": 0, "char_start": 0, "char_end": 5,
            "text": "12 people", "value": value, "qualifier": "exact", "rule": "count:killed", "event_type": "casualties",
            "metric": "killed", "unit": "people", "subject": "people", "place_name": place, "geonameid": 169389,
            "is_cumulative": False, "modality": "asserted", "parent_mention_id": parent, "sentence": "s", "confidence": 0.8}


def test_exact_copy_is_marked_duplicate_of_the_earliest():
    sources = schema.conform("sources", [
        _source("b", "Twelve  people were KILLED.", datetime(2020, 1, 2, tzinfo=timezone.utc)),
        _source("a", "twelve people were killed.", datetime(2020, 1, 1, tzinfo=timezone.utc)),
        _source("c", "Something else."),
    ])
    marked = dict(zip(sources.column("source_id").to_pylist(), dedupe.mark_duplicates(sources).column("duplicate_of").to_pylist()))
    assert marked == {"a": None, "b": "a", "c": None}


def test_same_fact_in_two_articles_is_one_event_and_copies_do_not_count():
    mentions = schema.conform("mentions", [
        _mention("m1", "a"), _mention("m2", "b"), _mention("m3", "copy"),
        _mention("m4", "a", value=3.0, parent="m1"), _mention("m5", "a", value=12.0, place="Aleppo"),
    ])
    rows, events = dedupe.assign_events(mentions, {"a": None, "b": None, "copy": "a"})
    event_of = {r["mention_id"]: r["event_id"] for r in rows}
    assert event_of["m1"] == event_of["m2"] == event_of["m3"]
    assert len({event_of["m1"], event_of["m4"], event_of["m5"]}) == 3
    by_id = {e["event_id"]: e for e in events}
    assert by_id[event_of["m1"]]["n_sources"] == 2
    assert by_id[event_of["m1"]]["source_ids"] == ["a", "b"]
    assert by_id[event_of["m4"]]["parent_event_id"] == event_of["m1"]
    # ids come from content: the same mentions give the same ids again
    again, _ = dedupe.assign_events(mentions, {"a": None, "b": None, "copy": "a"})
    assert {r["mention_id"]: r["event_id"] for r in again} == event_of
