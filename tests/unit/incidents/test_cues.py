"""Reading sentences with the cues of seeds/rules/incidents.json."""

from __future__ import annotations

import pytest

from pipeline import schema
from pipeline.incidents import cues as cue_rules
from pipeline.rules import load_rules

CUES = cue_rules.load()


@pytest.mark.parametrize(("sentence", "kind"), [
    ("An air strike on a market in Douma killed 14 civilians.", "air_strike"),
    ("Mortar shells hit the camp, killing three.", "shelling"),
    ("A car bomb exploded near the checkpoint.", "bombing"),
    ("A 24-year-old man was killed in a drive-by shooting late Friday.", "shooting"),
    ("Gunmen opened fire on the bus.", "shooting"),
    ("Clashes between the army and rebels left 12 dead.", "armed_clash"),
    ("Police arrested two men on Tuesday.", "arrest_raid"),
    ("Police arrested two men in connection with the shooting.", "shooting"),  # the happening before its sequel
    ("A powerful earthquake struck Aceh.", "other"),
    ("The council approved the budget.", None),
])
def test_a_sentence_takes_the_first_type_whose_phrases_it_holds(sentence, kind):
    assert CUES.read(sentence).kind == kind


def test_the_vocabulary_and_its_acled_mapping_follow_the_schema():
    rules = load_rules("incidents")
    assert tuple(rules["types"]) == schema.INCIDENT_TYPES
    assert all(isinstance(pair, list) and len(pair) == 2 for spec in rules["types"].values() for pair in spec["acled"])
    assert set(rules["metric_types"].values()) <= set(schema.INCIDENT_TYPES)


def test_compatible_kinds_share_a_family_or_follow_anything():
    assert CUES.compatible("shooting", "attack") and CUES.compatible("air_strike", "shelling")
    assert CUES.compatible("arrest_raid", "bombing") and CUES.compatible(None, "other")
    assert not CUES.compatible("shooting", "air_strike")
    assert not CUES.compatible("other", "shooting")


def test_harm_needs_violence_and_someone_harmed():
    assert CUES.reports_harm("Teen shot on South Side. A 16-year-old boy was shot in the leg.")
    assert not CUES.reports_harm("Shooting stars lit up the sky on Friday.")  # no harm word
    assert not CUES.reports_harm("Two people died in the crash.")  # harm, but no violence


def test_a_toll_update_is_no_running_total():
    assert CUES.is_toll_update("The death toll in Friday night's shooting rose to two on Sunday.")
    assert not CUES.is_toll_update("The death toll since the war began has reached 200,000.")
    assert not CUES.is_toll_update("At least 30 people have been killed this year.")


def test_separate_cues_and_additive_counts():
    assert CUES.is_separate("In a separate attack, two soldiers were killed.")
    assert not CUES.is_separate("Two soldiers were killed in the attack.")
    assert CUES.is_additive("two other men") and CUES.is_additive("Another man") and CUES.is_additive("two more officers")
    assert not CUES.is_additive("More than 200 people") and not CUES.is_additive("a 24-year-old man")


@pytest.mark.parametrize(("sentence", "ages"), [
    ("A 24-year-old man was killed.", {24}),
    ("Sixteen-year-old Kimani Gray was shot by police.", {16}),
    ("Zurana Horton, 34, was killed.", {34}),
    ("The wounded men, ages 19 and 22, were taken to a hospital.", {19, 22}),
    ("Police said 12 people were shot.", set()),
])
def test_ages_of_the_people_a_sentence_names(sentence, ages):
    assert CUES.read(sentence).ages == ages


@pytest.mark.parametrize(("sentence", "names"), [
    ("Police identified the victim as Deshawn Miller, 24, of Milwaukee.", {"deshawn", "miller"}),
    ("San Diego Chargers defensive tackle Jamal Williams was arrested on Sunday.", {"jamal", "williams"}),
    ("Jurors watched video of the murder of Zurana Horton.", {"zurana", "horton"}),
    ("Police spokeswoman Anne Schwartz said the shooting was under investigation.", set()),  # quoted, not involved
])
def test_names_of_people_named_with_an_age_or_as_harmed(sentence, names):
    reading = CUES.read(sentence)
    assert {n for phrase in reading.names for n in CUES.name_words(phrase, {"milwaukee"})} == names


def test_names_in_a_count_leave_out_places_and_titles():
    assert CUES.span_names("Sixteen-year-old Kimani Gray", set()) == {"kimani", "gray"}
    assert CUES.span_names("Horton", set()) == {"horton"}
    assert CUES.span_names("Officer John Hege", set()) == {"john", "hege"}
    assert CUES.span_names("Jackson", {"jackson"}) == set()
    assert CUES.span_names("a Brooklyn teenager", set()) == set()


@pytest.mark.parametrize(("sentence", "shot"), [
    ("A 16-year-old boy was shot in the leg Friday afternoon.", (1, 0)),
    ("Two men were shot, one fatally, near the park.", (2, 1)),
    ("Police shot a 16-year-old boy who they said had a gun.", (1, 0)),
    ("Deshawn Miller, 24, was shot twice.", (1, 0)),
    ("3 shot in overnight violence", (3, 0)),
    ("He took a shot at the title.", (0, 0)),
])
def test_people_a_sentence_says_were_shot(sentence, shot):
    reading = CUES.read(sentence)
    assert (reading.hit, reading.fatal) == shot


def test_an_alternation_built_as_a_trie_matches_each_word_whole():
    import re

    pattern = re.compile(r"\b" + cue_rules.alternation(["seven", "seventeen", "seventy", "seventy-one", "a", "an"]) + r"\b")
    assert [m.group() for m in pattern.finditer("seventeen, seven, seventy-one, seventy, an, a, sevens")] == \
        ["seventeen", "seven", "seventy-one", "seventy", "an", "a"]
