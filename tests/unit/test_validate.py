"""The validate stage with real Great Expectations: valid tables pass, each kind of break fails by name."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from pipeline import schema, validate
from pipeline.validate import (
    ValidationFailed,
    load_suite_dicts,
    require_valid,
    run_validate,
    validate_tables,
)
from tests.fixtures.tables import (BETWEEN, IN_SET, NOT_NULL, PAIR, REGEX, UTC, broken, build, failed_expectations,
                                   relations_failing, stage, valid_rows)


def failed_relations(report) -> set[str]:
    return {r["relation"] for r in report.relations if not r["success"]}


@pytest.fixture(scope="module")
def valid_report(tmp_path_factory):
    return validate_tables(build(valid_rows()), tmp_path_factory.mktemp("valid"))


def test_valid_tables_pass(valid_report):
    assert {n: t["failed"] for n, t in valid_report.tables.items()} == {n: [] for n in schema.TABLES}
    assert failed_relations(valid_report) == set()
    assert valid_report.success
    assert {n: t["evaluated"] for n, t in valid_report.tables.items()} == {
        n: len(suite["expectations"]) for n, suite in SUITES.items()
    }
    assert require_valid(valid_report) is valid_report


def test_results_and_data_docs_are_written(valid_report):
    out = valid_report.results_dir
    for name in schema.TABLES:
        result = json.loads((out / f"{name}.json").read_text())
        assert result["success"] is True
        assert result["suite_name"] == name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["success"] is True
    assert len(summary["relations"]) == len(valid_report.relations) > 0
    docs = out / "data_docs"
    assert valid_report.docs_index == docs / "index.html"
    index = valid_report.docs_index.read_text()
    for name in schema.TABLES:
        assert f'href="expectations/{name}.html"' in index
        assert len(list((docs / "validations" / name).rglob("*.html"))) == 1


def test_empty_tables_pass(tmp_path):
    report = validate_tables({name: schema.conform(name, []) for name in schema.TABLES}, tmp_path)
    assert report.success, report.failures()




@pytest.mark.parametrize(
    ("table", "index", "changes", "expectation", "column"),
    [
        ("events", 1, {"event_id": "e1", "parent_event_id": None}, "expect_column_values_to_be_unique", "event_id"),
        ("events", 0, {"metric": "wounded"}, IN_SET, "metric"),
        ("events", 0, {"value": -3.0, "value_low": None}, BETWEEN, "value"),
        ("events", 0, {"value_low": 40.0, "value_high": 35.0}, PAIR, "value_high, value_low"),
        ("events", 0, {"qualifier": "range", "value": 50.0, "value_low": 10.0, "value_high": 40.0}, PAIR, "value_high, value"),
        ("events", 0, {"metric": "territory_share", "event_type": "territorial", "value": 130.0}, BETWEEN, "value"),
        ("events", 0, {"modality": None}, NOT_NULL, "modality"),
        ("events", 0, {"modality": "asserted", "claimed_by": "police"}, "expect_column_values_to_be_null", "claimed_by"),
        ("mentions", 0, {"modality": "asserted", "claimed_by": "police"}, "expect_column_values_to_be_null", "claimed_by"),
        ("mentions", 0, {"latitude": 120.0}, BETWEEN, "latitude"),
        ("mentions", 0, {"char_start": 3, "char_end": 3}, PAIR, "char_end, char_start"),
        ("places", 0, {"country_code": "syr"}, REGEX, "country_code"),
        ("sources", 0, {"content_sha256": "abc"}, REGEX, "content_sha256"),
        ("sources", 0, {"text": None}, NOT_NULL, "text"),  # text is Arrow-backed (_frame)
        ("mentions", 0, {"text": None}, NOT_NULL, "text"),
        ("quantities", 0, {"direction": "sideways"}, IN_SET, "direction"),
        ("incidents", 0, {"incident_type": "riot"}, IN_SET, "incident_type"),
        ("incidents", 0, {"killed_low": 35.0}, PAIR, "killed, killed_low"),
        ("incidents", 0, {"injured": 3.0, "injured_high": 2.0}, PAIR, "injured_high, injured"),
        ("incidents", 0, {"n_sources": 0}, BETWEEN, "n_sources"),
        ("incidents", 0, {"event_ids": None}, NOT_NULL, "event_ids"),
        ("rejects", 0, {"reason": "bad"}, IN_SET, "reason"),
    ],
)
def test_broken_table_fails_with_named_expectation(tmp_path, table, index, changes, expectation, column):
    report = validate_tables({table: build(broken(table, index, **changes))[table]}, tmp_path)
    assert not report.success
    assert failed_expectations(report, table) == {(expectation, column)}
    with pytest.raises(ValidationFailed, match=f"{table}: {expectation}") as raised:
        require_valid(report)
    assert raised.value.report is report


def test_text_stays_arrow_backed_in_its_place():
    sources = build(valid_rows())["sources"]
    frame = validate._frame(sources)
    assert list(frame.columns) == sources.column_names
    assert isinstance(frame["text"].dtype, pd.ArrowDtype)
    assert frame["text"].tolist() == sources.column("text").to_pylist()
    assert frame.drop(columns="text").equals(sources.drop_columns(["text"]).to_pandas())  # the others as before


def test_missing_column_fails(tmp_path):
    events = build(valid_rows())["events"].drop_columns(["confidence"])
    report = validate_tables({"events": events}, tmp_path)
    assert ("expect_table_columns_to_match_ordered_list", "") in failed_expectations(report, "events")


@pytest.mark.parametrize(
    ("table", "index", "changes", "relation"),
    [
        ("mentions", 0, {"event_id": "e9"}, "mentions.event_id in events.event_id"),
        ("events", 1, {"value": 31.0, "value_low": 31.0}, "sub-count value <= parent value or value_high"),
    ],
)
def test_broken_relation_fails_the_validation(tmp_path, table, index, changes, relation):
    report = validate_tables(build(broken(table, index, **changes)), tmp_path)
    assert failed_relations(report) == {relation}
    assert all(t["success"] for t in report.tables.values())
    assert not report.success
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["success"] is False
    assert [r["relation"] for r in summary["relations"] if not r["success"]] == [relation]
    with pytest.raises(ValidationFailed, match=f"relation {relation}"):
        require_valid(report)


LATE = {"event_date_start": dt.date(2024, 3, 6), "event_date_end": None}


@pytest.mark.parametrize(
    ("table", "index", "changes", "relation"),
    [
        ("mentions", 0, {"source_id": "s9"}, "mentions.source_id in sources.source_id"),
        ("mentions", 1, {"parent_mention_id": "m9"}, "mentions.parent_mention_id in mentions.mention_id"),
        ("events", 1, {"parent_event_id": "e9"}, "events.parent_event_id in events.event_id"),
        ("events", 0, {"source_ids": ["s1", "s9"]}, "events.source_ids in sources.source_id"),
        ("sources", 0, {"duplicate_of": "s9"}, "sources.duplicate_of in sources.source_id"),
        ("mentions", 0, LATE, "mentions.event_date_start <= its source's published_at date"),
        ("mentions", 0, {"incident_id": "i9"}, "mentions.incident_id in incidents.incident_id"),
        ("events", 0, {"incident_id": "i9"}, "events.incident_id in incidents.incident_id"),
        ("incidents", 0, {"source_ids": ["s1", "s9"]}, "incidents.source_ids in sources.source_id"),
        ("incidents", 0, {"event_ids": ["e1", "e9"]}, "incidents.event_ids in events.event_id"),
        ("events", 0, LATE, "events.event_date_start <= its reports' last published_at date"),
    ],
)
def test_broken_relation_is_named(table, index, changes, relation):
    assert relations_failing(valid_rows()) == set()
    assert relations_failing(broken(table, index, **changes)) == {relation}


def test_sub_count_may_exceed_a_reconciled_parent_best_but_not_its_high():
    rows = broken("events", 1, value=35.0, value_low=35.0)
    rows["events"][0].update(value=30.0, value_low=30.0, value_high=40.0, qualifier="range")
    assert relations_failing(rows) == set()


def test_an_event_may_take_its_date_from_a_copy_published_later():
    """A copy (duplicate_of) is not cited, but its mention may give the event its finer date."""
    rows = valid_rows()
    copy = rows["sources"][0] | {"source_id": "s2", "external_id": "a-2", "duplicate_of": "s1",
                                 "published_at": dt.datetime(2024, 3, 8, 9, tzinfo=UTC), "input_uri": "file:///in/c.jsonl"}
    rows["sources"].append(copy)
    rows["mentions"].append(rows["mentions"][0] | {"mention_id": "m3", "source_id": "s2", **LATE})
    rows["events"][0].update(LATE)
    assert relations_failing(rows) == set()
    rows["mentions"].pop()  # without the copy's mention nothing reported the event that late
    assert relations_failing(rows) == {"events.event_date_start <= its reports' last published_at date"}


def test_publication_date_allows_one_day_for_time_zones():
    assert relations_failing(broken("mentions", 0, event_date_start=dt.date(2024, 3, 5), event_date_end=None)) == set()


def test_run_validate_writes_where_publish_reads(tmp_path):
    good = stage(valid_rows(), tmp_path / "ok")
    counts = run_validate(good, tmp_path, "run-1")
    assert counts["success"] is True
    assert json.loads(good.summary.read_text())["success"] is True

    bad = stage(broken("rejects", 0, reason="bad"), tmp_path / "bad")
    with pytest.raises(ValidationFailed, match="rejects: expect_column_values_to_be_in_set"):
        run_validate(bad, tmp_path, "run-2")
    assert json.loads(bad.summary.read_text())["success"] is False
    assert json.loads((tmp_path / "quarantine" / "run-2" / "validation" / "summary.json").read_text())["success"] is False


def test_suite_dir_override(tmp_path, monkeypatch):
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "rejects.json").write_text(json.dumps({
        "name": "rejects",
        "expectations": [{"type": "expect_table_row_count_to_equal", "kwargs": {"value": 5}}],
    }))
    monkeypatch.setenv("NEWSEVENTS_EXPECTATIONS_DIR", str(suites))
    report = validate_tables({"rejects": build(valid_rows())["rejects"]}, tmp_path / "out")
    assert failed_expectations(report, "rejects") == {("expect_table_row_count_to_equal", "")}


def test_misspelled_expectation_is_an_error_not_a_skipped_check(tmp_path):
    (tmp_path / "rejects.json").write_text(json.dumps({
        "name": "rejects",
        "expectations": [{"type": "expect_column_values_to_be_in_sett", "kwargs": {"column": "reason"}}],
    }))
    with pytest.raises(ValueError, match="did not load"):
        validate_tables({"rejects": build(valid_rows())["rejects"]}, tmp_path / "out", suites_dir=tmp_path)


# Suites and schema must not drift apart.

SUITES = load_suite_dicts()
VOCABULARIES = {
    "event_type": schema.EVENT_TYPES, "metric": schema.METRICS, "qualifier": schema.QUALIFIERS,
    "modality": schema.MODALITIES, "direction": schema.DIRECTIONS, "reason": schema.REJECT_REASONS,
    "reference_date_source": schema.REFERENCE_DATE_SOURCES, "incident_type": schema.INCIDENT_TYPES,
}


def test_every_table_has_a_suite_named_after_it():
    assert set(SUITES) == set(schema.TABLES)
    assert {name: suite["name"] for name, suite in SUITES.items()} == {name: name for name in SUITES}


@pytest.mark.parametrize("name", sorted(schema.TABLES))
def test_suite_columns_exist_in_schema(name):
    names = set(schema.TABLES[name].names)
    for expectation in SUITES[name]["expectations"]:
        kwargs = expectation["kwargs"]
        used = [kwargs.get(k) for k in ("column", "column_A", "column_B")] + kwargs.get("column_list", [])
        condition = kwargs.get("row_condition") or {}
        used.append(condition.get("column", {}).get("name"))
        assert {c for c in used if c} <= names, expectation


@pytest.mark.parametrize("name", sorted(schema.TABLES))
def test_suite_column_list_is_the_schema_order(name):
    [ordered] = [e for e in SUITES[name]["expectations"] if e["type"] == "expect_table_columns_to_match_ordered_list"]
    assert ordered["kwargs"]["column_list"] == schema.TABLES[name].names


def test_suite_vocabularies_are_the_schema_vocabularies():
    in_set = [
        (name, e["kwargs"]) for name, suite in SUITES.items() for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set"
    ]
    assert {kwargs["column"] for _, kwargs in in_set} == set(VOCABULARIES)
    for name, kwargs in in_set:
        assert kwargs["value_set"] == list(VOCABULARIES[kwargs["column"]]), (name, kwargs["column"])
