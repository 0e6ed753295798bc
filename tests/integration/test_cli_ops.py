"""The operator's CLI: rollback, exit codes, --json everywhere, --help with examples, progress."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading

import pytest

from pipeline import versions
from pipeline.cli import main
from pipeline.progress import choose_mode
from pipeline.versions import publish_lock
from pipeline.runner import STAGES
from tests.conftest import REPO

TINY = "Two people were killed in Aleppo on Monday, the monitor said.\n"
COMMANDS = ("run", "show", "versions", "verify", "diff", "gc", "rollback", "report", "dictionary")


@pytest.fixture
def root(two_versions, tmp_path):
    """A private copy of the two-version root, free to change."""
    copy = tmp_path / "root"
    shutil.copytree(two_versions, copy, symlinks=True)
    return copy


def _ids(root):
    return [v["version_id"] for v in versions.list_versions(root)]


def test_rollback_points_latest_back_and_forward_again(root, capsys):
    first, second = _ids(root)
    assert main(["rollback", first, "--output", str(root), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"version_id": first, "previous_version_id": second, "path": str(root / "versions" / first)}
    assert (root / "LATEST").read_text().strip() == first
    assert (root / "latest").resolve() == (root / "versions" / first).resolve()
    assert [v["latest"] for v in versions.list_versions(root)] == [True, False]
    assert main(["rollback", second, "--output", str(root)]) == 0
    assert f"latest is now {second} (was {first})" in capsys.readouterr().out
    assert (root / "latest").resolve().name == second


def test_rollback_refuses_unknown_and_damaged_versions(root, capsys):
    first, second = _ids(root)
    assert main(["rollback", "20200101T000000Z-00000000", "--output", str(root)]) == 2
    assert "no version 20200101T000000Z-00000000" in capsys.readouterr().err
    assert main(["rollback", "../versions", "--output", str(root)]) == 2
    events = root / "versions" / first / "events" / "part-00000.parquet"
    events.write_bytes(events.read_bytes()[:-8] + b"\0" * 8)
    assert main(["rollback", first, "--output", str(root), "--json"]) == 1
    failure = json.loads(capsys.readouterr().out)
    assert failure["exit_code"] == 1 and "checksum differs" in failure["error"]
    assert (root / "LATEST").read_text().strip() == second and (root / "latest").resolve().name == second


def test_rollback_waits_for_a_running_publish(root):
    first, second = _ids(root)
    with publish_lock(root):
        worker = threading.Thread(target=versions.rollback, args=(root, first))
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive() and (root / "LATEST").read_text().strip() == second
    worker.join(timeout=60)
    assert not worker.is_alive() and (root / "LATEST").read_text().strip() == first


def test_every_command_speaks_json(root, capsys):
    first, second = _ids(root)
    calls = {
        "show": ["show"], "versions": ["versions"], "verify": ["verify", "--version", first],
        "diff": ["diff", first, second], "report": ["report"], "rollback": ["rollback", second], "gc": ["gc", "--keep", "1"],
    }
    for name, args in calls.items():
        assert main([*args, "--output", str(root), "--json"]) == 0, name
        json.loads(capsys.readouterr().out)
    assert main(["dictionary", "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)["tables"]) >= {"events", "sources"}
    assert _ids(root) == [second]  # gc kept latest


def test_errors_have_their_exit_codes(root, tmp_path, capsys):
    first, second = _ids(root)
    assert main(["verify", "--version", "nope", "--output", str(root)]) == 2
    assert main(["diff", first, "nope", "--output", str(root), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"].startswith("no version nope")
    assert main(["gc", "--keep", "0", "--output", str(root)]) == 2
    assert main(["versions", "--output", str(tmp_path / "empty"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["report", "--output", str(tmp_path / "empty")]) == 1
    (root / "versions" / first / "manifest.json").write_text("{not json")
    assert main(["verify", "--version", first, "--output", str(root)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "newsevents: unexpected error: JSONDecodeError" in err
    with pytest.raises(SystemExit) as usage:
        main(["rollback", "--output", str(root)])
    assert usage.value.code == 2


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_examples_and_exit_codes(command):
    helped = subprocess.run([sys.executable, "-m", "pipeline.cli", command, "--help"], capture_output=True, text=True, cwd=REPO)
    assert helped.returncode == 0
    assert "examples:" in helped.stdout and "exit codes:" in helped.stdout and f"newsevents {command}" in helped.stdout


def test_progress_mode_follows_the_terminal(tmp_path):
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal, open(tmp_path / "log", "w") as log:
        assert choose_mode(quiet=False, as_json=False, stream=terminal) == "bar"
        assert choose_mode(quiet=False, as_json=True, stream=terminal) == "bar"
        assert choose_mode(quiet=True, as_json=False, stream=terminal) == "off"
        assert choose_mode(quiet=False, as_json=False, stream=log) == "lines"
        assert choose_mode(quiet=False, as_json=True, stream=log) == "off"
    os.close(master)


def _run_with_terminal_stderr(args, cwd):
    """Run the CLI with stderr on a pseudo-terminal and stdout on a pipe, as `cmd | jq` does."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=slave, env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout = process.stdout.read().decode()
    process.wait(timeout=60)
    os.close(master)
    return process.returncode, stdout, b"".join(chunks).decode(errors="replace")


def test_run_shows_a_bar_on_a_terminal_and_keeps_stdout_json(tmp_path):
    article = tmp_path / "tiny.txt"
    article.write_text(TINY)
    code, stdout, stderr = _run_with_terminal_stderr(
        ["run", "--input", str(article), "--output", str(tmp_path / "out"), "--json"], REPO)
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["unchanged"] is False and result["rows"]["sources"] == 1
    assert "\x1b[" in stderr  # drawn with terminal control codes
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stderr)
    assert f"{len(STAGES)}/{len(STAGES)}" in shown  # the bar reached the end
    for stage in ("load", "clean", "extract", "dedupe", "validate", "publish"):
        assert f"✓ {stage}" in shown
    code, stdout, stderr = _run_with_terminal_stderr(
        ["run", "--input", str(article), "--output", str(tmp_path / "out"), "--quiet"], REPO)
    assert code == 0 and stderr == "" and stdout.startswith("unchanged, latest is still version")


def test_run_prints_plain_stage_lines_when_stderr_is_not_a_terminal(tmp_path):
    article = tmp_path / "tiny.txt"
    article.write_text(TINY)
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--input", str(article), "--output", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert [line.split("]")[0][1:] for line in lines] == list(STAGES)
    assert "\x1b[" not in done.stderr and "published version" in done.stdout


def test_global_flags_go_before_or_after_the_command(root, capsys):
    first, second = _ids(root)
    for args in (["--json", "--output", str(root), "show"], ["--json", "show", "--output", str(root)],
                 ["show", "--output", str(root), "--json"], ["--output", str(root), "versions", "--json"]):
        assert main(args) == 0, args
        json.loads(capsys.readouterr().out)
    assert main(["--output", str(root), "show"]) == 0
    assert capsys.readouterr().out.startswith(f"latest is version {second}")
    with pytest.raises(SystemExit) as usage:
        main(["show"])
    assert usage.value.code == 2 and "--output" in capsys.readouterr().err


def test_diff_lists_each_event_and_what_changed(root, capsys):
    first, second = _ids(root)
    assert main(["diff", first, second, "--output", str(root), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    added = {e["event_id"]: e for e in result["details"]["added"]}
    assert sorted(added) == result["added"] and added and not result["removed"]
    idlib = next(e for e in added.values() if e["place_name"] and "Idlib" in e["place_name"])
    assert idlib["metric"] == "killed" and idlib["value"] == 12
    assert main(["diff", first, second, "--output", str(root)]) == 0
    text = capsys.readouterr().out
    line = f"+ killed 12 in {idlib['place_name']} ({idlib['modality']})  [{idlib['event_id']}]"
    assert f"added    {len(added)}" in text and line in text
    assert main(["diff", second, first, "--output", str(root), "--limit", "1"]) == 0
    text = capsys.readouterr().out
    assert f"removed  {len(added)}" in text and text.count("\n  - ") == 1
    assert f"... {len(added) - 1} more (--limit 0 lists all)" in text or len(added) == 1


def test_a_change_reads_old_to_new():
    from pipeline import schema
    from pipeline.changes import compare, describe_changes
    from pipeline.cli import _diff_lines

    base = {"event_type": "casualties", "metric": "killed", "qualifier": "exact", "n_sources": 1, "modality": "asserted"}
    before = schema.conform("events", [base | {"event_id": "e1", "value": 10.0, "place_name": "Aleppo"}])
    after = schema.conform("events", [base | {"event_id": "e1", "value": 12.0, "place_name": None, "n_sources": 2}])
    found = compare(before, after)
    lines = _diff_lines({**found, "details": describe_changes(before, after, found)}, limit=20)
    assert lines[-1] == "  ~ killed: value 10 -> 12; place_name Aleppo -> (none); n_sources 1 -> 2  [e1]"


def test_a_closed_stdout_ends_quietly(root):
    """`newsevents diff --json ... | head`: the reader leaves early; no traceback, exit 141."""
    first, second = _ids(root)
    process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "diff", first, second, "--output", str(root), "--json"],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the process writes anything
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert stderr == ""
