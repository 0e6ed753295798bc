"""Dedupe stage: copies of an article, then the same fact across articles, become one.

Article level: a source whose normalised text equals an earlier source's is marked
``duplicate_of`` it, and does not add to any fact's ``n_sources``. Fact level: mentions
with the same fact key (metric, subject, place, date, cumulative or not, figure, parent)
become one event whose id is the hash of that key, so the same input always yields the
same ids.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow as pa

from pipeline import nearcopies, tables

_KEY_FIELDS = ("metric", "subject", "is_cumulative", "event_date_end", "modality")


def mark_duplicates(sources: pa.Table) -> pa.Table:
    """Set ``duplicate_of`` for exact and near copies (``pipeline.nearcopies``)."""
    ids = sources.column("source_id").to_pylist()
    published = sources.column("published_at").to_pylist()
    # the earliest published copy is the original; unknown dates last, ties broken by id
    rank = [(p is None, p.timestamp() if p else 0.0, i) for p, i in zip(published, ids)]
    found = nearcopies.find_copies(sources.column("text").to_pylist(), rank)
    duplicate_of = pa.array([None if o is None else ids[o] for o in found], pa.string())
    return sources.set_column(sources.schema.get_field_index("duplicate_of"), "duplicate_of", duplicate_of)


def _place_key(row: dict) -> str:
    name = (row["place_name"] or "").lower()
    return f"{row['geonameid']}:{name}" if row["geonameid"] is not None else name


def _figure_key(row: dict) -> str:
    figures = (row["value"], row["value_low"], row["value_high"])
    return "/".join("" if v is None else f"{v:.6g}" for v in figures)


def assign_events(mentions: pa.Table, duplicate_of: dict[str, str | None]) -> tuple[list[dict], list[dict]]:
    """Give every mention its event id and build one event row per id.

    The figure is part of the key, so the mentions of one event agree on it; reconciling
    disagreeing figures into low / best / high is the next step of this stage.
    """
    rows = mentions.to_pylist()
    by_id = {row["mention_id"]: row for row in rows}
    event_of: dict[str, str] = {}

    def event_id(row: dict) -> str:
        if row["mention_id"] not in event_of:
            parent = by_id.get(row["parent_mention_id"]) if row["parent_mention_id"] else None
            parts = [str(row[f]) for f in _KEY_FIELDS] + [_place_key(row), _figure_key(row)]
            if row["value"] is None and row["value_low"] is None and row["value_high"] is None:
                parts.append((row["actor"] or "").lower())
            parts.append(event_id(parent) if parent else "")
            event_of[row["mention_id"]] = tables.short_hash(*parts)
        return event_of[row["mention_id"]]

    groups: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["source_id"], r["char_start"], r["mention_id"])):
        row["event_id"] = event_id(row)
        groups[row["event_id"]].append(row)

    events = []
    for eid, group in groups.items():
        first = group[0]
        parent = by_id.get(first["parent_mention_id"]) if first["parent_mention_id"] else None
        originals = sorted({r["source_id"] for r in group if not duplicate_of.get(r["source_id"])})
        source_ids = originals or sorted({r["source_id"] for r in group})[:1]
        events.append({
            **{k: first[k] for k in (
                "event_type", "metric", "value", "qualifier", "unit", "subject", "actor", "place_name",
                "value_low", "value_high", "country_code", "admin1", "latitude", "longitude", "geonameid", "geo_precision",
                "event_date_start", "event_date_end", "date_precision", "is_cumulative", "modality", "claimed_by")},
            "event_id": eid,
            "parent_event_id": event_of[parent["mention_id"]] if parent else None,
            "n_sources": len(source_ids),
            "source_ids": source_ids,
            "evidence": first["sentence"],
            "confidence": max(r["confidence"] for r in group),
        })
    return rows, events


def run_dedupe(staging: Path) -> dict:
    """Dedupe stage entry point: writes ``dedupe/{sources,mentions,events}``."""
    sources = mark_duplicates(tables.read_table("sources", staging / "clean" / "sources.parquet"))
    duplicate_of = dict(zip(sources.column("source_id").to_pylist(), sources.column("duplicate_of").to_pylist()))
    mentions, events = assign_events(tables.read_table("mentions", staging / "extract" / "mentions.parquet"), duplicate_of)
    out = staging / "dedupe"
    tables.write_table("sources", sources, out / "sources.parquet")
    tables.write_table("mentions", mentions, out / "mentions.parquet")
    tables.write_table("events", events, out / "events.parquet")
    n_duplicates = sum(1 for v in duplicate_of.values() if v)
    return {"sources": sources.num_rows, "duplicates": n_duplicates, "mentions": len(mentions), "events": len(events)}
