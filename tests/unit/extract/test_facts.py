"""The fact component on single sentences, through the full pipeline (model + our components)."""

from datetime import date

import pytest

from pipeline.extract.nlp import build_nlp
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(Settings().model)


def facts(nlp, text, published=None, publisher=None):
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.publisher = publisher
    return nlp(doc)._.facts


def only(found, metric):
    matching = [f for f in found if f.metric == metric]
    assert len(matching) == 1, [(f.metric, f.value) for f in found]
    return matching[0]


def test_count_with_qualifier_place_claimant_and_sub_count(nlp):
    found = facts(nlp, "The most recent offensive has left more than 341 people dead in east Aleppo, "
                       "including 44 children, the Syrian Observatory for Human Rights says.")
    toll, children = [f for f in found if f.metric == "killed"]
    assert (toll.value, toll.value_low, toll.qualifier, toll.subject) == (341, 342, "more_than", "people")
    assert toll.place.place_name == "east Aleppo"
    assert toll.claimed_by == "Syrian Observatory for Human Rights" and toll.modality == "claimed"
    assert toll.is_cumulative
    assert (children.value, children.subject) == (44, "children")
    assert found[children.parent] is toll


def test_passive_kill_and_vague_displacement(nlp):
    found = facts(nlp, "At least 400,000 people have been killed since violence began and millions have been forced from their homes.")
    killed = only(found, "killed")
    assert (killed.value, killed.qualifier, killed.modality) == (400000, "at_least", "asserted")
    displaced = only(found, "displaced")
    assert (displaced.value, displaced.value_low, displaced.qualifier) == (None, 1_000_000, "vague")


def test_territory_share_projected_with_actor(nlp):
    share = only(facts(nlp, "With the capture of Shaar, the Syrian army would hold nearly 70 percent of east Aleppo."), "territory_share")
    assert (share.value, share.value_high, share.qualifier, share.unit) == (70, 70, "nearly", "percent")
    assert share.modality == "projected"
    assert share.place.place_name == "east Aleppo"
    assert "army" in share.actor


def test_a_share_above_100_percent_is_not_territory(nlp):
    assert not [f for f in facts(nlp, "Government forces retook control of 225 percent of the city.") if f.metric == "territory_share"]


def test_fraction_becomes_percent(nlp):
    share = only(facts(nlp, "Government forces retook control of about two-thirds of Aleppo."), "territory_share")
    assert share.value == pytest.approx(66.67, abs=0.01) and share.qualifier == "about"


def test_hypothetical_truce_duration_and_numbers_without_a_fact(nlp):
    found = facts(nlp, "Russia blocked a draft resolution demanding a seven-day truce in Aleppo. "
                       "The company's revenue rose 5 percent to 300 million dollars.")
    truce = only(found, "duration")
    assert (truce.value, truce.unit, truce.event_type, truce.modality) == (7, "day", "truce", "hypothetical")
    assert [f.metric for f in found] == ["duration"]


def test_territorial_verb_without_number(nlp):
    advanced = only(facts(nlp, "Forces loyal to President Bashar al-Assad advanced on the large residential district of Shaar in Aleppo."), "advanced")
    assert advanced.place.place_name == "Shaar"
    assert advanced.actor and "government forces" in advanced.actor


def test_dates_resolve_against_publication(nlp):
    published = date(2013, 1, 25)
    (yesterday,) = facts(nlp, "Coalition forces killed two insurgents in Helmand province yesterday.", published)
    assert (yesterday.date.start, yesterday.date.precision) == (date(2013, 1, 24), 1)
    (weekday,) = facts(nlp, "On Monday, security forces arrested five suspects in Kandahar.", published)
    assert weekday.metric == "detained" and weekday.date.start == date(2013, 1, 21)
    (plain,) = facts(nlp, "Security forces arrested five suspects in Kandahar.", published)
    (later,) = facts(nlp, "The attack happened on Monday. Over the past week, security forces arrested five suspects in Kandahar.", published)
    assert (later.date.start, later.date.end, later.date.precision) == (date(2013, 1, 18), published, 3)
    assert (plain.date.start, plain.date.precision) == (published, 2)
    (unknown,) = facts(nlp, "Security forces arrested five suspects in Kandahar.")
    assert unknown.date.start is None


def test_publishers_own_reporting_is_asserted(nlp):
    found = facts(nlp, "Government forces were about 800 metres away from the old citadel, Al Jazeera's reporter said.", publisher="Al Jazeera")
    distance = only(found, "distance")
    assert (distance.value, distance.unit, distance.claimed_by, distance.modality) == (800, "metre", "Al Jazeera", "asserted")


def test_one_person_without_a_number_and_re_mentions(nlp):
    found = facts(nlp, "The force detained a Taliban leader and three of his associates in Kandahar. "
                       "The leader was detained after questioning.")
    assert sorted((f.metric, f.value, f.rule.split(":")[0]) for f in found if f.metric == "detained") == [
        ("detained", 1.0, "singular"), ("detained", 3.0, "count")]
    (leader,) = [f for f in found if f.rule == "singular:detained"]
    assert leader.subject == "leaders"


def test_a_repeated_figure_takes_the_first_facts_key(nlp):
    published = date(2011, 5, 24)
    first, again = facts(nlp, "In Kajaki district, Helmand province, a patrol killed two insurgents yesterday. "
                              "The two insurgents were killed when they attacked the patrol.", published)
    assert (first.value, again.value) == (2, 2)
    assert (again.subject, again.place, again.date) == (first.subject, first.place, first.date)
    assert first.date.start == date(2011, 5, 23)
