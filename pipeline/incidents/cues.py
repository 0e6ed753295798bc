"""What a report's sentences say about its happening, read from plain text with the cues of
``seeds/rules/incidents.json``: the kind of happening, harm, a toll update, a separate
incident, the ages and names of the people involved, how many were shot.

No parse is needed, and none is affordable: the dedupe stage, where incidents are built,
must read 100,000 articles in a couple of minutes. A sentence is read once into its set
of words (``Cues.read``); phrase lists are looked up in it, and the regular expressions
(ages, names, people shot) run only on sentences about people (a harm word or a
``person_cues`` word), a small share of most articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import schema
from pipeline.rules import load_rules

_CAPITALISED = re.compile(r"[A-Z][a-z'’-]+(?: [A-Z]\.)?(?: [A-Z][a-z'’-]+)+")
# Cleaned text has ASCII quotes and dashes (the clean stage): its punctuation maps to spaces.
_PUNCTUATION = str.maketrans({c: " " for c in "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"})


def words_of(text: str) -> str:
    """Lower-case words separated by single spaces (punctuation and hyphens are spaces)."""
    return " ".join(text.lower().translate(_PUNCTUATION).split())


class Phrases:
    """A phrase list looked up in a sentence's words: single words in its word set, longer
    phrases (by their first word) in its spaced text."""

    def __init__(self, phrases: list[str]) -> None:
        normalised = {words_of(p) for p in phrases} - {""}
        self.single = frozenset(p for p in normalised if " " not in p)
        self.longer: dict[str, list[str]] = {}
        for p in sorted(normalised - self.single):
            self.longer.setdefault(p.split()[0], []).append(f" {p} ")
        self.firsts = frozenset(self.longer)  # (a set: intersecting a dict would walk all its keys)

    def found(self, sentence: "Sentence") -> bool:
        if not self.single.isdisjoint(sentence.words):
            return True
        return any(p in sentence.spaced for w in sentence.words & self.firsts for p in self.longer[w])


class Kinds:
    """The phrase lists of the types, looked up together: the first type (in precedence) any
    of a sentence's words or phrases belongs to."""

    def __init__(self, types: list[tuple[str, list[str]]]) -> None:
        self.names = [name for name, _ in types]
        self.single: dict[str, int] = {}
        self.longer: dict[str, list[tuple[str, int]]] = {}
        for rank, (_, phrases) in enumerate(types):
            for phrase in {words_of(p) for p in phrases} - {""}:
                if " " in phrase:
                    self.longer.setdefault(phrase.split()[0], []).append((f" {phrase} ", rank))
                else:
                    self.single.setdefault(phrase, rank)
        self.words, self.firsts = frozenset(self.single), frozenset(self.longer)

    def first(self, sentence: "Sentence") -> str | None:
        ranks = [self.single[w] for w in sentence.words & self.words]
        ranks += [rank for w in sentence.words & self.firsts for p, rank in self.longer[w] if p in sentence.spaced]
        return self.names[min(ranks)] if ranks else None


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    spaced: str  # " words of the sentence "
    words: frozenset[str]


@dataclass(frozen=True, slots=True)
class Reading:
    """What one sentence says: its kind of happening, whether it names harm, and about the
    people in it (read only when it is about people)."""

    kind: str | None
    harm: bool
    ages: frozenset[int] = frozenset()
    names: tuple[str, ...] = ()  # name phrases, before the places of the article are left out
    hit: int = 0  # people shot
    fatal: int = 0  # of them, fatally


def alternation(words) -> str:
    """A regular expression matching any of the words, built as a trie: with a hundred
    alternatives the engine would try each at every position; a trie tries one branch per
    character (seven times faster on news text)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        body = "" if not branches else branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node and body else body

    return "(?:" + build(tree) + ")"


def _compatible_pairs(rules: dict) -> frozenset[tuple[str, str]]:
    """Pairs of types that may be one happening: the same, of one family, or one that follows any."""
    types, everywhere = list(rules["types"]), set(rules["compatible_with_all"])
    families = [set(f) for f in rules["families"].values()]
    return frozenset((a, b) for a in types for b in types
                     if a == b or a in everywhere or b in everywhere or any(a in f and b in f for f in families))


def _number_words(numbers: dict) -> dict[str, int]:
    """'sixteen' 16, 'twenty-four' 24: numbers as words."""
    words = dict(numbers["number_words"])
    for tens, value in numbers["tens"].items():
        words[tens] = value
        words.update({f"{tens}-{unit}": value + n for unit, n in numbers["number_words"].items() if 0 < n < 10})
    return words


@dataclass(frozen=True)
class Cues:
    kinds: Kinds  # the types' phrases, in precedence order
    metric_types: dict[str, str]
    pairs: frozenset[tuple[str, str]]  # the types that may describe one happening: one family, or one follows all
    harm: Phrases
    people: Phrases  # harm words and person cues: the sentences worth the regular expressions
    separate: Phrases
    toll: Phrases
    running_total: Phrases
    additive: re.Pattern
    admin2_suffixes: tuple[str, ...]
    associative: frozenset  # resolution methods of toponyms that say what, not where
    ages: tuple[tuple[re.Pattern, Phrases | None], ...]  # each with the words a sentence needs for it
    names: tuple[re.Pattern, ...]
    not_names: frozenset
    number_words: dict[str, int]
    shot_needs: Phrases
    fatally_needs: Phrases
    shot_hit: tuple[re.Pattern, ...]
    shot_fatally: re.Pattern

    @staticmethod
    def sentence(text: str) -> Sentence:
        spaced = f" {words_of(text)} "
        return Sentence(text, spaced, frozenset(spaced.split()))

    def kind(self, sentence: Sentence) -> str | None:
        """The first type of the vocabulary whose phrases the sentence holds."""
        return self.kinds.first(sentence)

    def read(self, text: str) -> Reading:
        s = self.sentence(text)
        kind, harm = self.kind(s), self.harm.found(s)
        if not (harm or self.people.found(s)):
            return Reading(kind, harm)
        hit = fatal = 0
        if self.shot_needs.found(s):
            hit, fatal = self._shot(text, self.fatally_needs.found(s))
        names = tuple(m.group(1) for pattern in self.names for m in pattern.finditer(text))
        return Reading(kind, harm, frozenset(self.ages_in(text, s)), names, hit, fatal)

    def reports_harm(self, text: str) -> bool:
        """The text names a violent happening and someone harmed or held by it."""
        s = self.sentence(text)
        return self.kind(s) not in (None, "other") and self.harm.found(s)

    def is_toll_update(self, text: str) -> bool:
        """'The death toll rose to 12': a cumulative count that revises its incident."""
        s = self.sentence(text)
        return self.toll.found(s) and not self.running_total.found(s)

    def is_separate(self, text: str) -> bool:
        return self.separate.found(self.sentence(text))

    def is_additive(self, span: str) -> bool:
        """'two other men', 'another man': a count that adds to the article's earlier one."""
        return bool(self.additive.search(span))

    def compatible(self, a: str | None, b: str | None) -> bool:
        """Two types that may describe one happening (an unknown type fits any)."""
        return a is None or b is None or (a, b) in self.pairs

    def _shot(self, text: str, fatally: bool) -> tuple[int, int]:
        """People the text says were shot, and how many of them fatally."""
        hit = max((self._count(m.group(1)) if m.groups() else 1 for p in self.shot_hit for m in p.finditer(text)), default=0)
        fatal = max((self._count(m.group(1)) for m in self.shot_fatally.finditer(text)), default=0) if fatally else 0
        return hit, min(fatal, hit)

    def _count(self, word: str) -> int:
        word = word.lower()
        return int(word) if word.isdigit() else 1 if word in ("a", "an") else self.number_words.get(word, 0)

    def ages_in(self, text: str, sentence: Sentence | None = None) -> set[int]:
        """Ages stated in the text ('a 24-year-old man', 'Sixteen-year-old', 'Zurana Horton, 34,')."""
        found = set()
        sentence = sentence or self.sentence(text)
        for pattern, needs in self.ages:
            if needs is not None and not needs.found(sentence):
                continue
            for match in pattern.finditer(text):
                for word in filter(None, match.groups()):
                    age = int(word) if word.isdigit() else self.number_words.get(word.lower())
                    if age is not None and 0 < age < 120:
                        found.add(age)
        return found

    def span_names(self, span: str, places: set[str]) -> set[str]:
        """Names in a count's own words: 'Sixteen-year-old Kimani Gray', or a bare 'Horton'."""
        words = span.split()
        if len(words) == 1 and words[0][:1].isupper() and words[0][1:].islower():
            return self.name_words(words[0], places, whole=True)
        return {name for match in _CAPITALISED.finditer(span) for name in self.name_words(match.group(), places)}

    def name_words(self, words: str, places: set[str], whole: bool = False) -> set[str]:
        """A person's surname and given name, lower-cased (a later report may give either alone:
        'Laci' and 'Laci Peterson'); the given name is the word before the surname, so what
        precedes a name ('Chargers Jamal Williams') is left out. None for a place or a title."""
        tokens = [t.strip("'’") for t in words.split()]
        while tokens and tokens[0].rstrip(".") in self.not_names:
            tokens = tokens[1:]
        if len(tokens) < (1 if whole else 2) or " ".join(tokens).casefold() in places:
            return set()
        given = [t for t in tokens[:-1] if not t.endswith(".")][-1:]
        return {t.casefold() for t in given + tokens[-1:] if t.casefold() not in places}


@lru_cache(maxsize=4)
def load(rules_dir: str | None = None) -> Cues:
    """The compiled cues of ``incidents.json`` (checked against the schema's vocabulary)."""
    rules = load_rules("incidents", rules_dir)
    if tuple(rules["types"]) != schema.INCIDENT_TYPES:
        raise ValueError(f"incidents.json types {list(rules['types'])} differ from schema.INCIDENT_TYPES")
    shot = rules["shot_victims"]
    number_words = _number_words(load_rules("numbers", rules_dir))
    word_alternatives = alternation(number_words)
    slots = {"{number_word}": word_alternatives,
             "{number}": rf"(\d{{1,3}}|{word_alternatives})", "{count}": rf"(\d{{1,3}}|{word_alternatives}|an|a)",
             "{person}": alternation(shot["persons"])}

    def pattern(text: str, flags: int = 0) -> re.Pattern:
        for slot, expression in slots.items():
            text = text.replace(slot, expression)
        return re.compile(text, flags)

    return Cues(
        kinds=Kinds([(name, spec["phrases"]) for name, spec in rules["types"].items()]),
        metric_types=rules["metric_types"],
        pairs=_compatible_pairs(rules),
        harm=Phrases(rules["harm_words"]),
        people=Phrases(rules["harm_words"] + rules["person_cues"]),
        separate=Phrases(rules["separate_cues"]),
        toll=Phrases(rules["toll_words"]),
        running_total=Phrases(rules["running_total_cues"]),
        additive=re.compile("|".join(rules["additive_patterns"]), re.IGNORECASE),
        admin2_suffixes=tuple(f" {s}" for s in rules["admin2_suffixes"]),
        associative=frozenset(rules["associative_resolutions"]),
        ages=tuple((pattern(a["pattern"], re.IGNORECASE if "{number_word}" in a["pattern"] else 0),
                    Phrases(a["needs"]) if a["needs"] else None) for a in rules["age_patterns"]),
        names=tuple(re.compile(p) for p in rules["name_patterns"]),
        not_names=frozenset(rules["not_names"]),
        number_words=number_words,
        shot_needs=Phrases(shot["needs"]),
        fatally_needs=Phrases(shot["fatally_needs"]),
        shot_hit=tuple(pattern(p, re.IGNORECASE) for p in shot["hit"]),
        shot_fatally=pattern(shot["fatally"], re.IGNORECASE),
    )
