"""Sentence gating: the statistical model runs only on the sentences that can hold a fact.

The tokenizer, the line-break rule and the quantities matcher need no model, so they run
on the whole article. A sentence (rule-based boundaries) then goes to all of the model's
components (tagger, parser, lemmatizer, NER) when it holds an inflection of a trigger that
makes a fact without a number (killed, detained; territorial verbs) or a date cue; the first
sentence always does. The components say which words those are (``gate_cues``), and the
places component whether a sentence names a place; the gate keeps no word list of its own. A sentence with a quantity goes when the quantity can become a fact:
beside any metric trigger ("300 families fled"), a share beside a control verb, a distance
beside a distance word, a duration beside a truce noun, a count whose noun or sentence
names the metric ("2,530 returnees", "lost their homes"), or a count that a cue sentence
just after it may refer back to ("killed the insurgents").

A sentence whose only signal is a gazetteer name, a demonym or a quantity that can be no
fact goes to the model's NER alone (its own embedding layer, under half the model's time):
the places component needs its entities, no fact needs its parse. Runs of such sentences
are processed together as one span and their annotations are written back into the
article's ``Doc`` at the same token offsets, so every offset stays an offset into the
article text. Sentences left out keep their rule-based boundaries and carry no entity
("O"), no tags and no parse; our later components (places, facts) then run on the whole
article as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import NORM, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from pipeline.extract.dates import MONTHS, WEEKDAYS
from pipeline.extract.ruled import GateCues, phrase_matcher, words_across_lines

LEXICAL = ("newsevents_glued_words", "newsevents_line_breaks", "newsevents_quantities")  # need only the tokenizer: run on everything, in this order
MODEL_ATTRS = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE"]
ENTITY_ATTRS = ["ENT_IOB", "ENT_TYPE"]
_ENTITY_COLUMNS = [MODEL_ATTRS.index(a) for a in ENTITY_ATTRS]
Spans = list[tuple[int, int]]  # token (start, end) pairs
# Gaps shorter than this (in tokens) are parsed with the sentences around them: they save
# little, and a span edge changes the model's reading of the words next to it.
MIN_GAP = 16
_OUTSIDE = 2  # ENT_IOB "O": no entity here
ALONE, WITH_NUMBER = 2, 1  # what a sentence's cue words can make a fact with


def cue_forms(lemmas: Iterable[str], lookups=None) -> frozenset[str]:
    """Every lower-case form the model's rule lemmatizer could reduce to one of ``lemmas``:
    the lemmas, their exceptions ("took" → take) and each suffix rule applied backwards
    ("kill" → kills, killed, killing). Over-generating is harmless: it only gates more."""
    lemmas = {lemma.lower() for lemma in lemmas}
    forms = set(lemmas)
    if lookups is None:
        return frozenset(forms)
    rules, exceptions = lookups.get_table("lemma_rules"), lookups.get_table("lemma_exc")
    for pos in ("noun", "verb", "adj"):
        for old, new in rules.get(pos, []):
            forms.update(lemma[:len(lemma) - len(new)] + old for lemma in lemmas if lemma.endswith(new))
        forms.update(form for form, found in exceptions.get(pos, {}).items() if lemmas.intersection(found))
    return frozenset(forms)


class SentenceGate:
    """Decides which token spans of a Doc the statistical model must see."""

    def __init__(self, nlp: Language):
        cues = _merged([pipe.gate_cues() for _, pipe in nlp.pipeline if hasattr(pipe, "gate_cues")])
        alone = cues.alone | {word for metric in cues.alone_metrics for word in cues.metric_words.get(metric, ())}
        counts = cues.with_number | {word for metric, words in cues.metric_words.items() if metric not in cues.alone_metrics
                                     for word in words}
        lookups = nlp.get_pipe("lemmatizer").lookups if "lemmatizer" in nlp.pipe_names else None
        self.cues = cue_forms(alone, lookups)  # a fact with no number: 'killed the commander', 'advanced on Shaar'
        self.count_cues = cue_forms(counts, lookups) - self.cues  # a fact only with a number: '300 families fled'
        self.unit_cues = {unit: cue_forms(words, lookups) for unit, words in cues.unit_words.items()}
        self.metric_nouns = cue_forms(cues.nouns, lookups)
        self.cue_phrases = phrase_matcher(nlp.vocab, list(cues.phrases))
        self.lookback = cues.lookback
        self.date_cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.date_cues.add("DATE", [nlp.make_doc(cue) for cue in cues.dates])
        self.places = nlp.get_pipe("newsevents_places")
        self.sentencizer = Sentencizer()
        self.recogniser_alone = "ner" in nlp.pipe_names  # else place sentences need the whole model

    def sentences(self, doc: Doc) -> Spans:
        """Rule-based sentences: after end punctuation, and wherever a component set a start."""
        guesses = self.sentencizer.predict([doc])[0]
        starts = [i for i in range(len(doc)) if guesses[i] or doc[i].is_sent_start]
        return list(zip(starts, starts[1:] + [len(doc)]))

    def spans(self, doc: Doc, sentences: Spans | None = None) -> tuple[Spans, Spans]:
        """Token spans for the whole model, and spans for the named-entity recogniser alone.

        The whole model reads runs of sentences that can hold a fact (a cue word, a date, a
        quantity that can be a fact), joined over short gaps; the first sentence (headline or
        dateline: the article's place and date context) always goes, so every article has tags
        for the components that need some. A sentence whose only signal is a place name or a
        number that can be no fact needs no parse, only the entities that tell a place from a
        person or an organisation: it goes to the recogniser alone, which has its own
        embedding layer in the model.
        """
        units = {i: q.unit_class for q in doc._.quantities or [] for i in range(q.start, q.end)}
        dated = {i for _, start, end in self.date_cues(doc) for i in range(start, end)}
        text = doc.text  # Doc.text is rebuilt on every access
        sentences = sentences if sentences is not None else self.sentences(doc)
        cued = [self._cue(doc, start, end) for start, end in sentences]
        facts, names = [], []
        for k, (start, end) in enumerate(sentences):
            counted = {units[i] for i in range(start, end) if i in units}
            if (not start or cued[k] == ALONE or dated.intersection(range(start, end)) or counted and (
                    cued[k] or ALONE in cued[k + 1:k + 1 + self.lookback] or self._may_count(doc, start, end, counted))):
                facts.append((start, end))
            elif counted or self.places.names_a_place(doc, text, start, end):  # a number's places: "3 km from Silverstone"
                (names if self.recogniser_alone else facts).append((start, end))
        full = _runs(facts, 0, len(doc))
        named = []
        gaps = zip([0] + [end for _, end in full], [start for start, _ in full] + [len(doc)])
        for floor, ceiling in gaps:  # the runs of place sentences between the whole model's runs
            named += _runs([(start, end) for start, end in names if floor <= start and end <= ceiling], floor, ceiling)
        return full, named

    def _cue(self, doc: Doc, start: int, end: int) -> int:
        """``ALONE``: a word that makes a fact without a number (a trigger of a metric that
        counts one person, a territorial verb) or that dates one (a weekday, a month and a
        day); ``WITH_NUMBER``: a trigger that makes a fact only with a number; else 0."""
        words = [t for t in doc[start:end] if not (t.is_title and t.lower_ in MONTHS)]  # "March" the month
        if any(t.lower_ in self.cues or (t.is_title and t.lower_ in WEEKDAYS) for t in words):
            return ALONE
        if any(t.lower_.rstrip(".") in MONTHS for t in doc[start:end]) and any(t.like_num for t in words):
            return ALONE
        return WITH_NUMBER if any(t.lower_ in self.count_cues for t in words) else 0

    def _may_count(self, doc: Doc, start: int, end: int, units: set[str | None]) -> bool:
        """Whether a quantity of ``units`` can be a fact in a sentence without a cue word (the
        fact extractor's rules for shares, distances, durations and metric nouns or phrases)."""
        words = {t.lower_ for t in doc[start:end]}
        if words & self.metric_nouns or any(words & self.unit_cues.get(unit, frozenset()) for unit in units):
            return True
        return bool(self.cue_phrases(words_across_lines(doc[start:end])))


def _merged(cues: list[GateCues]) -> GateCues:
    """The cues of all components as one."""
    words: dict[str, frozenset[str]] = {}
    units: dict[str, frozenset[str]] = {}
    for cue in cues:
        for metric, found in cue.metric_words.items():
            words[metric] = words.get(metric, frozenset()) | found
        for unit, found in cue.unit_words.items():
            units[unit] = units.get(unit, frozenset()) | found
    return GateCues(
        metric_words=words, unit_words=units,
        alone_metrics=frozenset().union(*(c.alone_metrics for c in cues)), alone=frozenset().union(*(c.alone for c in cues)),
        with_number=frozenset().union(*(c.with_number for c in cues)), nouns=frozenset().union(*(c.nouns for c in cues)),
        phrases=tuple(p for c in cues for p in c.phrases), dates=tuple(d for c in cues for d in c.dates),
        lookback=max((c.lookback for c in cues), default=0))


def _runs(sentences: Spans, floor: int, ceiling: int) -> Spans:
    """Sentences (in order) joined over gaps shorter than ``MIN_GAP``, also to ``floor`` and ``ceiling``."""
    runs: Spans = []
    for start, end in sentences:
        if runs and start - runs[-1][1] < MIN_GAP:
            runs[-1] = (runs[-1][0], end)
        elif start - floor < MIN_GAP:
            runs.append((floor, end))
        else:
            runs.append((start, end))
    if runs and ceiling - runs[-1][1] < MIN_GAP:
        runs[-1] = (runs[-1][0], ceiling)
    return runs


def _piece(doc: Doc, start: int, end: int, norms: numpy.ndarray) -> Doc:
    """Tokens ``start:end`` of ``doc`` as a new Doc with the same words, spaces, sentence starts
    and norms (the model reads norms; the tokenizer's exceptions set some). ``Span.as_doc``
    gives the same, at four times the cost: it copies every attribute and averages vectors."""
    words = doc[start:end]
    piece = Doc(doc.vocab, words=[t.text for t in words], spaces=[bool(t.whitespace_) for t in words],
                sent_starts=[t.is_sent_start for t in words])
    for i in numpy.flatnonzero(piece.to_array([NORM]).reshape(-1) != norms[start:end]):
        piece[int(i)].norm_ = doc.vocab.strings[int(norms[start + i])]
    return piece


def write_back(doc: Doc, spans: tuple[Spans, Spans], annotated: tuple[list[Doc], list[Doc]], sentences: Spans) -> None:
    """Copy the annotations of ``annotated`` (one Doc per span: the whole model's, then the
    recogniser's) into ``doc`` at the spans' offsets. Tokens outside the whole model's spans
    keep the rule-based sentence starts; outside every span they are outside any entity."""
    full, named = spans
    values = numpy.zeros((len(doc), len(MODEL_ATTRS)), dtype="uint64")
    values[:, MODEL_ATTRS.index("ENT_IOB")] = _OUTSIDE
    inside = numpy.zeros(len(doc), dtype=bool)
    for (start, end), part in zip(full, annotated[0]):
        values[start:end] = part.to_array(MODEL_ATTRS)
        inside[start:end] = True
    for (start, end), part in zip(named, annotated[1]):
        values[start:end, _ENTITY_COLUMNS] = part.to_array(ENTITY_ATTRS)
    doc.from_array(MODEL_ATTRS, values)  # heads are relative: a span's parse stays inside the span
    starts = doc.to_array([SENT_START]).astype("int64")
    rough = numpy.full(len(doc), -1, dtype="int64")
    rough[[start for start, _ in sentences]] = 1
    starts[~inside] = rough[~inside]
    doc.from_array([SENT_START], starts.astype("uint64"))


def gated_pipe(nlp: Language, gate: SentenceGate, docs: Iterable[Doc], batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe`` with the model restricted to the gated spans; yields the docs in order."""
    ours = [name for name in nlp.pipe_names if name.startswith("newsevents_")]
    after = [nlp.get_pipe(name) for name in ours if name not in LEXICAL]
    docs = list(docs)
    plans = []
    for doc in docs:
        for name in LEXICAL:
            if name in nlp.pipe_names:
                doc = nlp.get_pipe(name)(doc)
        sentences = gate.sentences(doc)
        plans.append((sentences, gate.spans(doc, sentences)))
    parts: tuple[list[Doc], list[Doc]] = ([], [])
    for doc, (_, spans) in zip(docs, plans):
        norms = doc.to_array([NORM]).reshape(-1)
        for tier in (0, 1):
            parts[tier].extend(_piece(doc, start, end, norms) for start, end in spans[tier])
    whole = iter(nlp.pipe(parts[0], batch_size=batch_size, disable=ours))
    recognised = iter(nlp.pipe(parts[1], batch_size=batch_size, disable=[n for n in nlp.pipe_names if n != "ner"]))
    for doc, (sentences, (full, named)) in zip(docs, plans):
        write_back(doc, (full, named), ([next(whole) for _ in full], [next(recognised) for _ in named]), sentences)
        for component in after:
            doc = component(doc)
        yield doc
