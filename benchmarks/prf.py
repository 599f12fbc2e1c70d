"""Counts and the precision / recall / F1 they give, in the SemEval-2013 (nervaluate) vocabulary."""

from __future__ import annotations

from dataclasses import dataclass


def f1_of(p: float, r: float) -> float:
    """Harmonic mean; 0 when both are 0."""
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, tp: float, n_pred: float, n_gold: float) -> PRF:
        """From true positives (possibly fractional), predicted and gold counts; 0 where undefined."""
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        return cls(p, r, f1_of(p, r))


@dataclass(frozen=True)
class Counts:
    """SemEval-2013 outcome counts. ``partial_credit`` gives partial matches half a point (schemes partial
    and type, as nervaluate does)."""

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0
    partial_credit: bool = False

    @property
    def possible(self) -> int:
        """Gold mentions: correct + incorrect + partial + missed."""
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        """Predicted mentions: correct + incorrect + partial + spurious."""
        return self.correct + self.incorrect + self.partial + self.spurious

    @property
    def prf(self) -> PRF:
        """Precision, recall and F1 of these counts."""
        tp = self.correct + (0.5 * self.partial if self.partial_credit else 0)
        return PRF.of(tp, self.actual, self.possible)

    def with_credit(self, partial_credit: bool) -> Counts:
        """The same counts under another partial-credit rule."""
        return Counts(self.correct, self.incorrect, self.partial, self.missed, self.spurious, partial_credit)
