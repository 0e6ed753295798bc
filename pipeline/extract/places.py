"""The ``newsevents_places`` spaCy component: toponyms found in a document and resolved
against the offline gazetteer.

Recognition joins the model's GPE/LOC/FAC entities, the NORP and ORG entities that are
really places (the small model calls "Aleppo" NORP and "Gaziantep" ORG) and every
gazetteer name written in the text. Names inside other entities ("Washington Post",
"Syrian Observatory for Human Rights") and demonyms ("Syrian") are not places; demonyms
only tell which countries the article is about. A direction word makes a part of a
place ("east Aleppo"). An ALL-CAPS dateline ("WINNIPEG —") is a place whatever the NER
made of it, and a name the article uses as a place once is a place wherever it
recurs. An ambiguous name goes to the reading in a country the rest of the article
names, else to the most populous one. A name the gazetteer lacks ("Royal
Street") takes the point of the place the article is mostly about, at low confidence.

Associative mentions, a country's, continent's or region's adjective before a noun
("Russian officials", "European leaders", "English farmers": England) and a
place named inside an organisation's name ("Washington Post"), go to
``doc._.associative_places``: they are toponyms for the places table, never where a
fact happened.

Without an NER (``spacy.blank("en")``) the component still works from the gazetteer.
"""

import math
import shutil
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import ensure_path

from pipeline.extract.dates import MONTHS, WEEKDAYS
from pipeline.extract.gazetteer import DEFAULT_DIR, MAX_TOKENS, Candidate, Gazetteer, GazetteerEntry, fold, load_gazetteer

__all__ = ["GazetteerEntry", "PlaceMention", "PlacesRecognizer"]

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# labels the small model gives a place name it does not know ("in Manbij" as a DATE); a month is a date
MISLABELS = {"ORG", "PERSON", "DATE", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
BIG_PLACE = 100_000  # a city this populous is what its bare name means, even next to a same-named province
METROPOLIS = 1_000_000  # ... and so is one this populous by one of its alternate names ("New York")
# Reading scores: log10(population) plus these; a mention takes its best-scoring reading.
FEATURE_PRIOR = {"continent": 3.0, "country": 3.0, "admin1": 1.0, "admin2": 1.0}
ALTERNATE_PENALTY = 1.0  # the name is only one of the entry's alternate names
CURATED_BONUS = 2.0  # a curated entry exists because a big list lacked or misplaced it
COUNTRY_BONUS = 2.0  # the entry's country is named elsewhere in the article
ADMIN1_BONUS = 2.0  # the entry's province or state is named elsewhere in the article
CLEAR_MARGIN = 2.0  # a reading this far ahead of the next is clear enough to set the article's context
PROBABLE_WEIGHT = 0.5  # a reading that is not clear still counts for its country, less
UNRESOLVED_CONFIDENCE = 0.3  # only the NER says it is a place

NEARBY_CONFIDENCE = 0.3  # a name the gazetteer lacks, put at the place the article is about
WITHIN_CONFIDENCE = 0.5  # ... or at the place named with it as the one it lies in
CONTAINER_GAP = 3  # tokens between such a name and its container: "Dangam district, Kunar province"
CONTAINER_FEATURES = ("city", "district", "admin2", "admin1", "country")
DEMONYM_CONFIDENCE = 0.6  # "Russian officials": the country, but not a location
MODIFIER_DEPS = {"amod", "compound", "nmod"}  # a demonym in one of these relations modifies a noun
REGION_LABEL = "REGION"  # label of a region's adjective ("European"): names no country
DATELINE_ENDS = {"—", "–", "-", "(", ",", ":"}  # what follows the place of a dateline ("WASHINGTON (AP) —")
NEARBY_FEATURES = ("city", "district", "landmark", "city_part", "admin1")  # most precise first
# how coarse a container is: a name chained to one takes a reading of a finer level inside it
CONTAINER_LEVELS = {"admin2": 1, "admin1": 2, "region": 3, "country": 4, "continent": 5}

for _name in ("places", "country_context", "demonyms", "associative_places"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass(frozen=True)
class PlaceMention:
    start: int  # token indices of the span
    end: int
    start_char: int  # offsets into doc.text
    end_char: int
    text: str  # doc[span.start:span.end].text
    place_name: str | None  # normalised: "east Aleppo", "Aleppo", "Shaar", "Aleppo Citadel"
    feature: str | None  # city, district, admin2, admin1, country, landmark, region, continent, city_part
    entry: GazetteerEntry | None  # the resolved entry ("east Aleppo" → Aleppo) or None
    resolution_method: str  # curated, gazetteer_unique, country_context, population, reference, nearby,
    # unresolved; associative mentions: demonym, in_name
    confidence: float
    own_point: bool = True  # False: it sits on another place's point (a part of a city, a district put at its city)


@dataclass
class _Span:
    """A recognised span while it is being resolved."""

    start: int
    end: int
    core_start: int  # the name itself, without direction or part words
    core_end: int
    candidates: list[Candidate]
    part: str | None = None
    prefer: set[str] = field(default_factory=set)  # features a cue word asks for


class PlacesRecognizer:
    """Settings: the folder of curated gazetteer files (default ``seeds/gazetteer``) and the
    smallest city population loaded from GeoNames. ``initialize`` builds the gazetteer (or
    takes one, as the unit tests do); a saved pipeline keeps the curated files in the
    component's folder and builds it from them."""

    def __init__(self, name: str, gazetteer_dir: str | None, min_city_population: int):
        self.name = name
        self.gazetteer_dir, self.min_city_population = gazetteer_dir, min_city_population
        self.gaz: Gazetteer | None = None

    def initialize(self, get_examples=None, *, nlp=None, gazetteer: Gazetteer | None = None) -> None:
        self.use(gazetteer or load_gazetteer(self.gazetteer_dir, self.min_city_population))

    def to_disk(self, path, *, exclude=()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        for file in Path(self.gazetteer_dir or DEFAULT_DIR).iterdir():
            if file.is_file():
                shutil.copyfile(file, path / file.name)

    def from_disk(self, path, *, exclude=()) -> "PlacesRecognizer":
        self.use(load_gazetteer(str(path), self.min_city_population))
        return self

    def use(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        words = gazetteer.words
        self.directions = set(words["directions"])
        self.part_nouns = set(words["part_nouns"])
        self.cues = {k: set(v) for k, v in words["cues"].items()}
        self.joiners = {",", "(", "in", "of", "the"} | set(self.cues) | self.directions
        self.of_cues = set(self.cues) | self.directions | self.part_nouns
        self.titles = set(words["person_titles"])
        self.locatives = set(words["locative_prepositions"]) | set(words["object_verbs"])
        self.affiliations = set(words["affiliations"])
        self.lower_starts = {name.split()[0].split("-")[0] for name in gazetteer.names if name[:1].islower()}
        self.countries = {e.country_code: i for i, e in enumerate(gazetteer.entries) if e.feature == "country"}

    def names_a_place(self, doc: Doc, text: str, start: int, end: int) -> bool:
        """Whether any gazetteer name or demonym is written in tokens ``start:end`` (``text`` is
        ``doc.text``), whether or not it is a place there: the sentence gate asks, to give such
        a sentence the entities that tell a place from a person."""
        gazetteer = self.gaz
        for i in range(start, end):
            token = doc[i]
            if not (token.text[:1].isupper() or token.lower_ in self.lower_starts) or not gazetteer.may_start_name(text, token):
                continue
            for j in range(min(end, i + MAX_TOKENS), i, -1):
                name = text[token.idx:doc[j - 1].idx + len(doc[j - 1])]
                if name in gazetteer.demonyms or name in gazetteer.region_demonyms or gazetteer.exact(name):
                    return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        if self.gaz is None:
            raise RuntimeError(f"the {self.name} component has no gazetteer: initialize() it or load a saved pipeline")
        spans, demonyms, in_names = self._recognise(doc)
        doc._.demonyms = demonyms
        context = self._context(doc, spans, demonyms)
        total = sum(context.values(), Counter())
        doc._.country_context = {k: n for k, n in total.most_common() if isinstance(k, str)}
        places = self._resolve_chains(doc, spans, context)
        groups = [p for p in places if self._names_a_group(doc, p) or self._affiliates(doc, p)]
        places = [p for p in places if p not in groups]
        places = (self._nearby(self._within(doc, places), next(iter(doc._.country_context), None))
                  + self._city_parts_by_reference(doc, places))
        doc._.places = sorted(places, key=lambda p: p.start)
        doc._.associative_places = sorted(
            self._associative(doc, demonyms, in_names, context, places + groups)
            + [replace(p, resolution_method="demonym", confidence=DEMONYM_CONFIDENCE) for p in groups], key=lambda p: p.start)
        return doc

    @staticmethod
    def _names_a_group(doc: Doc, place: PlaceMention) -> bool:
        """'US soldiers', 'UK troops': a country's name used as the adjective of a plural noun
        says whose they are, like a demonym, not where anything happened."""
        last = doc[place.end - 1]
        return (place.entry is not None and place.entry.feature == "country" and last.dep_ in MODIFIER_DEPS
                and last.head.i == place.end and last.head.tag_ == "NNS")

    def _affiliates(self, doc: Doc, place: PlaceMention) -> bool:
        """'a Britain-based monitor', 'Iran-backed militias': a place joined by a hyphen to one of
        'affiliations' says whose something is, not where anything happened."""
        after = doc[place.end:place.end + 2]
        return len(after) == 2 and after[0].text == "-" and after[1].lower_ in self.affiliations

    def _within(self, doc: Doc, places: list[PlaceMention]) -> list[PlaceMention]:
        """A name the gazetteer lacks, named with the place that contains it, takes that place's
        point, country and province: "Dangam district, Kunar province", "the village of Goldar
        in Paktiya". Only commas, 'in', 'of', 'the', cue and direction words may stand between.
        Read from the right, so that a chain ("Goldar, in the Sabari district, Khost") ends in Khost."""
        out = sorted(places, key=lambda p: p.start)
        for k in range(len(out) - 2, -1, -1):
            place, container = out[k], out[k + 1]
            if place.entry is not None:
                continue
            between = doc[place.end:container.start]
            if (container.entry is not None and container.entry.feature in CONTAINER_FEATURES
                    and 0 < len(between) <= CONTAINER_GAP and all(t.lower_ in self.joiners for t in between)):
                out[k] = replace(place, entry=replace(container.entry, name=place.text, geonameid=None, population=0),
                                 resolution_method="within", confidence=WITHIN_CONFIDENCE, own_point=False)
        return out

    def _nearby(self, places: list[PlaceMention], country: str | None) -> list[PlaceMention]:
        """A name the gazetteer lacks takes the most precise kind of place the article names
        (in its main country, when it names any there), the one it names most often, nearest
        first: a street of the city the story is in."""
        resolved = [p for p in places if p.entry is not None]
        resolved = [p for p in resolved if p.entry.country_code == country] or resolved
        for feature in NEARBY_FEATURES:
            anchors = [p for p in resolved if p.entry.feature == feature]
            if anchors:
                break
        else:
            return places
        counts = Counter(p.entry.geonameid or p.entry.name for p in anchors)

        def anchor(place: PlaceMention) -> PlaceMention:
            return max(anchors, key=lambda a: (counts[a.entry.geonameid or a.entry.name], -abs(a.start - place.start)))
        return [p if p.entry is not None else replace(
            p, entry=replace(anchor(p).entry, name=p.text, geonameid=None, population=0),
            resolution_method="nearby", confidence=NEARBY_CONFIDENCE, own_point=False) for p in places]

    def _associative(self, doc: Doc, demonyms: list[Span], in_names: list[_Span], context: dict[str, Counter],
                     places: list[PlaceMention]) -> list[PlaceMention]:
        """Adjectives of countries that modify a noun, and known places inside organisation names."""
        found = [replace(self._mention(doc, span, context), resolution_method="in_name") for span in in_names]
        for span in demonyms:
            last = doc[span.end - 1]
            index = self.gaz.region_demonyms.get(span.text, self.countries.get(span.label_))  # "English": England
            if index is not None and not self._plural(span.text) and self._modifies(doc, last):
                entry = self.gaz.entries[index]
                found.append(PlaceMention(span.start, span.end, span.start_char, span.end_char, span.text, entry.name,
                                          entry.feature, entry, "demonym", DEMONYM_CONFIDENCE))
        taken = {i for p in places for i in range(p.start, p.end)}
        kept = []
        for mention in sorted(found, key=lambda p: p.start):
            if not taken.intersection(range(mention.start, mention.end)):
                kept.append(mention)
                taken.update(range(mention.start, mention.end))
        return kept

    def _plural(self, demonym: str) -> bool:
        """A plural ("Americans") names a people, never an adjective; the list holds the singular too."""
        return demonym.endswith("s") and demonym[:-1] in self.gaz.demonyms

    @staticmethod
    def _modifies(doc: Doc, word: Token) -> bool:
        """A demonym used as an adjective ("Syrian forces"), not a people ("the Syrians"); a
        word the model only recognised entities in (no tag) modifies the word after it."""
        if word.tag:
            return word.pos_ == "ADJ" or word.dep_ in MODIFIER_DEPS
        return word.i + 1 < len(doc) and doc[word.i + 1].is_alpha

    def _city_parts_by_reference(self, doc: Doc, places: list[PlaceMention]) -> list[PlaceMention]:
        """'the west of the city' names a part of the city the article last named."""
        found = []
        for token in doc[:-3]:
            if token.lower_ not in self.directions:
                continue
            if [t.lower_ for t in doc[token.i + 1:token.i + 4]] not in (["of", "the", "city"], ["of", "the", "town"]):
                continue
            cities = [p for p in places if p.end <= token.i and p.entry is not None and p.entry.feature == "city"]
            if not cities:
                continue
            city, end = cities[-1], token.i + 4
            found.append(replace(
                city, start=token.i, end=end, start_char=token.idx, end_char=doc[end - 1].idx + len(doc[end - 1]),
                text=doc[token.i:end].text, place_name=f"{token.lower_} {city.entry.name}", feature="city_part",
                resolution_method="reference", confidence=min(city.confidence, 0.7), own_point=False))
        return found

    # --- recognition -----------------------------------------------------------------

    def _recognise(self, doc: Doc) -> tuple[list[_Span], list[Span], list[_Span]]:
        blocked: dict[int, tuple[int, int, str]] = {}  # token → the non-place entity it is in
        found: list[tuple[int, int, bool]] = []  # (start, end, from the NER)
        people = {t.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1  # words of people's names
                  and not self._known_name(doc[slice(*_trim(doc, ent.start, ent.end))].text)
                  for t in ent if not self._known_name(t.text)}
        for ent in doc.ents:
            start, end = _trim(doc, ent.start, ent.end)
            text = doc[start:end].text
            if start >= end or text in self.gaz.demonyms or text in self.gaz.region_demonyms:
                continue
            if ent.label_ in PLACE_LABELS:
                if any(t.text[:1].isupper() for t in doc[start:end]) and not self._person(doc, start, end, people):
                    found.append((start, end, True))  # not "n't", nor "Yulia" of "Yulia Skripal"
            elif ent.label_ == "NORP":
                if self._known_name(doc[self._skip_directions(doc, start, end):end].text):
                    found.append((start, end, True))
            elif ent.label_ == "PERSON" and self._after_cue_of(doc, start) and doc[start].text[:1].isupper():
                found.append((start, end, True))  # 'the district of Musa Qala', a name no list has: a place whatever the model says
            else:
                blocked.update({i: (start, end, ent.label_) for i in range(ent.start, ent.end)})
        windows, demonyms, in_names = self._windows(doc, blocked, people)
        found = [f for f in found if not self._split_by(doc, f, windows)] + windows
        found += self._repeated(doc, found, blocked, people)
        chosen: list[tuple[int, int]] = []
        taken: set[int] = set()
        for start, end, _ in sorted(found, key=lambda f: (f[0] - f[1], not f[2], f[0])):
            if not taken.intersection(range(start, end)):
                chosen.append((start, end))
                taken.update(range(start, end))
        spans = [self._resolve_span(doc, start, end, taken) for start, end in sorted(chosen)]
        in_names = [self._resolve_span(doc, start, end, set(taken)) for start, end in in_names
                    if not taken.intersection(range(start, end))]
        return spans, demonyms, in_names

    def _windows(self, doc: Doc, blocked: dict, people: set[str]) -> tuple[list[tuple[int, int, bool]], list[Span],
                                                                           list[tuple[int, int]]]:
        """Gazetteer names, demonyms and known places inside organisation names, longest first from each token."""
        windows, demonyms, in_names = [], [], []
        full_text = doc.text  # built anew on every access
        i = 0
        while i < len(doc):
            token = doc[i]
            if not (token.text[:1].isupper() or token.lower_ in self.lower_starts) or not self.gaz.may_start_name(full_text, token):
                i += 1
                continue
            for j in range(min(len(doc), i + MAX_TOKENS), i, -1):
                text = full_text[token.idx:doc[j - 1].idx + len(doc[j - 1])]
                if text in self.gaz.demonyms or text in self.gaz.region_demonyms:
                    demonyms.append(Span(doc, i, j, label=self.gaz.demonyms.get(text, REGION_LABEL)))
                    break
                candidates = self.gaz.exact(text)
                if candidates and self._plausible(doc, i, j, text, candidates, blocked, people):
                    windows.append((i, j, False))
                    break
                if candidates and self._in_name(i, j, text, candidates, blocked):
                    in_names.append((i, j))
                    break
            else:
                i += 1
                continue
            i = j
        return windows, demonyms, in_names

    def _split_by(self, doc: Doc, span: tuple[int, int, bool], windows: list[tuple[int, int, bool]]) -> bool:
        """An entity the gazetteer lacks that is two or more of its names side by side
        ("Greece Italy" from a list): the names are the places."""
        start, end, _ = span
        inside = [(s, e) for s, e, _ in windows if start <= s and e <= end]
        covered = sum(e - s for s, e in inside)
        return len(inside) > 1 and covered == end - start and not self.gaz.lookup(doc[start:end].text)

    def _repeated(self, doc: Doc, found: list[tuple[int, int, bool]], blocked: dict,
                  people: set[str]) -> list[tuple[int, int, bool]]:
        """Other mentions of a gazetteer name the article already uses as a place: one sense
        per article ("IMMOKALEE —" in the dateline, then "at Immokalee" that the NER passed over)."""
        taken = {i for start, end, _ in found for i in range(start, end)}
        names = {fold(doc[start:end].text) for start, end, _ in found}
        names = {name for name in names if name in self.gaz.folded}
        if not names:
            return []
        firsts = {name.split()[0] for name in names}
        repeated = []
        for token in doc:
            if token.i in taken or not token.text[:1].isupper() or fold(token.text) not in firsts:
                continue
            for j in range(min(len(doc), token.i + MAX_TOKENS), token.i, -1):
                if fold(doc[token.i:j].text) in names:
                    span = range(token.i, j)
                    inside = {blocked[k] for k in span if k in blocked}  # only a mislabelled name itself
                    if not (taken.intersection(span) or self._person(doc, token.i, j, people)
                            or inside and inside not in ({(token.i, j, "ORG")}, {(token.i, j, "PERSON")})):
                        repeated.append((token.i, j, False))
                        taken.update(span)
                    break
        return repeated

    def _in_name(self, i: int, j: int, text: str, candidates: list[Candidate], blocked: dict) -> bool:
        """A well-known place that is part of an organisation's or a work's name ("Washington" of "Washington Post")."""
        inside = {blocked.get(k) for k in range(i, j)}
        if None in inside or len(inside) != 1:
            return False
        ((start, end, label),) = inside
        if label in ("PERSON", "NORP") or (start, end) == (i, j):
            return False
        if text.isupper():  # an acronym, unless a country's or curated region's ("US Federal Reserve", "EU Commission")
            return any(c.index in self.gaz.curated or self.gaz.entries[c.index].feature == "country" for c in candidates)
        return any(self._known(c) for c in candidates)

    def _plausible(self, doc: Doc, i: int, j: int, text: str, candidates: list[Candidate], blocked: dict,
                   people: set[str]) -> bool:
        """Whether a gazetteer name in the text is used as a place name here."""
        known = any(self._known(c) for c in candidates)
        if self._dateline(doc, i, j, text, known) and not all(c.alternate for c in candidates):
            return True  # even when the NER ran it into the next words ("SAN ANTONIO Turner Sports")
        # "the village of Avdiivka", "south of Bakhmut", "the eastern part of Khan Younis": a place whatever the NER says
        after_of = self._after_cue_of(doc, i)
        after_locative = after_of or i > 0 and doc[i - 1].lower_ in self.locatives  # "in Dewsbury"
        inside = {blocked[k] for k in range(i, j) if k in blocked}
        if inside:  # in an organisation, a person, a title...: a place only if the model mislabelled the name itself
            (start, end, label), *rest = inside
            return (not rest and (start, end) == (i, j) and label in MISLABELS and text not in people
                    and not (label == "DATE" and any(t.lower_.rstrip(".") in MONTHS or t.lower_ in WEEKDAYS for t in doc[i:j]))
                    and (known or after_of or after_locative and not all(c.alternate for c in candidates)))
        if self._person(doc, i, j, people):
            return False
        if text.islower():  # a description ("the old citadel") names a landmark only near its city
            return any(self.gaz.parents.get(c.index, "\0") in doc.text for c in candidates)
        if text.isupper() and text not in self.gaz.names and i and "\n" not in doc[i - 1].text_with_ws:
            return False  # an ALL-CAPS place name outside a dateline is an acronym ("SANA")
        if fold(text) in self.gaz.stopnames and not (j < len(doc) and doc[j].lower_ in self.cues):
            return False
        if all(c.alternate for c in candidates) and not known:
            return False  # a rare alternate name: only a well-known name counts
        if not known and doc.has_annotation("ENT_IOB") and not after_locative:
            return False  # the NER passed over it, and no "in" or "near" says it is a place
        if doc[i].tag and doc[i].text[:1].isupper():  # "Nice weather": a known name, not a proper noun here
            return any(t.pos_ == "PROPN" for t in doc[i:j])
        # untagged (the NER alone read this sentence): a capital opening a sentence says nothing
        return not (doc[i].is_sent_start and doc.has_annotation("TAG"))

    def _after_cue_of(self, doc: Doc, i: int) -> bool:
        """After a cue, a direction or a part noun and 'of': 'the village of', 'south of', 'the eastern part of'."""
        return i > 1 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in self.of_cues

    @staticmethod
    def _dateline(doc: Doc, i: int, j: int, text: str, known: bool) -> bool:
        """An ALL-CAPS place name opening the text, a line or a sentence, before a dash, a
        bracket or a comma ("WINNIPEG —", "WASHINGTON (AP)"), or a well-known one before
        other words ("SAN ANTONIO Turner Sports"): a dateline. "NATO said" is no dateline."""
        if not (text.isupper() and len(text) > 3):
            return False
        opens = i == 0 or "\n" in doc[i - 1].text_with_ws or doc[i - 1].is_sent_end or doc[i - 1].text in (".", "”", '"')
        after = doc[j].text if j < len(doc) else ""
        return opens and (after in DATELINE_ENDS or known and not after.isupper())

    def _known(self, candidate: Candidate) -> bool:
        """A name well known enough to overrule the NER: a country, province, big city or curated entry."""
        entry = self.gaz.entries[candidate.index]
        return (candidate.index in self.gaz.curated or entry.feature in ("country", "continent")
                or entry.feature == "admin1" and entry.population > 0  # GeoNames' US states, not other divisions
                or not candidate.alternate and entry.population >= BIG_PLACE)

    def _known_name(self, text: str) -> bool:
        return text in self.gaz.demonyms or any(self._known(c) for c in self.gaz.lookup(text))

    def _person(self, doc: Doc, start: int, end: int, people: set[str]) -> bool:
        """'Yulia' where the article names 'Yulia Skripal'; 'coach Ripley'."""
        words = [t.text for t in doc[start:end] if t.is_alpha]
        title = start > 0 and doc[start - 1].lower_ in self.titles
        return bool(words) and all(w in people for w in words) or (end - start == 1 and title)

    def _skip_directions(self, doc: Doc, start: int, end: int) -> int:
        while start < end - 1 and doc[start].lower_ in self.directions:
            start += 1
        return start

    def _resolve_span(self, doc: Doc, start: int, end: int, taken: set[int]) -> _Span:
        """Find the name inside a span, its cue words and the part of it a direction names."""
        span = _Span(start, end, start, end, self.gaz.lookup(doc[start:end].text))
        if not span.candidates:
            core = self._skip_directions(doc, start, end)
            if core > start and any(self._known(c) for c in self.gaz.lookup(doc[core:end].text)):
                span.core_start, span.part = core, doc[start:core].text.lower()
            elif end - start > 1 and doc[end - 1].lower_ in self.cues:
                span.core_end = end - 1
                span.prefer = self.cues[doc[end - 1].lower_]
            span.candidates = self.gaz.lookup(doc[span.core_start:span.core_end].text)
        if not span.candidates:
            return span
        after = doc[end].lower_ if end < len(doc) else ""
        if after in self.cues:
            span.prefer = self.cues[after]
        elif start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in self.cues:
            span.prefer = self.cues[doc[start - 2].lower_]
        if span.part is None:
            self._extend_part(doc, span, taken)
        return span

    def _extend_part(self, doc: Doc, span: _Span, taken: set[int]) -> None:
        """'east Aleppo', 'north-eastern Syria', 'eastern districts of Aleppo', "Aleppo's southeastern districts"."""
        s, e = span.start, span.end
        before = [""] * max(0, 3 - s) + [t.lower_ for t in doc[max(0, s - 3):s]]
        after = [t.lower_ for t in doc[e:e + 3]]
        if before[2] in self.directions:
            first = s - 3 if before[1] == "-" and before[0] in self.directions else s - 1
            extent, part = (first, e), doc[first:s].text.lower()
        elif before[0] in self.directions and before[1] in self.part_nouns and before[2] == "of":
            extent, part = (s - 3, e), before[0]
        elif len(after) == 3 and after[0] in ("'s", "’s") and after[1] in self.directions and after[2] in self.part_nouns:
            extent, part = (s, e + 3), after[1]
        else:
            return
        added = set(range(*extent)) - set(range(s, e))
        if not taken & added:
            (span.start, span.end), span.part = extent, part
            taken |= added

    # --- resolution ------------------------------------------------------------------

    def _readings(self, span: _Span) -> list[Candidate]:
        """Candidates a cue word allows; a big city outranks a same-named province of its country,
        and so does any city that the same-named province is named after ('Kherson', 'Raqqa':
        the province is 'Kherson Oblast', 'Raqqa Governorate' unless a cue word says so)."""
        entries = self.gaz.entries
        preferred = [c for c in span.candidates if entries[c.index].feature in span.prefer]
        if preferred:
            return preferred
        cities = [(c, entries[c.index]) for c in span.candidates if entries[c.index].feature == "city"]
        big_city_countries = {e.country_code for c, e in cities if e.population >= (METROPOLIS if c.alternate else BIG_PLACE)}
        # by a name no weaker than the province's own: not 'Oklahoma' for Oklahoma City, 'Samangan' for Aibak
        capitals = {(e.country_code, e.admin1, c.alternate) for c, e in cities}

        def outranked(c: Candidate) -> bool:
            e = entries[c.index]
            return e.feature == "admin1" and (e.country_code in big_city_countries or (e.country_code, e.admin1, False) in capitals
                                              or c.alternate and (e.country_code, e.admin1, True) in capitals)
        return [c for c in span.candidates if not outranked(c)]

    def _prior(self, candidate: Candidate) -> float:
        entry = self.gaz.entries[candidate.index]
        return (math.log10(entry.population + 10) + FEATURE_PRIOR.get(entry.feature, 0.0)
                - ALTERNATE_PENALTY * candidate.alternate + CURATED_BONUS * (candidate.index in self.gaz.curated))

    def _context(self, doc: Doc, spans: list[_Span], demonyms: list[Span]) -> dict[str, Counter]:
        """Countries, and (country, province) pairs, that the article names, per name naming them:
        a clear reading counts 1, the likeliest reading of an ambiguous name ``PROBABLE_WEIGHT``
        (so "Gloucester" beside "Cheltenham" is the English one, though neither is clear).

        Kept per name so that a name never confirms its own reading: "Georgia" five
        times must not make Georgia the country more likely.
        """
        context: dict[str, Counter] = {}
        for span in demonyms:
            if span.label_ != REGION_LABEL:
                context.setdefault(fold(span.text), Counter())[span.label_] += 1
        for span in spans:
            readings = sorted(self._readings(span), key=self._prior, reverse=True)
            if not readings:
                continue
            best = self.gaz.entries[readings[0].index]
            countries = {self.gaz.entries[c.index].country_code for c in readings}
            clear = len(countries) == 1 or self._prior(readings[0]) - self._prior(readings[1]) >= CLEAR_MARGIN
            if best.country_code:
                named = context.setdefault(fold(doc[span.core_start:span.core_end].text), Counter())
                named[best.country_code] += 1 if clear else PROBABLE_WEIGHT
                if clear and best.feature == "admin1":
                    named[(best.country_code, best.name)] += 1
        return context

    def _resolve_chains(self, doc: Doc, spans: list[_Span], context: dict[str, Counter]) -> list[PlaceMention]:
        """Each span's mention, read from the right so that a name takes a reading inside the
        place named after it as its container ("Karachi, Pakistan", "Murghab district, Badghis
        province", "Springfield, Ill."), and a container the reading that holds the name before
        it ("Atlanta, Georgia": the state). A name none of whose readings lies in the division
        or country named as its container is one the gazetteer lacks there: it stays unresolved,
        for ``_within`` to put inside its container."""
        mentions: list[PlaceMention | None] = [None] * len(spans)
        for k in range(len(spans) - 1, -1, -1):
            readings = self._readings(spans[k])
            if k + 1 < len(spans) and self._chained(doc, spans[k], spans[k + 1]) and mentions[k + 1].entry is not None:
                readings = self._inside(readings, mentions[k + 1])
            if k > 0 and self._chained(doc, spans[k - 1], spans[k]):
                inner = self._readings(spans[k - 1])
                readings = [c for c in readings if any(self._holds(self.gaz.entries[c.index], i) for i in inner)] or readings
            mentions[k] = self._mention(doc, spans[k], context, readings)
        return mentions

    def _chained(self, doc: Doc, span: _Span, container: _Span) -> bool:
        """Two names joined only by commas, a bracket, 'in', 'of', cue and direction words."""
        between = doc[span.end:container.start]
        return 0 < len(between) <= CONTAINER_GAP and all(t.lower_ in self.joiners for t in between)

    def _inside(self, readings: list[Candidate], container: PlaceMention) -> list[Candidate]:
        """The readings that lie in ``container`` (a country, region or division). Not a chain
        when some reading is of the container's level or coarser ("Helmand, Kandahar": a list of
        provinces); when none lies in it, none is right."""
        level = CONTAINER_LEVELS.get(container.entry.feature if container.feature != "region" else "region")
        if level is None or container.resolution_method in ("within", "nearby"):
            return readings
        if any(CONTAINER_LEVELS.get(self.gaz.entries[c.index].feature, 0) >= level for c in readings):
            return readings
        return [c for c in readings if self._holds(container.entry, c)]

    def _holds(self, outer: GazetteerEntry, candidate: Candidate) -> bool:
        """Whether the candidate's entry lies in ``outer`` by GeoNames' hierarchy (country, admin1, admin2)."""
        inner = self.gaz.entries[candidate.index]
        if inner is outer or not outer.country_code or inner.country_code != outer.country_code:
            return False
        level = CONTAINER_LEVELS.get(outer.feature)
        inner_level = CONTAINER_LEVELS.get(inner.feature, 0)
        if level is None or inner_level >= level:
            return False
        if outer.feature == "admin1":
            return bool(outer.admin1) and inner.admin1 == outer.admin1
        if outer.feature == "admin2":
            return bool(outer.admin2) and inner.admin2 == outer.admin2
        return True

    def _mention(self, doc: Doc, span: _Span, context: dict[str, Counter],
                 readings: list[Candidate] | None = None) -> PlaceMention:
        start_char, end_char = doc[span.start].idx, doc[span.end - 1].idx + len(doc[span.end - 1])
        core_text = doc[span.core_start:span.core_end].text
        readings = self._readings(span) if readings is None else readings
        if not readings:
            return PlaceMention(span.start, span.end, start_char, end_char, doc[span.start:span.end].text,
                                core_text, None, None, "unresolved", UNRESOLVED_CONFIDENCE)
        own = fold(core_text)
        named = sum((c for name, c in context.items() if name != own), Counter())
        top = max((n for k, n in named.items() if isinstance(k, str)), default=0)

        def score(candidate: Candidate) -> float:
            """Prior plus the context bonuses, the country's in proportion to the article's main country."""
            entry = self.gaz.entries[candidate.index]
            admin1_named = entry.feature != "admin1" and named[(entry.country_code, entry.admin1)] > 0
            return (self._prior(candidate) + COUNTRY_BONUS * named[entry.country_code] / max(top, 1)
                    + ADMIN1_BONUS * admin1_named)

        ranked = sorted(readings, key=score, reverse=True)
        best = ranked[0]
        entry = self.gaz.entries[best.index]
        if best.index in self.gaz.curated:
            method = "curated"
        elif len(ranked) == 1:
            method = "gazetteer_unique"
        elif best != max(readings, key=self._prior):
            method = "country_context"
        else:
            method = "population"
        margin = score(best) - score(ranked[1]) if len(ranked) > 1 else math.inf
        confidence = 0.5 + 0.45 * (1 - math.exp(-margin))
        if span.part:
            name = f"{span.part} {entry.name}"
            feature = "city_part" if entry.feature in ("city", "district") else "region"
        else:
            name, feature = entry.name, entry.feature
        own_point = not span.part and best.index not in self.gaz.borrowed_points  # 'east Aleppo' is on Aleppo's point
        return PlaceMention(span.start, span.end, start_char, end_char, doc[span.start:span.end].text,
                            name, feature, entry, method, round(confidence, 3), own_point)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and trailing possessive or punctuation from an entity."""
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'", "’") or doc[end - 1].is_punct):
        end -= 1
    return start, end


@Language.factory(
    "newsevents_places",
    default_config={"gazetteer_dir": None, "min_city_population": 5000},
    assigns=["doc._.places", "doc._.country_context", "doc._.demonyms"],
)
def make_places(nlp: Language, name: str, gazetteer_dir: str | None, min_city_population: int) -> PlacesRecognizer:
    return PlacesRecognizer(name, gazetteer_dir, min_city_population)
