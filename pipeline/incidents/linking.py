"""Reports of one happening across articles become one incident, as ACLED codes reports of
the same day, place and actors as one event.

Reports are taken in canonical order (publication, source, position); each joins the
incident it fits best, or starts one. A report fits an incident when

- it comes from another article (an article's happenings are apart: ``reports``), and
  its kind of happening is compatible (``Cues.compatible``);
- their dates meet once widened by their precision (``window_days``): an early report
  and a follow-up days later, "Friday night" against a publication date; unless both name
  the same person killed, in full (one dies once: a trial a year on dates the killing by
  its own day). A date wider than a month once widened is no date;
- one of its places agrees with the incident's core (the places most of its reports name,
  so that one report's stray place cannot carry it into another city): the same place; a
  place the gazetteer lacks (a neighbourhood, a street put beside a known place) within
  ``near_km`` of it; a region holding it (a county, a province); or only the same country;
- and the evidence adds up to what the context needs (``weights``, ``need_*``): the ages
  and names of the people involved, the streets and neighbourhoods named, the same day,
  the same figures, for; victims of other ages or names, other streets, counts that do
  not fit (a toll rises: 1 and 3 fit, 1 and 4 do not), against. Two shootings in one city
  on one day stay apart by those. Placed only within a region, a country or a month, a
  report needs a sign for; unplaced, or undated where the incident is dated (or the other
  way), it joins only on a shared name (or as a copy of one of its reports).

Incidents are found through an index of their places on each day of their windows, and
of their names and sources at any date, so a report looks at the few incidents it could
join, not all of them, and finds every one a scan of all would. The result is a function
of the set of reports: the order is canonical and no step depends on batching.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from pipeline.incidents.cues import Cues
from pipeline.incidents.reports import Dates, Place, Report, most_precise

FINE, REGION, COUNTRY = 1, 2, 3  # how closely two places agree
_MAX_PLACES = 3  # a report's places compared and kept by its incident: its best few (the rest is context)
_CORE_PLACES = 8  # an incident's places compared: those most of its reports name
_CASUALTIES = frozenset({"killed", "injured"})
_KM_PER_DEGREE = 111.2


@dataclass(slots=True)
class Incident:
    """The reports of one happening, with what they say together."""

    reports: list[Report] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    origins: set[str] = field(default_factory=set)
    dates: Dates = (None, None, None)
    window: tuple[date, date] | None = None  # of its most precise date, as linking widens it
    kinds: Counter = field(default_factory=Counter)
    kind: str | None = None  # the one most of its reports name
    places: list[Place] = field(default_factory=list)  # its core: the places most of its reports name
    place_keys: dict[tuple, int] = field(default_factory=dict)  # key of each core place: its precision
    named_by: dict[tuple, list] = field(default_factory=dict)  # key of every place: [reports naming it, first seen, place]
    top_words: set[str] = field(default_factory=set)
    local_words: set[str] = field(default_factory=set)
    ages: set[int] = field(default_factory=set)
    victim_ages: set[int] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    victim_names: set[str] = field(default_factory=set)
    dead_names: set[str] = field(default_factory=set)
    named_words: set[str] = field(default_factory=set)  # top and local words together
    figures: dict[str, set[float]] = field(default_factory=lambda: defaultdict(set))
    casualties: set[float] = field(default_factory=set)  # killed and injured together, per report

    def add(self, report: Report, linking: "Linking") -> None:
        self.reports.append(report)
        self.sources.add(report.source_id)
        self.origins.add(report.origin)
        self.dates = most_precise([self.dates, report.dates])
        self.window = linking.window(self.dates)
        if report.kind:
            self.kinds[report.kind] += 1
            self.kind = self.kinds.most_common(1)[0][0]
        for place in report.places[:_MAX_PLACES]:
            entry = self.named_by.setdefault(place.key, [0, len(self.named_by), place])
            entry[0] += 1
        # the core, not every place any report named: one report's stray place must not let the
        # incident reach into another city, and then on, report by report
        ranked = sorted(self.named_by.values(), key=lambda e: (-e[0], e[1]))
        core = [e for e in ranked[:_CORE_PLACES] if 4 * e[0] >= ranked[0][0]]  # named by a quarter as many as the first
        self.places = [place for _, _, place in core]
        self.place_keys = {place.key: place.geo_precision or 2 for place in self.places}
        for mine, theirs in ((self.top_words, report.top_words), (self.local_words, report.local_words),
                             (self.named_words, report.top_words), (self.named_words, report.local_words),
                             (self.ages, report.ages), (self.victim_ages, report.victim_ages),
                             (self.names, report.names), (self.victim_names, report.victim_names),
                             (self.dead_names, report.dead_names)):
            mine |= theirs
        for metric, value in report.figures.items():
            self.figures[metric].add(value)
        if report.casualties is not None:
            self.casualties.add(report.casualties)


def _km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _level(precision: int) -> int:
    return FINE if precision <= 2 else REGION if precision <= 4 else COUNTRY


def place_agreement(a: Place, b: Place, near_km: float) -> int | None:
    """How closely two places agree: FINE, REGION, COUNTRY, or None (apart)."""
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return None
    same = (a.geonameid is not None and a.geonameid == b.geonameid) or \
        (a.name and b.name and a.name.casefold() == b.name.casefold())
    if same:  # a place of unknown precision was named beside a known one: a street, a hospital
        return _level(max(a.geo_precision or 2, b.geo_precision or 2))
    if (a.geo_precision or 9) <= 2 and (b.geo_precision or 9) <= 2:
        # two GeoNames places are two places; one the gazetteer lacks (a neighbourhood, a street,
        # put beside a known place) lies within near_km of whatever it is part of
        loose = a.geonameid is None or b.geonameid is None
        if loose and None not in (a.latitude, a.longitude, b.latitude, b.longitude) and _km(a, b) <= near_km:
            return FINE
        return None
    if not (a.country_code and a.country_code == b.country_code):
        return None
    coarse, fine = (a, b) if (a.geo_precision or 9) >= (b.geo_precision or 9) else (b, a)
    if coarse.geo_precision in (3, 4) and coarse.admin1 and coarse.admin1 == fine.admin1:
        if coarse.geo_precision == 3 and coarse.admin2 and fine.admin2 and coarse.admin2 != fine.admin2:
            return None
        return REGION
    return COUNTRY if coarse.geo_precision in (5, 6) else None


@dataclass(frozen=True)
class Linking:
    """The settings of ``incidents.json`` ``linking``, read once."""

    window_days: dict[int, tuple[int, int]]
    near_km: float
    figure_factor: float
    figure_slack: float
    weights: dict[str, float]
    need: dict[int | None, float]  # by place agreement when dated; None: undated or placed in no common way
    max_window_days: int
    wide_window_days: int

    @classmethod
    def from_rules(cls, rules: dict) -> "Linking":
        return cls(
            window_days={int(k): tuple(v) for k, v in rules["window_days"].items()},
            max_window_days=rules["max_window_days"], wide_window_days=rules["wide_window_days"],
            near_km=rules["near_km"], figure_factor=rules["figure_factor"], figure_slack=rules["figure_slack"],
            weights=rules["weights"],
            need={FINE: rules["need_fine"], REGION: rules["need_region"], COUNTRY: rules["need_country"], None: rules["need_weak"]},
        )

    def window(self, dates: Dates) -> tuple[date, date] | None:
        """The days a date may stand for, widened by its precision; None for no date, or one
        wider than ``max_window_days`` (a year): such a report joins on names only."""
        start, end, precision = dates
        if start is None:
            return None
        before, after = self.window_days.get(precision, (0, 0))
        first, last = start - timedelta(days=before), (end or start) + timedelta(days=after)
        return (first, last) if (last - first).days < self.max_window_days else None

    def fits(self, a: float, b: float) -> bool:
        low, high = sorted((a, b))
        return high <= self.figure_factor * low + self.figure_slack

    def agreement(self, report: Report, incident: Incident) -> int | None:
        """How closely the report's places agree with the incident's: the closest of any pair."""
        shared = [_level(incident.place_keys[p.key]) for p in report.places[:_MAX_PLACES] if p.key in incident.place_keys]
        if FINE in shared:
            return FINE
        found = [a for p in report.places[:_MAX_PLACES] for q in incident.places
                 if (a := place_agreement(p, q, self.near_km)) is not None]
        return min(shared + found, default=None)

    def evidence(self, probe: "Probe", incident: Incident, cues: Cues) -> float | None:
        """The evidence that the report tells of the incident; None when it cannot."""
        report, mine = probe.report, probe.window
        if report.source_id in incident.sources or not cues.compatible(report.kind, incident.kind):
            return None
        theirs = incident.window
        dated = mine is not None and theirs is not None
        if dated and (mine[0] > theirs[1] or theirs[0] > mine[1]):
            if len(report.dead_names & incident.dead_names) < 2:
                return None
            dated = False  # the same person killed, named in full: one of the dates is not the killing's
        placed = bool(report.places and incident.places)
        agreement = self.agreement(report, incident) if placed else None
        if placed and agreement is None:
            return None
        shared_names = len(report.names & incident.names)
        copy = report.origin in incident.origins
        if not (placed and (dated or (mine is None and theirs is None)) or shared_names or copy):
            return None  # unplaced, or dated on one side only: a name (or being a copy) tells which happening it is
        w = self.weights
        score = w["copy"] if copy else 0.0
        score += self._figures(report, incident)
        if shared_names:
            score += w["name"] if shared_names == 1 else w["names"]
        elif report.victim_names and incident.victim_names:
            score += w["other_victim_name"]
        shared_ages = len(report.ages & incident.ages)
        if shared_ages:
            score += w["age"] + w["more_ages"] * (shared_ages - 1)
        elif report.victim_ages and incident.victim_ages:
            score += w["other_victim_age"]
        elif report.ages and incident.ages:
            score += w["other_age"]
        if probe.named_words & incident.named_words - (report.top_words & incident.top_words):
            score += w["street"]
        elif report.local_words and incident.local_words:
            score += w["other_street"]
        if dated and report.dates[2] == 1 and incident.dates[2] == 1 and report.dates[0] == incident.dates[0]:
            score += w["same_day"]
        if not dated:
            return score if score >= self.need[None] else None
        need = self.need[agreement]
        if (mine[1] - mine[0]).days >= self.wide_window_days or (theirs[1] - theirs[0]).days >= self.wide_window_days:
            need = max(need, self.need[REGION])  # a happening dated only to a month is one of many there: it needs a sign
        return score if score >= need else None

    def _figures(self, report: Report, incident: Incident) -> float:
        """What the counts say: equal ones for, ones that fit none of the incident's against; one
        telling only of the dead and the other only of the wounded must still fit in sum."""
        score, w, factor, slack = 0.0, self.weights, self.figure_factor, self.figure_slack
        shared = False
        for metric, value in report.figures.items():
            known = incident.figures.get(metric)
            if not known:
                continue
            shared = shared or metric in _CASUALTIES
            if value > 0 and value in known:
                score += w["same_figure"]
            elif not any(max(value, v) <= factor * min(value, v) + slack for v in known):
                score += w["other_figure"]
        total = report.casualties
        if total is not None and not shared and incident.casualties and \
                not any(max(total, v) <= factor * min(total, v) + slack for v in incident.casualties):
            score += w["other_figure"]
        return score


class Probe(NamedTuple):
    """A report as it looks for its incident: with its window and every toponym word it names."""

    report: Report
    window: tuple[date, date] | None
    named_words: frozenset[str]

    @classmethod
    def of(cls, report: Report, linking: Linking) -> "Probe":
        return cls(report, linking.window(report.dates), report.top_words | report.local_words)


class _Index:
    """Incidents by the keys a report could share with them: place, grid cell and region on
    each day of their window, or undated for the undated; at any date, the names named and the
    source copied (an undated report meets a dated incident on those alone, and the other way)."""

    def __init__(self, linking: Linking) -> None:
        self.linking = linking
        self.dated: dict[tuple, list[int]] = defaultdict(list)
        self.anytime: dict[tuple, list[int]] = defaultdict(list)
        self.undated: dict[tuple, list[int]] = defaultdict(list)

    def _place_keys(self, place: Place, probing: bool) -> list[tuple]:
        keys = []
        if place.geonameid is not None:
            keys.append(("gid", place.geonameid))
        if place.name:
            keys.append(("name", place.name.casefold()))
        if (place.geo_precision or 9) <= 2 and place.latitude is not None and place.longitude is not None:
            # a place the gazetteer lacks is filed as "loose" and looks at every place near it;
            # a GeoNames place is filed as "cell" and looks only at the loose ones near it
            loose = place.geonameid is None
            if probing:
                kinds = ["cell"] if loose else ["loose"]
            else:
                kinds = ["cell", "loose"] if loose else ["cell"]
            cells = self._cells(place.latitude, place.longitude, probing)
            keys += [(kind, *cell) for kind in kinds for cell in cells]
        if place.country_code and place.admin1:
            # every place is filed under its region ("within") and a region also as one ("region"):
            # a region looks for both, an exact place for the regions holding it
            coarse = place.geo_precision in (3, 4)
            kinds = (["within", "region"] if coarse else ["region"]) if probing else (["region"] if coarse else []) + ["within"]
            keys += [(kind, place.country_code, place.admin1) for kind in kinds]
        return keys

    def _cells(self, latitude: float, longitude: float, probing: bool) -> list[tuple[int, int]]:
        """Grid cells at least ``near_km`` wide: a point's own, or those of every point within
        ``near_km`` of it (its row and the rows beside it, three columns each). A row's cells are
        as wide in degrees of longitude as ``near_km`` is a row nearer the pole than its edge."""
        height = self.linking.near_km / _KM_PER_DEGREE

        def cell(row: int) -> tuple[int, int]:
            edge = min(89.0, (abs(row) + 2) * height)
            width = height / math.cos(math.radians(edge))
            return row, math.floor(longitude / width)

        row = math.floor(latitude / height)
        if not probing:
            return [cell(row)]
        return [(r, c + j) for r in (row - 1, row, row + 1) for _, c in [cell(r)] for j in (-1, 0, 1)]

    def _place_keys_of(self, report: Report, probing: bool) -> list[tuple]:
        return [k for p in report.places[:_MAX_PLACES] for k in self._place_keys(p, probing)]

    @staticmethod
    def _identity_keys(report: Report) -> list[tuple]:
        """What joins a report at any date: its names, its origin (a copy), its killed named in full."""
        return [("who", name) for name in report.names] + [("origin", report.origin)] + \
            [("dead", name) for name in report.dead_names]

    def add(self, number: int, report: Report, window: tuple[date, date] | None) -> None:
        keys = self._place_keys_of(report, probing=False)
        if window is None:
            for key in keys:
                self.undated[key].append(number)
        else:
            for day in range(window[0].toordinal(), window[1].toordinal() + 1):
                for key in keys:
                    self.dated[(*key, day)].append(number)
        for key in self._identity_keys(report):
            self.anytime[key].append(number)

    def candidates(self, report: Report, window: tuple[date, date] | None) -> set[int]:
        found = {n for key in self._identity_keys(report) for n in self.anytime.get(key, ())}
        keys = self._place_keys_of(report, probing=True)
        if window is None:
            for key in keys:
                found.update(self.undated.get(key, ()))
        else:
            for day in range(window[0].toordinal(), window[1].toordinal() + 1):
                for key in keys:
                    found.update(self.dated.get((*key, day), ()))
        return found


def link(reports: list[Report], cues: Cues, linking: Linking) -> list[Incident]:
    """Incidents of the reports (module docstring), in the order they were started."""
    incidents: list[Incident] = []
    index = _Index(linking)
    for report in sorted(reports, key=lambda r: r.order):
        probe = Probe.of(report, linking)
        window = probe.window
        scored = [(score, -n) for n in index.candidates(report, window)
                  if (score := linking.evidence(probe, incidents[n], cues)) is not None]
        if scored:
            number = -max(scored)[1]
        else:
            number = len(incidents)
            incidents.append(Incident())
        incidents[number].add(report, linking)
        index.add(number, report, window)
    return incidents
