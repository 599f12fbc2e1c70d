"""Bootstrap over documents: confidence intervals and the paired test, from per-document statistics.

Every scorer reduces to a (documents × statistics) table whose column sums give its figures, so resampling
documents is a matrix product with a (resamples × documents) count matrix: no rescoring per resample.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345

Statistic = Callable[[np.ndarray], np.ndarray]  # (resamples × statistics) sums -> (resamples,) figures


def resample_counts(n_docs: int, n: int, seed: int) -> np.ndarray:
    """(n × n_docs) matrix: how often each document is drawn in each resample (seeded, reproducible)."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_docs, size=(n, n_docs))
    counts = np.zeros((n, n_docs), float)
    np.add.at(counts, (np.repeat(np.arange(n), n_docs), draws.ravel()), 1)
    return counts


def confidence_interval(table: np.ndarray, statistic: Statistic, n: int = DEFAULT_RESAMPLES,
                        seed: int = DEFAULT_SEED, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic`` over documents (rows of ``table``)."""
    if len(table) == 0 or n == 0:
        v = float(statistic(table.sum(axis=0, keepdims=True))[0]) if len(table) else 0.0
        return v, v
    values = statistic(resample_counts(len(table), n, seed) @ table)
    alpha = (1 - level) / 2
    return float(np.quantile(values, alpha)), float(np.quantile(values, 1 - alpha))


def paired_p_value(table_a: np.ndarray, table_b: np.ndarray, statistic: Statistic, n: int = DEFAULT_RESAMPLES,
                   seed: int = DEFAULT_SEED) -> float:
    """Two-sided paired-bootstrap p-value for "A and B score the same" (Koehn 2004; Berg-Kirkpatrick et al.
    2012): both systems are scored on the same resamples, and the p-value is twice the share of resamples in
    which the difference does not have the sign observed on the full data (capped at 1)."""
    if len(table_a) != len(table_b):
        raise ValueError("paired tables need the same documents")
    observed = float(statistic(table_a.sum(axis=0, keepdims=True))[0]
                     - statistic(table_b.sum(axis=0, keepdims=True))[0])
    if len(table_a) == 0 or n == 0:
        return 1.0
    counts = resample_counts(len(table_a), n, seed)
    diffs = statistic(counts @ table_a) - statistic(counts @ table_b)
    if observed == 0:
        return 1.0
    against = np.mean(diffs <= 0) if observed > 0 else np.mean(diffs >= 0)
    return float(min(1.0, 2 * against))


def f1_statistic(tp: int, n_pred: int, n_gold: int) -> Statistic:
    """F1 from three columns of a statistics table."""
    def stat(s: np.ndarray) -> np.ndarray:
        p = np.divide(s[:, tp], s[:, n_pred], out=np.zeros(len(s)), where=s[:, n_pred] > 0)
        r = np.divide(s[:, tp], s[:, n_gold], out=np.zeros(len(s)), where=s[:, n_gold] > 0)
        return np.divide(2 * p * r, p + r, out=np.zeros(len(s)), where=(p + r) > 0)
    return stat


def ratio_statistic(num: int, den: int) -> Statistic:
    """num / den of two columns (0 where den is 0): precision, recall, accuracies."""
    def stat(s: np.ndarray) -> np.ndarray:
        return np.divide(s[:, num], s[:, den], out=np.zeros(len(s)), where=s[:, den] > 0)
    return stat
