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
2. quantulum3's ``units.json`` (MIT): names, surfaces and symbols, with its SI prefixes
   (prefixed symbols only for the prefixes of ``unit_symbol_prefixes``);
3. CLDR's English currency names, codes and signs, through babel: every ISO 4217 currency;
   the signs and codes, with numbers.json's ``currency_prefixes`` first, are read before
   the figure ('₦5,000', 'KES 2,000').

Surfaces match lower-cased, in the singular and a plural made by English rules (a word that
is also an adjective only in the plural: 'three gold medals'); symbols match as written
('mW' is no 'MW'); a symbol that is an English stop word ('in', 'a', 'at') or one of
``unit_symbols_never`` ('TV') is left out, as the text means the word far more often.

Counted nouns are lemmatised with the spaCy model's own rule-lemmatizer tables
(``lemma_rules``, ``lemma_exc``, ``lemma_index``): the quantity component runs before the
model, so a noun's part of speech comes from its place after a number, not from a tagger.
"""

import json
from importlib.resources import files
from pathlib import Path

from babel import Locale
from babel.localedata import locale_identifiers
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies, list_currencies
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
        """ "best" → "good", "largest" → "large"; a word the tables do not know stays ("member",
        "low-power")."""
        return self._lemma(word, "adj", known_only=True) if word.isalpha() else word

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

    def is_verb_form(self, word: str) -> bool:
        """An inflected form of a verb the tables know ("asks", "landed"), not a noun's base form."""
        lower = word.lower()
        if not word.isalpha() or lower in self.index["noun"]:
            return False
        return lower in self.exceptions.get("verb", {}) or self._lemma(word, "verb", known_only=True) != lower

    def is_adjective(self, word: str) -> bool:
        return word.lower() in self.index["adj"]

    def is_verb_or_adjective(self, word: str) -> bool:
        return word.lower() in self.index["verb"] or self.is_adjective(word)

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


def _quantulum_units(symbol_prefixes: frozenset[str]) -> dict:
    """quantulum3's unit dictionary with its SI-prefixed units ('kilowatt', 'GPa', 'µm'); a
    prefixed symbol only for the prefixes of ``symbol_prefixes`` (a petaampere's 'PA' is
    Pennsylvania far more often)."""
    units = json.loads((files("quantulum3") / "units.json").read_text(encoding="utf-8"))
    out = {}
    for name, unit in units.items():
        out[name] = unit
        for prefix in unit.get("prefixes", []):
            word = _SI_PREFIXES[prefix]
            out.setdefault(word + name, {
                "surfaces": [word + s for s in unit.get("surfaces", [])],
                "symbols": [prefix + s for s in unit.get("symbols", [])] if prefix in symbol_prefixes else [],
                "entity": unit.get("entity"),
            })
    return out


def _cldr_currencies(quantulum: dict, lemmas: Lemmas) -> dict:
    """Every ISO 4217 currency as a unit: its English name and plural and its code. A
    currency in use today also gets its symbols in English-speaking countries (``prefixes``,
    as they stand before the figure: '₦', 'Ksh', 'GH₵'; not one that several currencies use,
    nor a word of one or two letters) and the bare noun of its name when no other current
    currency's name ends in it and that is no English verb or adjective ('naira', 'ringgit';
    not 'dinar', nor the convertible mark's 'mark'). A currency quantulum3
    knows keeps quantulum3's name ('dollar' for USD)."""
    named = {unit["currency_code"]: name for name, unit in quantulum.items() if unit.get("currency_code")}
    current = {code for territory in Locale("en").territories if len(territory) == 2
               for code in get_territory_currencies(territory)}
    symbols: dict[str, set[str]] = {}
    for locale in locale_identifiers():
        if locale.startswith("en_") and (codes := get_territory_currencies(locale.rsplit("_", 1)[-1])):
            symbols.setdefault(get_currency_symbol(codes[0], locale), set()).add(codes[0])
    names = {code: (get_currency_name(code, locale="en"), get_currency_name(code, count=2, locale="en"))
             for code in sorted(list_currencies())}
    nouns: dict[str, set[str]] = {}
    for code in current:
        nouns.setdefault(names[code][0].split()[-1].lower(), set()).add(code)
    out = {}
    for code, (name, plural) in names.items():
        surfaces = [name, plural]
        noun = name.split()[-1]
        if code in current and len(name.split()) > 1 and nouns[noun.lower()] == {code} and not lemmas.is_verb_or_adjective(noun):
            surfaces += [noun, plural.split()[-1]]
        prefixes = [code] + [symbol for symbol, codes in symbols.items() if codes == {code} and symbol != code
                             and (not symbol.isalpha() or len(symbol) > 2)]
        out.setdefault(named.get(code, name.lower()), {"surfaces": surfaces, "symbols": [code], "entity": "currency",
                                                       "prefixes": prefixes})
    return out


def build_unit_table(rules: dict, lemmas: Lemmas) -> dict:
    """``{"lower": {phrase: name}, "cased": {symbol: name}, "entities": {name: entity},
    "prefixes": {currency sign or code: name}}`` from numbers.json, quantulum3 and CLDR in that
    order of precedence (see the module docstring)."""
    quantulum = _quantulum_units(frozenset(rules["unit_symbol_prefixes"]))
    cldr = _cldr_currencies(quantulum, lemmas)
    renames = rules["unit_names"]
    lower: dict[str, str] = {}
    for name, phrases in rules["units"].items():  # the house list writes its plurals out
        for phrase in phrases:
            _add_surface(lower, phrase, name, lemmas, plural=False)
    entities: dict[str, str] = {}
    for source in (quantulum, cldr):
        for raw_name, unit in source.items():
            name = renames.get(raw_name, raw_name)
            entities.setdefault(name, unit.get("entity") or "dimensionless")
            for surface in unit.get("surfaces", []):
                # a word that is also an adjective names the unit only in the plural ('three gold
                # medals', 'two real problems'), but for time ('a 4.3 second dash')
                adjective = " " not in surface and lemmas.is_adjective(surface) and unit.get("entity") != "time"
                _add_surface(lower, surface, name, lemmas, singular=not adjective)
    for name in rules["units"]:  # a house unit the resources also have keeps their entity ('year': time)
        entities.setdefault(name, "dimensionless")
    cased = _symbols(rules, (quantulum, cldr), lower)
    _fold_symbols(cased, lower, lemmas)
    return {"lower": lower, "cased": cased, "entities": entities, "prefixes": _currency_prefixes(rules, cldr, lemmas)}


def _add_surface(lower: dict, phrase: str, name: str, lemmas: Lemmas, plural: bool = True, singular: bool = True) -> None:
    """The phrase and, for a word, its plural (of the word before 'per': 'miles per hour')."""
    phrase = " ".join(phrase.lower().split())
    if singular:
        lower.setdefault(phrase, name)
    words = phrase.split(" ")
    at = words.index("per") - 1 if "per" in words[1:] else len(words) - 1
    if plural and words[at].isalpha() and len(words[at]) > 2:
        plural_form = lemmas.plural(words[at])
        if plural_form not in STOP_WORDS:  # not 'has' for 'ha'
            lower.setdefault(" ".join([*words[:at], plural_form, *words[at + 1:]]), name)


def _symbols(rules: dict, sources: tuple[dict, ...], lower: dict) -> dict:
    """Symbols as written; the house list's phrases win in any case ('mL' is its millilitre,
    quantulum3's cubic centimetre), and the micro sign also stands as the Greek mu it looks like."""
    renames, never = rules["unit_names"], frozenset(rules["unit_symbols_never"])
    house = {" ".join(p.lower().split()) for phrases in rules["units"].values() for p in phrases}
    cased: dict[str, str] = {}
    for source in sources:
        for raw_name, unit in source.items():
            for symbol in unit.get("symbols", []):
                if symbol.lower() not in STOP_WORDS and symbol not in lower and symbol.lower() not in house and symbol not in never:
                    for variant in {symbol, symbol.replace("µ", "μ")}:
                        cased.setdefault(variant, renames.get(raw_name, raw_name))
    return cased


def _fold_symbols(cased: dict, lower: dict, lemmas: Lemmas) -> None:
    """A symbol of two letters or more also matches in other cases ('KM', 'Hz' written 'HZ')
    when no other unit's symbol and no English word is spelt the same."""
    by_lower: dict[str, set[str]] = {}
    for symbol, name in cased.items():
        by_lower.setdefault(symbol.lower(), set()).add(name)
    for folded, names in by_lower.items():
        if len(folded) > 1 and len(names) == 1 and folded not in lemmas.words and folded not in lower:
            lower[folded] = next(iter(names))


def _currency_prefixes(rules: dict, cldr: dict, lemmas: Lemmas) -> dict:
    """Currency signs and codes before the figure: the house list's, then CLDR's, a code
    only where it spells no English word ('MAD', 'ALL')."""
    prefixes = dict(rules["currency_prefixes"])
    for raw_name, unit in cldr.items():
        for prefix in unit.get("prefixes", []):
            if prefix.lower() not in lemmas.words:
                prefixes.setdefault(prefix, rules["unit_names"].get(raw_name, raw_name))
    return prefixes


def write_table(table: dict, path: Path) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def read_table(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
