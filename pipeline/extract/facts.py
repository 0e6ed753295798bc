"""Fact classification: which quantities say something about the conflict, and what.

A registered spaCy component (``newsevents_facts``) that runs after the quantity and
place components and the statistical parser. For every quantity it reads the dependency
parse around the number to decide the metric (a trigger lemma governs or modifies it),
the subject (the counted noun), sub-counts ("including 44 children"), the place, the
actor, who claims it, its modality and its date. Verbs of movement or control with a
place ("advanced on Shaar") give territorial facts without a number. All word lists are
rule tables in ``seeds/rules``.
"""

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

import numpy
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.matcher import DependencyMatcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.extract import attribution
from pipeline.extract.datelines import DatelineReader
from pipeline.extract.dates import DateResolver, EventDate, Reference
from pipeline.rules import load_rules

_COUNT_UNITS = {"people", None, "household", "family", "house", "building"}
_FACT_UNITS = {"household": "household", "family": "household", "house": "house", "building": "house"}
_NUMBER_WORDS = {"dozen", "score", "hundred", "thousand", "million", "billion", "ten", "several", "multiple", "numerous", "few"}
_MAX_CLIMB = 5

for _name, _default in (("facts", None), ("published", None), ("publisher", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@dataclass
class Fact:
    """One fact as one article states it (a row of the mentions table, before dedupe)."""

    start_char: int
    end_char: int
    sentence_index: int
    rule: str
    metric: str
    event_type: str
    value: float | None = None
    value_low: float | None = None
    value_high: float | None = None
    qualifier: str = "none"
    unit: str | None = None
    subject: str | None = None
    actor: str | None = None
    place: object | None = None  # a PlaceMention from the places component
    is_cumulative: bool = False
    modality: str = "asserted"
    claimed_by: str | None = None
    parent: int | None = None  # index of the parent fact in doc._.facts
    date: EventDate = field(default_factory=lambda: EventDate(None, None, None))
    confidence: float = 0.5


class FactExtractor:
    def __init__(self, vocab, rules_dir: str | None):
        self.rules = load_rules("facts", rules_dir)
        self.actors = load_rules("actors", rules_dir)
        date_rules = load_rules("dates", rules_dir)
        self.dates = DateResolver(vocab, date_rules)
        self.datelines = DatelineReader(vocab, date_rules["reference"])
        self.trigger = {lemma: metric for metric, spec in self.rules["metrics"].items() for lemma in spec["lemmas"]}
        self.subjects = self.rules["subjects"]
        self.cumulative = phrase_matcher(vocab, self.rules["cumulative_cues"])
        self.sub_count = phrase_matcher(vocab, self.rules["sub_count_cues"])
        self.sentence_cues = [(metric, phrase_matcher(vocab, spec["phrases"])) for metric, spec in self.rules["sentence_cues"].items()]
        territory = load_rules("territory", rules_dir)
        self.territory = territory
        self.verbs = DependencyMatcher(vocab)
        for pattern in territory["patterns"]:
            objects = {"LEMMA": {"IN": pattern["objects"]}} if "objects" in pattern else {}
            self.verbs.add(pattern["metric"], [[
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": pattern["lemmas"]}, "POS": "VERB"}},
                {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "object",
                 "RIGHT_ATTRS": {"DEP": {"IN": territory["object_deps"]}, **objects}},
            ]])
        self.object_preps = {metric: set(preps) for metric, preps in territory["object_preps"].items()}
        self.subject_places = {lemma for p in territory["patterns"] if p.get("place") == "subject" for lemma in p["lemmas"]}
        # the matcher's object patterns match on every clause: ask it only when a verb's lemma can match
        self.verb_lemmas = numpy.array([vocab.strings.add(lemma) for p in territory["patterns"] for lemma in p["lemmas"]], dtype="uint64")

    def __call__(self, doc: Doc) -> Doc:
        context = _ArticleContext(doc, self.actors, self.rules)
        context.reference = Reference.day(doc._.published) if doc._.published else self.datelines.reference(doc)
        context.default_date = self.dates.article_default(doc, context.reference)
        facts = context.facts
        quantities = doc._.quantities or []
        counted = {i for q in quantities for i in range(q.start, q.end)}
        self._fact_verbs: dict[int, int] = {}  # id of a singular fact -> its verb's index
        self._plural_refs: set[int] = set()  # 'killed the insurgents': token indices of definite plurals
        self._denials: set[int] = set()  # 'no one was killed': token indices of the denied people
        # one pass in text order, so that a fact can inherit from the one before it
        candidates = [(q.start, q) for q in quantities] + [(pair[0].i, pair) for pair in self._singular_objects(doc, counted)]
        for _, item in sorted(candidates, key=lambda pair: pair[0]):
            fact = self._singular_fact(*item, context) if isinstance(item, tuple) else self._quantity_fact(doc, item, context, facts)
            if fact:
                facts.append(context.as_repeat(fact))
        facts.extend(self._territorial_facts(doc, context, {f.start_char for f in facts}))
        for fact in facts:  # after every restatement ("dozens ... about 5 people") has set the figures
            if fact.parent is not None and not _fits_under(fact, facts[fact.parent]):
                fact.parent = None
        doc._.facts = facts
        return doc

    # --- quantities -------------------------------------------------------------

    def _quantity_fact(self, doc: Doc, quantity, context: "_ArticleContext", earlier: list[Fact]) -> Fact | None:
        if any(v is not None and v < 0 for v in (quantity.value, quantity.value_low, quantity.value_high)):
            return None  # "-28", "minus 28", "less than 0": no count, share, distance or duration is below zero
        span = doc[quantity.start:quantity.end]
        root = span.root
        anchor = root.head if root.dep_ in ("nummod", "quantmod") and root.head.i not in range(span.start, span.end) else root
        unit = quantity.normalized_unit
        parent = self._parent_of(span, earlier, context.sentence_index(root.i))
        fact = None
        if unit in ("percent", "fraction"):
            fact = self._territory_share(anchor, root, quantity, context)
        elif unit in self.rules["distance"]["units"]:
            fact = self._distance(anchor, quantity, context)
        elif unit in self.rules["duration"]["units"]:
            fact = self._duration(anchor, root, quantity)
        elif unit in _COUNT_UNITS:
            fact = self._count(anchor, root, quantity, context, parent, earlier)
        if fact is None:
            return None
        if parent is not None and fact.metric == earlier[parent].metric:
            mother = earlier[parent]
            fact.parent = parent
            fact.place = fact.place or mother.place
            fact.claimed_by = fact.claimed_by or mother.claimed_by
            fact.is_cumulative = mother.is_cumulative
        return self._situate(fact, root, context)

    def _situate(self, fact: Fact, root: Token, context: "_ArticleContext") -> Fact:
        """Sentence, cumulative cue, claimant, modality and date: the same for every kind of fact."""
        doc, sentence = root.doc, root.sent
        fact.sentence_index = context.sentence_index(root.i)
        fact.is_cumulative = fact.is_cumulative or bool(self.cumulative(sentence))
        fact.claimed_by = fact.claimed_by or attribution.claimant(root, sentence, self.rules)
        fact.modality = attribution.modality(root, self._third_party(fact.claimed_by, doc), self.rules)
        fact.date = self.dates.resolve(sentence, context.reference) or self._scene_date(sentence, context)
        return fact

    def _scene_date(self, sentence: Span, context: "_ArticleContext") -> EventDate:
        """For a sentence without a time cue: the last time cue said since the fact before
        ('The strike was Saturday. Also killed were ...'), else that fact's date."""
        last = context.facts[-1].sentence_index if context.facts else -1
        for index in range(context.sentence_index(sentence.start) - 1, last, -1):
            if found := self.dates.scene(context.sentences[index], context.reference):
                return found
        return context.current_date()

    # --- one person, no number ----------------------------------------------------

    def _singular_objects(self, doc: Doc, counted: set[int]) -> list[tuple[Token, Token, str]]:
        """'killed the Taliban leader', 'detained a suspect and two associates' → (singular noun,
        its trigger verb or noun, metric), once per noun and metric ('was wounded and detained': two)."""
        found, seen = [], set()

        def add(noun: Token, verb: Token, metric: str) -> None:
            if (key := (noun.i, metric)) not in seen:
                seen.add(key)
                found.append((noun, verb, metric))

        pronoun_rule = self.rules["singular_pronouns"]
        for verb in doc:
            metric, subject_harmed = self._verb_fate(verb) if verb.pos_ == "VERB" else (None, False)
            if metric not in self.rules["singular_metrics"]:
                continue
            pronouns = set(pronoun_rule["words"]) if metric in pronoun_rule["metrics"] else set()
            names = metric in self.rules["singular_names"]["metrics"]
            objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") or subject_harmed and c.dep_ == "nsubj"]
            if not objects and verb.dep_ == "conj":  # 'He was engaged and killed': the passive subject is shared
                objects = [c for c in verb.head.children if c.dep_ == "nsubjpass"]
            for obj in objects:
                for noun in (obj, *obj.conjuncts):
                    determiners = [c.lower_ for c in noun.children if c.dep_ in ("det", "poss")]
                    person = ((noun.tag_ == "NN" and noun.lemma_.lower() in self.subjects)
                              or (noun.tag_ == "PRP" and noun.lower_ in pronouns and obj.dep_ != "nsubj")  # not 'she died', a life's end
                              or (names and self._is_name(noun))
                              or (noun.ent_type_ == "NORP" and determiners in (["a"], ["an"])))  # 'killed a Palestinian'
                    if self._denied(noun, determiners) and noun.i not in counted:
                        add(noun, verb, metric)  # 'No one was killed', 'no civilians were injured'
                        self._denials.add(noun.i)
                    elif (person and noun.i not in counted
                            and not set(determiners) & set(self.rules["negation_words"] + ["any", "every", "each"])):
                        add(noun, verb, metric)
                    elif noun.tag_ == "NNS" and "both" in determiners and noun.lemma_.lower() in self.subjects and noun.i not in counted:
                        add(noun, verb, metric)  # 'Both soldiers were killed': two people
                    elif noun.tag_ == "NNS" and determiners == ["the"] and noun.lemma_.lower() in self.subjects and noun.i not in counted:
                        add(noun, verb, metric)  # 'killed the insurgents': the group an earlier amount counted
                        self._plural_refs.add(noun.i)
        for event in doc:  # 'confirmed the arrest of a Taliban facilitator', 'the capture of a Taliban leader'
            metric = self.trigger.get(event.lemma_.lower())
            if event.pos_ != "NOUN" or metric not in self.rules["singular_metrics"]:
                continue
            for prep in event.children:
                if prep.dep_ != "prep" or prep.lower_ != "of":
                    continue
                for obj in prep.children:
                    for noun in (obj, *obj.conjuncts) if obj.dep_ == "pobj" else ():
                        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
                        named = metric in self.rules["singular_names"]["metrics"] and self._is_name(noun)  # 'the death of Maulawi Tayeb'
                        if ((indefinite and noun.tag_ == "NN" and noun.lemma_.lower() in self.subjects) or named) and noun.i not in counted:
                            add(noun, event, metric)
        return found

    def _verb_fate(self, verb: Token) -> tuple[str | None, bool]:
        """The metric a verb phrase gives the people it is about, and whether its active subject
        is one of them: a trigger verb ('killed a commander'; 'a soldier died': its subject), a
        trigger complement ('was shot dead', 'was pronounced dead'), or a trigger noun after a
        light verb ('a boy suffered injuries': its subject) or a state preposition ('was taken
        into custody')."""
        if metric := self._own_metric(verb):
            return metric, verb.lemma_.lower() in self.rules["subject_harmed_lemmas"]
        return self._verb_complement_metric(verb), verb.lemma_.lower() in self.rules["light_verbs"]

    def _own_metric(self, verb: Token) -> str | None:
        """The metric of a verb itself or of its adjective complement ('shot dead', 'pronounced dead')."""
        if metric := self._trigger(verb):
            return metric
        complements = [c for c in verb.children if c.dep_ in ("oprd", "acomp") and c.pos_ == "ADJ"]
        return next((m for c in complements if (m := self._trigger(c))), None)

    def _singular_fact(self, noun: Token, verb: Token, metric: str, context: "_ArticleContext") -> Fact | None:
        if noun.i in self._plural_refs:
            return self._antecedent_fact(noun, verb, metric, context)
        denied = noun.i in self._denials
        pronoun = noun.tag_ == "PRP"
        definite = pronoun or self._is_name(noun) or any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "another") for c in noun.children)
        if definite and not denied and any(f.metric == metric and self._fact_verbs.get(id(f)) != verb.i for f in context.facts):
            return None  # 'the commander', 'him', a name: someone already counted (not by the same verb: 'killed Rostum and his associate')
        value = 0.0 if denied else 2.0 if noun.tag_ == "NNS" else 1.0  # 'no one', 'both soldiers', 'a leader'
        fact = Fact(start_char=noun.left_edge.idx, end_char=noun.idx + len(noun), sentence_index=0, rule=f"singular:{metric}",
                    metric=metric, event_type=self.rules["metrics"][metric]["event_type"], value=value, qualifier="exact",
                    unit="people", subject=self.subjects.get(noun.lemma_.lower(), "people"))
        fact.place = context.place_near(noun)
        fact.actor = context.actor_of(verb, territorial=False)
        fact.confidence = 0.6
        self._fact_verbs[id(fact)] = verb.i
        fact = self._situate(fact, noun, context)
        if denied:
            fact.modality = "negated"
        return fact

    def _denied(self, noun: Token, determiners: list[str]) -> bool:
        """'nobody', 'none', 'no one', 'no civilians': the people a sentence says were not harmed."""
        return noun.lower_ in self.rules["denial_words"] or "no" in determiners and (
            noun.lower_ == "one" or noun.lemma_.lower() in self.subjects)

    def _antecedent_fact(self, noun: Token, verb: Token, metric: str, context: "_ArticleContext") -> Fact | None:
        """'identified multiple armed insurgents ... engaged and killed the insurgents': the definite
        plural takes the amount of the last count of the same noun in the sentences before
        ('antecedent_sentences'), when that count is no fact of its own."""
        stated = {f.start_char for f in context.facts}
        first = context.sentence_starts[max(0, context.sentence_index(noun.i) - self.rules["antecedent_sentences"])]
        earlier = [q for q in noun.doc._.quantities or [] if first <= q.start and q.end <= noun.i and q.normalized_unit == "people"
                   and q.start_char not in stated and _counted_noun(noun.doc[q.start:q.end].root).lemma_.lower() == noun.lemma_.lower()]
        if not earlier:
            return None
        fact = self._base(earlier[-1], f"antecedent:{metric}", metric, self.rules["metrics"][metric]["event_type"])
        fact.start_char, fact.end_char = noun.left_edge.idx, noun.idx + len(noun)
        fact.unit, fact.subject = "people", self.subjects[noun.lemma_.lower()]
        fact.place = context.place_near(noun)
        fact.actor = context.actor_of(verb, territorial=False)
        return self._situate(fact, noun, context)

    def _is_name(self, noun: Token) -> bool:
        """A proper name that can be a person: not a place, group or date the NER knows ('killing Malawi Sahib')."""
        return (noun.tag_ in ("NNP", "NNPS") and noun.ent_type_ not in self.rules["singular_names"]["not_entities"]
                and noun.lemma_.lower() not in self.subjects and noun.lower_ not in self.subjects)

    @staticmethod
    def _third_party(claimed_by: str | None, doc: Doc) -> str | None:
        """The publisher's own reporting is asserted, not claimed."""
        return None if claimed_by and claimed_by == doc._.publisher else claimed_by

    def _parent_of(self, span: Span, earlier: list[Fact], sentence_index: int) -> int | None:
        """'including 44 children' → the last count before it in the same sentence, or in the
        sentence before when the cue opens this one ('Among the dead were five children')."""
        doc = span.doc
        window = doc[max(span.sent.start, span.start - 5):span.start]
        cues = self.sub_count(window)
        if not cues:  # 'including 44 children and 10 women': a part joined to a part hangs where that part does
            if span.root.dep_ != "conj":
                return None
            head = span.root.head
            return next((f.parent for f in reversed(earlier) if f.parent is not None and f.start_char <= head.idx < f.end_char), None)
        cue = cues[-1][1]  # the matcher gives offsets into the doc
        opens = cue == span.sent.start
        for index in range(len(earlier) - 1, -1, -1):
            if earlier[index].end_char <= doc[cue].idx and (
                    earlier[index].sentence_index == sentence_index or opens and earlier[index].sentence_index == sentence_index - 1):
                return index
        return None

    def _base(self, quantity, rule: str, metric: str, event_type: str) -> Fact:
        return Fact(
            start_char=quantity.start_char, end_char=quantity.end_char, sentence_index=0, rule=rule,
            metric=metric, event_type=event_type, value=quantity.value, value_low=quantity.value_low,
            value_high=quantity.value_high, qualifier=quantity.qualifier,
        )

    def _count(self, anchor: Token, root: Token, quantity, context, parent, earlier) -> Fact | None:
        if anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.lemma_.lower() in self.rules["of_holders"]:
            return None  # 'five members of one family': the family describes the members
        noun = _counted_noun(anchor)
        subject = self.subjects.get(noun.lemma_.lower()) or self.subjects.get(noun.lower_)
        if subject is None and noun.ent_type_ == "NORP" and noun.tag_ in ("NNPS", "NNS"):
            subject = "people"  # '405,000 South Sudanese', '52,000 Afghans'
        if subject is None and (self.rules["noun_metrics"].get(noun.lower_) or self.rules["noun_metrics"].get(noun.lemma_.lower())):
            subject = "people"  # '483 homeless', '253,000 returnees': the noun is the metric and counts people
        if subject is None and noun.pos_ == "VERB" and self._trigger(noun):
            subject = "people"  # '10,000 Displaced by Assam Floods': the parser hangs the number on the verb
        if subject is None and not _is_number_like(noun):
            if noun.tag_ == "NNS" and noun.is_lower and noun.i < quantity.end - 1:
                return None  # 'four operations targeting Taliban leaders': the number counts the noun the parse hangs it on
            # a headline the parser misreads ('3,030 People Evacuated'): the unit the quantity ends with
            subject = self.rules["unit_subjects"].get(quantity.normalized_unit)
            if subject is None:
                return None
        metric = earlier[parent].metric if parent is not None else (
            self.rules["noun_metrics"].get(noun.lower_) or self.rules["noun_metrics"].get(noun.lemma_.lower()) or self._count_metric(anchor)
            or self._sentence_metric(root.sent, _FACT_UNITS.get(quantity.normalized_unit, quantity.normalized_unit))
            or (self._trigger(noun) if noun is anchor and noun.pos_ in ("NOUN", "ADJ") else None))  # 'found 14 bodies', 'left 30 dead'
        things = self.rules["thing_subjects"]
        if subject in things["subjects"] and metric in things["never"]:  # '... three wounded and 150 houses destroyed'
            metric = next((m for t in noun.doc[noun.i + 1:noun.i + 3] if (m := self._trigger(t)) and m not in things["never"]), None)
        if metric is None:
            return None
        fact = self._base(quantity, f"count:{metric}", metric, self.rules["metrics"][metric]["event_type"])
        fact.unit = _FACT_UNITS.get(quantity.normalized_unit, "people")
        fact.subject = subject or "people"
        fact.place = context.place_near(root)
        fact.actor = context.actor_of(anchor, territorial=False)
        fact.confidence = 0.8 if fact.place else 0.6
        return fact

    def _count_metric(self, anchor: Token) -> str | None:
        """The first trigger lemma found climbing from the quantity towards the sentence root."""
        token = anchor
        if (metric := self._trigger(anchor)) and anchor.pos_ == "VERB":  # the parser hung the count on the verb
            return metric
        if self._fatally(anchor):
            return "killed"  # 'four people were shot, two of them fatally'
        for child in anchor.children:
            if child.dep_ in ("amod", "acl", "relcl", "appos") and (metric := self._trigger(child)):
                return metric
        lives = self.rules["lives_taken"]
        for _ in range(_MAX_CLIMB):
            head = token.head
            if head is token:
                return None
            if (token.dep_ == "nsubj" and head.pos_ == "VERB" and any(c.dep_ == "dobj" for c in head.children)
                    and self._own_metric(head) in self.rules["singular_metrics"]
                    and head.lemma_.lower() not in self.rules["subject_harmed_lemmas"]):
                return None  # 'two gunmen killed 12 soldiers': the subject of an active killing did it
            if metric := self._trigger(head):
                return metric
            if token.dep_ == "dobj" and token.lemma_.lower() == lives["noun"] and head.lemma_.lower() in lives["verbs"]:
                return "killed"  # 'claimed the lives of 12 people', 'cost 300 lives'
            for sibling in head.children:
                if sibling is not token and sibling.dep_ in ("oprd", "acomp", "xcomp", "attr") and (metric := self._trigger(sibling)):
                    return metric
                if sibling.dep_ == "prep" and sibling.lower_ == "among":  # 'Among the dead were', 'were among those killed'
                    groups = [c for c in sibling.children if c.dep_ == "pobj"]
                    if metric := next((m for c in groups for t in (c, *c.children) if (m := self._trigger(t))), None):
                        return metric
            if token.dep_ in ("nsubj", "nsubjpass", "dobj") and (metric := self._verb_complement_metric(head)):
                return metric
            if metric := self._level_metric(head, token):
                return metric
            if head.lemma_ in self.rules["claim_lemmas"]:
                return None
            if token.dep_ in ("nsubj", "nsubjpass") and head.dep_ in ("conj", "parataxis", "ccomp") and _has_subject(head.head):
                return None  # 'Four civilians were brought to a base, three died': the next clause has its own subject
            token = head
        return None

    def _level_metric(self, verb: Token, below: Token) -> str | None:
        """A figure as the level a trigger noun reaches: 'the death toll rose to 57', 'brought
        the toll to 112', 'put the death toll at 30', 'the toll topped 100' (not 'rose by 10')."""
        if verb.lemma_.lower() not in self.rules["level_verbs"] or not (below.dep_ == "dobj" or below.lower_ in ("to", "at")):
            return None
        for child in verb.children:
            if child is not below and child.dep_ in ("nsubj", "nsubjpass", "dobj"):
                if metric := self._trigger(child):
                    return metric
                if child.lemma_.lower() in self.rules["level_nouns"]:  # 'the number of people killed'
                    return next((m for t in child.subtree if t is not child and (m := self._trigger(t))), None)
        return None

    def _verb_complement_metric(self, verb: Token) -> str | None:
        """The subject's verb says what happened through a phrase, not its lemma: one of
        'state_nouns' after one of 'state_preps' ('two men were taken into custody', 'took the two
        occupants into custody'; not 'was charged in the death of'), a trigger
        noun as the object of one of 'light_verbs' ('four received minor injuries'), or a passive
        verb joined to it that shares its subject ('several insurgents presented a threat
        and were killed'). An active joined verb is not the subject's fate ('militants
        attacked the base and killed two soldiers')."""
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        light = verb.lemma_.lower() in self.rules["light_verbs"]
        for child in verb.children:
            if light and child.dep_ == "dobj" and child.pos_ == "NOUN" and (metric := self._trigger(child)):
                return metric  # 'four received minor injuries'
            if child.dep_ == "prep" and child.lower_ in self.rules["state_preps"]:
                for noun in child.children:
                    if noun.dep_ == "pobj" and noun.lemma_.lower() in self.rules["state_nouns"] and (metric := self._trigger(noun)):
                        return metric
            if (child.dep_ == "conj" and child.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in child.children)
                    and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children) and (metric := self._trigger(child))):
                return metric
        return None

    def _sentence_metric(self, sentence: Span, unit: str | None) -> str | None:
        """Fallback when the parse links a count to no trigger: a cue phrase of the sentence
        ('people were still in nine evacuation centres', '29,739 People lost\ntheir homes')."""
        words = words_across_lines(sentence)
        for metric, matcher in self.sentence_cues:
            if unit in self.rules["sentence_cues"][metric]["units"] and matcher(words):
                return metric
        return None

    def _trigger(self, token: Token) -> str | None:
        if token.pos_ == "VERB" and self._fatally(token):
            return "killed"  # 'was fatally shot', 'mortally wounded'
        lemma = token.lemma_.lower()
        metric = self.trigger.get(lemma) or self.trigger.get(token.lower_)
        if metric and lemma in self.rules["verb_only_lemmas"] and token.pos_ != "VERB":
            return None
        return metric

    def _fatally(self, token: Token) -> bool:
        """One of 'fatal_adverbs' modifies the word: 'fatally shot', 'two of them fatally'."""
        return any(c.dep_ == "advmod" and c.lower_ in self.rules["fatal_adverbs"] for c in token.children)

    def _territory_share(self, anchor: Token, root: Token, quantity, context) -> Fact | None:
        control = self.rules["territory"]["control_lemmas"]
        chain = [anchor, *list(anchor.ancestors)[:_MAX_CLIMB]]
        if not any(t.lemma_.lower() in control or t.lower_ in control for t in chain):
            return None
        fact = self._base(quantity, "share:control", "territory_share", "territorial")
        if quantity.normalized_unit == "fraction":
            fact.value, fact.value_low, fact.value_high = (_percent(v) for v in (quantity.value, quantity.value_low, quantity.value_high))
        if any(v is not None and v > 100 for v in (fact.value, fact.value_low, fact.value_high)):
            return None  # '225 percent' is a change, not a share of an area
        fact.unit = "percent"
        fact.place = context.place_of_object(anchor, root, self.rules["territory"]["place_nouns"])
        fact.actor = context.actor_of(anchor, territorial=True)
        fact.confidence = 0.8 if fact.place else 0.5
        return fact

    def _distance(self, anchor: Token, quantity, context) -> Fact | None:
        cues = self.rules["distance"]["cue_lemmas"]
        sentence = anchor.sent
        near = [t for t in sentence if abs(t.i - anchor.i) <= 4 and t.lemma_.lower() in cues]
        if not near:
            return None
        fact = self._base(quantity, "distance:away", "distance", "frontline")
        fact.unit = "metre"
        if quantity.normalized_unit != "metre":
            factor = {"kilometre": 1000.0, "mile": 1609.344, "yard": 0.9144, "foot": 0.3048}[quantity.normalized_unit]
            fact.value, fact.value_low, fact.value_high = (None if v is None else v * factor for v in (fact.value, fact.value_low, fact.value_high))
        fact.place = context.place_after(anchor)
        fact.actor = context.actor_of(anchor, territorial=True)
        fact.confidence = 0.7 if fact.place else 0.5
        return fact

    def _duration(self, anchor: Token, root: Token, quantity) -> Fact | None:
        nouns = self.rules["duration"]["nouns"]
        target = next((t for t in (anchor, root.head, anchor.head) if t.lemma_.lower() in nouns), None)
        if target is None:
            return None
        fact = self._base(quantity, f"duration:{target.lemma_.lower()}", "duration", "truce")
        fact.unit = "day"
        if quantity.normalized_unit != "day":
            factor = {"hour": 1 / 24, "week": 7.0, "month": 30.0}[quantity.normalized_unit]
            fact.value, fact.value_low, fact.value_high = (None if v is None else v * factor for v in (fact.value, fact.value_low, fact.value_high))
        fact.confidence = 0.7
        return fact

    # --- territorial verbs ------------------------------------------------------

    def _territorial_facts(self, doc: Doc, context: "_ArticleContext", taken: set[int]) -> list[Fact]:
        facts: dict[tuple[int, str], Fact] = {}
        skip = set(self.territory["skip_objects"])
        if not numpy.isin(doc.to_array(LEMMA), self.verb_lemmas).any():
            return []
        for match_id, (verb_i, object_i) in self.verbs(doc):
            verb, obj, metric = doc[verb_i], doc[object_i], doc.vocab.strings[match_id]
            falls, by = verb.lemma_.lower() in self.subject_places, None  # 'Mosul fell to the Taliban': the subject is the place
            if falls:
                by = next((c for c in obj.children if c.dep_ == "pobj"), None)
                obj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            elif self._takes_people(verb, context):
                continue  # 'captured a Taliban leader in Kandahar': a detention, not territory
            elif obj.lemma_.lower() in skip:
                obj = self._controlled(obj)
            elif obj.dep_ == "prep" and obj.lower_ not in self.object_preps[metric]:
                continue
            if obj is None or any(c.lemma_.lower() in skip for c in obj.children):
                continue
            place = context.place_in(obj)
            if place is None or place.start_char in taken:
                continue
            if falls:  # a group took it: not 'Jacksonville fell to 5-10', 'the number of farms in X fell to 896'
                actor = context.canonical_actor(by, territorial=True) if by is not None else None
                if actor is None or not (place.start <= obj.i < place.end or obj.lemma_.lower() in self.rules["territory"]["place_nouns"]):
                    continue
            else:
                actor = context.actor_of(verb, territorial=True)
            fact = Fact(start_char=min(verb.idx, place.start_char), end_char=max(verb.idx + len(verb), place.end_char),
                        sentence_index=context.sentence_index(verb.i),
                        rule=f"verb:{verb.lemma_.lower()}", metric=metric, event_type="territorial", place=place)
            fact.actor = actor
            fact.claimed_by = attribution.claimant(verb, verb.sent, self.rules)
            fact.modality = attribution.modality(verb, self._third_party(fact.claimed_by, doc), self.rules)
            fact.date = self.dates.resolve(verb.sent, context.reference) or context.default_date
            fact.confidence = 0.6
            facts.setdefault((verb.i, metric), fact)
        return list(facts.values())

    def _takes_people(self, verb: Token, context: "_ArticleContext") -> bool:
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


_COARSE_FEATURES = ("admin1", "region", "country")


def _rank(place) -> int:
    """Smaller is finer: a city or district before a province before a country."""
    if place is None:
        return len(_COARSE_FEATURES) + 1
    return _COARSE_FEATURES.index(place.feature) + 1 if place.feature in _COARSE_FEATURES else 0


def _same_area(a, b) -> bool:
    """Places that can name the same event's location: equal, one inside the other's province,
    or one inside the other's country or region ('in southern Afghanistan' ... 'in Nowzad district')."""
    if a is None or b is None or a.place_name == b.place_name:
        return True
    admin_a, admin_b = (getattr(p.entry, "admin1", None) if p.entry else None for p in (a, b))
    if bool(admin_a) and admin_a == admin_b and "admin1" in (a.feature, b.feature):
        return True
    country_a, country_b = (getattr(p.entry, "country_code", None) if p.entry else None for p in (a, b))
    return bool(country_a) and country_a == country_b and bool({"country", "region"} & {a.feature, b.feature})


def _repeat_of(fact: Fact, earlier: Fact) -> Fact:
    """``fact`` says ``earlier`` again: it takes its key (subject, place, date, framing)."""
    if _rank(fact.place) < _rank(earlier.place):
        earlier.place = fact.place  # 'in Kunar', then 'in Dangam district': keep the finer place
    fact.subject, fact.place, fact.date = earlier.subject, earlier.place, earlier.date
    fact.is_cumulative, fact.modality = earlier.is_cumulative, earlier.modality
    return fact


def _restate(vague: Fact, exact: Fact) -> None:
    """The vague mention takes the exact figure of the same group."""
    vague.value, vague.value_low, vague.value_high = exact.value, exact.value_low, exact.value_high
    vague.qualifier, vague.rule = exact.qualifier, f"{vague.rule}+restated"


def _fits_under(sub: Fact, parent: Fact) -> bool:
    """A part is no larger than its whole: "10 killed, including 50 children" names two
    figures that disagree (or a misread), not a sub-count."""
    bounds = [v for v in (parent.value, parent.value_high) if v is not None]
    return sub.value is None or not bounds or sub.value <= max(bounds)


def _is_plural_count(fact: Fact) -> bool:
    """An exact figure of two or more: what a vague amount can be restated as (one
    named leader is not 'several suspects')."""
    return fact.rule.startswith("count:") and fact.value is not None and fact.value >= 2


def _is_vague(fact: Fact) -> bool:
    return fact.qualifier == "vague" and fact.value is None


def _same_people(a: str | None, b: str | None) -> bool:
    """Subjects that can count the same group: equal, or one of them just 'people'."""
    return a == b or "people" in (a, b) or None in (a, b)


def _same_province(a, b) -> bool:
    """Looser than ``_same_area`` for restated amounts: only places known to lie in different
    provinces tell two groups apart ('in Logar province' ... 'in the village of Yusof Kheyl')."""
    admin_a, admin_b = (getattr(getattr(p, "entry", None), "admin1", None) for p in (a, b))
    return _same_area(a, b) or not (admin_a and admin_b) or admin_a == admin_b


def phrase_matcher(vocab, phrases: list[str]) -> PhraseMatcher:
    matcher = PhraseMatcher(vocab, attr="LOWER")
    matcher.add("CUE", [Doc(vocab, words=phrase.split()) for phrase in phrases])
    return matcher


def words_across_lines(span: Span) -> Doc:
    """The span's words without its whitespace tokens, for phrases that run over a line break ('lost\ntheir homes')."""
    return Doc(span.doc.vocab, words=[t.text for t in span if not t.is_space])


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _is_number_like(token: Token) -> bool:
    return token.like_num or token.lemma_.lower() in _NUMBER_WORDS or token.pos_ == "NUM"


def _counted_noun(anchor: Token) -> Token:
    """'thousands of residents' → residents; '341 people' → people; 'dozens' → dozens."""
    if _is_number_like(anchor):
        for prep in anchor.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if objects and objects[0].pos_ != "PRON":  # 'several of them' counts what 'them' stands for
                    return objects[0]
    return anchor


class _ArticleContext:
    """What a fact needs from the rest of the article: sentences, places, the main country."""

    def __init__(self, doc: Doc, actor_rules: dict, fact_rules: dict):
        self.doc = doc
        self.text = doc.text  # Doc.text is rebuilt from the tokens on every access
        self.fact_rules = fact_rules
        self.additive_words = set(fact_rules["additive_words"])
        self.sentences = list(doc.sents)
        self.sentence_starts = [sent.start for sent in self.sentences]
        self.places = sorted(doc._.places or [], key=lambda p: p.start)
        countries = Counter(p.entry.country_code for p in self.places if p.entry is not None and p.entry.country_code)
        self.country = countries.most_common(1)[0][0] if countries else None
        self.country_place = next((p for p in self.places if p.feature == "country" and p.entry and p.entry.country_code == self.country), None)
        self.actor_rules = actor_rules
        self.claim_lemmas = set(fact_rules["claim_lemmas"])
        self.facts: list[Fact] = []
        self.reference: Reference | None = None  # the publication date, else the article's own dateline
        self.default_date = EventDate(None, None, None)

    def sentence_index(self, token_i: int) -> int:
        return bisect_right(self.sentence_starts, token_i) - 1

    def place_in(self, token: Token):
        """A place mention inside ``token``'s subtree."""
        indices = {t.i for t in token.subtree}
        return next((p for p in self.places if p.start in indices), None)

    def as_repeat(self, fact: Fact) -> Fact:
        """A figure the article already gave for the same metric and the same people is the
        same fact said again (headline, lead, body): it takes that fact's key so dedupe makes
        them one event ('a Taliban leader' and 'one insurgent' are two people).

        A vague amount and an exact count of the same people are one fact too ('several
        suspects' ... 'three suspects'): the vague mention takes the exact figure. A count
        with an additive word ('one additional suspect') adds to what came before, so it
        repeats nothing but a vague amount it makes exact.
        """
        additive = bool(self.additive_words & {w.lower() for w in self.text[fact.start_char:fact.end_char].split()})
        earlier_same_metric = [e for e in self.facts if e.metric == fact.metric and e.parent is None and fact.parent is None]
        candidates = [e for e in earlier_same_metric if _same_area(e.place, fact.place)]
        group = [e for e in earlier_same_metric if _same_province(e.place, fact.place) and _same_people(e.subject, fact.subject)
                 and e.modality == fact.modality and e.is_cumulative == fact.is_cumulative]
        vague = [e for e in group if _is_vague(e)]
        exact = [e for e in group if _is_plural_count(e)]
        if _is_plural_count(fact) and vague:
            last = vague[-1]
            for earlier in vague:  # the vague amount and its repeats
                if (earlier.value_low, earlier.value_high) == (last.value_low, last.value_high):
                    _restate(earlier, fact)
            return _repeat_of(fact, last)
        if _is_vague(fact) and exact and not additive:
            _restate(fact, exact[-1])
            return _repeat_of(fact, exact[-1])
        if additive:
            return fact
        for earlier in candidates:
            if ((earlier.value, earlier.value_low, earlier.value_high) == (fact.value, fact.value_low, fact.value_high)
                    and _same_people(earlier.subject, fact.subject)):
                return _repeat_of(fact, earlier)
        return fact

    def current_date(self) -> EventDate:
        """A sentence without a time cue goes on about the event last dated."""
        return self.facts[-1].date if self.facts else self.default_date

    def place_near(self, token: Token):
        """Nearest place in the sentence; else the place of the fact before (the article goes
        on about the same event); else the last place in the two sentences before; else the country."""
        sentence = token.sent
        inside = [p for p in self.places if sentence.start <= p.start < sentence.end]
        if inside:
            nearest = min(inside, key=lambda p: (abs(p.start - token.i), p.start < token.i))
            # "in Yemen's Hodeidah province": the possessor holds the place the fact is in, when that one is known
            return next((p for p in inside if p.start == nearest.end + 1 and p.entry is not None
                         and self.doc[nearest.end].lower_ in ("'s", "’s")), nearest)
        if self.facts and self.facts[-1].place is not None:
            return self.facts[-1].place
        first = self.sentence_starts[max(0, self.sentence_index(token.i) - 2)]
        before = [p for p in self.places if first <= p.start < sentence.start]
        return before[-1] if before else self.country_place

    def place_after(self, token: Token):
        sentence = token.sent
        after = [p for p in self.places if token.i < p.start < sentence.end]
        return after[0] if after else self.place_near(token)

    def place_of_object(self, anchor: Token, root: Token, place_nouns: list[str]):
        """'70 percent of east Aleppo' → east Aleppo; 'a third of the district' → the last district named."""
        for token in (anchor, root):
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    place = self.place_in(prep)
                    if place:
                        return place
                    nouns = [c for c in prep.children if c.dep_ == "pobj" and c.lemma_.lower() in place_nouns]
                    if nouns:
                        return self._last_place_like(nouns[0])
        return self.place_near(root)

    def _last_place_like(self, noun: Token):
        before = [p for p in self.places if p.start < noun.i]
        same_kind = [p for p in before if p.feature and noun.lemma_.lower() in p.feature]
        candidates = same_kind or before
        return candidates[-1] if candidates else None

    def actor_of(self, token: Token, territorial: bool) -> str | None:
        """The canonical name of the subject of the nearest verb above ``token`` that has one.

        The climb stops at a verb of saying: the one who says is not the one who acts.
        """
        for verb in (token, *token.ancestors):
            if verb.lemma_ in self.claim_lemmas and verb is not token:
                break
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "agent")  # not the harmed themselves ('two soldiers suffered injuries')
                        and not c.left_edge.i <= token.i <= c.right_edge.i] if verb.pos_ in ("VERB", "AUX") else []
            if subjects and subjects[0].tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                return self._relative_actor(verb.head, territorial) or self._responsible(token, territorial)
            if subjects and subjects[0].lower_ in self.actor_rules["pronouns"]:
                return self._speaker(verb, territorial)  # 'the army said it had killed 40 militants'
            if subjects:
                return self.canonical_actor(subjects[0], territorial) or self._responsible(token, territorial)
        return self._responsible(token, territorial)

    def _relative_actor(self, antecedent: Token, territorial: bool) -> str | None:
        """The actor of a relative clause's 'who', 'that' or 'which': its antecedent ('the gunman
        who killed 12 people'), else whoever used the antecedent ('Houthi rebels fired missiles that
        killed four people')."""
        if actor := self.canonical_actor(antecedent, territorial):
            return actor
        user = antecedent.head
        doers = [c for c in user.children if c.dep_ == "nsubj"] if antecedent.dep_ == "dobj" and user.pos_ == "VERB" else []
        return self.canonical_actor(doers[0], territorial) if doers else None

    def _speaker(self, verb: Token, territorial: bool) -> str | None:
        """The subject of the verb of saying above ``verb``."""
        said = next((v for v in verb.ancestors if v.lemma_ in self.claim_lemmas), None)
        speakers = [c for c in said.children if c.dep_ == "nsubj"] if said is not None else []
        return self.canonical_actor(speakers[0], territorial) if speakers else None

    def _responsible(self, token: Token, territorial: bool) -> str | None:
        """Who the sentence says claimed the act ('Islamic State claimed the bombing that killed 27 people')."""
        for verb in token.sent:
            if verb.lemma_ in self.claim_lemmas and verb.pos_ == "VERB" and attribution.claims_responsibility(verb, self.fact_rules):
                subjects = [c for c in verb.children if c.dep_ == "nsubj"]
                return self.canonical_actor(subjects[0], territorial) if subjects else None
        return None

    def canonical_actor(self, subject: Token, territorial: bool) -> str | None:
        core = _core_words(subject)
        text = " " + " ".join(t.lower_ for t in core) + " "
        indices = {t.i for t in core}
        entities = [e for e in subject.doc.ents if all(t.i in indices for t in e)]
        own = next((e.text for e in entities if e.label_ == "NORP"), None)  # 'Israeli air strikes'
        named = next((e.text.removeprefix("the ").removeprefix("The ") for e in entities if e.label_ == "ORG"), None)  # 'Al-Shabaab militants'
        demonym = own or self.actor_rules["demonyms"].get(self.country or "", "")
        for actor in self.actor_rules["actors"]:
            if (any(f" {k} " in text for k in actor["keywords"]) and not any(f" {k} " in text for k in actor.get("exclude", []))
                    and (own or not actor.get("needs_demonym"))):
                return named if named and actor.get("generic") else " ".join(actor["canonical"].replace("{country}", demonym).split())
        if named:
            return named
        if territorial and subject.pos_ in ("NOUN", "PROPN"):
            return " ".join(t.text for t in core if t.dep_ != "det")
        return None


def _core_words(subject: Token) -> list[Token]:
    """The subject's words without its prepositional phrases and clauses ('Rebel fire into ...' → 'Rebel fire')."""
    dropped: set[int] = set()
    for child in subject.children:
        if child.dep_ in ("prep", "relcl", "acl", "punct", "cc", "conj") and not (child.dep_ == "prep" and child.head.dep_ == "amod"):
            dropped.update(t.i for t in child.subtree)
    words = [t for t in subject.subtree if t.i not in dropped]
    for token in list(words):
        if token.dep_ == "amod":
            words.extend(t for t in token.subtree if t not in words)
    return sorted(words, key=lambda t: t.i)


@Language.factory("newsevents_facts", default_config={"rules_dir": None}, requires=["doc._.quantities", "doc._.places"], assigns=["doc._.facts"])
def make_fact_extractor(nlp: Language, name: str, rules_dir: str | None) -> FactExtractor:
    return FactExtractor(nlp.vocab, rules_dir)


