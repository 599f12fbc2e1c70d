"""The results of number parsing: the schema's fields of one expression, and a located expression."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """The normalised fields of one numeric expression, as the schema's ``numbers`` records hold them."""

    value: float | None
    kind: str
    unit: str | None = None
    approx: str = "exact"
    date: str | None = None


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A numeric expression found in a text: ``text[start:end]`` is its span (guidelines N1)."""

    start: int
    end: int
    number: ParsedNumber

    def as_prediction(self) -> dict[str, Any]:
        """The span in the prediction format (``PRED_NUMBER`` fields)."""
        n = self.number
        return {"start": self.start, "end": self.end, "value": n.value, "kind": n.kind, "unit": n.unit,
                "approx": n.approx, "date": n.date}
