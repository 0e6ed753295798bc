import shutil

import pytest

from pipeline.extract.gazetteer import DEFAULT_DIR, fold, load_gazetteer

AFGHAN_PROVINCES = {
    "Badakhshan", "Badghis", "Baghlan", "Balkh", "Bamyan", "Daykundi", "Farah", "Faryab", "Ghazni", "Ghor",
    "Helmand", "Herat", "Jowzjan", "Kabul", "Kandahar", "Kapisa", "Khost", "Kunar", "Kunduz", "Laghman",
    "Logar", "Nangarhar", "Nimroz", "Nuristan", "Paktia", "Paktika", "Panjshir", "Parwan", "Samangan",
    "Sar-e Pul", "Takhar", "Uruzgan", "Wardak", "Zabul",
}


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def readings(gaz, name):
    return [gaz.entries[c.index] for c in gaz.lookup(name)]


def admin1_of(gaz, country):
    return {e.name for e in gaz.entries if e.feature == "admin1" and e.country_code == country}


def test_all_afghan_provinces_with_points_inside_afghanistan(gaz):
    assert admin1_of(gaz, "AF") == AFGHAN_PROVINCES
    for entry in gaz.entries:
        if entry.feature == "admin1" and entry.country_code == "AF":
            assert 29 < entry.latitude < 39 and 60 < entry.longitude < 75.5, entry


@pytest.mark.parametrize("spelling, province", [
    ("Paktya", "Paktia"), ("Paktia", "Paktia"), ("Sar-e Pul", "Sar-e Pul"), ("Sar-e-Pol", "Sar-e Pul"),
    ("Oruzgan", "Uruzgan"), ("Zabul", "Zabul"), ("HELMAND", "Helmand"), ("Nangarhar", "Nangarhar"),
])
def test_province_spellings(gaz, spelling, province):
    assert province in {e.name for e in readings(gaz, spelling) if e.feature == "admin1" and e.country_code == "AF"}


def test_governorates_of_syria_and_iraq(gaz):
    assert len(admin1_of(gaz, "SY")) == 14
    assert len(admin1_of(gaz, "IQ")) == 18
    assert {"Idlib Governorate", "Aleppo Governorate", "Rif Dimashq Governorate"} <= admin1_of(gaz, "SY")


def test_cities_carry_admin1_names(gaz):
    aleppo = next(e for e in readings(gaz, "Aleppo") if e.feature == "city")
    assert (aleppo.geonameid, aleppo.country_code, aleppo.admin1) == (170063, "SY", "Aleppo Governorate")
    lashkar_gah = next(e for e in readings(gaz, "Lashkar Gah") if e.country_code == "AF")
    assert lashkar_gah.admin1 == "Helmand"
    austin = max((e for e in readings(gaz, "Austin") if e.country_code == "US"), key=lambda e: e.population)
    assert austin.admin1 == "Texas"


def test_curated_district_takes_its_city_point(gaz):
    (shaar,) = readings(gaz, "Shaar")
    aleppo = next(e for e in readings(gaz, "Aleppo") if e.feature == "city")
    assert (shaar.feature, shaar.country_code, shaar.admin1) == ("district", "SY", "Aleppo Governorate")
    assert (shaar.latitude, shaar.longitude) == (aleppo.latitude, aleppo.longitude)
    assert shaar.geonameid is None


def test_countries_have_reference_points_and_aliases(gaz):
    (syria,) = readings(gaz, "Syria")
    assert (syria.feature, syria.country_code, syria.latitude, syria.longitude) == ("country", "SY", 35, 38)
    assert {e.country_code for e in readings(gaz, "U.S.")} == {"US"}
    assert {e.country_code for e in readings(gaz, "Britain")} == {"GB"}


def test_demonyms_are_country_codes_not_places(gaz):
    assert {d: gaz.demonyms[d] for d in ("Syrian", "Afghan", "Iraqi", "Russian", "American", "Afghans")} == {
        "Syrian": "SY", "Afghan": "AF", "Iraqi": "IQ", "Russian": "RU", "American": "US", "Afghans": "AF"}


def test_fold_ignores_case_accents_and_punctuation():
    assert fold("Sar-e Pul") == fold("SAR-E-PUL") == fold("Sar e Pūl") == "sar e pul"
    assert fold("Ma'arat") == fold("Ma’arat") == "maarat"


def test_extra_curated_file_and_population_threshold(tmp_path):
    folder = tmp_path / "gazetteer"
    shutil.copytree(DEFAULT_DIR, folder)
    (folder / "places_extra.csv").write_text(
        "name,alternate_names,feature,country_code,admin1,parent,latitude,longitude,geonameid,admin1_code\n"
        "Marjah,Marja,district,AF,Helmand,,31.52,64.12,,\n", encoding="utf-8")
    gaz = load_gazetteer(str(folder), 15000)
    (marjah,) = [gaz.entries[c.index] for c in gaz.lookup("Marja")]
    assert (marjah.name, marjah.admin1, marjah.latitude) == ("Marjah", "Helmand", 31.52)
    cities = [e for e in gaz.entries if e.feature == "city"]
    assert cities and min(e.population for e in cities) >= 15000


@pytest.mark.parametrize("abbreviation, state", [("Calif.", "California"), ("N.C.", "North Carolina"), ("Wis.", "Wisconsin")])
def test_state_abbreviations_are_names_of_the_state_itself(gaz, abbreviation, state):
    (entry,) = readings(gaz, abbreviation)
    assert entry in readings(gaz, state)
    assert (entry.feature, entry.country_code, entry.latitude is not None) == ("admin1", "US", True)


def test_world_regions_have_points(gaz):
    for name in ("Middle East", "Latin America", "Korean Peninsula", "EU"):
        (entry,) = readings(gaz, name)
        assert entry.feature == "region" and entry.latitude is not None, name


def test_first_level_divisions_of_other_countries_have_their_own_points(gaz):
    (cape,) = readings(gaz, "Western Cape")
    assert (cape.feature, cape.country_code, cape.admin1, cape.population) == ("admin1", "ZA", "Western Cape", 0)
    assert -35 < cape.latitude < -30 and 17 < cape.longitude < 24
    (hampshire,) = [e for e in readings(gaz, "Hampshire") if e.country_code == "GB"]  # a county: GeoNames' admin2
    assert (hampshire.feature, hampshire.admin1, hampshire.admin2) == ("admin2", "England", "Hampshire")
    assert len([e for e in gaz.entries if e.feature == "admin1" and e.country_code == "UA"]) == 27  # curated list kept


@pytest.mark.parametrize("city, country, admin1, admin2", [
    ("Karachi", "PK", "Sindh", "Karachi District"), ("Comilla", "BD", "Chittagong", None),
    ("Maiduguri", "NG", "Borno", None), ("Austin", "US", "Texas", "Travis County"),
    ("Guadalajara", "MX", "Jalisco", None),
])
def test_cities_worldwide_carry_geonames_admin1_and_admin2(gaz, city, country, admin1, admin2):
    entry = max((e for e in readings(gaz, city) if e.feature == "city" and e.country_code == country),
                key=lambda e: e.population)
    assert (entry.admin1, entry.admin2) == (admin1, admin2)


def test_every_admin1_code_of_the_cities_is_named(gaz):
    cities = [e for e in gaz.entries if e.feature == "city"]
    assert sum(bool(e.admin1) for e in cities) / len(cities) > 0.99
    assert gaz.admin1_names[("PK", "05")] == "Sindh"


@pytest.mark.parametrize("name, country, province", [("Sindh", "PK", "Sindh"), ("Chittagong", "BD", "Chittagong"),
                                                     ("Rangpur", "BD", "Rangpur Division"), ("Jalisco", "MX", "Jalisco")])
def test_a_division_is_named_with_the_spelling_its_cities_carry(gaz, name, country, province):
    (division,) = [e for e in readings(gaz, name) if e.feature == "admin1" and e.country_code == country]
    assert division.name == division.admin1 == province
    towns = [e for e in gaz.entries if e.feature == "city" and e.admin1 == province and e.country_code == country]
    assert towns and division.population == 0  # needs the NER's support, like countrystatecity's divisions
    lat = sorted(t.latitude for t in towns)
    assert lat[0] <= division.latitude <= lat[-1]


def test_second_level_divisions_lie_in_their_first_level_one(gaz):
    (district,) = [e for e in readings(gaz, "Karachi District") if e.country_code == "PK"]
    assert (district.feature, district.admin1, district.admin2) == ("admin2", "Sindh", "Karachi District")
    assert 24 < district.latitude < 26 and 66 < district.longitude < 68
    assert district not in readings(gaz, "Karachi") and not readings(gaz, "Day")  # not by its bare name ("Day County")


def test_divisions_of_countrystatecity_sit_in_a_geonames_admin1(gaz):
    admin1 = {(e.country_code, e.name) for e in gaz.entries if e.feature == "admin1"}
    divisions = [e for e in gaz.entries if e.feature in ("admin1", "admin2") and e.admin1]
    assert sum((e.country_code, e.admin1) in admin1 for e in divisions) / len(divisions) > 0.99
