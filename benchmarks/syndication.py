"""Syndication benchmark: are near-copies of real articles found, and only they?

Originals are the dev articles of isaf, idmc, geowebnews and ecbplus with at least
``MIN_WORDS`` words: press releases from one office, displacement reports and several
reports of one event (ECB+) are distinct articles on similar topics, the hard negatives.
Each original gets ``COPIES`` generated near-copies, each with a random mix of what a
syndicating site does: a new headline, an agency credit, dropped trailing or inner
paragraphs (a quarter of the words at most), two paragraphs swapped, a few words
edited. Copies are published after
their original, so the original is the one to keep.

Pool articles that already share ``COPY_JACCARD`` or more of their shingles with another
pool article (ECB+ carries a few real agency copies, which its gold does not label) are
set aside and counted, so that every pair scored as a negative really is distinct.

    python benchmarks/syndication.py [--shared PATH] [--json FILE]

Recall: generated copies marked ``duplicate_of`` their own original. Precision: of all
sources marked ``duplicate_of``, those pointing at the right original. Targets 0.98 / 0.99.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import nearcopies  # noqa: E402

BENCHES = ("isaf", "idmc", "geowebnews", "ecbplus")
MIN_WORDS = 80
COPIES = 2
MAX_DROPPED = 0.25
WORDS_PER_EDIT = 40
HEADLINE_WORDS = 20
AGENCIES = ("Reuters", "AFP", "AP", "Xinhua", "dpa")
EDITS = {"said": "stated", "killed": "left dead", "people": "persons", "Monday": "on Monday",
         "attack": "assault", "forces": "troops", "government": "authorities"}  # else the word is garbled
TARGETS = {"recall": 0.98, "precision": 0.99}


def read_articles(shared: Path, benches=BENCHES) -> list[dict]:
    out = []
    for bench in benches:
        with (shared / "benchmarks" / bench / "dev" / "articles.jsonl").open(encoding="utf-8") as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _words(paras: list[str]) -> int:
    return sum(len(p.split()) for p in paras)


def make_copy(text: str, rng: random.Random) -> str:
    """A syndicated version of ``text``: each change is applied with some probability.

    Bounded as a light edit is: dropped paragraphs hold at most ``MAX_DROPPED`` of the
    words, and at most one word in ``WORDS_PER_EDIT`` is edited (five at most).
    """
    paras = _paragraphs(text)
    budget = MAX_DROPPED * _words(paras)
    if rng.random() < 0.5:  # re-headlined: a headline made of the lead's words replaces or heads it
        lead = next((p for p in paras if len(p.split()) > HEADLINE_WORDS), paras[0])
        headline = " ".join(lead.split()[:rng.randint(5, 9)]).rstrip(".,").title()
        if len(paras[0].split()) <= HEADLINE_WORDS:
            paras[0] = headline
        else:
            paras.insert(0, headline)
    drops = []
    if rng.random() < 0.4:  # trimmed: the last paragraph or two cut
        drops += list(range(len(paras) - rng.randint(1, 2), len(paras)))
    if rng.random() < 0.4 and len(paras) >= 3:  # an inner paragraph dropped
        drops.append(rng.randrange(1, len(paras) - 1))
    for i in sorted(set(drops), reverse=True):
        if 0 < i < len(paras) and len(paras[i].split()) <= budget:
            budget -= len(paras[i].split())
            del paras[i]
    if rng.random() < 0.4 and len(paras) >= 4:  # two paragraphs swapped
        i = rng.randrange(1, len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    words = "\n".join(paras).split(" ")
    for _ in range(rng.randint(0, min(5, len(words) // WORDS_PER_EDIT))):  # a few words edited
        i = rng.randrange(len(words))
        words[i] = EDITS.get(words[i], words[i][::-1])
    text = " ".join(words)
    if rng.random() < 0.6:  # an agency credit
        agency = rng.choice(AGENCIES)
        text = f"({agency}) - {text}" if rng.random() < 0.5 else f"{text}\nSource: {agency}"
    return text


def build_corpus(articles: list[dict], copies: int = COPIES, seed: int = 0) -> tuple[list[dict], int]:
    """Originals (distinct) and their generated copies; returns the docs and the number set aside."""
    pool = [a for a in articles if len(a["text"].split()) >= MIN_WORDS]
    sets = [set(nearcopies.shingles(a["text"]).tolist()) for a in pool]
    aside = set()
    for i, j in itertools.combinations(range(len(pool)), 2):  # exact Jaccard, only to choose negatives
        union = len(sets[i] | sets[j])
        if union and len(sets[i] & sets[j]) / union >= nearcopies.COPY_JACCARD:
            aside.update((i, j))
    base = datetime(2020, 1, 1, tzinfo=timezone.utc)
    docs = []
    for i, a in enumerate(pool):
        if i in aside:
            continue
        docs.append({"id": a["id"], "text": a["text"], "published_at": base, "original": None})
        rng = random.Random(f"{seed}:{a['id']}")
        for c in range(copies):
            docs.append({"id": f"{a['id']}~copy{c}", "text": make_copy(a["text"], rng),
                         "published_at": base + timedelta(hours=c + 1), "original": a["id"]})
    return docs, len(aside)


def score(docs: list[dict]) -> dict:
    """Run the detector; recall over generated copies, precision over everything it marked."""
    rank = [(d["published_at"], d["id"]) for d in docs]
    found = nearcopies.find_copies([d["text"] for d in docs], rank)
    marked = [(d, docs[o]["id"]) for d, o in zip(docs, found) if o is not None]
    copies = [d for d in docs if d["original"]]
    right = sum(d["original"] == o for d, o in marked)
    return {
        "originals": len(docs) - len(copies),
        "copies": len(copies),
        "marked": len(marked),
        "recall": right / len(copies) if copies else 0.0,
        "precision": right / len(marked) if marked else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    docs, aside = build_corpus(read_articles(args.shared))
    start = time.monotonic()
    figures = {"set_aside": aside, **score(docs), "seconds": round(time.monotonic() - start, 1)}
    for name, value in figures.items():
        target = f"  >= {TARGETS[name]} {'PASS' if value >= TARGETS[name] else 'FAIL'}" if name in TARGETS else ""
        print(f"{name:<10} {value:>8.3f}{target}" if isinstance(value, float) else f"{name:<10} {value:>8}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
