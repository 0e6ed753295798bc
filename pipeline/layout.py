"""Where a run keeps its staged files: one typed path per file, so that no stage builds one.

```
<root>/staging/<run_id>/
  load/{articles,rejects}.parquet                        load
  clean/{sources,rejects}.parquet                        clean
  extract/plan.json                                      plan: the row ranges of the parts
  extract/rows-<start>-<stop>/{quantities,places,mentions,rejects}.parquet   extract, one per part
  merged/                                                the candidate version
    base.json                                            merge: the version it was merged onto
    {sources,rejects,mentions,places,quantities}.parquet merge
    dedupe/{sources,mentions,events}.parquet             dedupe
    validation/                                          validate: results, summary.json, Data Docs
```

Every staged file is required: reading one that is missing raises
``tables.MissingStagedFile`` (a missing file means a stage did not run, never "nothing
found"). No staged file is optional.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Sequence

from pipeline import schema
from pipeline.tables import StagedTable, safe_name

STAGING = "staging"

# Where the candidate holds each published table (schema.TABLES): the stage that last wrote it.
PUBLISHED_FROM = {
    "events": "dedupe",
    "mentions": "dedupe",
    "incidents": "dedupe",
    "sources": "dedupe",
    "places": "merged",
    "quantities": "merged",
    "rejects": "merged",
}


def _files(cls, folder: Path):
    """A dataclass of staged files whose field names are their tables' names."""
    return cls(**{f.name: StagedTable(f.name, folder / f"{f.name}.parquet") for f in fields(cls)})


class _Files:
    def tables(self) -> dict[str, StagedTable]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class LoadFiles(_Files):
    articles: StagedTable
    rejects: StagedTable


@dataclass(frozen=True)
class CleanFiles(_Files):
    sources: StagedTable
    rejects: StagedTable


@dataclass(frozen=True)
class PartFiles(_Files):
    """What one extract part writes: every quantity, toponym and fact of its articles, and
    a reject for each article the extractor raised on."""

    quantities: StagedTable
    places: StagedTable
    mentions: StagedTable
    rejects: StagedTable


@dataclass(frozen=True)
class MergedFiles(_Files):
    sources: StagedTable
    rejects: StagedTable
    mentions: StagedTable
    places: StagedTable
    quantities: StagedTable


@dataclass(frozen=True)
class DedupeFiles(_Files):
    sources: StagedTable
    mentions: StagedTable
    events: StagedTable
    incidents: StagedTable


def part_name(rows: Sequence[int]) -> str:
    return f"rows-{rows[0]:09d}-{rows[1]:09d}"


@dataclass(frozen=True)
class ExtractFiles:
    folder: Path

    @property
    def plan(self) -> Path:
        return self.folder / "plan.json"

    def part(self, rows: Sequence[int]) -> PartFiles:
        return _files(PartFiles, self.folder / part_name(rows))

    def planned_ranges(self) -> list[list[int]]:
        if not self.plan.is_file():
            raise FileNotFoundError(f"no extract plan at {self.plan} (the plan stage has not run)")
        return json.loads(self.plan.read_text())

    def planned_parts(self) -> list[PartFiles]:
        """The part files of the recorded plan; a missing part is an error, never a silent gap."""
        ranges = self.planned_ranges()
        missing = [part_name(rows) for rows in ranges if not (self.folder / part_name(rows)).is_dir()]
        if missing:
            raise FileNotFoundError(f"extract parts missing in {self.folder}: {', '.join(missing)}")
        return [self.part(rows) for rows in ranges]


@dataclass(frozen=True)
class Candidate:
    """The candidate version a run builds: merged onto the latest, deduplicated, validated."""

    folder: Path

    @property
    def base(self) -> Path:
        return self.folder / "base.json"

    @property
    def merged(self) -> MergedFiles:
        return _files(MergedFiles, self.folder)

    @property
    def dedupe(self) -> DedupeFiles:
        return _files(DedupeFiles, self.folder / "dedupe")

    @property
    def validation(self) -> Path:
        return self.folder / "validation"

    @property
    def summary(self) -> Path:
        return self.validation / "summary.json"

    def published(self) -> dict[str, StagedTable]:
        """Every table a version publishes, in ``schema.TABLES`` order, as the candidate holds it."""
        return {name: getattr(getattr(self, PUBLISHED_FROM[name]), name) for name in schema.TABLES}


@dataclass(frozen=True)
class RunLayout:
    """The staging folder of one run."""

    folder: Path

    @classmethod
    def of_run(cls, root: Path, run_id: str) -> "RunLayout":
        return cls(Path(root) / STAGING / safe_name(run_id))

    @property
    def load(self) -> LoadFiles:
        return _files(LoadFiles, self.folder / "load")

    @property
    def clean(self) -> CleanFiles:
        return _files(CleanFiles, self.folder / "clean")

    @property
    def extract(self) -> ExtractFiles:
        return ExtractFiles(self.folder / "extract")

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.folder / "merged")
