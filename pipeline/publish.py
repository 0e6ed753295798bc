"""Publish stage: write an immutable version, its manifest, and swap ``latest`` atomically.

The version is assembled in a hidden temporary folder and renamed into ``versions/``;
``latest`` (a symlink) and ``LATEST`` (a text file, for object stores) are replaced by
rename, so a reader never sees a half-written version. A lock file serialises publishers.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path

import pyarrow as pa

from pipeline import schema, tables
from pipeline.settings import REPO_ROOT

STAGED_TABLES = {
    "events": ("dedupe", "events"),
    "mentions": ("dedupe", "mentions"),
    "sources": ("dedupe", "sources"),
    "places": ("extract", "places"),
    "quantities": ("extract", "quantities"),
}


def candidate_tables(staging: Path) -> dict[str, pa.Table]:
    """The tables a run would publish, read from its staging folder."""
    result = {name: tables.read_table(name, staging / stage / f"{file}.parquet") for name, (stage, file) in STAGED_TABLES.items()}
    rejects = [tables.read_table("rejects", staging / stage / "rejects.parquet") for stage in ("load", "clean")]
    result["rejects"] = schema.conform("rejects", pa.concat_tables(rejects))
    return result


def code_version() -> dict:
    try:
        package = package_version("newsevents")
    except PackageNotFoundError:
        package = None
    try:
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"package": "newsevents", "version": package, "git_commit": commit}


def logic_fingerprint() -> str:
    """Code, rule tables and suites decide the output as much as the input does."""
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py"))
    for folder, pattern in ((REPO_ROOT / "seeds", "*.json"), (REPO_ROOT / "seeds", "*.csv"), (REPO_ROOT / "seeds", "*.txt"), (REPO_ROOT / "expectations", "*.json")):
        files += sorted(p for p in folder.rglob(pattern) if "articles" not in p.parts)
    return tables.short_hash(*(f"{f.name}={tables.sha256_file(f)}" for f in files))


def input_fingerprint(sources: pa.Table, rejects: pa.Table) -> str:
    """What was read (by content) and with which logic: equal fingerprints give equal data."""
    parts = sorted(f"{s}:{c}" for s, c in zip(sources.column("source_id").to_pylist(), sources.column("content_sha256").to_pylist()))
    parts += sorted(f"reject:{uri}:{reason}" for uri, reason in zip(rejects.column("input_uri").to_pylist(), rejects.column("reason").to_pylist()))
    return tables.short_hash(schema.SCHEMA_VERSION, logic_fingerprint(), *parts, length=64)


@contextmanager
def publish_lock(root: Path):
    """Serialise publishers on one output root; a second one waits for the first."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".publish.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def latest_version(root: Path) -> str | None:
    marker = root / "LATEST"
    if not marker.exists():
        return None
    return marker.read_text().strip() or None


def read_manifest(root: Path, version_id: str) -> dict:
    return json.loads((root / "versions" / version_id / "manifest.json").read_text())


def _write_tables(candidate: dict[str, pa.Table], folder: Path) -> dict:
    described = {}
    for name, table in candidate.items():
        path = folder / name / "part-00000.parquet"
        tables.write_table(name, table, path)
        described[name] = {
            "rows": table.num_rows,
            "files": [{"path": f"{name}/{path.name}", "sha256": tables.sha256_file(path), "bytes": path.stat().st_size}],
        }
    return described


def quarantine(staging: Path, root: Path, run_id: str) -> Path:
    """Keep a candidate that failed validation, with its results, beside the versions."""
    folder = root / "quarantine" / tables.safe_name(run_id)
    shutil.rmtree(folder, ignore_errors=True)
    _write_tables(candidate_tables(staging), folder)
    if (staging / "validation").exists():
        shutil.copytree(staging / "validation", folder / "validation")
    return folder


def _swap_latest(root: Path, version_id: str) -> None:
    link = root / f".latest.tmp-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(Path("versions") / version_id, link)
    os.replace(link, root / "latest")
    marker = root / f".LATEST.tmp-{os.getpid()}"
    marker.write_text(version_id + "\n")
    os.replace(marker, root / "LATEST")


class BaseMoved(RuntimeError):
    """Another run published after this candidate was merged onto the then latest version."""


_ANY_PARENT = object()


def publish(staging: Path, root: Path, run: dict, now: datetime | None = None, expected_parent=_ANY_PARENT) -> dict:
    """Publish the validated candidate in ``staging`` as a new version of ``root``.

    When the inputs and code equal those of the latest version, nothing is published:
    running the same job twice never duplicates a version. With ``expected_parent``, a
    candidate built on another version than the latest raises ``BaseMoved`` (no lost update).
    """
    validation = staging / "validation"
    summary = json.loads((validation / "summary.json").read_text()) if (validation / "summary.json").exists() else None
    if not summary or not summary.get("success"):
        raise RuntimeError(f"refusing to publish {staging}: it has not passed validation")
    candidate = candidate_tables(staging)
    fingerprint = input_fingerprint(candidate["sources"], candidate["rejects"])
    with publish_lock(root):
        parent = latest_version(root)
        if expected_parent is not _ANY_PARENT and parent != expected_parent:
            raise BaseMoved(f"latest is {parent}, not {expected_parent} this candidate was merged onto")
        previous = read_manifest(root, parent) if parent else None
        if previous and previous["inputs"]["fingerprint"] == fingerprint:
            return {"version_id": parent, "path": str(root / "versions" / parent), "unchanged": True,
                    "rows": {k: v["rows"] for k, v in previous["tables"].items()}}
        created = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        work = root / "versions" / f".tmp-{os.getpid()}-{created:%Y%m%dT%H%M%S%f}"
        shutil.rmtree(work, ignore_errors=True)
        described = _write_tables(candidate, work)
        content = tables.short_hash(*(f["sha256"] for t in described.values() for f in t["files"]), length=8)
        version_id = f"{created:%Y%m%dT%H%M%SZ}-{content}"
        shutil.copytree(validation, work / "validation")
        manifest = {
            "version_id": version_id,
            "parent_version_id": parent,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "schema_version": schema.SCHEMA_VERSION,
            "code": code_version(),
            "run": run,
            "inputs": {
                "fingerprint": fingerprint,
                "sources": [{"source_id": s, "input_uri": u, "content_sha256": c} for s, u, c in zip(
                    *(candidate["sources"].column(k).to_pylist() for k in ("source_id", "input_uri", "content_sha256")))],
                "rejects": candidate["rejects"].num_rows,
            },
            "tables": described,
            "validation": {"success": True, "summary": "validation/summary.json"},
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        os.rename(work, root / "versions" / version_id)
        _swap_latest(root, version_id)
    return {"version_id": version_id, "path": str(root / "versions" / version_id), "unchanged": False,
            "rows": {k: v["rows"] for k, v in described.items()}}
