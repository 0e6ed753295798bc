"""Rule tables are data an analyst can point elsewhere (NEWSEVENTS_RULES_DIR)."""

import json
import shutil

from pipeline.extract.nlp import build_nlp
from pipeline.settings import REPO_ROOT, Settings


def test_a_copied_rules_folder_with_an_extra_trigger_changes_the_facts(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO_ROOT / "seeds" / "rules", rules)
    triggers = json.loads((rules / "triggers.json").read_text())
    triggers["metrics"]["killed"].append("vanquish")
    (rules / "triggers.json").write_text(json.dumps(triggers))
    sentence = "The army vanquished 40 fighters in Idlib."
    default = build_nlp(Settings().model)(sentence)._.facts
    custom = build_nlp(Settings().model, str(rules))(sentence)._.facts
    assert [f.metric for f in default] == []
    assert [(f.metric, f.value) for f in custom] == [("killed", 40.0)]
