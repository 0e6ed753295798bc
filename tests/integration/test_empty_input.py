"""A run with no article to publish refuses, with its own exit code, and leaves ``latest`` as it
was; ``--allow-empty`` publishes the empty version on purpose."""

from __future__ import annotations

import json
import shutil

import pyarrow.dataset as ds
import pytest

from pipeline import versions
from pipeline.cli import EXIT_EMPTY, main


@pytest.fixture
def root(seed_run, tmp_path):
    copy = tmp_path / "root"
    shutil.copytree(seed_run, copy, symlinks=True)
    return copy


def _rejected_only(folder):
    """A landing folder whose every file is rejected."""
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "broken.jsonl").write_text('{"id": "x", "text": \n')
    return folder


@pytest.mark.parametrize("content", ["nothing", "only rejects"])
def test_an_empty_input_is_refused_and_latest_stays(root, tmp_path, capsys, content):
    folder = tmp_path / "in"
    folder.mkdir() if content == "nothing" else _rejected_only(folder)
    before = versions.list_versions(root)
    capsys.readouterr()
    assert main(["run", "--input", str(folder), "--output", str(root), "--quiet", "--json"]) == EXIT_EMPTY == 5
    failure = json.loads(capsys.readouterr().out)
    assert failure["exit_code"] == 5
    assert "no article to publish" in failure["error"] and "latest is unchanged" in failure["error"]
    assert "--allow-empty" in failure["error"]
    if content == "only rejects":
        assert "1 empty, 1 malformed_json, 1 unsupported_type" in failure["error"]
    assert versions.list_versions(root) == before
    assert versions.latest_version(root) == before[-1]["version_id"] == (root / "latest").resolve().name


def test_allow_empty_publishes_the_empty_version(root, tmp_path, capsys):
    folder = _rejected_only(tmp_path / "in")
    capsys.readouterr()
    assert main(["run", "--input", str(folder), "--output", str(root), "--quiet", "--json", "--allow-empty"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["unchanged"] is False and result["rows"]["sources"] == 0 and result["rows"]["events"] == 0
    assert versions.latest_version(root) == result["version_id"]
    rejects = ds.dataset(root / "latest" / "rejects", format="parquet").to_table()
    assert sorted(rejects.column("reason").to_pylist()) == ["empty", "malformed_json", "unsupported_type"]
