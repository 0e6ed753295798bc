"""A run over text files: their front matter dates them, and a landing day dates the rest."""

from __future__ import annotations

from datetime import date

import pyarrow.dataset as ds
import pytest

from pipeline.cli import main

INGESTED = "2026-11-25T00:00:00+00:00"
ARTICLE = "Rebels shelled west Aleppo on Monday, killing 12 people, the army said.\n"
FRONT_MATTER = "---\npublisher: Example Wire\npublished_at: 2016-12-07\n---\n"  # a Wednesday


def _table(root, name):
    return ds.dataset(root / "latest" / name, format="parquet").to_table().to_pylist()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One run over a landing day (a Tuesday) holding a dated, an undated and a malformed text file."""
    landing = tmp_path_factory.mktemp("landing")
    day = landing / "dt=2026-11-24"
    day.mkdir()
    (day / "dated.txt").write_text(FRONT_MATTER + ARTICLE.replace("12", "14"))
    (day / "undated.txt").write_text(ARTICLE)
    (day / "typo.txt").write_text("---\npublished: 2016-12-07\n---\n" + ARTICLE.replace("12", "16"))
    root = tmp_path_factory.mktemp("out")
    assert main(["run", "--quiet", "--input", str(landing), "--output", str(root), "--dt", "2026-11-24",
                 "--ingested-at", INGESTED]) == 0
    return root


def test_front_matter_dates_the_article_and_its_events(published):
    sources = {s["external_id"]: s for s in _table(published, "sources")}
    dated = sources["dated.txt"]
    assert dated["publisher"] == "Example Wire" and dated["published_at"].date() == date(2016, 12, 7)
    assert (dated["reference_date"], dated["reference_date_source"]) == (date(2016, 12, 7), "published_at")
    [event] = [e for e in _table(published, "events") if dated["source_id"] in e["source_ids"]]
    assert (event["metric"], event["value"], event["event_date_start"]) == ("killed", 14, date(2016, 12, 5))


def test_an_undated_article_resolves_its_dates_against_its_landing_day(published):
    sources = {s["external_id"]: s for s in _table(published, "sources")}
    undated = sources["undated.txt"]
    assert undated["published_at"] is None and undated["landing_date"] == date(2026, 11, 24)
    assert (undated["reference_date"], undated["reference_date_source"]) == (date(2026, 11, 24), "landing_date")
    [event] = [e for e in _table(published, "events") if undated["source_id"] in e["source_ids"]]
    # "on Monday" in an article that landed on Tuesday 24 November 2026
    assert (event["value"], event["event_date_start"], event["date_precision"]) == (12, date(2026, 11, 23), 1)


def test_malformed_front_matter_is_rejected_with_its_reason_and_nothing_else_is_lost(published):
    [reject] = _table(published, "rejects")
    assert reject["input_uri"].endswith("dt=2026-11-24/typo.txt") and reject["reason"] == "malformed_metadata"
    assert reject["detail"] == "line 2: unknown key 'published' (the keys are title, url, publisher, published_at)"
    assert sorted(s["external_id"] for s in _table(published, "sources")) == ["dated.txt", "undated.txt"]
