"""Ranking: which results may be compared (same split, same signature) and in what order."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from khabar.benchmarks.board_model import Board, BoardEntry, Metric, TaskResult

# The order tasks appear in on every rendering; tasks not listed here follow alphabetically.
TASK_ORDER = ("entities", "numbers", "stance")
# The figure each task is ranked by when every result in a group has it. Mirrors evaluate.HEADLINE (a test
# checks they agree) without importing the scorers, so rendering a board never needs numpy or the scoring code.
HEADLINE = {"entities": "f1", "numbers": "combined_f1", "stance": "f1"}


@dataclass(frozen=True)
class RankedRow:
    """One system's result inside a group, with its competition rank (None when the metric is not a number)."""

    rank: int | None
    entry: BoardEntry
    result: TaskResult


@dataclass(frozen=True)
class RankGroup:
    """Results that may be compared: one task, one split, one signature, ranked by one metric."""

    task: str
    split: str
    signature: str
    metric: str
    rows: tuple[RankedRow, ...]

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Every metric any row reports, in first-seen order: the columns of the group's table."""
        seen: dict[str, None] = {}
        for row in self.rows:
            for m in row.result.metrics:
                seen.setdefault(m.name, None)
        return tuple(seen)


def tasks(board: Board) -> list[str]:
    """The tasks with at least one result, in display order."""
    present = {r.task for e in board.entries for r in e.results}
    return [t for t in TASK_ORDER if t in present] + sorted(present - set(TASK_ORDER))


def headline_metric(task: str, results: Iterable[TaskResult]) -> str:
    """The metric to rank ``task`` by: its usual headline figure if every result has it, else the first shared one.

    Raises ValueError when the results share no metric at all, since nothing could then be ranked.
    """
    results = list(results)
    names = [{m.name for m in r.metrics} for r in results]
    shared = set.intersection(*names) if names else set()
    preferred = HEADLINE.get(task)
    if preferred in shared:
        return preferred
    for m in results[0].metrics if results else ():
        if m.name in shared:
            return m.name
    raise ValueError(f"{task}: the results share no metric to rank by")


def value_of(result: TaskResult, metric: str) -> float | None:
    """The metric's value, or None if the result lacks it or it is not a finite number."""
    try:
        value = result.metric(metric).value
    except KeyError:
        return None
    return value if isinstance(value, int | float) and math.isfinite(value) else None


def rank_groups(board: Board, task: str, metric: str) -> list[RankGroup]:
    """The results for ``task`` grouped by (split, signature), each group ranked by ``metric``, best first.

    Results with different signatures were produced by different data, scheme or bootstrap settings, so they
    never share a group. Ranks are competition ranks (1, 1, 3): equal values share a rank and the next rank
    skips. Rows whose metric is missing or not finite come last with rank None. Groups are ordered by split then
    signature, rows by rank then system, so the output is deterministic. Raises ValueError if one system appears
    twice in a group.
    """
    return [_rank(task, split, signature, members, metric)
            for (split, signature), members in _buckets(board, task)]


def board_groups(board: Board) -> list[RankGroup]:
    """Every task's groups, each ranked by its headline metric (:func:`headline_metric`): what the renderers show."""
    out = []
    for task in tasks(board):
        for (split, signature), members in _buckets(board, task):
            # Chosen per group: another signature may come from a scorer version with other metrics.
            metric = headline_metric(task, (result for _, result in members))
            out.append(_rank(task, split, signature, members, metric))
    return out


def _buckets(board: Board, task: str) -> list[tuple[tuple[str, str], list[tuple[BoardEntry, TaskResult]]]]:
    buckets: dict[tuple[str, str], list[tuple[BoardEntry, TaskResult]]] = {}
    for entry in board.entries:
        for result in entry.results:
            if result.task == task:
                buckets.setdefault((entry.split, result.signature), []).append((entry, result))
    return sorted(buckets.items(), key=lambda kv: kv[0])


def _rank(task: str, split: str, signature: str, members: list[tuple[BoardEntry, TaskResult]],
          metric: str) -> RankGroup:
    _refuse_duplicates(task, split, signature, members)
    ordered = sorted(members, key=lambda m: (_desc_key(value_of(m[1], metric)), m[0].system))
    rows: list[RankedRow] = []
    for i, (entry, result) in enumerate(ordered):
        value = value_of(result, metric)
        if value is None:
            rank = None
        elif rows and rows[-1].rank is not None and value_of(rows[-1].result, metric) == value:
            rank = rows[-1].rank
        else:
            rank = i + 1
        rows.append(RankedRow(rank, entry, result))
    return RankGroup(task, split, signature, metric, tuple(rows))


def metric_or_none(result: TaskResult, name: str) -> Metric | None:
    """The metric called ``name`` or None."""
    try:
        return result.metric(name)
    except KeyError:
        return None


def _desc_key(value: float | None) -> tuple[int, float]:
    return (1, 0.0) if value is None else (0, -value)


def _refuse_duplicates(task: str, split: str, signature: str,
                       members: list[tuple[BoardEntry, TaskResult]]) -> None:
    # One system twice in a group would take two ranks and push every other system down.
    systems = [entry.system for entry, _ in members]
    twice = sorted({s for s in systems if systems.count(s) > 1})
    if twice:
        raise ValueError(f"{task}/{split}: system(s) {', '.join(twice)} appear more than once under {signature}")
