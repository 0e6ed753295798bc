import pytest

from pipeline.extract import gazetteer_cache
from pipeline.extract.gazetteer import DEFAULT_DIR, build_gazetteer, load_gazetteer


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_second_call_reads_the_cache_and_builds_nothing(cache):
    builds = []
    assert gazetteer_cache.cached("k", lambda: builds.append(1) or {"a": [1, 2]}) == {"a": [1, 2]}
    assert gazetteer_cache.cached("k", lambda: builds.append(1) or {"b": 0}) == {"a": [1, 2]}
    assert builds == [1] and (cache / "gazetteer-k.pickle").exists()


def test_an_unreadable_cache_is_built_anew(cache):
    cache.mkdir()
    (cache / "gazetteer-k.pickle").write_bytes(b"not a pickle")
    assert gazetteer_cache.cached("k", lambda: [3]) == [3]
    assert gazetteer_cache.cached("k", lambda: [4]) == [3]


def test_the_fingerprint_follows_the_curated_files_and_the_threshold(tmp_path):
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    (folder / "places_extra.csv").write_text("name\n", encoding="utf-8")
    first = gazetteer_cache.fingerprint(folder, 5000)
    assert gazetteer_cache.fingerprint(folder, 5000) == first
    assert gazetteer_cache.fingerprint(folder, 15000) != first
    (folder / "places_extra.csv").write_text("name\nMarjah\n", encoding="utf-8")
    assert gazetteer_cache.fingerprint(folder, 5000) != first


def test_the_cached_gazetteer_is_the_one_built(cache):
    load_gazetteer.cache_clear()
    try:
        loaded = load_gazetteer()
        (path,) = cache.glob("*.pickle")
        built = build_gazetteer(DEFAULT_DIR, 5000)
        assert loaded.entries == built.entries and loaded.names == built.names and loaded.folded == built.folded
        assert gazetteer_cache._read(path).entries == built.entries
    finally:
        load_gazetteer.cache_clear()
