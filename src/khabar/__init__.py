"""Khabar: an annotated Arabic-news dataset (entities, numbers, stance) and the benchmark around it."""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"


def load(config: str = "articles", split: str | None = None, dataset: str | None = None) -> Any:
    """Memory-map a release config (see :func:`khabar.loaders.hf.load`)."""
    from khabar.loaders.hf import load as _load

    return _load(config, split, dataset)


__all__ = ["__version__", "load"]
