"""Error listing for the numeric benchmarks: per document, gold beside what we published.

Reads an output root written by ``eval.py --out DIR`` (so no pipeline run of its own) and
prints only the documents a scorer counts as wrong, with the mentions or quantities behind
our figure, so that errors can be grouped into causes.

    python benchmarks/errors.py isaf /tmp/eval [--field killed|captured|date]
    python benchmarks/errors.py idmc /tmp/eval
    python benchmarks/errors.py newsquant /tmp/eval [--change]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import scoring  # noqa: E402
from benchmarks.eval import load_tables, read_jsonl  # noqa: E402


def _mention(m: dict) -> str:
    value = m.get("value") if m.get("value") is not None else (m.get("value_low"), m.get("value_high"))
    flags = [f for f in (m.get("modality") if m.get("modality") != "asserted" else None,
                         "sub" if m.get("parent_mention_id") else None) if f]
    return (f"    {m.get('metric')}={value} {m.get('qualifier')} ev={str(m.get('event_id'))[:6]} "
            f"date={m.get('event_date_start')} {' '.join(flags)} | {m.get('text')!r}")


def isaf(tables: dict, gold: list[dict], field: str) -> None:
    mentions = scoring.doc_rows(tables.get("mentions"), tables.get("sources"))
    sources = {s["external_id"]: s for s in scoring.rows(tables.get("sources"))}
    sub_events = {e.get("event_id") for e in scoring.rows(tables.get("events")) if e.get("parent_event_id")}
    metric = {"killed": "killed", "captured": "detained"}.get(field)
    for g in gold:
        ms = mentions.get(g["id"], [])
        if metric:
            ours, want = scoring._doc_count(ms, metric, sub_events), g[f"{field}_min"]
            if ours == want:
                continue
            print(f"{g['id']} gold {field}={want} ours={ours}")
            shown = [m for m in ms if m.get("metric") == metric]
        else:
            if not (g["killed_min"] or g["captured_min"]):
                continue
            counts = [m for m in ms if m.get("metric") in ("killed", "detained")]
            if any(str(m.get("event_date_start")) == g["event_date"] for m in counts):
                continue
            print(f"{g['id']} gold date={g['event_date']} published={sources.get(g['id'], {}).get('published_at')}")
            shown = counts
        for m in shown:
            print(_mention(m))
        print("   ", " ".join(str(sources.get(g["id"], {}).get("text", "")).split())[:1500])
        print()


def idmc(tables: dict, gold: list[dict]) -> None:
    mentions = scoring.doc_rows(tables.get("mentions"), tables.get("sources"))
    quantities = scoring.doc_rows(tables.get("quantities"), tables.get("sources"))
    sources = {s["external_id"]: s for s in scoring.rows(tables.get("sources"))}
    for g in gold:
        ms = mentions.get(g["id"], [])
        facts = [m for m in ms if m.get("metric") in scoring.IDMC_METRICS]
        if any(scoring.close(v, g["value"], 0.005) for v in scoring._figures(facts)):
            continue
        qs = [q for q in quantities.get(g["id"], []) if any(scoring.close(v, g["value"], 0.005) for v in scoring._figures([q]))]
        print(f"{g['id']} gold {g['value']} {g['term']} {g['unit']} | quantity: "
              f"{[(q['text'], q['normalized_unit']) for q in qs] or 'none'}")
        for m in ms:
            print(_mention(m))
        print("   ", " ".join(str(sources.get(g["id"], {}).get("text", "")).split())[:1200])
        print()


def newsquant(tables: dict, gold: list[dict], change: bool) -> None:
    quantities = scoring.doc_rows(tables.get("quantities"), tables.get("sources"))
    sources = {s["external_id"]: s for s in scoring.rows(tables.get("sources"))}
    same = scoring._same_change if change else scoring._same_value
    for g in gold:
        ours = quantities.get(g["id"], [])
        n = scoring._matched(ours, g["quantities"], same)
        if n == len(ours) == len(g["quantities"]):
            continue
        print(f"{g['id']} {sources.get(g['id'], {}).get('text')}")
        print("   gold:", [(q["value"] if q["value"] is not None else q["range"], q["qualifier"], q["unit"]) for q in g["quantities"]])
        print("   ours:", [(q["value"] if q["value"] is not None else (q["value_low"], q["value_high"]),
                            q["direction"] or scoring._CHANGE.get(q["qualifier"]), q["text"]) for q in ours])
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", choices=("isaf", "idmc", "newsquant"))
    parser.add_argument("out", type=Path, help="the --out root of eval.py")
    parser.add_argument("--field", default="killed", choices=("killed", "captured", "date"))
    parser.add_argument("--change", action="store_true", help="newsquant: require the change label too")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    gold = read_jsonl(args.shared / "benchmarks" / args.bench / "dev" / "gold.jsonl")
    tables = load_tables(args.out / args.bench)
    if args.bench == "isaf":
        isaf(tables, gold, args.field)
    elif args.bench == "idmc":
        idmc(tables, gold)
    else:
        newsquant(tables, gold, args.change)


if __name__ == "__main__":
    main()
