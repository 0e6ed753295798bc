"""The restatement component on facts built by hand: what a fact takes from the facts before it."""

from datetime import date

import pytest
from spacy.tokens import Doc

from pipeline.extract.dates import EventDate
from pipeline.extract.facts import Fact, Reading
from pipeline.extract.places import PlaceMention
from tests.fixtures.docs import blank_pipeline
from tests.fixtures.gazetteer import tiny_gazetteer

GAZETTEER = tiny_gazetteer()
TEXT = "several suspects were held . three suspects were held . one additional suspect was held . 3 suspects"
MONDAY, TUESDAY = EventDate(date(2011, 5, 2), date(2011, 5, 2), 1), EventDate(date(2011, 5, 3), date(2011, 5, 3), 1)


def place(name: str) -> PlaceMention:
    entry = next(e for e in GAZETTEER.entries if e.name == name)
    return PlaceMention(0, 1, 0, 1, name, name, entry.feature, entry, "gazetteer_unique", 0.9)


def fact(words: str, value=None, low=None, qualifier="exact", rule="count:detained", **situation) -> Fact:
    start = TEXT.index(words)
    found = Fact(start_char=start, end_char=start + len(words), sentence_index=0, rule=rule, metric="detained",
                 event_type="detention", value=value, value_low=low, qualifier=qualifier, unit="people", subject="suspects",
                 reading=Reading(**{k: v for k, v in situation.items() if k in Reading.__dataclass_fields__}))
    for key, given in situation.items():
        if key in Fact.__dataclass_fields__:
            setattr(found, key, given)
    return found


@pytest.fixture(scope="module")
def restatement():
    return blank_pipeline("newsevents_restatement").get_pipe("newsevents_restatement")


def restated(restatement, *facts: Fact) -> list[Fact]:
    doc = Doc(restatement.vocab, words=TEXT.split())
    doc._.facts = list(facts)
    return restatement(doc)._.facts


def test_a_vague_amount_stated_exactly_later_takes_the_figure(restatement):
    vague, exact = restated(restatement, fact("several suspects", low=3, qualifier="vague", place=place("Afghanistan"), date=MONDAY),
                            fact("three suspects", value=3, place=place("Kandahar"), date=TUESDAY))
    assert (vague.value, vague.qualifier, vague.rule) == (3, "exact", "count:detained+restated")
    assert (exact.place, exact.date) == (vague.place, vague.date)  # one event: the later mention takes the first's key
    assert vague.place.place_name == "Kandahar"  # the finer place of the two


def test_amounts_in_different_provinces_are_different_groups(restatement):
    vague, exact = restated(restatement, fact("several suspects", low=3, qualifier="vague", place=place("Helmand")),
                            fact("three suspects", value=3, place=place("Kandahar")))
    assert (vague.value, exact.place.place_name) == (None, "Kandahar")


def test_a_figure_said_again_takes_the_first_facts_key_and_keeps_the_finer_place(restatement):
    first, again = restated(restatement, fact("three suspects", value=3, place=place("Afghanistan"), date=MONDAY),
                            fact("3 suspects", value=3, place=place("Kandahar"), date=TUESDAY))
    assert first.place.place_name == again.place.place_name == "Kandahar" and again.date == MONDAY


def test_an_additional_count_adds_rather_than_repeats(restatement):
    first, more = restated(restatement, fact("three suspects", value=3, date=MONDAY), fact("one additional suspect", value=3, date=TUESDAY))
    assert more.date == TUESDAY


def test_a_fact_without_place_or_date_of_its_own_goes_on_from_the_fact_before(restatement):
    first, then = restated(restatement, fact("three suspects", value=3, place=place("Kandahar"), date=MONDAY),
                           fact("one additional suspect", value=1, place_from_before=True, place_fallback=place("Syria"),
                                confidence=0.8, confidence_unplaced=0.6, date_from_before=True, date_fallback=TUESDAY))
    assert (then.place.place_name, then.confidence, then.date) == ("Kandahar", 0.8, MONDAY)


def test_the_first_fact_without_them_takes_the_fallbacks(restatement):
    (alone,) = restated(restatement, fact("three suspects", value=3, place_from_before=True, place_fallback=None, confidence=0.8,
                                          confidence_unplaced=0.6, date_from_before=True, date_fallback=TUESDAY))
    assert (alone.place, alone.confidence, alone.date) == (None, 0.6, TUESDAY)


def test_a_part_larger_than_its_whole_is_no_sub_count(restatement):
    total, part = restated(restatement, fact("three suspects", value=3), fact("3 suspects", value=5, parent=0))
    assert part.parent is None


def test_a_territorial_fact_stands_alone(restatement):
    counted, ground = restated(restatement, fact("three suspects", value=3, place=place("Kandahar"), date=MONDAY),
                               fact("3 suspects", value=3, counted=False, date=TUESDAY))
    assert ground.date == TUESDAY and ground.place is None
