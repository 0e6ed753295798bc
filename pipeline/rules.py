"""Rule tables are data: JSON files in the rules folder, read once per process."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pipeline.settings import Settings


@lru_cache(maxsize=32)
def load_rules(name: str, rules_dir: str | None = None) -> dict:
    """Return the parsed ``<rules_dir>/<name>.json`` (default: the repo's ``seeds/rules``)."""
    folder = Path(rules_dir) if rules_dir else Settings.rules_dir
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
