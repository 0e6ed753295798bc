"""The ``newsevents_restatement`` component: what a fact takes from the facts the article gave before it.

It runs last and reads the counted facts in text order (territorial facts stand alone):

- a fact whose sentence names no place is at the place of the fact before it, when that
  one has a place (the article goes on about the same event); a fact with no time cue
  since the fact before goes on at that fact's date;
- a sub-count ("including 44 children") takes its total's place when it has none of its
  own, and is a running total when its total is;
- a figure the article already gave for the same metric and the same people is the same
  fact said again (headline, lead, body), and so is a definite count of other words ('detained
  two cell members' ... 'the two targeted insurgents'): it takes that fact's key (subject, place, date,
  framing), so that dedupe makes them one event. A vague amount and an exact count of the
  same people are one fact too ('several suspects' ... 'three suspects'): the vague mention
  takes the exact figure. A count with one of 'additive_words' ('one additional suspect')
  adds to what came before, so it repeats nothing but a vague amount it makes exact;
- last, a part larger than its whole is no sub-count.

Each step needs the facts before it as the steps before left them, which is why this is
one pass and the last component.
"""

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.facts import Fact
from pipeline.extract.ruled import RuledComponent

_COARSE_FEATURES = ("admin1", "region", "country")


class Restatement(RuledComponent):
    rule_files = ("restatement",)

    def use_rules(self, rules: dict) -> None:
        self.additive_words = frozenset(rules["restatement"]["additive_words"])

    def process(self, doc: Doc) -> Doc:
        facts = doc._.facts
        text = doc.text  # Doc.text is rebuilt from the tokens on every access
        earlier: list[Fact] = []
        for fact in facts:
            reading = fact.reading
            if not reading.counted:
                continue
            before = earlier[-1] if earlier else None
            if reading.place_from_before:
                fact.place = before.place if before is not None and before.place is not None else reading.place_fallback
                if fact.place is None and reading.confidence_unplaced is not None:
                    fact.confidence = reading.confidence_unplaced
            if fact.parent is not None:
                total = facts[fact.parent]
                fact.place = fact.place or total.place
                fact.is_cumulative = fact.is_cumulative or total.is_cumulative
            if reading.date_from_before:
                fact.date = before.date if before is not None else reading.date_fallback
            earlier.append(self._as_repeat(fact, earlier, text))
        for fact in facts:  # after every restatement ("dozens ... about 5 people") has set the figures
            if fact.parent is not None and not _fits_under(fact, facts[fact.parent]):
                fact.parent = None
        return doc

    def _as_repeat(self, fact: Fact, earlier: list[Fact], text: str) -> Fact:
        additive = bool(self.additive_words & {w.lower() for w in text[fact.start_char:fact.end_char].split()})
        earlier_same_metric = [e for e in earlier if e.metric == fact.metric and e.parent is None and fact.parent is None]
        candidates = [e for e in earlier_same_metric if _same_area(e.place, fact.place)]
        group = [e for e in earlier_same_metric if _same_province(e.place, fact.place) and _same_people(e.subject, fact.subject)
                 and e.modality == fact.modality and e.is_cumulative == fact.is_cumulative]
        vague = [e for e in group if _is_vague(e)]
        exact = [e for e in group if _is_plural_count(e)]
        if _is_plural_count(fact) and vague:
            last = vague[-1]
            for restated in vague:  # the vague amount and its repeats
                if (restated.value_low, restated.value_high) == (last.value_low, last.value_high):
                    _restate(restated, fact)
            return _repeat_of(fact, last)
        if _is_vague(fact) and exact and not additive:
            _restate(fact, exact[-1])
            return _repeat_of(fact, exact[-1])
        if additive:
            return fact
        for candidate in candidates:
            if candidate.sentence_index == fact.sentence_index and candidate.subject != fact.subject:
                continue  # 'the district head and his bodyguard were killed': two groups of one sentence, one each
            if ((candidate.value, candidate.value_low, candidate.value_high) == (fact.value, fact.value_low, fact.value_high)
                    and (_same_people(candidate.subject, fact.subject) or fact.reading.refers_back)):  # 'the two insurgents'

                return _repeat_of(fact, candidate)
        return fact


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


def _same_province(a, b) -> bool:
    """Looser than ``_same_area`` for restated amounts: only places known to lie in different
    provinces tell two groups apart ('in Logar province' ... 'in the village of Yusof Kheyl')."""
    admin_a, admin_b = (getattr(getattr(p, "entry", None), "admin1", None) for p in (a, b))
    return _same_area(a, b) or not (admin_a and admin_b) or admin_a == admin_b


def _same_people(a: str | None, b: str | None) -> bool:
    """Subjects that can count the same group: equal, or one of them just 'people'."""
    return a == b or "people" in (a, b) or None in (a, b)


def _repeat_of(fact: Fact, earlier: Fact) -> Fact:
    """``fact`` says ``earlier`` again: it takes its key (subject, place, date, framing)."""
    if _rank(fact.place) < _rank(earlier.place):
        earlier.place = fact.place  # 'in Kunar', then 'in Dangam district': keep the finer place
    fact.subject, fact.place, fact.date = earlier.subject, earlier.place, earlier.date
    fact.is_cumulative, fact.modality = earlier.is_cumulative, earlier.modality
    fact.claimed_by = earlier.claimed_by  # the framing with its claimant: an asserted repeat names none
    return fact


def _restate(vague: Fact, exact: Fact) -> None:
    """The vague mention takes the exact figure of the same group."""
    vague.value, vague.value_low, vague.value_high = exact.value, exact.value_low, exact.value_high
    vague.qualifier, vague.rule = exact.qualifier, f"{vague.rule}+restated"


def _is_plural_count(fact: Fact) -> bool:
    """An exact figure of two or more: what a vague amount can be restated as (one
    named leader is not 'several suspects')."""
    return fact.rule.startswith("count:") and fact.value is not None and fact.value >= 2


def _is_vague(fact: Fact) -> bool:
    return fact.qualifier == "vague" and fact.value is None


def _fits_under(sub: Fact, parent: Fact) -> bool:
    """A part is no larger than its whole: "10 killed, including 50 children" names two
    figures that disagree (or a misread), not a sub-count."""
    bounds = [v for v in (parent.value, parent.value_high) if v is not None]
    return sub.value is None or not bounds or sub.value <= max(bounds)


@Language.factory("newsevents_restatement", requires=["doc._.facts"], assigns=["doc._.facts"])
def make_restatement(nlp: Language, name: str) -> Restatement:
    return Restatement(nlp.vocab, name)
