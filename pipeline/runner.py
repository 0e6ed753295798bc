"""One run of the pipeline: a run-scoped staging folder and the stages in order.

The CLI calls ``run_all``; the Airflow DAG calls the same stage functions one task each,
passing the staging path between them. An incremental run reads the landing days of its
data interval only and replaces their contribution to the latest version (``incremental``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from pipeline import tables
from pipeline.settings import Settings

STAGES = ("load", "clean", "extract", "merge", "dedupe", "validate", "publish")


@dataclass(frozen=True)
class Run:
    run_id: str
    root: Path
    ingested_at: datetime
    data_interval: tuple[str | None, str | None] = (None, None)
    runner: str = "cli"
    incremental: bool = False  # read and replace only the landing days of data_interval

    @property
    def staging(self) -> Path:
        return self.root / "staging" / tables.safe_name(self.run_id)

    @property
    def days(self) -> list[date] | None:
        """The landing days this run replaces; None for a full run (its inputs are the dataset)."""
        from pipeline.load import interval_days

        return interval_days(*map(datetime.fromisoformat, self.data_interval)) if self.incremental else None

    def describe(self) -> dict:
        days = self.days
        return {"run_id": self.run_id, "runner": self.runner, "ingested_at": self.ingested_at.isoformat(),
                "data_interval_start": self.data_interval[0], "data_interval_end": self.data_interval[1],
                "landing_days": None if days is None else [d.isoformat() for d in days]}


def new_run(root: str | Path, run_id: str | None = None, ingested_at: datetime | None = None, **extra) -> Run:
    ingested = (ingested_at or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    return Run(run_id=run_id or f"manual__{ingested:%Y%m%dT%H%M%SZ}", root=Path(root), ingested_at=ingested, **extra)


def run_stage(stage: str, run: Run, settings: Settings, inputs: Sequence[str] = ()) -> dict:
    """Run one stage of ``run``; returns the stage's counts (what goes to XCom)."""
    from pipeline import clean, dedupe, incremental, load, publish, validate

    merged = incremental.merged_staging(run.staging)
    if stage == "load":
        inputs = load.interval_partitions(inputs, run.days) if run.incremental else inputs
        return load.run_load(inputs, run.staging, run.ingested_at, settings.max_input_bytes)
    if stage == "clean":
        return clean.run_clean(run.staging, settings.rules_dir)
    if stage == "extract":  # every planned part in turn; the DAG maps extract_part over the plan
        parts = plan_extract(run)
        return {"parts": len(parts), **_sum_counts(extract_part(run, settings, part) for part in parts)}
    if stage == "merge":
        return incremental.run_merge(run.staging, run.root, run.days)
    if stage == "dedupe":
        return dedupe.run_dedupe(merged, settings.rules_dir)
    if stage == "validate":
        return validate.run_validate(merged, run.root, run.run_id)
    if stage == "publish":
        while True:  # each retry means another run published: progress, so this ends
            try:
                result = publish.publish(merged, run.root, run.describe(), expected_parent=incremental.base_version(run.staging))
                break
            except publish.BaseMoved:  # merge onto the new latest, dedupe and validate again
                for again in ("merge", "dedupe", "validate"):
                    run_stage(again, run, settings, inputs)
        shutil.rmtree(run.staging, ignore_errors=True)
        return result
    raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")


def plan_extract(run: Run, rows_per_part: int | None = None) -> list[list[int]]:
    """Row ranges of the cleaned articles, one extract part each (None: one part for all)."""
    from pipeline import batches

    return batches.plan(run.staging / "clean" / "sources.parquet", run.staging / "extract", rows_per_part)


def extract_part(run: Run, settings: Settings, part: Sequence[int]) -> dict:
    """Extract one planned range of articles into its own part folder."""
    from pipeline.extract.stage import run_extract

    return run_extract(run.staging, settings.model, settings.batch_size, settings.rules_dir, part=tuple(part),
                       workers=settings.extract_workers)


def _sum_counts(counts) -> dict:
    total: dict = {}
    for count in counts:
        for key, value in count.items():
            total[key] = total.get(key, 0) + value
    return total


def run_all(inputs: Sequence[str], run: Run, settings: Settings,
            on_stage: Callable[[str, dict], None] | None = None) -> dict:
    """All stages in order; a failing stage raises and nothing is published."""
    result: dict = {}
    for stage in STAGES:
        result = run_stage(stage, run, settings, inputs)
        if on_stage:
            on_stage(stage, result)
    return result
