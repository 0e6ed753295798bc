"""Real services on loopback for the system tests: start, wait, report, stop.

Every process runs in its own session with its output in a log file; every wait polls
with a deadline, stops early when a service dies, and fails with the tail of every log.
Teardown kills whole process groups, so no worker outlives its test.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.ports import free_port

VENV_BIN = Path(sys.executable).parent
LOG_TAIL_LINES = 40


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(line[:400] for line in text[-lines:])


class Services:
    """Processes started together, reported together on failure and stopped together."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.processes: dict[str, subprocess.Popen] = {}
        self.extra_logs: list[Path] = []  # folders of further logs, e.g. Airflow task logs

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def start(self, name: str, cmd: list[str], env: dict[str, str], user: str | None = None,
              cwd: Path | None = None) -> None:
        """Start a long-running service; as root, `user` runs it as that account."""
        if user and os.geteuid() == 0:
            cmd = ["runuser", "-u", user, "--", *cmd]
        with self.log(name).open("wb") as out:
            self.processes[name] = subprocess.Popen(
                cmd, env=env, cwd=cwd or self.workdir, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_default_sigint)

    def run(self, name: str, cmd: list[str], env: dict[str, str], timeout: float,
            user: str | None = None, cwd: Path | None = None) -> None:
        """Run a one-shot command to completion (a migration, initdb); fail with its output."""
        if user and os.geteuid() == 0:
            cmd = ["runuser", "-u", user, "--", *cmd]
        with self.log(name).open("wb") as out:
            try:
                code = subprocess.run(cmd, env=env, cwd=cwd or self.workdir, stdin=subprocess.DEVNULL,
                                      stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
            except subprocess.TimeoutExpired:
                self.fail(f"{name} did not finish within {timeout:.0f}s")
        if code != 0:
            self.fail(f"{name} exited with {code}")

    def wait_for(self, what: str, check: Callable[[], object], timeout: float, interval: float = 1.0):
        """Poll `check` until it returns something truthy; fail early if a service dies.

        A connection error or timeout inside `check` counts as "not yet": a busy server is slow.
        """
        deadline = time.monotonic() + timeout
        error = None
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    self.fail(f"{name} exited with {process.returncode} while waiting for {what}")
            try:
                result = check()
            except OSError as exc:
                result, error = None, exc
            if result:
                return result
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout:.0f}s waiting for {what} (last error: {error!r})")
            time.sleep(interval)

    def report(self) -> str:
        parts = [f"--- {path.name} (last {LOG_TAIL_LINES} lines) ---\n{_tail(path)}"
                 for path in sorted(self.workdir.glob("*.log"))]
        for folder in self.extra_logs:
            parts += [f"--- {path} ---\n{_tail(path)}" for path in sorted(folder.rglob("*.log"))]
        return "\n".join(parts)

    def fail(self, message: str):
        raise AssertionError(f"{message}\n{self.report()}")

    def stop(self, sig: int = signal.SIGTERM, grace: float = 20) -> list[str]:
        """Signal every process group, newest first; kill what is left after `grace` seconds.

        Returns the names of the services that had to be killed.
        """
        for process in reversed(self.processes.values()):
            _signal_group(process, sig)
        deadline = time.monotonic() + grace
        killed = []
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                killed.append(name)
            _signal_group(process, signal.SIGKILL)  # stragglers in the group, e.g. forked workers
            process.wait()
        return killed


def _default_sigint() -> None:
    """Let SIGINT (Ctrl-C) stop a service even when the test run itself ignores it (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


class Api:
    """A JSON client for Airflow's REST API v2 with a JWT from the simple auth manager."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.token: str | None = None

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, {"detail": error.read().decode(errors="replace")}

    def reachable(self, path: str = "/api/v2/monitor/health") -> bool:
        return self.call("GET", path)[0] == 200

    def login(self, username: str, password: str) -> None:
        status, body = self.call("POST", "/auth/token", {"username": username, "password": password})
        assert status == 201, f"login as {username} failed: {status} {body}"
        self.token = body["access_token"]


def airflow_env(home: Path, api_port: int, **settings: str) -> dict[str, str]:
    """Environment for Airflow processes sharing `home`, its API on loopback and admin/admin."""
    home.mkdir(parents=True, exist_ok=True)
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"admin": "admin"}))
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONUNBUFFERED": "1",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",  # only the runs a test triggers
        # the log servers' default ports may be taken by a `make ui` on the same machine
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",  # a busy API server is not a task failure
        **settings,
    }


def wait_for_dag(services: Services, api: Api, dag_id: str, timeout: float) -> None:
    """The API server answers, the fixed login works and the DAG processor has parsed `dag_id`."""
    services.wait_for("the API server", api.reachable, timeout)
    api.login("admin", "admin")
    services.wait_for(f"{dag_id} to be parsed", lambda: api.call("GET", f"/api/v2/dags/{dag_id}")[0] == 200, timeout)


STAGES = ["load", "clean", "plan", "extract", "merge", "dedupe", "validate", "publish"]  # the DAG's tasks


def run_dag(services: Services, api: Api, dag_id: str, run_id: str, conf: dict, timeout: float,
            unpause: bool = True) -> dict:
    """Trigger one run of `dag_id` over REST (unpausing it first, unless told not to) and wait for it."""
    if unpause:
        status, body = api.call("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
        assert status == 200 and body["is_paused"] is False, f"unpause failed: {status} {body}"
    status, body = api.call("POST", f"/api/v2/dags/{dag_id}/dagRuns",
                            {"dag_run_id": run_id, "logical_date": None, "conf": conf})
    assert status == 200, f"trigger failed: {status} {body}"
    return wait_for_run(services, api, dag_id, run_id, timeout)


def wait_for_run(services: Services, api: Api, dag_id: str, run_id: str, timeout: float) -> dict:
    """Wait for a run to end; fail unless it and every one of its tasks succeeded."""

    def finished():
        run = api.call("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")[1]
        return run if run.get("state") in ("success", "failed") else None

    run = services.wait_for(f"run {run_id} of {dag_id} to finish", finished, timeout, interval=2)
    tasks = api.call("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances")[1]["task_instances"]
    states = {ti["task_id"]: ti["state"] for ti in tasks}
    if run["state"] != "success":
        services.fail(f"run {run_id} ended {run['state']}; tasks: {states}")
    assert states == dict.fromkeys(STAGES, "success"), states
    return run


def assert_published(root: Path, run_id: str) -> dict:
    """The run published a complete version: manifest, `latest`, every table readable by pyarrow."""
    import pyarrow.parquet as pq

    manifest = json.loads((root / "latest" / "manifest.json").read_text())
    assert manifest["run"]["run_id"] == run_id and manifest["run"]["runner"] == "airflow", manifest["run"]
    assert (root / "LATEST").read_text().strip() == manifest["version_id"]
    assert manifest["validation"]["success"] is True
    for name, table in manifest["tables"].items():
        assert pq.read_table(root / "latest" / name).num_rows == table["rows"], name
    assert manifest["tables"]["events"]["rows"] > 0 and manifest["tables"]["sources"]["rows"] > 0
    return manifest
