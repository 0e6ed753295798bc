"""The CLI on the seed article, read back the way analysts read it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb
import pyarrow.dataset as ds
import pytest

from pipeline import schema
from pipeline.cli import main
from tests.conftest import REPO, SEED

INGESTED = "2026-11-25T00:00:00+00:00"


def test_published_layout_and_manifest(seed_run):
    version = (seed_run / "LATEST").read_text().strip()
    assert (seed_run / "latest").resolve() == (seed_run / "versions" / version).resolve()
    manifest = json.loads((seed_run / "latest" / "manifest.json").read_text())
    assert manifest["version_id"] == version and manifest["parent_version_id"] is None
    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["validation"]["success"] is True
    assert manifest["inputs"]["sources"][0]["input_uri"].endswith(SEED.name)
    for table in schema.TABLES:
        files = manifest["tables"][table]["files"]
        assert files and all((seed_run / "latest" / f["path"]).exists() for f in files), table
    assert (seed_run / "latest" / "validation" / "summary.json").exists()


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_tables_have_the_contract_schema_with_pyarrow(seed_run, table):
    dataset = ds.dataset(seed_run / "latest" / table, format="parquet")
    assert dataset.schema.remove_metadata() == schema.TABLES[table]


def test_duckdb_reads_and_joins_the_tables(seed_run):
    latest = seed_run / "latest"
    con = duckdb.connect()
    events = con.execute(f"select count(*) from read_parquet('{latest}/events/*.parquet')").fetchone()[0]
    joined = con.execute(f"""
        select count(*) from read_parquet('{latest}/mentions/*.parquet') m
        join read_parquet('{latest}/events/*.parquet') e using (event_id)
        join read_parquet('{latest}/sources/*.parquet') s using (source_id)
    """).fetchone()[0]
    mentions = con.execute(f"select count(*) from read_parquet('{latest}/mentions/*.parquet')").fetchone()[0]
    assert events > 0 and joined == mentions
    publisher = con.execute(f"select publisher, credited_agencies from read_parquet('{latest}/sources/*.parquet')").fetchone()
    assert publisher == ("Al Jazeera", ["News Agencies"])


def test_seed_facts_carry_evidence_and_offsets(seed_run):
    latest = seed_run / "latest"
    sources = ds.dataset(latest / "sources").to_table().to_pylist()
    text = sources[0]["text"]
    for mention in ds.dataset(latest / "mentions").to_table().to_pylist():
        assert text[mention["char_start"]:mention["char_end"]] == mention["text"]
        assert mention["text"] in mention["sentence"]
    killed = [e for e in ds.dataset(latest / "events").to_table().to_pylist() if e["metric"] == "killed"]
    toll = next(e for e in killed if e["value"] == 341)
    assert toll["qualifier"] == "more_than" and toll["place_name"] == "east Aleppo" and toll["country_code"] == "SY"
    assert "more than 341 people dead" in toll["evidence"]
    children = next(e for e in killed if e["value"] == 44)
    assert children["parent_event_id"] == toll["event_id"] and children["subject"] == "children"


def test_same_input_gives_identical_tables_and_second_run_publishes_nothing(seed_run, tmp_path):
    assert main(["run", "--input", str(SEED), "--output", str(tmp_path), "--ingested-at", INGESTED]) == 0
    first = json.loads((seed_run / "latest" / "manifest.json").read_text())["tables"]
    second = json.loads((tmp_path / "latest" / "manifest.json").read_text())["tables"]
    assert {t: v["files"][0]["sha256"] for t, v in first.items()} == {t: v["files"][0]["sha256"] for t, v in second.items()}
    version = (tmp_path / "LATEST").read_text()
    assert main(["run", "--input", str(SEED), "--output", str(tmp_path)]) == 0
    assert (tmp_path / "LATEST").read_text() == version
    assert len(list((tmp_path / "versions").iterdir())) == 1


def test_failed_validation_quarantines_and_leaves_latest(seed_run, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline import runner, runspec
    from pipeline.validate import ValidationFailed

    root = tmp_path / "root"
    shutil.copytree(seed_run, root, symlinks=True)
    before = (root / "LATEST").read_text()
    spec = runspec.build(root=root, inputs=[str(SEED)], run_id="broken")
    for stage in runner.STAGES[:runner.STAGES.index("validate")]:
        runner.run_stage(stage, spec)
    events_path = spec.layout.candidate.dedupe.events.path
    events = pq.read_table(events_path)
    pq.write_table(pa.concat_tables([events, events]), events_path)
    with pytest.raises(ValidationFailed, match="event_id"):
        runner.run_stage("validate", spec)
    with pytest.raises(RuntimeError, match="not passed validation"):
        runner.run_stage("publish", spec)
    assert (root / "LATEST").read_text() == before
    assert (root / "latest").resolve().name == before.strip()
    assert (root / "quarantine" / "broken" / "validation" / "summary.json").exists()


def test_cli_errors_are_clear(tmp_path):
    env = {**os.environ}
    missing = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path)],
                             capture_output=True, text=True, cwd=REPO, env=env)
    assert missing.returncode == 2 and "input not found" in missing.stderr
    helped = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--help"], capture_output=True, text=True, cwd=REPO, env=env)
    assert helped.returncode == 0 and "examples:" in helped.stdout


def test_show_prints_the_latest_version_as_json(seed_run, capsys):
    assert main(["show", "--output", str(seed_run), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version_id"] == (seed_run / "LATEST").read_text().strip()
    assert shown["rows"]["sources"] == 1 and shown["rows"]["events"] > 0


def test_show_without_a_version_fails_clearly(tmp_path, capsys):
    assert main(["show", "--output", str(tmp_path)]) == 1
    assert "no published version" in capsys.readouterr().err
