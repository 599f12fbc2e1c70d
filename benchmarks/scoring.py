"""Smoke-level scoring: strict micro precision, recall and F1 per layer, with a signature.

Strict means exact offsets and label (entities), exact offsets (number detection), exact holder span, target
and polarity (stance). The full scorers (all SemEval schemes, value-aware numbers, confidence intervals) build
on the same records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import khabar

TASKS = ("entities", "numbers", "stance")


@dataclass(frozen=True)
class PRF:
    """Micro-averaged precision, recall and F1 from true-positive, false-positive and false-negative counts."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0 when there is no gold."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Score:
    """One task's score and the signature of what produced it."""

    task: str
    prf: PRF
    signature: str


def _keys(task: str, record: Mapping[str, Any]) -> set[tuple[Any, ...]]:
    if task == "entities":
        return {(e["start"], e["end"], e["label"]) for e in record["entities"]}
    if task == "numbers":
        return {(n["start"], n["end"]) for n in record["numbers"]}
    return {(tuple(s["holder"]), s["target"], s["polarity"]) for s in record["stance"]}


def strict_prf(task: str, gold: Iterable[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> PRF:
    """Strict micro P/R/F1 of predictions (by article id) against gold records in the prediction format."""
    tp = fp = fn = 0
    for g in gold:
        gk = _keys(task, g)
        pk = _keys(task, pred[g["id"]]) if g["id"] in pred else set()
        tp += len(gk & pk)
        fp += len(pk - gk)
        fn += len(gk - pk)
    return PRF(tp, fp, fn)


def signature(task: str, data: str, split: str) -> str:
    """sacreBLEU-style signature: everything that determines the figure."""
    return f"khabar:{khabar.__version__}|data:{data}|split:{split}|task:{task}|scheme:strict|avg:micro"


def score(task: str, gold, pred, *, data: str, split: str) -> Score:
    """Strict micro score of one task, signed."""
    return Score(task, strict_prf(task, gold, pred), signature(task, data, split))
