"""What a version's content depends on besides its inputs, as hashes: the fingerprint publish
compares with the latest version's to tell an unchanged rerun from a new result.

The logic is this package's code, the rule tables (``NEWSEVENTS_RULES_DIR``), the people lexicon (``seeds/lexicon``), the gazetteer's
curated files, the expectation suites (``NEWSEVENTS_EXPECTATIONS_DIR``), the spaCy model (name,
version and its meta) and every installed package with its version (spaCy, the gazetteer's
data packages, Great Expectations, ...). Change any of them and a rerun publishes anew.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
from importlib.metadata import PackageNotFoundError, distributions, version as package_version
from pathlib import Path

import pyarrow as pa

from pipeline import schema, tables
from pipeline.extract.lexicon import DEFAULT_PATH as LEXICON_PATH
from pipeline.settings import REPO_ROOT, Settings

PACKAGE_DIR = Path(__file__).resolve().parent
LEXICON_DIR = Path(LEXICON_PATH).parent  # the people lexicon the counting component reads


def tree_hash(folder: Path) -> str:
    """Every file under ``folder`` (but hidden ones and byte-code), by relative path and content."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return tables.short_hash(*(f"{p.relative_to(folder).as_posix()}={tables.sha256_file(p)}" for p in files), length=64)


def model_meta(model: str) -> dict:
    """Name, version and meta.json hash of a spaCy model package or folder, read without loading it."""
    folder = Path(model)
    if not (folder / "meta.json").is_file():
        spec = importlib.util.find_spec(model) if "/" not in model else None
        if spec is None or spec.origin is None:
            raise LookupError(f"spaCy model {model!r} is neither a folder with a meta.json nor an installed package")
        folder = Path(spec.origin).parent
    meta_file = folder / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    return {"setting": model, "name": f"{meta.get('lang')}_{meta.get('name')}", "version": meta.get("version"),
            "meta_sha256": tables.sha256_file(meta_file)}


def installed_packages() -> list[str]:
    """``name==version`` of every distribution in the environment, sorted."""
    return sorted({f"{d.metadata['Name'].lower()}=={d.version}" for d in distributions()})


def logic(settings: Settings) -> dict:
    """The parts of the logic fingerprint, each a hash (the model also by name and version),
    and ``fingerprint``, one hash over all of them."""
    model = model_meta(settings.model)
    parts = {
        "code": tree_hash(PACKAGE_DIR),
        "rules": tree_hash(settings.rules_dir),
        "lexicon": tree_hash(LEXICON_DIR),
        "gazetteer": tree_hash(settings.gazetteer_dir),
        "expectations": tree_hash(settings.expectations_dir),
        "model": model,
        "packages": hashlib.sha256("\n".join(installed_packages()).encode()).hexdigest(),
    }
    return {"fingerprint": tables.short_hash(json.dumps(parts, sort_keys=True), length=64), **parts}


# What a source's row says besides its content: a date fixed in front matter, or an undated
# article moved to another landing day, changes what is extracted from the same text.
SOURCE_KEYS = ("source_id", "content_sha256", "input_uri", "title", "url", "publisher", "published_at", "reference_date")


def input_fingerprint(sources: pa.Table, rejects: pa.Table, logic_fingerprint: str) -> str:
    """What was read (content and metadata, ``SOURCE_KEYS``) and with which logic: equal
    fingerprints give equal data."""
    parts = sorted(json.dumps(row, sort_keys=True, default=str) for row in sources.select(list(SOURCE_KEYS)).to_pylist())
    parts += sorted(f"reject:{uri}:{reason}" for uri, reason in zip(rejects.column("input_uri").to_pylist(), rejects.column("reason").to_pylist()))
    return tables.short_hash(schema.SCHEMA_VERSION, logic_fingerprint, *parts, length=64)


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
