import pyarrow as pa

from pipeline import clean
from pipeline.rules import load_rules
from pipeline.settings import Settings

RULES = load_rules("cleaning", str(Settings().rules_dir))


def test_normalise_quotes_spaces_and_line_separators():
    column = pa.array(["Syria\u2019s \u201cwar\u201d\u00a0 goes on\u2028next  line , here"])
    assert clean.normalise_column(column, RULES).to_pylist() == ['Syria\'s "war" goes on\nnext line, here']


def test_split_title_standfirst_furniture_and_credits():
    text = ("Army tightens grip on district\n\nForces close in on a key district.\n\n"
            "Forces advanced on Tuesday. Rebels fled.\n\nOPINION: Something else entirely\n\n"
            "More body text.\n\nSource: Al Jazeera, News Agencies")
    parts = clean.split_article(text, None, None, RULES)
    assert parts["title"] == "Army tightens grip on district"
    assert parts["standfirst"] == "Forces close in on a key district."
    assert parts["publisher"] == "Al Jazeera"
    assert parts["credited_agencies"] == ["News Agencies"]
    assert "OPINION" not in parts["text"] and "Source:" not in parts["text"]
    assert parts["text"].endswith("More body text.")


def test_given_publisher_is_kept_and_language_guessed():
    parts = clean.split_article("Body of the story is here and it is in English.\n\nSource: Reuters", None, "The Times", RULES)
    assert parts["publisher"] == "The Times"
    assert parts["credited_agencies"] == ["Reuters"]
    assert clean.guess_language(parts["text"]) == "en"
    assert clean.guess_language("Les forces syriennes ont pris le quartier") == "und"
