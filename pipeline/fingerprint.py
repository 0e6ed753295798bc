"""What a version's content depends on besides its inputs, as hashes: the fingerprint publish
compares with the latest version's to tell an unchanged rerun from a new result."""

from __future__ import annotations

import subprocess
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path

import pyarrow as pa

from pipeline import schema, tables
from pipeline.settings import REPO_ROOT

PACKAGE_DIR = Path(__file__).resolve().parent


def logic_fingerprint() -> str:
    """Code, rule tables and suites decide the output as much as the input does."""
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    for folder, pattern in ((REPO_ROOT / "seeds", "*.json"), (REPO_ROOT / "seeds", "*.csv"), (REPO_ROOT / "seeds", "*.txt"), (REPO_ROOT / "expectations", "*.json")):
        files += sorted(p for p in folder.rglob(pattern) if "articles" not in p.parts)
    return tables.short_hash(*(f"{f.name}={tables.sha256_file(f)}" for f in files))


def input_fingerprint(sources: pa.Table, rejects: pa.Table) -> str:
    """What was read (by content) and with which logic: equal fingerprints give equal data."""
    parts = sorted(f"{s}:{c}" for s, c in zip(sources.column("source_id").to_pylist(), sources.column("content_sha256").to_pylist()))
    parts += sorted(f"reject:{uri}:{reason}" for uri, reason in zip(rejects.column("input_uri").to_pylist(), rejects.column("reason").to_pylist()))
    return tables.short_hash(schema.SCHEMA_VERSION, logic_fingerprint(), *parts, length=64)


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
