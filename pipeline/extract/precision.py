"""How exact a place mention is, two ways.

``geo_precision`` is how well its point is known, on UCDP's where_prec scale (the codes are
``schema.GEO_PRECISION``): the point of a town is exact (1), but "east Aleppo", a district
the gazetteer lacks put at the city it is named with, or a name put at the place the
article is mostly about, sit on another place's point, so they are no more exact than
"within about 25 km" of it (2), or than that place's own class when it is coarser (a
district put on its province's centre is known to the province, 4).

``specificity`` is how fine a place the text names, whatever its point: "Andar district,
Ghazni province" names a place inside Ghazni, so Andar is finer than Ghazni though both sit
on Ghazni's centre. Facts take the finest place their clause names (``facts``).
"""

from pipeline.schema import FEATURE_GEO_PRECISION

NEAR_A_POINT = 2  # where_prec: within about 25 km of a known point
BORROWED_POINT = ("within", "nearby")  # resolution methods that put a name the gazetteer lacks on another place's point
INSIDE_ITS_CONTAINER = 0.5  # a borrowed point's place is finer than the place whose point it took


def geo_precision(place) -> int | None:
    """The where_prec of a place mention's point; None for a place with no point."""
    entry = getattr(place, "entry", None)
    if entry is None:
        return None
    precision = _class(place)
    if precision is None or place.own_point:
        return precision
    return max(NEAR_A_POINT, precision)


def specificity(place) -> float | None:
    """How fine a place the text names (smaller is finer, on the where_prec scale); None for a
    place the gazetteer could not resolve, or one put where the article is mostly about,
    which says nothing of where this happened."""
    entry = getattr(place, "entry", None)
    if entry is None or place.resolution_method == "nearby":
        return None
    if place.resolution_method == "within":
        own = _class(place)
        return None if own is None else own - INSIDE_ITS_CONTAINER
    return _class(place)


def _class(place) -> int | None:
    """The where_prec class of the kind of place it is: a borrowed point's mention has no feature
    of its own and takes that of the place whose point it took; a part of a province
    ("northern Helmand") is known to the province."""
    entry = place.entry
    if place.feature is None or place.feature == "region" and entry.feature in ("admin1", "admin2"):
        return FEATURE_GEO_PRECISION.get(entry.feature)
    return FEATURE_GEO_PRECISION.get(place.feature)


def contains(outer, inner) -> bool:
    """Whether place mention ``inner`` lies in ``outer``, a country, region or division, by the
    gazetteer's hierarchy (the country, admin1 and admin2 each entry carries)."""
    a, b = outer.entry, inner.entry
    if a is None or b is None or not a.country_code or a.country_code != b.country_code:
        return False
    if outer.resolution_method in BORROWED_POINT:
        return False  # its entry is another place's: what lies in that need not lie in it
    level = a.feature  # the entry's: "northern Helmand" is a region on Helmand's entry, "eastern Syria" on Syria's
    if level in ("country", "region"):
        return True
    if level == "admin1":
        return bool(a.admin1) and a.admin1 == b.admin1
    if level == "admin2":
        return bool(a.admin2) and a.admin2 == b.admin2
    return False
