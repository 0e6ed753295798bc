import random
from datetime import date, datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import dedupe, schema
from pipeline.layout import Candidate
from pipeline.tables import MissingStagedFile

DAY1, DAY2, DAY3 = (datetime(2020, 1, d, tzinfo=timezone.utc) for d in (1, 2, 3))


def _source(source_id, text="", published=None, duplicate_of=None):
    return {"source_id": source_id, "external_id": source_id, "content_sha256": "0" * 64, "text": text,
            "published_at": published, "ingested_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
            "credited_agencies": [], "n_chars": len(text), "language": "en", "input_uri": source_id,
            "duplicate_of": duplicate_of}


def _mention(mention_id, source_id, value=12.0, parent=None, place="Idlib", geonameid=169389, start=0, **kw):
    row = {"mention_id": mention_id, "source_id": source_id, "sentence_index": 0, "char_start": start,
           "char_end": start + 5, "text": "12 people", "value": value, "qualifier": "exact", "rule": "count:killed",
           "event_type": "casualties", "metric": "killed", "unit": "people", "subject": "people",
           "place_name": place, "geonameid": geonameid, "country_code": "SY", "admin1": "Idlib",
           "geo_precision": 1, "is_cumulative": False, "modality": "asserted", "parent_mention_id": parent,
           "sentence": f"sentence of {mention_id}", "confidence": 0.8}
    return {**row, **kw}


def _sources(*rows):
    return schema.conform("sources", list(rows))


def _events(mentions, sources):
    rows, events = dedupe.assign_events(schema.conform("mentions", mentions), sources)
    return {r["mention_id"]: r["event_id"] for r in rows}, {e["event_id"]: e for e in events}


def test_exact_copy_is_marked_duplicate_of_the_earliest():
    sources = _sources(
        _source("b", "Twelve  people were KILLED.", DAY2),
        _source("a", "twelve people were killed.", DAY1),
        _source("c", "Something else."),
    )
    marked = dict(zip(sources.column("source_id").to_pylist(), dedupe.mark_duplicates(sources).column("duplicate_of").to_pylist()))
    assert marked == {"a": None, "b": "a", "c": None}


def test_same_fact_in_two_articles_is_one_event_and_copies_do_not_count():
    sources = _sources(_source("a", published=DAY1), _source("b", published=DAY2), _source("copy", published=DAY2, duplicate_of="a"))
    mentions = [
        _mention("m1", "a"), _mention("m2", "b"), _mention("m3", "copy"),
        _mention("m4", "a", value=3.0, parent="m1", subject="children", start=10),
        _mention("m5", "a", value=12.0, place="Aleppo", geonameid=170063, admin1="Aleppo", start=20),
    ]
    event_of, events = _events(mentions, sources)
    assert event_of["m1"] == event_of["m2"] == event_of["m3"]
    assert len({event_of["m1"], event_of["m4"], event_of["m5"]}) == 3
    assert events[event_of["m1"]]["n_sources"] == 2
    assert events[event_of["m1"]]["source_ids"] == ["a", "b"]
    assert events[event_of["m4"]]["parent_event_id"] == event_of["m1"]
    # ids come from content, not from the order of the rows
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    assert _events(shuffled, sources)[0] == event_of


def test_disagreeing_figures_give_low_best_high():
    sources = _sources(*(_source(s, published=DAY1) for s in "abc"))
    mentions = [_mention("m1", "a", 12.0), _mention("m2", "b", 15.0),
                _mention("m3", "c", 20.0, modality="claimed", claimed_by="rebels")]
    event_of, events = _events(mentions, sources)
    assert len(set(event_of.values())) == 1
    event = events[event_of["m1"]]
    # lower median of the asserted figures; low / high span every source, claims included
    assert (event["value_low"], event["value"], event["value_high"]) == (12.0, 12.0, 20.0)
    assert event["qualifier"] == "range" and event["n_sources"] == 3 and event["modality"] == "asserted"


def test_a_vague_best_figure_lies_within_low_and_high():
    sources = _sources(_source("a", published=DAY1), _source("b", published=DAY1))
    mentions = [_mention("m1", "a", None, value_low=24.0, qualifier="vague"), _mention("m2", "b", 30.0)]
    event = next(iter(_events(mentions, sources)[1].values()))
    assert (event["value_low"], event["value"], event["value_high"], event["n_sources"]) == (24.0, 24.0, 30.0, 2)


def test_agreeing_figures_keep_their_qualifier():
    sources = _sources(_source("a", published=DAY1), _source("b", published=DAY1))
    mentions = [_mention(m, s, 341.0, value_low=342.0, qualifier="more_than") for m, s in (("m1", "a"), ("m2", "b"))]
    event = next(iter(_events(mentions, sources)[1].values()))
    assert (event["value"], event["value_low"], event["qualifier"], event["n_sources"]) == (341.0, 342.0, "more_than", 2)


def test_what_does_not_merge():
    sources = _sources(*(_source(s, published=DAY1) for s in "abcdefgh"))
    mentions = [
        _mention("base", "a", subject="civilians", event_date_start=date(2020, 1, 1), event_date_end=date(2020, 1, 1),
                 date_precision=2),
        _mention("cumulative", "b", is_cumulative=True),
        _mention("negated", "c", modality="negated"),
        _mention("projected", "d", modality="projected"),
        _mention("far_figure", "e", 300.0),
        _mention("below_dozens", "e", None, value_low=24.0, qualifier="vague", start=30),
        _mention("elsewhere", "f", place="Homs", geonameid=169577, admin1="Homs"),
        _mention("other_subject", "g", subject="soldiers"),
        _mention("other_date", "h", event_date_start=date(2019, 6, 1), event_date_end=date(2019, 6, 1), date_precision=1),
        _mention("same_article_other_figure", "a", 5.0, start=50),
    ]
    event_of, _ = _events(mentions + [_mention("undated", "b", start=9)], sources)
    assert [m["mention_id"] for m in mentions if event_of[m["mention_id"]] == event_of["base"]] == ["base"]
    assert event_of["undated"] == event_of["base"]  # an unknown date contradicts nothing


def test_a_place_merges_with_the_region_holding_it():
    sources = _sources(_source("a", published=DAY1), _source("b", published=DAY1), _source("c", published=DAY1))
    day = {"event_date_start": date(2020, 1, 1), "event_date_end": date(2020, 1, 1), "date_precision": 2}
    mentions = [_mention("city", "a", admin2="Idlib District", **day),
                _mention("province", "b", place="Idlib Governorate", geonameid=169388, geo_precision=4, **day),
                _mention("country", "c", place="Syria", geonameid=163843, admin1=None, geo_precision=6, **day)]
    event_of, events = _events(mentions, sources)
    assert len(set(event_of.values())) == 1
    finest = events[event_of["city"]]
    assert (finest["place_name"], finest["admin2"]) == ("Idlib", "Idlib District")  # the finest place is kept, whole
    # a whole country pins an event down only with dates on both sides
    undated = [_mention("city", "a"), _mention("country", "c", place="Syria", geonameid=163843, admin1=None, geo_precision=6)]
    assert len(set(_events(undated, sources)[0].values())) == 2


def test_sub_counts_follow_their_merged_parent():
    sources = _sources(_source("a", published=DAY1), _source("b", published=DAY2))
    mentions = [_mention("pa", "a"), _mention("ca", "a", 3.0, parent="pa", subject="children", start=10),
                _mention("pb", "b", 14.0), _mention("cb", "b", 3.0, parent="pb", subject="children", start=10)]
    event_of, events = _events(mentions, sources)
    assert event_of["pa"] == event_of["pb"] and event_of["ca"] == event_of["cb"]
    assert events[event_of["cb"]]["parent_event_id"] == event_of["pa"]


def test_a_sub_count_larger_than_its_reconciled_parent_stands_alone():
    """Rows carried from an older version, or sources that disagree on the whole: the
    published events still keep a part no larger than its whole."""
    sources = _sources(_source("a", published=DAY1))
    mentions = [_mention("p", "a", 10.0), _mention("c", "a", 50.0, parent="p", subject="children", start=10),
                _mention("d", "a", 4.0, parent="p", subject="women", start=20)]
    event_of, events = _events(mentions, sources)
    assert events[event_of["c"]]["parent_event_id"] is None
    assert events[event_of["d"]]["parent_event_id"] == event_of["p"]


def test_event_id_is_kept_when_a_later_article_joins():
    """dedupe(S) then dedupe(S + a later report of the same fact): same id, one more source."""
    first = [_source("a", "Twelve people were killed in Idlib on Monday, officials said.", DAY1)]
    later = _source("z", "Fourteen civilians died in an air strike on Idlib, a monitor reported.", DAY3)
    mentions = [_mention("m1", "a", 12.0)]
    before_of, before = _events(mentions, dedupe.mark_duplicates(_sources(*first)))
    after_of, after = _events(mentions + [_mention("m9", "z", 14.0)], dedupe.mark_duplicates(_sources(*first, later)))
    eid = before_of["m1"]
    assert after_of["m1"] == after_of["m9"] == eid
    assert (before[eid]["n_sources"], after[eid]["n_sources"]) == (1, 2)


def test_run_dedupe_writes_tables_that_read_back(tmp_path):
    text = "Twelve people were killed in Idlib on Monday when shells hit the market, rescuers said."
    sources = _sources(_source("a", text, DAY1), _source("b", "Agency: " + text + " (Reuters)", DAY2))
    candidate = Candidate(tmp_path)
    candidate.merged.sources.write(sources)
    candidate.merged.mentions.write([_mention("m1", "a"), _mention("m2", "b")])
    candidate.merged.places.write([])
    counts = dedupe.run_dedupe(candidate)
    assert counts == {"sources": 2, "duplicates": 1, "mentions": 2, "events": 1, "incidents": 1}
    events = pq.read_table(candidate.dedupe.events.path)
    assert events.column("n_sources").to_pylist() == [1]
    assert isinstance(events.schema.field("source_ids").type, pa.ListType)
    incidents = pq.read_table(candidate.dedupe.incidents.path).to_pylist()
    # the copy is a report of the same happening, counted once
    assert [(i["n_sources"], i["source_ids"], i["killed"], i["incident_type"]) for i in incidents] == [(1, ["a", "b"], 12.0, "shelling")]
    assert events.column("incident_id").to_pylist() == [incidents[0]["incident_id"]]


def _write_sources(path, table, row_group_size):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=row_group_size)


def test_run_dedupe_streams_sources_and_marks_them_as_the_whole_table_would(tmp_path, monkeypatch):
    text = "Twelve people were killed in Idlib on Monday when shells hit the market, rescuers said."
    other = "Aid agencies delivered food and medicine to a camp near the border on Tuesday, officials said."
    sources = _sources(*(_source(f"s{i}", [text, other][i % 2] + " (Reuters)" * (i % 3), DAY1 if i < 2 else DAY2)
                         for i in range(7)))
    candidate = Candidate(tmp_path)
    candidate.merged.mentions.write([])
    candidate.merged.places.write([])
    for row_group_size, batch_rows in ((7, 2), (3, 100), (2, 3)):  # batches within and across row groups
        monkeypatch.setattr(dedupe, "_BATCH_ROWS", batch_rows)
        _write_sources(candidate.merged.sources.path, sources, row_group_size)
        counts = dedupe.run_dedupe(candidate)
        written = pq.read_table(candidate.dedupe.sources.path)
        assert written.equals(schema.conform("sources", dedupe.mark_duplicates(sources)))
        assert counts["duplicates"] == 5
        assert written.column("duplicate_of").to_pylist() == [None, None, "s0", "s1", "s0", "s1", "s0"]


def test_run_dedupe_refuses_sources_not_sorted_by_id(tmp_path):
    sources = _sources(_source("a", "one text"), _source("b", "another text"))
    _write_sources(Candidate(tmp_path).merged.sources.path, sources.take([1, 0]), None)
    with pytest.raises(ValueError, match="not sorted by source_id"):
        dedupe.run_dedupe(Candidate(tmp_path))


def test_run_dedupe_refuses_a_candidate_without_its_mentions(tmp_path):
    """A missing staged file is a stage that did not run, not a table with nothing in it."""
    candidate = Candidate(tmp_path)
    candidate.merged.sources.write(_sources(_source("a", "one text")))
    with pytest.raises(MissingStagedFile, match="mentions"):
        dedupe.run_dedupe(candidate)
    assert not candidate.dedupe.events.path.exists()


def test_the_block_index_chooses_the_event_a_scan_of_the_whole_block_would(monkeypatch):
    """Places drawn from a few cities, regions and countries, names with and without ids,
    copies, dated and undated: joins by id, by name, by a country or region holding a city,
    within an article. The index must change no choice."""
    rng = random.Random(5)
    places = [("Idlib", 169389, "SY", "Idlib", 1), ("Idlib", None, "SY", "Idlib", 1), ("Idlib", 169388, "SY", "Idlib", 4),
              ("Syria", 163843, "SY", None, 6), ("Aleppo", 170063, "SY", "Aleppo", 1), ("Kabul", 1138958, "AF", "Kabul", 1),
              ("Afghanistan", 1149361, "AF", None, 6), ("the market", None, None, None, None), (None, None, None, None, None)]
    ids = [f"s{i:02d}" for i in range(30)]
    sources = _sources(*[_source(s, published=rng.choice([DAY1, DAY2, DAY3, None]),
                                 duplicate_of=rng.choice([None, None, None, "s00"]) if s != "s00" else None) for s in ids])
    mentions = []
    for n in range(400):
        name, geonameid, country, admin1, precision = rng.choice(places)
        day = rng.choice([None, date(2020, 1, 1), date(2020, 1, 2), date(2020, 1, 9)])
        mentions.append(_mention(f"m{n}", rng.choice(ids), value=rng.choice([10.0, 12.0, 13.0, 40.0]), place=name,
                                 geonameid=geonameid, country_code=country, admin1=admin1, geo_precision=precision,
                                 start=n, event_date_start=day, event_date_end=day, date_precision=1 if day else None,
                                 metric=rng.choice(["killed", "injured"])))
    indexed = _events(mentions, sources)
    monkeypatch.setattr(dedupe._Block, "candidates", lambda block, m, origin: sorted(block.position, key=block.position.get))
    scanned = _events(mentions, sources)
    assert indexed == scanned
    assert 40 < len(set(indexed[0].values())) < 300  # many joins, many events: the draw exercises both
