"""Where a fact is: the finest place its phrase, clause or sentence names, with the real model and gazetteer."""

import pytest

from pipeline.extract.nlp import build_nlp
from pipeline.extract.precision import geo_precision
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(Settings.model)


def places_of_facts(nlp, text):
    return [(f.metric, f.value, f.place.place_name if f.place else None, f.place.entry.admin1 if f.place and f.place.entry else None)
            for f in nlp(text)._.facts]


def test_a_fact_in_the_next_sentence_takes_the_finest_place_of_the_chain_before(nlp):
    assert places_of_facts(nlp, "A bomb went off in Andar district, Ghazni province, Afghanistan. Five people were killed.") == [
        ("killed", 5, "Andar", "Ghazni")]


def test_a_fact_nearest_the_country_of_a_chain_takes_its_province(nlp):
    assert places_of_facts(nlp, "In Kunar province, Afghanistan, five people were killed on Monday.") == [
        ("killed", 5, "Kunar", "Kunar")]


def test_a_country_on_its_own_stays_the_country(nlp):
    """A finer place in another sentence may be another happening: 'Syria' is not refined to it."""
    facts = places_of_facts(nlp, "Fighting went on in Aleppo on Monday.\n\nThe war in Syria has killed at least 400,000 people.")
    assert facts == [("killed", 400000, "Syria", None)]


def test_a_fact_in_a_part_of_a_city_is_near_the_city_not_at_its_point(nlp):
    (fact,) = nlp("Shelling killed 12 civilians in east Aleppo on Monday.")._.facts
    assert (fact.place.place_name, geo_precision(fact.place)) == ("east Aleppo", 2)


def test_a_fact_with_no_place_near_it_takes_the_lead_not_the_header_or_the_dateline(nlp):
    text = ("ISAF Joint Command - Afghanistan 2011-07-S-076 For Immediate Release\n\n"
            "KABUL, Afghanistan (July 26, 2011) - A combined force stopped a vehicle during an operation in "
            "Reg-e Khan Neshin district, Helmand province, yesterday.\n\n"
            "Upon searching the vehicle, the force seized heroin. All items were destroyed on site.\n\n"
            "Four men were detained as a result of the operation.")
    assert [(metric, value, admin1) for metric, value, _, admin1 in places_of_facts(nlp, text)] == [("detained", 4, "Helmand")]
