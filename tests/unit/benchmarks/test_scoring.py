"""Scoring functions of the quality harness, on hand-built tables and gold."""

import datetime as dt

import pyarrow as pa
import pytest

from benchmarks import scoring as s


def table(rows: list[dict]) -> pa.Table:
    """A table with the union of the rows' keys (``from_pylist`` alone keeps the first row's)."""
    keys = dict.fromkeys(k for r in rows for k in r)
    return pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows])


def sources(*ids: str, duplicate_of: dict | None = None) -> pa.Table:
    dup = duplicate_of or {}
    return table([{"source_id": f"s-{i}", "external_id": i, "duplicate_of": dup.get(i)} for i in ids])


# --- shared helpers ---------------------------------------------------------------------

def test_compatible_is_case_accent_and_punctuation_insensitive_substring_either_way():
    assert s.compatible("Aleppo", "east Aleppo")
    assert s.compatible("East-Aleppo city", "east aleppo")
    assert s.compatible("Kandahār", "kandahar")
    assert s.compatible(None, None)
    assert not s.compatible(None, "Aleppo")
    assert not s.compatible("", "Aleppo")
    assert not s.compatible("Idlib", "east Aleppo")


def test_doc_rows_falls_back_to_the_original_of_a_duplicate_without_rows():
    src = sources("a", "b", "c", duplicate_of={"b": "s-a"})
    q = table([{"source_id": "s-a", "value": 1.0}, {"source_id": "s-c", "value": 2.0}])
    got = s.doc_rows(q, src)
    assert [r["value"] for r in got["b"]] == [1.0]
    assert [r["value"] for r in got["c"]] == [2.0]
    assert s.doc_rows(None, src) == {"a": [], "b": [], "c": []}


def test_missing_docs_counts_gold_without_a_source_row():
    assert s.missing_docs(sources("a"), [{"id": "a"}, {"id": "b"}]) == 1
    assert s.missing_docs(None, [{"id": "a"}]) == 1


def test_haversine_one_degree_of_latitude_is_about_111_km():
    assert s.haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.01)
    assert s.haversine_km(34.5, 69.2, 34.5, 69.2) == 0


# --- seed -------------------------------------------------------------------------------

SEED_GOLD = [{"id": "seed", "facts": [
    {"metric": "killed", "value": 341, "value_low": 342, "qualifier": "more_than", "place": "east Aleppo"},
    {"metric": "displaced", "value": None, "value_low": 10000, "qualifier": "vague", "place": "Syria"},
    {"metric": "advanced", "value": None, "qualifier": "none", "actor": "Syrian government forces", "place": "Shaar"},
    {"metric": "duration", "value": 7, "qualifier": "exact", "place": None},
]}]


def seed_events(**changes) -> list[dict]:
    events = [
        {"metric": "killed", "value": 341.0, "qualifier": "more_than", "place_name": "Aleppo"},
        {"metric": "displaced", "value": None, "value_low": 10000.0, "qualifier": "vague", "place_name": "Syria"},
        {"metric": "advanced", "value": None, "qualifier": "none", "actor": "Syrian government forces", "place_name": "Shaar"},
        {"metric": "duration", "value": 7.0, "qualifier": "exact", "place_name": "Aleppo"},
    ]
    for i, change in changes.items():
        events[int(i[1:])].update(change)
    return events


def test_seed_perfect():
    got = s.score_seed({"events": table(seed_events())}, SEED_GOLD)
    assert got == {"facts": 4, "found": 4, "qualifier_correct": 4, "precision": 1.0,
                   "territorial_facts": 1, "territorial_actor_place": 1}


def test_seed_value_within_two_percent_counts_and_beyond_does_not():
    assert s.score_seed({"events": table(seed_events(e0={"value": 347.0}))}, SEED_GOLD)["found"] == 4
    got = s.score_seed({"events": table(seed_events(e0={"value": 350.0}))}, SEED_GOLD)
    assert got["found"] == 3
    assert got["precision"] == 0.75


def test_seed_null_gold_value_compares_value_low():
    got = s.score_seed({"events": table(seed_events(e1={"value_low": 1000.0}))}, SEED_GOLD)
    assert got["found"] == 3


def test_seed_place_actor_and_qualifier():
    assert s.score_seed({"events": table(seed_events(e0={"place_name": "Idlib"}))}, SEED_GOLD)["found"] == 3
    got = s.score_seed({"events": table(seed_events(e2={"actor": "rebels"}, e3={"qualifier": "about"}))}, SEED_GOLD)
    assert (got["found"], got["territorial_actor_place"], got["qualifier_correct"]) == (4, 0, 3)


def test_seed_precision_ignores_metrics_outside_the_gold():
    events = seed_events() + [{"metric": "injured", "value": 5.0}, {"metric": "killed", "value": 9.0}]
    assert s.score_seed({"events": table(events)}, SEED_GOLD)["precision"] == 0.8


def test_seed_missing_events_table_scores_zero():
    got = s.score_seed({}, SEED_GOLD)
    assert (got["found"], got["precision"]) == (0, 0.0)


# --- isaf -------------------------------------------------------------------------------

ISAF_GOLD = [
    {"id": "a", "killed_min": 3, "captured_min": 0, "provinces": ["paktya"], "event_date": "2011-05-02"},
    {"id": "b", "killed_min": 0, "captured_min": 2, "provinces": ["sar-e pul"], "event_date": "2012-01-09"},
]


def isaf_tables(mentions: list[dict], places: list[dict] = (), events: list[dict] = ()) -> dict:
    return {"sources": sources("a", "b"), "mentions": table(mentions),
            "places": table(list(places)) if places else None, "events": table(list(events)) if events else None}


def mention(src: str, event: str, metric: str, value, **extra) -> dict:
    return {"mention_id": f"{src}-{event}", "event_id": event, "source_id": f"s-{src}", "metric": metric,
            "value": value, "value_low": extra.pop("value_low", None), "parent_mention_id": None, **extra}


def test_isaf_perfect_with_spelling_variants_of_provinces():
    tables = isaf_tables(
        [mention("a", "e1", "killed", 3.0, event_date_start=dt.date(2011, 5, 2), admin1="Paktia Province"),
         mention("b", "e2", "detained", 2.0, event_date_start=dt.date(2012, 1, 9))],
        places=[{"source_id": "s-b", "admin1": "Sar-e Pol"}],
    )
    assert s.score_isaf(tables, ISAF_GOLD) == {
        "docs": 2, "killed_acc": 1.0, "captured_acc": 1.0, "both_acc": 1.0, "date_acc": 1.0, "province_acc": 1.0,
        "fact_province_facts": 2, "fact_province_acc": 0.5}  # b's fact has no province of its own: only its document has


def test_isaf_fact_province_is_per_mention_never_per_document():
    tables = isaf_tables([mention("a", "e1", "killed", 2.0, admin1="Paktya"), mention("a", "e2", "killed", 1.0),
                          mention("a", "e3", "killed", 1.0, admin1="Khost"), mention("a", "e4", "injured", 1.0)],
                         places=[{"source_id": "s-a", "admin1": "Paktya"}])
    got = s.score_isaf(tables, ISAF_GOLD)
    assert (got["province_acc"], got["fact_province_facts"], got["fact_province_acc"]) == (0.5, 3, 1 / 3)  # b: no place


def test_isaf_repeated_mention_counts_once_and_sub_counts_are_left_out():
    tables = isaf_tables(
        [mention("a", "e1", "killed", 3.0), mention("a", "e1", "killed", 3.0, rule="headline"),
         mention("a", "e2", "killed", 1.0, parent_mention_id="a-e1"),
         mention("a", "e3", "killed", 2.0),
         mention("b", "e4", "detained", None, value_low=2.0)],
        events=[{"event_id": "e3", "parent_event_id": "e1"}],
    )
    got = s.score_isaf(tables, ISAF_GOLD)
    assert (got["killed_acc"], got["captured_acc"]) == (1.0, 1.0)


def test_isaf_wrong_count_date_and_province():
    tables = isaf_tables(
        [mention("a", "e1", "killed", 4.0, event_date_start=dt.date(2011, 5, 1), admin1="Khost")],
        places=[{"source_id": "s-a", "admin1": "Paktika"}],
    )
    got = s.score_isaf(tables, ISAF_GOLD)
    # doc a: killed 4 != 3, captured 0 == 0; doc b (nothing predicted): killed 0 == 0, captured 0 != 2
    assert (got["killed_acc"], got["captured_acc"], got["both_acc"]) == (0.5, 0.5, 0.0)
    assert (got["date_acc"], got["province_acc"]) == (0.0, 0.0)


def test_isaf_negated_counts_are_not_counted():
    tables = isaf_tables([mention("a", "e1", "killed", 3.0, modality="negated")])
    assert s.score_isaf(tables, ISAF_GOLD)["killed_acc"] == 0.5


def test_norm_province():
    assert s.norm_province("Uruzgan") == s.norm_province("Orūzgān Province") == "uruzgan"
    assert s.norm_province("Sari Pul") == s.norm_province("sar-e pul")
    assert s.norm_province("Helmand") != s.norm_province("Kandahar")


# --- idmc -------------------------------------------------------------------------------

IDMC_GOLD = [{"id": "idmc-0001", "value": 1000}, {"id": "idetect-0002", "value": 260000}]


def test_idmc_tolerance_facts_versus_quantities_and_parts():
    tables = {
        "sources": sources("idmc-0001", "idetect-0002"),
        "mentions": table([mention("idmc-0001", "e1", "displaced", None, value_low=1004.0),
                           mention("idetect-0002", "e2", "killed", 260000.0)]),
        "quantities": table([{"source_id": "s-idetect-0002", "value": 262000.0},
                             {"source_id": "s-idetect-0002", "value": 260000.0}]),
    }
    got = s.score_idmc(tables, IDMC_GOLD)
    assert (got["fact_recall"], got["quantity_recall"]) == (0.5, 0.5)
    assert (got["fact_recall_idmc"], got["quantity_recall_idmc"]) == (1.0, 0.0)
    assert (got["fact_recall_idetect"], got["quantity_recall_idetect"]) == (0.0, 1.0)
    assert (got["docs_idmc"], got["docs_idetect"]) == (1, 1)


def test_idmc_place_and_country_of_each_mention_of_the_gold_figure():
    gold = [{"id": "idmc-0001", "value": 1000, "location": "Afghan province of Nuristan", "country_iso3": "AFG"}]
    tables = {"sources": sources("idmc-0001"), "mentions": table([
        mention("idmc-0001", "e1", "displaced", 1000.0, place_name="Nuristan", country_code="AF"),
        mention("idmc-0001", "e2", "displaced", 1000.0, place_name="Afghanistan", country_code="AF"),
        mention("idmc-0001", "e3", "displaced", 50.0, place_name="Kabul", country_code="PK")])}
    got = s.score_idmc(tables, gold)
    assert (got["fact_location_facts"], got["fact_location_acc"], got["fact_country_facts"], got["fact_country_acc"]) == (2, 0.5, 2, 1.0)


def test_idmc_outside_half_a_percent_is_a_miss():
    tables = {"sources": sources("idmc-0001"),
              "mentions": table([mention("idmc-0001", "e1", "affected", 1006.0)])}
    assert s.score_idmc(tables, IDMC_GOLD[:1])["fact_recall"] == 0.0
    tables["mentions"] = table([mention("idmc-0001", "e1", "affected", 1004.0)])
    assert s.score_idmc(tables, IDMC_GOLD[:1])["fact_recall"] == 1.0


# --- newsquant --------------------------------------------------------------------------

NQ_GOLD = [
    {"id": "n1", "quantities": [
        {"value": 5.0, "qualifier": "up", "normalized_unit": "percentage"},
        {"value": None, "range": [36040.0, 34935.0], "qualifier": "down", "normalized_unit": "dollar"},
    ]},
    {"id": "n2", "quantities": [{"value": 30.0, "qualifier": ">", "normalized_unit": None}]},
]


def nq(value=None, low=None, high=None, qualifier="exact", direction=None, unit=None, src="n1") -> dict:
    return {"source_id": f"s-{src}", "value": value, "value_low": low, "value_high": high,
            "qualifier": qualifier, "direction": direction, "normalized_unit": unit}


def test_newsquant_perfect_with_range_in_the_other_order_and_unit_case():
    q = [nq(5.0, direction="up", unit="Percentage"), nq(35487.5, 34935.0, 36040.0, "range", "down", "dollar"),
         nq(30.0, qualifier="more_than", src="n2")]
    got = s.score_newsquant({"sources": sources("n1", "n2"), "quantities": table(q)}, NQ_GOLD)
    assert {k: v for k, v in got.items() if k.endswith("f1")} == {
        "value_f1": 1.0, "value_change_f1": 1.0, "value_unit_f1": 1.0}


def test_newsquant_wrong_value_change_unit_and_an_extra_prediction():
    q = [nq(5.0, qualifier="about", unit="percent"), nq(34935.0, unit="dollar"),
         nq(30.0, qualifier="at_least", src="n2"), nq(7.0, src="n2")]
    got = s.score_newsquant({"sources": sources("n1", "n2"), "quantities": table(q)}, NQ_GOLD)
    assert (got["gold"], got["predicted"]) == (3, 4)
    assert (got["value_p"], got["value_r"]) == (0.5, pytest.approx(2 / 3))
    assert (got["value_change_p"], got["value_change_r"]) == (0.25, pytest.approx(1 / 3))
    assert got["value_unit_r"] == pytest.approx(1 / 3)  # only the unitless 30


def test_newsquant_one_prediction_matches_one_gold():
    gold = [{"id": "n1", "quantities": [{"value": 2.0, "qualifier": "="}, {"value": 2.0, "qualifier": "="}]}]
    got = s.score_newsquant({"sources": sources("n1"), "quantities": table([nq(2.0)])}, gold)
    assert (got["value_p"], got["value_r"]) == (1.0, 0.5)


def test_newsquant_missing_doc_and_table():
    got = s.score_newsquant({"sources": sources("n1"), "quantities": table([nq(30.0, src="n1")])}, NQ_GOLD[1:])
    assert got["value_f1"] == 0.0
    assert s.score_newsquant({}, NQ_GOLD)["value_r"] == 0.0


# --- geowebnews -------------------------------------------------------------------------

GWN_GOLD = [{"id": "g1", "toponyms": [
    {"start": 0, "end": 6, "text": "Moscow", "type": "Metonymic", "lat": 55.75, "lon": 37.62},
    {"start": 20, "end": 24, "text": "area", "type": "Literal_Expression"},
    {"start": 30, "end": 37, "text": "Russian", "type": "Demonym"},
    {"start": 40, "end": 45, "text": "Paris", "type": "Literal", "lat": 48.85, "lon": 2.35},
    {"start": 50, "end": 57, "text": "Norbury", "type": "Homonym"},
]}]


def place(start, end, lat=None, lon=None) -> dict:
    return {"source_id": "s-g1", "char_start": start, "char_end": end, "latitude": lat, "longitude": lon}


def test_geowebnews_perfect():
    preds = [place(0, 6, 55.75, 37.62), place(20, 24), place(40, 45, 48.85, 2.35)]
    got = s.score_geowebnews({"sources": sources("g1"), "places": table(preds)}, GWN_GOLD)
    assert (got["span_f1"], got["exact_span_f1"], got["geo_acc161"], got["geo_gold"]) == (1.0, 1.0, 1.0, 2)
    assert got["geo_median_km"] == 0.0


def test_geowebnews_overlap_ignored_types_and_distance():
    preds = [
        place(0, 3, 55.75, 39.0),   # overlaps Moscow, ~90 km off: within 161 km
        place(30, 37),              # only overlaps a Demonym: neither right nor wrong
        place(41, 50, 45.76, 4.84),  # overlaps Paris, Lyon ~390 km: outside 161 km
        place(20, 24),              # a common noun ("area"): no toponym, neither right nor wrong
        place(50, 57),              # a homonym (a person called Norbury): a false positive
        place(60, 66),              # no gold: false positive
    ]
    got = s.score_geowebnews({"sources": sources("g1"), "places": table(preds)}, GWN_GOLD)
    assert (got["span_p"], got["span_r"]) == (0.5, 1.0)
    assert (got["exact_span_p"], got["exact_span_r"]) == (0.0, 0.0)
    assert got["geo_acc161"] == 0.5


def test_geowebnews_geocoding_needs_an_overlapping_place_with_coordinates():
    preds = [place(0, 6), place(50, 55, 48.85, 2.35)]  # Moscow without coordinates; Paris's point on another span
    got = s.score_geowebnews({"sources": sources("g1"), "places": table(preds)}, GWN_GOLD)
    assert (got["geo_acc161"], got["geo_median_km"]) == (0.0, None)
    assert got["span_r"] == 0.5


def test_lgl_gold_without_types_counts_every_span_as_a_toponym():
    gold = [{"id": "g1", "toponyms": [{k: v for k, v in t.items() if k != "type"} for t in GWN_GOLD[0]["toponyms"]]}]
    preds = [place(0, 6, 55.75, 37.62), place(30, 37), place(50, 57)]  # the demonym and "Norbury" are toponyms here
    got = s.score_geowebnews({"sources": sources("g1"), "places": table(preds)}, gold)
    assert (got["span_p"], got["span_r"], got["geo_acc161"], got["geo_gold"]) == (1.0, 0.6, 0.5, 2)


def test_geowebnews_gold_offsets_move_onto_the_cleaned_text():
    original = "TITLE\n\n  Troops   left \u201cAleppo\u201d \u2014 and\nNew\nYork ."
    cleaned = 'TITLE\n\nTroops left "Aleppo" - and New York.'
    gold = [{"id": "g1", "source_text": original, "toponyms": [
        {"start": original.index("Aleppo"), "end": original.index("Aleppo") + 6, "text": "Aleppo", "type": "Literal"},
        {"start": original.index("New"), "end": original.index("York") + 4, "text": "New\nYork", "type": "Literal"},
    ]}]
    srcs = table([{"source_id": "s-g1", "external_id": "g1", "text": cleaned}])
    preds = [place(cleaned.index("Aleppo"), cleaned.index("Aleppo") + 6),
             place(cleaned.index("New"), cleaned.index("York") + 4)]
    got = s.score_geowebnews({"sources": srcs, "places": table(preds)}, gold)
    assert (got["exact_span_p"], got["exact_span_r"]) == (1.0, 1.0)


def test_span_mapper_drops_spans_whose_words_cleaning_removed():
    mapped = s.span_mapper("Share this: Facebook\n\nKabul is calm.", "Kabul is calm.")
    assert mapped(12, 20) is None
    assert mapped(22, 27) == (0, 5)


# --- ecbplus ----------------------------------------------------------------------------

ECB_GOLD = [
    {"id": "d1", "topic": 1, "subtopic": "1_ecb"}, {"id": "d2", "topic": 1, "subtopic": "1_ecb"},
    {"id": "d3", "topic": 1, "subtopic": "1_ecbplus"}, {"id": "d4", "topic": 2, "subtopic": "2_ecb"},
]


def test_ecbplus_pairs_within_and_across_subtopics():
    mentions = [{"source_id": f"s-{d}", "event_id": e} for d, e in
                [("d1", "x"), ("d2", "x"), ("d2", "y"), ("d3", "y"), ("d4", "x")]]
    got = s.score_ecbplus({"sources": sources("d1", "d2", "d3", "d4"), "mentions": table(mentions)}, ECB_GOLD)
    # topic 1: (d1,d2) same, linked; (d1,d3) cross, not linked; (d2,d3) cross, linked. d4 is alone in topic 2.
    assert got == {"same_subtopic_pairs": 1, "same_subtopic_linked": 1.0,
                   "cross_subtopic_pairs": 2, "cross_subtopic_linked": 0.5,
                   "same_subtopic_with_facts_pairs": 1, "same_subtopic_with_facts_linked": 1.0,
                   "cross_subtopic_with_facts_pairs": 2, "cross_subtopic_with_facts_linked": 0.5}


def test_ecbplus_pairs_with_facts_leave_out_documents_without_mentions():
    gold = ECB_GOLD + [{"id": "d5", "topic": 1, "subtopic": "1_ecb"}]
    mentions = table([{"source_id": f"s-{d}", "event_id": "x"} for d in ("d1", "d2")])
    got = s.score_ecbplus({"sources": sources("d1", "d2", "d5"), "mentions": mentions}, gold)
    # same-subtopic pairs (d1,d2) (d1,d5) (d2,d5): one linked; only (d1,d2) has facts on both sides
    assert (got["same_subtopic_pairs"], got["same_subtopic_linked"]) == (3, 1 / 3)
    assert (got["same_subtopic_with_facts_pairs"], got["same_subtopic_with_facts_linked"]) == (1, 1.0)


def test_ecbplus_mentions_without_an_event_link_nothing():
    mentions = table([{"source_id": f"s-{d}", "event_id": None} for d in ("d1", "d2", "d3")])
    got = s.score_ecbplus({"sources": sources("d1", "d2", "d3"), "mentions": mentions}, ECB_GOLD)
    assert (got["same_subtopic_linked"], got["cross_subtopic_linked"]) == (0.0, 0.0)
    assert s.score_ecbplus({}, ECB_GOLD)["same_subtopic_pairs"] == 1


def test_isaf_compares_the_minimum_a_bound_implies():
    # gold killed_min 3: "more than 2" (value 2, value_low 3) states a minimum of 3
    tables = isaf_tables([mention("a", "e1", "killed", 2.0, value_low=3.0)])
    assert s.score_isaf(tables, ISAF_GOLD)["killed_acc"] == 1.0


def test_newsquant_vague_amount_is_a_range_labelled_equal():
    gold = [{"id": "a", "quantities": [{"value": None, "range": [1e6, 1e7], "qualifier": "=", "normalized_unit": None}]}]
    tables = {"sources": sources("a"), "quantities": table([{"source_id": "s-a", "value": None, "value_low": 1e6,
                                                            "value_high": 1e7, "qualifier": "vague", "direction": None}])}
    assert s.score_newsquant(tables, gold)["value_change_f1"] == 1.0


def test_geocoded_pairs_each_gold_point_with_the_most_overlapping_place():
    gold = [{"id": "g1", "toponyms": [
        {"start": 0, "end": 6, "text": "Aleppo", "type": "Literal", "lat": 36.2, "lon": 37.16},
        {"start": 10, "end": 15, "text": "Idlib", "type": "Literal", "lat": 35.93, "lon": 36.63},
        {"start": 20, "end": 26, "text": "Syrian", "type": "Demonym", "lat": 35.0, "lon": 38.0},
    ]}]
    preds = [{"source_id": "s-g1", "char_start": 0, "char_end": 6, "latitude": 36.2, "longitude": 37.16}]
    pairs = list(s.geocoded({"sources": sources("g1"), "places": table(preds)}, gold))
    assert [(doc, t["text"], place is not None) for doc, t, place in pairs] == [("g1", "Aleppo", True), ("g1", "Idlib", False)]
    assert s.error_km(pairs[0][2], pairs[0][1]) == 0
    assert s.error_km(None, pairs[1][1]) is None
    assert s.error_km({"latitude": None, "longitude": None}, pairs[1][1]) is None


def test_isaf_cumulative_totals_are_left_out_beside_an_incident_count():
    tables = isaf_tables(
        [mention("a", "e1", "killed", None, value_low=4.0, is_cumulative=True), mention("a", "e2", "killed", 3.0),
         mention("b", "e3", "detained", 2.0, is_cumulative=True)],
    )
    got = s.score_isaf(tables, ISAF_GOLD)
    # doc a: the total (4) beside the incident (3) is left out; doc b: a total alone still counts
    assert (got["killed_acc"], got["captured_acc"]) == (1.0, 1.0)


# --- admin1 per toponym -----------------------------------------------------------------

ADMIN1_GOLD = [{"id": "g1", "toponyms": [
    {"start": 0, "end": 7, "text": "Karachi", "geonameid": 1174872},
    {"start": 10, "end": 16, "text": "Sukkur", "geonameid": 1164909},
    {"start": 20, "end": 26, "text": "Quetta", "geonameid": 1167528},
    {"start": 30, "end": 35, "text": "Dadu", "geonameid": 1180809},
    {"start": 40, "end": 48, "text": "Pakistan", "geonameid": 1168579},  # a country: no admin1
    {"start": 50, "end": 57, "text": "Sindhi", "type": "Demonym", "geonameid": 1164807},
]}]
GOLD_ADMIN1 = {1174872: "Sindh", 1164909: "Sindh", 1167528: "Balochistan", 1180809: "Sindh", 1164807: "Sindh"}


def test_admin1_per_toponym_counts_misses_and_skips_toponyms_without_an_admin1():
    preds = [
        {**place(0, 7), "admin1": "SINDH"},       # right, whatever the case
        {**place(10, 16), "admin1": "Punjab"},    # wrong
        {**place(20, 26), "admin1": None},        # found, but without an admin1
        {**place(50, 57), "admin1": "Sindh"},     # a demonym: not counted
    ]                                              # Dadu missed
    got = s.score_admin1({"sources": sources("g1"), "places": table(preds)}, ADMIN1_GOLD,
                         lambda t: GOLD_ADMIN1.get(t.get("geonameid")))
    assert got == {"admin1_gold": 4, "admin1_acc": 0.25, "admin1_acc_found": 0.5}


def test_admin1_without_places_scores_zero():
    got = s.score_admin1({"sources": sources("g1"), "places": None}, ADMIN1_GOLD, lambda t: "Sindh")
    assert (got["admin1_acc"], got["admin1_acc_found"]) == (0.0, 0.0)


# --- incidents --------------------------------------------------------------------------

def incidents_table(*incidents: tuple[str, list[str], float | None, float | None]) -> pa.Table:
    return table([{"incident_id": i, "source_ids": [f"s-{d}" for d in docs], "killed": k, "injured": w}
                  for i, docs, k, w in incidents])


def test_documents_take_their_incidents_and_a_copy_its_originals():
    src = sources("d1", "d2", "d3", duplicate_of={"d3": "s-d1"})
    held = s.doc_incidents({"sources": src, "incidents": incidents_table(("x", ["d1"], 1, 0), ("y", ["d1", "d2"], 1, 0))},
                           [{"id": d} for d in ("d1", "d2", "d3", "d4")])
    assert held == {"d1": {"x", "y"}, "d2": {"y"}, "d3": {"x", "y"}, "d4": set()}


def test_same_incident_pairs_within_groups_or_over_all_pairs():
    gold = [{"id": "d1", "t": 1, "c": "a"}, {"id": "d2", "t": 1, "c": "a"}, {"id": "d3", "t": 1, "c": "b"},
            {"id": "d4", "t": 2, "c": "c"}]
    held = {"d1": {"x"}, "d2": {"x"}, "d3": {"x"}, "d4": {"x"}}
    assert s.same_incident_pairs(held, gold, "c", "t") == {"same_pairs": 1, "same_linked": 1.0,
                                                          "cross_pairs": 2, "cross_linked": 1.0}
    assert s.same_incident_pairs(held, gold, "c", None)["cross_pairs"] == 5


def test_incidents_per_cluster_and_those_with_a_casualty():
    gold = [{"id": "d1", "c": "a"}, {"id": "d2", "c": "a"}, {"id": "d3", "c": "b"}]
    held = {"d1": {"x", "y"}, "d2": {"x"}, "d3": set()}
    incidents = [{"incident_id": "x", "killed": 1.0}, {"incident_id": "y", "killed": None, "injured": None}]
    assert s.incidents_per_cluster(held, incidents, gold, "c") == {
        "clusters": 2, "incidents_per_cluster": 1.0, "casualty_incidents_per_cluster": 0.5}


def test_majority_incident_figures_read_null_as_zero():
    gold = [{"id": "d1", "incident_id": 7, "killed": 1, "injured": 0}, {"id": "d2", "incident_id": 7, "killed": 1, "injured": 0},
            {"id": "d3", "incident_id": 7, "killed": 1, "injured": 0}, {"id": "d4", "incident_id": 8, "killed": 0, "injured": 2}]
    held = {"d1": {"x"}, "d2": {"x", "y"}, "d3": {"y", "z"}, "d4": {"w"}}
    incidents = [{"incident_id": "x", "killed": 1.0, "injured": None}, {"incident_id": "y", "killed": 2.0, "injured": None},
                 {"incident_id": "w", "killed": None, "injured": 1.0}]
    # incident 7: x and y hold two reports each, x (the smaller id) wins and is right; 8: w has injured 1, not 2
    assert s.majority_figures(held, incidents, gold, "incident_id") == {"figured_clusters": 2, "majority_figures_right": 0.5}


def test_shooting_incidents_score_all_pairs():
    gold = [{"id": "d1", "incident_id": 1, "killed": 1, "injured": 0}, {"id": "d2", "incident_id": 1, "killed": 1, "injured": 0},
            {"id": "d3", "incident_id": 2, "killed": 0, "injured": 1}]
    tables = {"sources": sources("d1", "d2", "d3"), "incidents": incidents_table(("x", ["d1", "d2"], 1.0, None), ("y", ["d3"], None, 1.0))}
    got = s.score_shooting_incidents(tables, gold)
    assert (got["same_linked"], got["cross_linked"], got["majority_figures_right"], got["casualty_incidents_per_incident"]) == \
        (1.0, 0.0, 1.0, 1.0)


def test_ecbplus_incidents_keep_to_the_topics_of_happenings():
    gold = [{"id": "d1", "topic": 19, "subtopic": "19_ecb"}, {"id": "d2", "topic": 19, "subtopic": "19_ecb"},
            {"id": "d3", "topic": 19, "subtopic": "19_ecbplus"}, {"id": "d4", "topic": 1, "subtopic": "1_ecb"},
            {"id": "d5", "topic": 1, "subtopic": "1_ecb"}]
    tables = {"sources": sources("d1", "d2", "d3", "d4", "d5"),
              "incidents": incidents_table(("x", ["d1", "d2", "d4", "d5"], 1.0, None), ("y", ["d3"], None, None))}
    got = s.score_ecbplus_incidents(tables, gold)
    assert (got["incident_docs"], got["incident_same_subtopic_pairs"], got["incident_same_subtopic_linked"]) == (3, 1, 1.0)
    assert (got["incident_cross_subtopic_pairs"], got["incident_cross_subtopic_linked"]) == (2, 0.0)
    assert (got["incidents_per_subtopic"], got["casualty_incidents_per_subtopic"]) == (1.0, 0.5)
    assert s.score_ecbplus_with_incidents(tables, gold)["same_subtopic_pairs"] == 2  # events too, over all topics
