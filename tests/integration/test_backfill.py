"""A real backfill: ``airflow backfill create`` queues three daily runs and a running Airflow
(scheduler, dag-processor, API server for the task execution API; ``airflow standalone`` on
SQLite with the LocalExecutor) executes them. The dataset equals one CLI run over the days.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pipeline.cli import main
from tests.conftest import REPO
from tests.ports import free_port
from tests.integration.landing import DAYS, assert_same_dataset, write_landing

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
DEADLINE_S = 40 * 60  # a 2-core machine shared with other jobs; the runs themselves take minutes


def _env(home: Path, landing: Path, data: Path) -> dict:
    port = free_port()
    return {
        **os.environ,
        "PATH": f"{Path(AIRFLOW).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # standalone starts `airflow ...`
        "AIRFLOW_HOME": str(home),
        # SQLite serialises writers: wait for the lock instead of failing at once
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db?timeout=120",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",  # backfill runs only run on unpaused Dags
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",  # no scheduled run beside the backfill
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": "test-only-jwt-secret-for-a-throwaway-airflow",
        # the log servers' fixed default ports may be taken by another Airflow on this machine
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
        "NEWSEVENTS_LANDING": str(landing),
        "NEWSEVENTS_DATA_ROOT": str(data),
    }


def _query(db: Path, sql: str) -> list[tuple]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as con:
            return con.execute(sql).fetchall()
    except sqlite3.OperationalError:  # tables not migrated yet, or the database is busy
        return []


def _wait(what: str, check, log: Path, airflow: subprocess.Popen) -> None:
    start = time.monotonic()
    while not check():
        assert airflow.poll() is None, f"airflow standalone exited while waiting for {what}; log:\n{log.read_text()[-5000:]}"
        assert time.monotonic() - start < DEADLINE_S, f"timed out waiting for {what}; log:\n{log.read_text()[-5000:]}"
        time.sleep(5)


def test_backfill_of_three_days_equals_one_run(tmp_path):
    landing = write_landing(tmp_path / "landing")
    data, home = tmp_path / "data", tmp_path / "airflow"
    home.mkdir()
    env = _env(home, landing, data)
    db, log = home / "airflow.db", tmp_path / "standalone.log"
    with log.open("w") as out:
        airflow = subprocess.Popen([AIRFLOW, "standalone"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=tmp_path, start_new_session=True)
    try:
        _wait("the Dag to be parsed", lambda: _query(db, "select 1 from dag where dag_id = 'curated_events'"), log, airflow)
        for _ in range(3):  # SQLite shared with a busy scheduler can still say "database is locked"
            backfill = subprocess.run([AIRFLOW, "backfill", "create", "--dag-id", "curated_events",
                                       "--from-date", DAYS[0], "--to-date", DAYS[-1]],
                                      env=env, capture_output=True, text=True, cwd=tmp_path, timeout=600)
            if backfill.returncode == 0 or "database is locked" not in backfill.stderr:
                break
        assert backfill.returncode == 0, backfill.stderr[-3000:]

        runs = "select state from dag_run where dag_id = 'curated_events' and run_type = 'backfill'"
        _wait("three backfill runs to finish",
              lambda: len(rows := _query(db, runs)) == 3 and all(s in ("success", "failed") for (s,) in rows), log, airflow)
        assert sorted(_query(db, runs)) == [("success",)] * 3
        days = _query(db, "select date(logical_date) from dag_run where run_type = 'backfill' order by logical_date")
        assert [d for (d,) in days] == list(DAYS)
        mapped = _query(db, "select count(*) from task_instance where task_id = 'extract' and map_index >= 0")
        assert mapped[0][0] >= 3  # one mapped extract task per planned part, in every run
    finally:
        os.killpg(airflow.pid, signal.SIGTERM)
        try:
            airflow.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(airflow.pid, signal.SIGKILL)

    once = tmp_path / "once"
    assert main(["run", "--input", str(landing), "--output", str(once), "--interval-start", DAYS[0], "--interval-end", "2026-01-04"]) == 0
    assert_same_dataset(data, once)
    assert len(list((data / "versions").iterdir())) == 3  # one version per day, each on its parent
