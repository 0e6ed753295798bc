"""The stage registry: the stages of a run in order, each a plain function of its run spec.

The CLI runs them all (``run_all``); the Airflow DAG runs one per task (``run_stage``), its
task ids the stage names, with ``extract`` mapped over the planned parts (``extract_part``).
Each stage reads the staged files of the stages before it and writes its own
(``pipeline.layout``); the counts it returns are what goes to XCom.
"""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from typing import Callable, Sequence

from pipeline.runspec import RunSpec

log = logging.getLogger(__name__)

_REGISTRY: dict[str, Callable[[RunSpec], dict]] = {}


def _stage(name: str):
    def register(function: Callable[[RunSpec], dict]) -> Callable[[RunSpec], dict]:
        _REGISTRY[name] = function
        return function
    return register


class EmptyInput(RuntimeError):
    """A candidate with no article: publishing it would replace ``latest`` with an empty version."""


def permanent_failures() -> tuple[type[Exception], ...]:
    """Failures a retry would meet again (broken rules, a failed check, no input): the DAG
    fails their task at once."""
    from pipeline.extract.stage import ExtractionFailed
    from pipeline.validate import ValidationFailed

    return ExtractionFailed, ValidationFailed, EmptyInput


@_stage("load")
def _load(spec: RunSpec) -> dict:
    from pipeline import load

    return load.run_load(spec.load_inputs(), spec.layout, spec.ingested_at, spec.settings.max_input_bytes)


@_stage("clean")
def _clean(spec: RunSpec) -> dict:
    from pipeline import clean

    return clean.run_clean(spec.layout, spec.settings.rules_dir)


def plan_extract(spec: RunSpec) -> list[list[int]]:
    """Row ranges of the cleaned articles, ``spec.extract_rows`` each (None: one part for all)."""
    from pipeline import batches

    layout = spec.layout
    return batches.plan(layout.clean.sources.path, layout.extract.plan, spec.extract_rows)


@_stage("plan")
def _plan(spec: RunSpec) -> dict:
    return {"parts": len(plan_extract(spec))}


def extract_part(spec: RunSpec, part: Sequence[int], workers: int | None = None) -> dict:
    """Extract one planned range of articles into its own part folder, with ``workers``
    processes (default ``Settings.extract_workers``)."""
    from pipeline.extract.stage import run_extract

    settings = spec.settings
    return run_extract(spec.layout, settings.model, settings.batch_size, settings.rules_dir, part=tuple(part),
                       workers=workers or settings.extract_workers)


@_stage("extract")
def _extract(spec: RunSpec) -> dict:
    """Every planned part in turn (the DAG maps ``extract_part`` over the plan instead)."""
    parts = spec.layout.extract.planned_ranges()
    total: dict = {"parts": len(parts)}
    for part in parts:
        for key, value in extract_part(spec, part).items():
            total[key] = total.get(key, 0) + value
    return total


@_stage("merge")
def _merge(spec: RunSpec) -> dict:
    from pipeline import incremental

    counts = incremental.run_merge(spec.layout, spec.root, spec.days)
    if counts["sources"] == 0 and not spec.allow_empty:
        reasons = Counter(spec.layout.candidate.merged.rejects.read(["reason"]).column("reason").to_pylist())
        rejected = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())) or "none"
        raise EmptyInput(f"no article to publish: the input holds no readable article (rejected inputs: {rejected}; "
                         f"read {', '.join(spec.load_inputs()) or 'nothing'}). Publishing would replace latest with "
                         f"an empty version; --allow-empty (the DAG's allow_empty param) does that on purpose")
    return counts


@_stage("dedupe")
def _dedupe(spec: RunSpec) -> dict:
    from pipeline import dedupe

    return dedupe.run_dedupe(spec.layout.candidate, spec.settings.rules_dir)


@_stage("validate")
def _validate(spec: RunSpec) -> dict:
    from pipeline import validate

    return validate.run_validate(spec.layout.candidate, spec.root, spec.run_id)


@_stage("publish")
def _publish(spec: RunSpec) -> dict:
    """Publish the candidate (merged, deduplicated and validated again onto whatever another
    run published meanwhile), drop the staging folder, then render the version's report."""
    from pipeline import fingerprint, incremental, publish

    logic = fingerprint.logic(spec.settings)
    candidate = spec.layout.candidate
    while True:  # each retry means another run published: progress, so this ends
        try:
            result = publish.publish(candidate, spec.root, spec.describe(), logic,
                                     expected_parent=incremental.base_version(candidate))
            break
        except publish.BaseMoved:
            for again in ("merge", "dedupe", "validate"):
                run_stage(again, spec)
    shutil.rmtree(spec.layout.folder, ignore_errors=True)
    return {**result, **render_report(spec.root, result["version_id"], again=not result["unchanged"])}


def render_report(root, version_id: str, again: bool = True) -> dict:
    """Write the version's ``report.html`` (when ``again``, or when it is missing), best effort:
    the version is published already, and a report that fails leaves it as it is
    (``newsevents report`` writes it later). Returns ``report`` (its path, or None) and,
    when it failed, ``report_error``."""
    from pipeline import versions
    from pipeline.report import REPORT_NAME, write_report

    folder = versions.version_dir(root, version_id)
    if not again and (folder / REPORT_NAME).is_file():
        return {"report": str(folder / REPORT_NAME)}
    try:
        return {"report": str(write_report(root, folder))}
    except Exception as error:  # noqa: BLE001 - a report bug must not undo or fail a publish
        log.warning("the report of %s was not written", version_id, exc_info=True)
        return {"report": None, "report_error": f"{type(error).__name__}: {error}"}


STAGES = tuple(_REGISTRY)


def run_stage(stage: str, spec: RunSpec) -> dict:
    """Run one stage of ``spec``; returns the stage's counts (what goes to XCom)."""
    if stage not in _REGISTRY:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    return _REGISTRY[stage](spec)


def run_all(spec: RunSpec, on_stage: Callable[[str, dict], None] | None = None) -> dict:
    """All stages in order; a failing stage raises and nothing is published."""
    result: dict = {}
    for stage in STAGES:
        result = run_stage(stage, spec)
        if on_stage:
            on_stage(stage, result)
    return result
