"""The rule-driven components save their rules with the pipeline and read them back from it."""

import json

import pytest
import spacy

from pipeline.rules import load_patterns
from tests.fixtures.docs import blank_pipeline, parse, run
from tests.fixtures.parses import PARSES

RULED = ("newsevents_glued_words", "newsevents_quantities", "newsevents_triggers", "newsevents_counting", "newsevents_territory",
         "newsevents_attribution", "newsevents_dates", "newsevents_restatement")


def facts(nlp, text):
    return [(f.metric, f.value, f.rule, f.actor, f.claimed_by, f.modality, f.is_cumulative) for f in run(nlp, parse(nlp.vocab, text))._.facts]


def test_a_saved_pipeline_loads_with_its_own_rules_and_gives_the_same_facts(tmp_path):
    nlp = blank_pipeline(*RULED)
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "newsevents_counting" / "counting.jsonl").exists()
    triggers = tmp_path / "pipeline" / "newsevents_triggers" / "triggers.json"
    table = json.loads(triggers.read_text())
    table["metrics"]["killed"].remove("kill")  # the saved copy, not the repo's, is what the loaded pipeline reads
    triggers.write_text(json.dumps(table))
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    texts = [t for t in PARSES if "killed" not in t and "kill" not in t.lower()]
    assert [facts(loaded, t) for t in texts] == [facts(nlp, t) for t in texts]
    assert facts(nlp, "Two gunmen killed 12 soldiers in Zamfara.") and not facts(loaded, "Two gunmen killed 12 soldiers in Zamfara.")


def test_a_component_called_before_it_has_rules_says_so():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsevents_counting")
    with pytest.raises(RuntimeError, match="no rules"):
        nlp("Twelve soldiers were killed.")


def test_every_pattern_needs_its_own_id(tmp_path):
    (tmp_path / "twice.jsonl").write_text('{"id": "a", "pattern": []}\n{"id": "a", "pattern": []}\n')
    (tmp_path / "none.jsonl").write_text('{"id": "a", "pattern": []}\n{"pattern": []}\n')
    with pytest.raises(ValueError, match="repeat"):
        load_patterns("twice", str(tmp_path))
    with pytest.raises(ValueError, match="line 2"):
        load_patterns("none", str(tmp_path))


def test_the_counting_component_saves_the_people_lexicon_it_reads(tmp_path):
    nlp = blank_pipeline(*RULED)
    nlp.to_disk(tmp_path / "pipeline")
    lexicon = tmp_path / "pipeline" / "newsevents_counting" / "people.csv"
    text = "Gunmen killed three herders and two miners near the mine."
    assert [f.subject for f in run(nlp, parse(nlp.vocab, text))._.facts] == ["civilians", "workers"]
    rows = [row for row in lexicon.read_text(encoding="utf-8").splitlines() if not row.startswith("herder,")]
    lexicon.write_text("\n".join(rows) + "\n", encoding="utf-8")  # the saved copy, not the repo's, is what the loaded pipeline reads
    loaded = spacy.load(tmp_path / "pipeline")
    assert [f.subject for f in run(loaded, parse(loaded.vocab, text))._.facts] == ["workers"]
