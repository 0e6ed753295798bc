"""The whole pipeline saved with nlp.to_disk loads with spacy.load from anywhere and gives the same facts."""

import json
import os
import subprocess
import sys

from pipeline.extract.nlp import build_nlp
from pipeline.settings import Settings

# what the loaded pipeline prints: the facts of each text, nothing of the repo imported by hand
LOAD = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
texts = json.loads(sys.stdin.read())
print(json.dumps([[[f.metric, f.value, f.value_low, f.rule, f.subject, f.actor, f.claimed_by, f.modality,
                    getattr(f.place, "place_name", None)] for f in nlp(text)._.facts] for text in texts]))
"""


def test_a_saved_pipeline_loads_outside_the_repo_and_gives_the_same_facts(tmp_path, seed_path):
    nlp = build_nlp(Settings().model)
    nlp.to_disk(tmp_path / "pipeline")
    texts = [seed_path.read_text(encoding="utf-8"), "Two gunmen killed 12 soldiers in Zamfara.",
             "Mosul fell to Islamic State fighters in June 2014."]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", LOAD, str(tmp_path / "pipeline")], input=json.dumps(texts), cwd=elsewhere, env=env,
                         capture_output=True, text=True, check=True).stdout
    expected = [[[f.metric, f.value, f.value_low, f.rule, f.subject, f.actor, f.claimed_by, f.modality,
                  getattr(f.place, "place_name", None)] for f in nlp(text)._.facts] for text in texts]
    assert json.loads(out) == expected and len(expected[0]) >= 10
