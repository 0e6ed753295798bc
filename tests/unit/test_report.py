"""The report's pieces on hand-built rows: how a figure, place and date read, and the cap on long listings."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from pipeline import report, schema


def _event(**given) -> dict:
    row = {name: None for name in schema.EVENTS.names}
    row.update({"event_id": "e", "metric": "killed", "qualifier": "exact", "unit": "people", "modality": "asserted",
                "is_cumulative": False, "n_sources": 1, "source_ids": ["s"], "evidence": "Twelve were killed."})
    row.update(given)
    return row


@pytest.mark.parametrize("given, shown", [
    ({"value": 44, "subject": "children"}, "44 children"),
    ({"value": 400000, "value_low": 400000, "qualifier": "at_least"}, "at least 400,000 people"),
    ({"value": 341, "value_low": 342, "qualifier": "more_than"}, "more than 341 people"),
    ({"value_low": 10, "value_high": 15, "qualifier": "range"}, "10–15 people"),
    ({"value_low": 24, "qualifier": "vague"}, "at least 24 people (vague)"),
    ({"value": 70, "value_high": 70, "qualifier": "nearly", "unit": "percent", "metric": "territory_share"}, "nearly 70 %"),
    ({"value": 66.6667, "qualifier": "about", "unit": "percent"}, "about 66.67 %"),
    ({"value": 800, "qualifier": "about", "unit": "metre"}, "about 800 m"),
    ({"qualifier": "none", "unit": None, "metric": "captured"}, ""),
])
def test_a_figure_reads_as_the_text_hedges_it(given, shown):
    assert report.figure_text(_event(**given)) == shown


def test_a_place_names_its_region_and_country_once_and_a_date_its_span():
    assert report.place_text(_event(place_name="east Aleppo", admin1="Aleppo Governorate", country_code="SY")) == \
        "east Aleppo, Aleppo Governorate, SY"
    assert report.place_text(_event(place_name="Aleppo Governorate", admin1="Aleppo Governorate", country_code="SY")) == \
        "Aleppo Governorate, SY"
    assert report.date_text(_event(event_date_start=date(2016, 12, 5), event_date_end=date(2016, 12, 5))) == "2016-12-05"
    assert report.date_text(_event(event_date_start=date(2016, 11, 29), event_date_end=date(2016, 12, 5))) == \
        "2016-11-29 – 2016-12-05"


def test_a_long_version_lists_the_first_events_and_says_so(tmp_path):
    import pyarrow.parquet as pq

    (tmp_path / "sources").mkdir()
    pq.write_table(schema.conform("sources", [{"source_id": "s", "title": "Clashes", "url": "https://example.org/a"}]),
                   tmp_path / "sources" / "part-0.parquet")
    n = report.LISTED_EVENTS + 5
    events = pa.Table.from_pylist([_event(event_id=f"e{i:04d}", value=float(i), event_date_start=date(2016, 1, 1 + i % 28),
                                          event_date_end=date(2016, 1, 1 + i % 28)) for i in range(n)], schema=schema.EVENTS)
    listing = report._event_listing(tmp_path, events)
    assert (len(listing["rows"]), listing["total"]) == (report.LISTED_EVENTS, n)
    ends = [(row["date_sort"], row["figure_sort"]) for row in listing["rows"]]
    assert ends == sorted(ends, reverse=True)  # most recent first, then the largest
    assert listing["rows"][0]["sources"][0]["url"] == "https://example.org/a"

    html = str(report.template("listings.html.j2").module.event_listing(listing))
    assert f"The first {report.LISTED_EVENTS} of {n} events in this order; every one is in the events table." in html
    assert html.count('<tr id="event-') == report.LISTED_EVENTS
    assert '<a href="https://example.org/a">Clashes</a>' in html
