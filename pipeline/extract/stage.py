"""Extract stage: run the spaCy pipeline over the cleaned sources, batch by batch.

Writes three staged tables: every quantity (``quantities``), every toponym (``places``)
and every fact (``mentions``, without event ids: dedupe assigns them).
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

import pyarrow.parquet as pq

from pipeline import batches, tables
from pipeline.extract.nlp import build_nlp

# UCDP where_prec: 1 exact place, 4 first-level region, 5 larger region, 6 country
GEO_PRECISION = {"country": 6, "region": 5, "admin1": 4, "city": 1, "city_part": 1, "district": 1, "landmark": 1}


def mention_rows(doc, source_id: str) -> list[dict]:
    """Rows of the mentions table for one processed Doc."""
    ids = [tables.short_hash(source_id, str(f.start_char), str(f.end_char), f.metric) for f in doc._.facts]
    sentences = list(doc.sents)
    rows = []
    for fact, mention_id in zip(doc._.facts, ids):
        place = fact.place
        entry = getattr(place, "entry", None)
        rows.append({
            "mention_id": mention_id,
            "event_id": None,
            "source_id": source_id,
            "sentence_index": fact.sentence_index,
            "char_start": fact.start_char,
            "char_end": fact.end_char,
            "text": doc.text[fact.start_char:fact.end_char],
            "value": fact.value,
            "value_low": fact.value_low,
            "value_high": fact.value_high,
            "qualifier": fact.qualifier,
            "rule": fact.rule,
            "event_type": fact.event_type,
            "metric": fact.metric,
            "unit": fact.unit,
            "subject": fact.subject,
            "actor": fact.actor,
            "place_name": getattr(place, "place_name", None),
            "country_code": getattr(entry, "country_code", None),
            "admin1": getattr(entry, "admin1", None),
            "latitude": getattr(entry, "latitude", None),
            "longitude": getattr(entry, "longitude", None),
            "geonameid": getattr(entry, "geonameid", None),
            "geo_precision": GEO_PRECISION.get(getattr(place, "feature", None)) if place else None,
            "event_date_start": fact.date.start,
            "event_date_end": fact.date.end,
            "date_precision": fact.date.precision,
            "is_cumulative": fact.is_cumulative,
            "modality": fact.modality,
            "claimed_by": fact.claimed_by,
            "parent_mention_id": ids[fact.parent] if fact.parent is not None else None,
            "sentence": sentences[fact.sentence_index].text,
            "confidence": fact.confidence,
        })
    return rows


def quantity_rows(doc, source_id: str) -> list[dict]:
    starts = [sent.start for sent in doc.sents]
    rows = []
    for q in doc._.quantities or []:
        sentence_index = bisect_right(starts, q.start) - 1
        rows.append({
            "source_id": source_id, "sentence_index": sentence_index, "char_start": q.start_char,
            "char_end": q.end_char, "text": q.text, "value": q.value, "value_low": q.value_low,
            "value_high": q.value_high, "qualifier": q.qualifier, "direction": q.direction,
            "unit": q.unit, "normalized_unit": q.normalized_unit,
        })
    return rows


def run_extract(staging: Path, model: str, batch_size: int, rules_dir: Path | None = None,
                part: tuple[int, int] | None = None) -> dict:
    """Extract stage entry point: ``clean/sources`` → ``extract/{quantities,places,mentions}``.

    ``part`` = ``(start, stop)`` extracts only those rows of articles, into their own part folder.
    """
    from pipeline.extract.places import place_rows

    nlp = build_nlp(model, str(rules_dir) if rules_dir else None)
    source_file = pq.ParquetFile(staging / "clean" / "sources.parquet")
    out = staging / "extract" / (batches.part_name(part) if part is not None else "")
    with tables.StreamingWriter("quantities", out / "quantities.parquet") as quantities, \
            tables.StreamingWriter("places", out / "places.parquet") as places, \
            tables.StreamingWriter("mentions", out / "mentions.parquet") as mentions:
        for batch in batches.iter_rows(source_file, part, batch_size, ["source_id", "text", "published_at", "publisher"]):
            rows = batch.to_pylist()
            docs = []
            for row in rows:
                doc = nlp.make_doc(row["text"])
                doc._.published = row["published_at"].date() if row["published_at"] else None
                doc._.publisher = row["publisher"]
                docs.append(doc)
            for row, doc in zip(rows, nlp.pipe(docs, batch_size=batch_size)):
                quantities.write(quantity_rows(doc, row["source_id"]))
                places.write(place_rows(doc, row["source_id"]))
                mentions.write(mention_rows(doc, row["source_id"]))
    return {"quantities": quantities.rows, "places": places.rows, "mentions": mentions.rows}
