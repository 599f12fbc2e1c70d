"""Where the project's folders are: the repository of a checkout, or KHABAR_ROOT."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """KHABAR_ROOT if set; else the nearest folder above the working directory with ``annotations/``;
    else the checkout this package was installed from (editable installs)."""
    env = os.environ.get("KHABAR_ROOT")
    if env:
        return Path(env).resolve()
    for d in (Path.cwd(), *Path.cwd().parents):
        if (d / "annotations" / "articles.jsonl").exists():
            return d
    return Path(__file__).resolve().parents[2]


def annotations_dir() -> Path:
    """The gold store."""
    return repo_root() / "annotations"


def dataset_dir() -> Path:
    """The built release."""
    return repo_root() / "dataset"


def leaderboard_dir() -> Path:
    """The leaderboard: submissions and the rendered board."""
    return repo_root() / "benchmarks" / "leaderboard"
