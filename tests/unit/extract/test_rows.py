"""The one row builder: a row has its table's columns, from the values given or the objects it describes."""

from pipeline import schema
from pipeline.extract.rows import evidence, mention_rows, place_rows, quantity_rows, schema_row
from pipeline.schema import conform
from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.gazetteer import tiny_gazetteer

TEXT = "The most recent offensive has left more than 341 people dead in east Aleppo, including 44 children, the Syrian Observatory for Human Rights says."


class _Entry:
    country_code, latitude = "SY", 36.2


class _Place:
    text, feature, entry = "Aleppo", None, _Entry()


def test_each_column_from_the_values_else_the_first_object_that_has_it_else_null():
    row = schema_row(schema.PLACES, {"source_id": "s", "char_start": 3}, _Place(), None, _Place.entry)
    assert list(row) == schema.PLACES.names
    assert (row["source_id"], row["char_start"], row["text"], row["feature"], row["country_code"], row["latitude"], row["geonameid"]) == (
        "s", 3, "Aleppo", None, "SY", 36.2, None)  # the place has a feature (none): the entry's is not taken


def test_the_rows_of_a_processed_doc_fit_their_tables():
    nlp = blank_pipeline("newsevents_quantities", "newsevents_places", "newsevents_triggers", "newsevents_counting",
                         "newsevents_territory", "newsevents_attribution", "newsevents_dates", "newsevents_restatement",
                         gazetteer=tiny_gazetteer())
    doc = run(nlp, parse(nlp.vocab, TEXT))
    mentions, places, quantities = mention_rows(doc, "s"), place_rows(doc, "s"), quantity_rows(doc, "s")
    for name, rows in (("mentions", mentions), ("places", places), ("quantities", quantities)):
        assert rows and conform(name, rows).num_rows == len(rows)
    assert [(m["value"], m["place_name"], m["country_code"], m["claimed_by"]) for m in mentions] == [
        (341, "east Aleppo", "SY", "Syrian Observatory for Human Rights"), (44, "east Aleppo", "SY", "Syrian Observatory for Human Rights")]
    assert mentions[1]["parent_mention_id"] == mentions[0]["mention_id"] and mentions[0]["sentence"] == TEXT
    assert [q["text"] for q in quantities] == ["more than 341 people", "44 children"]
    assert schema.MENTIONS.names[-1] == "admin2" and schema.EVENTS.names[-1] == "admin2"  # appended: the contract's order holds
    assert [m["geo_precision"] for m in mentions] == [2, 2]  # east Aleppo: near the city's point, not on it


def _sentences(*pieces: str):
    """The text of ``pieces`` and its sentences, one per piece (as the parser splits them)."""
    import spacy
    from spacy.tokens import Doc

    tokenizer = spacy.blank("en").tokenizer
    words, spaces, starts = [], [], []
    for piece in pieces:
        tokens = tokenizer(piece)
        words += [t.text for t in tokens]
        spaces += [bool(t.whitespace_) for t in tokens]
        starts += [True] + [False] * (len(tokens) - 1)
    doc = Doc(tokenizer.vocab, words=words, spaces=spaces, sent_starts=starts)
    return doc.text, list(doc.sents)


def test_evidence_drops_the_blank_lines_around_its_sentence():
    text, sentences = _sentences("Shells hit the market.\n\n", "Twelve people were killed.\n\n")
    assert evidence(text, sentences, 1) == "Twelve people were killed."


def test_evidence_reaches_back_to_where_the_quotation_it_closes_opens():
    text, sentences = _sentences("The mayor spoke. ", '"The market was full. ', 'Five were killed," he said.')
    assert evidence(text, sentences, 2) == '"The market was full. Five were killed," he said.'
    text, sentences = _sentences("The mayor spoke. ", "“The market was full. ", "Five were killed,” he said.")
    assert evidence(text, sentences, 2) == "“The market was full. Five were killed,” he said."


def test_evidence_reaches_back_over_a_clause_split_in_two():
    text, sentences = _sentences("Shells hit the market on Dec. ", "4, killing 12 people.")
    assert evidence(text, sentences, 1) == "4, killing 12 people."  # a digit: no sign of a split
    text, sentences = _sentences("Shells hit the market in St. ", "killing 12 people.")
    assert evidence(text, sentences, 1) == "Shells hit the market in St. killing 12 people."


def test_evidence_of_a_sentence_that_opens_its_own_quotation_is_that_sentence():
    text, sentences = _sentences("The market was full. ", '"Five were killed," he said.')
    assert evidence(text, sentences, 1) == '"Five were killed," he said.'
