"""The validate stage: Great Expectations suites per table, plus the cross-table relations.

Each table is checked against its reviewed suite in ``expectations/<table>.json``; the
invariants that span tables (every mention points at an event and a source, sub-counts
stay below their parent, ...) are checked here in pandas because a GX suite sees one
table. Results go to ``<out_dir>/<table>.json``, ``summary.json`` and Data Docs HTML
under ``<out_dir>/data_docs/``.

Great Expectations is imported inside functions only: importing it takes seconds and
the Airflow DAG file imports this module.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline import schema, versions
from pipeline.datadocs import make_offline
from pipeline.layout import Candidate
from pipeline.settings import Settings
from pipeline.tables import AnyTable, in_memory

DOCS_SITE = "newsevents_docs"  # the ephemeral context already owns a "local_site"
N_EXAMPLES = 5

# An article's local date can be a day ahead of its UTC publication date (UTC+14 at most).
_DATE_SLACK = timedelta(days=1)


@dataclass
class ValidationReport:
    success: bool
    tables: dict[str, dict]  # per table: {"success", "evaluated", "failed": [{expectation, column, summary}]}
    results_dir: Path  # where the JSON results were written
    docs_index: Path | None  # Data Docs index.html
    relations: list[dict] = field(default_factory=list)  # {relation, success, unexpected_count, examples}

    def failures(self) -> list[str]:
        """One line per failed expectation or relation, for logs and exceptions."""
        lines = [
            f"{table}: {f['expectation']}({f['column'] or ''}): {f['summary']}"
            for table, result in self.tables.items()
            for f in result["failed"]
        ]
        lines += [
            f"relation {r['relation']}: {r['unexpected_count']} rows, e.g. {r['examples']}"
            for r in self.relations
            if not r["success"]
        ]
        return lines


class ValidationFailed(Exception):
    """Raised by ``require_valid``; carries the report so callers can publish or show it."""

    def __init__(self, report: ValidationReport):
        self.report = report
        lines = report.failures()
        super().__init__(
            f"validation failed ({len(lines)} checks, results in {report.results_dir}):\n  "
            + "\n  ".join(lines)
        )


def require_valid(report: ValidationReport) -> ValidationReport:
    """Stop the pipeline before publishing anything that broke the contract."""
    if not report.success:
        raise ValidationFailed(report)
    return report


def default_suites_dir() -> Path:
    """The repo's ``expectations/``, unless NEWSEVENTS_EXPECTATIONS_DIR points elsewhere."""
    return Settings.from_env().expectations_dir


def load_suite_dicts(suites_dir: Path | None = None) -> dict[str, dict]:
    """The suite JSON per table name, as written in the repo (no GX needed)."""
    suites_dir = suites_dir or default_suites_dir()
    return {p.stem: json.loads(p.read_text()) for p in sorted(suites_dir.glob("*.json"))}


def run_validate(candidate: Candidate, root: Path, run_id: str) -> dict:
    """The pipeline stage: validate the candidate's tables into its ``validation`` folder.

    A failed candidate is copied with its results to ``<root>/quarantine/<run_id>/`` for
    inspection and ``ValidationFailed`` is raised, so publish never runs on it.
    """
    report = validate_tables(candidate.published(), candidate.validation)
    if not report.success:
        versions.quarantine(root, run_id, candidate.published(), candidate.validation)
    require_valid(report)
    return {
        "success": report.success,
        "expectations": sum(t["evaluated"] for t in report.tables.values()),
        "relations": len(report.relations),
    }


def validate_tables(
    tables: dict[str, AnyTable], out_dir: Path, suites_dir: Path | None = None
) -> ValidationReport:
    """Run every table's suite and the cross-table relations; write results and Data Docs.

    One table is a pandas frame at a time (a staged one is read when its suite runs), and
    the relations read only the columns they join. A relation runs when the tables it
    joins are given with all their contract columns (a missing column already fails that
    table's suite).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    suites = load_suite_dicts(suites_dir)
    missing = sorted(set(tables) - set(suites))
    if missing:
        raise KeyError(f"no expectation suite for tables {missing} in {suites_dir or default_suites_dir()}")

    gx_results, docs_index = _run_suites(tables, {n: suites[n] for n in tables}, out_dir)
    summaries = {name: _summarize(result) for name, result in gx_results.items()}
    complete = {
        name: _frame(in_memory(table, RELATION_COLUMNS[name])) for name, table in tables.items()
        if name in RELATION_COLUMNS and set(schema.TABLES[name].names) <= set(table.schema.names)
    }
    relations = check_relations(complete)

    report = ValidationReport(
        success=all(s["success"] for s in summaries.values()) and all(r["success"] for r in relations),
        tables=summaries,
        results_dir=out_dir,
        docs_index=docs_index,
        relations=relations,
    )
    summary = {
        "success": report.success,
        "tables": summaries,
        "relations": relations,
        "docs_index": str(docs_index.relative_to(out_dir)) if docs_index else None,
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    return report


# Free text read by no relation and only checked not null: one Python string per row would
# cost more than the rest of the sources table (about 135 MB at 100k articles).
_ARROW_BACKED = ("text",)


def _frame(table: pa.Table) -> pd.DataFrame:
    """A table as pandas, numpy-backed (dates become datetime.date objects, timestamps
    datetime64[UTC], lists object arrays, nullable ints float64; the suites only ask not-null
    of list columns), except the ``_ARROW_BACKED`` columns, which stay Arrow arrays in place."""
    kept = [name for name in _ARROW_BACKED if name in table.column_names]
    frame = table.drop_columns(kept).to_pandas()
    for name in kept:
        array = pd.arrays.ArrowExtensionArray(table.column(name))
        frame.insert(table.column_names.index(name), name, pd.Series(array, index=frame.index))
    return frame


def _quiet_gx():
    """Import GX with its INFO chatter off (hundreds of "Skipping registering function" lines)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    # This module sets its own logger to INFO at import time.
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    return gx


def _run_suites(tables: dict[str, AnyTable], suites: dict[str, dict], out_dir: Path):
    """Validate each table with an ephemeral context, as a frame built for its run only;
    write result JSONs and Data Docs."""
    gx = _quiet_gx()
    from great_expectations.core import ExpectationSuite
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # tqdm bars flood task logs
    source = context.data_sources.add_pandas("newsevents")
    results = {}
    for name, table in tables.items():
        suite = ExpectationSuite(**suites[name])
        # GX logs and drops an expectation it cannot build: a typo would silently skip a check.
        dropped = len(suites[name]["expectations"]) - len(suite.expectations)
        if dropped:
            raise ValueError(f"suite {name}: {dropped} expectations did not load (see the GX error logged above)")
        suite = context.suites.add(suite)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        result = definition.run(batch_parameters={"dataframe": _frame(in_memory(table))})
        (out_dir / f"{name}.json").write_text(json.dumps(result.to_json_dict(), indent=2) + "\n")
        results[name] = result

    docs_dir = out_dir / "data_docs"
    context.add_data_docs_site(
        DOCS_SITE,
        {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        },
    )
    context.build_data_docs(site_names=[DOCS_SITE])
    index = docs_dir / "index.html"
    if not index.exists():
        return results, None
    make_offline(docs_dir)  # GX links its styles and scripts from CDNs
    return results, index


def _summarize(result) -> dict:
    """Success, count and the failed expectations of one suite result, in short."""
    failed = []
    for r in result.results:
        if r.success:
            continue
        config = r.expectation_config
        failed.append({"expectation": config.type, "column": _columns(config), "summary": _describe(r)})
    return {"success": bool(result.success), "evaluated": len(result.results), "failed": failed}


def _columns(config) -> str:
    """The column(s) an expectation is about; empty for whole-table expectations."""
    if config.type.startswith("expect_table_"):
        return ""
    kwargs = config.kwargs
    return kwargs.get("column") or ", ".join(kwargs.get("column_list") or (kwargs["column_A"], kwargs["column_B"]))


def _describe(r) -> str:
    """A one-line reason: the error GX hit, the mismatch, or the unexpected values."""
    info = r.exception_info or {}
    # A flat dict for the expectation itself, or one dict per metric that failed to compute.
    errors = [info] if "raised_exception" in info else list(info.values())
    messages = sorted({e["exception_message"] for e in errors if e.get("raised_exception")})
    if messages:
        return "error: " + "; ".join(messages)
    res = r.result or {}
    if "unexpected_count" in res:
        return (
            f"{res['unexpected_count']} of {res['element_count']} rows unexpected,"
            f" e.g. {res.get('partial_unexpected_list', [])[:N_EXAMPLES]}"
        )
    if "mismatched" in res.get("details", {}):
        return f"mismatched {res['details']['mismatched']}"
    return f"observed {res.get('observed_value')}"


# The columns check_relations reads, per table.
RELATION_COLUMNS = {
    "events": ["event_id", "parent_event_id", "value", "value_high", "source_ids", "event_date_start", "incident_id"],
    "mentions": ["mention_id", "parent_mention_id", "event_id", "source_id", "char_end", "event_date_start", "incident_id"],
    "incidents": ["incident_id", "source_ids", "event_ids"],
    "sources": ["source_id", "duplicate_of", "input_uri", "n_chars", "published_at"],
    "places": ["source_id", "char_end"],
    "quantities": ["source_id", "char_end"],
    "rejects": ["input_uri"],
    "changes": ["event_id", "change"],
}


def check_relations(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """Invariants that join tables, which a GX suite (one table) cannot express."""
    checks = []
    events, mentions, sources = (frames.get(n) for n in ("events", "mentions", "sources"))
    if events is not None:
        subs = events[events["parent_event_id"].notna()]
        checks.append(_relation(
            "events.parent_event_id in events.event_id",
            _dangling(subs, "parent_event_id", events["event_id"]), "event_id",
        ))
        pairs = subs.merge(events[["event_id", "value", "value_high"]], left_on="parent_event_id", right_on="event_id",
                           suffixes=("", "_parent"))
        # a parent reconciled from disagreeing sources may have a best below one source's sub-count
        bound = pairs[["value_parent", "value_high_parent"]].max(axis=1)
        checks.append(_relation(
            "sub-count value <= parent value or value_high", pairs[pairs["value"] > bound], "event_id",
        ))
    if mentions is not None:
        subs = mentions[mentions["parent_mention_id"].notna()]
        checks.append(_relation(
            "mentions.parent_mention_id in mentions.mention_id",
            _dangling(subs, "parent_mention_id", mentions["mention_id"]), "mention_id",
        ))
    if mentions is not None and events is not None:
        checks.append(_relation(
            "mentions.event_id in events.event_id",
            _dangling(mentions, "event_id", events["event_id"]), "mention_id",
        ))
    checks += _incident_relations(frames)
    changes = frames.get("changes")
    if changes is not None and events is not None:
        present = changes["event_id"].isin(set(events["event_id"]))
        removed = changes["change"] == "removed"
        checks.append(_relation(
            "changes: added and changed events in events.event_id, removed ones not",
            changes[(present == removed) | ~changes["change"].isin(schema.CHANGE_KINDS)], "event_id",
        ))
    if sources is None:
        return checks
    copies = sources[sources["duplicate_of"].notna()]
    checks.append(_relation(
        "sources.duplicate_of in sources.source_id",
        _dangling(copies, "duplicate_of", sources["source_id"]), "source_id",
    ))
    rejects = frames.get("rejects")
    if rejects is not None:
        checks.append(_relation(
            "sources.input_uri not in rejects.input_uri (an input is a source or a reject, not both)",
            sources[sources["input_uri"].isin(set(rejects["input_uri"]))], "input_uri",
        ))
    n_chars = sources.drop_duplicates("source_id").set_index("source_id")["n_chars"]
    for name in ("mentions", "places", "quantities"):
        if (spans := frames.get(name)) is not None:
            # a span of an unknown source fails "source_id in sources" already; NaN compares False
            outside = spans["char_end"] > _lookup(n_chars, spans["source_id"])
            checks.append(_relation(f"{name} spans lie within their source's text", spans[outside], "source_id"))
    published = _day(sources.drop_duplicates("source_id").set_index("source_id")["published_at"])
    if mentions is not None:
        checks.append(_relation(
            "mentions.source_id in sources.source_id",
            _dangling(mentions, "source_id", sources["source_id"]), "mention_id",
        ))
        late = _day(mentions["event_date_start"]) > _lookup(published, mentions["source_id"]) + _DATE_SLACK
        checks.append(_relation(
            "mentions.event_date_start <= its source's published_at date", mentions[late], "mention_id",
        ))
    if events is not None:
        cited = events[["event_id", "source_ids"]].explode("source_ids").dropna()
        checks.append(_relation(
            "events.source_ids in sources.source_id",
            _dangling(cited, "source_ids", sources["source_id"]), "event_id",
        ))
        # An event merges mentions of several sources: it cannot start after the last was published.
        # Its reports include copies (duplicate_of), which it does not cite but whose dates it may take.
        reports = cited.rename(columns={"source_ids": "source_id"})
        if mentions is not None:
            reports = pd.concat([reports, mentions[["event_id", "source_id"]]], ignore_index=True)
        last = _lookup(published, reports["source_id"]).groupby(reports["event_id"]).max()
        late = _day(events["event_date_start"]) > _lookup(last, events["event_id"]) + _DATE_SLACK
        checks.append(_relation(
            "events.event_date_start <= its reports' last published_at date", events[late], "event_id",
        ))
    return checks


def _incident_relations(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """Mentions and events point up to an incident that exists; an incident's sources and events exist."""
    incidents = frames.get("incidents")
    if incidents is None:
        return []
    checks = []
    for name, id_column in (("mentions", "mention_id"), ("events", "event_id")):
        if (below := frames.get(name)) is not None:
            pointing = below[below["incident_id"].notna()]
            checks.append(_relation(f"{name}.incident_id in incidents.incident_id",
                                    _dangling(pointing, "incident_id", incidents["incident_id"]), id_column))
    for column, name, key in (("source_ids", "sources", "source_id"), ("event_ids", "events", "event_id")):
        if (table := frames.get(name)) is not None:
            cited = incidents[["incident_id", column]].explode(column).dropna()
            checks.append(_relation(f"incidents.{column} in {name}.{key}", _dangling(cited, column, table[key]), "incident_id"))
    return checks


def _day(values: pd.Series) -> pd.Series:
    """Dates and UTC timestamps as naive midnight datetimes (NaT for null), so they compare."""
    values = pd.to_datetime(values)
    return (values.dt.tz_localize(None) if values.dt.tz else values).dt.normalize()


def _lookup(by_key: pd.Series, keys: pd.Series) -> pd.Series:
    """``by_key[key]`` for each key, aligned with ``keys`` (NaT when absent); keeps the dtype."""
    return by_key.reindex(keys.to_numpy()).set_axis(keys.index)


def _dangling(frame: pd.DataFrame, column: str, keys: pd.Series) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` is not among ``keys``."""
    return frame[~frame[column].isin(set(keys))]


def _relation(name: str, bad: pd.DataFrame, id_column: str) -> dict:
    return {
        "relation": name,
        "success": bad.empty,
        "unexpected_count": len(bad),
        "examples": bad[id_column].head(N_EXAMPLES).tolist(),
    }
