"""The release invariants added for issue 7, each broken once: the gate names what broke."""

from __future__ import annotations

import pytest

from pipeline.validate import validate_tables
from tests.fixtures.tables import BETWEEN, broken, build, failed_expectations, relations_failing, valid_rows


def test_valid_rows_break_none_of_the_new_relations():
    assert relations_failing(valid_rows()) == set()


@pytest.mark.parametrize(
    ("table", "index", "changes", "relation"),
    [
        ("rejects", 0, {"input_uri": "file:///in/a.jsonl"},
         "sources.input_uri not in rejects.input_uri (an input is a source or a reject, not both)"),
        ("mentions", 0, {"char_start": 70, "char_end": 90}, "mentions spans lie within their source's text"),
        ("places", 0, {"char_start": 70, "char_end": 200}, "places spans lie within their source's text"),
        ("quantities", 1, {"char_end": 500}, "quantities spans lie within their source's text"),
    ],
)
def test_broken_release_relation_is_named(table, index, changes, relation):
    assert relations_failing(broken(table, index, **changes)) == {relation}


def test_changes_must_agree_with_the_events():
    rows = valid_rows()
    rows["changes"] = [{"event_id": "e1", "change": "added"}, {"event_id": "e0", "change": "removed"}]
    assert relations_failing(rows) == set()
    rows["changes"] += [{"event_id": "e9", "change": "added"}, {"event_id": "e2", "change": "removed"},
                        {"event_id": "e1", "change": "renamed"}]
    assert relations_failing(rows) == {"changes: added and changed events in events.event_id, removed ones not"}


def test_a_twice_rejected_input_fails_the_rejects_suite(tmp_path):
    rows = valid_rows()
    rows["rejects"].append(dict(rows["rejects"][0], reason="empty"))
    report = validate_tables({"rejects": build(rows)["rejects"]}, tmp_path)
    assert failed_expectations(report, "rejects") == {("expect_column_values_to_be_unique", "input_uri")}


@pytest.mark.parametrize("column", ["value_low", "value_high"])
def test_share_bounds_above_100_percent_fail(tmp_path, column):
    share = {"metric": "territory_share", "event_type": "territorial", "value": None, "qualifier": "range",
             "value_low": 60.0, "value_high": 90.0, column: 130.0}
    report = validate_tables({"events": build(broken("events", 0, **share))["events"]}, tmp_path)
    failed = failed_expectations(report, "events")
    assert (BETWEEN, column) in failed
