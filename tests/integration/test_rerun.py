"""A rerun on the same input publishes nothing, unless the logic changed: other rules or
another model publish a new version (the unchanged check once looked at the repo's seeds/ only)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

from pipeline import versions
from pipeline.cli import main
from pipeline.settings import Settings

TINY = "Two people were killed in Aleppo on Monday, the monitor said.\n"


def _run(article: Path, root: Path, capsys, *extra: str) -> dict:
    capsys.readouterr()
    assert main(["run", "--input", str(article), "--output", str(root), "--quiet", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _model_copy(folder: Path, version: str) -> Path:
    """The installed model's data folder, copied, its meta saying another version."""
    package = Path(importlib.util.find_spec(Settings().model).origin).parent
    [data] = [p for p in package.iterdir() if p.is_dir() and (p / "config.cfg").is_file()]
    shutil.copytree(data, folder)
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "version": version}))
    return folder


def test_other_rules_or_another_model_publish_a_new_version(tmp_path, monkeypatch, capsys):
    article, root = tmp_path / "tiny.txt", tmp_path / "root"
    article.write_text(TINY)
    first = _run(article, root, capsys)
    assert first["unchanged"] is False
    assert _run(article, root, capsys)["unchanged"] is True

    rules = tmp_path / "rules"
    shutil.copytree(Settings().rules_dir, rules)
    cleaning = json.loads((rules / "cleaning.json").read_text())
    (rules / "cleaning.json").write_text(json.dumps({**cleaning, "agencies": [*cleaning["agencies"], "Example Wire"]}))
    monkeypatch.setenv("NEWSEVENTS_RULES_DIR", str(rules))
    other_rules = _run(article, root, capsys)
    assert other_rules["unchanged"] is False
    manifest = versions.read_manifest(root, other_rules["version_id"])
    assert manifest["parent_version_id"] == first["version_id"]
    assert manifest["logic"]["rules"] != versions.read_manifest(root, first["version_id"])["logic"]["rules"]
    assert _run(article, root, capsys)["unchanged"] is True
    monkeypatch.delenv("NEWSEVENTS_RULES_DIR")

    model = _model_copy(tmp_path / "model", "3.8.0-retrained")
    other_model = _run(article, root, capsys, "--model", str(model))
    assert other_model["unchanged"] is False
    assert versions.read_manifest(root, other_model["version_id"])["logic"]["model"]["version"] == "3.8.0-retrained"
    assert _run(article, root, capsys, "--model", str(model))["unchanged"] is True
    assert [v["version_id"] for v in versions.list_versions(root)] == [
        first["version_id"], other_rules["version_id"], other_model["version_id"]]
