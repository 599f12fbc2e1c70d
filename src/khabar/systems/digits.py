"""A trivial number baseline: each run of digits is an exact cardinal. It proves the predict/score path."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Western, Arabic-Indic and Extended Arabic-Indic digits; ٫ and . as decimal marks, ٬ and , as group marks.
_NUMBER = re.compile(r"[0-9٠-٩۰-۹]+(?:[.,٫٬][0-9٠-٩۰-۹]+)*")
_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


def parse_digits(s: str) -> float:
    """The value of a digit string: group marks dropped, ٫ or a lone . as the decimal mark."""
    s = s.translate(_TO_ASCII).replace("٬", "").replace(",", "")
    return float(s) if s.count(".") <= 1 else float(s.replace(".", ""))


def predict(item: Mapping[str, Any]) -> dict[str, Any]:
    """Predict every digit run in the text as a cardinal."""
    numbers = [{"start": m.start(), "end": m.end(), "value": parse_digits(m.group()), "kind": "cardinal",
                "unit": None, "approx": "exact", "date": None} for m in _NUMBER.finditer(item["text"])]
    return {"id": item["id"], "entities": [], "numbers": numbers, "stance": []}
