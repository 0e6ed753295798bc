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
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from pipeline import schema, tables
from pipeline.changes import changes_table
from pipeline.report import write_report
from pipeline.settings import REPO_ROOT

STAGED_TABLES = {
    "events": ("dedupe", "events"),
    "mentions": ("dedupe", "mentions"),
    "incidents": ("dedupe", "incidents"),
    "sources": ("dedupe", "sources"),
    "places": ("extract", "places"),
    "quantities": ("extract", "quantities"),
}


COPY_BATCH_ROWS = 20_000  # rows held at once when a staged table is copied into a version


def candidate_tables(staging: Path) -> dict[str, tables.AnyTable]:
    """The tables a run would publish: staged files, read when needed (rejects, one row per
    bad input, read now from the load and clean stages)."""
    result: dict[str, tables.AnyTable] = {name: tables.StagedTable(name, staging / stage / f"{file}.parquet") for name, (stage, file) in STAGED_TABLES.items()}
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


LOCK_TIMEOUT_ENV = "NEWSEVENTS_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0  # seconds a publisher waits for another one to finish


class PublishLockTimeout(RuntimeError):
    """Another publisher held the output root's lock for longer than we were willing to wait."""


def lock_timeout() -> float:
    return float(os.environ.get(LOCK_TIMEOUT_ENV) or DEFAULT_LOCK_TIMEOUT)


@contextmanager
def publish_lock(root: Path, timeout: float | None = None):
    """Serialise publishers on one output root: a second one waits up to ``timeout`` seconds
    (default ``$NEWSEVENTS_LOCK_TIMEOUT`` or 600), then raises ``PublishLockTimeout``.

    An flock dies with its process, so a killed publisher never leaves a stale lock.
    """
    timeout = lock_timeout() if timeout is None else timeout
    root.mkdir(parents=True, exist_ok=True)
    path = root / ".publish.lock"
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise PublishLockTimeout(
                        f"another publisher ({holder}) holds {path}; gave up after {timeout:g} s "
                        f"(set {LOCK_TIMEOUT_ENV} to wait longer)") from None
                time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(root: Path) -> None:
    """Drop what killed publishers left behind (half-written version folders, temp links).

    Called under the lock, so none of it belongs to a publisher still running.
    """
    for path in [*(root / "versions").glob(".tmp-*"), *root.glob(".latest.tmp-*"), *root.glob(".LATEST.tmp-*")]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def latest_version(root: Path) -> str | None:
    marker = root / "LATEST"
    if not marker.exists():
        return None
    return marker.read_text().strip() or None


def read_manifest(root: Path, version_id: str) -> dict:
    return json.loads((root / "versions" / version_id / "manifest.json").read_text())


def version_events(root: Path, version_id: str) -> pa.Table:
    """The events table of a published version."""
    return ds.dataset(root / "versions" / version_id / "events", format="parquet").to_table()


def _changes(root: Path, parent: str | None, events: pa.Table) -> pa.Table:
    """The version's ``changes`` table against its parent, checked against its events."""
    from pipeline.validate import check_relations

    changes = changes_table(version_events(root, parent) if parent else None, events)
    failed = [r for r in check_relations({"changes": changes.to_pandas(), "events": events.to_pandas()})
              if not r["success"]]
    if failed:
        raise RuntimeError(f"refusing to publish: the changes table is inconsistent: {failed}")
    return changes


def _write_tables(candidate: dict[str, tables.AnyTable], folder: Path) -> dict:
    """One file per table; a staged table is copied batch by batch, in the key order its
    stage wrote it in (the writer refuses batches out of order)."""
    described = {}
    for name, table in candidate.items():
        path = folder / name / "part-00000.parquet"
        with tables.StreamingWriter(name, path, in_key_order=True) as writer:
            for batch in tables.in_batches(table, COPY_BATCH_ROWS):
                writer.write(batch)
        described[name] = {
            "rows": writer.rows,
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


def swap_latest(root: Path, version_id: str) -> None:
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
    sources = tables.in_memory(candidate["sources"], ["source_id", "input_uri", "content_sha256"])
    fingerprint = input_fingerprint(sources, candidate["rejects"])
    with publish_lock(root):
        parent = latest_version(root)
        if expected_parent is not _ANY_PARENT and parent != expected_parent:
            raise BaseMoved(f"latest is {parent}, not {expected_parent} this candidate was merged onto")
        previous = read_manifest(root, parent) if parent else None
        if previous and previous["inputs"]["fingerprint"] == fingerprint:
            return {"version_id": parent, "path": str(root / "versions" / parent), "unchanged": True,
                    "rows": {k: v["rows"] for k, v in previous["tables"].items()}}
        _remove_leftovers(root)
        changes = _changes(root, parent, tables.in_memory(candidate["events"]))
        created = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        work = root / "versions" / f".tmp-{os.getpid()}-{created:%Y%m%dT%H%M%S%f}"
        shutil.rmtree(work, ignore_errors=True)
        try:  # a failure leaves no half-written folder behind
            described = _write_tables({**candidate, "changes": changes}, work)
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
                    "sources": sources.to_pylist(),
                    "rejects": candidate["rejects"].num_rows,
                },
                "tables": described,
                "validation": {"success": True, "summary": "validation/summary.json"},
            }
            (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            write_report(root, work)  # report.html: a page for people, part of the version before anyone sees it
            os.rename(work, root / "versions" / version_id)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        swap_latest(root, version_id)
    return {"version_id": version_id, "path": str(root / "versions" / version_id), "unchanged": False,
            "rows": {k: v["rows"] for k, v in described.items()}}
