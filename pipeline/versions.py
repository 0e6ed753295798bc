"""What an output root holds: list, verify, compare and prune published versions.

Everything here reads the manifests and Parquet files only, so it works on any root
the pipeline published, without the staging folders or Airflow.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as ds

from pipeline import tables
from pipeline.changes import compare
from pipeline.publish import latest_version, publish_lock, swap_latest, read_manifest, version_events


def list_versions(root: Path) -> list[dict]:
    """Every published version, oldest first, with its row counts and parent."""
    folder = root / "versions"
    if not folder.is_dir():
        return []
    latest = latest_version(root)
    found = []
    # a folder without a manifest is not a version (publish renames a version in complete)
    for path in sorted(p for p in folder.iterdir() if (p / "manifest.json").is_file() and not p.name.startswith(".")):
        manifest = read_manifest(root, path.name)
        found.append({
            "version_id": path.name,
            "parent_version_id": manifest["parent_version_id"],
            "created_at": manifest["created_at"],
            "latest": path.name == latest,
            "rows": {name: table["rows"] for name, table in manifest["tables"].items()},
        })
    # ids sort by time to the second only; two publishers one after the other can share it
    return sorted(found, key=lambda v: (datetime.fromisoformat(v["created_at"]), v["version_id"]))


def verify(root: Path, version_id: str) -> list[str]:
    """Problems with a version's files against its manifest; an empty list means intact."""
    folder = root / "versions" / version_id
    problems = []
    for name, table in read_manifest(root, version_id)["tables"].items():
        broken = []
        for entry in table["files"]:
            path = folder / entry["path"]
            if not path.exists():
                broken.append(f"{entry['path']}: missing")
            elif tables.sha256_file(path) != entry["sha256"]:
                broken.append(f"{entry['path']}: checksum differs from the manifest")
        problems += broken
        if not broken and (rows := ds.dataset(folder / name, format="parquet").count_rows()) != table["rows"]:
            problems.append(f"{name}: {rows} rows, the manifest says {table['rows']}")
    return problems


def gc(root: Path, keep: int) -> list[str]:
    """Remove all but the ``keep`` newest versions; ``latest`` is always kept."""
    if keep < 1:
        raise ValueError("keep at least one version")
    with publish_lock(root):
        versions = [v["version_id"] for v in list_versions(root)]
        latest = latest_version(root)
        doomed = [v for v in versions[:-keep] if v != latest]
        for version_id in doomed:
            shutil.rmtree(root / "versions" / version_id)
    return doomed


def diff(root: Path, old: str, new: str) -> dict:
    """Events added, removed and changed (same event_id, different figures) from ``old`` to ``new``."""
    return {"old": old, "new": new, **compare(version_events(root, old), version_events(root, new))}


class NotVerified(Exception):
    """A version that failed validation or its checksums: never make it ``latest``."""


def rollback(root: Path, version_id: str) -> dict:
    """Point ``latest`` and ``LATEST`` at ``version_id`` after checking it, under the publish lock.

    Any published version qualifies (so a rollback can be undone), as long as it passed
    validation and its files still match the manifest.
    """
    with publish_lock(root):
        if version_id != Path(version_id).name or version_id.startswith(".") or \
                not (root / "versions" / version_id / "manifest.json").is_file():
            raise LookupError(f"no version {version_id} under {root}")
        problems = verify(root, version_id)
        if not read_manifest(root, version_id).get("validation", {}).get("success"):
            problems.append("it did not pass validation")
        if problems:
            raise NotVerified(f"{version_id} is not verified: " + "; ".join(problems))
        previous = latest_version(root)
        swap_latest(root, version_id)
    return {"version_id": version_id, "previous_version_id": previous, "path": str(root / "versions" / version_id)}
