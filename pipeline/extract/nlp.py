"""The spaCy pipeline: the statistical model plus our registered components."""

import gc
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

from pipeline.extract.attributes import compile_attribute_ruler
from pipeline.extract.ruled import RuledComponent


@Language.component("newsevents_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence unless the next line goes on in lower case.

    Headlines, datelines and list items have no full stop; without this the parser runs
    them into the first sentence of the story.
    """
    for token in doc[1:-1]:
        if token.is_space and "\n" in token.text and not doc[token.i + 1].is_lower:
            doc[token.i + 1].is_sent_start = True
    return doc


class GluedWords(RuledComponent):
    """Split a word that text extraction glued to a trigger word ('weredisplaced',
    'displacedpeople', 'fledShirqat'; PDF line joins lose the space): a trigger form of
    ``glued_words.json`` with one of its short words before or after it, or with a capitalised
    word after it. The token is split in place, so offsets into the text stay as they are."""

    rule_files = ("glued_words",)

    def use_rules(self, rules: dict) -> None:
        triggers, words = (sorted(rules["glued_words"][key], key=len, reverse=True) for key in ("triggers", "words"))
        trigger, word = "|".join(triggers), "|".join(words)
        self.pattern = re.compile(rf"(?i:({word})({trigger})|({trigger})({word}))|({trigger})([A-Z][a-z]+)")

    def process(self, doc: Doc) -> Doc:
        splits = []
        for token in doc:
            if token.is_alpha and len(token) > 5 and (match := self.pattern.fullmatch(token.text)):
                cut = len(next(g for g in match.groups() if g))
                splits.append((token, [token.text[:cut], token.text[cut:]]))
        if splits:
            with doc.retokenize() as retokenizer:
                for token, parts in splits:
                    retokenizer.split(token, parts, heads=[(token, 0), (token, 1)])
        return doc


@Language.factory("newsevents_glued_words")
def make_glued_words(nlp: Language, name: str) -> GluedWords:
    return GluedWords(nlp.vocab, name)


def use_numpy_blas(nlp: Language) -> None:
    """Run the model's matrix products on numpy's BLAS, one thread, instead of thinc's blis:
    a third less CPU for the statistical components here (OpenBLAS kernels for this CPU), with
    the same annotations (checked: the published tables are identical). One thread: on two
    cores shared with a second worker, BLAS threads only spin (the model took 2.5x the CPU)."""
    threadpool_limits(limits=1, user_api="blas")
    use_ops(nlp, NumpyOps(use_blis=False))


def use_ops(nlp: Language, ops) -> None:
    """Every layer of every statistical component of ``nlp`` computes with ``ops``."""
    for _, pipe in nlp.pipeline:
        for node in pipe.model.walk() if getattr(pipe, "model", None) is not None else ():
            node.ops = ops


@lru_cache(maxsize=2)
def build_nlp(model: str, rules_dir: str | None = None) -> Language:
    """Load ``model`` (a package name or path; no downloads), put it on numpy's BLAS, compile its attribute ruler
    (``attributes``: same result, a quarter of the time) and add our components, each
    initialised from its rule files in ``rules_dir`` (default: the repo's ``seeds/rules``).

    Cached per process: loading the model costs seconds, and a task or CLI run processes
    many batches with the same pipeline.
    """
    nlp = spacy.load(model)
    use_numpy_blas(nlp)
    compile_attribute_ruler(nlp)
    nlp.add_pipe("newsevents_glued_words", first=True).initialize(nlp=nlp, rules_dir=rules_dir)
    nlp.add_pipe("newsevents_line_breaks", before="parser" if "parser" in nlp.pipe_names else None)
    nlp.add_pipe("newsevents_quantities", config={"rules_path": f"{rules_dir}/numbers.json" if rules_dir else None})
    nlp.add_pipe("newsevents_places").initialize(nlp=nlp)
    nlp.add_pipe("newsevents_triggers").initialize(nlp=nlp, rules_dir=rules_dir)
    nlp.add_pipe("newsevents_counting").initialize(nlp=nlp, rules_dir=rules_dir)
    nlp.add_pipe("newsevents_territory").initialize(nlp=nlp, rules_dir=rules_dir)
    nlp.add_pipe("newsevents_attribution").initialize(nlp=nlp, rules_dir=rules_dir)
    nlp.add_pipe("newsevents_dates").initialize(nlp=nlp, rules_dir=rules_dir)
    nlp.add_pipe("newsevents_restatement").initialize(nlp=nlp, rules_dir=rules_dir)
    # The model, the gazetteer and the rules live as long as the process. Left to the cyclic
    # collector, their million objects are walked again at every full collection, and the
    # pipeline makes short-lived objects (a Token at each access) fast enough to trigger many.
    gc.collect()
    gc.freeze()
    return nlp
