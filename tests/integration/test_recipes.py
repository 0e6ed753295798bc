"""docs/recipes.md runs as written: its SQL and Python blocks, against a real published root."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pytest

from tests.conftest import REPO

RECIPES_MD = REPO / "docs" / "recipes.md"
_BLOCK = re.compile(r"<!-- recipe: (?P<name>[\w-]+) -->\s*```(?P<lang>\w+)\n(?P<code>.*?)```", re.DOTALL)


def recipes() -> dict[str, tuple[str, str]]:
    """name -> (language, code) of every tagged fenced block."""
    return {m["name"]: (m["lang"], m["code"]) for m in _BLOCK.finditer(RECIPES_MD.read_text(encoding="utf-8"))}


@pytest.fixture
def data_dir(two_versions, tmp_path, monkeypatch) -> Path:
    """A working directory where ``data/`` is the published root, as the recipes assume."""
    (tmp_path / "data").symlink_to(two_versions, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def run_sql(name: str) -> list[dict]:
    language, code = recipes()[name]
    assert language == "sql"
    return duckdb.connect().sql(code).arrow().read_all().to_pylist()


def run_python(name: str) -> dict:
    language, code = recipes()[name]
    assert language == "python"
    namespace: dict = {}
    exec(compile(code, f"{RECIPES_MD}:{name}", "exec"), namespace)
    return namespace


def manifest(root: Path, version: str = "latest") -> dict:
    folder = root / "latest" if version == "latest" else root / "versions" / version
    return json.loads((folder / "manifest.json").read_text())


def read(root: Path, version: str, table: str):
    return ds.dataset(root / "versions" / version / table, format="parquet").to_table()


def test_every_section_has_sql_pandas_polars_and_r():
    text = RECIPES_MD.read_text(encoding="utf-8")
    names = recipes()
    for topic in ("latest", "older", "join", "casualties"):
        assert {f"sql-{topic}", f"pandas-{topic}", f"polars-{topic}"} <= set(names), topic
    sections = re.split(r"\n## ", text)[1:5]
    assert all("```r\nlibrary(arrow)" in section for section in sections)


def test_read_the_latest_version(data_dir):
    latest = manifest(data_dir)
    rows = run_sql("sql-latest")
    assert len(rows) == latest["tables"]["events"]["rows"] > 0
    figures = [r["value"] if r["value"] is not None else r["value_low"] for r in rows]
    known = [f for f in figures if f is not None]
    assert known == sorted(known, reverse=True) and figures[:len(known)] == known

    pandas_ns = run_python("pandas-latest")
    assert len(pandas_ns["events"]) == latest["tables"]["events"]["rows"]
    assert pandas_ns["events"].equals(pandas_ns["events_by_id"])
    polars_ns = run_python("polars-latest")
    assert sorted(polars_ns["events"]["event_id"].to_list()) == sorted(pandas_ns["events"]["event_id"])


def test_read_an_older_version(data_dir):
    newest = manifest(data_dir)
    older = newest["parent_version_id"]
    assert older, "the fixture publishes two versions"
    listed = run_sql("sql-versions")
    assert [r["version_id"] for r in listed] == [newest["version_id"], older]
    assert [r["events"] for r in listed] == [manifest(data_dir, v)["tables"]["events"]["rows"] for v in (newest["version_id"], older)]

    old_events = read(data_dir, older, "events").sort_by("event_id")
    rows = run_sql("sql-older")
    assert [(r["metric"], r["value"]) for r in rows] == list(zip(old_events["metric"].to_pylist(), old_events["value"].to_pylist()))
    assert len(rows) != newest["tables"]["events"]["rows"]
    assert sorted(run_python("pandas-older")["old_events"]["event_id"]) == old_events["event_id"].to_pylist()
    assert sorted(run_python("polars-older")["old_events"]["event_id"].to_list()) == old_events["event_id"].to_pylist()


def test_join_mentions_to_sources(data_dir):
    version = manifest(data_dir)["version_id"]
    mentions, sources = read(data_dir, version, "mentions"), read(data_dir, version, "sources")
    publisher = dict(zip(sources["source_id"].to_pylist(), sources["publisher"].to_pylist()))
    expected = sorted((m, publisher[s]) for m, s in zip(mentions["mention_id"].to_pylist(), mentions["source_id"].to_pylist()))
    assert len(set(publisher.values())) == 2  # the seed's publisher and the second article's

    rows = run_sql("sql-join")
    assert len(rows) == mentions.num_rows
    assert all(row["text"] in row["sentence"] for row in rows)
    assert sorted(r["publisher"] for r in rows) == sorted(p for _, p in expected)
    joined = run_python("pandas-join")["joined"]
    assert sorted(zip(joined["mention_id"], joined["publisher"])) == expected
    joined = run_python("polars-join")["joined"]
    assert sorted(zip(joined["mention_id"].to_list(), joined["publisher"].to_list())) == expected


def _rows(records) -> list[tuple]:
    """(place, month, metric, events, people) with NaN as None, sorted: engines agree on these."""
    def clean(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v
    return sorted((
        (tuple(clean(r[k]) for k in ("place_name", "country_code", "month", "metric")) + (int(r["events"]), float(r["people"])))
        for r in records
    ), key=lambda row: ["" if v is None else str(v) for v in row])


def test_casualties_by_place_and_month_agree_across_engines(data_dir):
    version = manifest(data_dir)["version_id"]
    events = read(data_dir, version, "events")
    counted = events.filter(
        pc.and_(pc.and_(pc.equal(events["event_type"], "casualties"), pc.is_null(events["parent_event_id"])),
                pc.and_(pc.invert(events["is_cumulative"]), pc.is_in(events["modality"], value_set=pa.array(["asserted", "claimed"])))))
    expected_people = pc.sum(pc.coalesce(counted["value"], counted["value_low"])).as_py()

    by_sql = _rows(run_sql("sql-casualties"))
    by_pandas = _rows(run_python("pandas-casualties")["by_place_month"].to_dict("records"))
    by_polars = _rows(run_python("polars-casualties")["by_place_month"].to_dicts())
    assert by_sql == by_pandas == by_polars
    assert sum(r[4] for r in by_sql) == counted.num_rows
    assert sum(r[5] for r in by_sql) == pytest.approx(expected_people)
    # the second article: 12 soldiers killed in Idlib province on Monday, published 2016-12-07
    assert any(r[0] and "Idlib" in r[0] and r[2] == "2016-12" and r[3] == "killed" and r[5] >= 12 for r in by_sql)
    # sub-counts stay out: their parents already hold their people
    assert events.filter(pc.is_valid(events["parent_event_id"])).num_rows > 0
    assert sum(r[4] for r in by_sql) < events.filter(pc.equal(events["event_type"], "casualties")).num_rows


def _python_one_liners() -> list[tuple[str, str]]:
    """``(doc, code)`` of every `.venv/bin/python -c "..."` line in the README and docs/, as
    the shell passes the code on."""
    import shlex

    found = []
    for path in (REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))):
        for line in path.read_text(encoding="utf-8").splitlines():
            if ".venv/bin/python -c " in line:
                command = line.split(".venv/bin/python", 1)[1].strip().rstrip("`,")
                flag, code = shlex.split(command)
                assert flag == "-c", line
                found.append((path.name, code))
    return found


def test_the_python_one_liners_of_the_docs_run_after_the_readmes_setup(two_versions, tmp_path):
    """No `duckdb` command-line tool needed: DuckDB's Python package, which `make setup` installs."""
    import shutil
    import subprocess
    import sys

    from pipeline import versions

    data = tmp_path / "data"
    shutil.copytree(two_versions, data, symlinks=True)
    latest = versions.latest_version(data)
    published = {name: versions.read_table(data, latest, name) for name in ("events", "rejects")}
    versions.quarantine(data, "run-1", published, versions.version_dir(data, latest) / "validation")
    one_liners = _python_one_liners()
    assert {doc for doc, _ in one_liners} == {"README.md", "operations.md"} and len(one_liners) >= 3
    for doc, code in one_liners:
        done = subprocess.run([sys.executable, "-c", code.replace("<run_id>", "run-1")], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{doc}: {code}\n{done.stderr}"
        assert "┌" in done.stdout, f"{doc}: {code}: no table printed"


def test_incidents_by_type_and_month_agree_across_engines(data_dir):
    version = manifest(data_dir)["version_id"]
    incidents = read(data_dir, version, "incidents")

    def rows(records) -> list[tuple]:
        def clean(v):
            return None if v is None or (isinstance(v, float) and math.isnan(v)) else v
        return sorted(((clean(r["incident_type"]), clean(r["admin1"]), clean(r["month"]), int(r["incidents"]),
                        float(clean(r["killed"]) or 0), int(r["reports"])) for r in records),
                      key=lambda row: ["" if v is None else str(v) for v in row])

    by_sql = rows(run_sql("sql-incidents"))
    by_pandas = rows(run_python("pandas-incidents")["by_type_month"].to_dict("records"))
    by_polars = rows(run_python("polars-incidents")["by_type_month"].to_dicts())
    assert by_sql == by_pandas == by_polars
    assert sum(r[3] for r in by_sql) == incidents.num_rows > 0
    assert sum(r[4] for r in by_sql) == pytest.approx(pc.sum(incidents["killed"]).as_py() or 0)
