"""The version store: what an output root holds and the only code that changes it.

```
<root>/versions/<version_id>/   one immutable version: a folder per table, manifest.json, validation/
<root>/latest -> versions/<id>  a symlink, and LATEST, the same id as text (for object stores)
<root>/quarantine/<run_id>/     a candidate that failed validation, with its results
<root>/.publish.lock            serialises everything that writes versions or moves latest
```

A version is assembled in a hidden temporary folder and renamed into ``versions/``;
``latest`` and ``LATEST`` are replaced by rename, so a reader never sees a half-written
version. Reading (list, verify, diff) needs the manifests and Parquet files only, so it
works on any root the pipeline published, without staging folders or Airflow.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from pipeline import tables
from pipeline.changes import compare, describe_changes

COPY_BATCH_ROWS = 20_000  # rows held at once when a staged table is copied into a version
LOCK_TIMEOUT_ENV = "NEWSEVENTS_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0  # seconds a publisher waits for another one to finish


# --- where things are ----------------------------------------------------------------------

def version_dir(root: Path, version_id: str) -> Path:
    return Path(root) / "versions" / version_id


def quarantine_dir(root: Path, run_id: str) -> Path:
    return Path(root) / "quarantine" / tables.safe_name(run_id)


def has_version(root: Path, version_id: str) -> bool:
    """A published version of that id (a plain name, not a path) with its manifest."""
    return (version_id == Path(version_id).name and not version_id.startswith(".")
            and (version_dir(root, version_id) / "manifest.json").is_file())


def latest_version(root: Path) -> str | None:
    marker = Path(root) / "LATEST"
    if not marker.exists():
        return None
    return marker.read_text().strip() or None


def read_manifest(root: Path, version_id: str) -> dict:
    return json.loads((version_dir(root, version_id) / "manifest.json").read_text())


def read_table(root: Path, version_id: str, table: str) -> pa.Table:
    """One table of a published version, as its files hold it."""
    return ds.dataset(version_dir(root, version_id) / table, format="parquet").to_table()


# --- the lock ------------------------------------------------------------------------------

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
    root = Path(root)
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


# --- writing -------------------------------------------------------------------------------

def write_tables(candidate: dict[str, tables.AnyTable], folder: Path) -> dict:
    """One file per table; a staged table is copied batch by batch, in the key order its
    stage wrote it in (the writer refuses batches out of order). Returns the manifest's
    description of each table: rows, files and their checksums."""
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


def _remove_leftovers(root: Path) -> None:
    """Drop what killed publishers left behind (half-written version folders, temp links).

    Called under the lock, so none of it belongs to a publisher still running.
    """
    for path in [*(root / "versions").glob(".tmp-*"), *root.glob(".latest.tmp-*"), *root.glob(".LATEST.tmp-*")]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def swap_latest(root: Path, version_id: str) -> None:
    link = root / f".latest.tmp-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(Path("versions") / version_id, link)
    os.replace(link, root / "latest")
    marker = root / f".LATEST.tmp-{os.getpid()}"
    marker.write_text(version_id + "\n")
    os.replace(marker, root / "LATEST")


def commit(root: Path, candidate: dict[str, tables.AnyTable], validation: Path, manifest: dict,
           created: datetime) -> dict:
    """Write ``candidate`` as a new version, its validation results and ``manifest`` (which
    gains version_id, created_at and tables), then make it ``latest``. Call it under
    ``publish_lock``. A failure leaves no half-written folder behind and ``latest`` as it was."""
    root = Path(root)
    _remove_leftovers(root)
    work = root / "versions" / f".tmp-{os.getpid()}-{created:%Y%m%dT%H%M%S%f}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        described = write_tables(candidate, work)
        # the creation instant (to the microsecond) and the parent count too: a retry of a crashed
        # publish in the same second, with the same tables, must not land on the version it left
        content = tables.short_hash(created.isoformat(), str(manifest.get("parent_version_id")),
                                    *(f["sha256"] for t in described.values() for f in t["files"]), length=8)
        version_id = f"{created:%Y%m%dT%H%M%SZ}-{content}"
        shutil.copytree(validation, work / "validation")
        manifest = {"version_id": version_id, "created_at": created.isoformat().replace("+00:00", "Z"),
                    **manifest, "tables": described}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        os.rename(work, version_dir(root, version_id))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    swap_latest(root, version_id)
    return manifest


def quarantine(root: Path, run_id: str, candidate: dict[str, tables.AnyTable], validation: Path) -> Path:
    """Keep a candidate that failed validation, with its results, beside the versions."""
    folder = quarantine_dir(root, run_id)
    shutil.rmtree(folder, ignore_errors=True)
    write_tables(candidate, folder)
    shutil.copytree(validation, folder / "validation")
    return folder


# --- reading and maintenance ---------------------------------------------------------------

def list_versions(root: Path) -> list[dict]:
    """Every published version, oldest first, with its row counts and parent."""
    folder = Path(root) / "versions"
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
    folder = version_dir(root, version_id)
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
            shutil.rmtree(version_dir(root, version_id))
    return doomed


def diff(root: Path, old: str, new: str) -> dict:
    """Events added, removed and changed (same event_id, different figures) from ``old`` to
    ``new``: their ids, and under ``details`` what each one says (old → new for a change)."""
    before, after = read_table(root, old, "events"), read_table(root, new, "events")
    found = compare(before, after)
    return {"old": old, "new": new, **found, "details": describe_changes(before, after, found)}


class NotVerified(Exception):
    """A version that failed validation or its checksums: never make it ``latest``."""


def rollback(root: Path, version_id: str) -> dict:
    """Point ``latest`` and ``LATEST`` at ``version_id`` after checking it, under the publish lock.

    Any published version qualifies (so a rollback can be undone), as long as it passed
    validation and its files still match the manifest.
    """
    root = Path(root)
    with publish_lock(root):
        if not has_version(root, version_id):
            raise LookupError(f"no version {version_id} under {root}")
        problems = verify(root, version_id)
        if not read_manifest(root, version_id).get("validation", {}).get("success"):
            problems.append("it did not pass validation")
        if problems:
            raise NotVerified(f"{version_id} is not verified: " + "; ".join(problems))
        previous = latest_version(root)
        swap_latest(root, version_id)
    return {"version_id": version_id, "previous_version_id": previous, "path": str(version_dir(root, version_id))}
