"""The distributed topology for real: CeleryExecutor on PostgreSQL and Redis, two workers.

PostgreSQL and Redis are Debian's packages (`make system-deps`), started here on free
loopback ports with their data in temporary folders; the scheduler, DAG processor, API
server and two Celery workers share one AIRFLOW_HOME, as containers share a volume.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import SEED
from tests.ports import free_port
from tests.system.services import (Api, Services, airflow_env, assert_published, port_open, run_dag,
                                   wait_for_dag)

STARTUP_TIMEOUT = 420  # generous ceilings: the machine's two cores may be shared
RUN_TIMEOUT = 600
RUN_ID = "system-test-celery"
WORKERS = ("worker1", "worker2")


def _postgres_bin(name: str) -> str:
    """Debian keeps the server programs out of PATH, under /usr/lib/postgresql/<major>/bin."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    path = found[-1] if found else shutil.which(name)
    assert path, f"{name} not found: run `make system-deps` (apt package postgresql)"
    return path


@pytest.fixture(scope="module")
def postgres_and_redis(tmp_path_factory):
    """A throw-away PostgreSQL cluster and Redis server; yields (services, database URL, broker URL)."""
    work = tmp_path_factory.mktemp("celery-stack")
    services = Services(work)
    # PostgreSQL refuses to run as root and needs a folder its own account can enter
    pgroot = Path(tempfile.mkdtemp(prefix="newsevents-pg-"))
    user = "postgres" if os.geteuid() == 0 else None
    if user:
        shutil.chown(pgroot, user)
    pg_port, redis_port = free_port(), free_port()
    try:
        services.run("initdb", [_postgres_bin("initdb"), "-D", str(pgroot / "data"), "-U", "airflow",
                                "--auth=trust", "-E", "UTF8", "--no-sync"], os.environ, 120, user, pgroot)
        services.start("postgres", [_postgres_bin("postgres"), "-D", str(pgroot / "data"), "-p", str(pg_port),
                                    "-h", "127.0.0.1", "-k", str(pgroot), "-c", "fsync=off"],
                       os.environ, user, pgroot)
        services.start("redis", ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--daemonize", "no"], os.environ)
        services.wait_for("PostgreSQL", lambda: subprocess.run(
            [_postgres_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(pg_port)]).returncode == 0, 60)
        services.wait_for("Redis", lambda: port_open(redis_port), 60)
        yield services, f"postgresql://airflow@127.0.0.1:{pg_port}/postgres", f"redis://127.0.0.1:{redis_port}/0"
    finally:
        services.stop()
        shutil.rmtree(pgroot, ignore_errors=True)


@pytest.fixture(scope="module")
def celery_airflow(postgres_and_redis, tmp_path_factory):
    services, database, broker = postgres_and_redis
    home = tmp_path_factory.mktemp("celery-airflow-home")
    port = free_port()
    env = airflow_env(
        home, port,
        AIRFLOW__CORE__EXECUTOR="CeleryExecutor",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=database.replace("postgresql://", "postgresql+psycopg2://"),
        AIRFLOW__CELERY__BROKER_URL=broker,
        AIRFLOW__CELERY__RESULT_BACKEND=f"db+{database}",
        AIRFLOW__CELERY__WORKER_CONCURRENCY="1",
    )
    services.extra_logs.append(home / "logs")
    services.run("airflow-db-migrate", ["airflow", "db", "migrate"], env, STARTUP_TIMEOUT)
    for component in ("api-server", "scheduler", "dag-processor"):
        services.start(component, ["airflow", component], env)
    for worker in WORKERS:  # the serve-logs port is per host: workers here share the log folder
        services.start(worker, ["airflow", "celery", "worker", "--celery-hostname", f"{worker}@%h",
                                "--skip-serve-logs"], env)
    api = Api(f"http://127.0.0.1:{port}")
    wait_for_dag(services, api, "curated_events", STARTUP_TIMEOUT)
    for worker in WORKERS:
        services.wait_for(f"{worker} to be ready", lambda w=worker: " ready." in services.log(w).read_text(),
                          STARTUP_TIMEOUT)
    return services, api


def test_celery_workers_run_the_dag_to_a_published_version(celery_airflow, tmp_path):
    services, api = celery_airflow
    landing, root = tmp_path / "landing", tmp_path / "data"
    landing.mkdir()
    shutil.copy(SEED, landing)
    run_dag(services, api, "curated_events", RUN_ID, conf={"input": str(landing), "output": str(root)},
            timeout=RUN_TIMEOUT)
    manifest = assert_published(root, RUN_ID)
    assert manifest["inputs"]["sources"][0]["input_uri"].endswith(SEED.name)

    received = {w: len(re.findall(r"Task execute_workload\[.*\] received", services.log(w).read_text()))
                for w in WORKERS}
    assert sum(received.values()) >= 6, f"each of the six tasks went through Celery: {received}"
