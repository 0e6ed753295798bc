"""Hostile input through the whole ``newsevents run``: every input ends in sources or in
rejects with a reason, the run still publishes, and nothing is counted twice or lost."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from pipeline import load, versions
from pipeline.cli import main
from tests.conftest import SEED, read_inputs

STORY = "Shelling killed 4 people in Idlib on Monday, medics said."
SCRIPT = "<script>for (;;) { document.write('<p>' + Math.random() + '</p>'); }</script>"
FIFTY_MB = 50 * 1024 * 1024
LONG_NAME = "x" * 240 + ".txt"  # near the 255-byte limit of a file name


def _good(name: str) -> bytes:
    return f"{STORY} ({name!r})".encode()


# file name → (content, the record URIs it holds relative to the folder, the reject reason of each or None)
FILES = {
    "empty.txt": (b"", {"": "empty"}),
    "blank.txt": (b" \n\t \r\n", {"": "empty"}),
    "binary.txt": (bytes(range(256)) * 64, {"": "binary"}),
    "invalid-utf8.txt": ("Caf\xe9 bombed in Homs.".encode("latin-1"), {"": "encoding"}),
    "truncated.json": (b'{"id": "t1", "text": "Troops adv', {"": "malformed_json"}),
    "lines.jsonl": (
        b'{"id": "l1", "text": "Fighting displaced 300 families."}\n'
        b'{"id": "l2", "text": "Rebels'
        b'\n[1, 2]\n{"id": "l4", "text": null}\n\n{"id": "l6", "text": "Ten soldiers were detained."}\n',
        {"#L1": None, "#L2": "malformed_json", "#L3": "malformed_json", "#L4": "missing_text", "#L6": None},
    ),
    "scripts.html": (f"<html><head>{SCRIPT * 200}</head><body>{SCRIPT}<p>{STORY}</p>{SCRIPT}</body></html>".encode(), {"": None}),
    "only-scripts.html": (f"<html>{SCRIPT * 500}<style>p {{color: red}}</style></html>".encode(), {"": "missing_text"}),
    "notes.pdf": (b"%PDF-1.4\n", {"": "unsupported_type"}),
    "big.txt": (None, {"": "too_large"}),  # FIFTY_MB of text: read, then too long for an article
    "with space.txt": (_good("with space.txt"), {"": None}),
    "ünïcødé 名前.txt": (_good("ünïcødé 名前.txt"), {"": None}),
    "-leading-dash.txt": (_good("-leading-dash.txt"), {"": None}),
    "new\nline.txt": (_good("new\nline.txt"), {"": None}),
    "a::b.txt": (_good("a::b.txt"), {"": None}),  # '::' is fsspec's URL chaining syntax
    LONG_NAME: (_good(LONG_NAME), {"": None}),
    # a publication date at the calendar's start, a number no float holds: once crashes
    "year-one.jsonl": (json.dumps({"id": "y1", "text": STORY.replace("Monday", "yesterday"),
                                   "published_at": "0001-01-01T00:00:00+05:00"}).encode() + b"\n", {"#L1": None}),
    "long-number.txt": (f"{STORY} Case {'1' * 400}.".encode(), {"": None}),
    # figures no fact can hold must not break the dataset's contract (and so block the run)
    "odd-figures.txt": (" ".join([
        STORY, "Less than 0 people died in Hama.", "10 people were killed in Homs, including 50 children.",
        "Minus five people were killed in Daraa.", "The army holds 150 percent of Aleppo.",
        "Between 15 and 10 people were killed.", "A truce of -3 days was agreed.",
        "Dozens of people were killed in Idlib, including 500 children.", "About 5 people were killed in Idlib.",
    ]).encode(), {"": None}),
}
# name → (symlink target, the reason or None)
LINKS = {  # a link to an article read before it is that article again
    "with-link.txt": ("with space.txt", "duplicate_input"),
    "link-dangling.txt": ("nowhere.txt", "unreadable"),
    "link-loop.txt": ("link-loop.txt", "unreadable"),
}


def _big_text() -> bytes:
    line = (STORY + "\n").encode()
    return line * (FIFTY_MB // len(line))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, seed_path):
    """A folder of every bad input plus the seed article, and the expected fate of each record."""
    folder = tmp_path_factory.mktemp("hostile")
    expected = {str(folder / seed_path.name): None}
    shutil.copy(seed_path, folder / seed_path.name)
    for name, (content, records) in FILES.items():
        (folder / name).write_bytes(_big_text() if content is None else content)
        expected.update({str(folder / name) + suffix: reason for suffix, reason in records.items()})
    for name, (target, reason) in LINKS.items():
        os.symlink(target, folder / name)
        expected[str(folder / name)] = reason
    os.mkfifo(folder / "pipe.txt")  # would block a reader for ever
    expected[str(folder / "pipe.txt")] = "unreadable"
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "back")  # a directory loop: no input, and discovery ends
    return folder, expected


@pytest.fixture(scope="module")
def published(hostile, tmp_path_factory):
    folder, _ = hostile
    root = tmp_path_factory.mktemp("hostile-root")
    assert main(["run", "--input", str(folder), "--output", str(root), "--ingested-at", "2026-11-25T00:00:00+00:00"]) == 0
    read = {t: ds.dataset(root / "latest" / t, format="parquet").to_table() for t in ("sources", "rejects", "events")}
    return root, read


def test_every_input_is_a_source_or_a_reject_with_its_reason(hostile, published):
    _, expected = hostile
    _, read = published
    sources = read["sources"].column("input_uri").to_pylist()
    rejects = dict(zip(read["rejects"].column("input_uri").to_pylist(), read["rejects"].column("reason").to_pylist()))
    assert len(sources) + read["rejects"].num_rows == len(expected)
    assert sorted(sources + list(rejects)) == sorted(expected)
    assert rejects == {uri: reason for uri, reason in expected.items() if reason}
    assert all(read["rejects"].column("detail").to_pylist())


def test_the_run_with_hostile_input_publishes_an_intact_version(published):
    root, read = published
    assert versions.verify(root, versions.list_versions(root)[-1]["version_id"]) == []
    assert read["events"].num_rows > 0
    odd = {Path(u).name for u in read["sources"].column("input_uri").to_pylist()}
    assert {"a::b.txt", "new\nline.txt", "-leading-dash.txt", "ünïcødé 名前.txt", LONG_NAME} <= odd


@contextmanager
def _as_nobody():
    """Root reads any file whatever its mode bits; an unprivileged user does not."""
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_a_file_the_reader_may_not_open_is_rejected_as_unreadable():
    # pytest's tmp_path sits under a 0700 folder of root: use a folder anyone may enter.
    folder = Path(tempfile.mkdtemp(prefix="newsevents-unreadable-"))
    try:
        folder.chmod(0o755)
        (folder / "open.txt").write_text(STORY)
        (folder / "secret.txt").write_text(STORY + " (secret)")
        (folder / "open.txt").chmod(0o644)
        (folder / "secret.txt").chmod(0o600)
        now = datetime(2026, 11, 25, tzinfo=timezone.utc)
        with _as_nobody():
            articles, rejects = read_inputs(load.discover([str(folder)]), now, 10_000)
        assert [a["input_uri"] for a in articles] == [str(folder / "open.txt")]
        assert [(r["input_uri"], r["reason"]) for r in rejects] == [(str(folder / "secret.txt"), "unreadable")]
        assert "Permission denied" in rejects[0]["detail"]
    finally:
        shutil.rmtree(folder)
