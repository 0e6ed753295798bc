"""The counting component on hand-built Docs: which quantities and which people are facts.

Each construction of ``counting.jsonl`` is tried on a parse where it is the one that
decides; the component also sees the quantities and triggers components' output, which
need no model.
"""

import json

import pytest

from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.gazetteer import tiny_gazetteer
from tests.fixtures.rules import copied_rules, edit_table

COMPONENTS = ("newsevents_quantities", "newsevents_places", "newsevents_triggers", "newsevents_counting")


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline(*COMPONENTS, gazetteer=tiny_gazetteer())


def facts(nlp, text):
    return run(nlp, parse(nlp.vocab, text))._.facts


def counts(nlp, text):
    return [(f.metric, f.value) for f in facts(nlp, text)]


@pytest.mark.parametrize("text, found", [
    ("Two gunmen killed 12 soldiers in Zamfara.", [("killed", 12)]),  # the subject of an active killing did it
    ("Clashes left 30 dead in Tripoli.", [("killed", 30)]),
    ("The death toll from Saturday's bombing has risen to 57.", [("killed", 57)]),
    ("Officials put the death toll at 30.", [("killed", 30)]),
    ("The number of people killed in the floods rose to 74.", [("killed", 74)]),
    ("The death toll rose by 10 overnight.", []),  # a change of the toll, not its level
    ("Among the dead were five children and two women.", [("killed", 5), ("killed", 2)]),
    ("Five policemen were among those killed.", [("killed", 5)]),
    ("The attack claimed the lives of 12 people.", [("killed", 12)]),
    ("The program saved 12 lives.", []),
    ("Four people were shot, two of them fatally, in a drive-by shooting in Milwaukee.", [("injured", 2), ("killed", 2)]),  # the dead leave the wounded
    ("An air strike killed five members of one family, including three children.", [("killed", 5), ("killed", 3)]),
    ("Coalition forces are investigating an incident where one Afghan civilian was killed and four received minor injuries "
     "during an engagement with insurgents.", [("killed", 1), ("injured", 4)]),
    ("10,000 Displaced by Assam Floods", [("displaced", 10000)]),  # the parser hung the count on its verb
])
def test_a_construction_links_a_count_to_its_trigger(nlp, text, found):
    assert counts(nlp, text) == found


def test_a_passive_verb_sharing_the_subject_and_a_state_noun_after_into(nlp):
    found = facts(nlp, "During the operation several insurgents presented an immediate threat to the combined force and were "
                       "killed, two men were taken into custody by Afghan authorities.")
    assert [(f.metric, f.value, f.value_low, f.qualifier) for f in found] == [("killed", None, 3, "vague"), ("detained", 2, None, "exact")]


def test_the_next_clause_with_its_own_subject_stops_the_climb(nlp):
    found = counts(nlp, "Four Afghan civilians were brought to a nearby ISAF base following the engagement, three died and one was wounded.")
    assert found == [("killed", 3), ("injured", 1)]


@pytest.mark.parametrize("text, metric, subject", [
    ("A man was fatally shot Saturday in Chicago.", "killed", "men"),
    ("A teenager was shot dead in Philadelphia on Wednesday.", "killed", "people"),
    ("A wounded soldier died of his wounds in hospital on Tuesday.", "killed", "soldiers"),
    ("The suspect was taken into custody on Friday.", "detained", "suspects"),
    ("The International Security Assistance Force confirmed the capture of a Taliban leader in Ghazni Saturday.", "detained", "leaders"),
])
def test_one_persons_fate_counts_one(nlp, text, metric, subject):
    (found,) = facts(nlp, text)
    assert (found.metric, found.value, found.subject, found.rule) == (metric, 1, subject, f"singular:{metric}")


def test_a_pronoun_whose_death_ends_a_life_story_counts_nobody(nlp):
    assert facts(nlp, "She died on September 8 in Dar es Salaam.") == []


def test_a_verb_joined_to_a_passive_shares_its_subject(nlp):
    assert counts(nlp, "An armed man fired on the force. He was engaged and killed.") == [("killed", 1)]


def test_a_denied_harm_counts_none_and_says_so(nlp):
    (found,) = facts(nlp, "No one was killed in the attack, the army said.")
    assert (found.metric, found.value, found.reading.denied) == ("killed", 0, True)


def test_a_sub_count_hangs_under_its_total(nlp):
    total, children = facts(nlp, "The most recent offensive has left more than 341 people dead in east Aleppo, including 44 children, "
                                 "the Syrian Observatory for Human Rights says.")
    assert (total.value, total.value_low, children.value, children.subject, children.parent) == (341, 342, 44, "children", 0)


def test_a_definite_plural_takes_the_amount_counted_before(nlp):
    (found,) = facts(nlp, "During the operation, the CRU positively identified multiple armed insurgents displaying hostile intent. "
                          "Responding to the immediate threat, the security force engaged and killed the insurgents.")
    assert (found.rule, found.value_low, found.qualifier) == ("antecedent:killed", 3, "vague")


@pytest.mark.parametrize("text, metric, value, unit", [
    ("With the capture of Shaar, the Syrian army would hold nearly 70 percent of east Aleppo.", "territory_share", 70, "percent"),
    ("Government forces were about 800 metres away from the old citadel, Al Jazeera's reporter said.", "distance", 800, "metre"),
    ("Russia blocked a draft resolution demanding a seven-day truce in Aleppo.", "duration", 7, "day"),
    ("In Mindanao, 1,900 people were still in nine evacuation centres on 13 January.", "displaced", 1900, "people"),  # a sentence cue
])
def test_shares_distances_durations_and_sentence_cues(nlp, text, metric, value, unit):
    (found,) = facts(nlp, text)
    assert (found.metric, found.value, found.unit) == (metric, value, unit)


def test_the_place_is_the_nearest_of_the_sentence(nlp):
    (found,) = facts(nlp, "With the capture of Shaar, the Syrian army would hold nearly 70 percent of east Aleppo.")
    assert found.place.place_name == "east Aleppo" and found.reading.actor_from is not None


def test_an_analyst_adds_a_construction_without_python(tmp_path):
    """'lost their lives' is no construction of the repo's rules; a pattern line and its
    place in the climbing steps make it one."""
    text = "Twelve soldiers lost their lives in the ambush."
    rules = copied_rules(tmp_path)
    with (rules / "counting.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "lost_lives", "metric": "killed", "pattern": [
            {"RIGHT_ID": "head", "RIGHT_ATTRS": {"_": {"lower_lemma": "lose"}}},
            {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "below", "RIGHT_ATTRS": {"DEP": "nsubj"}},
            {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "lives", "RIGHT_ATTRS": {"DEP": "dobj", "_": {"lower_lemma": {"IN": ["@lives_nouns"]}}}},
        ]}) + "\n")
    edit_table(rules, "counting", lambda table: table["links"]["climbing"].insert(2, {"link": ["lost_lives"]}))
    default = blank_pipeline(*COMPONENTS, gazetteer=tiny_gazetteer())
    extended = blank_pipeline(*COMPONENTS, gazetteer=tiny_gazetteer(), rules_dir=str(rules))
    assert counts(default, text) == []
    assert counts(extended, text) == [("killed", 12)]


def test_a_pattern_spacy_would_not_match_is_refused_when_the_rules_load(tmp_path):
    rules = copied_rules(tmp_path)
    with (rules / "counting.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "broken", "pattern": [{"RIGHT_ID": "head", "RIGHT_ATTRS": {"DEPS": "nsubj"}}]}) + "\n")
    with pytest.raises(ValueError):
        blank_pipeline("newsevents_counting", rules_dir=str(rules))


def test_it_tells_the_gate_what_it_can_count(nlp):
    cues = nlp.get_pipe("newsevents_counting").gate_cues()
    assert cues.alone_metrics == {"killed", "injured", "detained", "abducted"} and "life" in cues.with_number
    assert "control" in cues.unit_words["percent"] and "truce" in cues.unit_words["day"] and cues.lookback == 2


@pytest.mark.parametrize("text, found", [
    ("Gunmen killed three herders and two miners near the mine.", [(3, "civilians"), (2, "workers")]),  # nouns of the lexicon
    ("Police said the district head and his bodyguard were killed.", [(1, "people"), (1, "guards")]),  # a conjunct beside a person
    ("He and eight others were gunned down outside a bar.", [(1, "people"), (8, "people")]),  # a pronoun and a count
    ("Four Afghan National Army (ANA) soldiers were killed in the blast.", [(4, "soldiers")]),  # the number hangs on a name
    ("A man was killed in the market by two armed men.", [(1, "men")]),  # the agent did it
    ("One police officer was killed.", [(1, "police")]),  # one mention: the number counts the noun
    ("A teenager was shot in the leg.", [(1, "people")]),
])
def test_a_victim_group_is_counted_conjunct_by_conjunct(nlp, text, found):
    assert [(f.value, f.subject) for f in facts(nlp, text)] == found


def test_who_shoots_at_someone_is_no_victim(nlp):
    assert facts(nlp, "Two insurgents shot at the patrol.") == []


def test_the_attackers_own_death_is_a_fact_of_the_perpetrators(nlp):
    found = facts(nlp, "A suicide bomber blew himself up, killing 12 people.")
    assert [(f.metric, f.value, f.subject) for f in found] == [("killed", 1, "perpetrators"), ("killed", 12, "people")]
