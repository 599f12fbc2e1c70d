"""Registered systems: ``khabar predict --system NAME``. A system maps one input record to one prediction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import khabar.systems.crf as crf
import khabar.systems.gazetteer as gazetteer
import khabar.systems.numbers_pyarabic as numbers_pyarabic
import khabar.systems.numbers_rules as numbers_rules
import khabar.systems.stance_cues as stance_cues
from khabar.systems import digits

System = Callable[[Mapping[str, Any]], dict[str, Any]]

SYSTEMS: dict[str, tuple[System, str]] = {
    "empty": (lambda item: {"id": item["id"], "entities": [], "numbers": [], "stance": []},
              "predicts nothing: the floor every system must beat"),
    "numbers-digits": (digits.predict, "every run of digits (three scripts) as an exact cardinal"),
    "numbers-rules": (numbers_rules.predict, "rule-based Arabic number scanner (khabar.numbers): spans and all fields"),
    "numbers-pyarabic": (numbers_pyarabic.predict, "pyarabic's number phrases and text2number, as exact cardinals"),
    "entities-gazetteer": (gazetteer.predict, "entity baseline: train-split gazetteer plus title, head-noun and "
                           "nisba rules (needs `khabar train`)"),
    "entities-crf": (crf.predict, "entity baseline: CRF tagger with lexical, gazetteer and context features, "
                     "trained on the train split (needs `khabar train`)"),
    "stance-cues": (stance_cues.predict, "stance baseline: cue verbs and negation, nearest holder, target by word "
                    "overlap; no training"),
}

# Systems whose model is built from the train split by `khabar train` (the leaderboard's "trained on train").
TRAINED = frozenset({"entities-gazetteer", "entities-crf"})

# ``hf:<path-or-id>`` systems, loaded once per name: a model load costs seconds.
_HF_SYSTEMS: dict[str, System] = {}


def _hf_system(name: str) -> System:
    """The Hugging Face token-classification model named ``hf:<path-or-id>``, loaded on first use."""
    if name not in _HF_SYSTEMS:
        from khabar.systems.hf_adapter import load_hf_system

        _HF_SYSTEMS[name] = load_hf_system(name[len("hf:"):])
    return _HF_SYSTEMS[name]


def get(name: str) -> System:
    """The system registered under ``name``."""
    # also ``hf:<path-or-id>``: any Hugging Face token-classification model, without registering it
    if name.startswith("hf:") and name not in SYSTEMS:
        return _hf_system(name)
    if name not in SYSTEMS:
        raise KeyError(f"unknown system {name!r}; registered: {', '.join(sorted(SYSTEMS))}")
    return SYSTEMS[name][0]
