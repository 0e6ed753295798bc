"""One run spec from the CLI's arguments or Airflow's context, resolved one way."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from pipeline import runspec
from pipeline.settings import Settings

UTC = timezone.utc
DAY = runspec.day_interval(date(2026, 3, 1))
NOW = datetime(2026, 3, 5, 7, 30, 12, 456, tzinfo=UTC)


def test_ingested_at_is_the_given_time_else_the_interval_end_else_the_clock():
    given = datetime(2026, 3, 9, 12, tzinfo=UTC)
    assert runspec.build(root="r", inputs=[], ingested_at=given, interval=DAY, now=NOW).ingested_at == given
    assert runspec.build(root="r", inputs=[], interval=DAY, now=NOW).ingested_at == DAY[1]
    full = runspec.build(root="r", inputs=[], now=NOW)
    assert full.ingested_at == NOW.replace(microsecond=0) and full.run_id == "manual__20260305T073012Z"
    assert runspec.build(root="r", inputs=[], ingested_at=datetime(2026, 3, 9)).ingested_at == datetime(2026, 3, 9, tzinfo=UTC)


def test_an_interval_makes_an_incremental_run_of_its_days():
    spec = runspec.build(root="r", inputs=["landing"], interval=(DAY[0], DAY[0] + timedelta(days=2)))
    assert spec.incremental and spec.days == [date(2026, 3, 1), date(2026, 3, 2)]
    assert spec.describe()["landing_days"] == ["2026-03-01", "2026-03-02"]
    assert spec.describe()["data_interval_start"] == "2026-03-01T00:00:00+00:00"
    full = runspec.build(root="r", inputs=["landing"], interval=(None, None))
    assert not full.incremental and full.days is None and full.describe()["data_interval_end"] is None


@pytest.mark.parametrize("interval, message", [((DAY[0], None), "a start and an end"),
                                               ((DAY[1], DAY[0]), "start before it ends")])
def test_a_broken_interval_is_refused(interval, message):
    with pytest.raises(ValueError, match=message):
        runspec.build(root="r", inputs=[], interval=interval)


def test_overrides_replace_the_settings_and_nothing_else():
    settings = Settings(batch_size=64)
    spec = runspec.build(root="r", inputs=[], model="/models/other", batch_size=8, settings=settings)
    assert (spec.settings.model, spec.settings.batch_size) == ("/models/other", 8)
    assert spec.settings.rules_dir == settings.rules_dir
    assert runspec.build(root="r", inputs=[], settings=settings).settings == settings


def test_airflows_context_gives_the_same_spec_as_the_same_arguments(monkeypatch, tmp_path):
    """A context is what Airflow hands a task: the DAG run's id, interval, params and run."""
    monkeypatch.setenv("NEWSEVENTS_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("NEWSEVENTS_DATA_ROOT", str(tmp_path / "data"))

    class DagRun:
        run_after = NOW

    params = {"input": None, "output": None, "model": None, "batch_size": 16, "extract_rows": 500, "allow_empty": False}
    context = {"params": params, "run_id": "scheduled__2026-03-02T00:00:00+00:00", "dag_run": DagRun(),
               "data_interval_start": DAY[0], "data_interval_end": DAY[1]}
    spec = runspec.from_airflow(context)
    assert spec == runspec.build(root=tmp_path / "data", inputs=[str(tmp_path / "landing")], run_id=context["run_id"],
                                 interval=DAY, runner="airflow", batch_size=16, extract_rows=500, now=NOW)
    assert spec.layout.folder == tmp_path / "data" / "staging" / "scheduled__2026-03-02T00_00_00_00_00"
    manual = runspec.from_airflow({**context, "data_interval_start": None, "data_interval_end": None})
    assert not manual.incremental and manual.ingested_at == NOW.replace(microsecond=0)
