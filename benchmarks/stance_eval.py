"""Stance scoring over (holder, target, polarity) triples.

A predicted triple matches a gold one when target and polarity are equal and the predicted holder span overlaps
the gold holder span or, when the holder is a specific entity (GUIDELINES S11: not an OCC or NORP mention, not
an article-scoped generic id), any mention of the gold ``holder_entity`` (so naming Russia at another mention
still counts, while one MP cannot stand for another). Matching is one-to-one, predictions in order each taking
the first free matching gold triple.

* triple P/R/F1 (micro over all triples);
* macro-F1: the mean of the per-polarity triple F1 over support, oppose and neutral;
* F_avg: the mean of the support and oppose F1, the SemEval-2016 Task 6 figure that Mawqif and StanceEval report;
* target-level polarity accuracy: for each (article, target) with gold triples, the majority polarity of its gold
  triples against the majority of the predicted triples for that target (a tie is "mixed"; no prediction is
  "none"); the share that agree;
* triple F1 per target kind: ``claim`` targets (polarity read as affirms / denies / discusses) and ``policy``
  targets (in favour / against / neutral), when the gold says which target is which.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from khabar.benchmarks.prf import PRF

from khabar.schema import POLARITIES, TARGET_KINDS

COLUMNS = (*tuple(f"{k}_{p}" for p in POLARITIES for k in ("tp", "pred", "gold")), "targets", "targets_ok",
           *tuple(f"{k}_{kind}" for kind in TARGET_KINDS for k in ("tp", "pred", "gold")))


@dataclass(frozen=True)
class StanceScore:
    """Stance figures (see the module docstring for definitions)."""

    triple: PRF
    per_polarity: tuple[tuple[str, PRF], ...]
    macro_f1: float
    f_avg: float
    target_accuracy: float
    per_kind: tuple[tuple[str, PRF], ...] = ()


def _overlaps(a: Sequence[int], b: Sequence[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _matches(p: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
    if p["target"] != g["target"] or p["polarity"] != g["polarity"]:
        return False
    spans = [g["holder"], *g.get("holder_mentions", ())]
    return any(_overlaps(p["holder"], s) for s in spans)


def _majority(polarities: Sequence[str]) -> str:
    if not polarities:
        return "none"
    ranked = Counter(polarities).most_common()
    return "mixed" if len(ranked) > 1 and ranked[0][1] == ranked[1][1] else ranked[0][0]


def stance_doc_counts(gold_doc: Sequence[Mapping[str, Any]], pred_doc: Sequence[Mapping[str, Any]],
                      kinds: Mapping[str, str] | None = None) -> np.ndarray:
    """Per-document sufficient statistics, in :data:`COLUMNS` order; ``kinds`` maps target ids to kinds."""
    kinds = kinds or {}
    taken: set[int] = set()
    tp: Counter[str] = Counter()
    tp_kind: Counter[str] = Counter()
    for p in pred_doc:
        for gi, g in enumerate(gold_doc):
            if gi not in taken and _matches(p, g):
                taken.add(gi)
                tp[g["polarity"]] += 1
                tp_kind[kinds.get(g["target"], "")] += 1
                break
    n_pred = Counter(p["polarity"] for p in pred_doc)
    n_gold = Counter(g["polarity"] for g in gold_doc)
    row = [float(c[pol]) for pol in POLARITIES for c in (tp, n_pred, n_gold)]
    targets = sorted({g["target"] for g in gold_doc})
    ok = sum(_majority([g["polarity"] for g in gold_doc if g["target"] == t])
             == _majority([p["polarity"] for p in pred_doc if p["target"] == t]) for t in targets)
    n_pred_kind = Counter(kinds.get(p["target"], "") for p in pred_doc)
    n_gold_kind = Counter(kinds.get(g["target"], "") for g in gold_doc)
    by_kind = [float(c[k]) for k in TARGET_KINDS for c in (tp_kind, n_pred_kind, n_gold_kind)]
    return np.array([*row, len(targets), ok, *by_kind], float)


def stance_table(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> np.ndarray:
    """(documents × statistics) array: what scores and the bootstrap are computed from."""
    rows = [stance_doc_counts(d["stance"], pred[d["id"]]["stance"] if d["id"] in pred else [],
                              d.get("target_kinds")) for d in gold]
    return np.array(rows, float).reshape(len(rows), len(COLUMNS))


def stance_score_from(sums: np.ndarray) -> StanceScore:
    """Figures from column sums of :func:`stance_table`."""
    c = dict(zip(COLUMNS, sums.tolist(), strict=True))
    per = tuple((pol, PRF.of(c[f"tp_{pol}"], c[f"pred_{pol}"], c[f"gold_{pol}"])) for pol in POLARITIES)
    total = PRF.of(*(sum(c[f"{k}_{pol}"] for pol in POLARITIES) for k in ("tp", "pred", "gold")))
    f1 = dict((pol, prf.f1) for pol, prf in per)
    per_kind = tuple((k, PRF.of(c[f"tp_{k}"], c[f"pred_{k}"], c[f"gold_{k}"])) for k in TARGET_KINDS)
    return StanceScore(total, per, sum(f1.values()) / len(f1), (f1["support"] + f1["oppose"]) / 2,
                       c["targets_ok"] / c["targets"] if c["targets"] else 0.0, per_kind)


def score_stance(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> StanceScore:
    """Score stance predictions (by article id) against gold records (prediction format, optionally with
    ``holder_mentions`` on each gold triple)."""
    return stance_score_from(stance_table(gold, pred).sum(axis=0))
