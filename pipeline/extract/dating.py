"""The ``newsevents_dates`` component: when each fact happened, and whether it is a running total.

Reads the time cues of each fact's sentence (``dates``) against the article's reference
date: the publication date, else the date its own head states (``datelines``). Rules in
``dates.json`` and, for the shapes of datelines, ``dates.jsonl``.
"""

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.datelines import DatelineReader
from pipeline.extract.dates import DateResolver, Reference
from pipeline.extract.facts import sentence_starts
from pipeline.extract.ruled import GateCues, RuledComponent, phrase_matcher


class FactDates(RuledComponent):
    """Dates each fact: by its sentence's own time cue; a counted fact without one by the
    last cue said since the fact before it (the restatement component gives it that fact's
    date when there is none), a territorial fact by the article's default date. A counted
    fact in a sentence with one of 'cumulative_cues' is a running total."""

    rule_files = ("dates", "dates.jsonl")

    def use_rules(self, rules: dict) -> None:
        table = rules["dates"]
        self.resolver = DateResolver(self.vocab, table)
        self.datelines = DatelineReader(self.vocab, table["reference"], rules["dates.jsonl"])
        self.cumulative = phrase_matcher(self.vocab, table["cumulative_cues"])

    def gate_cues(self) -> GateCues:
        return GateCues(dates=tuple(self.rules["dates"]["cues"]))

    def process(self, doc: Doc) -> Doc:
        facts = doc._.facts or []
        if not facts:
            return doc
        reference = Reference.day(doc._.published) if doc._.published else self.datelines.reference(doc)
        default = self.resolver.article_default(doc, reference)
        starts = sentence_starts(doc)
        ends = starts[1:] + [len(doc)]
        last = -1  # the sentence of the counted fact before
        for fact in facts:
            sentence = doc[starts[fact.sentence_index]:ends[fact.sentence_index]]
            own = self.resolver.resolve(sentence, reference)
            if not fact.reading.counted:
                fact.date = own or default
                continue
            fact.is_cumulative = fact.is_cumulative or bool(self.cumulative(sentence))
            date = own or next(filter(None, (self.resolver.scene(doc[starts[index]:ends[index]], reference)
                                             for index in range(fact.sentence_index - 1, last, -1))), None)
            if date is None:
                fact.reading.date_from_before, fact.reading.date_fallback = True, default
            else:
                fact.date = date
            last = fact.sentence_index
        return doc


@Language.factory("newsevents_dates", requires=["doc._.facts"], assigns=["doc._.facts"])
def make_dates(nlp: Language, name: str) -> FactDates:
    return FactDates(nlp.vocab, name)
