"""The places component on hand-built Docs with a gazetteer of a few places (the model-backed
tests with the full gazetteer are in tests/model/test_places.py)."""

import pytest
import spacy

from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.gazetteer import tiny_gazetteer


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline("newsevents_places", gazetteer=tiny_gazetteer())


def places(nlp, text):
    return run(nlp, parse(nlp.vocab, text))


def test_a_direction_names_a_part_of_a_country_or_a_city(nlp):
    doc = places(nlp, "Rebels hold parts of northern Syria and western Mosul.")
    assert [(p.place_name, p.feature, p.entry.country_code) for p in doc._.places] == [
        ("northern Syria", "region", "SY"), ("western Mosul", "city_part", "IQ")]


def test_a_demonym_is_context_and_an_associative_place_not_a_place(nlp):
    doc = places(nlp, "Syrian forces advanced on Monday.")
    assert doc._.places == [] and doc._.country_context == {"SY": 1}
    assert [(p.text, p.place_name, p.resolution_method) for p in doc._.associative_places] == [("Syrian", "Syria", "demonym")]


def test_the_article_decides_between_same_named_places(nlp):
    (alone,) = places(nlp, "Clashes left 30 dead in Tripoli.")._.places
    (lebanese,) = places(nlp, "Clashes broke out in Tripoli on Sunday, Lebanese officials said.")._.places
    assert (alone.entry.country_code, alone.resolution_method) == ("LY", "population")
    assert (lebanese.entry.country_code, lebanese.resolution_method) == ("LB", "country_context")


def test_it_tells_the_gate_whether_a_sentence_names_a_place(nlp):
    component = nlp.get_pipe("newsevents_places")
    for text, names in (("The convoy went on to Baghdad with the Syrian envoy.", True), ("The weather was mild and the markets were quiet.", False)):
        doc = parse(nlp.vocab, text)
        assert component.names_a_place(doc, doc.text, 0, len(doc)) is names


def test_without_a_gazetteer_it_says_so():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsevents_places")
    with pytest.raises(RuntimeError, match="no gazetteer"):
        nlp("Shelling hit Aleppo.")
