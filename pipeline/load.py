"""Load stage: read every input, fingerprint it, and send what cannot be read to rejects.

Inputs are files or folders, local paths or any fsspec URL. Each file is one article
(``.txt``, ``.html``), one or many (``.json``) or one per line (``.jsonl``). Every input
record ends in exactly one of ``articles`` or ``rejects``: nothing is dropped silently.
A ``.txt`` file may open with YAML front matter carrying the keys a JSON record has
(``title``, ``url``, ``publisher``, ``published_at``); malformed metadata is a reject.

A landing zone is partitioned by arrival day, ``<landing>/dt=YYYY-MM-DD/...``; a run over a
data interval reads only the partitions of the days that overlap it. An article without a
publication date takes its partition's day as its reference date, the day its relative
dates ("on Tuesday") count from.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Iterator, Sequence

import fsspec
import yaml
from fsspec.implementations.local import LocalFileSystem

from pipeline import schema, tables
from pipeline.html_text import html_to_record
from pipeline.layout import RunLayout

SUFFIXES = (".txt", ".jsonl", ".json", ".html", ".htm")
NAMED_BY_FILE = (".txt", ".html", ".htm")  # one article a file, its id the file's name
_SNIFF_BYTES = 8192
# The metadata a .txt file's front matter may give: the keys of a JSON record but its id and text.
FRONT_MATTER_KEYS = ("title", "url", "publisher", "published_at")
_FENCE, _FENCE_ENDS = "---", ("---", "...")
# The innermost dt=YYYY-MM-DD folder of an input URI (pipeline/incremental.py reads it too).
LANDING_DAY_PATTERN = r"^(?:.*/)?dt=(?P<dt>\d{4}-\d{2}-\d{2})(?:/|$)"
_LANDING_DAY = re.compile(LANDING_DAY_PATTERN)


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


def landing_day(uri: str) -> date | None:
    """The day of the landing partition ``dt=YYYY-MM-DD`` an input lies in; None outside one."""
    found = _LANDING_DAY.match(uri)
    try:
        return date.fromisoformat(found["dt"]) if found else None
    except ValueError:  # dt=2026-13-45 names no day
        return None


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """The YAML front matter of a ``.txt`` article and the text after it.

    The convention of Jekyll, Hugo and Pandoc: a first line ``---``, ``key: value`` lines, and
    a line ``---`` (or ``...``). Values are read as plain strings (YAML's BaseLoader), so
    ``published_at: 2016-12-06`` stays the text ``2016-12-06``. A file whose first line is not
    ``---`` has no front matter: all of it is the article.
    """
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        return {}, text
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in _FENCE_ENDS), None)
    if end is None:
        raise Reject("malformed_metadata", "the front matter opened by '---' on line 1 has no closing '---' line")
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark else ""  # +2: the opening fence, and from 1
        raise Reject("malformed_metadata", f"the front matter is not YAML{where}: {getattr(error, 'problem', None) or error}") from error
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise Reject("malformed_metadata", "the front matter is not 'key: value' lines")
    metadata: dict[str, str] = {}
    for key, value in node.value if node is not None else []:
        line, name = key.start_mark.line + 2, key.value if isinstance(key, yaml.ScalarNode) else None
        if name not in FRONT_MATTER_KEYS:
            raise Reject("malformed_metadata", f"line {line}: unknown key {name!r} (the keys are {', '.join(FRONT_MATTER_KEYS)})")
        if name in metadata:
            raise Reject("malformed_metadata", f"line {line}: {name} is given twice")
        if not isinstance(value, yaml.ScalarNode):
            raise Reject("malformed_metadata", f"line {line}: {name} must be one value, not a list or a mapping")
        if name == "published_at" and value.value.strip() and parse_timestamp(value.value) is None:
            raise Reject("malformed_metadata", f"line {line}: published_at {value.value!r} is not an ISO 8601 date "
                                               f"or date-time in {schema.NEWS_YEARS.start}-{schema.NEWS_YEARS.stop - 1}")
        metadata[name] = value.value
    body = "\n".join(lines[end + 1:])
    if not body.strip():
        raise Reject("missing_text", "no text after the front matter")
    return metadata, body


def _records(uri: str, text: str) -> Iterator[tuple[str, dict | Reject]]:
    """Yield ``(record_uri, record or Reject)`` for every article a file holds."""
    suffix = posixpath.splitext(uri)[1].lower()
    name = posixpath.basename(uri)
    if suffix == ".txt":
        try:
            metadata, body = split_front_matter(text)
        except Reject as error:
            yield uri, error
            return
        yield uri, {**metadata, "id": name, "text": body}
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
    published_at = parse_timestamp(record.get("published_at"))
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
        "published_at": published_at,
        "ingested_at": ingested_at,
        "input_uri": record_uri,
        **_reference_date(published_at, record_uri),
    }


def _reference_date(published_at: datetime | None, record_uri: str) -> dict:
    """The day relative dates count from, and where it came from: the publication day (UTC),
    else the landing partition's day; nulls when neither is known."""
    if published_at is not None:
        return {"reference_date": published_at.date(), "reference_date_source": "published_at"}
    day = landing_day(record_uri)
    return {"reference_date": day, "reference_date_source": "landing_date" if day else None}


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
