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
# What kind of happening an incident is (``seeds/rules/incidents.json`` holds the cues and
# the mapping to ACLED event / sub-event types; the order is the cues' precedence).
INCIDENT_TYPES = (
    "air_strike", "shelling", "bombing", "shooting", "armed_clash", "abduction", "attack", "arrest_raid",
    "displacement", "territorial_change", "other",
)
# The metrics an incident counts, each as best / low / high across its independent reports.
INCIDENT_METRICS = ("killed", "injured", "detained", "abducted", "displaced")
REJECT_REASONS = (
    "empty", "binary", "encoding", "malformed_json", "missing_text", "unsupported_type",
    "unreadable", "too_large", "duplicate_input", "extraction_failed", "malformed_metadata",
)
# Where an article's reference date (the day "on Tuesday" or "yesterday" counts from) came from.
REFERENCE_DATE_SOURCES = ("published_at", "landing_date")

# A four-digit year outside these is no news report's (load reads such a published_at as unknown,
# the dateline reader skips it).
NEWS_YEARS = range(1900, 2101)

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
    ("incident_id", pa.string()),
    ("admin2", pa.string()),  # appended after the contract's columns, like incident_id
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
    ("incident_id", pa.string()),
    ("admin2", pa.string()),
])

# One row per real-world happening, consolidated across every report of it (``pipeline.incidents``).
INCIDENTS = pa.schema([
    ("incident_id", pa.string()),
    ("incident_type", pa.string()),
    ("event_date_start", pa.date32()),
    ("event_date_end", pa.date32()),
    ("date_precision", pa.int8()),
    ("place_name", pa.string()),
    ("geonameid", pa.int64()),
    ("admin1", pa.string()),
    ("admin2", pa.string()),
    ("country_code", pa.string()),
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("geo_precision", pa.int8()),
    ("actors", pa.list_(pa.string())),
    *[(f"{metric}{bound}", pa.float64()) for metric in INCIDENT_METRICS for bound in ("", "_low", "_high")],
    ("n_sources", pa.int32()),
    ("source_ids", pa.list_(pa.string())),
    ("first_reported_at", _TS),
    ("last_reported_at", _TS),
    ("event_ids", pa.list_(pa.string())),
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
    ("reference_date", pa.date32()),
    ("reference_date_source", pa.string()),
])

PLACES = pa.schema([
    *_SPAN,
    ("place_name", pa.string()),
    ("feature", pa.string()),
    ("geonameid", pa.int64()),
    ("country_code", pa.string()),
    ("admin1", pa.string()),
    ("admin2", pa.string()),
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
    ("unit_class", pa.string()),
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
    ("reference_date", pa.date32()),
    ("reference_date_source", pa.string()),
])

# The published tables, in publish order, and the key that identifies a row.
TABLES: dict[str, pa.Schema] = {
    "events": EVENTS,
    "mentions": MENTIONS,
    "incidents": INCIDENTS,
    "sources": SOURCES,
    "places": PLACES,
    "quantities": QUANTITIES,
    "rejects": REJECTS,
}
# Written by publish into each version, beside the tables above: the events added, removed
# or changed since the parent version (``pipeline/changes.py``).
CHANGE_KINDS = ("added", "removed", "changed")
CHANGES = pa.schema([
    ("event_id", pa.string()),
    ("change", pa.string()),
])
VERSION_TABLES: dict[str, pa.Schema] = {"changes": CHANGES}

SORT_KEYS: dict[str, list[str]] = {
    "events": ["event_id"],
    "mentions": ["source_id", "char_start", "char_end", "mention_id"],
    "incidents": ["incident_id"],
    "sources": ["source_id"],
    "places": ["source_id", "char_start", "char_end"],
    "quantities": ["source_id", "char_start", "char_end"],
    "rejects": ["input_uri"],
    "articles": ["source_id"],
    "changes": ["event_id"],
}


def table_schema(table_name: str) -> pa.Schema:
    """The schema of a staged (``articles`` too) or published table."""
    return ARTICLES if table_name == "articles" else {**TABLES, **VERSION_TABLES}[table_name]


def conform(table_name: str, data: pa.Table | list[dict]) -> pa.Table:
    """Cast rows or a table to the table's schema, in schema column order, sorted by its key.

    Sorting here is what makes every written file deterministic.
    """
    schema = table_schema(table_name)
    if isinstance(data, list):
        table = pa.Table.from_pylist(data, schema=schema)
    else:
        table = data.select(schema.names).cast(schema)
    if table.num_rows:
        table = table.sort_by([(key, "ascending") for key in SORT_KEYS[table_name]])
    return table


# ----------------------------------------------------------------------------------------
# Descriptions. docs/data-dictionary.md is generated from what follows (pipeline/dictionary.py),
# so the words that explain a column sit beside its type and cannot drift from it.

TABLE_DESCRIPTIONS: dict[str, str] = {
    "events": "One row per consolidated fact: a claim about the world (a count of people killed, a share "
              "of a city held, a place captured). The same claim made by several articles is one row, "
              "with all of them in `source_ids`.",
    "mentions": "One row per fact as one article states it, with every attribute of the fact, so an event "
                "can always be rebuilt from its mentions.",
    "incidents": "One row per real-world happening (an attack, a clash, a shooting, an arrest raid), consolidated "
                 "across every report of it, as ACLED and UCDP GED count events: its type, dates, place, actors and, "
                 "per metric, best / low / high across its independent reports. `events.incident_id` and "
                 "`mentions.incident_id` point up to it.",
    "sources": "One row per article read, with its cleaned text and where it came from.",
    "places": "Every toponym in every source, resolved against the offline gazetteer when possible "
              "(like GDELT's locations).",
    "quantities": "Every number in every source, whether or not it became a fact (like GDELT's amounts).",
    "rejects": "One row per input that could not be read. Every input ends up in exactly one of sources "
               "or rejects.",
    "changes": "One row per event added, removed or changed since the parent version (the manifest's "
               "`parent_version_id`); in a first version every event is added. `newsevents diff` uses the same rule.",
}

# What a column means, by name, in every table that has it ...
COLUMN_DESCRIPTIONS: dict[str, str] = {
    "event_id": "Stable id of the event: the same input always yields the same id.",
    "mention_id": "Stable id of the mention.",
    "source_id": "Stable id of the article, from its content hash.",
    "event_type": "Family of the metric; one of the `event_type` vocabulary.",
    "metric": "What is counted or claimed; one of the `metric` vocabulary.",
    "value": "Best estimate (people, percent 0-100, metres, days); null for vague amounts and ranges.",
    "value_low": "Lowest value the text allows (and, for events, that disagreeing sources allow).",
    "value_high": "Highest value the text allows (and, for events, that disagreeing sources allow).",
    "qualifier": "How the figure is hedged; one of the `qualifier` vocabulary.",
    "unit": "Unit of the figure: people, percent, metre, day, house, ...",
    "subject": "Who is counted: people, civilians, children, insurgents, fighters, ...",
    "actor": "Who did it, or who holds the place.",
    "place_name": "Place as normalised by the gazetteer.",
    "country_code": "ISO 3166-1 alpha-2 country code.",
    "admin1": "First-level region (province, governorate).",
    "admin2": "Second-level region (district, county) under GeoNames' name; null where GeoNames gives the place none.",
    "latitude": "WGS84 latitude in degrees.",
    "longitude": "WGS84 longitude in degrees.",
    "geonameid": "GeoNames id when the place was resolved to one.",
    "geo_precision": "How exact the place is; a `geo_precision` code (UCDP where_prec scale).",
    "event_date_start": "First day it may have happened, resolved against the source's `reference_date` (its publication "
                        "date, else its landing day), else the article's own dateline.",
    "event_date_end": "Last day it may have happened.",
    "date_precision": "How exact the dates are; a `date_precision` code (UCDP date_prec scale).",
    "is_cumulative": "A running total (\"since 2011\", \"over the past week\") rather than a new incident.",
    "modality": "Whether the text asserts, attributes, projects, supposes or denies it; one of the `modality` vocabulary.",
    "claimed_by": "Who the article says the figure comes from.",
    "parent_event_id": "The event this one is a sub-count of (\"including 44 children\").",
    "parent_mention_id": "The mention this one is a sub-count of.",
    "n_sources": "Distinct non-duplicate sources that support the event.",
    "source_ids": "Every source that supports the event.",
    "evidence": "The sentence of the event's first mention.",
    "confidence": "Confidence of the extraction, 0 to 1.",
    "sentence_index": "Index of the sentence in the source's cleaned text, from 0.",
    "char_start": "Start offset of the span in the source's cleaned text (`sources.text`).",
    "char_end": "End offset (exclusive) of the span in the source's cleaned text.",
    "text": "The exact span of the source's cleaned text.",
    "rule": "The extractor rule that produced the mention, e.g. `count:killed`, `share:control`, `verb:advance`.",
    "sentence": ("The sentence the mention is in, its evidence, without the blank lines around it; when it begins "
                 "inside a quotation or a clause an earlier sentence opened, from where that began (three sentences at most)."),
    "external_id": "The id the input gave the article (the `id` of a JSON line, the file name); null when none.",
    "content_sha256": "SHA-256 of the article's raw content.",
    "title": "Headline.",
    "standfirst": "The summary under the headline, when the article has one.",
    "url": "Where the article was published, when known.",
    "publisher": "Who published the article.",
    "credited_agencies": "News agencies the article credits (\"Source: News Agencies\").",
    "published_at": "Publication time (UTC); null when unknown or outside the years 1900–2100 (a typo, not a date).",
    "ingested_at": "When the pipeline read the input (UTC).",
    "language": "Language code of the article.",
    "n_chars": "Length of the cleaned text in characters.",
    "input_uri": "The file or URL the input was read from (`<file>#L<line>` for a JSON Lines record, `<file>#<index>` for an item of a JSON array).",
    "duplicate_of": "`source_id` of the article this one repeats (syndicated copy); null for originals.",
    "feature": "Kind of place: city, city_part, district, admin2, admin1, country, landmark, region, ...",
    "resolution_method": ("How the place was chosen: curated, gazetteer_unique, population, country_context, reference, "
                          "within (a name the gazetteer lacks, in the place named with it), nearby (one put at the place "
                          "the article names most), demonym, in_name, unresolved."),
    "direction": "For a change (\"rose by 5 percent\"), its direction; one of the `direction` vocabulary.",
    "normalized_unit": ("The unit's name as NewsQuant writes it: a unit dictionary's name (percentage, mile per hour, "
                        "japanese yen, dollar per barrel, year of age) or the counted noun's lemma with its modifiers "
                        "(worker, first-team player, mosque)."),
    "unit_class": ("What the unit measures or counts, in the vocabulary of the fact rules: people, household, house, "
                   "building or vehicle for a listed counted noun ('three Afghan soldiers' is people), percent, fraction, "
                   "or the unit's name (metre, day, dollar, ...); null for a bare number or a counted noun no list has."),
    "reason": "Why the input was rejected; one of the `reject_reason` vocabulary.",
    "detail": "The error in words.",
    "change": "How the event differs from the parent version; one of the `change` vocabulary.",
    "incident_id": "The incident (happening) this row is part of; null for a fact about no happening (projected, "
                   "hypothetical, a running total).",
    "incident_type": "Kind of happening; one of the `incident_type` vocabulary (mapped to ACLED event / sub-event types "
                     "in the dictionary).",
    "actors": "Who did it, as the reports name them.",
    **{f"{metric}{bound}": f"{what} of people {metric}: {how}."
       for metric in INCIDENT_METRICS
       for bound, what, how in (("", "Best estimate", "the latest independent report's figure (a toll update revises it)"),
                                ("_low", "Lowest figure", "the lowest any independent report gives"),
                                ("_high", "Highest figure", "the highest any independent report gives"))},
    "first_reported_at": "Publication time of the earliest report (UTC).",
    "last_reported_at": "Publication time of the latest report (UTC).",
    "event_ids": "The events (facts) of the incident's mentions.",
    "landing_date": "The landing partition `dt=YYYY-MM-DD` the article was read from; null outside partitions. "
                    "An incremental run over a day replaces every row that came from that day.",
    "reference_date": "The day the article's relative dates (\"on Tuesday\", \"yesterday\") count from: its publication "
                      "date, else the day of its landing partition; null when neither is known (the extractor then "
                      "takes a dateline's date from the text, if it has one).",
    "reference_date_source": "Where `reference_date` came from; one of the `reference_date_source` vocabulary, "
                             "null when there is no reference date.",
}

# ... unless a table means something more specific by it.
TABLE_COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "sources": {"text": "The cleaned text that `char_start` / `char_end` of mentions, places and quantities point into."},
    "places": {"confidence": "Confidence of the resolution, 0 to 1."},
    "mentions": {"event_id": "The event this mention was consolidated into."},
    "incidents": {
        "incident_id": "Stable id of the incident: the hash of its earliest report's first mention, kept when a later "
                       "report joins.",
        "n_sources": "Independent sources that report it (a copy and its original count once).",
        "source_ids": "Every source that reports it, copies included.",
        "place_name": "The place most of its reports agree with, the most specific of those.",
        "event_date_start": "First day it may have happened: the most precise date any report gives.",
        "geo_precision": "How exact the place is; a `geo_precision` code (UCDP where_prec scale).",
    },
}

VOCABULARY_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "change": {
        "added": "the event is new in this version",
        "removed": "the event was in the parent version and is gone",
        "changed": "same event_id, and one of metric, value, value_low, value_high, qualifier, place_name, "
                   "n_sources or modality differs",
    },
    "event_type": {
        "casualties": "people killed or injured",
        "detention": "people detained or abducted",
        "displacement": "people displaced, houses destroyed",
        "territorial": "control of ground: shares held, places captured, advances, sieges, withdrawals",
        "frontline": "distances from a front line",
        "truce": "ceasefires and their durations",
        "other": "anything else, e.g. people affected",
    },
    "metric": {
        "killed": "people killed (unit people)",
        "injured": "people injured (unit people)",
        "detained": "people detained or arrested (unit people)",
        "abducted": "people abducted or taken hostage (unit people)",
        "displaced": "people displaced, evacuated, sheltered or made homeless (unit people)",
        "affected": "people affected, trapped or besieged (unit people)",
        "territory_share": "share of a place held by an actor (unit percent, 0-100)",
        "captured": "a place captured or retaken (no figure)",
        "advanced": "an actor advanced (no figure, or a distance)",
        "besieged": "a place under siege (no figure)",
        "withdrew": "an actor withdrew (no figure)",
        "distance": "a distance, e.g. from the front line (unit metre)",
        "duration": "a duration, e.g. of a truce (unit day)",
        "destroyed": "houses destroyed (unit house)",
    },
    "qualifier": {
        "exact": "the figure as stated: `44`",
        "at_least": "`at least 400,000`: value and value_low 400000",
        "more_than": "`more than 341`: value 341, value_low 342",
        "at_most": "`up to 50`: value and value_high 50",
        "less_than": "`fewer than 10`: value 10, value_high 9",
        "about": "`about 800`: value 800",
        "nearly": "`nearly 70`: value and value_high 70",
        "range": "`between 10 and 15`: value null, value_low 10, value_high 15",
        "vague": "`dozens`: value null, value_low the implied minimum (see vague amounts)",
        "none": "no figure: a place captured, an advance",
    },
    "modality": {
        "asserted": "the article states it as fact",
        "claimed": "the article attributes it to someone (see `claimed_by`)",
        "projected": "expected or threatened, not yet happened",
        "hypothetical": "conditional or supposed",
        "negated": "the article denies it (\"no one was killed\": value 0)",
    },
    "direction": {"up": "a rise (\"rose by\")", "down": "a fall (\"dropped by\")"},
    "incident_type": {
        "air_strike": "air or drone strikes, barrel bombs, bombing raids",
        "shelling": "artillery, mortar, rocket or missile fire",
        "bombing": "bombs, IEDs, suicide bombings, landmines, grenades, explosions",
        "shooting": "people shot: gunmen, gunfire, sniper fire, drive-by shootings",
        "armed_clash": "fighting between armed groups: clashes, battles, firefights",
        "abduction": "kidnappings, hostages, disappearances",
        "attack": "other violence against people: stabbings, beatings, massacres, ambushes, murders",
        "arrest_raid": "arrests and detentions",
        "displacement": "people displaced, fleeing, evacuated",
        "territorial_change": "places captured, retaken or abandoned",
        "other": "happenings outside political violence: disasters, crashes, accidents",
    },
    "reject_reason": {
        "empty": "no content, or nothing left after cleaning",
        "binary": "NUL bytes: not a text file",
        "encoding": "not valid UTF-8",
        "malformed_json": "a JSON or JSON Lines record that does not parse",
        "missing_text": "a JSON record without a non-empty `text` field",
        "unsupported_type": "a file type the loader does not read",
        "unreadable": "the file or URL could not be opened",
        "too_large": "larger than NEWSEVENTS_MAX_INPUT_BYTES",
        "duplicate_input": "the same id and content as an input already read in this run",
        "extraction_failed": "the extractor raised on this article (a bug to report: `detail` names the error); "
                             "the run went on without it",
        "malformed_metadata": "a `.txt` file whose front matter does not parse, has an unknown or repeated key, "
                              "or a `published_at` that is no date (`detail` says which, and on which line)",
    },
    "reference_date_source": {
        "published_at": "the article's own publication date (`published_at`, as a UTC day)",
        "landing_date": "no publication date: the day of the landing partition `dt=YYYY-MM-DD` it arrived in",
    },
}

# Precision codes, as in UCDP GED (where_prec, date_prec).
# The where_prec of a toponym of each ``places.feature`` whose point is its own
# (``pipeline.extract.precision`` coarsens a point borrowed from another place).
FEATURE_GEO_PRECISION: dict[str, int] = {
    "country": 6, "region": 5, "admin1": 4, "admin2": 3, "city": 1, "city_part": 1, "district": 1, "landmark": 1,
}
GEO_PRECISION: dict[int, str] = {
    1: "exact place: a city, town, district or landmark with a point of its own",
    2: "within about 25 km of a known place: a part of a city (\"east Aleppo\"), or a district or neighbourhood "
       "the gazetteer lacks, on the point of the city it is named with",
    3: "second-level administrative division (district, county), or a place put on its centre",
    4: "first-level administrative division (province, governorate), or a place put on its centre",
    5: "a part of a country larger than a province (a region: \"southern Afghanistan\")",
    6: "the country only",
}
# geo_precision as UCDP GED's where_prec (1-7) and ACLED's geo_precision (1-3). Our codes are
# UCDP's (UCDP's 7, international waters or airspace, is never given). ACLED codes 1 for a
# town with its own coordinates, 2 for a part of a region or a town's vicinity put on a
# nearby town, 3 for a larger region put on its capital or centre.
GEO_PRECISION_SCALES: dict[int, dict[str, int]] = {
    1: {"ucdp_where_prec": 1, "acled_geo_precision": 1},
    2: {"ucdp_where_prec": 2, "acled_geo_precision": 2},
    3: {"ucdp_where_prec": 3, "acled_geo_precision": 2},
    4: {"ucdp_where_prec": 4, "acled_geo_precision": 3},
    5: {"ucdp_where_prec": 5, "acled_geo_precision": 3},
    6: {"ucdp_where_prec": 6, "acled_geo_precision": 3},
}
DATE_PRECISION: dict[int, str] = {
    1: "the exact day",
    2: "within a few days (also: the reference date, publication or landing day, when the text has no date cue)",
    3: "within a week",
    4: "within a month",
    5: "within a year",
}
VOCABULARIES: dict[str, tuple] = {
    "event_type": EVENT_TYPES, "metric": METRICS, "qualifier": QUALIFIERS, "modality": MODALITIES,
    "direction": DIRECTIONS, "reject_reason": REJECT_REASONS, "change": CHANGE_KINDS,
    "reference_date_source": REFERENCE_DATE_SOURCES, "incident_type": INCIDENT_TYPES,
}


def describe(table_name: str, column: str) -> str | None:
    """What ``column`` means in ``table_name``; None when nobody wrote it down yet."""
    return TABLE_COLUMN_DESCRIPTIONS.get(table_name, {}).get(column) or COLUMN_DESCRIPTIONS.get(column)
