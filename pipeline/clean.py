"""Clean stage: normalise text, split title / standfirst / body, strip page furniture.

Character-level normalisation runs on the whole text column with pyarrow compute; the
paragraph logic is per article. Rules (replacements, furniture, credit lines, agencies)
live in ``seeds/rules/cleaning.json``.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.layout import RunLayout
from pipeline.rules import load_rules

_ENGLISH_STOPWORD_SHARE = 0.15
# spaCy's default nlp.max_length: a longer text is no article (a dump, a log) and would
# stop the extract stage for every article of the run.
MAX_ARTICLE_CHARS = 1_000_000


def normalise_column(texts: pa.ChunkedArray | pa.Array, rules: dict) -> pa.ChunkedArray:
    """Unicode NFC, no control characters, one kind of quote and dash, single spaces, at most one blank line."""
    column = pc.utf8_normalize(texts, form="NFC")
    for rule in rules["replacements"]:
        column = pc.replace_substring_regex(column, pattern=rule["pattern"], replacement=rule["replacement"])
    return pc.utf8_trim_whitespace(column)


def paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs; a text with no blank lines is split on its line breaks."""
    blocks = text.split("\n\n") if "\n\n" in text else text.split("\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _is_heading(paragraph: str, max_chars: int) -> bool:
    return len(paragraph) <= max_chars and not paragraph.rstrip().endswith((".", "?", "!", ":", ","))


def split_article(text: str, title: str | None, publisher: str | None, rules: dict) -> dict:
    """Return title, standfirst, publisher, credited agencies and the cleaned text."""
    blocks = paragraphs(text)
    agencies: list[str] = []
    if blocks and blocks[-1].startswith(tuple(rules["credit_prefixes"])):
        credits = [c.strip() for c in blocks.pop().split(":", 1)[1].split(",") if c.strip()]
        known = {a.lower() for a in rules["agencies"]}
        named = [c for c in credits if c.lower() not in known]
        agencies = [c for c in credits if c.lower() in known]
        if named and not publisher:
            publisher = named[0]
        agencies = named[1:] + agencies if named and named[0] == publisher else named + agencies
        agencies = [a for a in agencies if a != publisher]
    blocks = [b for b in blocks if not b.startswith(tuple(rules["furniture_prefixes"]))]

    standfirst = None
    if blocks and (blocks[0] == title or (title is None and _is_heading(blocks[0], rules["title_max_chars"]))):
        title = blocks[0]
        if len(blocks) > 2 and len(blocks[1]) <= rules["standfirst_max_chars"] and blocks[1].count(". ") == 0:
            standfirst = blocks[1]
    return {
        "title": title,
        "standfirst": standfirst,
        "publisher": publisher,
        "credited_agencies": agencies,
        "text": "\n\n".join(blocks),
    }


def guess_language(text: str) -> str:
    """'en' when enough of the words are English function words, else 'und' (undetermined)."""
    words = text.lower().split()[:400]
    if not words:
        return "und"
    share = sum(word.strip(".,;:\"'()") in STOP_WORDS for word in words) / len(words)
    return "en" if share >= _ENGLISH_STOPWORD_SHARE else "und"


def clean_articles(articles: pa.Table, rules: dict) -> tuple[list[dict], list[dict]]:
    """Articles → source rows (without ``duplicate_of``, set by dedupe) and reject rows."""
    texts = normalise_column(articles.column("raw_text"), rules).to_pylist()
    titles = normalise_column(pc.fill_null(articles.column("title"), ""), rules).to_pylist()
    sources, rejects = [], []
    for row, text, title in zip(articles.to_pylist(), texts, titles):
        parts = split_article(text, title or None, row["publisher"], rules)
        if not parts["text"]:
            rejects.append({"input_uri": row["input_uri"], "reason": "empty",
                            "detail": "nothing left after cleaning", "ingested_at": row["ingested_at"]})
            continue
        if len(parts["text"]) > MAX_ARTICLE_CHARS:
            rejects.append({"input_uri": row["input_uri"], "reason": "too_large",
                            "detail": f"{len(parts['text'])} characters after cleaning, more than {MAX_ARTICLE_CHARS}",
                            "ingested_at": row["ingested_at"]})
            continue
        sources.append({
            "source_id": row["source_id"],
            "external_id": row["external_id"],
            "content_sha256": row["content_sha256"],
            "url": row["url"],
            "published_at": row["published_at"],
            "ingested_at": row["ingested_at"],
            "input_uri": row["input_uri"],
            "language": guess_language(parts["text"]),
            "n_chars": len(parts["text"]),
            "duplicate_of": None,
            "reference_date": row["reference_date"],
            "reference_date_source": row["reference_date_source"],
            **parts,
        })
    return sources, rejects


def run_clean(layout: RunLayout, rules_dir: Path) -> dict:
    """Clean stage entry point: ``load/articles`` → ``clean/sources`` and ``clean/rejects``,
    one row group of articles at a time."""
    rules = load_rules("cleaning", str(rules_dir))
    rejects = []
    with layout.clean.sources.writer() as sources:
        for articles in layout.load.articles.batches():
            cleaned, rejected = clean_articles(articles, rules)
            sources.write(cleaned)
            rejects += rejected
    layout.clean.rejects.write(rejects)
    return {"sources": sources.rows, "rejects": len(rejects)}
