"""A small date-partitioned landing zone and a comparison of two published datasets."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds

from pipeline import schema

DAYS = ("2026-01-01", "2026-01-02", "2026-01-03")
# columns that say when a run read a row: a backfill reads each day in its own run
RUN_COLUMNS = {"sources": ["ingested_at"], "rejects": ["ingested_at"]}

_ARTICLES = {
    "2026-01-01": [
        {"id": "a1", "published_at": "2026-01-01", "title": "Clashes in Aleppo",
         "text": "Clashes in Aleppo killed at least 30 people, including 12 children, on Monday."},
        {"id": "a2", "published_at": "2026-01-01",
         "text": "More than 2,000 families were displaced from Idlib province this week, the UN said."},
    ],
    "2026-01-02": [
        {"id": "b1", "published_at": "2026-01-02",
         "text": "An air strike on a market in Douma killed 14 civilians on Tuesday, rescuers said."},
        {"id": "b2", "published_at": "2026-01-02",  # a syndicated copy of a1 under another id
         "text": "Clashes in Aleppo killed at least 30 people, including 12 children, on Monday."},
        {"id": "a1", "published_at": "2026-01-01", "title": "Clashes in Aleppo",  # a1 lands again
         "text": "Clashes in Aleppo killed at least 30 people, including 12 children, on Monday."},
    ],
    "2026-01-03": [
        {"id": "c1", "published_at": "2026-01-03",
         "text": "Rebels said they now control two-thirds of the city after fighters advanced 5 km on Wednesday."},
    ],
}


def write_landing(root: Path) -> Path:
    """``root/dt=<day>/articles.jsonl`` for three days, with a malformed line on the last."""
    for day, articles in _ARTICLES.items():
        folder = root / f"dt={day}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(a) for a in articles] + (["{not json"] if day == DAYS[-1] else [])
        (folder / "articles.jsonl").write_text("\n".join(lines) + "\n")
    return root


def tables(root: Path) -> dict[str, list[dict]]:
    """Every published table of ``latest``, rows in file order, minus the run columns."""
    return {name: ds.dataset(root / "latest" / name, format="parquet").to_table()
            .drop_columns(RUN_COLUMNS.get(name, [])).to_pylist() for name in schema.TABLES}


def file_hashes(root: Path) -> dict[str, str]:
    manifest = json.loads((root / "latest" / "manifest.json").read_text())
    return {name: table["files"][0]["sha256"] for name, table in manifest["tables"].items()}


def assert_same_dataset(left: Path, right: Path) -> None:
    """Equal tables; the tables without run columns are byte-identical files."""
    assert tables(left) == tables(right)
    same_bytes = [name for name in schema.TABLES if name not in RUN_COLUMNS]
    assert {n: h for n, h in file_hashes(left).items() if n in same_bytes} == \
        {n: h for n, h in file_hashes(right).items() if n in same_bytes}
