"""The leaderboard's data model: what the scorers produce and the renderers (Markdown, JSON, HTML) consume."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metric:
    """One headline figure with its 95 % bootstrap confidence interval."""

    name: str  # e.g. "f1", "precision", "recall", "value_accuracy", "f_avg"
    value: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class TaskResult:
    """The scores of one system on one task, and the signature of what produced them."""

    task: str  # "entities" | "numbers" | "stance"
    signature: str  # khabar:…|data:…|split:…|task:…|scheme:…|boot:…|seed:…
    metrics: tuple[Metric, ...]
    per_type_f1: tuple[tuple[str, float], ...] = ()  # (label, F1) pairs; entities only

    def metric(self, name: str) -> Metric:
        """The metric called ``name``."""
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)


@dataclass(frozen=True)
class SubmissionMeta:
    """``meta.yaml`` of a submission folder."""

    name: str
    authors: str
    url: str | None
    description: str
    date: str  # ISO date
    trained_on_train: bool


@dataclass(frozen=True)
class BoardEntry:
    """One submitted system on one split."""

    system: str  # the submission folder's name
    meta: SubmissionMeta
    split: str
    results: tuple[TaskResult, ...] = field(default=())


@dataclass(frozen=True)
class Board:
    """Everything the leaderboard shows. Entries are ranked only among results with the same signature."""

    data: str  # release version + content hash prefix, e.g. "0.0.1+5ca98cec95a5"
    entries: tuple[BoardEntry, ...]
