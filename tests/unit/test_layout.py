"""The run layout names every staged file once, and the candidate publishes every table."""

from __future__ import annotations

from pipeline import schema
from pipeline.layout import PUBLISHED_FROM, RunLayout


def _staged_files(layout: RunLayout) -> list:
    candidate = layout.candidate
    return [*layout.load.tables().values(), *layout.clean.tables().values(),
            *layout.extract.part((0, 10)).tables().values(), *candidate.merged.tables().values(),
            *candidate.dedupe.tables().values()]


def test_every_staged_file_has_its_own_path_inside_the_run_folder(tmp_path):
    layout = RunLayout.of_run(tmp_path, "scheduled__2026-03-02T00:00:00+00:00")
    assert layout.folder == tmp_path / "staging" / "scheduled__2026-03-02T00_00_00_00_00"
    files = _staged_files(layout)
    paths = [f.path for f in files] + [layout.extract.plan, layout.candidate.base, layout.candidate.summary]
    assert len(set(paths)) == len(paths)
    assert all(layout.folder in p.parents for p in paths)
    assert all(f.path.name == f"{f.name}.parquet" for f in files)


def test_the_candidate_publishes_every_table_of_the_schema_in_its_order(tmp_path):
    assert list(PUBLISHED_FROM) == list(schema.TABLES)
    published = RunLayout(tmp_path).candidate.published()
    assert list(published) == list(schema.TABLES)
    assert published["events"].path == tmp_path / "merged" / "dedupe" / "events.parquet"
    assert published["places"].path == tmp_path / "merged" / "places.parquet"
