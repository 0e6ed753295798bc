"""Test set-up: an isolated Airflow home on SQLite, set before anything imports airflow."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Third-party benchmark data, beside the repository in CI; a clone of this repository alone
# has none, and the tests that check against it are skipped with this reason.
BENCHMARKS = REPO.parent / "shared" / "benchmarks"
BENCHMARKS_ABSENT = f"third-party benchmark data absent: {BENCHMARKS} (CI has it beside the repository)"

_AIRFLOW_HOME = tempfile.mkdtemp(prefix="newsevents-airflow-")
os.environ.update({
    "AIRFLOW_HOME": _AIRFLOW_HOME,
    "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
    "AIRFLOW__CORE__PARALLELISM": "4",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_AIRFLOW_HOME}/airflow.db",
    "GX_ANALYTICS_ENABLED": "false",
})

SEED = REPO / "seeds" / "articles" / "000_564137f732126cc2.txt"
BROKEN_CUE = "a fortnight ago"  # the date cue ``broken_rules`` breaks


def read_inputs(uris, ingested_at, max_bytes) -> tuple[list[dict], list[dict]]:
    """The load stage's records of ``uris`` as (article rows, reject rows)."""
    from pipeline import load

    found = {"articles": [], "rejects": []}
    for table, row in load.iter_inputs(uris, ingested_at, max_bytes):
        found[table].append(row)
    return found["articles"], found["rejects"]


@pytest.fixture
def broken_rules(tmp_path, monkeypatch) -> Path:
    """The repo's rules with one date cue whose offset was typed as a word: the kind of edit
    an analyst extending ``seeds/rules`` makes. It breaks exactly the articles with a
    publication date that use that cue, for real (no patched code)."""
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "seeds" / "rules", rules)
    dates = json.loads((rules / "dates.json").read_text())
    dates["cues"][BROKEN_CUE] = {"offset_days": "fourteen", "span_days": 0, "precision": 1}
    (rules / "dates.json").write_text(json.dumps(dates))
    monkeypatch.setenv("NEWSEVENTS_RULES_DIR", str(rules))
    return rules


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def shared_benchmarks() -> Path:
    """The benchmark data folder; the test is skipped when it is absent."""
    if not BENCHMARKS.is_dir():
        pytest.skip(BENCHMARKS_ABSENT)
    return BENCHMARKS


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory) -> Path:
    """One CLI run over the seed article, shared by the tests that read its output."""
    from pipeline.cli import main

    root = tmp_path_factory.mktemp("seed-run")
    assert main(["run", "--input", str(SEED), "--output", str(root), "--ingested-at", "2026-11-25T00:00:00+00:00"]) == 0
    return root


SECOND_ARTICLE = {"id": "extra-1", "publisher": "Example Wire", "published_at": "2016-12-07",
                  "text": "Rebels killed 12 soldiers in Idlib province on Monday, the army said. "
                          "At least 30 people were wounded in Homs on Sunday."}


@pytest.fixture(scope="session")
def two_versions(seed_run, tmp_path_factory) -> Path:
    """An output root with two versions: the seed run, then the seed plus one more article."""
    import json
    import shutil

    from pipeline.cli import main

    root = tmp_path_factory.mktemp("two-versions") / "root"
    shutil.copytree(seed_run, root, symlinks=True)
    inputs = tmp_path_factory.mktemp("two-versions-input")
    shutil.copy(SEED, inputs / SEED.name)
    (inputs / "extra.jsonl").write_text(json.dumps(SECOND_ARTICLE) + "\n")
    assert main(["run", "--input", str(inputs), "--output", str(root), "--ingested-at", "2026-11-26T00:00:00+00:00"]) == 0
    return root
