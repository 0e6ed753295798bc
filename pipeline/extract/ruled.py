"""What the rule-driven components share: rule files read by ``initialize``, saved by ``to_disk``.

A component names its files in ``rule_files`` (``"x"`` is the table ``x.json``, ``"x.jsonl"``
the patterns ``x.jsonl``) and builds its lookups and matchers from them in ``use_rules``.
``initialize`` reads them from a rules folder (the repo's ``seeds/rules`` unless told
otherwise); ``to_disk`` writes them into the component's folder of a saved pipeline and
``from_disk`` reads them back from there, the way spaCy's ``SpanRuler`` keeps its patterns,
so that ``spacy.load`` of a saved pipeline needs nothing from the repo.
"""

from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pipeline.rules import load_patterns, load_rules, save_rules

PATTERNS = ".jsonl"


@dataclass(frozen=True)
class GateCues:
    """What a component can make a fact from, for the sentence gate to look for.

    Words are lemmas (the gate adds every form the lemmatiser could reduce to them) unless
    said otherwise; a component fills only what it has.
    """

    metric_words: dict[str, frozenset[str]] = field(default_factory=dict)  # metric → the words that trigger it
    alone_metrics: frozenset[str] = frozenset()  # metrics a trigger makes a fact of without a number
    alone: frozenset[str] = frozenset()  # words that make a fact without a number ('advanced on Shaar')
    with_number: frozenset[str] = frozenset()  # words that make a fact of a number beside them
    unit_words: dict[str, frozenset[str]] = field(default_factory=dict)  # unit → words that make a quantity of it a fact
    nouns: frozenset[str] = frozenset()  # counted nouns that are themselves the metric ('2,530 returnees')
    phrases: tuple[str, ...] = ()  # phrases that make a count in their sentence a fact ('lost their homes')
    dates: tuple[str, ...] = ()  # phrases that date a fact ('yesterday'): the gate parses their sentences
    lookback: int = 0  # sentences before a cue in which a count it refers back to may stand ('killed the insurgents')


def phrase_matcher(vocab, phrases: list[str]) -> PhraseMatcher:
    """A matcher of lower-cased phrases, each written as its words."""
    matcher = PhraseMatcher(vocab, attr="LOWER")
    matcher.add("CUE", [Doc(vocab, words=phrase.split()) for phrase in phrases])
    return matcher


def words_across_lines(span: Span) -> Doc:
    """The span's words without its whitespace tokens, for phrases that run over a line break ('lost\ntheir homes')."""
    return Doc(span.doc.vocab, words=[t.text for t in span if not t.is_space])


class RuledComponent:
    rule_files: tuple[str, ...] = ()
    rules: dict | None = None  # file → its table or patterns, once initialised

    def __init__(self, vocab, name: str):
        self.vocab, self.name = vocab, name

    def __call__(self, doc):
        if self.rules is None:
            raise RuntimeError(f"the {self.name} component has no rules: initialize() it or load a saved pipeline")
        return self.process(doc)

    def process(self, doc):
        raise NotImplementedError

    def use_rules(self, rules: dict) -> None:
        """Build the component's lookups and matchers from its rule files."""
        raise NotImplementedError

    def initialize(self, get_examples=None, *, nlp=None, rules_dir: str | None = None) -> None:
        """Read the rule files from ``rules_dir`` (default: the repo's ``seeds/rules``)."""
        folder = str(rules_dir) if rules_dir else None
        self.rules = {file: load_patterns(file.removesuffix(PATTERNS), folder) if file.endswith(PATTERNS)
                      else load_rules(file, folder) for file in self.rule_files}
        self.use_rules(self.rules)

    def to_disk(self, path, *, exclude=()) -> None:
        for file, data in (self.rules or {}).items():
            save_rules(ensure_path(path), file.removesuffix(PATTERNS), data)

    def from_disk(self, path, *, exclude=()):
        self.initialize(rules_dir=str(path))
        return self
