"""Registered systems: ``khabar predict --system NAME``. A system maps one input record to one prediction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import khabar.systems.numbers_pyarabic as numbers_pyarabic
import khabar.systems.numbers_rules as numbers_rules
from khabar.systems import digits

System = Callable[[Mapping[str, Any]], dict[str, Any]]

SYSTEMS: dict[str, tuple[System, str]] = {
    "empty": (lambda item: {"id": item["id"], "entities": [], "numbers": [], "stance": []},
              "predicts nothing: the floor every system must beat"),
    "numbers-digits": (digits.predict, "every run of digits (three scripts) as an exact cardinal"),
    "numbers-rules": (numbers_rules.predict, "rule-based Arabic number scanner (khabar.numbers): spans and all fields"),
    "numbers-pyarabic": (numbers_pyarabic.predict, "pyarabic's number phrases and text2number, as exact cardinals"),
}


def get(name: str) -> System:
    """The system registered under ``name``."""
    if name not in SYSTEMS:
        raise KeyError(f"unknown system {name!r}; registered: {', '.join(sorted(SYSTEMS))}")
    return SYSTEMS[name][0]
