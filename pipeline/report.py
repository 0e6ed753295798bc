"""A one-page HTML report of a published version, for people rather than scripts.

Written into the version folder before ``latest`` moves to it, beside the Great
Expectations Data Docs: first the events themselves (figure, place, date, claimant and the
sentence, linked to their sources), then what the version holds by metric, place and date
and on a map, which sources it read, whether it passed validation and what changed since
its parent. Self-contained: inline CSS, SVG and one inline script that sorts the listed
tables (the page reads the same without it), nothing fetched, so it opens from a file
share or an object store as it is.

Each listed table is a ``_listing`` of display rows; a table beside the events (incidents)
gets its own rows function and the same template macro.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds

from pipeline import schema

REPORT_NAME = "report.html"
LISTED_EVENTS = 300
EVIDENCE_CHARS = 400
TOP_PLACES = 15
LISTED_CHANGES = 50
LISTED_SOURCES = 200
MAP_WIDTH, MAP_HEIGHT = 720, 420
CLUSTER_PIXELS = 14


def report_path(root: Path, version_id: str) -> Path:
    return root / "versions" / version_id / REPORT_NAME


def _read(folder: Path, table: str, columns: list[str] | None = None):
    return ds.dataset(folder / table, format="parquet").to_table(columns=columns)


def _bars(counts: list[tuple[str, int]]) -> list[dict]:
    """Rows of a horizontal bar chart: label, count and bar length as a percent of the largest."""
    top = max((n for _, n in counts), default=0) or 1
    return [{"label": label, "count": n, "percent": round(100 * n / top, 1)} for label, n in counts]


# Only these events add up to a toll: counts of people that the text asserts or attributes,
# each a new incident (no running total "since 2011") and not part of another ("including 44 children").
SUMMED_MODALITIES = ("asserted", "claimed")


def summable(events):
    """The mask of events whose people counts can be added up."""
    return pc.fill_null(pc.and_(
        pc.and_(pc.equal(events.column("unit"), "people"), pc.is_in(events.column("modality"), value_set=_array(list(SUMMED_MODALITIES)))),
        pc.and_(pc.invert(events.column("is_cumulative")), pc.is_null(events.column("parent_event_id")))), False)


def _by_metric(events) -> list[dict]:
    """Per metric: how many events, and for counts of people the sums of the summable ones
    (best estimates, and lower bounds: "dozens" adds at least 24, "44" adds 44)."""
    if not events.num_rows:
        return []
    counts = {row["metric"]: row["event_id_count"] for row in events.group_by("metric").aggregate([("event_id", "count")]).to_pylist()}
    low = pc.coalesce(events.column("value_low"), events.column("value"))
    summed = events.append_column("low", low).filter(summable(events))
    sums = {row["metric"]: row for row in summed.group_by("metric").aggregate(
        [("event_id", "count"), ("value", "sum"), ("low", "sum")]).to_pylist()}
    people = set(events.filter(pc.fill_null(pc.equal(events.column("unit"), "people"), False)).column("metric").to_pylist())
    rows = []
    for metric, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        found = sums.get(metric, {})
        rows.append({"metric": metric, "events": n, "people": metric in people, "summed": found.get("event_id_count", 0),
                     "value_sum": found.get("value_sum"), "low_sum": found.get("low_sum")})
    return rows


# How a figure reads: the qualifier's words around the number, the unit after it.
QUALIFIER_PHRASES = {"exact": "{}", "at_least": "at least {}", "more_than": "more than {}", "at_most": "up to {}",
                     "less_than": "fewer than {}", "about": "about {}", "nearly": "nearly {}"}
UNIT_WORDS = {"percent": "%", "metre": "m", "day": "days", "house": "houses"}


def number_text(value: float) -> str:
    """1234.5 -> "1,234.5": thousands separated, at most two decimals, no trailing zeros."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def figure_text(row: dict) -> str:
    """'at least 400,000 people', 'nearly 70 %', '10,000-100,000 residents (vague)'; '' without a figure."""
    value, low, high, qualifier = row["value"], row["value_low"], row["value_high"], row["qualifier"]
    if value is not None and qualifier in QUALIFIER_PHRASES:
        amount = QUALIFIER_PHRASES[qualifier].format(number_text(value))
    elif low is not None and high is not None:
        amount = f"{number_text(low)}–{number_text(high)}"
    elif low is not None:
        amount = f"at least {number_text(low)}"
    elif high is not None:
        amount = f"up to {number_text(high)}"
    else:
        return ""
    unit = (row["subject"] or "people") if row["unit"] == "people" else UNIT_WORDS.get(row["unit"], row["unit"] or "")
    return f"{amount} {unit}".strip() + (" (vague)" if qualifier == "vague" else "")


def place_text(row: dict) -> str:
    """'east Aleppo, Aleppo Governorate, SY': the place, its first-level region and country."""
    parts = [row["place_name"], row["admin1"] if row["admin1"] != row["place_name"] else None, row["country_code"]]
    return ", ".join(p for p in parts if p)


def date_text(row: dict) -> str:
    """'2016-12-05', or '2016-11-29 – 2016-12-05' for a span; '' when undated."""
    start, end = row["event_date_start"], row["event_date_end"]
    if start is None:
        return ""
    return start.isoformat() if end in (None, start) else f"{start.isoformat()} – {end.isoformat()}"


def _listing(rows: list[dict], total: int) -> dict:
    """A listed table as the template's listing macros take it: the rows shown, of how many."""
    return {"rows": rows, "total": total}


def _event_listing(folder: Path, events) -> dict:
    """The events most recent first; within a day the counts of people first, the largest
    first, then the other figures; the first ``LISTED_EVENTS`` of a long version, each with the
    sources it came from."""
    keyed = events.append_column("figure", pc.coalesce(events.column("value"), events.column("value_low"))).append_column(
        "people", pc.fill_null(pc.equal(events.column("unit"), "people"), False))
    ordered = keyed.sort_by([(key, order, "at_end") for key, order in (
        ("event_date_end", "descending"), ("people", "descending"), ("figure", "descending"), ("n_sources", "descending"),
        ("event_id", "ascending"))])
    listed = ordered.slice(0, LISTED_EVENTS).to_pylist()
    wanted = sorted({source for event in listed for source in event["source_ids"]})
    sources = _read(folder, "sources", ["source_id", "title", "url", "publisher", "published_at", "input_uri"])
    by_id = {s["source_id"]: s for s in sources.filter(pc.is_in(sources.column("source_id"), value_set=_array(wanted))).to_pylist()}
    return _listing([_event_row(event, by_id) for event in listed], events.num_rows)


def _event_row(event: dict, sources: dict[str, dict]) -> dict:
    """What the events table shows of one event, with the keys its columns sort by."""
    evidence = " ".join((event["evidence"] or "").split())
    tags = [t for t, on in (("cumulative", event["is_cumulative"]), ("sub-count", event["parent_event_id"]),
                            (event["modality"], event["modality"] != "asserted")) if on]
    return {
        "event_id": event["event_id"],
        "figure": figure_text(event), "figure_sort": event["figure"],
        "metric": event["metric"],
        "place": place_text(event),
        "date": date_text(event), "date_sort": event["event_date_end"].isoformat() if event["event_date_end"] else None,
        "date_precision": schema.DATE_PRECISION.get(event["date_precision"]),
        "actor": event["actor"], "claimed_by": event["claimed_by"], "tags": tags,
        "evidence": evidence if len(evidence) <= EVIDENCE_CHARS else evidence[:EVIDENCE_CHARS - 1].rstrip() + "…",
        "sources": [sources[s] for s in event["source_ids"] if s in sources],
        "n_sources": event["n_sources"],
    }


def _by_place(events) -> list[tuple[str, int]]:
    places = Counter(
        f"{name}, {country}" if country else name
        for name, country in zip(events.column("place_name").to_pylist(), events.column("country_code").to_pylist())
        if name
    )
    unplaced = events.num_rows - sum(places.values())
    ranked = sorted(places.items(), key=lambda item: (-item[1], item[0]))[:TOP_PLACES]
    return ranked + ([("(no place)", unplaced)] if unplaced else [])


def _by_month(events) -> list[tuple[str, int]]:
    months = Counter(d.strftime("%Y-%m") if d else "(no date)" for d in events.column("event_date_start").to_pylist())
    return sorted(months.items(), key=lambda item: (item[0].startswith("("), item[0]))


def _project(lon: float, lat: float, box: tuple[float, float, float, float]) -> tuple[float, float]:
    """Equirectangular, shrunk east-west by the cosine of the middle latitude, into the map's pixels."""
    west, south, east, north = box
    return (round((lon - west) / (east - west) * MAP_WIDTH, 1), round((north - lat) / (north - south) * MAP_HEIGHT, 1))


def _country(code: str):
    """countryinfo's record of a country, or None for a code it lacks (XKX, Kosovo, is among
    Albania's and Serbia's borders but has no record of its own)."""
    from countryinfo import CountryInfo

    try:
        country = CountryInfo(code)
        country.iso(3)  # a lookup: an unknown code raises only when its data is read
        return country
    except (LookupError, ValueError):
        return None


def _outlines(codes: set[str]) -> dict[str, list]:
    """Country polygons (lon/lat rings) from countryinfo: the event countries and their neighbours."""
    rings: dict[str, list] = {}
    neighbours: set[str] = set()
    for code in sorted(codes):
        if country := _country(code):
            rings[code] = _rings(country.geo_json())
            neighbours.update(country.borders() or [])
    for code in sorted(neighbours - set(rings)):
        if country := _country(code):
            rings[code] = _rings(country.geo_json())
    return rings


def _rings(geo_json: dict) -> list:
    rings = []
    for feature in geo_json.get("features", []):
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings += [polygon[0] for polygon in polygons]
    return rings


def _map(events) -> dict | None:
    """Points sized by the number of events at a place, over outlines of the countries around them."""
    located = Counter(
        (name or "", round(lat, 4), round(lon, 4))
        for name, lat, lon in zip(*(events.column(c).to_pylist() for c in ("place_name", "latitude", "longitude")))
        if lat is not None and lon is not None
    )
    if not located:
        return None
    lats = [lat for _, lat, _ in located]
    lons = [lon for _, _, lon in located]
    middle = (min(lats) + max(lats)) / 2
    # At least 4 degrees across, padded, with the map's aspect ratio after shrinking east-west.
    half_height = max((max(lats) - min(lats)) / 2 * 1.3, 2.0)
    half_width = max((max(lons) - min(lons)) / 2 * 1.3, half_height * MAP_WIDTH / MAP_HEIGHT / max(math.cos(math.radians(middle)), 0.2))
    half_height = max(half_height, half_width * MAP_HEIGHT / MAP_WIDTH * math.cos(math.radians(middle)))
    centre = ((min(lons) + max(lons)) / 2, middle)
    box = (centre[0] - half_width, centre[1] - half_height, centre[0] + half_width, centre[1] + half_height)
    codes = {c for c in events.column("country_code").to_pylist() if c}
    event_countries = {country.iso(3) for code in codes if (country := _country(code))}
    shapes = []
    for code, rings in _outlines(codes).items():
        for ring in rings:
            points = " ".join("{},{}".format(*_project(lon, lat, box)) for lon, lat in ring)
            shapes.append({"points": points, "home": code in codes or code in event_countries})
    return {"width": MAP_WIDTH, "height": MAP_HEIGHT, "shapes": shapes, "points": _clusters(located, box),
            "box": [round(v, 2) for v in box]}


def _clusters(located: Counter, box: tuple) -> list[dict]:
    """One circle per group of places closer than ``CLUSTER_PIXELS`` on the map (a city and its
    districts), labelled with the places that have most events, so labels do not overprint."""
    clusters: list[dict] = []
    for (name, lat, lon), count in sorted(located.items(), key=lambda item: (-item[1], item[0])):
        x, y = _project(lon, lat, box)
        near = next((c for c in clusters if math.hypot(c["x"] - x, c["y"] - y) < CLUSTER_PIXELS), None)
        if near is None:
            clusters.append({"x": x, "y": y, "names": [name], "count": count})
        else:
            near["names"].append(name)
            near["count"] += count
    top = max(c["count"] for c in clusters)
    for c in clusters:
        c["r"] = round(4 + 10 * math.sqrt(c["count"] / top), 1)
        shown = [n for n in c["names"] if n][:2]
        more = len(c["names"]) - len(shown)
        c["name"] = ", ".join(shown) + (f" +{more} more" if more else "")
    return clusters


def _event_rows(events, ids: list[str]) -> list[dict]:
    wanted = events.filter(pc.is_in(events.column("event_id"), value_set=_array(ids)))
    columns = ("event_id", "metric", "value", "value_low", "value_high", "qualifier", "place_name")
    return sorted(wanted.select(list(columns)).to_pylist(), key=lambda r: r["event_id"])[:LISTED_CHANGES]


def _array(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _changes(root: Path, folder: Path, parent: str | None, events) -> dict | None:
    """What changed since the parent version, from the version's ``changes`` table; None for a first version."""
    if not parent or not (root / "versions" / parent).is_dir():
        return None
    changes = _read(folder, "changes").to_pylist()
    found = {kind: [row["event_id"] for row in changes if row["change"] == kind] for kind in ("added", "removed", "changed")}
    before = _read(root / "versions" / parent, "events")
    return {
        "parent": parent,
        "counts": {key: len(found[key]) for key in ("added", "removed", "changed")},
        "added": _event_rows(events, found["added"]),
        "removed": _event_rows(before, found["removed"]),
        "changed": _event_rows(events, found["changed"]),
        "listed": LISTED_CHANGES,
    }


def _sources(folder: Path) -> dict:
    """The sources with most mentions first; a long run lists the first ``LISTED_SOURCES``."""
    sources = _read(folder, "sources", ["source_id", "title", "publisher", "published_at", "url", "input_uri", "duplicate_of"])
    counts = _read(folder, "mentions", ["source_id"]).group_by("source_id").aggregate([("source_id", "count")])
    joined = sources.join(counts, "source_id", join_type="left outer")
    joined = joined.set_column(joined.schema.get_field_index("source_id_count"), "mentions",
                               pc.fill_null(joined.column("source_id_count"), 0))
    listed = joined.sort_by([("mentions", "descending"), ("source_id", "ascending")]).slice(0, LISTED_SOURCES)
    return {"total": sources.num_rows, "listed": listed.select([*sources.column_names, "mentions"]).to_pylist()}


def build(root: Path, folder: Path) -> dict:
    """Everything the report shows, as plain data."""
    manifest = json.loads((folder / "manifest.json").read_text())
    summary_path = folder / "validation" / "summary.json"
    validation = json.loads(summary_path.read_text()) if summary_path.exists() else None
    events = _read(folder, "events")
    rejects = _read(folder, "rejects")
    docs = folder / "validation" / "data_docs" / "index.html"
    metrics = _by_metric(events)
    return {
        "manifest": manifest,
        "validation": validation,
        "data_docs": str(docs.relative_to(folder)) if docs.exists() else None,
        "events": _event_listing(folder, events),
        "metrics": metrics,
        "metric_bars": _bars([(r["metric"], r["events"]) for r in metrics]),
        "place_bars": _bars(_by_place(events)),
        "month_bars": _bars(_by_month(events)),
        "map": _map(events),
        "sources": _sources(folder),
        "rejects": sorted(Counter(rejects.column("reason").to_pylist()).items()),
        "changes": _changes(root, folder, manifest.get("parent_version_id"), events),
    }


def template(name: str = "report.html.j2"):
    """A template of the report; ``template("listings.html.j2").module.event_listing`` is a macro."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                              autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    environment.filters["figure"] = lambda v: "" if v is None else number_text(v)
    return environment.get_template(name)


def render(facts: dict) -> str:
    return template().render(**facts)


def write_report(root: Path, folder: Path) -> Path:
    """Write ``report.html`` into a version folder under ``root/versions`` (published or about to be)."""
    path = folder / REPORT_NAME
    path.write_text(render(build(root, folder)), encoding="utf-8")
    return path
