"""One article's reports: its happenings, each with what the article says about it."""

from __future__ import annotations

from pipeline.incidents import cues as cue_rules
from pipeline.incidents.reports import article_reports, segments
from tests.unit.incidents.rows import ALBANY, MILWAUKEE, article, at, day, mention, toponym

CUES = cue_rules.load()

LEAD = "MILWAUKEE - A 24-year-old man was killed and two other men were wounded in a shooting late Friday, police said."
NAMED = "The victim was identified as Deshawn Miller, 24."
PAST = "In 2012, four people were killed in a shooting at a nearby apartment complex."
ARREST = "Police arrested a 40-year-old man on Saturday."


def _text(*sentences: str) -> tuple[str, list[int]]:
    text = " ".join(sentences)
    return text, [text.index(s) for s in sentences]


def _reports(text: str, mentions: list[dict], places: list[dict] = (), title: str | None = None, published=at(8)):
    return article_reports(article("a", text, published, title), text, mentions, list(places), "a", CUES)


def test_segments_split_at_full_stops_before_capitals_and_at_line_breaks():
    text = "A man was shot. He died at 3 p.m. on Friday.\nPolice said so."
    assert [text[s:e].strip() for s, e in segments(text)] == ["A man was shot.", "He died at 3 p.m. on Friday.", "Police said so."]


def test_an_article_about_one_shooting_is_one_report_with_its_sentences():
    text, (lead, named, arrest) = _text(LEAD, NAMED, ARREST)
    mentions = [mention("m1", "a", "A 24-year-old man", LEAD, lead, when=day(7)),
                mention("m2", "a", "two other men", LEAD, lead, metric="injured", value=2.0, when=day(7)),
                mention("m3", "a", "a 40-year-old man", ARREST, arrest, metric="detained", when=day(8))]
    [report] = _reports(text, mentions, [toponym("a", "MILWAUKEE", text, MILWAUKEE)])
    assert report.key == "m1" and report.kind == "shooting"
    assert report.figures == {"killed": 1.0, "injured": 2.0, "detained": 1.0}
    assert report.dates == (day(7), day(7), 1)
    assert report.places[0].name == "Milwaukee"
    assert {24, 40} <= report.ages and report.victim_ages == {24}
    assert {"deshawn", "miller"} <= report.names  # the sentence without a count belongs to the lead


def test_background_is_its_own_report_and_keeps_its_sentences():
    text, (lead, past) = _text(LEAD, PAST)
    mentions = [mention("m1", "a", "A 24-year-old man", LEAD, lead, when=day(7)),
                mention("m2", "a", "four people", PAST, past, value=4.0, when=day(1, 1).replace(year=2012), precision=5)]
    today, before = _reports(text, mentions)
    assert today.figures == {"killed": 1.0} and before.figures == {"killed": 4.0}
    assert before.dates[2] == 5 and before.mentions == [mentions[1]]


def test_a_separate_incident_opens_another_report():
    other = "In a separate shooting, a woman was killed in Albany."
    text, (lead, sep) = _text(LEAD, other)
    mentions = [mention("m1", "a", "A 24-year-old man", LEAD, lead, when=day(7)),
                mention("m2", "a", "a woman", other, sep, when=day(7), place=ALBANY, sentence_index=1)]
    assert [r.key for r in _reports(text, mentions)] == ["m1", "m2"]


def test_counts_about_no_happening_make_no_report_but_a_toll_update_revises_one():
    total = "More than 30 people have been killed in the city this year."
    toll = "The death toll in Friday night's shooting rose to two on Sunday."
    projected = "Officials fear more people will be killed."
    text, (t, u, p) = _text(total, toll, projected)
    mentions = [mention("m1", "a", "More than 30 people", total, t, value=30.0, is_cumulative=True),
                mention("m2", "a", "two", toll, u, value=2.0, is_cumulative=True, when=day(7)),
                mention("m3", "a", "more people", projected, p, value=None, modality="projected")]
    [report] = _reports(text, mentions)
    assert [m["mention_id"] for m in report.mentions] == ["m2"]
    assert report.figures == {"killed": 2.0}


def test_an_article_without_counts_still_reports_the_shooting_it_opens_with():
    text = "A 16-year-old boy was shot in the leg Friday afternoon on Milwaukee's South Side. He is expected to survive."
    south_side = {**MILWAUKEE, "place_name": "South Side", "geonameid": None}
    [report] = _reports(text, [], [toponym("a", "Milwaukee", text, MILWAUKEE),
                                   toponym("a", "South Side", text, south_side, feature=None, method="nearby")],
                        title="Teen shot on South Side")
    assert report.key == "lead:a" and report.kind == "shooting" and report.mentions == []
    assert report.figures == {"injured": 1.0}  # from the people it says were shot
    assert report.dates == (day(8), day(8), 2)  # the publication day, widened when linking
    assert report.places[0].name == "Milwaukee" and report.local_words == {"south side"}
    assert report.ages == {16}


def test_an_article_about_nothing_harmful_reports_nothing():
    assert _reports("The council approved the budget on Friday.", [], title="Budget approved") == []


def test_figures_leave_out_sub_counts_add_other_counts_and_distinct_subjects():
    first = "Clashes killed 12 militants and 5 soldiers, including 2 officers."
    second = "Two other soldiers were killed later."
    text, (f, s) = _text(first, second)
    mentions = [mention("m1", "a", "12 militants", first, f, value=12.0, subject="militants"),
                mention("m2", "a", "5 soldiers", first, f, value=5.0, subject="soldiers"),
                mention("m3", "a", "2 officers", first, f, value=2.0, subject="officers", parent_mention_id="m2"),
                mention("m4", "a", "Two other soldiers", second, s, value=2.0, subject="soldiers", sentence_index=1)]
    [report] = _reports(text, mentions)
    assert report.figures == {"killed": 19.0}


def test_people_shot_complete_the_counts_the_extractor_gave():
    sentence = "Two men were shot, one fatally, near the park."
    text, (s,) = _text(sentence)
    [report] = _reports(text, [], title="Two shot near park")
    assert report.figures == {"killed": 1.0, "injured": 1.0}
    killed = mention("m1", "a", "one", sentence, s, when=day(7))
    [counted] = _reports(text, [killed])
    assert counted.figures == {"killed": 1.0, "injured": 1.0}


def test_an_age_read_as_a_count_counts_nobody():
    sentence = "Zurana Horton was killed when Andrew Lopez, 20, and Jonathan Carrasquillo, 24, fired from a roof."
    text, (s,) = _text(sentence)
    [report] = _reports(text, [mention("m1", "a", "Zurana Horton", sentence, s, when=day(7)),
                               mention("m2", "a", "20", sentence, s, value=20.0, when=day(7))])
    assert report.figures == {"killed": 1.0}
    assert {"zurana", "horton"} <= report.dead_names
