"""An article the extractor raises on costs that article, not the run: it becomes an
``extraction_failed`` reject with the error. When most articles raise, the extractor is
broken: the run fails and ``latest`` stays the last good version.

The failure is real, not patched in (``broken_rules`` in conftest).
"""

from __future__ import annotations

import json

import pyarrow.dataset as ds

from pipeline import versions
from pipeline.cli import main
from tests.conftest import BROKEN_CUE

GOOD = [
    ("idlib", "Shelling killed 4 people in Idlib on Monday, medics said."),
    ("homs", "Government troops detained 12 men in Homs yesterday, activists said."),
]
BAD = ("douma", f"An air strike killed 9 civilians in Douma {BROKEN_CUE}, rescuers said.")
MORE_BAD = [(f"strike-{n}", f"An air strike killed {n} civilians in Harasta {BROKEN_CUE}, rescuers said.") for n in (3, 5, 7)]


def _landing(folder, records) -> str:
    folder.mkdir()
    path = folder / "wire.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t, "published_at": "2016-12-01"}) + "\n" for i, t in records))
    return str(path)


def _run(inputs: str, root) -> int:
    return main(["run", "--input", inputs, "--output", str(root), "--ingested-at", "2026-11-25T00:00:00+00:00", "--quiet"])


def _latest(root, table: str):
    return ds.dataset(root / "latest" / table, format="parquet").to_table()


def test_the_article_the_extractor_raises_on_is_a_reject_and_the_others_publish(broken_rules, tmp_path):
    inputs, root = _landing(tmp_path / "in", [GOOD[0], BAD, GOOD[1]]), tmp_path / "root"
    assert _run(inputs, root) == 0
    sources, rejects, mentions = (_latest(root, t) for t in ("sources", "rejects", "mentions"))
    assert rejects.select(["input_uri", "reason"]).to_pylist() == [{"input_uri": f"{inputs}#L2", "reason": "extraction_failed"}]
    assert rejects.column("detail")[0].as_py().startswith("TypeError: ")
    assert sorted(sources.column("input_uri").to_pylist()) == [f"{inputs}#L1", f"{inputs}#L3"]
    # the articles batched with it were extracted one by one, in full
    found = {(m["metric"], m["value"], m["place_name"]) for m in mentions.select(["metric", "value", "place_name"]).to_pylist()}
    assert {("killed", 4.0, "Idlib"), ("detained", 12.0, "Homs")} <= found
    assert "Douma" not in mentions.column("place_name").to_pylist()
    assert versions.verify(root, versions.list_versions(root)[-1]["version_id"]) == []


def test_when_most_articles_raise_the_run_fails_and_latest_stays(broken_rules, tmp_path, capsys):
    root = tmp_path / "root"
    assert _run(_landing(tmp_path / "first", GOOD), root) == 0
    good_version = versions.list_versions(root)[-1]["version_id"]
    assert _run(_landing(tmp_path / "second", MORE_BAD), root) == 1
    assert "extraction failed on 3 of 3 articles" in capsys.readouterr().err
    assert [v["version_id"] for v in versions.list_versions(root)] == [good_version]
    assert (root / "latest").resolve().name == good_version
