"""The model's matrix products on numpy's BLAS (``use_numpy_blas``, for speed) give the rows the
published tables are made of exactly as spaCy's default blis products do."""

from datetime import date

import pytest
from thinc.api import NumpyOps

from pipeline.extract import stage
from pipeline.extract.nlp import build_nlp, use_ops
from pipeline.settings import Settings
from tests.integration.shootings import ARTICLES


@pytest.fixture
def pipeline():
    """The cached pipeline and its gate; its numpy ops are put back after the test."""
    model = Settings().model
    nlp = build_nlp(model, None)
    ops = nlp.get_pipe("ner").model.ops
    yield nlp, stage._gate(model, None)
    use_ops(nlp, ops)


def test_numpy_blas_gives_the_same_rows_as_blis(pipeline, seed_path):
    nlp, gate = pipeline
    assert isinstance(nlp.get_pipe("ner").model.ops, NumpyOps) and not nlp.get_pipe("ner").model.ops.use_blis
    texts = [seed_path.read_text(encoding="utf-8")] + [a["text"] for a in ARTICLES]
    rows = [{"source_id": str(n), "text": text, "reference_date": date(2016, 12, 6), "publisher": None}
            for n, text in enumerate(texts)]
    on_numpy = stage._extract_rows(nlp, gate, rows, batch_size=4)
    use_ops(nlp, NumpyOps(use_blis=True))
    on_blis = stage._extract_rows(nlp, gate, rows, batch_size=4)
    assert on_numpy == on_blis
    assert on_numpy["mentions"] and on_numpy["places"] and on_numpy["quantities"]
