from pipeline.extract.divisions import Place, admin1_names, match, read_places, source_file


def city(geonameid, name, lat, lon, admin1code="05", alternates=(), country="PK"):
    return {"geonameid": geonameid, "name": name, "latitude": lat, "longitude": lon, "countrycode": country,
            "admin1code": admin1code, "alternatenames": list(alternates)}


ROWS = [
    Place("Karachi", "PK", "Sindh", "Karachi District", 24.9056, 67.0822),
    Place("Hyderabad", "PK", "Sindh", "Hyderabad District", 25.3960, 68.3578),
    Place("Mirpur Khas", "PK", "Sindh", "", 25.5276, 69.0111),
]


def test_the_package_file_holds_geonames_cities1000():
    rows = read_places(source_file())
    assert len(rows) == 144563
    assert Place("Karachi", "PK", "Sindh", "Karachi District", 24.9056, 67.0822) in rows


def test_a_city_is_the_row_of_its_name_nearby_or_of_an_ascii_alternate_name():
    found = match([city(1, "Karachi", 24.906, 67.082), city(2, "Ḥaidarābād", 25.392, 68.374, alternates=["Hyderabad"]),
                   city(3, "Hyderabad", 17.38, 78.46, country="IN"), city(4, "Kotri", 25.36, 68.31)], ROWS)
    assert found == {1: ROWS[0], 2: ROWS[1]}  # not another country's, nor another name's


def test_an_admin1_code_takes_the_name_most_of_its_cities_carry():
    cities = [city(1, "Karachi", 24.9, 67.1), city(2, "Hyderabad", 25.4, 68.4), city(3, "Kotri", 25.4, 68.3)]
    places = {1: ROWS[0], 2: ROWS[1], 3: Place("Kotri", "PK", "Balochistan", "", 25.4, 68.3)}
    assert admin1_names(cities, places) == {("PK", "05"): "Sindh"}
