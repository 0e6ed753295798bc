"""Rows of the staged tables a processed ``Doc`` gives: mentions, places and quantities.

One builder serves all three: a row has exactly the columns of the table's schema in
``pipeline.schema``, each taken from the values computed for that row, else from the
same-named attribute of the objects it describes (a fact, its place, the place's gazetteer
entry; a quantity), else null. A column added to the schema is filled wherever an object
carries it, and no row can hold a key the table lacks.
"""

from bisect import bisect_right

import pyarrow as pa
from spacy.tokens import Doc

from pipeline import schema, tables
from pipeline.extract.facts import sentence_starts
from pipeline.extract.precision import geo_precision


def schema_row(table: pa.Schema, values: dict, *objects) -> dict:
    """One row of ``table``: each column from ``values``, else from the first of ``objects``
    (None ones skipped) that has an attribute of that name, else null."""
    present = [o for o in objects if o is not None]
    return {name: values[name] if name in values else next((getattr(o, name) for o in present if hasattr(o, name)), None)
            for name in table.names}


OPENING_QUOTES, CLOSING_QUOTE = "“‘", "”"  # not ’: it is the apostrophe too
MAX_EVIDENCE_SENTENCES = 3  # a quotation or a split clause spans at most this many sentences


def _starts_inside(sentence: str) -> bool:
    """The sentence begins inside what an earlier one opened: its first quotation mark closes
    a quotation ('Five were killed," he said.'), or the segmenter split a clause (it starts
    in lower case)."""
    body = sentence.lstrip()
    if body[:1].islower():
        return True
    for i, char in enumerate(body):
        if char in OPENING_QUOTES:
            return False
        if char == CLOSING_QUOTE:
            return True
        if char == '"':  # a straight quote closes when it follows a word, not a space
            return i > 0 and not body[i - 1].isspace()
    return False


def evidence(text: str, sentences: list, index: int) -> str:
    """The fact's sentence as evidence: without the blank lines around it, and widened back to
    where a quotation it closes began (up to ``MAX_EVIDENCE_SENTENCES`` sentences)."""
    start = index
    while start > 0 and index - start < MAX_EVIDENCE_SENTENCES - 1 and _starts_inside(sentences[start].text):
        start -= 1
    return text[sentences[start].start_char:sentences[index].end_char].strip()


def mention_rows(doc: Doc, source_id: str) -> list[dict]:
    """Rows of the mentions table for one processed Doc. A fact with the span and metric of
    an earlier one is that mention again and adds no row: one odd parse must not give the
    table a duplicate id, which would fail the whole run's validation."""
    ids = [tables.short_hash(source_id, str(f.start_char), str(f.end_char), f.metric) for f in doc._.facts]
    sentences = list(doc.sents)
    text = doc.text  # rebuilt from the tokens on every access
    rows, emitted = [], set()
    for fact, mention_id in zip(doc._.facts, ids):
        if mention_id in emitted:
            continue
        emitted.add(mention_id)
        place = fact.place
        rows.append(schema_row(schema.MENTIONS, {
            "mention_id": mention_id,
            "event_id": None,
            "source_id": source_id,
            "char_start": fact.start_char,
            "char_end": fact.end_char,
            "text": text[fact.start_char:fact.end_char],
            "geo_precision": geo_precision(place),
            "event_date_start": fact.date.start,
            "event_date_end": fact.date.end,
            "date_precision": fact.date.precision,
            "parent_mention_id": ids[fact.parent] if fact.parent is not None else None,
            "sentence": evidence(text, sentences, fact.sentence_index),
        }, fact, place, getattr(place, "entry", None)))
    return rows


def place_rows(doc: Doc, source_id: str) -> list[dict]:
    """Rows of the places table: every toponym, the associative ones too."""
    places = sorted((doc._.places or []) + (doc._.associative_places or []), key=lambda p: p.start)
    return _span_rows(schema.PLACES, doc, source_id, places, lambda place: (place, place.entry))


def quantity_rows(doc: Doc, source_id: str) -> list[dict]:
    """Rows of the quantities table: every number the quantities component found."""
    return _span_rows(schema.QUANTITIES, doc, source_id, doc._.quantities or [], lambda quantity: (quantity,))


def _span_rows(table: pa.Schema, doc: Doc, source_id: str, spans: list, described_by) -> list[dict]:
    """Rows of a table of spans: where each span is, the rest from the objects ``described_by`` gives for it."""
    starts = sentence_starts(doc)
    return [schema_row(table, {
        "source_id": source_id,
        "sentence_index": bisect_right(starts, span.start) - 1,
        "char_start": span.start_char,
        "char_end": span.end_char,
    }, *described_by(span)) for span in spans]
