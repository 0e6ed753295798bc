"""Rule tables are data an analyst can point elsewhere (NEWSEVENTS_RULES_DIR)."""

from pipeline.extract.nlp import build_nlp
from pipeline.settings import Settings
from tests.fixtures.rules import add_trigger, copied_rules


def test_a_copied_rules_folder_with_an_extra_trigger_changes_the_facts(tmp_path):
    rules = copied_rules(tmp_path)
    add_trigger(rules, "killed", "vanquish")
    sentence = "The army vanquished 40 fighters in Idlib."
    default = build_nlp(Settings().model)(sentence)._.facts
    custom = build_nlp(Settings().model, str(rules))(sentence)._.facts
    assert [f.metric for f in default] == []
    assert [(f.metric, f.value) for f in custom] == [("killed", 40.0)]
