"""Rule tables are data: files in a rules folder, read once per process.

``<name>.json`` is a table (word lists, settings an analyst edits); ``<name>.jsonl`` holds
patterns, one JSON object a line, each with an ``id``. The default folder is the repo's
``seeds/rules`` (``NEWSEVENTS_RULES_DIR`` points elsewhere); a saved spaCy pipeline keeps a
component's own copy in the component's folder, read by the same functions.
"""

import json
from functools import lru_cache
from pathlib import Path

from pipeline.settings import Settings


def _folder(rules_dir: str | Path | None) -> Path:
    return Path(rules_dir) if rules_dir else Settings.rules_dir


@lru_cache(maxsize=64)
def load_rules(name: str, rules_dir: str | None = None) -> dict:
    """Return the parsed ``<rules_dir>/<name>.json`` (default: the repo's ``seeds/rules``)."""
    return json.loads((_folder(rules_dir) / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def load_patterns(name: str, rules_dir: str | None = None) -> tuple[dict, ...]:
    """The patterns of ``<rules_dir>/<name>.jsonl``, in file order; every one must have a unique ``id``."""
    path = _folder(rules_dir) / f"{name}.jsonl"
    patterns = tuple(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    ids = [p.get("id") for p in patterns]
    missing = [n for n, i in enumerate(ids, 1) if not i]
    if missing or len(set(ids)) < len(ids):
        raise ValueError(f"{path}: every pattern needs its own id (line {missing[0]} has none)" if missing
                         else f"{path}: pattern ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
    return patterns


def save_rules(folder: Path, name: str, data: dict | tuple[dict, ...]) -> None:
    """Write a table (a dict) as ``<name>.json`` or patterns (a sequence) as ``<name>.jsonl``, for ``to_disk``."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, dict):
        (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in data), encoding="utf-8")
