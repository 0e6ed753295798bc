"""Whether two ``eval.py --out`` roots published the same tables, benchmark by benchmark.

A behaviour-preserving change must leave every published row as it was, not only the
figures ``eval.py`` prints: this compares the latest version's events, mentions, places,
quantities and sources row by row (``ingested_at`` and ``duplicate_of`` order aside, ids
included, since they are content hashes).

    python benchmarks/compare.py OLD_ROOT NEW_ROOT [--show 5]

Exits 1 when any table differs, and prints a few differing rows of each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow.parquet as pq

TABLES = ("events", "mentions", "places", "quantities", "sources")
IGNORED = {"ingested_at"}  # the wall clock of the run


def _rows(root: Path, table: str) -> list[tuple]:
    folder = root / "latest" / table
    if not any(folder.rglob("*.parquet")):
        return []
    data = pq.read_table(folder)
    columns = [c for c in data.column_names if c not in IGNORED]
    return sorted(tuple(repr(row[c]) for c in columns) for row in data.select(columns).to_pylist())


def compare(old: Path, new: Path, show: int) -> bool:
    same = True
    for bench in sorted(p.name for p in old.iterdir() if (p / "latest").exists()):
        for table in TABLES:
            a, b = _rows(old / bench, table), _rows(new / bench, table)
            if a == b:
                continue
            same = False
            gone, came = sorted(set(a) - set(b)), sorted(set(b) - set(a))
            print(f"{bench}/{table}: {len(a)} -> {len(b)} rows, {len(gone)} only in old, {len(came)} only in new")
            for label, found in (("-", gone), ("+", came)):
                for row in found[:show]:
                    print(f"  {label} {' | '.join(row)[:400]}")
    print("identical" if same else "differences above")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--show", type=int, default=3, help="differing rows to print per table and side")
    args = parser.parse_args(argv)
    return 0 if compare(args.old, args.new, args.show) else 1


if __name__ == "__main__":
    sys.exit(main())
