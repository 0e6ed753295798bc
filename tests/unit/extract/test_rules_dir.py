"""Rule tables are data an analyst can point elsewhere (NEWSEVENTS_RULES_DIR)."""

import json
import shutil

from pipeline.extract.nlp import build_nlp
from pipeline.settings import REPO_ROOT, Settings


def test_a_copied_rules_folder_with_an_extra_trigger_changes_the_facts(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO_ROOT / "seeds" / "rules", rules)
    facts_rules = json.loads((rules / "facts.json").read_text())
    facts_rules["metrics"]["killed"]["lemmas"].append("vanquish")
    (rules / "facts.json").write_text(json.dumps(facts_rules))
    sentence = "The army vanquished 40 fighters in Idlib."
    default = build_nlp(Settings().model)(sentence)._.facts
    custom = build_nlp(Settings().model, str(rules))(sentence)._.facts
    assert [f.metric for f in default] == []
    assert [(f.metric, f.value) for f in custom] == [("killed", 40.0)]
