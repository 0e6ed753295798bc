"""The ``newsevents_attribution`` component: who says so, how the text frames a fact, and who did it.

For every fact (``doc._.facts``) it reads the dependency parse around the token that
situates the fact (``Reading.root``): the claimant, a claim verb ("says", "told AFP") whose
subject is a source or "according to X"; the modality, a modal auxiliary ("would hold"), a
demand or proposal that the figure lives under ("demanding a seven-day truce"), a
negation; and the actor, the subject of the nearest verb above ``Reading.actor_from``,
named as ``actors.json`` says. A sub-count takes its total's claimant. Word lists are in
``attribution.json``, ``actors.json`` and ``word_classes.json`` (the verbs of saying).
"""

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.extract.ruled import RuledComponent

_SOURCE_LABELS = {"ORG", "PERSON", "GPE"}
_TITLE_DEPS = {"compound", "poss", "amod", "nmod", "appos"}


def _organisation_names(doc: Doc) -> list[str]:
    return sorted({_clean_name(ent.text) for ent in doc.ents if ent.label_ == "ORG"}, key=len, reverse=True)


def _full_name(name: str, doc: Doc) -> str:
    """The longest organisation named in the article that starts with ``name``."""
    for candidate in _organisation_names(doc):
        if candidate.lower().startswith(name.lower()) and len(candidate) > len(name):
            return candidate
    return name


def _shortened_organisation(text: str, doc: Doc) -> str | None:
    """An organisation the article names in full, cited by the first words of its name."""
    for name in _organisation_names(doc):
        words = name.split()
        for size in range(len(words), 1, -1):
            if " ".join(words[:size]) in text:
                return name
    return None


def _clean_name(text: str) -> str:
    return text.removeprefix("the ").removeprefix("The ").removesuffix("'s").strip()


def _claimant_from_subject(subject: Token, doc: Doc, source_nouns: list[str]) -> str | None:
    """'Al Jazeera's Stefanie Dekker' → 'Al Jazeera'; 'Syrian Observatory head Rami ...' → the org;
    'the Gaza health ministry' → 'Gaza health ministry' (a common noun of ``source_nouns``)."""
    words = list(subject.subtree)
    span = doc[words[0].i: words[-1].i + 1]
    organisation = _shortened_organisation(span.text, doc)
    if organisation:
        return organisation
    for ent in span.ents:
        if ent.label_ == "ORG":
            return _full_name(_clean_name(ent.text), doc)
    for ent in span.ents:
        if ent.label_ in _SOURCE_LABELS:
            return _clean_name(ent.text)
    if subject.pos_ == "PROPN":
        return _full_name(" ".join(t.text for t in span if t.dep_ != "det" and not t.is_punct), doc)
    if subject.pos_ == "NOUN" and (subject.lemma_.lower() in source_nouns or subject.lower_ in source_nouns):  # 'media', not 'medium'
        words = doc[subject.left_edge.i:subject.i + 1]  # 'the Russian-installed governor' → 'Russian-installed governor'
        return _clean_name(words[1:].text if words[0].dep_ == "det" else words.text)
    return None


def claimant(quantity_root: Token, sentence: Span, rules: dict) -> str | None:
    """The source the sentence credits for the figure, or None when the text asserts it."""
    doc = sentence.doc
    lower = sentence.text.lower()
    for phrase in rules["according_to"]:
        position = lower.find(phrase + " ")
        if position >= 0:
            start_char = sentence.start_char + position + len(phrase) + 1
            after = [t for t in sentence if t.idx >= start_char]
            if after:
                source = _claimant_from_subject(_phrase_head(after[0]), doc, rules["source_nouns"])
                if source:
                    return source
    for token in sentence:
        if token.lemma_ in rules["claim_lemmas"] and token.pos_ == "VERB" and not claims_responsibility(token, rules):
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects and not _inside(quantity_root, subjects[0]):
                source = _claimant_from_subject(subjects[0], doc, rules["source_nouns"])
                if source:
                    return source
            if not subjects:
                source = _entity_before(token)
                if source:
                    return source
    return None


def claims_responsibility(verb: Token, rules: dict) -> bool:
    """'The Taliban claimed responsibility for the attack', 'IS claimed the bombing': a claim
    of the act, whose figures the claimant does not give."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in rules["responsibility_objects"] for c in verb.children)


def _phrase_head(token: Token) -> Token:
    """The noun a word of its phrase belongs to: 'the' or 'health' of 'the Gaza health ministry' → 'ministry'."""
    while token.dep_ in _TITLE_DEPS - {"appos"} | {"det"} and token.head is not token:
        token = token.head
    return token


def _entity_before(verb: Token) -> str | None:
    """'..., the Syrian Observatory says.': the parser often leaves such a verb without a subject."""
    for ent in verb.sent.ents:
        if ent.end == verb.i and ent.label_ in ("ORG", "PERSON"):
            return _full_name(_clean_name(ent.text), verb.doc) if ent.label_ == "ORG" else ent.text
    return None


def _inside(token: Token, head: Token) -> bool:
    return token == head or head in token.ancestors


def _below_outcome(chain: list[Token]) -> list[Token]:
    """The chain up to the figure's own verb when that verb tells what happened: a past
    tense in a relative clause ('called for an airstrike which killed two insurgents') or
    a participle clause ('called for an airstrike, killing multiple insurgents'). A demand
    above such a verb does not make its outcome hypothetical."""
    for index, token in enumerate(chain):
        if token.pos_ in ("VERB", "AUX"):
            outcome = (token.dep_ == "relcl" and token.tag_ == "VBD") or (token.dep_ == "advcl" and token.tag_ == "VBG")
            return chain[:index + 1] if outcome else chain
    return chain


def modality(quantity_root: Token, claimed_by: str | None, rules: dict) -> str:
    """hypothetical under a demand, proposal or condition, or as the aim of an infinitive
    clause; projected under a modal or 'on the verge of'; negated; claimed; asserted."""
    chain = [quantity_root, *quantity_root.ancestors]
    above = chain[1:]
    if any(t.pos_ in ("VERB", "AUX") and any(c.dep_ == "mark" and c.lower_ in rules["conditional_marks"] for c in t.children) for t in chain):
        return "hypothetical"
    outcome = _below_outcome(chain)
    if any(t.lemma_ in rules["hypothetical_lemmas"] and below.dep_ not in ("nsubj", "nsubjpass")
           for below, t in zip(outcome, outcome[1:])):  # not what the figure's own people do: '20,000 people sought refuge'
        return "hypothetical"
    if any(t.lemma_ in rules["projected_lemmas"] for t in above):
        return "projected"
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None:
        children = list(verb.children)
        if verb.dep_ in rules["purpose_deps"] and any(c.dep_ == "aux" and c.lower_ == "to" for c in children):
            return "hypothetical"  # 'an operation to arrest a Taliban leader': the aim, not the outcome
        if any(c.lower_ in rules["projected_aux"] and c.dep_ == "aux" for c in children):
            return "projected"
        if any(c.dep_ == "neg" for c in children):
            return "negated"
    return "claimed" if claimed_by else "asserted"


class ActorNames:
    """Who did what, for one document: the subject of a verb, named canonically."""

    def __init__(self, doc: Doc, rules: dict):
        self.actor_rules = rules["actors"]
        self.claim_lemmas = frozenset(rules["word_classes"]["claim_verbs"])
        self.attribution = rules["attribution"]
        self.country = main_country(doc)

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
            if verb.lemma_ in self.claim_lemmas and verb.pos_ == "VERB" and claims_responsibility(verb, self.attribution):
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



def main_country(doc: Doc) -> str | None:
    """The country most of the article's resolved places lie in."""
    places = sorted(doc._.places or [], key=lambda p: p.start)
    countries = Counter(p.entry.country_code for p in places if p.entry is not None and p.entry.country_code)
    return countries.most_common(1)[0][0] if countries else None


class Attribution(RuledComponent):
    rule_files = ("attribution", "actors", "word_classes")

    def use_rules(self, rules: dict) -> None:
        self.table = {**rules["attribution"], "claim_lemmas": rules["word_classes"]["claim_verbs"]}

    def process(self, doc: Doc) -> Doc:
        facts = doc._.facts or []
        actors = None
        for fact in facts:  # in order: a total before its sub-counts
            reading = fact.reading
            root = doc[reading.root]
            if reading.actor_from is not None:
                actors = actors or ActorNames(doc, self.rules)
                fact.actor = actors.actor_of(doc[reading.actor_from], reading.territorial)
            if fact.parent is not None:
                fact.claimed_by = facts[fact.parent].claimed_by
            fact.claimed_by = fact.claimed_by or claimant(root, root.sent, self.table)
            if fact.claimed_by and fact.claimed_by == doc._.publisher:  # the publisher's own reporting is asserted
                fact.claimed_by = None
            fact.modality = "negated" if reading.denied else modality(root, fact.claimed_by, self.table)
        return doc


@Language.factory("newsevents_attribution", requires=["doc._.facts"], assigns=["doc._.facts"])
def make_attribution(nlp: Language, name: str) -> Attribution:
    return Attribution(nlp.vocab, name)
