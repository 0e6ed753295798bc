"""The extract stage writes the same tables whether batches run in-process or in worker processes."""

from datetime import datetime, timezone

import pyarrow.parquet as pq

from pipeline import runner
from pipeline.extract.stage import run_extract
from pipeline.settings import Settings


def test_worker_processes_write_the_same_tables_in_the_same_order(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    inputs = []
    for n in range(3):  # three articles, one per batch
        path = tmp_path / f"article_{n}.txt"
        path.write_text("\n\n".join(paragraphs[n::3]), encoding="utf-8")
        inputs.append(str(path))
    run = runner.new_run(tmp_path / "root", ingested_at=datetime(2026, 11, 25, tzinfo=timezone.utc))
    settings = Settings()
    for stage in ("load", "clean"):
        runner.run_stage(stage, run, settings, inputs)
    found = {}
    for workers in (1, 2):
        counts = run_extract(run.staging, settings.model, batch_size=1, workers=workers)
        found[workers] = (counts, {name: pq.read_table(run.staging / "extract" / f"{name}.parquet") for name in counts})
    assert found[1][0] == found[2][0] and found[1][0]["mentions"] > 0
    assert all(found[1][1][name].equals(found[2][1][name]) for name in found[1][1])
