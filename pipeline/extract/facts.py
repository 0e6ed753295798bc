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

for _name, _default in (("facts", None), ("published", None), ("publisher", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
_SENTENCIZER = Sentencizer()


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
    in the sentence, after a word."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.sentence_starts = sentence_starts(doc)
        self.places = sorted(doc._.places or [], key=lambda p: p.start)
        country = main_country(doc)
        self.country_place = next((p for p in self.places if p.feature == "country" and p.entry and p.entry.country_code == country), None)

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
        """Nearest place in the sentence; else the place of the fact before (the article goes
        on about the same event) or, when that has none, the last place in the two sentences
        before, else the country."""
        sentence = token.sent
        inside = [p for p in self.places if sentence.start <= p.start < sentence.end]
        if inside:
            nearest = min(inside, key=lambda p: (abs(p.start - token.i), p.start < token.i))
            # "in Yemen's Hodeidah province": the possessor holds the place the fact is in, when that one is known
            return next((p for p in inside if p.start == nearest.end + 1 and p.entry is not None
                         and self.doc[nearest.end].lower_ in ("'s", "’s")), nearest)
        first = self.sentence_starts[max(0, self.sentence_index(token.i) - 2)]
        before = [p for p in self.places if first <= p.start < sentence.start]
        return FromBefore(before[-1] if before else self.country_place)

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
