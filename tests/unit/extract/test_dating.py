"""The dates component on hand-built Docs: when each fact happened, and whether it is a running total."""

from datetime import date

import pytest

from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.gazetteer import tiny_gazetteer

COMPONENTS = ("newsevents_quantities", "newsevents_places", "newsevents_triggers", "newsevents_counting", "newsevents_territory",
              "newsevents_attribution", "newsevents_dates")


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline(*COMPONENTS, gazetteer=tiny_gazetteer())


def facts(nlp, text, published):
    return run(nlp, parse(nlp.vocab, text), published=published)._.facts


def test_a_relative_cue_dates_the_fact_against_the_publication(nlp):
    (killed,) = facts(nlp, "Coalition forces killed two insurgents in Helmand province yesterday.", date(2013, 1, 25))
    assert (killed.date.start, killed.date.precision) == (date(2013, 1, 24), 1)


def test_a_sentence_without_a_cue_goes_on_in_the_last_time_said_since_the_fact_before(nlp):
    found = facts(nlp, "Afghan and coalition forces today confirmed the death of a Taliban leader in Kunar province. He was killed "
                       "in an airstrike Saturday. Also killed in the strike were more than a dozen armed insurgents.", date(2012, 9, 17))
    (dozen,) = [f for f in found if f.value == 12]
    assert dozen.date.start == date(2012, 9, 15)


def test_a_fact_with_no_cue_since_the_fact_before_waits_for_that_facts_date(nlp):
    first, again = facts(nlp, "Afghan forces detained a Taliban facilitator and several suspects in Zabul province yesterday. "
                              "The team detained the man and three additional suspects in the Qalat district.", date(2010, 12, 21))[1:]
    assert first.date.start == date(2010, 12, 20)
    assert again.reading.date_from_before  # the restatement component gives it the date of the fact before


def test_a_running_total_and_a_past_year(nlp):
    (killed,) = facts(nlp, "Since 2011, more than 400,000 people have been killed in Syria.", date(2024, 3, 14))
    assert killed.is_cumulative and (killed.date.start, killed.date.end, killed.date.precision) == (date(2011, 1, 1), date(2024, 3, 14), 5)


def test_a_territorial_fact_without_a_day_takes_its_month(nlp):
    (captured,) = facts(nlp, "Mosul fell to Islamic State fighters in June 2014.", date(2024, 3, 14))
    assert (captured.date.start, captured.date.precision, captured.is_cumulative) == (date(2014, 6, 1), 4, False)


def test_without_a_reference_there_is_no_date(nlp):
    (killed,) = facts(nlp, "Coalition forces killed two insurgents in Helmand province yesterday.", None)
    assert killed.date.start is None


def test_it_tells_the_gate_its_time_phrases(nlp):
    assert "yesterday" in nlp.get_pipe("newsevents_dates").gate_cues().dates
