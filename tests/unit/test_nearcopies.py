"""Near-copy detection: the rules on small texts, then a small syndication benchmark on real articles."""

import random
import re

from benchmarks import syndication
from pipeline import nearcopies
from tests.conftest import SEED

STORY = [
    "Twelve people were killed and 30 wounded when shells hit a crowded market in Idlib on Monday, "
    "according to rescue workers at the scene.",
    "The attack came hours after government forces announced a new offensive in the south of the province, "
    "where rebels have held several towns since last year.",
    "A spokesman for the civil defence said the toll could rise because several of the wounded were in a "
    "critical condition and hospitals lacked supplies.",
    "Residents said the market had been busy with people buying food before the start of the weekend, "
    "and that two buildings collapsed after the strike.",
    "The United Nations has repeatedly warned that fighting in the area puts the lives of three million "
    "civilians at risk, many of whom have fled before.",
]
OTHER = [
    "Aid agencies delivered food and medicine to a camp near the Turkish border on Tuesday, where thousands "
    "of families have sheltered since the winter.",
    "Officials said the convoy of forty trucks crossed without incident and that a second delivery was "
    "planned for next week if roads stay open.",
    "The camp lacks clean water and heating, and doctors there reported a rise in respiratory infections "
    "among children during the cold weeks.",
]


def test_shingles_ignore_case_spacing_and_punctuation():
    a = nearcopies.shingles("Twelve people  were KILLED, officials said.")
    b = nearcopies.shingles("twelve people were killed officials said")
    assert a.tolist() == b.tolist() and len(a) == 2


def test_syndicated_versions_are_copies_of_the_earliest():
    original = "\n".join(STORY)
    rehead = "Market Strike Kills Twelve In Idlib\n" + "\n".join(STORY[:4]) + "\nSource: Reuters"
    reordered = "\n".join([STORY[0], STORY[2], STORY[1], STORY[3], STORY[4]]).replace("Monday", "Monday morning")
    other = "\n".join(OTHER)
    texts = [reordered, other, original, rehead]
    rank = [3, 4, 1, 2]  # e.g. publication order: the original first
    assert nearcopies.find_copies(texts, rank) == [2, None, None, 2]


def test_result_does_not_depend_on_input_order():
    texts = ["\n".join(STORY), "\n".join(STORY[1:]), "\n".join(OTHER), "\n".join(STORY[:4])]
    ids = ["s1", "s2", "s3", "s4"]
    expected = {ids[i]: (ids[o] if o is not None else None)
                for i, o in enumerate(nearcopies.find_copies(texts, ids))}
    order = list(range(len(texts)))
    random.Random(3).shuffle(order)
    found = nearcopies.find_copies([texts[i] for i in order], [ids[i] for i in order])
    assert {ids[i]: (ids[order[o]] if o is not None else None) for i, o in zip(order, found)} == expected
    assert expected == {"s1": None, "s2": "s1", "s3": None, "s4": "s1"}


def test_distinct_reports_on_one_topic_are_not_copies():
    assert nearcopies.find_copies(["\n".join(STORY), "\n".join(OTHER), "", "x"], [0, 1, 2, 3]) == [None] * 4


def test_small_syndication_benchmark_on_real_articles(shared_benchmarks):
    """The benchmark of ``benchmarks/syndication.py`` on two of its sources, one copy each."""
    articles = syndication.read_articles(shared_benchmarks.parent, ("isaf", "ecbplus"))
    docs, _ = syndication.build_corpus(articles[::4], copies=1)
    figures = syndication.score(docs)
    assert figures["copies"] >= 80
    assert figures["recall"] >= 0.95 and figures["precision"] >= 0.99, figures


def _reference_pairs(texts):
    """Near-copy pairs as datasketch computes them with one MinHash object per text (the
    pre-streaming implementation): the array signatures must find exactly these."""
    from datasketch import MinHash, MinHashLSH

    sigs = []
    for text in texts:
        sig = MinHash(num_perm=nearcopies.NUM_PERM, seed=nearcopies.SEED, hashfunc=int)
        sig.update_batch(nearcopies.shingles(text).tolist())
        sigs.append(sig)
    lsh = MinHashLSH(threshold=nearcopies.LSH_THRESHOLD, num_perm=nearcopies.NUM_PERM)
    for i, sig in enumerate(sigs):
        if not sig.is_empty():
            lsh.insert(i, sig)
    return sorted((i, j) for i, sig in enumerate(sigs) if not sig.is_empty()
                  for j in lsh.query(sig) if j > i and sig.jaccard(sigs[j]) >= nearcopies.COPY_JACCARD)


def _articles_from_repo_texts(n: int = 40) -> list[dict]:
    """Articles of 8 to 12 sentences drawn from the seed article and the stories above, one a
    paragraph: distinct texts on one topic, as a syndication corpus needs."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join([SEED.read_text(encoding="utf-8"), *STORY, *OTHER]))
                 if len(s) > 30]
    rng = random.Random(7)
    return [{"id": f"a{i}", "text": "\n".join(rng.sample(sentences, rng.randint(8, 12)))} for i in range(n)]


def test_array_signatures_find_the_pairs_minhash_objects_find():
    docs, _ = syndication.build_corpus(_articles_from_repo_texts(), copies=1)
    texts = [d["text"] for d in docs] + ["", "x"]
    stream = iter(texts)  # read once, as dedupe streams texts from disk
    sigs = nearcopies.signatures(stream)
    assert sigs.shape == (len(texts), nearcopies.NUM_PERM) and next(stream, None) is None
    pairs = list(nearcopies.copy_pairs(sigs))
    assert len(pairs) >= 20
    assert pairs == _reference_pairs(texts)
