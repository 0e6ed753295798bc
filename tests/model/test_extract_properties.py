"""Properties of extraction on hostile text (hypothesis): real sentences with odd numbers,
dates and symbols spliced in. No article raises (an article that did would become an
``extraction_failed`` reject: that is for bugs, and these are inputs), and every row points
inside its article's text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.extract.stage import extract_batch
from pipeline.load import parse_timestamp
from pipeline.settings import Settings

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SENTENCES = [
    "Shelling killed 4 people in Idlib on Monday, medics said.",
    "More than 341 people have died in east Aleppo, including 44 children.",
    "The army would hold nearly 70 percent of east Aleppo, a commander told AFP.",
    "Fighting displaced between 10,000 and 15,000 families last week.",
    "KABUL, Afghanistan (Jan. 25, 2013) - A security force detained two suspected insurgents.",
    "Rebels were about 800 metres away from the old citadel.",
]
ODD = [
    "1" * 400, "9" * 30 + " people were killed", "1e308 killed", "½ of the city", "٣٤١ killed", "-5 killed",
    "10-15-20-30 people", "0.0.0.1", "(((3 killed)))", "nine hundred ninety nine thousand trillion",
    "between 10 and and 15", "a third of a half of a quarter of", "5\u00a0000", "\u200b", "—" * 20,
    "on Dec. 31, 9999 tomorrow", "Jan. 1, 0001 yesterday", "(Dec. 31, 2100) tomorrow", "(Jan. 1, 1900) - yesterday",
    "2100-12-CA-001", "on Feb. 30", "32 December", "on Monday", "last year", "since 2011", "told AFP",
]
TIMESTAMPS = [None, "2016-12-01", "1900-01-01", "2100-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00", "9999-12-31"]

article = st.lists(st.sampled_from(SENTENCES + ODD), min_size=1, max_size=12).map(" ".join)


@PROPERTY
@given(texts=st.lists(article, min_size=1, max_size=3), stamps=st.lists(st.sampled_from(TIMESTAMPS), min_size=3, max_size=3))
def test_no_article_raises_and_every_row_points_into_its_text(texts, stamps):
    days = [published.date() if (published := parse_timestamp(stamp)) else None for stamp in stamps]
    rows = [{"source_id": str(n), "text": text, "reference_date": day, "publisher": None,
             "input_uri": f"mem://{n}", "ingested_at": None} for n, (text, day) in enumerate(zip(texts, days))]
    found = extract_batch(rows, Settings().model, None, batch_size=8)
    assert found["rejects"] == []
    length = {row["source_id"]: len(row["text"]) for row in rows}
    for name in ("quantities", "places", "mentions"):
        assert all(0 <= r["char_start"] < r["char_end"] <= length[r["source_id"]] for r in found[name])
