"""Links: DependencyMatcher patterns matched from a token find what spaCy's DependencyMatcher finds."""

import pytest
from spacy.matcher import DependencyMatcher

from pipeline.extract.links import Links, expand, first_match
from pipeline.rules import load_patterns, load_rules
from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.parses import PARSES

WORDS = {**load_rules("word_classes"), **load_rules("counting")}


@pytest.fixture(scope="module")
def nlp():
    return blank_pipeline("newsevents_triggers")


@pytest.fixture(scope="module")
def docs(nlp):
    return [run(nlp, parse(nlp.vocab, text)) for text in PARSES]


def test_every_counting_pattern_matches_from_its_head_what_spacy_matches_over_the_doc(nlp, docs):
    """For every pattern and every frozen parse: spaCy's matches (less those its 'unless'
    nodes extend) are the anchored matches, each from its head and with its 'below'."""
    patterns = load_patterns("counting")
    links = Links(nlp.vocab, patterns, WORDS)
    matcher = DependencyMatcher(nlp.vocab)
    for entry in patterns:
        matcher.add(entry["id"], [expand(entry["pattern"], WORDS)])
        if "unless" in entry:
            matcher.add(entry["id"] + ".unless", [expand(entry["pattern"] + entry["unless"], WORDS)])
    matched = 0
    for doc in docs:
        spacy_found = {}
        for match_id, tokens in matcher(doc):
            spacy_found.setdefault(nlp.vocab.strings[match_id], set()).add(tuple(tokens))
        for entry in patterns:
            names = [node["RIGHT_ID"] for node in entry["pattern"]]
            vetoed = {tokens[:len(names)] for tokens in spacy_found.get(entry["id"] + ".unless", ())}
            expected = spacy_found.get(entry["id"], set()) - vetoed
            heads = {tokens[0] for tokens in expected} | {t.i for t in doc if links[entry["id"]].nodes[0].holds(t)}
            anchored = set()
            for head in heads:
                belows = {tokens[names.index("below")] for tokens in expected if tokens[0] == head} if "below" in names else {None}
                for below in belows:
                    for match in links[entry["id"]].matches(doc[head], None if below is None else doc[below]):
                        anchored.add(tuple(match[name].i for name in names))
            assert anchored == expected, (entry["id"], doc.text)
            matched += len(expected)
    assert matched > 50  # the parses do exercise the patterns


def test_below_is_the_token_climbed_from_and_left_out_without_a_climb(nlp):
    links = Links(nlp.vocab, [{"id": "object_of_kill", "pattern": [
        {"RIGHT_ID": "head", "RIGHT_ATTRS": {"LEMMA": "kill"}},
        {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "below", "RIGHT_ATTRS": {"DEP": "dobj"}}]}], {})
    doc = run(nlp, parse(nlp.vocab, "Two gunmen killed 12 soldiers in Zamfara."))
    killed, gunmen, soldiers = doc[2], doc[1], doc[4]
    link = links["object_of_kill"]
    assert [m["below"].text for m in link.matches(killed, soldiers)] == ["soldiers"]
    assert link.matches(killed, gunmen) == []  # the subject is no object
    assert [sorted(m) for m in link.matches(killed, None)] == [["head"]]  # no climb: the node is left out


def test_unless_nodes_veto_a_match(nlp):
    pattern = [{"RIGHT_ID": "head", "RIGHT_ATTRS": {"LEMMA": "kill"}},
               {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "object", "RIGHT_ATTRS": {"DEP": "dobj"}}]
    without = {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "subject", "RIGHT_ATTRS": {"DEP": "nsubj"}}
    links = Links(nlp.vocab, [{"id": "plain", "pattern": pattern}, {"id": "subjectless", "pattern": pattern, "unless": [without]}], {})
    doc = run(nlp, parse(nlp.vocab, "Two gunmen killed 12 soldiers in Zamfara."))
    assert len(links["plain"].matches(doc[2], None)) == 1 and links["subjectless"].matches(doc[2], None) == []


def test_a_word_list_stands_in_a_pattern_by_its_name():
    pattern = [{"RIGHT_ID": "head", "RIGHT_ATTRS": {"LEMMA": {"IN": ["@verbs", "die"]}, "_": {"trigger": {"NOT_IN": ["@none"]}}}}]
    assert expand(pattern, {"verbs": ["kill", "slay"], "none": [""]})[0]["RIGHT_ATTRS"] == {
        "LEMMA": {"IN": ["kill", "slay", "die"]}, "_": {"trigger": {"NOT_IN": [""]}}}


def test_steps_rank_matches_by_the_order_nodes_then_by_the_links_place(nlp):
    sibling = {"LEFT_ID": "head", "REL_OP": ">", "RIGHT_ID": "child", "RIGHT_ATTRS": {}}
    links = Links(nlp.vocab, [
        {"id": "any_child", "metric": "first", "pattern": [{"RIGHT_ID": "head", "RIGHT_ATTRS": {"LEMMA": "kill"}}, sibling]},
        {"id": "object", "metric": "object", "pattern": [{"RIGHT_ID": "head", "RIGHT_ATTRS": {"LEMMA": "kill"}},
                                                         {**sibling, "RIGHT_ATTRS": {"DEP": "dobj"}}]}], {})
    doc = run(nlp, parse(nlp.vocab, "Two gunmen killed 12 soldiers in Zamfara."))
    by_place = links.steps([{"link": ["object", "any_child"]}], {})
    by_child = links.steps([{"link": ["object", "any_child"], "order": ["child"]}], {})
    assert first_match(by_place, doc[2])[1].id == "object"
    assert first_match(by_child, doc[2])[2]["child"].text == "gunmen"  # the first child in the sentence
    assert first_match(links.steps([{"stop": ["object"]}], {}), doc[2])[0].stop


@pytest.mark.parametrize("pattern, error", [
    ([{"RIGHT_ID": "verb", "RIGHT_ATTRS": {}}], "first node"),
    ([{"RIGHT_ID": "head", "RIGHT_ATTRS": {}}, {"LEFT_ID": "head", "REL_OP": "$++", "RIGHT_ID": "x", "RIGHT_ATTRS": {}}], "relation"),
    ([{"RIGHT_ID": "head", "RIGHT_ATTRS": {"LEMMA": {"REGEX": "kill"}}}], "value, IN and NOT_IN"),
    ([{"RIGHT_ID": "head", "RIGHT_ATTRS": {}}, {"LEFT_ID": "head", "REL_OP": "<", "RIGHT_ID": "below", "RIGHT_ATTRS": {}}], "child of"),
])
def test_what_links_cannot_match_is_refused(nlp, pattern, error):
    with pytest.raises(ValueError, match=error):
        Links(nlp.vocab, [{"id": "odd", "pattern": pattern}], {})
