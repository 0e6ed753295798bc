"""Properties of the loader and the cleaner on arbitrary input (hypothesis).

Whatever bytes arrive under whatever names: no exception escapes, every input record ends
in exactly one of articles or rejects, and the cleaner's output keeps its invariants.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline import clean, load, schema
from pipeline.rules import load_rules
from pipeline.settings import Settings
from tests.conftest import read_inputs

NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)
RULES = load_rules("cleaning", str(Settings().rules_dir))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_record = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=8), st.integers(), st.none()),
    "text": st.one_of(st.text(max_size=80), st.none(), st.integers()),
    "title": st.one_of(st.text(max_size=20), st.none()),
    "published_at": st.one_of(st.text(max_size=12), st.sampled_from(["2016-12-06", "2016-12-06T10:00:00+03:00"])),
})
json_line = st.one_of(json_record.map(json.dumps), st.text(max_size=40))  # valid records and junk
content = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(json_line, max_size=6).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
    st.lists(json_record, max_size=4).map(lambda items: json.dumps(items).encode()),
    json_record.map(lambda item: json.dumps(item).encode()),
)
name = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=20)
suffix = st.sampled_from([".txt", ".json", ".jsonl", ".html", ".htm", ".TXT", ".bin", ""])
files = st.dictionaries(st.tuples(name, suffix).map("".join), content, min_size=1, max_size=6)


def _write(folder: Path, inputs: dict[str, bytes]) -> list[str]:
    written = []
    for file_name, data in inputs.items():
        if file_name.startswith(".") or file_name in (".", ".."):
            continue  # hidden files are not inputs
        path = folder / file_name
        path.write_bytes(data)
        written.append(str(path))
    return written


def _file_of(record_uri: str, written: list[str]) -> str:
    """The file a record URI came from: the file itself, ``<file>#L<n>`` or ``<file>#<i>``."""
    return record_uri if record_uri in written else record_uri.rsplit("#", 1)[0]


@PROPERTY
@given(files)
def test_every_record_of_every_file_lands_once_in_articles_or_rejects(inputs):
    with tempfile.TemporaryDirectory() as tmp:
        written = _write(Path(tmp), inputs)
        articles, rejects = read_inputs(load.discover([tmp]), NOW, 10_000)
    uris = [a["input_uri"] for a in articles] + [r["input_uri"] for r in rejects]
    assert len(uris) == len(set(uris)), "a record counted twice"
    assert {_file_of(u, written) for u in uris} == set(written), "a file lost or invented"
    single = [w for w in written if not w.lower().endswith((".json", ".jsonl"))]
    assert all(uris.count(w) == 1 for w in single)
    assert {r["reason"] for r in rejects} <= set(schema.REJECT_REASONS)
    assert all(r["detail"] for r in rejects)


@PROPERTY
@given(files)
def test_cleaning_loaded_articles_keeps_every_one_as_a_source_or_a_reject(inputs):
    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), inputs)
        articles, _ = read_inputs(load.discover([tmp]), NOW, 10_000)
    sources, rejects = clean.clean_articles(schema.conform("articles", articles), RULES)
    assert len(sources) + len(rejects) == len(articles)
    assert {s["input_uri"] for s in sources}.isdisjoint(r["input_uri"] for r in rejects)
    assert all(s["text"] and s["n_chars"] == len(s["text"]) for s in sources)
    schema.conform("sources", sources)  # every row fits the contract schema


def normalise(text: str) -> str:
    return clean.normalise_column(pa.array([text], pa.string()), RULES).to_pylist()[0]


@PROPERTY
@given(st.text())
def test_normalising_is_idempotent_and_leaves_no_control_characters(text):
    once = normalise(text)
    assert normalise(once) == once
    assert not [c for c in once if unicodedata.category(c) == "Cc" and c != "\n"]
    assert "  " not in once and "\n\n\n" not in once and once == once.strip()
    assert unicodedata.is_normalized("NFC", once)


@PROPERTY
@given(st.lists(st.text(max_size=60), max_size=8), st.one_of(st.none(), st.text(max_size=20)))
def test_split_article_keeps_only_paragraphs_of_its_input(blocks, publisher):
    text = normalise("\n\n".join(blocks))
    parts = clean.split_article(text, None, publisher, RULES)
    given_paragraphs = clean.paragraphs(text)
    kept = parts["text"].split("\n\n") if parts["text"] else []
    assert all(p in given_paragraphs for p in kept)
    assert parts["title"] is None or parts["title"] in given_paragraphs
    assert parts["standfirst"] is None or parts["standfirst"] in given_paragraphs
    assert all(isinstance(a, str) and a for a in parts["credited_agencies"])
