"""The ``newsevents_counting`` component: which quantities, and which people named one by one, are facts.

For every quantity (``doc._.quantities``) it reads the dependency parse around the number
to decide the metric (a trigger, ``doc._.triggers``, governs or modifies it), the subject
(the counted noun) and sub-counts ("including 44 children"); a share of a place held, a
distance from a place and the length of a truce are facts too. A person without a number
counts one ('killed a Taliban commander', 'a soldier died', 'no one was hurt': none), and a
definite plural ('killed the insurgents') the amount counted just before. It gives each
fact the place nearest to it; the components after it name the actor, the claimant and
the date, and settle what an article says twice.

The constructions that link a number or a person to what it counts ('killed 12 soldiers',
'left 30 dead', 'was shot dead', 'taken into custody', 'the death toll rose to 57') are
DependencyMatcher patterns in ``counting.jsonl``, matched from a token (``links``) in the
order of ``counting.json``'s 'links': at the count, then at each head climbing towards the
root. The rule's id is not in the mentions' ``rule`` column yet (``count:killed``): naming it
there would change every published row. Word lists in ``counting.json`` and ``word_classes.json``.
"""

import shutil
from pathlib import Path

import numpy
from spacy.attrs import POS
from spacy.language import Language
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token

from pipeline.extract.facts import ArticlePlaces, Fact, Reading
from pipeline.extract.lexicon import DEFAULT_PATH as LEXICON_PATH, load_lexicon
from pipeline.extract.links import Links, first_match
from pipeline.extract.ruled import GateCues, RuledComponent, phrase_matcher, words_across_lines

SHARE_UNITS = ("percent", "fraction")
NOUN_PHRASE_INNER = ("compound", "nmod")  # what a name or a bracket inside a noun phrase hangs on ('Four Afghan National Army (ANA) soldiers')


class FactCounter(RuledComponent):
    """Settings: ``max_climb``, how many heads above a count the search for its metric climbs;
    ``antecedent_sentences``, how many sentences back a definite plural finds its amount."""

    rule_files = ("counting", "counting.jsonl", "word_classes")

    def __init__(self, vocab, name: str, max_climb: int, antecedent_sentences: int):
        super().__init__(vocab, name)
        self.max_climb, self.antecedent_sentences = max_climb, antecedent_sentences

    def initialize(self, get_examples=None, *, nlp=None, rules_dir: str | None = None) -> None:
        """The rules, and the people lexicon: the saved pipeline's copy when ``rules_dir`` holds one, else the repo's."""
        saved = Path(rules_dir) / LEXICON_PATH.name if rules_dir else None
        self.lexicon_file = saved if saved and saved.is_file() else LEXICON_PATH
        self.lexicon = load_lexicon(str(self.lexicon_file))
        super().initialize(get_examples, nlp=nlp, rules_dir=rules_dir)

    def to_disk(self, path, *, exclude=()) -> None:
        super().to_disk(path, exclude=exclude)
        shutil.copyfile(self.lexicon_file, Path(path) / LEXICON_PATH.name)

    def use_rules(self, rules: dict) -> None:
        vocab = self.vocab
        self.table, self.word_classes = rules["counting"], rules["word_classes"]
        self.subjects = self.word_classes["people"]  # the override: words counted for a reason the lexicon does not know
        self.sub_count = phrase_matcher(vocab, self.table["sub_count_cues"])
        self.sentence_cues = [(metric, phrase_matcher(vocab, spec["phrases"])) for metric, spec in self.table["sentence_cues"].items()]
        words = {**self.word_classes, **self.table}
        links = Links(vocab, rules["counting.jsonl"], words)
        self.steps = {name: links.steps(specs, words) for name, specs in self.table["links"].items() if not name.startswith("_")}
        self.count_units = self.table["count_units"]
        self.number_words = frozenset(self.table["number_words"])

    def gate_cues(self) -> GateCues:
        rules = self.table
        units = {**{unit: rules["shares"]["control_lemmas"] for unit in SHARE_UNITS},
                 **{unit: rules["distances"]["cue_lemmas"] for unit in rules["distances"]["metres"]},
                 **{unit: rules["durations"]["nouns"] for unit in rules["durations"]["days"]}}
        return GateCues(alone_metrics=frozenset(rules["singular_metrics"]),
                        with_number=frozenset(rules["lives_nouns"]),  # 'claimed the lives of 12 people'
                        unit_words={unit: frozenset(words) for unit, words in units.items()},
                        nouns=frozenset(rules["noun_metrics"]),
                        phrases=tuple(p for spec in rules["sentence_cues"].values() for p in spec["phrases"]),
                        lookback=self.antecedent_sentences)

    def process(self, doc: Doc) -> Doc:
        context = _Counting(doc)
        facts = context.facts
        quantities = doc._.quantities or []
        counted = {i for q in quantities for i in range(q.start, q.end)}
        counted |= {anchor.i for q in quantities if (anchor := self._anchor(doc[q.start:q.end])).pos_ in ("NOUN", "PROPN")}
        # one pass in text order, so that a fact can inherit from the one before it
        candidates = [(q.start, q) for q in quantities] + [(pair[0].i, pair) for pair in self._singular_objects(doc, counted, context)]
        for _, item in sorted(candidates, key=lambda pair: pair[0]):
            fact = self._singular_fact(*item, context) if isinstance(item, tuple) else self._quantity_fact(doc, item, context, facts)
            if fact and not (isinstance(item, tuple) and self._joins_the_one_before(fact, item[0], context)):
                facts.append(fact)
        self._died_later(doc, context)
        doc._.facts = facts
        return doc

    @staticmethod
    def _joins_the_one_before(fact: Fact, noun: Token, context: "_Counting") -> bool:
        """'Maria Lopez, 31, and James Lopez, 35, were shot to death': people of one subject joined
        under one fate are one fact of two, not two of one (which would read as a figure said twice)."""
        before = context.facts[-1] if context.facts else None
        if (before is None or not before.rule.startswith("singular:") or before.reading.denied or fact.reading.denied
                or (before.metric, before.subject, context.fact_verbs.get(id(before))) != (fact.metric, fact.subject, fact.reading.actor_from)
                or noun.dep_ != "conj" or noun.head.i != before.reading.root):
            return False
        before.value += fact.value
        before.end_char = fact.end_char
        return True

    def _died_later(self, doc: Doc, context: "_Counting") -> None:
        """'A man was shot Friday night ... He died at the hospital': someone the article counted
        wounded, said to have died after (a pronoun or 'the' and a person noun as the subject
        of a verb of 'subject_harmed'), is killed: the wounding was the killing."""
        rule = self.table["died_later"]
        for fact in context.facts:
            if fact.metric != "injured" or fact.value != 1 or not fact.rule.startswith("singular:"):
                continue
            starts, last = context.sentence_starts, context.sentence_index(fact.reading.root) + rule["sentences"]
            later = doc[doc[fact.reading.root].sent.end:starts[last + 1] if last + 1 < len(starts) else len(doc)]
            for verb in later:
                subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                if (verb.pos_ == "VERB" and verb.lemma_.lower() in self.table["subject_harmed"] and subject is not None
                        and (subject.lower_ in rule["pronouns"] or any(c.lower_ == "the" for c in subject.children if c.dep_ == "det")
                             and self._people(subject))):
                    fact.metric, fact.rule = "killed", f"{fact.rule}+died"
                    break

    # --- quantities -------------------------------------------------------------

    def _quantity_fact(self, doc: Doc, quantity, context: "_Counting", earlier: list[Fact]) -> Fact | None:
        if any(v is not None and v < 0 for v in (quantity.value, quantity.value_low, quantity.value_high)):
            return None  # "-28", "minus 28", "less than 0": no count, share, distance or duration is below zero
        span = doc[quantity.start:quantity.end]
        root = span.root
        anchor = self._anchor(span)
        unit = quantity.unit_class
        parent = self._parent_of(span, earlier, context.sentence_index(root.i))
        fact = None
        if unit in SHARE_UNITS:
            fact = self._territory_share(anchor, root, quantity, context)
        elif unit in self.table["distances"]["metres"]:
            fact = self._distance(anchor, quantity, context)
        elif unit in self.table["durations"]["days"]:
            fact = self._duration(anchor, root, quantity)
        elif unit is None or unit in self.count_units:
            fact = self._count(anchor, root, quantity, context, parent, earlier)
        if fact is None:
            return None
        if parent is not None and fact.metric == earlier[parent].metric:
            fact.parent = parent
        elif parent is not None:
            _take_the_dead_from(earlier[parent], fact)
        return self._situate(fact, root, context)

    def _anchor(self, span: Span) -> Token:
        """The token a number counts: the noun it modifies, through the names and brackets that
        break a noun phrase ('Four Afghan National Army (ANA) soldiers' hangs 'Four' on 'Army'),
        else the number itself."""
        root = span.root
        if root.dep_ not in ("nummod", "quantmod") or root.head.i in range(span.start, span.end):
            return root
        anchor = root.head
        while (anchor.dep_ in NOUN_PHRASE_INNER and anchor.head.i > anchor.i and anchor.head.pos_ in ("NOUN", "PROPN")
               and self._people(anchor) is None):
            anchor = anchor.head
        return anchor

    @staticmethod
    def _situate(fact: Fact, root: Token, context: "_Counting") -> Fact:
        """The token and sentence that situate the fact, for the components after this one."""
        fact.sentence_index = context.sentence_index(root.i)
        fact.reading.root = root.i
        return fact

    # --- one person, no number ----------------------------------------------------

    def _singular_objects(self, doc: Doc, counted: set[int], context: "_Counting") -> list[tuple[Token, Token, str]]:
        """'killed the Taliban leader', 'detained a suspect and two associates' → (singular noun,
        its trigger verb or noun, metric), once per noun and metric ('was wounded and detained': two)."""
        found, seen = [], set()

        def add(noun: Token, verb: Token, metric: str) -> None:
            if (key := (noun.i, metric)) not in seen:
                seen.add(key)
                found.append((noun, verb, metric))

        pronoun_rule = self.table["singular_pronouns"]
        self_harm, one_more = self.table["self_harm"], self.table["one_more_words"]
        for i in numpy.flatnonzero(doc.to_array(POS) == VERB).tolist():
            verb = doc[i]
            if verb._.trigger == "killed" or verb.lemma_.lower() in self_harm["verbs"]:
                for own in (c for c in verb.children if c.dep_ == "dobj" and c.lower_ in self_harm["reflexives"]):
                    add(own, verb, "killed")  # 'a suicide bomber blew himself up', 'killing himself and 12 others'
                    context.perpetrators.add(own.i)
            fate = first_match(self.steps["fate"], verb)
            metric = self._metric_of(fate[1], fate[2]) if fate else None
            if metric not in self.table["singular_metrics"]:
                continue
            harmed = fate[0].harms_subject(verb)
            pronouns = set(pronoun_rule["words"]) if metric in pronoun_rule["metrics"] else set()
            names = metric in self.table["singular_names"]["metrics"]
            people = next((matched for step in self.steps["people"] if (matched := step.matches(verb, harmed=harmed))), [])
            for _, match in people:
                obj = match["person"]
                group = (obj, *obj.conjuncts)
                # a conjunct beside people or a count is a person too: 'the district head and his bodyguard'
                of_people = any(self._people(n) or n.i in counted or n.tag_ == "PRP" for n in group)
                shared = len(group) > 1 and of_people
                for noun in group:
                    if noun.i in counted:
                        continue  # 'One police officer': the number already counts the noun it hangs on
                    determiners = [c.lower_ for c in noun.children if c.dep_ in ("det", "poss")]
                    person = (((noun.tag_ == "NN" or noun.tag_ == "NNP" and determiners in (["a"], ["an"]))  # 'a jawan' the model takes for a name
                               and (self._people(noun) or (shared and determiners and not self._of_many(noun))))
                              or (noun.tag_ == "DT" and noun.lower_ in one_more["words"] and metric in one_more["metrics"])  # 'another was wounded'

                              or (noun.tag_ == "PRP" and noun.lower_ in pronouns and obj.dep_ != "nsubj")  # not 'she died', a life's end
                              or (names and self._is_name(noun))
                              or (noun.ent_type_ == "NORP" and determiners in (["a"], ["an"])))  # 'killed a Palestinian'
                    if self._denied(noun, determiners) and noun.i not in counted:
                        add(noun, verb, metric)  # 'No one was killed', 'no civilians were injured'
                        context.denials.add(noun.i)
                    elif (person and noun.i not in counted
                            and not set(determiners) & set(self.table["negation_words"] + ["any", "every", "each"])):
                        add(noun, verb, metric)
                    elif noun.tag_ == "NNS" and "both" in determiners and self._people(noun) and noun.i not in counted:
                        add(noun, verb, metric)  # 'Both soldiers were killed': two people
                    elif noun.tag_ == "NNS" and determiners == ["the"] and self._people(noun) and noun.i not in counted:
                        add(noun, verb, metric)  # 'killed the insurgents': the group an earlier amount counted
                        context.plural_refs.add(noun.i)
        for i in sorted(doc._.triggers.named):  # 'confirmed the arrest of a Taliban facilitator', 'the capture of a Taliban leader'
            event = doc[i]
            if event.pos_ != "NOUN":
                continue
            for step in self.steps["events"]:
                for link, match in step.matches(event):
                    metric, obj = self._metric_of(link, match), match["person"]
                    for noun in (obj, *obj.conjuncts):
                        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
                        named = metric in self.table["singular_names"]["metrics"] and self._is_name(noun)  # 'the death of Maulawi Tayeb'
                        if ((indefinite and noun.tag_ == "NN" and self._people(noun)) or named) and noun.i not in counted:
                            add(noun, event, metric)
        return found

    def _singular_fact(self, noun: Token, verb: Token, metric: str, context: "_Counting") -> Fact | None:
        if noun.i in context.plural_refs:
            return self._antecedent_fact(noun, verb, metric, context)
        denied = noun.i in context.denials
        pronoun = noun.tag_ == "PRP"
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in noun.children)  # 'a jawan', tagged a name
        definite = pronoun or self._is_name(noun) and not indefinite or any(
            c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "another") for c in noun.children)
        if definite and not denied and noun.i not in context.perpetrators and any(f.metric == metric and context.fact_verbs.get(id(f)) != verb.i for f in context.facts):
            return None  # 'the commander', 'him', a name: someone already counted (not by the same verb: 'killed Rostum and his associate')
        value = 0.0 if denied else 2.0 if noun.tag_ == "NNS" else 1.0  # 'no one', 'both soldiers', 'a leader'
        subject = self.table["self_harm"]["subject"] if noun.i in context.perpetrators else self._people(noun) or "people"
        fact = Fact(start_char=noun.left_edge.idx, end_char=noun.idx + len(noun), sentence_index=0, rule=f"singular:{metric}",
                    metric=metric, event_type=self.table["event_types"][metric], value=value, qualifier="exact",
                    unit="people", subject=subject, reading=Reading())
        context.place(fact, context.place_near(noun))
        fact.reading.actor_from, fact.reading.denied = verb.i, denied
        fact.confidence = 0.6
        context.fact_verbs[id(fact)] = verb.i
        return self._situate(fact, noun, context)

    def _denied(self, noun: Token, determiners: list[str]) -> bool:
        """'nobody', 'none', 'no one', 'no civilians': the people a sentence says were not harmed."""
        return noun.lower_ in self.table["denial_words"] or "no" in determiners and (
            noun.lower_ == "one" or self._people(noun) is not None)

    def _antecedent_fact(self, noun: Token, verb: Token, metric: str, context: "_Counting") -> Fact | None:
        """'identified multiple armed insurgents ... engaged and killed the insurgents': the definite
        plural takes the amount of the last count of the same noun in the sentences before
        ('antecedent_sentences'), when that count is no fact of its own."""
        stated = {f.start_char for f in context.facts}
        first = context.sentence_starts[max(0, context.sentence_index(noun.i) - self.antecedent_sentences)]
        earlier = [q for q in noun.doc._.quantities or [] if first <= q.start and q.end <= noun.i and q.unit_class == "people"
                   and q.start_char not in stated and self._counted_noun(noun.doc[q.start:q.end].root).lemma_.lower() == noun.lemma_.lower()]
        if not earlier:
            return None
        fact = self._base(earlier[-1], f"antecedent:{metric}", metric, self.table["event_types"][metric])
        fact.start_char, fact.end_char = noun.left_edge.idx, noun.idx + len(noun)
        fact.unit, fact.subject = "people", self._people(noun)
        context.place(fact, context.place_near(noun))
        fact.reading.actor_from = verb.i
        return self._situate(fact, noun, context)

    def _people(self, noun: Token) -> str | None:
        """The subject a noun counts: the override map's ('soldier' → 'soldiers', 'body' → 'people'),
        else the people lexicon's, by the noun with its compounds ('security guard') and alone
        ('bandit', 'jawan', 'herder'); None when it denotes no people."""
        lemma, lower = noun.lemma_.lower(), noun.lower_
        found = self.subjects.get(lemma) or self.subjects.get(lower)
        if found:
            return found
        compounds = [t.lemma_.lower() for t in noun.lefts if t.dep_ == "compound"]
        return ((compounds and self.lexicon.get(" ".join([*compounds, lemma]))) or self.lexicon.get(lemma) or self.lexicon.get(lower)
                or None)

    @staticmethod
    def _of_many(noun: Token) -> bool:
        """'a number of suspects', 'a group of fighters': the noun measures a plural after 'of', it is no person."""
        return any(c.dep_ == "prep" and c.lower_ == "of" and any(o.dep_ == "pobj" and o.tag_ in ("NNS", "NNPS") for o in c.children)
                   for c in noun.children)

    def _is_name(self, noun: Token) -> bool:
        """A proper name that can be a person: not a place, group or date the NER knows ('killing Malawi Sahib')."""
        return (noun.tag_ in ("NNP", "NNPS") and noun.ent_type_ not in self.table["singular_names"]["not_entities"]
                and noun.lemma_.lower() not in self.subjects and noun.lower_ not in self.subjects)  # not the lexicon: 'Sahib' is a name here

    def _parent_of(self, span: Span, earlier: list[Fact], sentence_index: int) -> int | None:
        """'including 44 children' → the last count before it in the same sentence, or in the
        sentence before when the cue opens this one ('Among the dead were five children')."""
        doc = span.doc
        window = doc[max(span.sent.start, span.start - 5):span.start]
        cues = self.sub_count(window)
        after = doc[span.end:min(span.end + 2, span.sent.end)]
        if not cues and after.text.lower() in self.table["sub_count_after"]:  # 'four people were shot, two of them fatally'
            cues = [(None, after.start, after.end)]
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
            value_high=quantity.value_high, qualifier=quantity.qualifier, reading=Reading(),
        )

    def _count(self, anchor: Token, root: Token, quantity, context, parent, earlier) -> Fact | None:
        if first_match(self.steps["not_counted"], anchor):
            return None  # 'five members of one family': the family describes the members
        noun = self._counted_noun(anchor)
        subject = self._people(noun)
        if subject is None and noun.ent_type_ == "NORP" and noun.tag_ in ("NNPS", "NNS"):
            subject = "people"  # '405,000 South Sudanese', '52,000 Afghans'
        if subject is None and (self.table["noun_metrics"].get(noun.lower_) or self.table["noun_metrics"].get(noun.lemma_.lower())):
            subject = "people"  # '483 homeless', '253,000 returnees': the noun is the metric and counts people
        if subject is None and noun.pos_ == "VERB" and self._trigger(noun):
            subject = "people"  # '10,000 Displaced by Assam Floods': the parser hangs the number on the verb
        if subject is None and not self._is_number_like(noun):
            if noun.tag_ == "NNS" and noun.is_lower and noun.i < quantity.end - 1:
                return None  # 'four operations targeting Taliban leaders': the number counts the noun the parse hangs it on
            # a headline the parser misreads ('3,030 People Evacuated'): the unit the quantity ends with
            subject = self.table["unit_subjects"].get(quantity.unit_class)
            if subject is None:
                return None
        metric = self._part_metric(anchor, earlier[parent]) if parent is not None else (
            self.table["noun_metrics"].get(noun.lower_) or self.table["noun_metrics"].get(noun.lemma_.lower()) or self._count_metric(anchor)
            or self._sentence_metric(root.sent, self.count_units.get(quantity.unit_class, quantity.unit_class))
            or (self._trigger(noun) if noun is anchor and noun.pos_ in ("NOUN", "ADJ") else None))  # 'found 14 bodies', 'left 30 dead'
        things = self.table["thing_subjects"]
        if subject in things["subjects"] and metric in things["never"]:  # '... three wounded and 150 houses destroyed'
            metric = next((m for t in noun.doc[noun.i + 1:noun.i + 3] if (m := self._trigger(t)) and m not in things["never"]), None)
        if metric is None:
            return None
        fact = self._base(quantity, f"count:{metric}", metric, self.table["event_types"][metric])
        fact.unit = self.count_units.get(quantity.unit_class, "people")
        fact.subject = subject or "people"
        context.place(fact, context.place_near(root), confidence=(0.8, 0.6))
        fact.reading.actor_from = anchor.i
        fact.reading.refers_back = any(c.dep_ in ("det", "poss") and c.lower_ in self.table["definite_words"] for c in noun.children)
        return fact

    def _part_metric(self, anchor: Token, whole: Fact) -> str:
        """A part counts what its whole counts, but the dead among the wounded ('four were shot, two of them fatally',
        'twelve were wounded, including three who died later') are killed."""
        return "killed" if whole.metric == "injured" and self._count_metric(anchor) == "killed" else whole.metric

    def _count_metric(self, anchor: Token) -> str | None:
        """The metric the links give: at the counted token itself, then climbing from it towards
        the sentence root, a step of links at each head; a stop ends the climb."""
        decided = first_match(self.steps["at_count"], anchor)
        token = anchor
        for _ in range(self.max_climb):
            if decided:
                break
            head = token.head
            if head.i == token.i:  # the root
                return None
            decided = first_match(self.steps["climbing"], head, token)
            token = head
        if not decided or decided[0].stop:
            return None
        return self._metric_of(decided[1], decided[2])

    @staticmethod
    def _metric_of(link, match) -> str | None:
        """The metric a link's match gives: its own, or that of its ``metric_from`` token."""
        if link.metric_from is None:
            return link.metric
        token = match[link.metric_from]
        marks = token.doc._.triggers
        return (marks.named if link.metric_by == "names" else marks.metrics).get(token.i)

    def _sentence_metric(self, sentence: Span, unit: str | None) -> str | None:
        """Fallback when the parse links a count to no trigger: a cue phrase of the sentence
        ('people were still in nine evacuation centres', '29,739 People lost\ntheir homes')."""
        words = words_across_lines(sentence)
        for metric, matcher in self.sentence_cues:
            if unit in self.table["sentence_cues"][metric]["units"] and matcher(words):
                return metric
        return None

    @staticmethod
    def _trigger(token: Token) -> str | None:
        return token.doc._.triggers.of(token)

    def _is_number_like(self, token: Token) -> bool:
        return token.like_num or token.lemma_.lower() in self.number_words or token.pos_ == "NUM"

    def _counted_noun(self, anchor: Token) -> Token:
        """'thousands of residents' → residents; '341 people' → people; 'dozens' → dozens."""
        if self._is_number_like(anchor):
            for prep in anchor.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    objects = [c for c in prep.children if c.dep_ == "pobj"]
                    if objects and objects[0].pos_ != "PRON":  # 'several of them' counts what 'them' stands for
                        return objects[0]
        return anchor

    def _territory_share(self, anchor: Token, root: Token, quantity, context) -> Fact | None:
        control = self.table["shares"]["control_lemmas"]
        chain = [anchor, *list(anchor.ancestors)[:self.max_climb]]
        if not any(t.lemma_.lower() in control or t.lower_ in control for t in chain):
            return None
        fact = self._base(quantity, "share:control", "territory_share", "territorial")
        if quantity.unit_class == "fraction":
            fact.value, fact.value_low, fact.value_high = (_percent(v) for v in (quantity.value, quantity.value_low, quantity.value_high))
        if any(v is not None and v > 100 for v in (fact.value, fact.value_low, fact.value_high)):
            return None  # '225 percent' is a change, not a share of an area
        fact.unit = "percent"
        context.place(fact, context.place_of_object(anchor, root, self.word_classes["place_nouns"]), confidence=(0.8, 0.5))
        fact.reading.actor_from, fact.reading.territorial = anchor.i, True
        return fact

    def _distance(self, anchor: Token, quantity, context) -> Fact | None:
        cues = self.table["distances"]["cue_lemmas"]
        sentence = anchor.sent
        near = [t for t in sentence if abs(t.i - anchor.i) <= 4 and t.lemma_.lower() in cues]
        if not near:
            return None
        fact = self._base(quantity, "distance:away", "distance", "frontline")
        fact.unit = "metre"
        if quantity.unit_class != "metre":
            factor = self.table["distances"]["metres"][quantity.unit_class]
            fact.value, fact.value_low, fact.value_high = (None if v is None else v * factor for v in (fact.value, fact.value_low, fact.value_high))
        context.place(fact, context.place_after(anchor), confidence=(0.7, 0.5))
        fact.reading.actor_from, fact.reading.territorial = anchor.i, True
        return fact

    def _duration(self, anchor: Token, root: Token, quantity) -> Fact | None:
        nouns = self.table["durations"]["nouns"]
        target = next((t for t in (anchor, root.head, anchor.head) if t.lemma_.lower() in nouns), None)
        if target is None:
            return None
        fact = self._base(quantity, f"duration:{target.lemma_.lower()}", "duration", "truce")
        fact.unit = "day"
        if quantity.unit_class != "day":
            factor = self.table["durations"]["days"][quantity.unit_class]
            fact.value, fact.value_low, fact.value_high = (None if v is None else v * factor for v in (fact.value, fact.value_low, fact.value_high))
        fact.confidence = 0.7
        return fact


def _take_the_dead_from(hurt: Fact, dead: Fact) -> None:
    """'Four people were shot, two of them fatally': the dead are no longer among the wounded
    (the Gun Violence Archive counts injured without the killed)."""
    if (hurt.metric, dead.metric) != ("injured", "killed") or hurt.value is None or dead.value is None or dead.value > hurt.value:
        return
    hurt.value -= dead.value
    hurt.value_low, hurt.value_high = (None if v is None else max(v - dead.value, 0) for v in (hurt.value_low, hurt.value_high))


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


class _Counting(ArticlePlaces):
    """One document's counting: its places, the facts made so far and what they were made from."""

    def __init__(self, doc: Doc):
        super().__init__(doc)
        self.facts: list[Fact] = []
        self.fact_verbs: dict[int, int] = {}  # id of a singular fact -> its verb's index
        self.plural_refs: set[int] = set()  # 'killed the insurgents': token indices of definite plurals
        self.denials: set[int] = set()  # 'no one was killed': token indices of the denied people
        self.perpetrators: set[int] = set()  # 'blew himself up': the reflexive pronouns that count the attacker dead


@Language.factory("newsevents_counting", default_config={"max_climb": 5, "antecedent_sentences": 2},
                  requires=["doc._.quantities", "doc._.places", "doc._.triggers"], assigns=["doc._.facts"])
def make_counting(nlp: Language, name: str, max_climb: int, antecedent_sentences: int) -> FactCounter:
    return FactCounter(nlp.vocab, name, max_climb, antecedent_sentences)
