"""`make ui` for real: Airflow standalone on SQLite, a run over REST v2, the DAG page in Chromium.

One stack for the module, started by scripts/airflow_ui.sh exactly as `make ui` starts it,
on free loopback ports in a temporary AIRFLOW_HOME; the last test stops it the way a
user does, with Ctrl-C (SIGINT to the foreground process group).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.system.services import (STAGES, Api, Services, airflow_env, assert_published, free_port, run_dag,
                                   wait_for_dag)

STARTUP_TIMEOUT = 420  # generous ceilings: the machine's two cores may be shared
RUN_TIMEOUT = 600
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUN_ID = "system-test-local"
ASSET = "newsevents_curated_events"


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    work = tmp_path_factory.mktemp("airflow-ui")
    home = work / "airflow"
    port = free_port()
    # the script itself sets the login and the API address; the rest isolates this stack
    env = airflow_env(home, port, AIRFLOW_UI_PORT=str(port), NEWSEVENTS_LANDING=str(work / "landing"),
                      NEWSEVENTS_DATA_ROOT=str(work / "data"))
    services = Services(work)
    services.extra_logs.append(home / "logs")
    services.start("airflow-ui", [str(REPO / "scripts" / "airflow_ui.sh")], env)
    api = Api(f"http://127.0.0.1:{port}")
    try:
        wait_for_dag(services, api, "curated_events", STARTUP_TIMEOUT)
        yield services, api, work
    finally:
        airflow_group = _standalone_group(services.processes["airflow-ui"].pid)
        services.stop()
        if airflow_group and _group_members(airflow_group):  # only after a failed test
            os.killpg(airflow_group, signal.SIGKILL)


def test_a_run_triggered_over_rest_publishes_the_seed_landing(ui):
    services, api, work = ui
    run_dag(services, api, "curated_events", RUN_ID, conf={}, timeout=RUN_TIMEOUT)
    manifest = assert_published(work / "data", RUN_ID)
    assert [s["input_uri"].rsplit("/", 1)[-1] for s in manifest["inputs"]["sources"]] == sorted(
        p.name for p in (REPO / "seeds" / "articles").glob("*.txt"))


def test_the_dag_page_shows_the_dag_its_tasks_and_the_run(ui):
    from playwright.sync_api import sync_playwright

    services, api, work = ui
    shot = work / "curated_events.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(120_000)
            page.goto(f"{api.base_url}/dags/curated_events")
            page.get_by_label("Username").fill("admin")  # redirected to the login form
            page.get_by_label("Password").fill("admin")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/dags/curated_events")
            for task in STAGES:
                page.get_by_text(task).first.wait_for()  # a mapped task carries its count beside its name
            page.get_by_role("heading", name="curated_events").first.wait_for()
            page.get_by_text(ASSET).first.wait_for()  # the asset event of the run published above
            page.wait_for_load_state("networkidle")
            page.screenshot(path=shot)
            text = page.inner_text("body")
        finally:
            browser.close()
    assert "Sign in" not in text
    assert all(task in text.split() for task in STAGES), text
    assert "newsevents" in text.split()  # owner and tag
    assert ASSET in text
    assert shot.stat().st_size > 20_000, f"an almost empty screenshot: {shot}"


def test_ctrl_c_stops_every_process(ui):
    services, api, work = ui
    group = services.processes["airflow-ui"].pid
    airflow_group = _standalone_group(group)  # the script runs standalone in a group of its own
    assert len(_group_members(airflow_group)) >= 5, "standalone, scheduler, dag-processor, triggerer, api-server"
    os.killpg(group, signal.SIGINT)  # what the terminal sends on Ctrl-C
    deadline = time.monotonic() + 180  # each component shuts down gracefully, slowly on busy cores
    while (_group_members(group) or _group_members(airflow_group)) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = {pid: Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
            for pid in _group_members(group) + _group_members(airflow_group)}
    assert left == {}, f"processes left running after Ctrl-C: {left}\n{services.report()}"
    with pytest.raises(OSError):
        api.reachable()


def _standalone_group(script_pid: int) -> int | None:
    """The process group `airflow standalone` runs in: that of the script's child."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1]) == script_pid:
                    return os.getpgid(int(entry.name))
            except (ProcessLookupError, FileNotFoundError):
                pass
    return None


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid and "Z" not in _state(entry):
                    members.append(int(entry.name))
            except (ProcessLookupError, FileNotFoundError):
                pass
    return members


def _state(proc: Path) -> str:
    return proc.joinpath("stat").read_text().rsplit(")", 1)[1].split()[0]
