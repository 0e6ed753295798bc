"""The compiled attribute ruler gives the model's attribute ruler's result, token for token."""

import json
import re

import numpy
import pytest
import spacy
from spacy.pipeline import AttributeRuler

from pipeline.extract.attributes import CompiledAttributeRuler, compile_attribute_ruler
from pipeline.settings import Settings

ATTRS = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD"]
# every multi-word pattern of the model's ruler ("ai n't", "gon na", "got ta", "let 's",
# "c'm on", "y' all", "there is"), spaces with and without a parse, regex-only forms
ODD = ("Y'all gonna see: it ain't nothin', c'mon, let's go.\n\nI gets it; you gotta see me. "
       "There is a cat and there were dogs.   They told him and me. \n  ")


@pytest.fixture(scope="module")
def stock():
    return spacy.load(Settings().model)


@pytest.fixture(scope="module")
def compiled():
    nlp = spacy.load(Settings().model)
    compile_attribute_ruler(nlp)
    return nlp


def real_texts(benchmarks, per_set=25):
    texts = []
    for name in ("isaf", "idmc", "geowebnews", "ecbplus", "newsquant"):
        with (benchmarks / name / "dev" / "articles.jsonl").open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line, _ in zip(f, range(per_set))]
    return texts


def annotations(doc):
    return (doc.to_array(ATTRS).tolist(), [t.lemma_ for t in doc], [str(t.morph) for t in doc],
            [doc.has_annotation(a) for a in ATTRS])


def test_the_compiled_ruler_replaces_the_models_under_the_same_name(compiled):
    assert isinstance(compiled.get_pipe("attribute_ruler"), CompiledAttributeRuler)
    assert compiled.pipe_names == spacy.load(Settings().model).pipe_names


def assert_same_annotations(stock, compiled, texts):
    for expected, got in zip(stock.pipe(texts), compiled.pipe(texts)):
        assert annotations(got) == annotations(expected), got.text[:80]


def test_same_tags_pos_morphology_lemmas_and_labels_as_the_models_ruler(stock, compiled, seed_path):
    assert_same_annotations(stock, compiled, seed_path.read_text(encoding="utf-8").split("\n\n") + [ODD, ""])


def test_the_same_on_benchmark_articles(stock, compiled, shared_benchmarks):
    assert_same_annotations(stock, compiled, real_texts(shared_benchmarks))


def test_multi_word_patterns_set_their_words(compiled):
    doc = compiled(ODD)
    lemmas = {t.lower_: t.lemma_ for t in doc}
    assert (lemmas["gon"], lemmas["na"], lemmas["ai"]) == ("go", "to", "be")
    assert [t.pos_ for t in doc if t.lower_ in ("is", "were")] == ["VERB", "VERB"]  # after existential "there"


@pytest.mark.parametrize("token, refusal", [
    ({"ENT_TYPE": "GPE"}, "tests more than tag, form, label and space"),
    ({"DEP": {"REGEX": "^n"}}, "tests DEP by {'REGEX'}"),
    ({"LOWER": {"FUZZY": "aleppo"}}, "tests LOWER by {'FUZZY'}"),
])
def test_a_pattern_the_lookup_cannot_reproduce_is_refused(stock, token, refusal):
    ruler = AttributeRuler(stock.vocab)
    ruler.add_patterns([{"patterns": [[token]], "attrs": {"POS": "PROPN"}}])
    with pytest.raises(ValueError, match=re.escape(refusal)):
        CompiledAttributeRuler(ruler)
