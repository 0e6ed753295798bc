"""Extract stage: run the spaCy pipeline over the cleaned sources, batch by batch.

The statistical model sees only the sentences that can hold a fact (``gating``); batches
are spread over worker processes when there is more than one.

Writes three staged tables: every quantity (``quantities``), every toponym (``places``)
and every fact (``mentions``, without event ids: dedupe assigns them), and ``rejects`` for
the articles the extractor raised on.
"""

from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager, nullcontext
from functools import lru_cache, partial
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

import pyarrow.parquet as pq

from pipeline import batches, tables
from pipeline.extract.gating import SentenceGate, gated_pipe
from pipeline.extract.nlp import build_nlp
from pipeline.layout import RunLayout
from pipeline.extract.rows import mention_rows, place_rows, quantity_rows

log = logging.getLogger(__name__)

EXTRACT_TABLES = ("quantities", "places", "mentions", "rejects")
# More failed articles than this share of a part is no bad article but a broken extractor:
# the stage fails rather than publish a dataset that lost them.
MAX_FAILED_SHARE = 0.01


class ExtractionFailed(RuntimeError):
    """Too many articles raised for a few bad ones: the extractor or its rules are broken."""


def extract_batch(rows: list[dict], model: str, rules_dir: str | None, batch_size: int) -> dict[str, list[dict]]:
    """The three tables' rows for one batch of cleaned sources (runs in a worker process too),
    and a ``rejects`` row for each article the extractor raised on.

    When the batch raises, its articles are extracted one by one, so one article that trips
    a bug costs that article (as a reject with the error), not the run.
    """
    nlp = build_nlp(model, rules_dir)
    gate = _gate(model, rules_dir)
    try:
        return _extract_rows(nlp, gate, rows, batch_size)
    except Exception:  # noqa: BLE001 - the articles one by one below find which broke it
        pass
    found = _empty_found()
    for row in rows:
        try:
            one = _extract_rows(nlp, gate, [row], batch_size)
        except Exception as error:  # noqa: BLE001 - recorded as the article's reject
            log.warning("extraction failed on %s (source %s)", row["input_uri"], row["source_id"], exc_info=True)
            found["rejects"].append({"input_uri": row["input_uri"], "reason": "extraction_failed",
                                     "detail": f"{type(error).__name__}: {error}", "ingested_at": row["ingested_at"]})
            continue
        for name, table_rows in one.items():
            found[name] += table_rows
    return found


def _empty_found() -> dict[str, list[dict]]:
    return {name: [] for name in EXTRACT_TABLES}


@contextmanager
def _memory_zone(nlp):
    """``nlp.memory_zone()`` that frees its strings even when the block raises. spaCy 3.8.7's
    zone skips its clean-up on an exception and leaves the vocabulary unusable (``Vocab.get``
    asserts on every later word), so one article that raised would fail all the others
    extracted one by one after it."""
    raised = None
    with nlp.memory_zone():
        try:
            yield
        except Exception as error:  # noqa: BLE001 - raised again once the zone is closed
            raised = error
    if raised is not None:
        raise raised


def _extract_rows(nlp, gate: SentenceGate, rows: list[dict], batch_size: int) -> dict[str, list[dict]]:
    """A memory zone per call frees the strings of its words afterwards, so a long run's
    vocabulary does not grow with the corpus."""
    found = _empty_found()
    with _memory_zone(nlp):
        docs = []
        for row in rows:
            doc = nlp.make_doc(row["text"])
            doc._.published = row["reference_date"]  # publication day, else landing day (pipeline/load.py)
            doc._.publisher = row["publisher"]
            docs.append(doc)
        for row, doc in zip(rows, gated_pipe(nlp, gate, docs, batch_size)):
            found["quantities"] += quantity_rows(doc, row["source_id"])
            found["places"] += place_rows(doc, row["source_id"])
            found["mentions"] += mention_rows(doc, row["source_id"])
    return found


@lru_cache(maxsize=2)
def _gate(model: str, rules_dir: str | None) -> SentenceGate:
    return SentenceGate(build_nlp(model, rules_dir))


def _pool(workers: int, model: str, rules_dir: str | None) -> ProcessPoolExecutor:
    """Worker processes forked once the model, rules and gazetteer are loaded here, as spaCy's
    own ``nlp.pipe(n_process=...)`` does: they load nothing themselves and share those pages
    (``build_nlp`` freezes them out of the collector, so they stay unwritten and shared).
    Spawned, each loading its own, where the platform cannot fork."""
    if "fork" not in get_all_start_methods():
        return ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
    _gate(model, rules_dir)  # builds the pipeline too: the cached one extract_batch gets
    return ProcessPoolExecutor(workers, mp_context=get_context("fork"))


def _in_order(pool: ProcessPoolExecutor, work, batches, ahead: int):
    """Results of ``work`` over ``batches`` in input order, with at most ``ahead`` batches in flight."""
    pending: deque = deque()
    for batch in batches:
        pending.append(pool.submit(work, batch))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def run_extract(layout: RunLayout, model: str, batch_size: int, rules_dir: Path | None = None,
                part: tuple[int, int] | None = None, workers: int = 1) -> dict:
    """Extract stage entry point: ``clean/sources`` → ``extract/{quantities,places,mentions,rejects}``
    (merge moves the sources of the rejects, articles the extractor raised on, out of sources).

    ``part`` = ``(start, stop)`` extracts only those rows of articles (default: all), into
    their own part folder.

    With more than one batch and ``workers`` > 1 (the runner passes ``Settings.extract_workers``),
    batches go to a pool of worker processes forked after the model is loaded; the results are
    written in input order, so the tables are the same as with one process.
    """
    source_file = pq.ParquetFile(layout.clean.sources.path)
    part = part if part is not None else (0, source_file.metadata.num_rows)
    row_batches = (b.to_pylist() for b in batches.iter_rows(
        source_file, part, batch_size, ["source_id", "text", "reference_date", "publisher", "input_uri", "ingested_at"]))
    rules = str(rules_dir) if rules_dir else None
    work = partial(extract_batch, model=model, rules_dir=rules, batch_size=batch_size)
    out = layout.extract.part(part)
    n_rows = part[1] - part[0]
    parallel = workers > 1 and n_rows > batch_size
    with ExitStack() as stack:
        writers = {name: stack.enter_context(out.tables()[name].writer()) for name in EXTRACT_TABLES}
        pool = stack.enter_context(_pool(workers, model, rules) if parallel else nullcontext())
        first_failure = None
        for found in (_in_order(pool, work, row_batches, 2 * workers) if parallel else map(work, row_batches)):
            for name, writer in writers.items():
                writer.write(found[name])
            first_failure = first_failure or next(iter(found["rejects"]), None)
        failed = writers["rejects"].rows
        if failed > max(1, MAX_FAILED_SHARE * n_rows):  # raised inside: no part is written
            raise ExtractionFailed(
                f"extraction failed on {failed} of {n_rows} articles (more than {MAX_FAILED_SHARE:.0%}: the extractor "
                f"is broken, not an article); first, {first_failure['input_uri']}: {first_failure['detail']}")
    return {name: writer.rows for name, writer in writers.items()}
