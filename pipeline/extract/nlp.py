"""The spaCy pipeline: the statistical model plus our registered components."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=2)
def build_nlp(model: str) -> Language:
    """Load ``model`` (a package name or path; no downloads) and add our components.

    Cached per process: loading the model costs seconds, and a task or CLI run processes
    many batches with the same pipeline.
    """
    # importing the modules registers their factories
    from pipeline.extract import facts, places, quantities  # noqa: F401

    nlp = spacy.load(model)
    nlp.add_pipe("newsevents_quantities")
    nlp.add_pipe("newsevents_places")
    nlp.add_pipe("newsevents_facts")
    return nlp
