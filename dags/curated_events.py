"""Curated conflict events, once a day: load → clean → plan → extract (mapped) → merge → dedupe → validate → publish.

A thin DAG: every task calls one stage function of the ``pipeline`` package, which the
``newsevents run`` CLI runs too. XCom carries the staging path and counts, never data.
Heavy imports (spaCy, Great Expectations) happen inside the tasks.

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


def _run():
    """The pipeline run, settings and inputs of the current DAG run."""
    from dataclasses import replace

    from pipeline import runner
    from pipeline.settings import Settings

    context = get_current_context()
    params = context["params"]
    settings = Settings.from_env()
    settings = replace(settings, model=params.get("model") or settings.model,
                       batch_size=params.get("batch_size") or settings.batch_size)
    interval = (context.get("data_interval_start"), context.get("data_interval_end"))
    run = runner.new_run(
        params.get("output") or settings.data_root,
        run_id=context["run_id"],
        ingested_at=interval[1] or context["dag_run"].run_after,
        data_interval=tuple(d.isoformat() if d else None for d in interval),
        runner="airflow",
        incremental=all(interval),
    )
    return run, settings, [params.get("input") or settings.landing]


def _stage(stage: str) -> dict:
    """Run one pipeline stage for the current DAG run."""
    from pipeline import runner

    run, settings, inputs = _run()
    counts = runner.run_stage(stage, run, settings, inputs)
    return {"staging": str(run.staging), **counts}


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

        run, _, _ = _run()
        return runner.plan_extract(run, get_current_context()["params"]["extract_rows"])

    @task(map_index_template="{{ rows }}")
    def extract(part: list[int]) -> dict:
        from dataclasses import replace

        from airflow.sdk.exceptions import AirflowFailException

        from pipeline import runner
        from pipeline.extract.stage import ExtractionFailed

        get_current_context()["rows"] = f"rows {part[0]}-{part[1]}"  # the label of this mapped task
        run, settings, _ = _run()
        try:
            # mapped tasks already share the cores between them: one process each, no pool
            return runner.extract_part(run, replace(settings, extract_workers=1), part)
        except ExtractionFailed as failure:  # a broken extractor or rule table: a retry fails the same way
            raise AirflowFailException(str(failure)) from failure

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
