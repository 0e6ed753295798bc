"""Sentence gating: which sentences the model sees, and that the facts do not change."""

import pytest

from pipeline.extract.gating import SentenceGate, cue_forms, gated_pipe
from pipeline.extract.nlp import build_nlp
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(Settings().model)


@pytest.fixture(scope="module")
def gate(nlp):
    return SentenceGate(nlp)


def gated(nlp, gate, text):
    return next(gated_pipe(nlp, gate, [nlp.make_doc(text)], batch_size=8))


FILLER = "The weather was mild and the markets were quiet for most of the morning. "


@pytest.mark.parametrize("signal", [
    "Rebels shelled the bridge and 12 soldiers were wounded.",  # a number
    "Government troops killed the commander.",  # a casualty cue, no number
    "A man was fatally shot near the market.",  # no trigger lemma, a fatal adverb
])
def test_a_sentence_with_a_number_or_cue_is_parsed_one_without_is_not(nlp, gate, signal):
    text = FILLER * 3 + signal + " " + FILLER * 3
    doc = gated(nlp, gate, text)
    start = text.index(signal)
    parsed = [t for t in doc if t.dep_ and t.idx >= len(FILLER)]  # the first sentence is always parsed
    assert parsed and all(start <= t.idx < start + len(signal) for t in parsed)
    assert {t.text for t in parsed} >= {t for t in signal.rstrip(".").split()}
    assert doc.text == text and [t.idx for t in doc] == [t.idx for t in nlp.make_doc(text)]


def parsed_words(doc, sentence, text):
    start = text.index(sentence)
    return [t.text for t in doc if start <= t.idx < start + len(sentence) and t.dep_]


def test_a_number_that_cannot_be_a_fact_alone_is_not_parsed(nlp, gate):
    sentence = "The new bridge has 12 lanes and cost 40 dollars a metre."
    text = FILLER * 3 + sentence + " " + FILLER * 3
    doc = gated(nlp, gate, text)
    assert doc._.quantities and not parsed_words(doc, sentence, text)


@pytest.mark.parametrize("sentence", [
    "By nightfall the front line was 800 metres away from the citadel.",  # a distance beside a distance word
    "By nightfall the rebels held 30 percent of the city.",  # a share beside a control verb
    "The 72-hour truce was agreed on the phone.",  # a duration of a truce
    "By nightfall 2,530 returnees were counted in the town.",  # the noun is the metric
    "By nightfall 3,030 people lost\ntheir homes in the town.",  # a cue phrase over a line break
])
def test_a_number_that_can_be_a_fact_without_a_cue_word_is_parsed(nlp, gate, sentence):
    text = FILLER * 3 + sentence + " " + FILLER * 3
    doc = nlp.make_doc(text)
    start = next(t.i for t in doc if t.idx == text.index(sentence))
    assert not gate._cue(doc, start, start + len(nlp.make_doc(sentence)))  # no cue word: the number decides
    assert len(parsed_words(gated(nlp, gate, text), sentence, text)) >= 5


@pytest.mark.parametrize(("sentence", "parsed"), [
    ("Security forces patrolled the market and the roads near the school.", False),  # a trigger form, no number
    ("Security forces said 300 families were forced from the market.", True),  # a count beside a trigger
    ("Security forces arrested the market's owner.", True),  # a trigger that counts one person
    ("The talks resume in March after the holidays.", False),  # "March" the month is no verb
    ("Residents took the bus to the market after the holidays.", False),  # 'take' counts only with 'control'
    ("Rebels took control of Bunia after the holidays.", True),
])
def test_a_trigger_that_makes_a_fact_only_with_a_number_needs_one(nlp, gate, sentence, parsed):
    text = FILLER * 3 + sentence + " " + FILLER * 3
    assert bool(parsed_words(gated(nlp, gate, text), sentence, text)) is parsed


def test_a_count_a_later_cue_sentence_refers_back_to_is_parsed(nlp, gate):
    text = FILLER * 3 + "Three insurgents fired on the patrol from a compound. The patrol returned fire and killed the insurgents."
    doc = gated(nlp, gate, text)
    assert parsed_words(doc, "Three insurgents fired", text)
    assert [(f.metric, f.value) for f in doc._.facts] == [("killed", 3.0)]


def test_a_sentence_that_only_names_a_place_gets_entities_but_no_parse(nlp, gate):
    signal = "The convoy went on to Baghdad with the Syrian envoy and Aleppo's governor."
    text = FILLER * 3 + signal + " " + FILLER * 3
    doc = gated(nlp, gate, text)
    start = text.index(signal)
    assert not any(t.dep_ or t.tag_ for t in doc if t.idx >= len(FILLER))
    assert [e.text for e in doc.ents if e.start_char >= start][:2] == ["Baghdad", "Syrian"]
    assert [p.text for p in doc._.places] == ["Baghdad", "Aleppo"]  # Aleppo: a known name the NER passed over
    assert [p.text for p in doc._.associative_places] == ["Syrian"]  # "Syrian envoy": a demonym before a noun


def test_an_article_without_any_signal_has_only_its_first_sentence_parsed(nlp, gate):
    doc = gated(nlp, gate, FILLER * 4)
    sentences = list(doc.sents)
    assert len(sentences) == 4 and not doc.ents and doc._.facts == []
    assert all(t.dep_ for t in sentences[0]) and not any(t.dep_ for s in sentences[1:] for t in s)


def test_cue_forms_cover_inflections_and_irregular_forms(nlp):
    forms = cue_forms(["kill", "take", "wound"], nlp.get_pipe("lemmatizer").lookups)
    assert {"kill", "kills", "killed", "killing", "took", "taken", "wounded"} <= forms
    assert "market" not in forms


def test_facts_on_the_seed_article_are_the_same_with_gating(nlp, gate, seed_path):
    text = seed_path.read_text(encoding="utf-8")

    def key(doc):
        return [(f.metric, f.value, f.qualifier, f.start_char, f.end_char, getattr(f.place, "place_name", None),
                 f.claimed_by, f.modality) for f in doc._.facts]

    full = nlp(text)
    assert key(gated(nlp, gate, text)) == key(full) and len(full._.facts) >= 10


@pytest.mark.parametrize("name", ["Aleppo's", "(Aleppo)", "DAMASCUS", "Kandahār", "the old citadel", "Syrian"])
def test_the_leading_letters_filter_keeps_every_name_the_windows_would_find(nlp, gate, name):
    sentence = f"Later that week {name} was quiet."
    doc = nlp.make_doc(FILLER + sentence)
    start = next(t.i for t in doc if t.idx == len(FILLER))
    assert gate.places.names_a_place(doc, doc.text, start, len(doc))


def test_the_leading_letters_filter_skips_words_that_start_no_name(nlp, gate):
    doc = nlp.make_doc("Yesterday Xqzvw said nothing.")
    assert not any(gate.places.gaz.may_start_name(doc.text, t) for t in doc if t.text in ("Yesterday", "Xqzvw"))


def test_a_piece_is_the_span_as_a_doc_with_its_norms_and_sentence_starts(nlp):
    from spacy.attrs import NORM

    from pipeline.extract.gating import _piece

    doc = nlp.get_pipe("newsevents_line_breaks")(nlp.make_doc("HEADLINE\nThey don’t know. We’re gonna see ’em in Aleppo’s east."))
    norms = doc.to_array([NORM]).reshape(-1)
    for start, end in [(0, len(doc)), (2, 9), (5, len(doc))]:
        piece, expected = _piece(doc, start, end, norms), doc[start:end].as_doc()
        assert [(t.text_with_ws, t.norm_, t.is_sent_start) for t in piece] == \
            [(t.text_with_ws, t.norm_, t.is_sent_start) for t in expected]
    assert any(t.norm_ != t.lower_ for t in doc)  # the text does exercise the tokenizer's norms


def test_a_plural_demonym_the_model_did_not_tag_is_no_place(nlp, gate):
    sentence = "Americans voted in large numbers while Palestinians watched, and Syrian towns waited."
    doc = gated(nlp, gate, FILLER * 3 + sentence)  # no number, no cue: the NER alone reads it
    assert not any(t.tag_ for t in doc if t.text == "Americans")
    assert [p.text for p in doc._.associative_places] == ["Syrian"]
