"""The pyarrow schema of every contract table, and the vocabularies they use.

Every stage writes through these schemas (``conform``), the Great Expectations suites
agree with them (a test checks that), and the data dictionary is generated from them.
Change a column here and say so in ``docs/dataset-contract.md``.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.0"

EVENT_TYPES = ("casualties", "detention", "displacement", "territorial", "frontline", "truce", "other")
METRICS = (
    "killed", "injured", "detained", "abducted", "displaced", "affected", "territory_share",
    "captured", "advanced", "besieged", "withdrew", "distance", "duration", "destroyed",
)
QUALIFIERS = ("exact", "at_least", "more_than", "at_most", "less_than", "about", "nearly", "range", "vague", "none")
MODALITIES = ("asserted", "claimed", "projected", "hypothetical", "negated")
DIRECTIONS = ("up", "down")
REJECT_REASONS = (
    "empty", "binary", "encoding", "malformed_json", "missing_text", "unsupported_type",
    "unreadable", "too_large", "duplicate_input",
)

_TS = pa.timestamp("us", tz="UTC")

# Column groups that several tables share, in contract order.
_SPAN = [  # where in a source's cleaned text
    ("source_id", pa.string()),
    ("sentence_index", pa.int32()),
    ("char_start", pa.int32()),
    ("char_end", pa.int32()),
    ("text", pa.string()),
]
_FIGURE = [
    ("value", pa.float64()),
    ("value_low", pa.float64()),
    ("value_high", pa.float64()),
    ("qualifier", pa.string()),
]
_FACT = [  # who, where, when and on whose word
    ("unit", pa.string()),
    ("subject", pa.string()),
    ("actor", pa.string()),
    ("place_name", pa.string()),
    ("country_code", pa.string()),
    ("admin1", pa.string()),
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("geonameid", pa.int64()),
    ("geo_precision", pa.int8()),
    ("event_date_start", pa.date32()),
    ("event_date_end", pa.date32()),
    ("date_precision", pa.int8()),
    ("is_cumulative", pa.bool_()),
    ("modality", pa.string()),
    ("claimed_by", pa.string()),
]

EVENTS = pa.schema([
    ("event_id", pa.string()),
    ("event_type", pa.string()),
    ("metric", pa.string()),
    *_FIGURE,
    *_FACT,
    ("parent_event_id", pa.string()),
    ("n_sources", pa.int32()),
    ("source_ids", pa.list_(pa.string())),
    ("evidence", pa.string()),
    ("confidence", pa.float32()),
])

# A mention carries every attribute of the fact as one article states it, so that
# deduplication is a grouping of mentions and an event can always be rebuilt from them.
MENTIONS = pa.schema([
    ("mention_id", pa.string()),
    ("event_id", pa.string()),
    *_SPAN,
    *_FIGURE,
    ("rule", pa.string()),
    ("event_type", pa.string()),
    ("metric", pa.string()),
    *_FACT,
    ("parent_mention_id", pa.string()),
    ("sentence", pa.string()),
    ("confidence", pa.float32()),
])

SOURCES = pa.schema([
    ("source_id", pa.string()),
    ("external_id", pa.string()),
    ("content_sha256", pa.string()),
    ("title", pa.string()),
    ("standfirst", pa.string()),
    ("url", pa.string()),
    ("publisher", pa.string()),
    ("credited_agencies", pa.list_(pa.string())),
    ("published_at", _TS),
    ("ingested_at", _TS),
    ("language", pa.string()),
    ("n_chars", pa.int64()),
    ("input_uri", pa.string()),
    ("duplicate_of", pa.string()),
    ("text", pa.string()),
    ("landing_date", pa.date32()),  # the dt= partition it was read from; null outside partitions
])

PLACES = pa.schema([
    *_SPAN,
    ("place_name", pa.string()),
    ("feature", pa.string()),
    ("geonameid", pa.int64()),
    ("country_code", pa.string()),
    ("admin1", pa.string()),
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("resolution_method", pa.string()),
    ("confidence", pa.float32()),
])

QUANTITIES = pa.schema([
    *_SPAN,
    *_FIGURE,
    ("direction", pa.string()),
    ("unit", pa.string()),
    ("normalized_unit", pa.string()),
])

REJECTS = pa.schema([
    ("input_uri", pa.string()),
    ("reason", pa.string()),
    ("detail", pa.string()),
    ("ingested_at", _TS),
])

# Raw articles as loaded, before cleaning: staging only, not published.
ARTICLES = pa.schema([
    ("source_id", pa.string()),
    ("external_id", pa.string()),
    ("content_sha256", pa.string()),
    ("raw_text", pa.string()),
    ("title", pa.string()),
    ("url", pa.string()),
    ("publisher", pa.string()),
    ("published_at", _TS),
    ("ingested_at", _TS),
    ("input_uri", pa.string()),
])

# The published tables, in publish order, and the key that identifies a row.
TABLES: dict[str, pa.Schema] = {
    "events": EVENTS,
    "mentions": MENTIONS,
    "sources": SOURCES,
    "places": PLACES,
    "quantities": QUANTITIES,
    "rejects": REJECTS,
}
SORT_KEYS: dict[str, list[str]] = {
    "events": ["event_id"],
    "mentions": ["source_id", "char_start", "char_end", "mention_id"],
    "sources": ["source_id"],
    "places": ["source_id", "char_start", "char_end"],
    "quantities": ["source_id", "char_start", "char_end"],
    "rejects": ["input_uri"],
    "articles": ["source_id"],
}


def conform(table_name: str, data: pa.Table | list[dict]) -> pa.Table:
    """Cast rows or a table to the table's schema, in schema column order, sorted by its key.

    Sorting here is what makes every written file deterministic.
    """
    schema = ARTICLES if table_name == "articles" else TABLES[table_name]
    if isinstance(data, list):
        table = pa.Table.from_pylist(data, schema=schema)
    else:
        table = data.select(schema.names).cast(schema)
    if table.num_rows:
        table = table.sort_by([(key, "ascending") for key in SORT_KEYS[table_name]])
    return table
