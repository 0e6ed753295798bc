"""The ``newsevents_triggers`` component: which tokens are metric triggers.

A trigger is a word that says what a figure counts: 'killed', 'deaths', 'fled', 'detainees'.
Its lemma, or where the lemmatiser leaves an inflected form alone its lower-case form,
is listed under a metric in ``triggers.json``; a lemma of 'verb_only_lemmas' triggers only
as a verb ('forced from their homes', not 'security forces'); a verb that one of
'fatal_adverbs' modifies is a killing whatever its lemma ('fatally shot', 'mortally
wounded'). The components after it read the result from ``doc._.triggers``, and patterns
from the token attributes ``trigger``, ``is_trigger``, ``names`` and ``fatal``.
"""

from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Token

from pipeline.extract.ruled import GateCues, RuledComponent

if not Doc.has_extension("triggers"):
    Doc.set_extension("triggers", default=None)
# the marks as token attributes, for patterns ({"_": {"is_trigger": true}}, {"_": {"trigger": {"IN": [...]}}})
_TOKEN_MARKS = {
    "trigger": lambda marks, i: marks.metrics.get(i, ""),  # the metric it triggers, "" for none
    "is_trigger": lambda marks, i: i in marks.metrics,
    "names": lambda marks, i: marks.named.get(i, ""),  # the metric its lemma names, "" for none
    "fatal": lambda marks, i: i in marks.fatal,
}
for _name, _mark in _TOKEN_MARKS.items():
    if not Token.has_extension(_name):
        Token.set_extension(_name, getter=lambda token, mark=_mark: mark(token.doc._.triggers, token.i))


@dataclass(frozen=True)
class Triggers:
    """One document's triggers, by token index."""

    metrics: dict[int, str]  # the metric each trigger token gives
    named: dict[int, str]  # the metric each token's lemma names, whatever its part of speech ('the capture of')
    fatal: frozenset[int]  # tokens one of 'fatal_adverbs' modifies ('two of them fatally')

    def of(self, token: Token) -> str | None:
        return self.metrics.get(token.i)


class TriggerMarker(RuledComponent):
    rule_files = ("triggers",)

    def use_rules(self, rules: dict) -> None:
        table = rules["triggers"]
        self.lexicon = {lemma: metric for metric, lemmas in table["metrics"].items() for lemma in lemmas}
        self.verb_only = frozenset(table["verb_only_lemmas"])
        self.fatal_adverbs = frozenset(table["fatal_adverbs"])
        self.form_hashes = numpy.array([self.vocab.strings.add(word) for word in self.lexicon], dtype="uint64")

    def gate_cues(self) -> GateCues:
        """Each metric's trigger words; a fatal adverb is a killing's ('was fatally shot')."""
        table = self.rules["triggers"]
        words = {metric: frozenset(lemmas) for metric, lemmas in table["metrics"].items()}
        words["killed"] = words.get("killed", frozenset()) | self.fatal_adverbs
        return GateCues(metric_words=words)

    def process(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        values = doc.to_array([LEMMA, LOWER, DEP])
        lemma_metric = {h: m for h in numpy.unique(values[:, 0]).tolist() if (m := self.lexicon.get(strings[h].lower()))}
        hits = numpy.isin(values[:, 1], self.form_hashes) | numpy.isin(values[:, 0], numpy.array(list(lemma_metric), dtype="uint64"))
        named, metrics = {}, {}
        for i in numpy.flatnonzero(hits).tolist():
            token = doc[i]
            if lemma := lemma_metric.get(int(values[i, 0])):
                named[i] = lemma
            if not (token.lemma_.lower() in self.verb_only and token.pos_ != "VERB"):
                metrics[i] = lemma or self.lexicon[token.lower_]
        fatal = set()
        for i in numpy.flatnonzero(values[:, 2] == strings["advmod"]).tolist():
            if doc[i].lower_ in self.fatal_adverbs:
                head = doc[i].head
                fatal.add(head.i)
                if head.pos_ == "VERB":
                    metrics[head.i] = "killed"
        doc._.triggers = Triggers(metrics, named, frozenset(fatal))
        return doc


@Language.factory("newsevents_triggers", assigns=["doc._.triggers"])
def make_triggers(nlp: Language, name: str) -> TriggerMarker:
    return TriggerMarker(nlp.vocab, name)
