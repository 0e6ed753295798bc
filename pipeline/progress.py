"""Progress of a CLI run on stderr: a bar on a terminal, one line per stage in logs, or nothing.

stdout stays for results (and ``--json``), so progress never mixes into what a script reads.
"""

from __future__ import annotations

import sys
from typing import Sequence


def choose_mode(quiet: bool, as_json: bool, stream=None) -> str:
    """``bar`` on a terminal, ``lines`` when stderr is a file or pipe, ``off`` when asked to be quiet.

    Plain lines are left out under ``--json`` too: a script reading the JSON wants no chatter.
    """
    stream = stream or sys.stderr
    if quiet:
        return "off"
    if stream.isatty():
        return "bar"
    return "off" if as_json else "lines"


def _summary(counts: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items() if isinstance(v, (int, bool)))


class StageProgress:
    """A context manager fed by ``runner.run_all``'s ``on_stage`` callback after each stage."""

    def __init__(self, stages: Sequence[str], mode: str):
        self.stages, self.mode = list(stages), mode
        self._bar = self._task = None

    def __enter__(self) -> "StageProgress":
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=False)
            self._bar.start()
            self._task = self._bar.add_task(self.stages[0], total=len(self.stages))
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, counts: dict) -> None:
        if self.mode == "lines":
            print(f"[{stage}] {_summary(counts)}", file=sys.stderr, flush=True)
        elif self._bar is not None:
            following = self.stages.index(stage) + 1
            self._bar.console.print(f"[green]✓[/green] {stage:<8} {_summary(counts)}", highlight=False)
            self._bar.update(self._task, advance=1,
                             description=self.stages[following] if following < len(self.stages) else "done")
