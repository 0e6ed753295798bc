"""The attribution component on hand-built Docs: claimant, modality and actor of each fact."""

import pytest

from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.gazetteer import tiny_gazetteer


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline("newsevents_quantities", "newsevents_places", "newsevents_triggers", "newsevents_counting",
                          "newsevents_territory", "newsevents_attribution", gazetteer=tiny_gazetteer())


def facts(nlp, text, publisher=None):
    return run(nlp, parse(nlp.vocab, text), publisher=publisher)._.facts


def test_according_to_names_the_claimant(nlp):
    (killed,) = facts(nlp, "More than 30,000 Palestinians have been killed, according to the Gaza health ministry.")
    assert (killed.claimed_by, killed.modality) == ("Gaza health ministry", "claimed")


def test_a_sub_count_takes_its_totals_claimant(nlp):
    total, children = facts(nlp, "The most recent offensive has left more than 341 people dead in east Aleppo, including 44 children, "
                                 "the Syrian Observatory for Human Rights says.")
    assert total.claimed_by == children.claimed_by == "Syrian Observatory for Human Rights"


def test_the_publishers_own_reporting_is_asserted_and_claimed_by_no_one(nlp):
    """An asserted figure never names a claimant: the publisher is the source's own column."""
    (distance,) = facts(nlp, "Government forces were about 800 metres away from the old citadel, Al Jazeera's reporter said.",
                        publisher="Al Jazeera")
    assert (distance.claimed_by, distance.modality) == (None, "asserted")


@pytest.mark.parametrize("text, modality", [
    ("With the capture of Shaar, the Syrian army would hold nearly 70 percent of east Aleppo.", "projected"),
    ("Russia blocked a draft resolution demanding a seven-day truce in Aleppo.", "hypothetical"),
    ("No one was killed in the attack, the army said.", "negated"),
    ("Two gunmen killed 12 soldiers in Zamfara.", "asserted"),
])
def test_the_modality_of_the_figure(nlp, text, modality):
    (found,) = facts(nlp, text)
    assert found.modality == modality


@pytest.mark.parametrize("text, actor", [
    ("Israeli air strikes killed 25 people in Rafah on Wednesday.", "Israeli forces"),
    ("The army said it had killed 40 militants.", "army"),  # 'it': whoever says so
    ("Houthi rebels fired missiles that killed four people.", "Houthis"),  # past the relative clause
    ("Two gunmen killed 12 soldiers in Zamfara.", "unidentified armed group"),
])
def test_the_actor_is_named_by_the_subject(nlp, text, actor):
    (found,) = facts(nlp, text)
    assert found.actor == actor
