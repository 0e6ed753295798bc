"""Reference dates of articles without a publication date: the dateline rules on their own
(tokenizer only) and relative dates resolved against a month-wide reference."""

from datetime import date

import pytest
import spacy

from pipeline.extract.datelines import DatelineReader
from pipeline.extract.dates import Reference
from pipeline.rules import load_patterns, load_rules


@pytest.fixture(scope="module")
def reader():
    nlp = spacy.blank("en")
    found = DatelineReader(nlp.vocab, load_rules("dates")["reference"], load_patterns("dates"))
    return lambda text: found.reference(nlp.make_doc(text))


@pytest.mark.parametrize("text, expected", [
    # a year-less dateline takes the year of the release number's month
    ("ISAF Joint Command - Afghanistan 2010-02-AO-125 For Immediate Release\n\nKABUL, Afghanistan (Feb. 24) - An "
     "ANSF-ISAF patrol arrested a suspected IED maker yesterday.", date(2010, 2, 24)),
    # a headline that begins with month and day
    ("Apr. 23: Afghan-ISAF Operations in Eastern Afghanistan NEWS RELEASE\n\n2010-04-CA-067 For Immediate Release\n\n"
     "In Kunduz last night, a security force detained one suspected insurgent.", date(2010, 4, 23)),
    # a December dateline on a release numbered in January belongs to the year before
    ("Dec. 31: Operations in Helmand\n\n2011-01-CA-002 For Immediate Release\n\nForces detained two men today.", date(2010, 12, 31)),
    # a dateline with its own year, and a date line on a line of its own
    ("KABUL, Afghanistan (March 24, 2011) - Forces detained two men today.", date(2011, 3, 24)),
    ("Saints place Pierre Thomas on injured reserve\nWednesday, 05 January 2011\nThe injury woes continue.", date(2011, 1, 5)),
    ("Pierre Thomas out for playoffs\nPosted on January 5, 2011 at 3: 39 PM\nThe Saints placed him on IR.", date(2011, 1, 5)),
])
def test_a_dateline_gives_a_day(reader, text, expected):
    assert reader(text) == Reference(expected, expected, 1)


def test_a_release_number_alone_gives_its_month(reader):
    found = reader("ISAF Joint Command- Afghanistan 2011-07-S-039 For Immediate Release\n\n"
                   "A security force detained multiple suspected insurgents in Baghlan province, yesterday.")
    assert found == Reference(date(2011, 7, 1), date(2011, 7, 31), 4)


@pytest.mark.parametrize("text", [
    # month and day with no year anywhere in the head
    "KABUL, Afghanistan (Feb. 07)\n\nIn Maiwand district, forces detained several insurgents today.",
    # a year in the story below a year-less dateline says nothing of the dateline's year
    "KABUL, Afghanistan (Jan. 14) - Forces killed a Taliban leader Thursday. He led an attack on a school in June 2011.",
    # a date in a lead sentence is the event's, not the report's
    "Security forces arrested five men in Kandahar on March 3, 2011, after a long search through the villages of the "
    "district, officials said on the radio.",
    # no date at all; a bare number that looks like a release's year-month without its code
    "The 2010-11 season ended. Forces detained two men.",
])
def test_no_reference_without_a_dateline_and_a_year(reader, text):
    assert reader(text) is None


def test_a_year_above_the_dateline_completes_it(reader):
    found = reader("ISAF update 2011\n\nKABUL, Afghanistan (Jan. 14) - Forces killed a leader.")
    assert found == Reference(date(2011, 1, 14), date(2011, 1, 14), 1)


def test_a_month_wide_reference_keeps_dates_as_coarse_as_itself():
    july = Reference(date(2011, 7, 1), date(2011, 7, 31), 4)
    yesterday = july.shifted(-1, 0, 1)
    assert (yesterday.start, yesterday.end, yesterday.precision) == (date(2011, 6, 30), date(2011, 7, 30), 4)
    day = Reference.day(date(2011, 7, 12))
    assert (day.shifted(-1, 0, 1).start, day.shifted(-1, 0, 1).precision) == (date(2011, 7, 11), 1)
    assert (day.exact, july.exact) == (date(2011, 7, 12), None)


@pytest.mark.parametrize("text", [
    "ISAF 0000-07-S-039 For Immediate Release\n\nForces detained two men.",  # no year 0
    "KABUL, Afghanistan (March 24, 0000) - Forces detained two men today.",
])
def test_a_date_that_cannot_be_is_no_reference(reader, text):
    assert reader(text) is None


def test_a_leap_day_far_from_any_leap_year_leaves_the_release_month(reader):
    found = reader("Feb. 29: Operations\n\n2011-03-CA-002 For Immediate Release\n\nForces detained two men.")
    assert found == Reference(date(2011, 3, 1), date(2011, 3, 31), 4)
