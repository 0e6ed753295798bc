"""The data dictionary is generated from the schema module and cannot drift from it."""

from __future__ import annotations

import json

from pipeline import dictionary, schema
from pipeline.cli import main
from pipeline.rules import load_rules


def test_committed_dictionary_is_the_generated_one():
    committed = dictionary.DICTIONARY_PATH.read_text(encoding="utf-8")
    assert committed == dictionary.render(), "docs/data-dictionary.md is stale: run `python -m pipeline.dictionary`"


def test_every_column_and_code_is_described():
    facts = dictionary.build()
    undescribed = [(t, c["name"]) for t, table in facts["tables"].items() for c in table["columns"] if not c["description"]]
    assert undescribed == []
    assert [t for t in schema.TABLES if not facts["tables"][t]["description"]] == []
    assert {name: [v for v, meaning in values.items() if not meaning] for name, values in facts["vocabularies"].items()} == \
        {name: [] for name in schema.VOCABULARIES}


def test_dictionary_lists_every_column_with_its_arrow_type():
    text = dictionary.render()
    for table, table_schema in schema.TABLES.items():
        section = text.split(f"\n## {table}\n", 1)[1].split("\n## ", 1)[0]
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert [row.split("`")[1] for row in rows] == table_schema.names
    assert "| `source_ids` | `list<string>` | yes |" in text
    assert "| `published_at` | `timestamp[us, UTC]` |" in text


def test_vague_amounts_come_from_the_number_rules():
    vague = load_rules("numbers")["vague"]
    text = dictionary.render()
    for phrase, rule in vague.items():
        assert f"| {phrase} | {rule['low']:,} |" in text


def test_required_columns_follow_the_suites():
    facts = dictionary.build()
    events = {c["name"]: c["required"] for c in facts["tables"]["events"]["columns"]}
    assert events["event_id"] and events["metric"] and not events["value"] and not events["place_name"]


def test_cli_prints_and_writes_the_dictionary(tmp_path, capsys):
    assert main(["dictionary", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert set(facts["tables"]) == set(schema.TABLES) | set(schema.VERSION_TABLES)
    assert facts["vague_amounts"]["dozens"]["value_low"] == load_rules("numbers")["vague"]["dozens"]["low"]
    target = tmp_path / "dictionary.md"
    assert main(["dictionary", "--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == dictionary.render()
