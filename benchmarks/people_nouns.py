"""What the WordNet people lexicon would add to the ``subjects`` map, measured on the dev texts (a harness, not a test).

It runs the plain model over each benchmark's dev articles and takes every noun a count could
fall on: one that a number modifies (a ``nummod`` child: 'three bandits') or that is the object or
passive subject of a verb of the killed, injured or detained metrics ('killed a jawan', 'two
constables were wounded'); a proper noun only when it is no name ('two Kurds', not 'Haji Mama'). For each such noun it asks the current ``subjects`` map (lemma, then
the lower-cased word, as the fact extractor does) and the lexicon (the compound with its head first:
'security forces', 'police officer'; then lemma, then word). Nothing is wired into the pipeline.

    python benchmarks/people_nouns.py [--bench isaf,lgl] [--shared PATH] [--json FILE] [--examples 40]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.eval import HALVES, halves, read_jsonl  # noqa: E402
from pipeline.extract.lexicon import person_class  # noqa: E402
from pipeline.rules import load_rules  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

BENCHES = ("isaf", "idmc", "ecbplus", "lgl", "geowebnews")
METRICS = ("killed", "injured", "detained")  # the verbs whose object is someone harmed or held
NOUN_TAGS = ("NN", "NNS", "NNP", "NNPS")
NAME_ENTITIES = ("", "NORP")  # a proper noun is a class noun outside a named entity, or as a group of people ('two Kurds')


def candidates(doc, verbs: set[str]):
    """(noun, how) for every noun a count could fall on: 'nummod' or 'object'."""
    for token in doc:
        if token.tag_ not in NOUN_TAGS or token.tag_ in ("NNP", "NNPS") and _is_name(token):
            continue
        if any(c.dep_ == "nummod" for c in token.children):
            yield token, "nummod"
        elif token.dep_ in ("dobj", "nsubjpass") and token.head.pos_ == "VERB" and token.head.lemma_.lower() in verbs:
            yield token, "object"


def _is_name(token) -> bool:
    """'killing Malawi Sahib', 'Internet Explorer': a proper noun in a named entity other than a group
    of people (NORP), or after another proper noun."""
    return token.ent_type_ not in NAME_ENTITIES or any(
        c.dep_ == "compound" and c.tag_ in ("NNP", "NNPS") for c in token.children) and token.ent_type_ != "NORP"


def current_class(noun, subjects: dict) -> str | None:
    return subjects.get(noun.lemma_.lower()) or subjects.get(noun.lower_)


def lexicon_class(noun) -> str | None:
    compounds = [c for c in noun.children if c.dep_ == "compound" and c.i == noun.i - 1]
    keys = [f"{compounds[0].lower_} {noun.lemma_}", f"{compounds[0].lower_} {noun.lower_}"] if compounds else []
    return next((c for key in (*keys, noun.lemma_, noun.lower_) if (c := person_class(key))), None)


def measure(bench: str, shared: Path, nlp, subjects: dict, verbs: set[str]) -> dict:
    dev = shared / "benchmarks" / bench / "dev"
    articles = read_jsonl(dev / "articles.jsonl")
    split = halves(bench, read_jsonl(dev / "gold.jsonl"))
    counts = {part: Counter() for part in ("all", *HALVES)}
    added, neither = Counter(), Counter()
    contexts: dict[str, str] = {}
    for article, doc in zip(articles, nlp.pipe((a["text"] for a in articles), batch_size=32)):
        for noun, how in candidates(doc, verbs):
            current, lexicon = current_class(noun, subjects), lexicon_class(noun)
            kind = "both" if current and lexicon else "current_only" if current else "added" if lexicon else "neither"
            for part in ("all", split[article["id"]]):
                counts[part][kind] += 1
                counts[part][how] += 1
            key = f"{noun.lemma_.lower()} → {lexicon}" if kind == "added" else noun.lemma_.lower()
            if kind == "added":
                added[key] += 1
                contexts.setdefault(key, f"{bench}: …{doc[max(noun.sent.start, noun.i - 6):noun.i + 3].text}…")
            elif kind == "neither" and noun.tag_ in ("NNS", "NNPS"):
                neither[key] += 1
    return {"counts": {part: dict(c) for part, c in counts.items()}, "added": added, "neither": neither, "contexts": contexts}


def share(c: Counter | dict, kind: str) -> str:
    total = sum(c.get(k, 0) for k in ("both", "current_only", "added", "neither"))
    return f"{c.get(kind, 0):>6} ({c.get(kind, 0) / total:6.1%})" if total else "     0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=",".join(BENCHES))
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="folder holding benchmarks/")
    parser.add_argument("--json", type=Path, help="write every figure and list here")
    parser.add_argument("--examples", type=int, default=40, help="how many added and missed lemmas to list")
    args = parser.parse_args(argv)

    import spacy

    nlp = spacy.load(Settings().model)
    rules = load_rules("facts")
    subjects = rules["subjects"]
    verbs = {lemma for metric in METRICS for lemma in rules["metrics"][metric]["lemmas"]}
    results, added, neither, contexts = {}, Counter(), Counter(), {}
    print(f"{'bench':<11} {'part':<4} {'nouns':>6} {'map covers':>15} {'lexicon adds':>15} {'map only':>15} {'neither':>15}")
    for bench in args.bench.split(","):
        res = measure(bench, args.shared, nlp, subjects, verbs)
        results[bench] = res["counts"]
        added.update(res["added"])
        neither.update(res["neither"])
        for key, text in res["contexts"].items():
            contexts.setdefault(key, text)
        for part, c in res["counts"].items():
            covered = {"both": c.get("both", 0) + c.get("current_only", 0), **c}
            total = sum(c.get(k, 0) for k in ("both", "current_only", "added", "neither"))
            print(f"{bench:<11} {part:<4} {total:>6} {share(covered, 'both'):>15} {share(c, 'added'):>15}"
                  f" {share(c, 'current_only'):>15} {share(c, 'neither'):>15}")
    by_class = Counter()
    for key, n in added.items():
        by_class[key.split(" → ")[1]] += n
    print("\nadded by the lexicon, by class: " + ", ".join(f"{c} {n}" for c, n in by_class.most_common()))
    print(f"\nadded by the lexicon, by lemma ({len(added)} lemmas, {sum(added.values())} nouns):")
    for key, n in added.most_common(args.examples):
        print(f"  {n:>4}  {key:<34} {contexts[key]}")
    print(f"\nplural nouns neither covers ({len(neither)} lemmas, {sum(neither.values())} nouns):")
    print("  " + ", ".join(f"{key} {n}" for key, n in neither.most_common(args.examples)))
    if args.json:
        args.json.write_text(json.dumps({"counts": results, "added": dict(added.most_common()), "contexts": contexts,
                                         "neither_plural": dict(neither.most_common())}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
