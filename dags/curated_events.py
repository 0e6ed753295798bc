"""Curated conflict events, once a day: load → clean → plan → extract (mapped) → merge → dedupe → validate → publish.

A thin DAG: every task runs the stage of ``pipeline.runner`` it is named after, which the
``newsevents run`` CLI runs too, on the run spec ``pipeline.runspec`` builds from Airflow's
context. XCom carries the staging path and counts, never data. Heavy imports (spaCy, Great
Expectations) happen inside the tasks. A run with no article to publish fails at ``merge``
(latest stays) unless the ``allow_empty`` param is set.

A run with a data interval (scheduled, backfill, or triggered with a logical date) reads
only the landing partitions ``dt=YYYY-MM-DD`` of its interval and replaces their
contribution to the latest version; a run without one reads the whole landing zone and
publishes exactly it. Extraction is one mapped task per planned range of articles.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from airflow.sdk import Asset, Param, dag, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

CURATED_EVENTS = Asset(name="newsevents_curated_events")


def _spec():
    """The run spec of the current DAG run (``pipeline.runspec``: the CLI builds it the same way)."""
    from pipeline import runspec

    return runspec.from_airflow(get_current_context())


def _failing_at_once(work):
    """``work()``, with failures a retry would meet again (broken rules, a failed check, no
    input) failing the task at once, their message in its log."""
    from airflow.sdk.exceptions import AirflowFailException

    from pipeline import runner

    try:
        return work()
    except runner.permanent_failures() as failure:
        raise AirflowFailException(str(failure)) from failure


def _stage(stage: str) -> dict:
    """Run one pipeline stage for the current DAG run."""
    from pipeline import runner

    spec = _spec()
    counts = _failing_at_once(lambda: runner.run_stage(stage, spec))
    return {"staging": str(spec.layout.folder), **counts}


@dag(
    dag_id="curated_events",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "newsevents", "retries": 2, "retry_delay": timedelta(minutes=1)},
    params={
        "input": Param(None, type=["null", "string"], description="Override the landing zone: a folder or fsspec URL (with dt=YYYY-MM-DD partitions for runs with a data interval)."),
        "output": Param(None, type=["null", "string"], description="Override the output root (NEWSEVENTS_DATA_ROOT)."),
        "model": Param(None, type=["null", "string"], description="spaCy model package or path."),
        "batch_size": Param(None, type=["null", "integer"], description="Articles per spaCy batch."),
        "extract_rows": Param(500, type="integer", minimum=1, description="Articles per mapped extract task."),
        "allow_empty": Param(False, type="boolean", description="Publish even when no article is left to publish (by default such a run fails at merge and latest stays)."),
    },
    tags=["newsevents"],
    doc_md=__doc__,
)
def curated_events():
    @task
    def load() -> dict:
        return _stage("load")

    @task
    def clean(loaded: dict) -> dict:
        return _stage("clean")

    @task
    def plan(cleaned: dict) -> list[list[int]]:
        from pipeline import runner

        return runner.plan_extract(_spec())

    @task(map_index_template="{{ rows }}")
    def extract(part: list[int]) -> dict:
        from pipeline import runner

        get_current_context()["rows"] = f"rows {part[0]}-{part[1]}"  # the label of this mapped task
        # mapped tasks already share the cores between them: one process each, no pool
        return _failing_at_once(lambda: runner.extract_part(_spec(), part, workers=1))

    @task
    def merge(extracted: list[dict]) -> dict:
        return _stage("merge")

    @task
    def dedupe(merged: dict) -> dict:
        return _stage("dedupe")

    @task(retries=0)
    def validate(deduped: dict) -> dict:
        return _stage("validate")

    @task(outlets=[CURATED_EVENTS])
    def publish(validated: dict) -> dict:
        return _stage("publish")

    publish(validate(dedupe(merge(extract.expand(part=plan(clean(load())))))))


curated_events()
