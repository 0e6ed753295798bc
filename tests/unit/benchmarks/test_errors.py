"""The cause a GeoWebNews geocoding miss is filed under."""

from benchmarks.errors import geonames_kinds, miss_cause

KINDS = {6252001: ("country", "US"), 5128581: ("city", "US"), 4331987: ("admin1", "US"), 1: ("small town", "GB")}


def gold(geonameid=None, lat=40.0, lon=-98.0):
    return {"geonameid": geonameid, "lat": lat, "lon": lon}


def test_miss_causes():
    assert miss_cause(None, gold(5128581), KINDS) == "not found: city"
    assert miss_cause(None, gold(None), KINDS) == "not found: no GeoNames id"
    assert miss_cause(None, gold(99), KINDS) == "not found: other feature"
    assert miss_cause({"latitude": None, "longitude": None}, gold(1), KINDS) == "found, no coordinates"
    us = {"latitude": 38.0, "longitude": -97.0, "country_code": "US"}
    assert miss_cause(us, gold(6252001, 60.1, -113.6), KINDS) == "country point differs"
    assert miss_cause({**us, "country_code": "CA"}, gold(6252001), KINDS).startswith("wrong entry: gold is a country")
    assert miss_cause(us, gold(99), KINDS) == "wrong point: gold is a place the gazetteer lacks (other feature)"


def test_geonames_kinds_from_the_packaged_lists():
    kinds = geonames_kinds()
    assert kinds[6252001] == ("country", "US")  # United States
    assert kinds[4331987] == ("admin1", "US")  # Louisiana
    assert kinds[5128581] == ("city", "US")  # New York City
