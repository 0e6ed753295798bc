"""Publish stage: a validated candidate becomes the new latest version, unless it changes nothing.

The version store (``pipeline.versions``) writes the version and moves ``latest``; this
module decides whether and on which parent: a candidate that has not passed validation is
refused, one whose inputs and logic equal the latest version's publishes nothing (running
the same job twice never duplicates a version), and one merged onto another version than
the latest raises ``BaseMoved`` (no lost update).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from pipeline import schema, tables, versions
from pipeline.changes import changes_table
from pipeline.fingerprint import SOURCE_KEYS, code_version, input_fingerprint
from pipeline.layout import Candidate
from pipeline.validate import check_relations


class BaseMoved(RuntimeError):
    """Another run published after this candidate was merged onto the then latest version."""


_ANY_PARENT = object()


def _changes(root: Path, parent: str | None, events: pa.Table) -> pa.Table:
    """The version's ``changes`` table against its parent, checked against its events."""
    changes = changes_table(versions.read_table(root, parent, "events") if parent else None, events)
    failed = [r for r in check_relations({"changes": changes.to_pandas(), "events": events.to_pandas()})
              if not r["success"]]
    if failed:
        raise RuntimeError(f"refusing to publish: the changes table is inconsistent: {failed}")
    return changes


def publish(candidate: Candidate, root: Path, run: dict, logic: dict, now: datetime | None = None,
            expected_parent=_ANY_PARENT) -> dict:
    """Publish the validated ``candidate`` as a new version of ``root``.

    ``run`` describes the run and ``logic`` is ``fingerprint.logic(settings)``; both go into
    the manifest. With ``expected_parent``, a candidate built on another version than the
    latest raises ``BaseMoved``.
    """
    summary = json.loads(candidate.summary.read_text()) if candidate.summary.is_file() else None
    if not summary or not summary.get("success"):
        raise RuntimeError(f"refusing to publish {candidate.folder}: it has not passed validation")
    published = candidate.published()
    sources = published["sources"].read(list(SOURCE_KEYS))
    rejects = published["rejects"].read(["input_uri", "reason"])
    fingerprint = input_fingerprint(sources, rejects, logic["fingerprint"])
    with versions.publish_lock(root):
        parent = versions.latest_version(root)
        if expected_parent is not _ANY_PARENT and parent != expected_parent:
            raise BaseMoved(f"latest is {parent}, not {expected_parent} this candidate was merged onto")
        previous = versions.read_manifest(root, parent) if parent else None
        if previous and previous["inputs"]["fingerprint"] == fingerprint:
            return {"version_id": parent, "path": str(versions.version_dir(root, parent)), "unchanged": True,
                    "rows": {k: v["rows"] for k, v in previous["tables"].items()}}
        changes = _changes(root, parent, tables.in_memory(published["events"]))
        manifest = versions.commit(root, {**published, "changes": changes}, candidate.validation, {
            "parent_version_id": parent,
            "schema_version": schema.SCHEMA_VERSION,
            "code": code_version(),
            "logic": logic,
            "run": run,
            "inputs": {"fingerprint": fingerprint, "rejects": rejects.num_rows,
                       "sources": sources.select(["source_id", "input_uri", "content_sha256"]).to_pylist()},
            "validation": {"success": True, "summary": "validation/summary.json"},
        }, (now or datetime.now(timezone.utc)).astimezone(timezone.utc))
    version_id = manifest["version_id"]
    return {"version_id": version_id, "path": str(versions.version_dir(root, version_id)), "unchanged": False,
            "rows": {k: v["rows"] for k, v in manifest["tables"].items()}}
