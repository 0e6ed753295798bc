"""What a unit after a number is called: one table of unit phrases, and the lemmas of counted nouns.

NewsQuant's gold (made with CQE, whose unit dictionary grew out of quantulum3's) names a unit
as quantulum3 does ('percentage', 'mile per hour', 'kilowatt', 'pound-mass'), a currency by
its English name ('japanese yen', 'malaysian ringgit') and a counted noun by its lemma with
its modifiers ('first-team player', 'mosque'). Hand lists of units run out on the next
source ('GPa', 'mAh', 'ppb', 'rpm', 'dB'), so the table is built from general resources, in
this order of precedence (the first source to claim a phrase names it):

1. ``units`` of numbers.json: house conventions and units the resources lack ('point', 'year
   of age', 'mile per gallon'), and ``unit_names``, which renames a resource's unit to the
   name NewsQuant writes ('degree Celsius' is 'celsius');
2. quantulum3's ``units.json`` (MIT): names, surfaces and symbols, with its SI prefixes;
3. CLDR's English currency names, through babel: every ISO 4217 currency.

Surfaces match lower-cased, in the singular and a plural made by English rules; symbols
match as written ('mW' is no 'MW'); a symbol that is an English stop word ('in', 'a', 'at')
is left out, as the text means the word far more often than the unit.

Counted nouns are lemmatised with the spaCy model's own rule-lemmatizer tables
(``lemma_rules``, ``lemma_exc``, ``lemma_index``): the quantity component runs before the
model, so a noun's part of speech comes from its place after a number, not from a tagger.
"""

import json
from importlib.resources import files
from pathlib import Path

from babel.numbers import get_currency_name, list_currencies
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.util import get_package_path

_SI_PREFIXES = {  # quantulum3's prefix letters (load.METRIC_PREFIXES) and their words
    "Y": "yotta", "Z": "zetta", "E": "exa", "P": "peta", "T": "tera", "G": "giga", "M": "mega", "k": "kilo",
    "h": "hecto", "da": "deca", "d": "deci", "c": "centi", "m": "milli", "µ": "micro", "n": "nano", "p": "pico",
    "f": "femto", "a": "atto", "z": "zepto", "y": "yocto", "Ki": "kibi", "Mi": "mebi", "Gi": "gibi", "Ti": "tebi",
    "Pi": "pebi", "Ei": "exbi", "Zi": "zebi", "Yi": "yobi",
}
_LEMMA_TABLES = ("lemma_rules", "lemma_exc", "lemma_index")
_POS = ("noun", "verb", "adj", "adv")


class Lemmas:
    """Noun and adjective lemmas by the English rule lemmatizer's tables, without a tagger."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.rules, self.exceptions, index = (lookups.get_table(name) for name in _LEMMA_TABLES)
        self.index = {pos: frozenset(index.get(pos, ())) for pos in _POS}  # the table holds lists; a Table's keys are hashes
        self.words = frozenset().union(*self.index.values())
        irregular: dict[str, list[str]] = {}
        for plural, (singular, *_) in self.exceptions.get("noun", {}).items():
            irregular.setdefault(singular, []).append(plural)
        self.irregular_plurals = {singular: plurals[0] for singular, plurals in irregular.items() if len(plurals) == 1}

    def _lemma(self, word: str, pos: str, known_only: bool) -> str:
        lower = word.lower()
        if lower in self.exceptions.get(pos, {}):
            return self.exceptions[pos][lower][0]
        index = self.index.get(pos, ())
        forms = [lower[: len(lower) - len(old)] + new for old, new in self.rules.get(pos, ()) if lower.endswith(old)]
        known = [f for f in forms if f and (f in index or not f.isalpha())]
        if known:
            return known[0]
        return lower if known_only or not forms or not forms[0] else forms[0]

    def noun(self, word: str) -> str:
        """ "fishermen" → "fisherman", "viruses" → "virus", "people" → "people"."""
        return self._lemma(word, "noun", known_only=False)

    def adjective(self, word: str) -> str:
        """ "best" → "good", "largest" → "large"; a word the tables do not know stays ("member")."""
        return self._lemma(word, "adj", known_only=True)

    def is_plural(self, word: str) -> bool:
        """A known noun's plural ("goals", "fishermen"); not an acronym ("US", "PS") nor a
        word the tables do not know as a plural ("wireless", "previous")."""
        if not word.isalpha() or word.isupper():
            return False
        lower = word.lower()
        return lower in self.exceptions.get("noun", {}) or self._lemma(word, "noun", known_only=True) != lower

    def is_noun(self, word: str) -> bool:
        """A base form the noun tables list ("bus", "news"; not "asks")."""
        return word.lower() in self.index.get("noun", ())

    def plural(self, word: str) -> str:
        if word in self.irregular_plurals:
            return self.irregular_plurals[word]
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
            return word[:-1] + "ies"
        return word + "s"


def lemma_lookups(nlp: Language, model: str) -> Lookups:
    """The rule lemmatizer's tables: the pipeline's own lemmatizer's, else those the model
    package ``model`` ships (a tokenizer-only pipeline has no lemmatizer)."""
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if all(lookups.has_table(name) for name in _LEMMA_TABLES):
            return lookups
    for folder in get_package_path(model).glob("*/lemmatizer/lookups"):
        lookups = Lookups().from_disk(folder)
        if all(lookups.has_table(name) for name in _LEMMA_TABLES):
            return lookups
    raise ValueError(f"no rule-lemmatizer tables ({', '.join(_LEMMA_TABLES)}) in the pipeline or in the package {model!r}")


def _quantulum_units() -> dict:
    """quantulum3's unit dictionary with its SI-prefixed units ('kilowatt', 'GPa', 'µm')."""
    units = json.loads((files("quantulum3") / "units.json").read_text(encoding="utf-8"))
    out = {}
    for name, unit in units.items():
        out[name] = unit
        for prefix in unit.get("prefixes", []):
            word = _SI_PREFIXES[prefix]
            out.setdefault(word + name, {
                "surfaces": [word + s for s in unit.get("surfaces", [])],
                "symbols": [prefix + s for s in unit.get("symbols", [])],
                "entity": unit.get("entity"),
            })
    return out


def _cldr_currencies(quantulum: dict) -> dict:
    """Every ISO 4217 currency as a unit: its English name, plural and code. A currency that
    quantulum3 knows keeps quantulum3's name ('dollar' for USD)."""
    named = {unit["currency_code"]: name for name, unit in quantulum.items() if unit.get("currency_code")}
    out = {}
    for code in sorted(list_currencies()):
        name = get_currency_name(code, locale="en")
        plural = get_currency_name(code, count=2, locale="en")
        out.setdefault(named.get(code, name.lower()), {"surfaces": [name, plural], "symbols": [code], "entity": "currency"})
    return out


def build_unit_table(rules: dict, lemmas: Lemmas) -> dict:
    """``{"lower": {phrase: name}, "cased": {symbol: name}, "entities": {name: entity}}`` from
    numbers.json, quantulum3 and CLDR in that order of precedence (see the module docstring)."""
    quantulum = _quantulum_units()
    renames = rules["unit_names"]
    lower: dict[str, str] = {}
    cased: dict[str, str] = {}
    entities: dict[str, str] = {}

    def add_surface(phrase: str, name: str, plural: bool = True) -> None:
        """The phrase and, for a word ('mile per hour'), its plural ('miles per hour')."""
        phrase = " ".join(phrase.lower().split())
        lower.setdefault(phrase, name)
        words = phrase.split(" ")
        at = words.index("per") - 1 if "per" in words[1:] else len(words) - 1
        if plural and words[at].isalpha() and len(words[at]) > 2:
            plural_form = lemmas.plural(words[at])
            if plural_form not in STOP_WORDS:  # not 'has' for 'ha'
                lower.setdefault(" ".join([*words[:at], plural_form, *words[at + 1:]]), name)

    for name, phrases in rules["units"].items():  # the house list writes its plurals out
        for phrase in phrases:
            add_surface(phrase, name, plural=False)
    sources = [quantulum, _cldr_currencies(quantulum)]
    for source in sources:
        for raw_name, unit in source.items():
            name = renames.get(raw_name, raw_name)
            entities.setdefault(name, unit.get("entity") or "dimensionless")
            for surface in unit.get("surfaces", []):
                add_surface(surface, name)
    for source in sources:
        for raw_name, unit in source.items():
            for symbol in unit.get("symbols", []):
                if symbol.lower() not in STOP_WORDS and symbol not in lower:
                    cased.setdefault(symbol, renames.get(raw_name, raw_name))
    # a symbol of two letters or more also matches in other cases ('KM', 'Hz' written 'HZ')
    # when no other unit's symbol and no English word is spelt the same
    by_lower: dict[str, set[str]] = {}
    for symbol, name in cased.items():
        by_lower.setdefault(symbol.lower(), set()).add(name)
    for folded, names in by_lower.items():
        if len(folded) > 1 and len(names) == 1 and folded not in lemmas.words and folded not in lower:
            lower[folded] = next(iter(names))
    for name in rules["units"]:
        entities.setdefault(name, "dimensionless")
    return {"lower": lower, "cased": cased, "entities": entities}


def write_table(table: dict, path: Path) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def read_table(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
