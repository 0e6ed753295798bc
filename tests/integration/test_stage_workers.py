"""The extract stage writes the same tables whether batches run in-process or in worker processes."""

from datetime import datetime, timezone

import pyarrow.parquet as pq

from pipeline import runner, runspec
from pipeline.extract.stage import run_extract


def test_worker_processes_write_the_same_tables_in_the_same_order(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    inputs = []
    for n in range(3):  # three articles, one per batch
        path = tmp_path / f"article_{n}.txt"
        path.write_text("\n\n".join(paragraphs[n::3]), encoding="utf-8")
        inputs.append(str(path))
    spec = runspec.build(root=tmp_path / "root", inputs=inputs, ingested_at=datetime(2026, 11, 25, tzinfo=timezone.utc))
    for stage in ("load", "clean"):
        runner.run_stage(stage, spec)
    found = {}
    for workers in (1, 2):
        counts = run_extract(spec.layout, spec.settings.model, batch_size=1, workers=workers)
        part = spec.layout.extract.part((0, 3)).tables()
        found[workers] = (counts, {name: pq.read_table(part[name].path) for name in counts})
    assert found[1][0] == found[2][0] and found[1][0]["mentions"] > 0
    assert all(found[1][1][name].equals(found[2][1][name]) for name in found[1][1])
