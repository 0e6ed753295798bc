"""Reports of one happening across articles become one incident; others stay apart."""

from __future__ import annotations

import math
import random

from pipeline import incidents
from pipeline.incidents import linking
from pipeline.rules import load_rules
from tests.unit.incidents.rows import (BROOKLYN, EAST_FLATBUSH, KINGS_COUNTY, MILWAUKEE, NOWHERE, article, at, day,
                                       mention, toponym)


class Corpus:
    """Articles of one sentence or more, with their counts and toponyms, as the dedupe stage reads them."""

    def __init__(self) -> None:
        self.articles, self.mentions, self.places = [], [], []

    def add(self, source_id: str, text: str, published, counts=(), toponyms=(), title=None, duplicate_of=None,
            place: dict = MILWAUKEE, when=None, precision=1) -> None:
        """``counts``: (span, metric, value); ``toponyms``: (span, place, feature)."""
        self.articles.append(article(source_id, text, published, title, duplicate_of))
        for n, (span, metric, value) in enumerate(counts):
            self.mentions.append(mention(f"{source_id}-m{n}", source_id, span, text, 0, metric=metric, value=value,
                                         place=place, when=when, precision=precision))
        for span, where, feature in toponyms:
            self.places.append(toponym(source_id, span, text, where, feature=feature))

    def incidents(self, shuffle: random.Random | None = None) -> list[dict]:
        articles, places = sorted(self.articles, key=lambda a: a["source_id"]), sorted(
            self.places, key=lambda p: (p["source_id"], p["char_start"]))
        mentions = [dict(m) for m in self.mentions]
        if shuffle:
            shuffle.shuffle(mentions)
        reports = incidents.reports_of(articles, places, mentions)
        return incidents.assign_incidents(reports, mentions, [])

    def grouped(self) -> list[list[str]]:
        return sorted(i["source_ids"] for i in self.incidents())


def test_a_toll_that_rises_across_reports_is_one_incident_with_the_latest_best():
    c = Corpus()
    c.add("a", "A man was killed in a shooting in Milwaukee on Friday.", at(7), [("A man", "killed", 1.0)], when=day(7))
    c.add("b", "Three people were killed in Friday's shooting in Milwaukee.", at(9), [("Three people", "killed", 3.0)],
          when=day(7))
    [incident] = c.incidents()
    assert incident["source_ids"] == ["a", "b"] and incident["n_sources"] == 2
    assert (incident["killed"], incident["killed_low"], incident["killed_high"]) == (3.0, 1.0, 3.0)
    assert incident["first_reported_at"] == at(7) and incident["last_reported_at"] == at(9)


def test_shot_then_died_is_one_incident_whose_wounded_moved_to_the_dead():
    c = Corpus()
    c.add("a", "A 24-year-old man was wounded in a shooting in Milwaukee on Friday.", at(7),
          [("A 24-year-old man", "injured", 1.0)], when=day(7))
    c.add("b", "A 24-year-old man died on Saturday after he was shot in Milwaukee.", at(8),
          [("A 24-year-old man", "killed", 1.0)], when=day(8))
    [incident] = c.incidents()
    assert (incident["killed"], incident["injured"], incident["injured_high"]) == (1.0, 0.0, 1.0)


def test_a_neighbourhood_joins_its_city_and_a_county_joins_on_evidence():
    c = Corpus()
    c.add("a", "A 16-year-old was shot dead in East Flatbush on Saturday.", at(10), [("A 16-year-old", "killed", 1.0)],
          place=EAST_FLATBUSH, when=day(9))
    c.add("b", "Police killed a 16-year-old in Brooklyn on Saturday, the shooting that began the riots.", at(11),
          [("a 16-year-old", "killed", 1.0)], place=BROOKLYN, when=day(9))
    c.add("c", "A 16-year-old was killed in a police shooting in Kings County.", at(12), [("A 16-year-old", "killed", 1.0)],
          place=KINGS_COUNTY, when=day(9), precision=2)
    c.add("d", "A man was killed in a shooting in Kings County.", at(12), [("A man", "killed", 1.0)],
          place=KINGS_COUNTY, when=day(9), precision=2)
    assert c.grouped() == [["a", "b", "c"], ["d"]]  # the county alone tells no shooting in it from another


def test_a_follow_up_dated_by_its_publication_joins_the_day_it_tells_of():
    c = Corpus()
    c.add("a", "A man was killed in a shooting Friday night in Milwaukee.", at(7), [("A man", "killed", 1.0)], when=day(7))
    c.add("b", "Police are still looking for whoever killed a man in a shooting in Milwaukee.", at(10),
          [("a man", "killed", 1.0)], when=day(10), precision=2)
    c.add("c", "A man was killed in a shooting in Milwaukee.", at(20), [("A man", "killed", 1.0)], when=day(20), precision=2)
    assert c.grouped() == [["a", "b"], ["c"]]


def test_two_shootings_in_one_city_on_one_day_stay_apart():
    c = Corpus()
    north = {**MILWAUKEE, "place_name": "North Side", "geonameid": None}
    south = {**MILWAUKEE, "place_name": "South Side", "geonameid": None}
    c.add("a", "A 24-year-old man was shot and killed on the North Side of Milwaukee on Friday.", at(8),
          [("A 24-year-old man", "killed", 1.0)], [("North Side", north, None), ("Milwaukee", MILWAUKEE, "city")], when=day(7))
    c.add("b", "A 16-year-old boy was shot in the leg on the South Side of Milwaukee on Friday.", at(8),
          [("A 16-year-old boy", "injured", 1.0)], [("South Side", south, None), ("Milwaukee", MILWAUKEE, "city")],
          when=day(7))
    c.add("c", "Police identified the man killed Friday on the North Side of Milwaukee as Deshawn Miller, 24.", at(9),
          [("the man", "killed", 1.0)], [("North Side", north, None), ("Milwaukee", MILWAUKEE, "city")], when=day(7))
    c.add("d", "Four people were killed in a shooting in Milwaukee on Friday.", at(8), [("Four people", "killed", 4.0)],
          when=day(7))
    assert c.grouped() == [["a", "c"], ["b"], ["d"]]


def test_a_past_shooting_named_in_background_never_joins_todays():
    c = Corpus()
    text = "A man was killed in a shooting in Milwaukee on Friday. In 2012, a man was killed in a shooting nearby."
    c.add("a", text, at(8))
    c.mentions += [mention("a-m0", "a", "A man", text, 0, when=day(7)),
                   mention("a-m1", "a", "a man", text[text.index("In 2012"):], text.index("In 2012"),
                           when=day(1, 1).replace(year=2012), precision=5)]
    c.add("b", "A man was killed in a shooting in Milwaukee on Friday night.", at(8), [("A man", "killed", 1.0)], when=day(7))
    assert c.grouped() == [["a"], ["a", "b"]]


def test_undated_unplaced_reports_join_only_on_a_shared_name():
    c = Corpus()
    for source_id, text in (("a", "The trial of the man accused of the murder of Zurana Horton began."),
                            ("b", "Jurors saw video of the murder of Zurana Horton, a mother of 12."),
                            ("c", "A mother of three was killed by a stray bullet.")):
        c.add(source_id, text, None, [("A mother" if "mother of three" in text else "Zurana Horton", "killed", 1.0)],
              place=NOWHERE)
    assert c.grouped() == [["a", "b"], ["c"]]


def test_a_copy_counts_once():
    c = Corpus()
    for source_id, copy_of in (("a", None), ("b", "a")):
        c.add(source_id, "Twelve people were killed in a shooting in Milwaukee on Friday.", at(8),
              [("Twelve people", "killed", 12.0)], when=day(7), duplicate_of=copy_of)
    [incident] = c.incidents()
    assert (incident["source_ids"], incident["n_sources"]) == (["a", "b"], 1)


def _random_corpus(rng: random.Random) -> Corpus:
    c = Corpus()
    places = [MILWAUKEE, BROOKLYN, EAST_FLATBUSH, KINGS_COUNTY, NOWHERE]
    for n in range(80):
        age, metric = rng.choice([16, 24, 35]), rng.choice(["killed", "injured"])
        c.add(f"s{n:02d}", f"A {age}-year-old man was {metric} in a shooting on Friday.", rng.choice([at(7), at(8), at(12), None]),
              [(f"A {age}-year-old man", metric, rng.choice([1.0, 2.0, 5.0]))], place=rng.choice(places),
              when=rng.choice([day(7), day(8), day(12), None]), duplicate_of=rng.choice([None] * 5 + ["s00"]) if n else None)
    return c


def test_incidents_do_not_depend_on_the_order_of_the_rows():
    c = _random_corpus(random.Random(3))
    assert c.incidents() == c.incidents(shuffle=random.Random(4))


def test_the_index_chooses_the_incident_a_scan_of_all_would(monkeypatch):
    c = _random_corpus(random.Random(5))
    indexed = c.incidents()
    monkeypatch.setattr(linking._Index, "candidates", lambda index, report, window: set(range(getattr(index, "started", 0))))
    monkeypatch.setattr(linking._Index, "add", lambda index, number, report, window: setattr(
        index, "started", max(number + 1, getattr(index, "started", 0))))
    scanned = c.incidents()
    assert indexed == scanned
    assert 10 < len(indexed) < 70  # many joins and many incidents: the draw exercises both


def test_every_place_within_near_km_is_found_through_the_grid():
    rules = linking.Linking.from_rules(load_rules("incidents")["linking"])
    index, rng = linking._Index(rules), random.Random(7)
    for _ in range(3000):
        lat, lon = rng.uniform(-80, 80), rng.uniform(-179, 179)
        bearing, km = rng.uniform(0, 360), rng.uniform(0, rules.near_km)
        other_lat = lat + km / 111.2 * math.cos(math.radians(bearing))
        other_lon = lon + km / (111.2 * math.cos(math.radians(other_lat))) * math.sin(math.radians(bearing))
        a = linking.Place("a", None, None, None, None, lat, lon, 1)
        b = linking.Place("b", None, None, None, None, other_lat, other_lon, 1)
        if linking._km(a, b) <= rules.near_km:
            assert set(index._cells(lat, lon, probing=False)) <= set(index._cells(other_lat, other_lon, probing=True))


def test_an_undated_report_meets_a_dated_incident_only_on_a_name():
    c = Corpus()
    c.add("a", "A man was killed in a shooting in Milwaukee on Friday.", at(8), [("A man", "killed", 1.0)], when=day(7))
    c.add("b", "A man was killed in a shooting in Milwaukee.", None, [("A man", "killed", 1.0)])
    c.add("c", "Deshawn Miller, 24, was killed in a shooting in Milwaukee on Friday.", at(8),
          [("Deshawn Miller", "killed", 1.0)], when=day(7))
    c.add("d", "Deshawn Miller, 24, was killed in a shooting in Milwaukee.", None, [("Deshawn Miller", "killed", 1.0)])
    assert c.grouped() == [["a", "c", "d"], ["b"]]


def test_a_stray_place_of_one_report_does_not_carry_its_incident_to_another_city():
    c = Corpus()
    brooklyn = "A 24-year-old man was killed in a shooting in Brooklyn on Friday."
    for n in range(8):
        c.add(f"a{n}", brooklyn, at(8), [("A 24-year-old man", "killed", 1.0)], place=BROOKLYN, when=day(7))
    # one report also places a count in Milwaukee (a misread), the next is about Milwaukee alone
    c.add("b", brooklyn + " A man was killed in Milwaukee.", at(9), [("A 24-year-old man", "killed", 1.0)],
          place=BROOKLYN, when=day(7))
    c.mentions.append(mention("b-m9", "b", "A man", "A man was killed in Milwaukee.", len(brooklyn) + 1, when=day(7)))
    c.add("c", "A 24-year-old man was killed in a shooting in Milwaukee on Friday.", at(10),
          [("A 24-year-old man", "killed", 1.0)], when=day(7))
    assert ["c"] in c.grouped()
