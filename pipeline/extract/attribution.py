"""Who says so, and how the text frames a figure (asserted, claimed, projected, ...).

Both read the dependency parse around the quantity: a claim verb ("says", "told AFP")
whose subject is a source, "according to X", a modal auxiliary ("would hold"), a
demand or proposal that the figure lives under ("demanding a seven-day truce").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

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
