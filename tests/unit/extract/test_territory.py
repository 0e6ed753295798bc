"""The territory component on hand-built Docs: ground taken, entered or left."""

import pytest

from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.gazetteer import tiny_gazetteer


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline("newsevents_quantities", "newsevents_places", "newsevents_triggers", "newsevents_counting",
                          "newsevents_territory", gazetteer=tiny_gazetteer())


def territorial(nlp, text):
    return [f for f in run(nlp, parse(nlp.vocab, text))._.facts if f.event_type == "territorial" and f.metric != "territory_share"]


def test_a_verb_of_movement_with_a_place_in_its_phrase(nlp):
    (advanced,) = territorial(nlp, "Forces loyal to President Bashar al-Assad advanced on the large residential district of Shaar in Aleppo.")
    assert (advanced.metric, advanced.place.place_name, advanced.rule) == ("advanced", "Shaar", "verb:advance")
    assert (advanced.reading.counted, advanced.reading.territorial) == (False, True)  # no figure: it stands alone


def test_control_of_a_place_is_its_capture_though_take_alone_is_no_cue():
    nlp = blank_pipeline("newsevents_places", "newsevents_triggers", "newsevents_counting", "newsevents_territory",
                         gazetteer=tiny_gazetteer())
    assert territorial(nlp, "Residents took the bus to the market on Monday.") == []
    assert "take" not in nlp.get_pipe("newsevents_territory").gate_cues().alone
    assert "control" in nlp.get_pipe("newsevents_territory").gate_cues().alone


def test_a_place_that_fell_to_a_group_was_captured_by_it(nlp):
    (captured,) = territorial(nlp, "Mosul fell to Islamic State fighters in June 2014.")
    assert (captured.metric, captured.place.text, captured.actor) == ("captured", "Mosul", "Islamic State")
    assert territorial(nlp, "Oil prices fell to 40 dollars a barrel.") == []


def test_capturing_people_is_no_territorial_fact(nlp):
    assert territorial(nlp, "Forces captured two insurgents in Kandahar city.") == []
