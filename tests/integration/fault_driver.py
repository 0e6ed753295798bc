"""Run ``newsevents`` and SIGKILL the process at a chosen point, for the fault-injection tests.

    python -m tests.integration.fault_driver MODULE:ATTR before|after [MATCH ...] -- CLI ARGS
    python -m tests.integration.fault_driver MODULE:ATTR before|after [MATCH ...] -- stage NAME ROOT RUN_ID [INPUT ...]

``MODULE.ATTR`` (a function the pipeline calls through its module, e.g.
``pipeline.tables:write_table`` or ``os:replace``) is wrapped so that the first call whose
arguments contain every MATCH string kills the process before or after the real call.
The product code has no test hooks: this is what a power cut or an OOM kill does to it.
The ``stage`` form runs one stage of a run the way an Airflow task does.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys


def _arm(target: str, when: str, matches: list[str]) -> None:
    module_name, attr = target.split(":")
    module = importlib.import_module(module_name)
    real = getattr(module, attr)

    def wrapper(*args, **kwargs):
        text = " ".join(str(a) for a in (*args, *kwargs.values()))
        hit = all(m in text for m in matches)
        if hit and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if hit:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, attr, wrapper)


def main(argv: list[str]) -> int:
    split = argv.index("--")
    target, when, *matches = argv[:split]
    if when not in ("before", "after"):
        raise SystemExit(f"when is before or after, not {when!r}")
    _arm(target, when, matches)
    command = argv[split + 1:]
    if command[0] == "stage":
        from pipeline import runspec
        from pipeline.runner import run_stage

        stage, root, run_id, *inputs = command[1:]
        run_stage(stage, runspec.build(root=root, inputs=inputs, run_id=run_id))
        return 0
    from pipeline.cli import main as cli

    return cli(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
