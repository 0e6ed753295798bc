"""How exact a place mention's point is, and how fine a place it names."""

from pipeline.extract.gazetteer import GazetteerEntry
from pipeline.extract.places import PlaceMention
from pipeline.extract.precision import contains, geo_precision, specificity

KUNAR = GazetteerEntry("Kunar", "admin1", None, "AF", "Kunar", 34.8, 71.1, 0)
ASADABAD = GazetteerEntry("Asadabad", "city", 1147290, "AF", "Kunar", 34.87, 71.15, 48_400)
HERAT = GazetteerEntry("Herat", "city", 1139715, "AF", "Herat", 34.35, 62.2, 272_806)
AFGHANISTAN = GazetteerEntry("Afghanistan", "country", 1149361, "AF", None, 33.0, 66.0, 37_172_386)


def mention(entry, feature, method="gazetteer_unique", own_point=True, name=None):
    name = name or entry.name
    return PlaceMention(0, 1, 0, len(name), name, name, feature, entry, method, 0.9, own_point)


def test_a_town_is_exact_and_a_part_of_it_only_near_its_point():
    assert geo_precision(mention(ASADABAD, "city")) == 1
    assert geo_precision(mention(ASADABAD, "city_part", own_point=False, name="east Asadabad")) == 2


def test_a_borrowed_point_is_as_exact_as_the_place_it_came_from_and_never_exact():
    dangam_in_kunar = mention(KUNAR, None, "within", own_point=False, name="Dangam")
    street_in_town = mention(ASADABAD, None, "nearby", own_point=False, name="Bazaar Street")
    assert (geo_precision(dangam_in_kunar), geo_precision(street_in_town)) == (4, 2)


def test_a_name_put_inside_its_container_names_a_finer_place_than_it():
    dangam, kunar = mention(KUNAR, None, "within", own_point=False, name="Dangam"), mention(KUNAR, "admin1")
    assert specificity(dangam) < specificity(kunar) < specificity(mention(AFGHANISTAN, "country"))
    assert specificity(mention(ASADABAD, None, "nearby", own_point=False)) is None


def test_containment_follows_the_hierarchy_the_entries_carry():
    kunar, country = mention(KUNAR, "admin1"), mention(AFGHANISTAN, "country")
    assert contains(kunar, mention(ASADABAD, "city")) and contains(country, kunar)
    assert not contains(kunar, mention(HERAT, "city")) and not contains(mention(ASADABAD, "city"), kunar)
