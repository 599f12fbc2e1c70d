"""A peer baseline: pyarabic's number functions behind the prediction format.

pyarabic finds number phrases on its own tokens (``detect_number_phrases_position``) and values them with
``text2number``. The adapter only maps tokens back to code-point offsets, starts a span after a proclitic that
pyarabic itself read off the first word, and values a lone digit token (which ``text2number`` ignores) with the
digits baseline. Every phrase is an exact cardinal: pyarabic has no kinds, units or approximators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from khabar.extras import require
from khabar.systems.digits import parse_digits

_PROCLITICS = "وفلبك"


def _locate(text: str, words: list[str]) -> list[tuple[int, int] | None]:
    # pyarabic's tokenizer drops characters it does not keep; a token it changed cannot be located.
    out: list[tuple[int, int] | None] = []
    pos = 0
    for w in words:
        at = text.find(w, pos)
        if at < 0:
            out.append(None)
            continue
        out.append((at, at + len(w)))
        pos = at + len(w)
    return out


def _pyarabic():
    what = "the numbers-pyarabic system"
    return (require("pyarabic.araby", "baselines", what), require("pyarabic.number", "baselines", what),
            require("pyarabic.number_const", "baselines", what))


def _value(words: list[str], span: str) -> float | None:
    _, number, _ = _pyarabic()
    try:
        value = parse_digits(span) if len(words) == 1 and words[0].isnumeric() else \
            float(number.text2number(" ".join(words)))
    except ValueError:  # isnumeric() also holds for digits float() does not read (², ½, other scripts)
        return None
    return value if math.isfinite(value) else None


def predict(item: Mapping[str, Any]) -> dict[str, Any]:
    """Predict the numbers layer of one input record with pyarabic."""
    araby, number, nbconst = _pyarabic()
    text = item["text"]
    words = araby.tokenize(text)
    where = _locate(text, words)
    numbers = []
    for first, last in number.detect_number_phrases_position(words):
        if not (0 <= first <= last < len(words)) or where[first] is None or where[last] is None:
            continue
        start, end = where[first][0], where[last][1]  # type: ignore[index]
        head = araby.strip_tashkeel(words[first])
        if head[:1] in _PROCLITICS and head[1:] in nbconst.NUMBER_WORDS and head not in nbconst.NUMBER_WORDS:
            start += 1
            while start < end and araby.is_tashkeel(text[start]):
                start += 1
        value = _value(words[first:last + 1], text[start:end])
        if start < end and value is not None:
            numbers.append({"start": start, "end": end, "value": value, "kind": "cardinal", "unit": None,
                            "approx": "exact", "date": None})
    return {"id": item["id"], "entities": [], "numbers": numbers, "stance": []}
