"""What the fact components share: the fact record, and the article's places read around a token.

A fact is made by ``counting`` (a figure or a person counted) or ``territory`` (a verb of
movement or control with a place) and completed by the components after them
(``attribution``, ``dating``, ``restatement``), in that order, in ``doc._.facts``.
"""

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

import numpy
from spacy.attrs import SENT_START
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Token

from pipeline.extract.dates import EventDate
from pipeline.extract.precision import contains, specificity

for _name, _default in (("facts", None), ("published", None), ("publisher", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
_SENTENCIZER = Sentencizer()
CHAIN_GAP = 3  # tokens at most between two places of a chain ("district, Ghazni")
CHAIN_POS = {"NOUN", "ADP", "DET"}  # what may stand between them besides punctuation
COUNTRY_ONLY = 6  # where_prec of a country
CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "parataxis"}  # a token in one of these relations heads a clause


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
    reading: "Reading" = field(default=None, repr=False, compare=False)


@dataclass
class Reading:
    """What the component that made a fact knows of it that the components after it need;
    not published."""

    root: int = 0  # the token that situates it: its sentence, clause, claimant and modality
    actor_from: int | None = None  # the token whose nearest subject above is the actor (None: no actor, or one named already)
    territorial: bool = False  # the actor may be any named group that holds ground
    denied: bool = False  # 'no one was killed': negated
    refers_back: bool = False  # 'the two insurgents': a definite count names a group already counted
    counted: bool = True  # a figure or a person counted, read in sequence with the facts before it
    place_from_before: bool = False  # its sentence names no place: the fact before's place, when it has one
    place_fallback: object | None = None  # ... else this one (the last place named just before, else the country)
    confidence_unplaced: float | None = None  # its confidence should it end without a place
    date_from_before: bool = False  # no time cue since the fact before: that fact's date
    date_fallback: EventDate | None = None  # ... or, for the first fact, the article's


@dataclass(frozen=True)
class FromBefore:
    """No place in the fact's sentence: the fact before's, else ``fallback``."""

    fallback: object | None


class ArticlePlaces:
    """The article's places (``doc._.places``) as facts find them: inside a phrase, nearest
    in the sentence, after a word; each time the finest place named for the same happening
    (``finest``)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.sentence_starts = sentence_starts(doc)
        self.places = sorted(doc._.places or [], key=lambda p: p.start)
        country = main_country(doc)
        self.country_place = next((p for p in self.places if p.feature == "country" and p.entry and p.entry.country_code == country), None)
        self.datelines = self._dateline_places()
        self.story = self._story_places()

    def sentence_index(self, token_i: int) -> int:
        return bisect_right(self.sentence_starts, token_i) - 1

    def place_in(self, token: Token):
        """A place mention inside ``token``'s subtree."""
        indices = {t.i for t in token.subtree}
        return next((p for p in self.places if p.start in indices), None)

    @staticmethod
    def place(fact: Fact, found, confidence: tuple[float, float] | None = None) -> None:
        """Give ``fact`` the place found for it (a ``FromBefore``: the restatement component
        decides), and its confidence with a place and without."""
        if isinstance(found, FromBefore):
            fact.place = None
            fact.reading.place_from_before, fact.reading.place_fallback = True, found.fallback
            if confidence:
                fact.confidence, fact.reading.confidence_unplaced = confidence
        else:
            fact.place = found
            if confidence:
                fact.confidence = confidence[0] if found else confidence[1]

    def place_near(self, token: Token):
        """Nearest place in the fact's clause, else in its sentence (one the gazetteer resolved, when
        there is one), made as fine as its chain, clause and sentence allow (``finest``). With none
        in the sentence: the place of the fact before (the article goes on about the same event)
        or, when that has none, the last place in the two sentences before, as fine as its chain
        allows (a sentence before may be about something else); else the story's own place (its
        lead's finest, else its dateline's), else the country."""
        sentence = token.sent
        inside = [p for p in self.places if sentence.start <= p.start < sentence.end]
        if inside:
            clause = _clause(token)
            in_clause = [p for p in inside if clause.start <= p.start < clause.end]
            pool = [p for p in in_clause or inside if specificity(p) is not None] or in_clause or inside
            nearest = min(pool, key=lambda p: (abs(p.start - token.i), p.start < token.i))
            # "in Yemen's Hodeidah province": the possessor holds the place the fact is in, when that one is known
            nearest = next((p for p in inside if p.start == nearest.end + 1 and p.entry is not None
                            and self.doc[nearest.end].lower_ in ("'s", "’s")), nearest)
            return self.finest(nearest, in_clause, inside)
        first = self.sentence_starts[max(0, self.sentence_index(token.i) - 2)]
        before = [p for p in self.places if first <= p.start < sentence.start and id(p) not in self.datelines]
        before = [p for p in before if specificity(p) is not None] or before
        if before:
            return FromBefore(self.finest(before[-1]))
        return FromBefore(self.story[0] if self.story else self.country_place)

    def finest(self, place, *pools):
        """``place``, or the finest place inside it of its chain, else of the first of ``pools``
        that names one: a fact is never only in the country, province or region when its phrase,
        clause or sentence names a place in it ("in Andar district, Ghazni province,
        Afghanistan"). A dateline names where the story was filed, not where anything happened."""
        coarseness = specificity(place)
        if coarseness is None:
            return place
        for pool in (self._chain(place), *pools):
            finer = [p for p in pool if not _dateline(p) and (s := specificity(p)) is not None and s < coarseness
                     and contains(place, p)]
            if finer:
                return min(finer, key=lambda p: (specificity(p), abs(p.start - place.start)))
        return place

    def _chain(self, place) -> list:
        """The places joined to ``place`` by commas, brackets, prepositions and nouns ('district,'),
        a few tokens apart at most: a chain of containers."""
        k = self.places.index(place)
        chain = [place]
        for step in (-1, 1):
            j = k
            while 0 <= j + step < len(self.places):
                a, b = sorted((self.places[j], self.places[j + step]), key=lambda p: p.start)
                between = self.doc[a.end:b.start]
                if not (len(between) <= CHAIN_GAP and all(t.is_punct or t.pos_ in CHAIN_POS for t in between)):
                    break
                j += step
                chain.append(self.places[j])
        return chain

    def _story_places(self) -> list:
        """The story's own place chain: the places of its lead, the first sentence that names a
        place finer than a country (else the first that names one), finest first; then the
        dateline's. A release's header ("ISAF Joint Command - Afghanistan") is no lead."""
        resolved = [p for p in self.places if specificity(p) is not None]
        lead = [p for p in resolved if id(p) not in self.datelines]
        first = next((p for p in lead if specificity(p) < COUNTRY_ONLY), lead[0] if lead else None)
        if first is not None:
            index = self.sentence_index(first.start)
            lead = [p for p in lead if self.sentence_index(p.start) == index]
        return sorted(lead, key=specificity) + [p for p in resolved if id(p) in self.datelines]

    def _dateline_places(self) -> set[int]:
        """The places of the dateline's chain ("KABUL, Afghanistan"), by id."""
        return {id(q) for p in self.places if _dateline(p) for q in self._chain(p)}

    def place_after(self, token: Token):
        sentence = token.sent
        after = [p for p in self.places if token.i < p.start < sentence.end]
        return self.finest(after[0], after) if after else self.place_near(token)

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


def _clause(token: Token):
    """The clause ``token`` is in: the subtree of its nearest head that opens a clause, less
    the clauses nested in it, as a span of the tokens from the first to the last of them
    left in it."""
    head = token
    while not _opens_clause(head) and head.head.i != head.i:
        head = head.head
    nested = {t.i for child in head.children if _opens_clause(child) for t in child.subtree}
    own = [t.i for t in head.subtree if t.i not in nested]
    return token.doc[own[0]:own[-1] + 1]


def _opens_clause(token: Token) -> bool:
    """A clause's head: the root, a clausal complement or modifier, or a verb joined to another ('and wounded three')."""
    return token.dep_ in CLAUSE_DEPS or token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")


def _dateline(place) -> bool:
    """An ALL-CAPS place name: a dateline ("KABUL, Afghanistan (Jan. 25) -")."""
    return place.text.isupper() and len(place.text) > 3


def sentence_starts(doc: Doc) -> list[int]:
    """Token index of each sentence start, as ``doc.sents`` has them (rule-based sentences when no
    component set any), without making the sentences."""
    if not doc.has_annotation("SENT_START"):
        return [sent.start for sent in _SENTENCIZER(doc.copy()).sents]
    starts = numpy.flatnonzero(doc.to_array(SENT_START)[1:] == 1) + 1
    return [0, *starts.tolist()] if len(doc) else []


def main_country(doc: Doc) -> str | None:
    """The country most of the article's resolved places lie in."""
    places = sorted(doc._.places or [], key=lambda p: p.start)
    countries = Counter(p.entry.country_code for p in places if p.entry is not None and p.entry.country_code)
    return countries.most_common(1)[0][0] if countries else None
