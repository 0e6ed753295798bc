"""An incident's row from its reports: figures across independent sources, place, type, id."""

from __future__ import annotations

from datetime import datetime, timezone

from pipeline import tables
from pipeline.incidents import consolidate, cues as cue_rules
from pipeline.incidents.linking import Incident, Linking
from pipeline.incidents.reports import Place, Report
from pipeline.rules import load_rules
from tests.unit.incidents.rows import at, day

LINKING = Linking.from_rules(load_rules("incidents")["linking"])
MILWAUKEE = Place("Milwaukee", 5263045, "Wisconsin", None, "US", 43.04, -87.91, 1)
NORTH_SIDE = Place("North Side", None, "Wisconsin", None, "US", 43.04, -87.91, 2)
OILDALE = Place("Oildale", 5379566, "California", None, "US", 35.42, -119.02, 1)


def report(source_id: str, published: datetime | None, figures: dict, places=(MILWAUKEE,), kind="shooting",
           origin: str | None = None, dates=(day(7), day(7), 1), key: str | None = None) -> Report:
    return Report(key=key or f"{source_id}-m", source_id=source_id, origin=origin or source_id, published=published,
                  position=0, mentions=[], kind=kind, fallback_kind="attack", dates=dates, places=list(places),
                  top_words=frozenset(), local_words=frozenset(), figures=figures, ages=frozenset(),
                  victim_ages=frozenset(), names=frozenset(), victim_names=frozenset(), dead_names=frozenset(), actors=frozenset({"police"}))


def row(*reports: Report) -> dict:
    incident = Incident()
    for r in reports:
        incident.add(r, LINKING)
    return consolidate.incident_row(incident, cue_rules.load(), LINKING)


def test_best_is_the_latest_independent_figure_and_bounds_span_them_all():
    got = row(report("a", at(7), {"killed": 1.0}), report("b", at(9), {"killed": 3.0}), report("c", at(8), {"killed": 2.0}))
    assert (got["killed"], got["killed_low"], got["killed_high"]) == (3.0, 1.0, 3.0)
    assert got["injured"] is None and got["injured_low"] is None  # no report gives it


def test_a_latest_figure_no_other_report_comes_near_yields_to_the_one_before():
    got = row(report("a", at(7), {"killed": 1.0}), report("b", at(8), {"killed": 1.0}), report("c", at(9), {"killed": 12.0}))
    assert (got["killed"], got["killed_high"]) == (1.0, 12.0)


def test_reports_published_together_give_the_lower_median():
    got = row(report("a", at(9), {"killed": 4.0}), report("b", at(9), {"killed": 2.0}), report("c", at(9), {"killed": 3.0}))
    assert got["killed"] == 3.0


def test_a_copy_and_its_original_give_one_figure():
    got = row(report("a", at(7), {"killed": 2.0}), report("copy", at(9), {"killed": 9.0}, origin="a"))
    assert (got["killed"], got["killed_high"], got["n_sources"], got["source_ids"]) == (2.0, 2.0, 1, ["a", "copy"])


def test_the_wounded_who_died_since_leave_the_injured():
    got = row(report("a", at(7), {"killed": 1.0, "injured": 2.0}), report("b", at(9), {"killed": 2.0}))
    assert (got["killed"], got["injured"], got["injured_low"], got["injured_high"]) == (2.0, 1.0, 1.0, 2.0)
    unchanged = row(report("a", at(7), {"killed": 2.0, "injured": 2.0}), report("b", at(9), {"killed": 2.0}))
    assert unchanged["injured"] == 2.0


def test_the_place_most_reports_agree_with_wins_over_a_misread_one():
    got = row(report("a", at(7), {}, places=(OILDALE, MILWAUKEE)), report("b", at(8), {}, places=(MILWAUKEE,)),
              report("c", at(9), {}, places=(NORTH_SIDE,)))
    assert (got["place_name"], got["geo_precision"], got["admin1"]) == ("Milwaukee", 1, "Wisconsin")


def test_an_incident_without_place_or_date_keeps_nulls_and_its_id_is_its_first_report():
    got = row(report("a", None, {"killed": 1.0}, places=(), dates=(None, None, None), key="m1"),
              report("b", None, {}, places=(), dates=(None, None, None), kind=None))
    assert got["incident_id"] == tables.short_hash("incident", "m1")
    assert (got["place_name"], got["event_date_start"], got["date_precision"], got["first_reported_at"]) == (None,) * 4
    assert got["incident_type"] == "shooting" and got["actors"] == ["police"]


def test_the_type_most_reports_name_else_the_one_their_counts_imply():
    assert row(report("a", at(7), {}, kind="shooting"), report("b", at(8), {}, kind="attack"),
               report("c", at(9), {}, kind="attack"))["incident_type"] == "attack"
    assert row(report("a", at(7), {}, kind=None))["incident_type"] == "attack"
