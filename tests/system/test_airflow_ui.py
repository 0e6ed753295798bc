"""`make ui` for real: Airflow on SQLite, Trigger clicked in the UI, a run over REST v2, Ctrl-C.

One stack for the module, started by scripts/airflow_ui.sh as `make ui` starts it (after
`airflow db migrate`, on a home where an earlier `make run` left the DAG paused), on free
loopback ports in a temporary AIRFLOW_HOME. The tests run in order: the last one stops the
stack the way a user does, with Ctrl-C (SIGINT to the foreground process group).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

import pyarrow.dataset as ds
import pytest

from tests.conftest import REPO
from tests.ports import free_port
from tests.system.services import (STAGES, Api, Services, airflow_env, assert_published, run_dag,
                                   wait_for_dag, wait_for_run)

STARTUP_TIMEOUT = 420  # generous ceilings: the machine's two cores may be shared
RUN_TIMEOUT = 600
STOP_TIMEOUT = 180
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUN_ID = "system-test-local"
ASSET = "newsevents_curated_events"
SEEDS = sorted(p.name for p in (REPO / "seeds" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    work = tmp_path_factory.mktemp("airflow-ui")
    home = work / "airflow"
    port = free_port()
    # the script itself sets the login and the API address; the rest isolates this stack. The
    # stop grace is wide for a shared machine: the test asserts a stop without kills, not its time.
    env = airflow_env(home, port, AIRFLOW_UI_PORT=str(port), NEWSEVENTS_LANDING=str(work / "landing"),
                      NEWSEVENTS_DATA_ROOT=str(work / "data"), AIRFLOW_UI_STOP_GRACE="120")
    services = Services(work)
    services.extra_logs.append(home / "logs")
    services.run("migrate", ["airflow", "db", "migrate"], env, timeout=STARTUP_TIMEOUT)
    services.run("reserialize", ["airflow", "dags", "reserialize"], env, timeout=STARTUP_TIMEOUT)  # paused, as `make run` leaves it
    services.start("airflow-ui", [str(REPO / "scripts" / "airflow_ui.sh")], env)
    api = Api(f"http://127.0.0.1:{port}")
    try:
        wait_for_dag(services, api, "curated_events", STARTUP_TIMEOUT)
        yield services, api, work
    finally:
        groups = _component_groups(services.processes["airflow-ui"].pid)
        services.stop()
        for group in groups:  # only after a failed test
            if _group_members(group):
                os.killpg(group, signal.SIGKILL)


def test_make_ui_unpauses_the_dag(ui):
    services, api, work = ui
    services.wait_for("make ui to unpause curated_events",
                      lambda: api.call("GET", "/api/v2/dags/curated_events")[1]["is_paused"] is False, 120, interval=2)


def test_trigger_in_the_ui_publishes_the_seeds_events(ui, seed_run):
    """What the README says to do: open the DAG, click Trigger, keep the form's defaults."""
    from playwright.sync_api import sync_playwright

    services, api, work = ui
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = _signed_in(browser, f"{api.base_url}/dags/curated_events")
            page.get_by_role("button", name="Trigger").first.click()
            dialog = page.get_by_role("dialog")
            dialog.get_by_role("button", name="Trigger").click()  # logical date: now, as the form fills it in
            page.wait_for_url("**/dags/curated_events/runs/**")
            run_id = unquote(page.url.rsplit("/runs/", 1)[1])
        finally:
            browser.close()
    run = wait_for_run(services, api, "curated_events", run_id, RUN_TIMEOUT)
    assert run["triggered_by"] == "ui"
    # a manual run reads the last whole day before its logical date: where make ui put the seed
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).date().isoformat()
    assert run["data_interval_start"].startswith(yesterday), run

    root = work / "data"
    manifest = assert_published(root, run_id)
    assert [s["input_uri"] for s in manifest["inputs"]["sources"]] == [
        str(work / "landing" / f"dt={yesterday}" / name) for name in SEEDS]
    published, expected = (ds.dataset(r / "latest" / "events", format="parquet").to_table() for r in (root, seed_run))
    assert published.num_rows > 0 and published.equals(expected), "the UI run published other events than the CLI"


def test_a_run_triggered_over_rest_publishes_the_seed_landing(ui):
    """Over REST, and without unpausing the DAG first: a run posted to a paused DAG would wait for ever."""
    services, api, work = ui
    root = work / "rest-data"
    run_dag(services, api, "curated_events", RUN_ID, conf={"output": str(root)}, timeout=RUN_TIMEOUT, unpause=False)
    manifest = assert_published(root, RUN_ID)
    assert [s["input_uri"].rsplit("/", 1)[-1] for s in manifest["inputs"]["sources"]] == SEEDS


def test_the_dag_page_shows_the_dag_its_tasks_and_the_run(ui):
    from playwright.sync_api import sync_playwright

    services, api, work = ui
    shot = work / "curated_events.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = _signed_in(browser, f"{api.base_url}/dags/curated_events")
            for task in STAGES:
                page.get_by_text(task).first.wait_for()  # a mapped task carries its count beside its name
            page.get_by_role("heading", name="curated_events").first.wait_for()
            page.get_by_text(ASSET).first.wait_for()  # the asset event of the runs published above
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


def test_ctrl_c_stops_every_process_cleanly(ui):
    services, api, work = ui
    script = services.processes["airflow-ui"]
    groups = _component_groups(script.pid)  # each component runs in a session of its own
    assert len(groups) == 4, "scheduler, dag-processor, triggerer, api-server"
    started = time.monotonic()
    os.killpg(script.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
    try:
        code = script.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        code = None
    took = time.monotonic() - started
    left = {pid: Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
            for group in [script.pid, *groups] for pid in _group_members(group)}
    assert left == {}, f"processes left running after Ctrl-C: {left}\n{services.report()}"
    output = services.log("airflow-ui").read_text()
    assert code == 0 and "Airflow stopped in" in output and "killing" not in output, \
        f"exit {code} after {took:.0f}s\n{services.report()}"
    with pytest.raises(OSError):
        api.reachable()


def _signed_in(browser, url: str):
    """A page at `url` after the login form it redirects to."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(120_000)
    page.goto(url)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url)
    return page


def _component_groups(script_pid: int) -> list[int]:
    """The process groups of the script's children that lead one of their own: the components."""
    groups = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == script_pid and int(fields[2]) == int(entry.name):
                    groups.append(int(entry.name))
            except (ProcessLookupError, FileNotFoundError):
                pass
    return sorted(groups)


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
