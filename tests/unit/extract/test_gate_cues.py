"""The sentence gate takes its cue words from the components (the model-backed gate tests are in tests/model)."""

import pytest

from pipeline.extract.gating import SentenceGate, cue_forms
from tests.fixtures.docs import blank_pipeline
from tests.fixtures.gazetteer import tiny_gazetteer
from tests.fixtures.rules import add_trigger, copied_rules

COMPONENTS = ("newsevents_places", "newsevents_triggers", "newsevents_counting", "newsevents_territory", "newsevents_dates")


@pytest.fixture(scope="module")
def gate():
    return SentenceGate(blank_pipeline(*COMPONENTS, gazetteer=tiny_gazetteer()))


def test_words_that_make_a_fact_alone_or_with_a_number(gate):
    assert {"kill", "detain", "fatally", "advance", "control"} <= gate.cues  # a fact with no number
    assert "take" not in gate.cues  # 'took control of' gates on its object
    assert {"flee", "life"} <= gate.count_cues and not gate.count_cues & gate.cues  # a fact only with a number


def test_units_nouns_phrases_and_look_back(gate):
    assert "control" in gate.unit_cues["percent"] and "away" in gate.unit_cues["metre"] and "truce" in gate.unit_cues["week"]
    assert "returnee" in gate.metric_nouns and gate.lookback == 2
    assert gate.cue_phrases and len(gate.date_cues) == 1


def test_a_trigger_added_to_the_rules_reaches_the_gate(tmp_path):
    rules = copied_rules(tmp_path)
    add_trigger(rules, "killed", "vanquish")
    gate = SentenceGate(blank_pipeline(*COMPONENTS, gazetteer=tiny_gazetteer(), rules_dir=str(rules)))
    assert "vanquish" in gate.cues


def test_cue_forms_without_a_lemmatizer_are_the_lemmas():
    assert cue_forms(["Kill", "take"]) == {"kill", "take"}
