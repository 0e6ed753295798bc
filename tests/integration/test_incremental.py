"""Incremental runs through the CLI: day by day, a re-run of one day, and one run over all days."""

from __future__ import annotations

import json
from collections import Counter

from pipeline.cli import main
from tests.integration.landing import DAYS, assert_same_dataset, tables, write_landing


def _run(landing, root, *interval: str) -> None:
    assert main(["run", "--input", str(landing), "--output", str(root), "--json", *interval]) == 0


def _no_duplicates(root) -> None:
    published = tables(root)
    for name, key in (("sources", "source_id"), ("mentions", "mention_id"), ("events", "event_id"), ("rejects", "input_uri")):
        counts = Counter(row[key] for row in published[name])
        assert not [k for k, n in counts.items() if n > 1], name


def test_rerunning_a_day_replaces_its_contribution_and_equals_one_run(tmp_path, capsys):
    landing = write_landing(tmp_path / "landing")
    daily = tmp_path / "daily"
    for day in DAYS:
        _run(landing, daily, "--dt", day)
    _no_duplicates(daily)
    first = tables(daily)
    assert {r["landing_date"].isoformat() for r in first["sources"]} == set(DAYS)
    duplicate = [r for r in first["rejects"] if r["reason"] == "duplicate_input"]
    assert [r["input_uri"] for r in duplicate] == [str(landing / "dt=2026-01-02" / "articles.jsonl#L3")]  # a1 again

    # the same day again, unchanged: nothing new is published
    versions = sorted(p.name for p in (daily / "versions").iterdir())
    capsys.readouterr()
    _run(landing, daily, "--dt", DAYS[1])
    assert json.loads(capsys.readouterr().out)["unchanged"] is True
    assert sorted(p.name for p in (daily / "versions").iterdir()) == versions

    # day 2 changes upstream: its old articles leave the dataset, the other days stay as they were
    day2 = landing / "dt=2026-01-02" / "articles.jsonl"
    day2.write_text(day2.read_text().replace("Douma killed 14 civilians", "Douma killed 9 civilians"))
    _run(landing, daily, "--dt", DAYS[1])
    _no_duplicates(daily)
    second = tables(daily)
    douma = [e["value"] for e in first["events"] if "Douma" in e["evidence"]]
    assert douma == [14.0]
    assert [e["value"] for e in second["events"] if "Douma" in e["evidence"]] == [9.0]
    untouched = [r for r in first["sources"] if r["landing_date"].isoformat() != DAYS[1]]
    assert all(r in second["sources"] for r in untouched)

    # a day with nothing landed changes nothing
    capsys.readouterr()
    _run(landing, daily, "--dt", "2026-01-04")
    assert json.loads(capsys.readouterr().out)["unchanged"] is True

    # one run over the three days gives the same dataset
    once = tmp_path / "once"
    _run(landing, once, "--interval-start", DAYS[0], "--interval-end", "2026-01-04")
    assert_same_dataset(daily, once)
    full = tmp_path / "full"
    _run(landing, full)  # a full run over the whole landing zone, too
    assert_same_dataset(daily, full)


def test_interval_flags_are_checked(tmp_path, capsys):
    base = ["run", "--input", str(tmp_path), "--output", str(tmp_path / "out")]
    assert main([*base, "--interval-start", "2026-01-02"]) == 2
    assert "go together" in capsys.readouterr().err
    assert main([*base, "--dt", "2026-01-02", "--interval-end", "2026-01-03"]) == 2
    assert main([*base, "--interval-start", "2026-01-03", "--interval-end", "2026-01-02"]) == 2
    assert not (tmp_path / "out").exists()
