"""``khabar export``: a split of the release in the formats systems and users consume."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from khabar.jsonio import jsonl_text
from khabar.loaders.conll import to_conll
from khabar.predictions import to_input, to_prediction

FORMATS = ("predictions", "input", "jsonl", "conll")


def export(articles: Sequence[Mapping[str, Any]], fmt: str) -> str:
    """Articles (full records) rendered in one of :data:`FORMATS`."""
    if fmt == "predictions":
        return jsonl_text(to_prediction(a) for a in articles)
    if fmt == "input":
        return jsonl_text(to_input(a) for a in articles)
    if fmt == "jsonl":
        return jsonl_text(articles)
    if fmt == "conll":
        return to_conll(articles)
    raise ValueError(f"unknown format {fmt!r}")
