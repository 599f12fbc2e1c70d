"""Normalise one Arabic numeric expression to the schema's fields."""

from __future__ import annotations

from khabar.numbers.extract import extract
from khabar.numbers.result import ParsedNumber


def normalise_expression(expression: str) -> ParsedNumber | None:
    """The fields of the numeric expression in ``expression``, or None when it holds none.

    The input may carry what the span excludes (a proclitic, an approximator, the currency, unit or counted
    noun): ``ما لا يقل عن 10 آلاف دولار`` gives money, 10000, USD, ``at_least``. The scanner reads it exactly as
    it reads an article, so both agree; when it finds several expressions the longest span wins.
    """
    found = extract(expression)
    if not found:
        return None
    return max(found, key=lambda s: s.end - s.start).number
