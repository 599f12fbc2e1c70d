"""Signed, interval-carrying results for each task: what ``khabar score``, ``compare`` and the leaderboard show."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from khabar.benchmarks import bootstrap as bs
from khabar.benchmarks import numbers_eval, stance_eval
from khabar.benchmarks.board_model import Metric, TaskResult
from khabar.benchmarks.goldset import GoldSet
from khabar.benchmarks.ner import SCHEMES, per_document_counts, per_document_type_counts, score_entities

import khabar
from khabar.schema import TARGET_KINDS

TASKS = ("entities", "numbers", "stance")
# the figure compare and the leaderboard rank by
HEADLINE = {"entities": "f1", "numbers": "combined_f1", "stance": "f1"}


@dataclass(frozen=True)
class Options:
    """What, besides the data, determines a score: all of it goes into the signature."""

    boot: int = bs.DEFAULT_RESAMPLES
    seed: int = bs.DEFAULT_SEED
    clitic: bool = False


DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class Evaluation:
    """A task's signed result and the scorer's detailed figures (EntityScore, NumberScore or StanceScore)."""

    result: TaskResult
    detail: Any


def signature(task: str, gold: GoldSet, opts: Options) -> str:
    """sacreBLEU-style signature; results with different signatures are never ranked together."""
    # stance: holder spans overlap, or any mention of a specific holder entity (GUIDELINES 2.0, S11)
    scheme = {"entities": "strict", "numbers": "reltol1e-6", "stance": "triple-specific"}[task]
    sig = (f"khabar:{khabar.__version__}|data:{gold.data}|split:{gold.split}|task:{task}|scheme:{scheme}"
           f"|boot:{opts.boot}|seed:{opts.seed}")
    return sig + ("|clitic:yes" if task == "entities" and opts.clitic else "")


def tables(task: str, gold: GoldSet, pred: Mapping[str, Mapping[str, Any]], opts: Options
           ) -> dict[str, tuple[np.ndarray, bs.Statistic]]:
    """Per metric: the per-document statistics table and the statistic that turns its sums into the figure."""
    if task == "entities":
        texts = gold.texts if opts.clitic else None
        out = {}
        for scheme in SCHEMES:
            t = per_document_counts(gold.records, pred, scheme, texts)
            name = "" if scheme == "strict" else f"{scheme}_"
            out[f"{name}f1"] = (t, bs.f1_statistic(0, 1, 2))
            if scheme == "strict":
                out["precision"] = (t, bs.ratio_statistic(0, 1))
                out["recall"] = (t, bs.ratio_statistic(0, 2))
        typed, present = per_document_type_counts(gold.records, pred, "strict", texts)
        out["macro_f1"] = (typed, _macro_statistic(present))
        return out
    if task == "numbers":
        t = numbers_eval.number_table(gold.records, pred)
        col = numbers_eval.COLUMNS.index
        return {
            "combined_f1": (t, bs.f1_statistic(col("combined_tp"), col("n_pred"), col("n_gold"))),
            "strict_f1": (t, bs.f1_statistic(col("strict_tp"), col("n_pred"), col("n_gold"))),
            "overlap_f1": (t, bs.f1_statistic(col("overlap_tp"), col("n_pred"), col("n_gold"))),
            **{f"{k}_accuracy": (t, bs.ratio_statistic(col(f"{k}_ok"), col("overlap_tp")))
               for k in ("value", "kind", "unit", "approx")},
        }
    t = stance_eval.stance_table(gold.records, pred)
    col = stance_eval.COLUMNS.index
    out = {"f1": (t, _stance_stat("f1")), "macro_f1": (t, _stance_stat("macro_f1")),
           "f_avg": (t, _stance_stat("f_avg")), "target_accuracy": (t, _stance_stat("target_accuracy"))}
    if all("target_kinds" in r for r in gold.records):  # a prediction-format gold file does not type targets
        for kind in TARGET_KINDS:
            out[f"f1_{kind}"] = (t, bs.f1_statistic(col(f"tp_{kind}"), col(f"pred_{kind}"), col(f"gold_{kind}")))
    return out


def _macro_statistic(present: tuple[str, ...]) -> bs.Statistic:
    from khabar.schema import ENTITY_LABELS

    idx = [ENTITY_LABELS.index(t) for t in present]

    def stat(s: np.ndarray) -> np.ndarray:
        if not idx:
            return np.zeros(len(s))
        f1s = [bs.f1_statistic(3 * k, 3 * k + 1, 3 * k + 2)(s) for k in idx]
        return np.mean(f1s, axis=0)
    return stat


def _stance_stat(name: str) -> bs.Statistic:
    def stat(s: np.ndarray) -> np.ndarray:
        out = []
        for row in s:
            sc = stance_eval.stance_score_from(row)
            out.append(sc.triple.f1 if name == "f1" else getattr(sc, name))
        return np.array(out)
    return stat


def _detail(task: str, gold: GoldSet, pred: Mapping[str, Mapping[str, Any]], opts: Options,
            errors: bool, per_document: bool) -> Any:
    if task == "entities":
        return score_entities(gold.records, pred, texts=gold.texts if opts.clitic else None, errors=errors,
                              per_document=per_document)
    if task == "numbers":
        return numbers_eval.score_numbers(gold.records, pred)
    return stance_eval.score_stance(gold.records, pred)


def evaluate(task: str, gold: GoldSet, pred: Mapping[str, Mapping[str, Any]], opts: Options = DEFAULT_OPTIONS, *,
             errors: bool = False, per_document: bool = False,
             progress: Callable[[str], None] | None = None) -> Evaluation:
    """Score one task: every headline figure with its 95 % bootstrap interval, signed."""
    metrics = []
    for name, (table, stat) in tables(task, gold, pred, opts).items():
        value = float(stat(table.sum(axis=0, keepdims=True))[0])
        lo, hi = bs.confidence_interval(table, stat, opts.boot, opts.seed)
        metrics.append(Metric(name, value, lo, hi))
        if progress:
            progress(name)
    detail = _detail(task, gold, pred, opts, errors, per_document)
    per_type = ()
    if task == "entities":
        per_type = tuple((label, c.prf.f1) for label, c in detail.scheme("strict").per_type)
    return Evaluation(TaskResult(task, signature(task, gold, opts), tuple(metrics), per_type), detail)


@dataclass(frozen=True)
class Comparison:
    """A's and B's headline figure on one task, their difference and its paired-bootstrap p-value."""

    task: str
    metric: str
    a: float
    b: float
    difference: float
    p_value: float
    signature: str


def compare(task: str, gold: GoldSet, pred_a: Mapping[str, Mapping[str, Any]],
            pred_b: Mapping[str, Mapping[str, Any]], opts: Options = DEFAULT_OPTIONS) -> Comparison:
    """Paired bootstrap of the task's headline figure (same resamples for both systems)."""
    name = HEADLINE[task]
    ta, stat = tables(task, gold, pred_a, opts)[name]
    tb, _ = tables(task, gold, pred_b, opts)[name]
    a = float(stat(ta.sum(axis=0, keepdims=True))[0])
    b = float(stat(tb.sum(axis=0, keepdims=True))[0])
    p = bs.paired_p_value(ta, tb, stat, opts.boot, opts.seed)
    return Comparison(task, name, a, b, a - b, p, signature(task, gold, opts))
