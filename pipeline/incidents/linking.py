"""Reports of one happening across articles become one incident, as ACLED codes reports of
the same day, place and actors as one event.

Reports are taken in canonical order (publication, source, position); each joins the
incident it fits best, or starts one. A report fits an incident when

- it comes from another article (an article's happenings are apart: ``reports``), and
  its kind of happening is compatible (``Cues.compatible``);
- their dates meet once widened by their precision (``window_days``): an early report
  and a follow-up days later, "Friday night" against a publication date;
- one of its places is one of the incident's: the same place, two exact places within
  ``near_km`` (a neighbourhood and its city), a region holding the other (a county, a
  province), or only the same country;
- and the evidence adds up to what the context needs (``weights``, ``need_*``): the ages
  and names of the people involved, the streets and neighbourhoods named, the same day,
  the same figures, for; victims of other ages or names, other streets, counts that do
  not fit (a toll rises: 1 and 3 fit, 1 and 4 do not), against. Two
  shootings in one city on one day stay apart by those; an undated or country-wide
  report joins only on a shared name.

Incidents are found through an index of their places, names and weeks, so a report
looks at the few incidents it could join, not all of them. The result is a function of
the set of reports: the order is canonical and no step depends on batching.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline.incidents.cues import Cues
from pipeline.incidents.reports import Dates, Place, Report, most_precise

FINE, REGION, COUNTRY = 1, 2, 3  # how closely two places agree
_MAX_PLACES = 3  # a report's places compared and kept by its incident: its best few (the rest is context)
_CASUALTIES = frozenset({"killed", "injured"})
_KM_PER_DEGREE = 111.2


@dataclass
class Incident:
    """The reports of one happening, with what they say together."""

    reports: list[Report] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    origins: set[str] = field(default_factory=set)
    dates: Dates = (None, None, None)
    kinds: Counter = field(default_factory=Counter)
    places: list[Place] = field(default_factory=list)
    top_words: set[str] = field(default_factory=set)
    local_words: set[str] = field(default_factory=set)
    ages: set[int] = field(default_factory=set)
    victim_ages: set[int] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    victim_names: set[str] = field(default_factory=set)
    figures: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    casualties: list[float] = field(default_factory=list)  # killed and injured together, per report

    @property
    def kind(self) -> str | None:
        return self.kinds.most_common(1)[0][0] if self.kinds else None

    def add(self, report: Report) -> None:
        self.reports.append(report)
        self.sources.add(report.source_id)
        self.origins.add(report.origin)
        self.dates = most_precise([self.dates, report.dates])
        if report.kind:
            self.kinds[report.kind] += 1
        self.places += [p for p in report.places[:_MAX_PLACES] if p.key not in {q.key for q in self.places}]
        for mine, theirs in ((self.top_words, report.top_words), (self.local_words, report.local_words),
                             (self.ages, report.ages), (self.victim_ages, report.victim_ages),
                             (self.names, report.names), (self.victim_names, report.victim_names)):
            mine |= theirs
        for metric, value in report.figures.items():
            self.figures[metric].append(value)
        if report.casualties is not None:
            self.casualties.append(report.casualties)


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
        if None not in (a.latitude, a.longitude, b.latitude, b.longitude) and _km(a, b) <= near_km:
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

    @classmethod
    def from_rules(cls, rules: dict) -> "Linking":
        return cls(
            window_days={int(k): tuple(v) for k, v in rules["window_days"].items()},
            near_km=rules["near_km"], figure_factor=rules["figure_factor"], figure_slack=rules["figure_slack"],
            weights=rules["weights"],
            need={FINE: rules["need_fine"], REGION: rules["need_region"], COUNTRY: rules["need_country"], None: rules["need_weak"]},
        )

    def window(self, dates: Dates) -> tuple[date, date] | None:
        start, end, precision = dates
        if start is None:
            return None
        before, after = self.window_days.get(precision, (0, 0))
        return start - timedelta(days=before), (end or start) + timedelta(days=after)

    def fits(self, a: float, b: float) -> bool:
        low, high = sorted((a, b))
        return high <= self.figure_factor * low + self.figure_slack

    def evidence(self, report: Report, incident: Incident, cues: Cues) -> float | None:
        """The evidence that the report tells of the incident; None when it cannot."""
        if report.source_id in incident.sources or not cues.compatible(report.kind, incident.kind):
            return None
        mine, theirs = self.window(report.dates), self.window(incident.dates)
        dated = mine is not None and theirs is not None
        if dated and (mine[0] > theirs[1] or theirs[0] > mine[1]):
            return None
        agreements = [a for p in report.places[:_MAX_PLACES] for q in incident.places
                      if (a := place_agreement(p, q, self.near_km)) is not None]
        placed = bool(report.places and incident.places)
        if placed and not agreements:
            return None
        shared_names = len(report.names & incident.names)
        if not (placed or shared_names):
            return None  # without a place, only a name tells which happening it is
        w = self.weights
        score = w["copy"] if report.origin in incident.origins else 0.0
        for metric, value in report.figures.items():
            known = incident.figures.get(metric)
            if known and not any(self.fits(value, v) for v in known):
                score += w["other_figure"]
        if report.casualties is not None and not _CASUALTIES.intersection(report.figures, incident.figures):
            # one tells only of the dead, the other only of the wounded: their sums must still fit
            if incident.casualties and not any(self.fits(report.casualties, v) for v in incident.casualties):
                score += w["other_figure"]
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
        shared_words = ((report.local_words | report.top_words) & (incident.local_words | incident.top_words)) \
            - (report.top_words & incident.top_words)
        if shared_words:
            score += w["street"]
        elif report.local_words and incident.local_words:
            score += w["other_street"]
        if dated and report.dates[2] == 1 and incident.dates[2] == 1 and report.dates[0] == incident.dates[0]:
            score += w["same_day"]
        score += w["same_figure"] * sum(v > 0 and v in incident.figures.get(m, ()) for m, v in report.figures.items())
        agreement = min(agreements) if agreements and dated else None
        return score if score >= self.need[agreement] else None


class _Index:
    """Incidents by the keys a report could share with them: place, grid cell and region
    within a week, and the surnames named; undated ones under an undated bucket."""

    def __init__(self, linking: Linking) -> None:
        self.linking = linking
        self.dated: dict[tuple, list[int]] = defaultdict(list)
        self.anytime: dict[tuple, list[int]] = defaultdict(list)

    def _place_keys(self, place: Place, probing: bool) -> list[tuple]:
        keys = []
        if place.geonameid is not None:
            keys.append(("gid", place.geonameid))
        if place.name:
            keys.append(("name", place.name.casefold()))
        if (place.geo_precision or 9) <= 2 and place.latitude is not None and place.longitude is not None:
            keys += [("cell", *cell) for cell in self._cells(place.latitude, place.longitude, probing)]
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

    def _keys(self, report: Report, probing: bool) -> list[tuple]:
        keys = [k for p in report.places[:_MAX_PLACES] for k in self._place_keys(p, probing)]
        return keys + [("who", name) for name in sorted(report.names)]

    def _weeks(self, dates: Dates) -> list:
        window = self.linking.window(dates)
        if window is None:
            return [None]
        return list(range(window[0].toordinal() // 7, window[1].toordinal() // 7 + 1))

    def add(self, number: int, report: Report) -> None:
        for key in self._keys(report, probing=False):
            for week in self._weeks(report.dates):
                self.dated[(*key, week)].append(number)
            self.anytime[key].append(number)

    def candidates(self, report: Report) -> set[int]:
        keys = self._keys(report, probing=True)
        if report.dates[0] is None:
            return {n for key in keys for n in self.anytime.get(key, ())}
        weeks = self._weeks(report.dates) + [None]
        return {n for key in keys for week in weeks for n in self.dated.get((*key, week), ())}


def link(reports: list[Report], cues: Cues, linking: Linking) -> list[Incident]:
    """Incidents of the reports (module docstring), in the order they were started."""
    incidents: list[Incident] = []
    index = _Index(linking)
    for report in sorted(reports, key=lambda r: r.order):
        scored = [(score, -n) for n in index.candidates(report)
                  if (score := linking.evidence(report, incidents[n], cues)) is not None]
        if scored:
            number = -max(scored)[1]
        else:
            number = len(incidents)
            incidents.append(Incident())
        incidents[number].add(report)
        index.add(number, report)
    return incidents
