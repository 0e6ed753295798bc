"""Hand-built rows of the tables incidents read: articles, their toponyms and their counts."""

from __future__ import annotations

from datetime import date, datetime, timezone

MILWAUKEE = {"place_name": "Milwaukee", "geonameid": 5263045, "country_code": "US", "admin1": "Wisconsin",
             "latitude": 43.0389, "longitude": -87.9065, "geo_precision": 1}
BROOKLYN = {"place_name": "Brooklyn", "geonameid": 5110302, "country_code": "US", "admin1": "New York",
            "latitude": 40.6501, "longitude": -73.9496, "geo_precision": 1}
EAST_FLATBUSH = {"place_name": "East Flatbush", "geonameid": None, "country_code": "US", "admin1": "New York",
                 "latitude": 40.6537, "longitude": -73.9307, "geo_precision": 1}
KINGS_COUNTY = {"place_name": "Kings County", "geonameid": None, "country_code": "US", "admin1": "New York",
                "latitude": None, "longitude": None, "geo_precision": 3}
ALBANY = {"place_name": "Albany", "geonameid": 5106834, "country_code": "US", "admin1": "New York",
          "latitude": 42.6526, "longitude": -73.7562, "geo_precision": 1}
NOWHERE = {"place_name": None, "geonameid": None, "country_code": None, "admin1": None,
           "latitude": None, "longitude": None, "geo_precision": None}


def day(d: int, month: int = 3) -> date:
    return date(2014, month, d)


def at(d: int, month: int = 3) -> datetime:
    return datetime(2014, month, d, 12, tzinfo=timezone.utc)


def article(source_id: str, text: str, published: datetime | None = None, title: str | None = None,
            duplicate_of: str | None = None) -> dict:
    return {"source_id": source_id, "title": title, "text": text, "published_at": published, "duplicate_of": duplicate_of}


def mention(mention_id: str, source_id: str, text: str, sentence: str, offset: int, metric: str = "killed",
            value: float | None = 1.0, place: dict = MILWAUKEE, when: date | None = None, precision: int | None = 1,
            **changes) -> dict:
    """A count as the extractor writes it; ``offset`` is where its sentence starts in the article."""
    start = offset + sentence.index(text)
    row = {"mention_id": mention_id, "event_id": f"e-{mention_id}", "source_id": source_id, "sentence_index": 0,
           "char_start": start, "char_end": start + len(text), "text": text, "value": value, "value_low": value,
           "value_high": None, "qualifier": "exact", "rule": "count", "event_type": "casualties", "metric": metric,
           "unit": "people", "subject": "people", "actor": None, **place, "event_date_start": when,
           "event_date_end": when, "date_precision": precision if when else None, "is_cumulative": False,
           "modality": "asserted", "claimed_by": None, "parent_mention_id": None, "sentence": sentence,
           "confidence": 0.8, "incident_id": None}
    return {**row, **changes}


def toponym(source_id: str, text: str, article_text: str, place: dict, feature: str | None = "city",
            method: str = "gazetteer_unique", occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = article_text.index(text, start + 1)
    return {"source_id": source_id, "char_start": start, "text": text, "feature": feature, "resolution_method": method,
            **{k: place[k] for k in ("place_name", "geonameid", "country_code", "admin1", "latitude", "longitude")}}
