"""One run of the pipeline: a run-scoped staging folder and the stages in order.

The CLI calls ``run_all``; the Airflow DAG calls the same stage functions one task each,
passing the staging path between them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from pipeline import tables
from pipeline.settings import Settings

STAGES = ("load", "clean", "extract", "dedupe", "validate", "publish")


@dataclass(frozen=True)
class Run:
    run_id: str
    root: Path
    ingested_at: datetime
    data_interval: tuple[str | None, str | None] = (None, None)
    runner: str = "cli"

    @property
    def staging(self) -> Path:
        return self.root / "staging" / tables.safe_name(self.run_id)

    def describe(self) -> dict:
        return {"run_id": self.run_id, "runner": self.runner, "ingested_at": self.ingested_at.isoformat(),
                "data_interval_start": self.data_interval[0], "data_interval_end": self.data_interval[1]}


def new_run(root: str | Path, run_id: str | None = None, ingested_at: datetime | None = None, **extra) -> Run:
    ingested = (ingested_at or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    return Run(run_id=run_id or f"manual__{ingested:%Y%m%dT%H%M%SZ}", root=Path(root), ingested_at=ingested, **extra)


def run_stage(stage: str, run: Run, settings: Settings, inputs: Sequence[str] = ()) -> dict:
    """Run one stage of ``run``; returns the stage's counts (what goes to XCom)."""
    from pipeline import clean, dedupe, load, publish, validate

    if stage == "load":
        return load.run_load(inputs, run.staging, run.ingested_at, settings.max_input_bytes)
    if stage == "clean":
        return clean.run_clean(run.staging, settings.rules_dir)
    if stage == "extract":
        from pipeline.extract.stage import run_extract

        return run_extract(run.staging, settings.model, settings.batch_size, settings.rules_dir)
    if stage == "dedupe":
        return dedupe.run_dedupe(run.staging)
    if stage == "validate":
        return validate.run_validate(run.staging, run.root, run.run_id)
    if stage == "publish":
        result = publish.publish(run.staging, run.root, run.describe())
        shutil.rmtree(run.staging, ignore_errors=True)
        return result
    raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")


def run_all(inputs: Sequence[str], run: Run, settings: Settings,
            on_stage: Callable[[str, dict], None] | None = None) -> dict:
    """All stages in order; a failing stage raises and nothing is published."""
    result: dict = {}
    for stage in STAGES:
        result = run_stage(stage, run, settings, inputs)
        if on_stage:
            on_stage(stage, result)
    return result
