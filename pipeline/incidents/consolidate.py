"""One row of the incidents table from the reports of one happening.

Figures follow UCDP GED's reading across sources: one figure per independent source (a
copy and its original count once), null where no report gives the metric; ``_low`` the
lowest, ``_high`` the highest. The best is the latest independent report's figure (ties:
the lower median), because reports of a happening revise it: a toll rises, and the
wounded who die move from injured to killed; a latest figure no other report comes near
(a misread "mother of 12") yields to the one before it. So when the latest report giving injured
is older than the latest giving killed, and that later killed exceeds the killed of the
injured report, the difference has moved: injured is lowered by it ("a man was shot"
then "the man died" is killed 1, injured 0).

The place is the one most reports agree with, the most specific of those; the dates the
most precise any report gives; the type the one most reports name (else the one their
counts imply). The id is the hash of the first report's key (its first mention), so it is
kept when a later report joins.
"""

from __future__ import annotations

from collections import Counter

from pipeline import schema, tables
from pipeline.incidents.cues import Cues
from pipeline.incidents.linking import REGION, Incident, Linking, place_agreement
from pipeline.incidents.reports import Place, Report, most_precise


def _lower_median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _per_origin(reports: list[Report]) -> list[Report]:
    """One report per independent source: the original's, else its first copy's."""
    chosen: dict[str, Report] = {}
    for r in reports:
        if r.origin not in chosen or (r.source_id == r.origin and chosen[r.origin].source_id != r.origin):
            chosen[r.origin] = r
    return list(chosen.values())


def _latest(reports: list[Report], metric: str, linking: Linking) -> tuple[float, tuple] | None:
    """The best figure of a metric and when it was reported: the latest (ties the lower median)
    that another report's figure supports ("mom of 12" misread as 12 killed stands alone),
    else the latest."""
    by_time: dict[tuple, list[float]] = {}
    for r in reports:
        if metric in r.figures:
            by_time.setdefault(r.order[:2], []).append(r.figures[metric])
    every = Counter(v for values in by_time.values() for v in values)
    latest = sorted(by_time, reverse=True)
    for when in latest:
        figure = _lower_median(by_time[when])
        others = every - Counter([figure])
        if any(linking.fits(figure, v) for v in others):
            return figure, when
    return (_lower_median(by_time[latest[0]]), latest[0]) if latest else None


def figures(reports: list[Report], linking: Linking) -> dict[str, float | None]:
    """``<metric>``, ``<metric>_low``, ``<metric>_high`` for every incident metric (module docstring)."""
    independent = _per_origin(reports)
    out: dict[str, float | None] = {}
    best = {}
    for metric in schema.INCIDENT_METRICS:
        values = [r.figures[metric] for r in independent if metric in r.figures]
        best[metric] = _latest(independent, metric, linking)
        out[f"{metric}_low"] = min(values) if values else None
        out[f"{metric}_high"] = max(values) if values else None
    killed, injured = best["killed"], best["injured"]
    if killed and injured and injured[1] < killed[1]:
        # the killed known when the injured were counted; those killed since came from them
        earlier = [r for r in independent if r.order[:2] <= injured[1] and "killed" in r.figures]
        moved = killed[0] - (_latest(earlier, "killed", linking) or (0.0,))[0]
        if moved > 0:
            best["injured"] = (max(injured[0] - moved, 0.0), injured[1])
    for metric in schema.INCIDENT_METRICS:
        value = best[metric][0] if best[metric] else None
        out[metric] = value
        if value is not None:  # a revised figure widens the bounds it left
            out[f"{metric}_low"] = min(out[f"{metric}_low"], value)
    return out


def _place(incident: Incident, linking: Linking) -> Place | None:
    """The first place of a report that most reports agree with (at least within a region),
    the most specific of those, else the earliest report's."""
    firsts = list({r.places[0].key: r.places[0] for r in reversed(incident.reports) if r.places}.values())[::-1]
    if not firsts:
        return None

    def support(place: Place) -> int:
        return sum(any((a := place_agreement(place, q, linking.near_km)) is not None and a <= REGION for q in r.places)
                   for r in incident.reports)

    ranked = sorted(range(len(firsts)), key=lambda i: (-support(firsts[i]), firsts[i].geo_precision or 9, i))
    return firsts[ranked[0]]


def _kind(incident: Incident, cues: Cues) -> str:
    named = Counter(r.kind for r in incident.reports if r.kind)
    votes = named or Counter(r.fallback_kind for r in incident.reports)
    top = max(votes.values())
    return next(name for name in schema.INCIDENT_TYPES if votes.get(name) == top)


def incident_row(incident: Incident, cues: Cues, linking: Linking) -> dict:
    """The incidents row of one incident (its reports in canonical order)."""
    reports = incident.reports
    start, end, precision = most_precise([r.dates for r in reports])
    place = _place(incident, linking) or Place(None, None, None, None, None, None, None, None)
    published = [r.published for r in reports if r.published is not None]
    mentions = [m for r in reports for m in r.mentions]
    return {
        "incident_id": tables.short_hash("incident", reports[0].key),
        "incident_type": _kind(incident, cues),
        "event_date_start": start, "event_date_end": end, "date_precision": precision,
        "place_name": place.name, "geonameid": place.geonameid, "admin1": place.admin1, "admin2": place.admin2,
        "country_code": place.country_code, "latitude": place.latitude, "longitude": place.longitude,
        "geo_precision": place.geo_precision,
        "actors": sorted({a for r in reports for a in r.actors}),
        **figures(reports, linking),
        "n_sources": len({r.origin for r in reports}),
        "source_ids": sorted({r.source_id for r in reports}),
        "first_reported_at": min(published, default=None),
        "last_reported_at": max(published, default=None),
        "event_ids": sorted({m["event_id"] for m in mentions if m["event_id"]}),
    }
