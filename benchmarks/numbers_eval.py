"""Number scoring: detection, then the normalisation of what was detected.

* detection P/R/F1 with strict offsets (exact start and end) and with overlap (one-to-one, each prediction
  taking the first overlapping gold number not yet taken, in text order);
* on the overlap-matched pairs: value accuracy (relative tolerance 1e-6; a null value matches only null; for
  kind=date the ISO ``date`` strings are compared instead), and kind, unit and approx accuracy;
* combined F1: a prediction counts only if its offsets are exact and its value and kind are right.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from khabar.benchmarks.prf import PRF

REL_TOL = 1e-6


@dataclass(frozen=True)
class NumberScore:
    """Detection and normalisation figures of the numbers layer."""

    strict: PRF
    overlap: PRF
    combined: PRF
    matched: int
    value_accuracy: float
    kind_accuracy: float
    unit_accuracy: float
    approx_accuracy: float


def value_equal(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Whether a predicted number has the gold value (dates: the same ISO string)."""
    if gold["kind"] == "date":
        return pred.get("date") == gold.get("date")
    g, p = gold["value"], pred["value"]
    if g is None or p is None:
        return g is None and p is None
    return math.isclose(g, p, rel_tol=REL_TOL, abs_tol=0.0) or (g == 0 and p == 0)


def _pairs(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one overlap matching, predictions in text order taking the first free overlapping gold."""
    gs = sorted(range(len(gold)), key=lambda i: (gold[i]["start"], gold[i]["end"]))
    taken: set[int] = set()
    out = []
    for pi in sorted(range(len(pred)), key=lambda i: (pred[i]["start"], pred[i]["end"])):
        p = pred[pi]
        for gi in gs:
            g = gold[gi]
            if gi not in taken and g["start"] < p["end"] and p["start"] < g["end"]:
                taken.add(gi)
                out.append((gi, pi))
                break
    return out


def number_doc_counts(gold_doc: Sequence[Mapping[str, Any]], pred_doc: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """Per-document sufficient statistics, in :data:`COLUMNS` order."""
    pairs = _pairs(gold_doc, pred_doc)
    strict = sum(1 for gi, pi in pairs if (gold_doc[gi]["start"], gold_doc[gi]["end"])
                 == (pred_doc[pi]["start"], pred_doc[pi]["end"]))
    combined = sum(1 for gi, pi in pairs
                   if (gold_doc[gi]["start"], gold_doc[gi]["end"]) == (pred_doc[pi]["start"], pred_doc[pi]["end"])
                   and gold_doc[gi]["kind"] == pred_doc[pi]["kind"] and value_equal(gold_doc[gi], pred_doc[pi]))
    value = sum(value_equal(gold_doc[gi], pred_doc[pi]) for gi, pi in pairs)
    kind = sum(gold_doc[gi]["kind"] == pred_doc[pi]["kind"] for gi, pi in pairs)
    unit = sum(gold_doc[gi]["unit"] == pred_doc[pi]["unit"] for gi, pi in pairs)
    approx = sum(gold_doc[gi]["approx"] == pred_doc[pi]["approx"] for gi, pi in pairs)
    return np.array([len(pred_doc), len(gold_doc), strict, len(pairs), combined, value, kind, unit, approx], float)


COLUMNS = ("n_pred", "n_gold", "strict_tp", "overlap_tp", "combined_tp", "value_ok", "kind_ok", "unit_ok",
           "approx_ok")


def number_table(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> np.ndarray:
    """(documents × statistics) array: what scores and the bootstrap are computed from."""
    rows = [number_doc_counts(d["numbers"], pred[d["id"]]["numbers"] if d["id"] in pred else []) for d in gold]
    return np.array(rows, float).reshape(len(rows), len(COLUMNS))


def number_score_from(sums: np.ndarray) -> NumberScore:
    """Figures from column sums of :func:`number_table`."""
    c = dict(zip(COLUMNS, sums.tolist(), strict=True))
    m = c["overlap_tp"]

    def acc(k: str) -> float:
        return c[k] / m if m else 0.0

    return NumberScore(PRF.of(c["strict_tp"], c["n_pred"], c["n_gold"]),
                       PRF.of(c["overlap_tp"], c["n_pred"], c["n_gold"]),
                       PRF.of(c["combined_tp"], c["n_pred"], c["n_gold"]), int(m),
                       acc("value_ok"), acc("kind_ok"), acc("unit_ok"), acc("approx_ok"))


def score_numbers(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> NumberScore:
    """Score number predictions (by article id) against gold records (prediction format)."""
    return number_score_from(number_table(gold, pred).sum(axis=0))
