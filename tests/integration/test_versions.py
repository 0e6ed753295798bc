"""Several versions in one root: list, diff, verify, gc."""

from __future__ import annotations

import json
import shutil

from pipeline import versions
from pipeline.cli import main
from tests.conftest import SEED
from tests.fixtures.articles import EXTRA


def test_second_version_lists_diffs_verifies_and_gcs(seed_run, tmp_path, capsys):
    root = tmp_path / "root"
    shutil.copytree(seed_run, root, symlinks=True)
    first = (root / "LATEST").read_text().strip()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED, inputs / SEED.name)
    (inputs / "extra.jsonl").write_text(json.dumps(EXTRA) + "\n")
    assert main(["run", "--input", str(inputs), "--output", str(root), "--ingested-at", "2026-11-26T00:00:00+00:00"]) == 0
    second = (root / "LATEST").read_text().strip()

    listed = versions.list_versions(root)
    assert [v["version_id"] for v in listed] == [first, second]
    assert listed[1]["parent_version_id"] == first and listed[1]["latest"] and not listed[0]["latest"]

    change = versions.diff(root, first, second)
    assert change["added"] and not change["removed"] and not change["changed"]

    assert versions.verify(root, second) == []
    capsys.readouterr()
    assert main(["verify", "--output", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intact"] is True

    events_file = root / "versions" / second / "events" / "part-00000.parquet"
    events_file.write_bytes(events_file.read_bytes()[:-100] + b"\0" * 100)
    assert versions.verify(root, second) == ["events/part-00000.parquet: checksum differs from the manifest"]
    assert main(["verify", "--output", str(root)]) == 1

    assert versions.gc(root, keep=1) == [first]
    assert [v["version_id"] for v in versions.list_versions(root)] == [second]
    assert (root / "latest").resolve().name == second
