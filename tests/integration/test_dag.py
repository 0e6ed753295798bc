"""The DAG as Airflow sees it, and a real run of it on SQLite."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone

import pytest

from pipeline.runner import STAGES
from tests.conftest import BROKEN_CUE, REPO, SEED


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    db.initdb()  # a fresh SQLite metadata database in the test AIRFLOW_HOME
    return DagBag(dag_folder=str(REPO / "dags"))


def test_dag_imports_cleanly_and_is_wired_in_stage_order(dagbag):
    assert dagbag.import_errors == {}
    dag = dagbag.get_dag("curated_events")
    assert dag is not None
    order = [task.task_id for task in dag.topological_sort()]
    assert order == list(STAGES)  # one task per registered stage, named after it
    for upstream, downstream in zip(STAGES, STAGES[1:]):
        assert dag.get_task(downstream).upstream_task_ids == {upstream}
    assert all(task.owner == "newsevents" for task in dag.tasks)
    assert dag.get_task("extract").retries >= 1
    assert dag.get_task("validate").retries == 0  # a failed check is not transient
    assert dag.max_active_runs == 1
    assert [outlet.name for outlet in dag.get_task("publish").outlets] == ["newsevents_curated_events"]
    assert dag.get_task("extract").is_mapped  # one task per planned range of articles


def test_dag_file_does_no_heavy_work_at_import():
    import subprocess
    import sys

    code = ("import sys, runpy; runpy.run_path(%r); "
            "print(sorted(m for m in ('spacy', 'great_expectations', 'pipeline.extract.facts') if m in sys.modules))") % str(REPO / "dags" / "curated_events.py")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_dag_run_on_sqlite_publishes_the_same_tables_as_the_cli(dagbag, tmp_path, monkeypatch, seed_run):
    landing = tmp_path / "landing"
    (landing / "dt=2026-03-01").mkdir(parents=True)
    shutil.copy(SEED, landing / "dt=2026-03-01" / SEED.name)
    shutil.copy(SEED, landing / "outside-any-partition.txt")  # not read by a run with an interval
    root = tmp_path / "data"
    monkeypatch.setenv("NEWSEVENTS_LANDING", str(landing))
    monkeypatch.setenv("NEWSEVENTS_DATA_ROOT", str(root))

    # a manual run at 2026-03-02 covers the day before: data interval [03-01, 03-02)
    run = dagbag.get_dag("curated_events").test(logical_date=datetime(2026, 3, 2, tzinfo=timezone.utc))
    assert run.state == "success"

    manifest = json.loads((root / "latest" / "manifest.json").read_text())
    assert manifest["run"]["runner"] == "airflow"
    assert manifest["run"]["landing_days"] == ["2026-03-01"]
    assert [s["input_uri"] for s in manifest["inputs"]["sources"]] == [str(landing / "dt=2026-03-01" / SEED.name)]
    assert manifest["tables"]["events"]["rows"] > 0
    cli_manifest = json.loads((seed_run / "latest" / "manifest.json").read_text())
    for table in ("events", "mentions", "places", "quantities"):
        assert manifest["tables"][table]["files"][0]["sha256"] == cli_manifest["tables"][table]["files"][0]["sha256"], table
    assert not any((root / "staging").iterdir()), "staging is cleaned up after publish"


def test_a_broken_extractor_fails_its_task_at_once_and_publishes_nothing(dagbag, tmp_path, monkeypatch, broken_rules):
    day = tmp_path / "landing" / "dt=2026-03-01"
    day.mkdir(parents=True)
    (day / "wire.jsonl").write_text("".join(
        json.dumps({"id": f"s{n}", "published_at": "2026-03-01",
                    "text": f"An air strike killed {n} civilians in Harasta {BROKEN_CUE}, rescuers said."}) + "\n"
        for n in (3, 5, 7)))
    root = tmp_path / "data"
    monkeypatch.setenv("NEWSEVENTS_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("NEWSEVENTS_DATA_ROOT", str(root))

    run = dagbag.get_dag("curated_events").test(logical_date=datetime(2026, 3, 2, tzinfo=timezone.utc))
    assert run.state == "failed"
    (extract,) = [ti for ti in run.get_task_instances() if ti.task_id == "extract"]
    assert (extract.state, extract.try_number) == ("failed", 1)  # no retry: it would fail the same way
    assert not (root / "latest").exists()


def test_a_run_with_no_article_fails_at_merge_and_publishes_nothing(dagbag, tmp_path, monkeypatch):
    day = tmp_path / "landing" / "dt=2026-03-01"
    day.mkdir(parents=True)
    (day / "empty.txt").write_text("")  # every input of the day rejected
    root = tmp_path / "data"
    monkeypatch.setenv("NEWSEVENTS_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("NEWSEVENTS_DATA_ROOT", str(root))

    run = dagbag.get_dag("curated_events").test(logical_date=datetime(2026, 3, 2, tzinfo=timezone.utc))
    assert run.state == "failed"
    states = {ti.task_id: (ti.state, ti.try_number) for ti in run.get_task_instances()}
    assert states["merge"] == ("failed", 1)  # no retry: an empty day stays empty
    assert states["publish"][0] != "success"
    assert not (root / "latest").exists()
