"""The README and docs/ say what the code does, where a test can tell: the task chain, the
CLI's commands, flags and exit codes, the settings and the DAG's run parameters."""

from __future__ import annotations

import ast
import re
import shlex

import pytest

from pipeline import cli
from pipeline.runner import STAGES
from tests.conftest import REPO

README = REPO / "README.md"
OPERATIONS = REPO / "docs" / "operations.md"
DOCS = [README, *sorted((REPO / "docs").glob("*.md"))]
DAG_FILE = REPO / "dags" / "curated_events.py"


def _text(path) -> str:
    return path.read_text(encoding="utf-8")


def _chain(text: str) -> list[str]:
    """The first 'a → b → c' chain of words in ``text`` (notes in brackets dropped)."""
    found = re.search(r"\w+(?:\s*(?:\([^)]*\))?\s*→\s*\w+)+", text)
    assert found, "no task chain"
    return re.findall(r"\w+", re.sub(r"\([^)]*\)", "", found.group()))


def test_the_documented_task_chain_is_the_dags():
    diagram = next(line for line in _text(README).splitlines() if "─ load ─" in line)
    assert re.findall(r"─ (\w+)", diagram) == list(STAGES)
    daily = _text(OPERATIONS).split("## The daily DAG", 1)[1]
    assert _chain(daily) == list(STAGES)
    assert _chain(ast.get_docstring(ast.parse(_text(DAG_FILE)))) == list(STAGES)


def _commands() -> dict[str, set[str]]:
    """Each command of the CLI and the options it takes (the global ones included)."""
    parser = cli._parser()
    [subparsers] = [a for a in parser._actions if a.choices and a.dest == "command"]
    return {name: set(command._option_string_actions) for name, command in subparsers.choices.items()}


def _documented_calls() -> list[tuple[str, list[str]]]:
    """``(where, arguments)`` of every `newsevents ...` line in code of the docs."""
    calls = []
    for path in DOCS:
        code = re.findall(r"```[a-z]*\n(.*?)```", _text(path), re.S) + re.findall(r"`([^`\n]+)`", _text(path))
        for block in code:
            for line in block.splitlines():
                for found in re.finditer(r"(?:^|[\s/])newsevents( [^|#]*)", line):
                    calls.append((f"{path.name}: {line.strip()}", shlex.split(found.group(1).replace("\\", ""))))
    return calls


def test_every_documented_command_and_flag_exists():
    commands, calls = _commands(), _documented_calls()
    assert len(calls) > 20
    global_flags = {"--json", "--output", "--help"}
    for where, words in calls:
        flags_before = []
        while words and words[0].startswith("--"):
            flags_before.append(words.pop(0))
            if flags_before[-1] == "--output":
                words.pop(0)
        assert set(flags_before) <= global_flags, where
        if not words or words[0].startswith(("<", "...")):  # prose: `newsevents <command>`
            continue
        command, *rest = words
        assert command in commands, where
        flags = {w.split("=")[0] for w in rest if w.startswith("-") and not w.startswith("-v")}
        assert flags <= commands[command], f"{where}: {sorted(flags - commands[command])}"


def _exit_codes() -> set[int]:
    return {value for name, value in vars(cli).items() if name.startswith("EXIT_")}


def test_exit_codes_are_documented_where_they_are_listed():
    codes = _exit_codes()
    table = {int(n) for n in re.findall(r"^\| (\d+) \|", _text(OPERATIONS), re.M)}
    assert table == codes
    epilog = cli.EXAMPLES.split("exit codes:", 1)[1]
    assert {int(n) for n in re.findall(r"^  (\d+) ", epilog, re.M)} == codes
    readme = _text(README).split("Exit codes:", 1)[1].split("\n\n", 1)[0]
    assert {int(n) for n in re.findall(r"(?<![\w.-])(\d+) (?=[a-z])", readme)} >= codes - {cli.EXIT_INTERRUPTED}


def test_the_settings_table_lists_the_settings_the_code_reads():
    documented = set(re.findall(r"^\| `(NEWSEVENTS_\w+)` \|", _text(README), re.M))
    read = {name for path in (REPO / "pipeline").rglob("*.py") for name in re.findall(r"NEWSEVENTS_[A-Z_]+", _text(path))}
    assert documented == read


@pytest.mark.parametrize("doc", [README, OPERATIONS], ids=lambda p: p.name)
def test_the_dags_run_parameters_are_documented(doc):
    tree = ast.parse(_text(DAG_FILE))
    params = {key.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
              for key, value in zip(node.keys, node.values)
              if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "Param"}
    assert params == {"input", "output", "model", "batch_size", "extract_rows", "allow_empty"}
    mentioned = set(re.findall(r"`(\w+)`", _text(doc)))
    assert params <= mentioned, sorted(params - mentioned)
