"""The ``newsevents_territory`` component: ground taken, entered, besieged or left, without a figure.

A verb of movement or control with a place for its object or in its phrase is a
territorial fact: 'advanced on Shaar', 'captured the town', 'took control of Bunia',
'withdrew from Raqqa', 'Mosul fell to Islamic State' (its place the subject, its actor
after 'to'). The constructions are DependencyMatcher patterns (``territory.jsonl``); a
verb whose object is people ('captured a Taliban leader') is a detention, not territory.
"""

import numpy
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token

from pipeline.extract.attribution import ActorNames
from pipeline.extract.facts import ArticlePlaces, Fact, Reading
from pipeline.extract.ruled import GateCues, RuledComponent


class TerritoryVerbs(RuledComponent):
    rule_files = ("territory", "territory.jsonl", "word_classes", "actors", "attribution")

    def use_rules(self, rules: dict) -> None:
        self.word_classes = rules["word_classes"]
        self.subjects = self.word_classes["people"]
        self.territory = rules["territory"]
        self.patterns = {pattern["id"]: pattern for pattern in rules["territory.jsonl"]}
        self.verbs = DependencyMatcher(self.vocab, validate=True)
        for key, pattern in self.patterns.items():
            self.verbs.add(key, [pattern["pattern"]])
        # the matcher's object patterns match on every clause: ask it only when a verb's lemma can match
        self.verb_lemmas = numpy.array([self.vocab.strings.add(lemma) for pattern in self.patterns.values()
                                        for lemma in node_words(pattern, "verb")], dtype="uint64")

    def gate_cues(self) -> GateCues:
        """The words of each pattern's 'gate' node: its verb, or its object where the verb is
        everywhere ('took control of': 'take' alone says nothing)."""
        return GateCues(alone=frozenset(w for p in self.patterns.values() for w in node_words(p, p.get("gate", "verb"))))

    def process(self, doc: Doc) -> Doc:
        facts = doc._.facts = doc._.facts or []
        if numpy.isin(doc.to_array(LEMMA), self.verb_lemmas).any():
            facts.extend(self._territorial_facts(doc, {f.start_char for f in facts}))
        return doc

    def _territorial_facts(self, doc: Doc, taken: set[int]) -> list[Fact]:
        facts: dict[tuple[int, str], Fact] = {}
        skip = set(self.territory["skip_objects"])
        matches = self.verbs(doc)
        context = ArticlePlaces(doc) if matches else None
        actors = None
        for match_id, (verb_i, object_i) in matches:
            pattern = self.patterns[doc.vocab.strings[match_id]]
            verb, obj, metric = doc[verb_i], doc[object_i], pattern["metric"]
            falls, by = pattern.get("place") == "subject", None  # 'Mosul fell to the Taliban': the subject is the place
            if falls:
                by = next((c for c in obj.children if c.dep_ == "pobj"), None)
                obj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            elif self._takes_people(verb, context):
                continue  # 'captured a Taliban leader in Kandahar': a detention, not territory
            elif obj.lemma_.lower() in skip:
                obj = self._controlled(obj)
            elif obj.dep_ == "prep" and obj.lower_ not in pattern["preps"]:
                continue
            if obj is None or any(c.lemma_.lower() in skip for c in obj.children):
                continue
            place = context.place_in(obj)
            if place is None or place.start_char in taken:
                continue
            actor = None
            if falls:  # a group took it: not 'Jacksonville fell to 5-10', 'the number of farms in X fell to 896'
                actors = actors or ActorNames(doc, self.rules)
                actor = actors.canonical_actor(by, territorial=True) if by is not None else None
                if actor is None or not (place.start <= obj.i < place.end or obj.lemma_.lower() in self.word_classes["place_nouns"]):
                    continue
            fact = Fact(start_char=min(verb.idx, place.start_char), end_char=max(verb.idx + len(verb), place.end_char),
                        sentence_index=context.sentence_index(verb.i),
                        rule=f"verb:{verb.lemma_.lower()}", metric=metric, event_type="territorial", place=place,
                        reading=Reading(root=verb.i, actor_from=None if falls else verb.i, territorial=True, counted=False))
            fact.actor = actor
            fact.confidence = 0.6
            facts.setdefault((verb.i, metric), fact)
        return list(facts.values())

    def _takes_people(self, verb: Token, context: "ArticlePlaces") -> bool:
        """Whether the verb's object (or passive subject) is a person or a group of people (a
        name the NER calls a person counts only when it is no place: 'captured Goma')."""
        return any(c.dep_ in ("dobj", "nsubjpass") and (
            c.lemma_.lower() in self.subjects or c.tag_ == "PRP" or c.ent_type_ == "PERSON" and context.place_in(c) is None)
            for c in verb.children)

    def _controlled(self, control: Token) -> Token | None:
        """'control of the town of Bunia' → its 'of' phrase ('took control over the city' when the
        parse hangs the phrase on the verb); None when that phrase is a share ('control of 70
        percent of', 'of most of'), which is the territory_share rule's."""
        for prep in [*control.children, *control.head.children]:
            if prep.dep_ == "prep" and prep.lower_ in self.territory["control_preps"]:
                shares = [t for t in prep.subtree if t.like_num or t.lower_ in self.territory["partial_words"]]
                return None if shares else prep
        return None


def node_words(pattern: dict, node: str) -> list[str]:
    """The lemmas a pattern's node is written with ('verb': 'advance', 'march', ...)."""
    spec = next(n["RIGHT_ATTRS"] for n in pattern["pattern"] if n["RIGHT_ID"] == node)
    return spec["LEMMA"]["IN"]


@Language.factory("newsevents_territory", requires=["doc._.places", "doc._.facts"], assigns=["doc._.facts"])
def make_territory(nlp: Language, name: str) -> TerritoryVerbs:
    return TerritoryVerbs(nlp.vocab, name)
