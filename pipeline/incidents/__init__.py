"""Incidents: one row per real-world happening, consolidated across every report of it.

An event is one fact (the killed of a shooting, its wounded); an incident is the shooting,
as ACLED and UCDP GED count happenings: its type, dates, place, actors and per metric the
best / low / high across its independent reports. Built in the dedupe stage, after events:

1. ``reports``: each article's happenings, from its counts, its sentences and toponyms;
2. ``linking``: reports of one happening across articles become one incident;
3. ``consolidate``: the incident's row.

Every mention about a happening and every event gets the id of its incident; a count
about none (projected, a running total) keeps a null ``incident_id``. An incident that
cannot be placed or dated keeps nulls there; none is dropped. Articles are streamed with
their toponyms, in ``source_id`` order, so no text is held beyond its own article.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from pipeline.incidents import cues as cue_rules
from pipeline.incidents.consolidate import incident_row
from pipeline.incidents.linking import Linking, link
from pipeline.incidents.reports import Report, article_reports
from pipeline.rules import load_rules


def _grouped(rows: Iterable[dict]) -> Iterator[tuple[str, list[dict]]]:
    """Consecutive rows of one ``source_id``, as (source_id, rows)."""
    current, group = None, []
    for row in rows:
        if row["source_id"] != current:
            if group:
                yield current, group
            current, group = row["source_id"], []
        group.append(row)
    if group:
        yield current, group


def reports_of(articles: Iterable[dict], places: Iterable[dict], mentions: list[dict],
               rules_dir: str | None = None) -> list[Report]:
    """Every article's reports. ``articles`` (source_id, title, text, published_at, duplicate_of)
    and ``places`` (rows of that table) come sorted by ``source_id``; mentions in any order."""
    cues = cue_rules.load(rules_dir)
    by_source: dict[str, list[dict]] = defaultdict(list)
    for m in mentions:
        by_source[m["source_id"]].append(m)
    toponyms = _grouped(places)
    pending: tuple[str, list[dict]] | None = next(toponyms, None)
    reports: list[Report] = []
    for article in articles:
        source_id = article["source_id"]
        while pending is not None and pending[0] < source_id:
            pending = next(toponyms, None)
        named = pending[1] if pending is not None and pending[0] == source_id else []
        reports += article_reports(article, article["text"] or "", by_source.get(source_id, []), named,
                                   article["duplicate_of"] or source_id, cues)
    return reports


def assign_incidents(reports: list[Report], mentions: list[dict], events: list[dict],
                     rules_dir: str | None = None) -> list[dict]:
    """Link the reports into incidents; set ``incident_id`` on ``mentions`` and ``events`` (in
    place: a mention of a report its incident's id, an event the incident most of its mentions
    are in, ties to its earliest mention's); return the incidents rows."""
    cues = cue_rules.load(rules_dir)
    linking = Linking.from_rules(load_rules("incidents", rules_dir)["linking"])
    rows, incident_of = [], {}
    for incident in link(reports, cues, linking):
        row = incident_row(incident, cues, linking)
        rows.append(row)
        for report in incident.reports:
            for m in report.mentions:
                incident_of[m["mention_id"]] = row["incident_id"]
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        m["incident_id"] = incident_of.get(m["mention_id"])
        if m["incident_id"] and m["event_id"]:
            votes[m["event_id"]][m["incident_id"]] += 1
    for event in events:
        counted = votes.get(event["event_id"])
        event["incident_id"] = min(counted, key=lambda i: (-counted[i], i)) if counted else None
    return rows
