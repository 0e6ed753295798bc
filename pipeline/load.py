"""Load stage: read every input, fingerprint it, and send what cannot be read to rejects.

Inputs are files or folders, local paths or any fsspec URL. Each file is one article
(``.txt``, ``.html``), one or many (``.json``) or one per line (``.jsonl``). Every input
record ends in exactly one of ``articles`` or ``rejects``: nothing is dropped silently.

A landing zone is partitioned by arrival day, ``<landing>/dt=YYYY-MM-DD/...``; a run over a
data interval reads only the partitions of the days that overlap it.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator, Sequence

import fsspec
from fsspec.implementations.local import LocalFileSystem

from pipeline import schema, tables
from pipeline.html_text import html_to_record
from pipeline.layout import RunLayout

SUFFIXES = (".txt", ".jsonl", ".json", ".html", ".htm")
NAMED_BY_FILE = (".txt", ".html", ".htm")  # one article a file, its id the file's name
_SNIFF_BYTES = 8192


class Reject(Exception):
    """An input that cannot become an article; ``reason`` is a code from schema.REJECT_REASONS."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _filesystem(uri: str) -> tuple[fsspec.AbstractFileSystem, str]:
    """The filesystem and path of a URI; a plain path is local even when it holds '::'
    (fsspec's chaining syntax), so that every file name on disk can be read."""
    if "://" not in uri:
        fs = LocalFileSystem()
        return fs, fs._strip_protocol(uri)
    return fsspec.core.url_to_fs(uri)


def discover(inputs: Sequence[str]) -> list[str]:
    """Expand folders (recursively) into their files; hidden files are skipped; sorted URIs."""
    found: set[str] = set()
    for item in inputs:
        fs, path = _filesystem(str(item))
        if fs.isdir(path):
            names = [p for p in fs.find(path) if not posixpath.basename(p).startswith(".")]
            # find() lists a directory symlink's target without following it as a file
            found.update(_with_protocol(fs, p) for p in names if not fs.isdir(p))
        else:
            found.add(_with_protocol(fs, path))
    return sorted(found)


def interval_days(start: datetime, end: datetime) -> list[date]:
    """The landing days that overlap the data interval ``[start, end)``."""
    day, days = start.astimezone(timezone.utc).date(), []
    while datetime.combine(day, datetime.min.time(), timezone.utc) < end:
        days.append(day)
        day += timedelta(days=1)
    return days


def interval_partitions(roots: Sequence[str], days: Sequence[date]) -> list[str]:
    """The existing ``dt=`` folders of ``days`` under each landing root (a missing day has no input)."""
    found = []
    for root in roots:
        fs, path = _filesystem(str(root))
        for day in days:
            folder = posixpath.join(path, f"dt={day.isoformat()}")
            if fs.isdir(folder):
                found.append(_with_protocol(fs, folder))
    return found


def _with_protocol(fs, path: str) -> str:
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return path if protocol in ("file", "local") else f"{protocol}://{path}"


def _read_bytes(uri: str, max_bytes: int) -> bytes:
    try:
        fs, path = _filesystem(uri)
        # a FIFO or device would block the read or never end
        if (kind := fs.info(path).get("type")) != "file":
            raise Reject("unreadable", f"not a regular file ({kind})")
        with fs.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, ValueError) as error:
        raise Reject("unreadable", f"{type(error).__name__}: {error}") from error
    if len(data) > max_bytes:
        raise Reject("too_large", f"larger than {max_bytes} bytes")
    return data


def _decode(data: bytes) -> str:
    if not data.strip():
        raise Reject("empty", "no content")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise Reject("binary", "NUL bytes: not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Reject("encoding", f"not UTF-8 at byte {error.start}") from error


def parse_timestamp(value) -> datetime | None:
    """ISO 8601 date or datetime → aware UTC datetime; anything else → None.

    A year outside ``schema.NEWS_YEARS`` is a typo ("0201-05-03"), not a publication date, and
    date arithmetic near the calendar's ends ("yesterday" of 0001-01-01) would overflow.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.year not in schema.NEWS_YEARS:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _records(uri: str, text: str) -> Iterator[tuple[str, dict | Reject]]:
    """Yield ``(record_uri, record or Reject)`` for every article a file holds."""
    suffix = posixpath.splitext(uri)[1].lower()
    name = posixpath.basename(uri)
    if suffix == ".txt":
        yield uri, {"id": name, "text": text}
    elif suffix in (".html", ".htm"):
        yield uri, {"id": name, **html_to_record(text)}
    elif suffix == ".json":
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            yield uri, Reject("malformed_json", f"line {error.lineno}: {error.msg}")
            return
        items = payload if isinstance(payload, list) else [payload]
        if not items:
            yield uri, Reject("empty", "an empty JSON array")
        for index, item in enumerate(items):
            record_uri = uri if isinstance(payload, dict) else f"{uri}#{index}"
            yield record_uri, item if isinstance(item, dict) else Reject("malformed_json", "not a JSON object")
    else:  # .jsonl: records end at "\n" only (str.splitlines also splits at U+2028, U+0085,
        # and \x1c-\x1e, which a JSON string may hold raw)
        blank = True
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            blank = False
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                yield f"{uri}#L{number}", Reject("malformed_json", f"column {error.colno}: {error.msg}")
                continue
            yield f"{uri}#L{number}", item if isinstance(item, dict) else Reject("malformed_json", "not a JSON object")
        if blank:
            yield uri, Reject("empty", "no JSON Lines record, only blank lines")


def _article(record_uri: str, record: dict, ingested_at: datetime) -> dict:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Reject("missing_text", "no non-empty 'text' field")
    external_id = record.get("id")
    external_id = None if external_id is None else str(external_id)
    content_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {
        # the same article under the same id is the same source on every run; a file's name
        # says where it lies, not what it is, so renaming a .txt keeps its source
        "source_id": tables.short_hash(content_sha256, "" if _named_by_file(record_uri, external_id) else external_id or ""),
        "external_id": external_id,
        "content_sha256": content_sha256,
        "raw_text": text,
        "title": _optional_str(record.get("title")),
        "url": _optional_str(record.get("url")),
        "publisher": _optional_str(record.get("publisher")),
        "published_at": parse_timestamp(record.get("published_at")),
        "ingested_at": ingested_at,
        "input_uri": record_uri,
    }


def _named_by_file(record_uri: str, external_id: str | None) -> bool:
    """The record's id is the name of the file that holds it, and nothing it says itself."""
    return posixpath.splitext(record_uri)[1].lower() in NAMED_BY_FILE and external_id == posixpath.basename(record_uri)


def _optional_str(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def iter_inputs(uris: Iterable[str], ingested_at: datetime, max_bytes: int) -> Iterator[tuple[str, dict]]:
    """Every record of every URI as ``("articles", row)`` or ``("rejects", row)``, one file
    in memory at a time."""

    def reject(uri: str, error: Reject) -> tuple[str, dict]:
        return "rejects", {"input_uri": uri, "reason": error.reason, "detail": error.detail, "ingested_at": ingested_at}

    for uri in uris:
        if posixpath.splitext(uri)[1].lower() not in SUFFIXES:
            yield reject(uri, Reject("unsupported_type", f"expected one of {', '.join(SUFFIXES)}"))
            continue
        try:
            text = _decode(_read_bytes(uri, max_bytes))
        except Reject as error:
            yield reject(uri, error)
            continue
        for record_uri, record in _records(uri, text):
            try:
                if isinstance(record, Reject):
                    raise record
                yield "articles", _article(record_uri, record, ingested_at)
            except Reject as error:
                yield reject(record_uri, error)


def run_load(inputs: Sequence[str], layout: RunLayout, ingested_at: datetime, max_bytes: int,
             rows_per_write: int = 1000) -> dict:
    """Load stage entry point: writes ``load/articles.parquet`` and ``load/rejects.parquet``.

    Articles are written ``rows_per_write`` at a time (one Parquet row group each, which
    the clean stage reads one by one), so memory does not grow with the corpus.
    """
    first_input: dict[str, str] = {}  # source_id -> the input it came from first
    rejects, pending = [], []
    with layout.load.articles.writer() as articles:
        for table, row in iter_inputs(discover(inputs), ingested_at, max_bytes):
            if table == "articles":
                first = first_input.setdefault(row["source_id"], row["input_uri"])
                if first != row["input_uri"]:  # the same text under the same id twice (a file listed twice)
                    table, row = "rejects", {"input_uri": row["input_uri"], "reason": "duplicate_input",
                                             "detail": f"same id and content as {first}", "ingested_at": ingested_at}
            (pending if table == "articles" else rejects).append(row)
            if len(pending) >= rows_per_write:
                articles.write(pending)
                pending = []
        articles.write(pending)
    layout.load.rejects.write(rejects)
    return {"articles": articles.rows, "rejects": len(rejects)}
