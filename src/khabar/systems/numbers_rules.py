"""The rule-based number baseline: every numeric expression the :mod:`khabar.numbers` scanner finds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from khabar.numbers import extract


def predict(item: Mapping[str, Any]) -> dict[str, Any]:
    """Predict the numbers layer of one input record (entities and stance stay empty)."""
    numbers = [span.as_prediction() for span in extract(item["text"])]
    return {"id": item["id"], "entities": [], "numbers": numbers, "stance": []}
