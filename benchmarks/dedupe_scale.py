"""Scale benchmark for near-copy detection: time and peak memory at 10k and 100k articles.

Articles are synthetic but made of real text: each draws 8-15 sentences at random from
the sentences of the dev benchmark articles (isaf, idmc, geowebnews, ecbplus), and one
in ten is followed by a near-copy made as in ``benchmarks/syndication.py``. Each size
runs in a fresh process, so peak memory (max RSS) is that size's alone; the time covers
``nearcopies.find_copies`` (shingles, MinHash, LSH, grouping), not building the corpus.
With ``--stage`` the fresh process runs the whole dedupe stage (``dedupe.run_dedupe``, no
mentions) on the corpus written as a staged sources table, one row group as merge writes
it: reading the texts, near-copies, writing the marked sources.
Wall time depends on what else the machine runs; CPU time (one process) is reported too.

    python benchmarks/dedupe_scale.py [--sizes 10000,100000] [--shared PATH] [--stage]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import syndication  # noqa: E402
from pipeline import dedupe, nearcopies  # noqa: E402
from pipeline.layout import Candidate  # noqa: E402

COPY_SHARE = 0.1
LIMITS = {"seconds": 120, "peak_mb": 4096}  # at 100k articles


def corpus(shared: Path, n: int, seed: int = 0) -> list[str]:
    sentences = [s for a in syndication.read_articles(shared) for s in re.split(r"(?<=[.!?])\s+", a["text"]) if len(s) > 30]
    rng = random.Random(seed)
    texts: list[str] = []
    while len(texts) < n:
        texts.append("\n".join(rng.sample(sentences, rng.randint(8, 15))))
        if rng.random() < COPY_SHARE and len(texts) < n:
            texts.append(syndication.make_copy(texts[-1], rng))
    return texts


def measure(shared: Path, n: int) -> dict:
    texts = corpus(shared, n)
    start, cpu = time.monotonic(), time.process_time()
    found = nearcopies.find_copies(texts, list(range(n)))
    seconds, cpu = time.monotonic() - start, time.process_time() - cpu
    return {"articles": n, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "copies_found": sum(o is not None for o in found),
            "mean_chars": round(sum(map(len, texts)) / n), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def write_staging(texts: list[str], staging: Path) -> None:
    """The corpus as a candidate's merged sources, with no mentions (no dates: ranked by id)."""
    ingested = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = [{"source_id": f"s{i:08d}", "content_sha256": "0" * 64, "text": text, "n_chars": len(text),
             "input_uri": f"bench#{i}", "ingested_at": ingested, "credited_agencies": []} for i, text in enumerate(texts)]
    merged = Candidate(staging).merged
    merged.sources.write(rows)
    merged.mentions.write([])


def measure_stage(staging: Path) -> dict:
    start, cpu = time.monotonic(), time.process_time()
    counts = dedupe.run_dedupe(Candidate(staging))
    seconds, cpu = time.monotonic() - start, time.process_time() - cpu
    return {"articles": counts["sources"], "stage": "dedupe", "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "copies_found": counts["duplicates"], "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def run_one(args: argparse.Namespace, n: int) -> dict:
    """One size in a fresh process: find_copies there, or the stage on a staging written here."""
    command = [sys.executable, __file__, "--shared", str(args.shared)]
    if not args.stage:
        out = subprocess.run([*command, "--one", str(n)], capture_output=True, text=True, check=True).stdout
        return json.loads(out)
    with tempfile.TemporaryDirectory() as staging:
        write_staging(corpus(args.shared, n), Path(staging))
        out = subprocess.run([*command, "--stage-of", staging], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--stage", action="store_true", help="time the whole dedupe stage, not find_copies")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in this process
    parser.add_argument("--stage-of", type=Path, help=argparse.SUPPRESS)  # the stage on this staging, here
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.shared, args.one)))
        return 0
    if args.stage_of:
        print(json.dumps(measure_stage(args.stage_of)))
        return 0
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        results.append(run_one(args, n))
        print(json.dumps(results[-1]), flush=True)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"time x{b['seconds'] / a['seconds']:.1f} for articles x{b['articles'] / a['articles']:.0f}")
    last = results[-1]
    print("within limits" if last["seconds"] <= LIMITS["seconds"] and last["peak_mb"] <= LIMITS["peak_mb"]
          else f"over the limits {LIMITS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
