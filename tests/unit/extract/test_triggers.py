"""The triggers component on hand-built Docs: which tokens say what a figure counts."""

import pytest

from tests.fixtures.docs import blank_pipeline, parse, run


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline("newsevents_triggers")


def triggered(nlp, text):
    doc = run(nlp, parse(nlp.vocab, text))
    return doc, {doc[i].text: metric for i, metric in doc._.triggers.metrics.items()}


def test_a_lemma_listed_under_a_metric_triggers_it(nlp):
    _, found = triggered(nlp, "Security forces arrested the men and 300 families fled.")
    assert found == {"arrested": "detained", "fled": "displaced"}  # 'forces' (lemma 'force') triggers only as a verb


def test_a_verb_only_lemma_still_names_its_event_as_a_noun(nlp):
    doc, found = triggered(nlp, "The International Security Assistance Force confirmed the capture of a Taliban leader in Ghazni Saturday.")
    capture = next(t for t in doc if t.text == "capture")
    assert "capture" not in found and doc._.triggers.named[capture.i] == "detained"


def test_a_fatal_adverb_makes_its_verb_a_killing_and_marks_what_it_modifies(nlp):
    doc, found = triggered(nlp, "A man was fatally shot Saturday in Chicago.")
    assert found == {"shot": "killed"}
    doc, _ = triggered(nlp, "Four people were shot, two of them fatally, in a drive-by shooting in Milwaukee.")
    assert [doc[i].text for i in doc._.triggers.fatal] == ["two"]  # 'two of them fatally'


def test_the_marks_are_token_attributes_for_patterns(nlp):
    doc, _ = triggered(nlp, "Two gunmen killed 12 soldiers in Zamfara.")
    killed, gunmen = doc[2], doc[1]
    assert (killed._.trigger, killed._.is_trigger, gunmen._.trigger, gunmen._.is_trigger) == ("killed", True, "", False)


def test_it_tells_the_gate_each_metrics_words(nlp):
    cues = nlp.get_pipe("newsevents_triggers").gate_cues()
    assert {"kill", "fatally", "mortally"} <= cues.metric_words["killed"] and "flee" in cues.metric_words["displaced"]


@pytest.mark.parametrize("text, verb, metric", [
    ("A teenager was shot in the leg.", "shot", "injured"),  # a shooting without a fatal word wounds
    ("Gunmen shot dead a man in the market.", "shot", "killed"),  # a fatal complement
    ("A teenager was stabbed to death.", "stabbed", "killed"),  # a fatal phrase
    ("Police shot and killed a suspect.", "shot", "killed"),  # a killing joined to it
    ("He and eight others were gunned down outside a bar.", "gunned", "killed"),  # a verb and its particle
])
def test_a_harm_verb_wounds_unless_a_fatal_word_makes_it_a_killing(nlp, text, verb, metric):
    _, found = triggered(nlp, text)
    assert found[verb] == metric


def test_the_gate_knows_the_harm_and_phrasal_verbs(nlp):
    cues = nlp.get_pipe("newsevents_triggers").gate_cues()
    assert "shoot" in cues.metric_words["injured"] and "gun" in cues.metric_words["killed"]
