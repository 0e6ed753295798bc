"""One run, described once: what to read, where to publish, with which settings, over which interval.

The CLI builds it from its arguments, the DAG from Airflow's context (``from_airflow``); both
go through ``build``, so the overrides (model, batch size), the data interval and
``ingested_at`` are resolved one way whichever started the run:

- ``ingested_at`` is the one given, else the end of the data interval (a rerun of a day
  records the same time), else the clock of whoever started the run;
- a run with a data interval is incremental: it reads the landing days of the interval and
  replaces their contribution to the latest version; a run without one is a full run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence

from pipeline.layout import RunLayout
from pipeline.settings import Settings


@dataclass(frozen=True)
class RunSpec:
    run_id: str
    root: Path  # the output root
    inputs: tuple[str, ...]
    ingested_at: datetime
    settings: Settings
    data_interval: tuple[datetime, datetime] | None = None  # given: an incremental run
    runner: str = "cli"
    extract_rows: int | None = None  # articles per extract part; None: one part
    allow_empty: bool = False  # publish a candidate with no article rather than refuse it

    @property
    def incremental(self) -> bool:
        return self.data_interval is not None

    @property
    def layout(self) -> RunLayout:
        return RunLayout.of_run(self.root, self.run_id)

    @property
    def days(self) -> list[date] | None:
        """The landing days this run replaces; None for a full run (its inputs are the dataset)."""
        from pipeline.load import interval_days

        return interval_days(*self.data_interval) if self.incremental else None

    def load_inputs(self) -> list[str]:
        """What the load stage reads: the inputs, or their ``dt=`` folders of the interval's days."""
        from pipeline.load import interval_partitions

        return interval_partitions(self.inputs, self.days) if self.incremental else list(self.inputs)

    def describe(self) -> dict:
        """The run as its version's manifest records it."""
        start, end = (d.isoformat() for d in self.data_interval) if self.incremental else (None, None)
        days = self.days
        return {"run_id": self.run_id, "runner": self.runner, "ingested_at": self.ingested_at.isoformat(),
                "data_interval_start": start, "data_interval_end": end,
                "landing_days": None if days is None else [d.isoformat() for d in days]}


def _utc(moment: datetime) -> datetime:
    """An aware UTC datetime (a naive one is taken as UTC), as a plain ``datetime``."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(moment.timestamp(), timezone.utc)


def _interval(interval: tuple[datetime | None, datetime | None] | None) -> tuple[datetime, datetime] | None:
    if interval is None or interval == (None, None):
        return None
    start, end = interval
    if start is None or end is None:
        raise ValueError("a data interval has a start and an end")
    start, end = _utc(start), _utc(end)
    if start >= end:
        raise ValueError("the data interval must start before it ends")
    return start, end


def build(*, root: str | Path, inputs: Sequence[str], run_id: str | None = None, ingested_at: datetime | None = None,
          interval: tuple[datetime | None, datetime | None] | None = None, runner: str = "cli",
          model: str | None = None, batch_size: int | None = None, extract_rows: int | None = None,
          allow_empty: bool = False, now: datetime | None = None, settings: Settings | None = None) -> RunSpec:
    """The run spec; ``now`` is the clock of whoever starts the run (default: the wall clock).
    Raises ``ValueError`` for an interval without start or end, or one that ends before it starts."""
    settings = settings or Settings.from_env()
    settings = replace(settings, model=model or settings.model, batch_size=batch_size or settings.batch_size)
    interval = _interval(interval)
    now = _utc(now or datetime.now(timezone.utc)).replace(microsecond=0)
    ingested = _utc(ingested_at) if ingested_at else interval[1] if interval else now
    return RunSpec(run_id=run_id or f"manual__{now:%Y%m%dT%H%M%SZ}", root=Path(root), inputs=tuple(map(str, inputs)),
                   ingested_at=ingested.replace(microsecond=0), settings=settings, data_interval=interval,
                   runner=runner, extract_rows=extract_rows, allow_empty=allow_empty)


def day_interval(day: date) -> tuple[datetime, datetime]:
    """The data interval of one landing day."""
    start = datetime.combine(day, datetime.min.time(), timezone.utc)
    return start, start + timedelta(days=1)


def from_airflow(context) -> RunSpec:
    """The run spec of an Airflow task's DAG run: its run id, data interval (none for a run
    triggered without a logical date: a full run), and the DAG's params as overrides."""
    params = context["params"]
    settings = Settings.from_env()
    return build(
        root=params.get("output") or settings.data_root,
        inputs=[params.get("input") or settings.landing],
        run_id=context["run_id"],
        interval=(context.get("data_interval_start"), context.get("data_interval_end")),
        runner="airflow",
        model=params.get("model"),
        batch_size=params.get("batch_size"),
        extract_rows=params.get("extract_rows"),
        allow_empty=bool(params.get("allow_empty")),
        now=context["dag_run"].run_after,
        settings=settings,
    )
