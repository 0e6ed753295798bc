"""What changed between two events tables: ids by kind, and what each event says."""

from __future__ import annotations

from pipeline import schema
from pipeline.changes import compare, describe_changes


def _events(*rows: dict):
    base = {"event_type": "casualties", "metric": "killed", "qualifier": "exact", "n_sources": 1, "modality": "asserted"}
    return schema.conform("events", [base | row for row in rows])


def test_changed_events_say_old_and_new_of_each_field_that_differs():
    before = _events({"event_id": "e1", "value": 10.0, "place_name": "Aleppo"},
                     {"event_id": "e2", "value": 3.0, "place_name": None})
    after = _events({"event_id": "e1", "value": 12.0, "place_name": "east Aleppo"},
                    {"event_id": "e3", "value": None, "value_low": 20.0, "qualifier": "vague", "place_name": "Homs"})
    found = compare(before, after)
    assert found == {"added": ["e3"], "removed": ["e2"], "changed": ["e1"]}
    details = describe_changes(before, after, found)
    assert details["changed"] == [{"event_id": "e1", "metric": "killed", "fields": {
        "value": {"old": 10.0, "new": 12.0}, "place_name": {"old": "Aleppo", "new": "east Aleppo"}}}]
    [added] = details["added"]
    assert (added["event_id"], added["value_low"], added["qualifier"], added["place_name"]) == ("e3", 20.0, "vague", "Homs")
    [removed] = details["removed"]
    assert (removed["event_id"], removed["value"], removed["place_name"]) == ("e2", 3.0, None)


def test_no_change_describes_nothing():
    events = _events({"event_id": "e1", "value": 10.0})
    assert describe_changes(events, events, compare(events, events)) == {"added": [], "removed": [], "changed": []}
