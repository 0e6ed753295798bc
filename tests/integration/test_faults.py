"""SIGKILL the pipeline in every stage and inside publish: the last good
version stays ``latest`` and intact, and the next normal run publishes over the leftovers.

The kills happen one after the other on one output root, so the leftovers of every
killed run (staging folders, half-written version folders, temp files, the lock file)
pile up before the final run, as they would on a server that crashed repeatedly.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pyarrow.dataset as ds
import pytest

from pipeline import runspec, versions
from pipeline.cli import main
from pipeline.runner import STAGES, run_stage
from pipeline.versions import latest_version, read_manifest
from tests.conftest import REPO, SEED
from tests.fixtures.articles import EXTRA

# name → (function to wrap, kill before or after the call, strings its arguments must hold)
FAULTS = {
    "load: articles staged, rejects not": ("pipeline.tables:write_table", "before", ["/load/rejects.parquet"]),
    "clean: sources staged, rejects not": ("pipeline.tables:write_table", "before", ["/clean/rejects.parquet"]),
    "extract: mid-batch, writers open": ("pipeline.extract.stage:mention_rows", "after", []),
    "merge: sources merged, mentions not": ("pipeline.tables:write_table", "before", ["/merged/mentions.parquet"]),
    "dedupe: sources and mentions staged, events not": ("pipeline.tables:write_table", "before", ["/dedupe/events.parquet"]),
    "validate: suites run, no summary": ("pipeline.validate:check_relations", "before", []),
    "publish: a table half-written": ("pyarrow.parquet:ParquetWriter", "after", ["/versions/.tmp-", "/sources/"]),
    "publish: version complete, not renamed in": ("os:rename", "before", ["/versions/.tmp-"]),
    "publish: version renamed in, latest not swapped": ("pipeline.versions:swap_latest", "before", []),
    "publish: latest swapped, LATEST not": ("os:replace", "before", ["LATEST"]),
}
# where each stage leaves its output in a run's staging folder (merge: the candidate's folder,
# which dedupe and validate then write into)
STAGED = {"load": "load", "clean": "clean", "plan": "extract/plan.json", "extract": "extract", "merge": "merged",
          "dedupe": "merged/dedupe", "validate": "merged/validation"}
# After this one the `latest` link already shows the new (complete) version.
LINK_AHEAD = "publish: latest swapped, LATEST not"


def problems(root) -> list[str]:
    """What is wrong with a root as a reader sees it; an empty list when all is well."""
    found = []
    named = {latest_version(root), (root / "latest").resolve().name}
    for version in versions.list_versions(root):
        found += [f"{version['version_id']}: {p}" for p in versions.verify(root, version["version_id"])]
    con = duckdb.connect()
    for version_id in named:
        for table, entry in read_manifest(root, version_id)["tables"].items():
            folder = root / "versions" / version_id / table
            rows = ds.dataset(folder, format="parquet").to_table().num_rows
            counted = con.execute(f"select count(*) from read_parquet('{folder}/*.parquet')").fetchone()[0]
            if rows != entry["rows"] or counted != entry["rows"]:
                found.append(f"{version_id}/{table}: pyarrow {rows}, duckdb {counted}, manifest {entry['rows']}")
    return found


def kill(target: str, when: str, matches: list[str], command: list[str]) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "tests.integration.fault_driver", target, when, *matches, "--", *command]
    return subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def faulted(seed_run, tmp_path_factory):
    """Every fault in turn on one root; what was seen right after each.

    Each fault kills one stage in a process of its own, as the DAG runs a stage per task,
    over the staged output of the stages before it (from one run validated in-process).
    """
    base = tmp_path_factory.mktemp("faults")
    root = base / "root"
    shutil.copytree(seed_run, root, symlinks=True)
    inputs = base / "inputs"
    inputs.mkdir()
    shutil.copy(SEED, inputs / SEED.name)
    (inputs / "extra.jsonl").write_text(json.dumps(EXTRA) + "\n")
    baseline = latest_version(root)
    validated = runspec.build(root=root, inputs=[str(inputs)], run_id="validated")
    for stage in STAGES[:-1]:
        run_stage(stage, validated)
    seen = {}
    for number, (name, (target, when, matches)) in enumerate(FAULTS.items()):
        stage = name.split(":")[0]
        run_id = validated.run_id if stage == "publish" else f"fault-{number}"
        for before in STAGES[:STAGES.index(stage)] if stage != "publish" else ():
            source, copy = validated.layout.folder / STAGED[before], root / "staging" / run_id / STAGED[before]
            if source.is_file():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
                continue
            later = shutil.ignore_patterns("dedupe", "validation") if before == "merge" else None
            shutil.copytree(source, copy, ignore=later, dirs_exist_ok=True)
        done = kill(target, when, matches, ["stage", stage, str(root), run_id, str(inputs)])
        seen[name] = {"returncode": done.returncode, "stderr": done.stderr, "latest": latest_version(root),
                      "link": (root / "latest").resolve().name, "problems": problems(root),
                      "verify": main(["verify", "--output", str(root)]),
                      "leftovers": sorted(p.name for p in (root / "versions").glob(".tmp-*"))}
    return {"root": root, "inputs": inputs, "baseline": baseline, "seen": seen}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_killed_run_leaves_the_last_good_version_latest_and_intact(faulted, fault):
    seen = faulted["seen"][fault]
    assert seen["returncode"] == -signal.SIGKILL, seen["stderr"][-2000:]
    assert seen["latest"] == faulted["baseline"]
    if fault != LINK_AHEAD:
        assert seen["link"] == faulted["baseline"]
    assert seen["problems"] == [] and seen["verify"] == 0


def test_the_link_swapped_before_the_marker_points_at_a_complete_version(faulted):
    seen = faulted["seen"][LINK_AHEAD]
    assert seen["link"] != faulted["baseline"]
    assert read_manifest(faulted["root"], seen["link"])["parent_version_id"] == faulted["baseline"]


def test_next_run_publishes_over_the_leftovers(faulted):
    root, baseline, seen = faulted["root"], faulted["baseline"], faulted["seen"]
    assert seen["publish: a table half-written"]["leftovers"], "a killed publisher leaves its half-written version"
    assert seen["publish: version complete, not renamed in"]["leftovers"]
    assert (root / "staging" / "fault-2" / "extract").is_dir()
    # the run id of the stage killed mid-extract: a retry redoes its stages over their leftovers
    assert main(["run", "--input", str(faulted["inputs"]), "--output", str(root), "--run-id", "fault-2"]) == 0
    new = latest_version(root)
    assert new != baseline and (root / "latest").resolve().name == new
    assert read_manifest(root, new)["parent_version_id"] == baseline
    assert problems(root) == []
    assert not list((root / "versions").glob(".tmp-*")) and not list(root.glob(".*.tmp-*"))
    assert not (root / "staging" / "fault-2").exists() and (root / "staging" / "validated").is_dir()
    listed = [v["version_id"] for v in versions.list_versions(root)]
    assert listed[0] == baseline and listed[-1] == new
    changes = ds.dataset(root / "latest" / "changes", format="parquet").to_table().to_pylist()
    assert changes and {c["change"] for c in changes} == {"added"}
    assert {c["event_id"] for c in changes} == set(versions.diff(root, baseline, new)["added"])


def test_killed_runs_never_hold_the_lock(faulted):
    """An flock dies with its holder: the lock file is there, yet a publisher gets it at once."""
    from pipeline.versions import publish_lock

    assert (faulted["root"] / ".publish.lock").exists()
    with publish_lock(faulted["root"], timeout=0):
        assert (faulted["root"] / ".publish.lock").read_text() == f"pid {os.getpid()}\n"
