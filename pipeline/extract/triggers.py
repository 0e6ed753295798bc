"""The ``newsevents_triggers`` component: which tokens are metric triggers.

A trigger is a word that says what a figure counts: 'killed', 'deaths', 'fled', 'detainees'.
Its lemma, or where the lemmatiser leaves an inflected form alone its lower-case form,
is listed under a metric in ``triggers.json``; a lemma of 'verb_only_lemmas' triggers only
as a verb ('forced from their homes', not 'security forces'); a verb that one of
'fatal_adverbs' modifies is a killing whatever its lemma ('fatally shot', 'mortally
wounded'), and so is one with a fatal complement ('shot dead') or phrase ('lynched to
death') or a killing joined to it ('shot and killed'); without one, a verb of 'harm_verbs'
gives its own metric ('was shot in the leg': a wounding). A verb with a particle of
'phrasal_verbs' triggers its metric ('gunned down'). The components after it read the result from ``doc._.triggers``, and patterns
from the token attributes ``trigger``, ``is_trigger``, ``names`` and ``fatal``.
"""

from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.language import Language
from spacy.symbols import VERB
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
        self.harm_verbs = table["harm_verbs"]
        self.fatal_complements = frozenset(table["fatal_complements"])
        self.fatal_phrases = frozenset(tuple(phrase) for phrase in table["fatal_phrases"])
        self.phrasal = {tuple(words): metric for metric, phrases in table["phrasal_verbs"].items() for words in phrases}
        self.form_hashes = numpy.array([self.vocab.strings.add(word) for word in self.lexicon], dtype="uint64")

    def gate_cues(self) -> GateCues:
        """Each metric's trigger words; a fatal adverb is a killing's ('was fatally shot')."""
        table = self.rules["triggers"]
        words = {metric: frozenset(lemmas) for metric, lemmas in table["metrics"].items()}
        words["killed"] = words.get("killed", frozenset()) | self.fatal_adverbs | {verb for verb, _ in self.phrasal}
        for verb, metric in self.harm_verbs.items():
            words[metric] = words.get(metric, frozenset()) | {verb}
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
        for i in numpy.flatnonzero(values[:, 2] == strings["prt"]).tolist():  # 'gunned down'
            verb = doc[i].head
            if (metric := self.phrasal.get((verb.lemma_.lower(), doc[i].lower_))) and verb.pos_ == "VERB":
                metrics[verb.i] = metric
        for i in numpy.flatnonzero(doc.to_array(POS) == VERB).tolist():
            verb = doc[i]
            if metrics.get(i) != "killed" and self._fatal(verb, metrics):
                metrics[i] = "killed"
            elif i not in metrics and (harm := self.harm_verbs.get(verb.lemma_.lower())):
                metrics[i] = harm
        doc._.triggers = Triggers(metrics, named, frozenset(fatal))
        return doc

    def _fatal(self, verb: Token, metrics: dict[int, str]) -> bool:
        """'shot dead', 'shot to death', 'shot and killed': a fatal word on the verb makes it a killing."""
        for child in verb.children:
            if child.dep_ in ("oprd", "acomp", "advmod") and child.lower_ in self.fatal_complements:
                return True
            if child.dep_ == "prep" and any((child.lower_, obj.lower_) in self.fatal_phrases for obj in child.children if obj.dep_ == "pobj"):
                return True
        # a killing joined to it about the same people: no subject of its own ('shot and killed', not 'shot and one of them died')
        joined = [c for c in verb.children if c.dep_ == "conj" and not _has_subject(c)]
        if verb.dep_ == "conj" and not _has_subject(verb):
            joined.append(verb.head)
        return verb.lemma_.lower() in self.harm_verbs and any(metrics.get(t.i) == "killed" for t in joined)


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


@Language.factory("newsevents_triggers", assigns=["doc._.triggers"])
def make_triggers(nlp: Language, name: str) -> TriggerMarker:
    return TriggerMarker(nlp.vocab, name)
