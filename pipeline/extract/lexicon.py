"""Whether a noun denotes people, and which subject class: WordNet's person hierarchy, shipped as data.

``seeds/lexicon/people.csv`` lists every WordNet 3.0 noun (single and multi-word) whose main sense
is a person or a group counted by its members ('troops', 'personnel'), with the subject class its
nearest anchor in ``seeds/lexicon/anchors.json`` gives it. ``make lexicon`` rebuilds it from a
locked dev dependency; at run time only the CSV is read, once per process, so no WordNet package
is needed. The ``people`` map of ``seeds/rules/word_classes.json`` stays the override: it holds the
words counted for a reason WordNet does not know ('body' counts the dead).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from pipeline.settings import REPO_ROOT

DEFAULT_PATH = REPO_ROOT / "seeds" / "lexicon" / "people.csv"
_HEADER = ["lemma", "class", "synset", "anchor"]


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> dict[str, str]:
    """Lower-cased lemma → subject class, from ``path`` (default: the repo's ``seeds/lexicon/people.csv``)."""
    source = Path(path) if path else DEFAULT_PATH
    with source.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows, None)
        if header != _HEADER:
            raise ValueError(f"{source}: expected the columns {','.join(_HEADER)}, found {header}")
        lexicon = {}
        for line, row in enumerate(rows, start=2):
            if len(row) != len(_HEADER) or not row[0] or not row[1]:
                raise ValueError(f"{source}, line {line}: expected a lemma, a class, a synset and an anchor, found {row}")
            lexicon[row[0]] = row[1]
    return lexicon


def person_class(lemma: str, path: str | None = None) -> str | None:
    """The subject class of a noun lemma ('bandit' → 'militants', 'police officer' → 'police'),
    or None when its main sense is no person ('tank', 'body', 'party')."""
    return load_lexicon(path).get(" ".join(lemma.lower().split()))
