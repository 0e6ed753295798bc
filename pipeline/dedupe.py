"""Dedupe stage: copies of an article, then the same fact across articles, become one.

Article level (``pipeline.nearcopies``): a source that repeats an earlier one, exactly
or as a near-copy (syndicated, re-headlined, trimmed, lightly edited), is marked
``duplicate_of`` it and adds to no fact's ``n_sources``.

Fact level: mentions that state the same fact become one event. They must share the
metric, the modality class (asserted and claimed together; projected, hypothetical and
negated each apart), cumulative or not, and the parent event for a sub-count; and they
must agree pairwise (``same_fact``): compatible subject, place (same place, or the
country / region holding it), overlapping dates given their precision, figures within a
factor of ``FIGURE_RATIO`` (and inside a vague figure's bounds). Within one article only a repeated figure is the same fact.
A whole country holds a finer place only when both dates are known.

Figures follow UCDP GED's reading of best / low / high: *low* is the lowest reasonable
estimate, *high* the highest, *best* the most likely; UCDP keeps to the conservative
side when sources conflict. Here, one figure per independent source (copies left out):
if all agree, the event keeps them as stated; otherwise ``value_low`` / ``value_high``
span every source's figures, ``value`` is the lower median of the per-source figures
(asserted figures preferred over claims by a party) and the qualifier is ``range``, so
``value_low <= value <= value_high`` holds.

Ids: the result is a function of the set of sources and mentions, not their order or
batching; an event's id is the hash of its earliest mention (by source ``published_at``,
``source_id``, offset), so it is kept when a later article joins the event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import incidents, nearcopies, tables
from pipeline.layout import Candidate
from pipeline.tables import StagedTable


def duplicate_of(keys: pa.Table, texts: Iterable[str]) -> pa.Array:
    """``duplicate_of`` for each row of ``keys`` (``source_id``, ``published_at``), exact and
    near copies (``pipeline.nearcopies``); ``texts`` are the rows' texts in the same order,
    consumed one at a time, so they can be streamed from disk."""
    ids = keys.column("source_id").to_pylist()
    published = keys.column("published_at").to_pylist()
    # the earliest published copy is the original; unknown dates last, ties broken by id
    rank = [(p is None, p.timestamp() if p else 0.0, i) for p, i in zip(published, ids)]
    found = nearcopies.find_copies(texts, rank)
    return pa.array([None if o is None else ids[o] for o in found], pa.string())


def mark_duplicates(sources: pa.Table) -> pa.Table:
    """Set ``duplicate_of`` for exact and near copies (``pipeline.nearcopies``)."""
    marked = duplicate_of(sources, sources.column("text").to_pylist())
    return sources.set_column(sources.schema.get_field_index("duplicate_of"), "duplicate_of", marked)


# --- which mentions state the same fact ---------------------------------------------

# asserted and claimed figures are reports of the same happening; the others are not
_MODALITY_CLASS = {"asserted": "reported", "claimed": "reported"}
_GENERIC_SUBJECTS = {None, "people", "persons"}
FIGURE_RATIO = 2.0  # reports of one event rarely differ by more; beyond it, two events
_DATE_SLACK_DAYS = {1: 1, 2: 3}  # by date_precision: a day either way, or the 2-6 day window
_COUNTRY, _ADMIN1 = 6, 4  # geo_precision of a country and of a first-level region


def _point(m: dict) -> float | None:
    return next((m[k] for k in ("value", "value_low", "value_high") if m[k] is not None), None)


def _figures(m: dict) -> tuple:
    return (m["value"], m["value_low"], m["value_high"])


def _same_subject(a: dict, b: dict) -> bool:
    return a["subject"] == b["subject"] or a["subject"] in _GENERIC_SUBJECTS or b["subject"] in _GENERIC_SUBJECTS


def _contains(big: dict, small: dict, dated: bool) -> bool:
    """``big`` is a country or first-level region holding ``small``.

    A whole country holds too many events to pin one down without dates on both sides.
    """
    if not big["country_code"] or big["country_code"] != small["country_code"]:
        return False
    if big["geo_precision"] == _COUNTRY:
        return dated
    return big["geo_precision"] == _ADMIN1 and bool(big["admin1"]) and big["admin1"] == small["admin1"]


def _same_place(a: dict, b: dict) -> bool:
    """Same GeoNames place or name, or one is the country / region holding the other; unknown matches nothing."""
    dated = a["event_date_start"] is not None and b["event_date_start"] is not None
    if a["geonameid"] is not None and a["geonameid"] == b["geonameid"]:
        return True
    if a["place_name"] and b["place_name"] and a["place_name"].casefold() == b["place_name"].casefold():
        return True
    return _contains(a, b, dated) or _contains(b, a, dated)


def _same_dates(a: dict, b: dict) -> bool:
    """Date intervals, widened by their precision, overlap; an unknown date contradicts nothing."""
    if a["event_date_start"] is None or b["event_date_start"] is None:
        return True

    def span(m: dict):
        slack = timedelta(days=_DATE_SLACK_DAYS.get(m["date_precision"], 0))
        return m["event_date_start"] - slack, (m["event_date_end"] or m["event_date_start"]) + slack

    (a0, a1), (b0, b1) = span(a), span(b)
    return a0 <= b1 and b0 <= a1


def _admits(m: dict, figure: float) -> bool:
    """A figure given only as bounds ("dozens", "10 to 20") admits what lies within them."""
    if m["value"] is not None:
        return True
    return (m["value_low"] is None or figure >= m["value_low"]) and (m["value_high"] is None or figure <= m["value_high"])


def _same_figure(a: dict, b: dict) -> bool:
    """Both without a figure (same actor), or figures within ``FIGURE_RATIO`` of each other
    that neither side's stated bounds rule out."""
    pa_, pb = _point(a), _point(b)
    if pa_ is None or pb is None:
        return pa_ is None and pb is None and (a["actor"] or "").casefold() == (b["actor"] or "").casefold()
    low, high = sorted((pa_, pb))
    return high <= FIGURE_RATIO * low and _admits(a, pb) and _admits(b, pa_)


def same_fact(a: dict, b: dict, origin: dict[str, str]) -> bool:
    """Two mentions of one block (metric, modality, cumulative, parent) state the same fact.

    Within one article (or its copies) only a repeated figure is the same fact: two
    different counts there are two facts; a place left out there (a headline) is no
    contradiction. Across articles figures may disagree, and a place must be known.
    """
    if not (_same_subject(a, b) and _same_dates(a, b)):
        return False
    if origin[a["source_id"]] == origin[b["source_id"]]:
        unplaced = not (a["place_name"] and b["place_name"])
        return _figures(a) == _figures(b) and (unplaced or _same_place(a, b))
    return _same_place(a, b) and _same_figure(a, b)


# --- one event from its mentions -------------------------------------------------------

def reconcile(group: list[dict], duplicate_of: dict[str, str | None]) -> dict:
    """Best / low / high of an event from its mentions (see the module docstring).

    One figure per independent source (copies left out); asserted figures are preferred
    over claimed ones. When every source gives the same figures they are kept as stated.
    Otherwise low and high span every source's figures and the best is the lower median
    of the per-source figures, qualifier ``range``.
    """
    independent = [m for m in group if not duplicate_of.get(m["source_id"])] or group
    per_source: dict[str, dict] = {}
    for m in independent:
        per_source.setdefault(m["source_id"], m)
    stated = list(per_source.values())
    if len({_figures(m) for m in stated}) == 1:
        first = stated[0]
        return {"value": first["value"], "value_low": first["value_low"], "value_high": first["value_high"],
                "qualifier": first["qualifier"], "claimed_by": first["claimed_by"]}
    asserted = [m for m in stated if m["modality"] == "asserted"] or stated
    ranked = sorted((m for m in asserted if _point(m) is not None), key=lambda m: (_point(m), m["source_id"]))
    best = ranked[(len(ranked) - 1) // 2]
    # a vague figure ("dozens") stands for its implied minimum, as best and as a bound
    lows = [v for m in stated for v in (m["value"], m["value_low"], _point(m)) if v is not None]
    highs = [v for m in stated for v in (m["value"], m["value_high"], _point(m)) if v is not None]
    return {"value": _point(best), "value_low": min(lows), "value_high": max(highs),
            "qualifier": "range", "claimed_by": best["claimed_by"]}


_FACT_FIELDS = ("event_type", "metric", "unit", "subject", "actor", "is_cumulative")
_PLACE_FIELDS = ("place_name", "country_code", "admin1", "admin2", "latitude", "longitude", "geonameid", "geo_precision")
_DATE_FIELDS = ("event_date_start", "event_date_end", "date_precision")


def _event_row(eid: str, group: list[dict], parent_event: str | None, duplicate_of: dict) -> dict:
    first = group[0]
    specific = next((m for m in group if m["subject"] not in _GENERIC_SUBJECTS), first)
    placed = min(group, key=lambda m: m["geo_precision"] if m["geo_precision"] is not None else 99)
    dated = min(group, key=lambda m: m["date_precision"] if m["date_precision"] is not None else 99)
    originals = sorted({m["source_id"] for m in group if not duplicate_of.get(m["source_id"])})
    source_ids = originals or sorted({m["source_id"] for m in group})[:1]
    figures = reconcile(group, duplicate_of)
    modality = "asserted" if any(m["modality"] == "asserted" for m in group) else first["modality"]
    if modality == "asserted":  # a source states it as fact: the event names no claimant
        figures["claimed_by"] = None
    return {
        **{k: first[k] for k in _FACT_FIELDS},
        "subject": specific["subject"],
        **{k: placed[k] for k in _PLACE_FIELDS},
        **{k: dated[k] for k in _DATE_FIELDS},
        **figures,
        "modality": modality,
        "event_id": eid,
        "parent_event_id": parent_event,
        "n_sources": len(source_ids),
        "source_ids": source_ids,
        "evidence": first["sentence"],
        "confidence": max(m["confidence"] for m in group),
    }


class _Block:
    """The events of one block in creation order, indexed so that a mention tries only those
    it could join. To join, it must state the same fact as the event's first mention, which
    takes the same origin (an article and its copies), the same GeoNames place or place name,
    or the same country with one side a country or first-level region (``_same_place``).
    Events sharing none of these keys with the mention are skipped: the event chosen is the
    one a scan of the whole block would choose, without the scan's quadratic cost.
    """

    def __init__(self) -> None:
        self.position: dict[str, int] = {}
        self.index: dict[tuple, list[str]] = defaultdict(list)

    def add(self, eid: str, first: dict, origin: dict[str, str]) -> None:
        self.position[eid] = len(self.position)
        for key in _place_keys(first, origin, probing=False):
            self.index[key].append(eid)

    def candidates(self, m: dict, origin: dict[str, str]) -> list[str]:
        found = {e for key in _place_keys(m, origin, probing=True) for e in self.index.get(key, ())}
        return sorted(found, key=self.position.__getitem__)


def _place_keys(m: dict, origin: dict[str, str], probing: bool) -> list[tuple]:
    """Keys an event's first mention is filed under (``probing`` False), or that a newcomer
    looks up: its origin, GeoNames id, place name and country; by country, a newcomer finds
    the events a country or region holds only when it is one itself ("any"), and every
    newcomer finds the events whose first mention is a country or region ("coarse")."""
    keys = [("origin", origin[m["source_id"]])]
    if m["geonameid"] is not None:
        keys.append(("geonameid", m["geonameid"]))
    if m["place_name"]:
        keys.append(("name", m["place_name"].casefold()))
    if m["country_code"]:
        coarse = m["geo_precision"] in (_COUNTRY, _ADMIN1)
        always, if_coarse = ("coarse", "any") if probing else ("any", "coarse")
        keys += [(always, m["country_code"])] + ([(if_coarse, m["country_code"])] if coarse else [])
    return keys


def assign_events(mentions: pa.Table, sources: pa.Table) -> tuple[list[dict], list[dict]]:
    """Give every mention its event id and build one event row per id.

    Mentions are visited in a canonical order (source published_at, source_id, offset),
    parents before their sub-counts; each joins the first event of its block whose every
    mention states the same fact (``same_fact``), or starts a new one. An event's id is
    the hash of its earliest mention's id, so it stays put when a later article joins it,
    and nothing depends on the order of the input rows.
    """
    ids = sources.column("source_id").to_pylist()
    duplicate_of = dict(zip(ids, sources.column("duplicate_of").to_pylist()))
    published = dict(zip(ids, sources.column("published_at").to_pylist()))
    origin = {s: duplicate_of.get(s) or s for s in ids}
    rows = mentions.to_pylist()
    by_id = {m["mention_id"]: m for m in rows}
    for m in rows:
        origin.setdefault(m["source_id"], m["source_id"])

    def depth(m: dict) -> int:
        parent = by_id.get(m["parent_mention_id"]) if m["parent_mention_id"] else None
        return 1 + depth(parent) if parent else 0

    def order(m: dict):
        p = published.get(m["source_id"])
        return (depth(m), p is None, p.timestamp() if p else 0.0, m["source_id"], m["char_start"], m["mention_id"])

    blocks: dict[tuple, _Block] = defaultdict(_Block)
    event_of: dict[str, str] = {}
    groups: dict[str, list[dict]] = {}
    parent_of: dict[str, str | None] = {}
    for m in sorted(rows, key=order):
        parent = by_id.get(m["parent_mention_id"]) if m["parent_mention_id"] else None
        parent_event = event_of[parent["mention_id"]] if parent else None
        key = (m["metric"], _MODALITY_CLASS.get(m["modality"], m["modality"]), m["is_cumulative"], parent_event)
        candidates = blocks[key].candidates(m, origin)
        eid = next((e for e in candidates if all(same_fact(m, x, origin) for x in groups[e])), None)
        if eid is None:
            eid = tables.short_hash("event", m["mention_id"])
            blocks[key].add(eid, m, origin)
            groups[eid], parent_of[eid] = [], parent_event
        groups[eid].append(m)
        event_of[m["mention_id"]] = m["event_id"] = eid
    events = [_event_row(eid, g, parent_of[eid], duplicate_of) for eid, g in groups.items()]
    _detach_larger_parts(events)
    return rows, events


def _detach_larger_parts(events: list[dict]) -> None:
    """A sub-count whose reconciled value exceeds both value and value_high of its parent
    (the sources disagree on the whole) stands alone: a part is no larger than its whole."""
    bound = {e["event_id"]: max((v for v in (e["value"], e["value_high"]) if v is not None), default=None) for e in events}
    for event in events:
        limit = bound.get(event["parent_event_id"])
        if limit is not None and event["value"] is not None and event["value"] > limit:
            event["parent_event_id"] = None


_KEYS = ["source_id", "published_at"]  # what copy ranking and event assignment read of a source
_BATCH_ROWS = 1000  # sources in memory at a time when streaming (a few MB of text)


def _texts(sources: StagedTable) -> Iterator[str]:
    """The sources' texts in file order, ``_BATCH_ROWS`` at a time."""
    for batch in sources.batches(_BATCH_ROWS, columns=["text"]):
        yield from batch.column("text").to_pylist()


def _write_marked(sources: StagedTable, marked: pa.Array, out: StagedTable) -> None:
    """Copy ``sources`` to ``out`` with ``duplicate_of`` set, ``_BATCH_ROWS`` at a time.

    Row order is kept: the input is sorted by ``source_id`` (merge writes it through
    ``schema.conform``; ``run_dedupe`` checks), so the output holds the rows a whole-table
    write would.
    """
    offset = 0
    with out.writer() as writer:
        for batch in sources.batches(_BATCH_ROWS):
            field = batch.schema.get_field_index("duplicate_of")
            writer.write(batch.set_column(field, "duplicate_of", marked.slice(offset, batch.num_rows)))
            offset += batch.num_rows


def _sorted_ids(keys: pa.Table) -> bool:
    ids = keys.column("source_id")
    return len(ids) < 2 or pc.all(pc.less_equal(ids[:-1], ids[1:])).as_py()


_ARTICLE_COLUMNS = ["source_id", "title", "text", "published_at", "duplicate_of"]  # what incidents read of a source
_PLACE_COLUMNS = ["source_id", "char_start", "text", "place_name", "feature", "geonameid", "country_code", "admin1", "admin2",
                  "latitude", "longitude", "resolution_method"]


def _rows(table: StagedTable, columns: list[str]) -> Iterator[dict]:
    """A staged table's rows in file order, ``_BATCH_ROWS`` at a time."""
    for batch in table.batches(columns=columns, batch_size=_BATCH_ROWS):
        yield from batch.to_pylist()


def run_dedupe(candidate: Candidate, rules_dir: str | None = None) -> dict:
    """Dedupe stage entry point: the merged sources, mentions and places → ``dedupe/{sources,mentions,events,incidents}``.

    Sources are streamed: texts go through near-copy detection one at a time and the
    marked table is written batch by batch, so no stage-wide copy of the texts
    is ever held (at 100k articles, hundreds of MB). Incidents (``pipeline.incidents``)
    read the marked sources again, article by article beside their toponyms, with the
    cues of ``rules_dir`` (default: the repo's ``seeds/rules``).
    """
    merged, out = candidate.merged, candidate.dedupe
    keys = merged.sources.read(_KEYS)
    if not _sorted_ids(keys):
        raise ValueError(f"{merged.sources.path}: sources not sorted by source_id (merge writes them sorted)")
    marked = duplicate_of(keys, _texts(merged.sources))
    _write_marked(merged.sources, marked, out.sources)
    sources = keys.append_column("duplicate_of", marked)
    mentions, events = assign_events(merged.mentions.read(), sources)
    reports = incidents.reports_of(_rows(out.sources, _ARTICLE_COLUMNS), _rows(merged.places, _PLACE_COLUMNS),
                                   mentions, rules_dir)
    found = incidents.assign_incidents(reports, mentions, events, rules_dir)
    out.mentions.write(mentions)
    out.events.write(events)
    out.incidents.write(found)
    n_duplicates = sources.num_rows - marked.null_count
    return {"sources": sources.num_rows, "duplicates": n_duplicates, "mentions": len(mentions), "events": len(events),
            "incidents": len(found)}
