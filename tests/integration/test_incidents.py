"""Incidents through the CLI with the real extractor, on local news reports of shootings."""

from __future__ import annotations

import pyarrow.dataset as ds
import pytest

from pipeline.cli import main
from tests.integration.shootings import write_articles


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, list[dict]]:
    root = tmp_path_factory.mktemp("shootings")
    assert main(["run", "--input", str(write_articles(root / "articles.jsonl")), "--output", str(root / "out")]) == 0
    return {name: ds.dataset(root / "out" / "latest" / name, format="parquet").to_table().to_pylist()
            for name in ("incidents", "mentions", "events", "sources")}


def _by_reports(published) -> dict[tuple, dict]:
    external = {s["source_id"]: s["external_id"] for s in published["sources"]}
    return {tuple(sorted(external[s] for s in i["source_ids"])): i for i in published["incidents"]}


def test_reports_of_one_shooting_are_one_incident_and_two_shootings_of_one_day_stay_apart(published):
    incidents = _by_reports(published)
    assert {"north-1", "north-2", "north-3"} in [set(k) for k in incidents]
    assert {"south-1", "south-2"} in [set(k) for k in incidents]
    assert {"gary-1", "gary-2"} in [set(k) for k in incidents]


def test_the_toll_is_revised_and_the_wounded_who_died_leave_the_injured(published):
    north = _by_reports(published)[("north-1", "north-2", "north-3")]
    assert (north["killed"], north["killed_low"], north["killed_high"], north["injured"]) == (2.0, 1.0, 2.0, 1.0)
    assert (north["incident_type"], north["place_name"], north["n_sources"]) == ("shooting", "Milwaukee", 3)
    assert north["event_date_start"].isoformat() == "2014-03-07"  # "late Friday", not the publication day
    south = _by_reports(published)[("south-1", "south-2")]
    assert (south["killed"], south["injured"]) == (None, 1.0)


def test_a_past_shooting_in_background_is_its_own_incident(published):
    incidents = _by_reports(published)
    gary = incidents[("gary-1", "gary-2")]
    assert (gary["killed"], gary["injured"], gary["detained"]) == (2.0, 1.0, 1.0)
    [past] = [i for k, i in incidents.items() if k == ("gary-1",)]
    assert (past["killed"], past["event_date_start"].year) == (4.0, 2012)


def test_every_mention_and_event_points_up_to_an_existing_incident(published):
    ids = {i["incident_id"] for i in published["incidents"]}
    assert {m["incident_id"] for m in published["mentions"]} <= ids
    assert {e["incident_id"] for e in published["events"]} <= ids
    assert all(m["incident_id"] for m in published["mentions"] if m["metric"] in ("killed", "injured", "detained"))
    cited = {e for i in published["incidents"] for e in i["event_ids"]}
    assert cited == {e["event_id"] for e in published["events"] if e["incident_id"]}
