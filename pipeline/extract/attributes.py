"""The model's attribute ruler (tag → POS and morphology, lemma exceptions), applied by lookup.

spaCy's ``AttributeRuler`` runs its 179 token patterns through a ``Matcher`` over every
token, evaluating its ``IN`` / ``REGEX`` predicates in Python: 17 % of the model's time on
our gated sentences, more than the parser. Yet a single-token pattern's verdict depends
only on the token's tag, lower-case form, dependency label and whether it is a space, and
only a few hundred lower-case forms and labels are named by any pattern. So each distinct
(tag, form, label, space) — forms and labels no pattern names folded into one "other"
class — is matched once, by the ruler's own ``Matcher`` on a one-token ``Doc``, and the
resulting attributes are cached; the few multi-word patterns ("gon na", "let 's") still
run through a ``Matcher`` on the whole ``Doc``. The result is the same as the ruler's, token
for token (``tests/unit/extract/test_attributes.py`` compares them on real articles).
"""

import re

import numpy
import srsly
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.util import ensure_path

KEY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]  # all a single-token pattern of the ruler may test
SET_ATTRS = [TAG, POS, MORPH, LEMMA, DEP]  # all the ruler's patterns set
_OTHER = 0


@Language.factory("newsevents_attributes")
def make_attributes(nlp: Language, name: str) -> "CompiledAttributeRuler":
    return CompiledAttributeRuler(AttributeRuler(nlp.vocab, name))


def compile_attribute_ruler(nlp: Language) -> None:
    """Put the compiled ruler in place of the model's ``attribute_ruler``, same name, same patterns."""
    if "attribute_ruler" in nlp.pipe_names:
        patterns = nlp.get_pipe("attribute_ruler").patterns
        nlp.replace_pipe("attribute_ruler", "newsevents_attributes").initialize(patterns=patterns)


class CompiledAttributeRuler:
    """The ruler's patterns are set by ``initialize`` and saved with the pipeline by
    ``to_disk`` (a config cannot hold them: it reads the '$' of 'PRP$' as a variable)."""

    def __init__(self, ruler: AttributeRuler):
        self._compile(ruler)

    def initialize(self, get_examples=None, *, nlp=None, patterns: list[dict] = ()) -> None:
        ruler = AttributeRuler(self.vocab, self.ruler.name)
        ruler.add_patterns(list(patterns))
        self._compile(ruler)

    def to_disk(self, path, *, exclude=()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "patterns.json", self.ruler.patterns)

    def from_disk(self, path, *, exclude=()) -> "CompiledAttributeRuler":
        self.initialize(patterns=srsly.read_json(ensure_path(path) / "patterns.json"))
        return self

    def _compile(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.vocab = vocab = ruler.vocab
        named: dict[str, list[str]] = {"LOWER": [], "DEP": [], "REGEX": []}
        self.multi_word = set()
        for index, pattern in enumerate(ruler.patterns):
            if any(len(p) > 1 for p in pattern["patterns"]):
                self.multi_word.add(index)
            for spec in (s for p in pattern["patterns"] for s in p):
                if set(spec) - {"TAG", "LOWER", "DEP", "IS_SPACE"}:
                    raise ValueError(f"attribute ruler pattern {pattern} tests more than tag, form, label and space")
                for attr, predicates in (("LOWER", {"IN", "NOT_IN", "REGEX"}), ("DEP", {"IN", "NOT_IN"})):
                    value = spec.get(attr)
                    if isinstance(value, dict):
                        if set(value) - predicates:  # folding other forms or labels into one class would be wrong
                            raise ValueError(f"attribute ruler pattern {pattern} tests {attr} by {set(value) - predicates}")
                        named[attr] += value.get("IN", []) + value.get("NOT_IN", [])
                        named["REGEX"] += [value["REGEX"]] if "REGEX" in value else []
                    elif value is not None:
                        named[attr].append(value)
        self.named_forms = numpy.array(sorted({vocab.strings.add(w) for w in named["LOWER"]}), dtype="uint64")
        self.named_labels = numpy.array(sorted({vocab.strings.add(w) for w in named["DEP"]}), dtype="uint64")
        self.regex = re.compile("|".join(f"(?:{r})" for r in named["REGEX"])) if named["REGEX"] else None
        self.multi, self.multi_starts = Matcher(vocab), Matcher(vocab)
        for index in self.multi_word:
            self.multi.add(str(index), ruler.patterns[index]["patterns"])
            self.multi_starts.add(str(index), [p[:1] for p in ruler.patterns[index]["patterns"]])
        # (tag, form class, label class, space) → the single-token rules that hold, the values they
        # leave, and whether a multi-word pattern may start here
        self.cache: dict[tuple[int, ...], tuple[list[tuple[int, dict]], numpy.ndarray, numpy.ndarray, bool]] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = doc.to_array(KEY_ATTRS)
        keys[:, 1] = self._form_classes(keys[:, 1])
        keys[:, 2] = numpy.where(numpy.isin(keys[:, 2], self.named_labels), keys[:, 2], _OTHER)
        unique, first, inverse = numpy.unique(keys, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        compiled = [self._compiled(tuple(key), doc, i) for key, i in zip(unique.tolist(), first.tolist())]
        values = doc.to_array(SET_ATTRS)
        set_values = numpy.stack([c[1] for c in compiled])[inverse]
        is_set = numpy.stack([c[2] for c in compiled])[inverse]
        values[is_set] = set_values[is_set]
        if any(c[3] for c in compiled):
            for i, rules in self._multi_word_rules(doc, [compiled[k][0] for k in inverse]).items():
                _apply(rules, values[i])
        doc.from_array(SET_ATTRS[:-1], values[:, :-1])
        for i in numpy.flatnonzero(values[:, -1] != doc.to_array([DEP]).reshape(-1)):  # from_array sets labels only with heads
            doc[int(i)].dep = int(values[i, -1])
        return doc

    def _form_classes(self, forms: numpy.ndarray) -> numpy.ndarray:
        """Each lower-case form itself if a pattern names it or a pattern's regex matches it, else "other"."""
        named = numpy.isin(forms, self.named_forms)
        if self.regex is not None:
            for form in numpy.unique(forms[~named]):
                if self.regex.search(self.vocab.strings[int(form)]):
                    named |= forms == form
        return numpy.where(named, forms, _OTHER)

    def _compiled(self, key: tuple[int, ...], doc: Doc, i: int) -> tuple[list[tuple[int, dict]], numpy.ndarray, numpy.ndarray, bool]:
        """The single-token rules that hold for ``key``, matched once on a one-token Doc like token ``i``."""
        if key not in self.cache:
            example = doc[i]
            one = Doc(self.vocab, words=[example.lower_], tags=[example.tag_] if example.tag else None,
                      deps=[example.dep_] if example.dep else None, heads=[0] if example.dep else None)
            found = sorted({int(self.vocab.strings[m]) for m, _, _ in self.ruler.matcher(one, allow_missing=True)})
            rules = [(index, self.ruler.attrs[index]) for index in found if index not in self.multi_word]
            values, is_set = numpy.zeros(len(SET_ATTRS), dtype="uint64"), numpy.zeros(len(SET_ATTRS), dtype=bool)
            _apply(rules, values, is_set)
            self.cache[key] = (rules, values, is_set, bool(self.multi_starts(one, allow_missing=True)))
        return self.cache[key]

    def _multi_word_rules(self, doc: Doc, single: list[list[tuple[int, dict]]]) -> dict[int, list[tuple[int, dict]]]:
        """Tokens that a multi-word pattern sets, with every rule for them in the ruler's order."""
        found: dict[int, list[tuple[int, dict]]] = {}
        for match_id, start, end in self.multi(doc, allow_missing=True):
            index = int(self.vocab.strings[match_id])
            offset = self.ruler.indices[index]
            i = (start if offset >= 0 else end) + offset
            found.setdefault(i, list(single[i])).append((index, self.ruler.attrs[index]))
        return {i: sorted(rules, key=lambda rule: rule[0]) for i, rules in found.items()}


def _apply(rules: list[tuple[int, dict]], values: numpy.ndarray, is_set: numpy.ndarray | None = None) -> None:
    """Write the rules' attributes into one token's ``SET_ATTRS`` row in place, later rules last,
    marking in ``is_set`` the attributes written."""
    for _, attrs in rules:
        for attr, value in attrs.items():
            values[SET_ATTRS.index(attr)] = value
            if is_set is not None:
                is_set[SET_ATTRS.index(attr)] = True
