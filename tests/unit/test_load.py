from datetime import date, datetime, timezone

import pyarrow.parquet as pq
import pytest

from pipeline import clean, load
from pipeline.layout import RunLayout
from pipeline.settings import Settings
from tests.conftest import read_inputs

NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)


def _write(folder, name, content):
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_every_input_ends_in_articles_or_rejects(tmp_path):
    _write(tmp_path, "a.txt", "Title\n\nFive people were killed.")
    _write(tmp_path, "empty.txt", "   \n")
    _write(tmp_path, "bin.txt", b"\x00\x01\x02binary")
    _write(tmp_path, "latin1.txt", "caf\xe9".encode("latin-1"))
    _write(tmp_path, "notes.pdf", "%PDF-1.4")
    _write(tmp_path, "many.jsonl", '{"id": "x1", "text": "One."}\n{"id": "x2"}\nnot json\n\n{"id": 3, "text": "Two."}\n')
    _write(tmp_path, "list.json", '[{"id": "j1", "text": "A."}, 5]')
    _write(tmp_path, "broken.json", '{"id": ')
    articles, rejects = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    reasons = {r["input_uri"].rsplit("/", 1)[-1]: r["reason"] for r in rejects}
    assert reasons == {
        "empty.txt": "empty", "bin.txt": "binary", "latin1.txt": "encoding", "notes.pdf": "unsupported_type",
        "many.jsonl#L2": "missing_text", "many.jsonl#L3": "malformed_json", "list.json#1": "malformed_json",
        "broken.json": "malformed_json",
    }
    assert sorted(a["external_id"] for a in articles) == ["3", "a.txt", "j1", "x1"]


def test_source_id_is_stable_and_depends_on_content_and_id(tmp_path):
    _write(tmp_path, "a.jsonl", '{"id": "a", "text": "Same text."}\n{"id": "b", "text": "Same text."}\n')
    first, _ = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    again, _ = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    assert [a["source_id"] for a in first] == [a["source_id"] for a in again]
    assert first[0]["source_id"] != first[1]["source_id"]
    assert first[0]["content_sha256"] == first[1]["content_sha256"]


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_renaming_a_file_named_article_keeps_its_source_id(tmp_path, suffix):
    """A .txt or .html article is named by its file: the name is where it lies, not what it is."""
    text = "Five people were killed in Homs on Monday." if suffix == ".txt" else "<p>Five people were killed.</p>"
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    _write(tmp_path / "before", f"wire-0001{suffix}", text)
    _write(tmp_path / "after", f"renamed{suffix}", text)
    [before], _ = read_inputs(load.discover([str(tmp_path / "before")]), NOW, 10_000)
    [after], _ = read_inputs(load.discover([str(tmp_path / "after")]), NOW, 10_000)
    assert before["source_id"] == after["source_id"]
    assert (before["external_id"], after["external_id"]) == (f"wire-0001{suffix}", f"renamed{suffix}")


def test_a_jsonl_record_keeps_its_id_in_its_source_id(tmp_path):
    _write(tmp_path, "a.jsonl", '{"id": "a", "text": "Same text."}\n')
    _write(tmp_path, "b.jsonl", '{"id": "b", "text": "Same text."}\n')
    _write(tmp_path, "c.jsonl", '{"id": "a", "text": "Same text."}\n')
    a, b, c = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)[0]
    assert a["source_id"] == c["source_id"] != b["source_id"]


def test_too_large_input_is_rejected(tmp_path):
    _write(tmp_path, "big.txt", "word " * 1000)
    articles, rejects = read_inputs(load.discover([str(tmp_path)]), NOW, 100)
    assert not articles and rejects[0]["reason"] == "too_large"


def test_jsonl_metadata_and_html(tmp_path):
    _write(tmp_path, "a.jsonl", '{"id": "k", "text": "Body.", "title": "T", "url": "http://x", "publisher": "P", "published_at": "2016-12-06"}\n')
    _write(tmp_path, "page.html", "<html><head><title>Head</title><script>var x = 1;</script></head>"
           "<body><h1>Big news</h1><p>Ten people were killed.</p><p>More text.</p></body></html>")
    articles, rejects = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    assert not rejects
    by_id = {a["external_id"]: a for a in articles}
    assert by_id["k"]["published_at"] == datetime(2016, 12, 6, tzinfo=timezone.utc)
    assert (by_id["k"]["title"], by_id["k"]["url"], by_id["k"]["publisher"]) == ("T", "http://x", "P")
    html = by_id["page.html"]
    assert html["title"] == "Big news"
    assert "var x" not in html["raw_text"] and "Ten people were killed." in html["raw_text"]


@pytest.mark.parametrize("value, expected", [
    ("2016-12-06", datetime(2016, 12, 6, tzinfo=timezone.utc)),
    ("2016-12-06T23:30:00-05:00", datetime(2016, 12, 7, 4, 30, tzinfo=timezone.utc)),
    ("0001-01-01T00:00:00+05:00", None),  # before the calendar's start in UTC: no date, no crash
    ("0201-05-03", None),  # a typo for 2015-05-03, not a date to count back from
    ("9999-12-31", None),
    ("Dec. 6, 2016", None),
    (20161206, None),
])
def test_published_at_is_a_plausible_iso_date_or_unknown(value, expected):
    assert load.parse_timestamp(value) == expected


def test_run_load_writes_staged_tables(tmp_path, seed_path):
    layout = RunLayout(tmp_path)
    counts = load.run_load([str(seed_path), str(seed_path)], layout, NOW, 10_000_000)
    assert counts == {"articles": 1, "rejects": 0}
    table = layout.load.articles.read()
    assert table.column("external_id").to_pylist() == [seed_path.name]


def test_a_jsonl_file_of_separator_characters_is_rejected_not_lost(tmp_path):
    """str.splitlines would split at \\x1c and U+2028: a file holding only them yielded nothing."""
    _write(tmp_path, "separators.jsonl", "\x1c\x1d\n\u2028\n")
    _write(tmp_path, "raw_line_separator.jsonl", '{"id": "r1", "text": "Before\u2028after."}\n')
    articles, rejects = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    assert [(r["input_uri"].rsplit("/", 1)[-1], r["reason"]) for r in rejects] == [("separators.jsonl", "empty")]
    assert [a["raw_text"] for a in articles] == ["Before\u2028after."]


def test_load_and_clean_stream_one_row_group_at_a_time(tmp_path):
    """Memory does not grow with the corpus: each stage writes (and clean reads) row groups."""
    for n in range(5):
        _write(tmp_path, f"a{n}.txt", f"Title {n}\n\nFive people were killed in the town of Town{n} on Monday.")
    layout = RunLayout(tmp_path / "staging")
    assert load.run_load([str(tmp_path)], layout, NOW, 10_000, rows_per_write=2) == {"articles": 5, "rejects": 0}
    assert pq.ParquetFile(layout.load.articles.path).num_row_groups == 3
    assert clean.run_clean(layout, Settings().rules_dir) == {"sources": 5, "rejects": 0}
    sources = pq.ParquetFile(layout.clean.sources.path)
    assert sources.num_row_groups == 3
    assert sorted(sources.read().column("external_id").to_pylist()) == [f"a{n}.txt" for n in range(5)]


# --- a .txt article's front matter, and the reference date -------------------------------

DATED = "---\ntitle: Rebels shell Aleppo\npublisher: Example Wire\npublished_at: 2016-12-06\nurl: https://example.org/a\n---\n"
BODY = "Rebels shelled west Aleppo on Tuesday, killing 12 people.\n"


def test_a_text_file_carries_its_metadata_in_front_matter(tmp_path):
    _write(tmp_path, "dated.txt", DATED + BODY)
    _write(tmp_path, "plain.txt", BODY)
    [dated, plain], rejects = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    assert not rejects
    assert (dated["title"], dated["publisher"], dated["url"]) == ("Rebels shell Aleppo", "Example Wire", "https://example.org/a")
    assert dated["published_at"] == datetime(2016, 12, 6, tzinfo=timezone.utc)
    assert (dated["reference_date"], dated["reference_date_source"]) == (date(2016, 12, 6), "published_at")
    # the front matter is no part of the text: the same body is the same content, under the file's name
    assert dated["raw_text"] == plain["raw_text"] == BODY
    assert dated["content_sha256"] == plain["content_sha256"] and dated["external_id"] == "dated.txt"
    assert plain["published_at"] is None and plain["reference_date"] is None and plain["reference_date_source"] is None


@pytest.mark.parametrize("front, detail", [
    ("---\npublished_at: 2016-12-06\n", "has no closing '---' line"),
    ("---\npublished_at: [2016\n---\n", "is not YAML on line 2"),
    ("---\n- 2016-12-06\n---\n", "is not 'key: value' lines"),
    ("---\ntitle: A\npublished: 2016-12-06\n---\n", "line 3: unknown key 'published' (the keys are title, url, publisher, published_at)"),
    ("---\ntitle: A\ntitle: B\n---\n", "line 3: title is given twice"),
    ("---\npublisher:\n  - A\n  - B\n---\n", "line 2: publisher must be one value"),
    ("---\npublished_at: 6 December 2016\n---\n", "line 2: published_at '6 December 2016' is not an ISO 8601 date"),
    ("---\npublished_at: 0216-12-06\n---\n", "is not an ISO 8601 date or date-time in 1900-2100"),
])
def test_malformed_front_matter_is_a_reject_that_says_why(tmp_path, front, detail):
    _write(tmp_path, "bad.txt", front + BODY)
    articles, [reject] = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    assert not articles
    assert reject["reason"] == "malformed_metadata" and detail in reject["detail"], reject["detail"]


def test_front_matter_with_nothing_after_it_is_missing_text(tmp_path):
    _write(tmp_path, "only.txt", DATED + "\n  \n")
    articles, [reject] = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    assert not articles and (reject["reason"], reject["detail"]) == ("missing_text", "no text after the front matter")


def test_front_matter_values_stay_text_and_may_be_empty(tmp_path):
    _write(tmp_path, "a.txt", "---\r\ntitle: 'Yes'\r\npublisher: No\r\npublished_at:\r\n...\r\n" + BODY)
    [article], rejects = read_inputs(load.discover([str(tmp_path)]), NOW, 10_000)
    assert not rejects
    assert (article["title"], article["publisher"], article["published_at"]) == ("Yes", "No", None)


def test_an_undated_article_takes_its_landing_day_as_reference_date(tmp_path):
    day = tmp_path / "landing" / "dt=2026-11-24"
    day.mkdir(parents=True)
    _write(day, "plain.txt", BODY)
    _write(day, "dated.txt", DATED + BODY)
    _write(day, "feed.jsonl", '{"id": "j", "text": "Two were killed."}\n{"id": "k", "text": "One.", "published_at": "2026-11-20T23:30:00-05:00"}\n')
    _write(tmp_path / "landing", "outside.txt", BODY)
    articles, _ = read_inputs(load.discover([str(tmp_path / "landing")]), NOW, 10_000)
    found = {a["external_id"]: (a["reference_date"], a["reference_date_source"]) for a in articles}
    assert found == {
        "plain.txt": (date(2026, 11, 24), "landing_date"),
        "j": (date(2026, 11, 24), "landing_date"),
        "dated.txt": (date(2016, 12, 6), "published_at"),
        "k": (date(2026, 11, 21), "published_at"),  # the publication day in UTC
        "outside.txt": (None, None),
    }


@pytest.mark.parametrize("uri, day", [
    ("/l/dt=2026-11-24/a.txt", date(2026, 11, 24)),
    ("s3://bucket/l/dt=2026-01-02/sub/a.jsonl#L3", date(2026, 1, 2)),
    ("/l/dt=2026-01-01/x/dt=2026-01-02/a.txt", date(2026, 1, 2)),  # the innermost partition
    ("/l/dt=2026-13-45/a.txt", None),
    ("/l/xdt=2026-01-02/a.txt", None),
    ("/l/a.txt", None),
])
def test_landing_day_of_a_uri(uri, day):
    assert load.landing_day(uri) == day
