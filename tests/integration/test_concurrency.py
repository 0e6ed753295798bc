"""Two publishers on one output root: they take turns, or the second one is refused clearly."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds

from pipeline import versions
from pipeline.cli import main
from pipeline.layout import RunLayout
from pipeline.versions import latest_version, read_manifest
from tests.conftest import REPO, SEED
from tests.fixtures.articles import EXTRA

OTHER = {"id": "other-1", "text": "Government forces detained 40 protesters in Daraa on Tuesday, activists said.",
         "published_at": "2016-12-07", "publisher": "Example Wire"}
NEWSEVENTS = Path(sys.executable).parent / "newsevents"


def _inputs(folder: Path, extra: dict) -> Path:
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "extra.jsonl").write_text(json.dumps(extra) + "\n")
    return folder


def test_two_runs_started_together_leave_one_consistent_history(seed_run, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(seed_run, root, symlinks=True)
    baseline = latest_version(root)
    runs = [
        subprocess.Popen([str(NEWSEVENTS), "run", "--input", str(_inputs(tmp_path / name, extra)), "--output", str(root),
                          "--run-id", name], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, extra in (("first", EXTRA), ("second", OTHER))
    ]
    outcomes = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    assert [code for code, _ in outcomes] == [0, 0], outcomes

    listed = versions.list_versions(root)
    assert len(listed) == 3 and listed[0]["version_id"] == baseline
    chain = [v["parent_version_id"] for v in listed]
    assert chain == [None, baseline, listed[1]["version_id"]], "each publisher saw the other's version as parent"
    assert latest_version(root) == listed[2]["version_id"] == (root / "latest").resolve().name
    for version in listed:
        assert versions.verify(root, version["version_id"]) == []
    for parent, child in zip(listed, listed[1:]):
        table = ds.dataset(root / "versions" / child["version_id"] / "changes", format="parquet").to_table()
        found = {kind: sorted(e for e, k in zip(table.column("event_id").to_pylist(), table.column("change").to_pylist())
                              if k == kind) for kind in ("added", "removed", "changed")}
        assert found == {k: v for k, v in versions.diff(root, parent["version_id"], child["version_id"]).items()
                         if k in found}
        assert found["added"]
    assert not list((root / "staging").iterdir())


def test_a_publisher_that_waits_too_long_is_refused_with_exit_code_4(seed_run, tmp_path, monkeypatch, capsys):
    root = tmp_path / "root"
    shutil.copytree(seed_run, root, symlinks=True)
    baseline = latest_version(root)
    monkeypatch.setenv("NEWSEVENTS_LOCK_TIMEOUT", "1")
    with open(root / ".publish.lock", "a+") as held:  # another publisher, busy
        fcntl.flock(held, fcntl.LOCK_EX)
        held.truncate(0)
        held.write("pid 4242\n")
        held.flush()
        code = main(["run", "--input", str(_inputs(tmp_path / "in", EXTRA)), "--output", str(root), "--run-id", "late"])
    assert code == 4
    err = capsys.readouterr().err
    assert "another publisher (pid 4242) holds" in err and "NEWSEVENTS_LOCK_TIMEOUT" in err
    assert "nothing published" in err
    assert latest_version(root) == baseline and [v["version_id"] for v in versions.list_versions(root)] == [baseline]
    assert json.loads(RunLayout.of_run(root, "late").candidate.summary.read_text())["success"] is True

    # with the lock free, publishing the staged, validated candidate succeeds
    from pipeline import runspec
    from pipeline.runner import run_stage

    result = run_stage("publish", runspec.build(root=root, inputs=[], run_id="late"))
    assert read_manifest(root, result["version_id"])["parent_version_id"] == baseline
    assert latest_version(root) == result["version_id"]
