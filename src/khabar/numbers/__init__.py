"""Arabic numeric expressions: parsing to the schema's fields and extraction from running text.

``normalise_expression("ما يقرب من 5 ملايين")`` gives the fields of one expression; ``extract(text)`` finds every
expression of an article with its span (guidelines section 4). The layer is called ``numbers`` in records.
"""

from __future__ import annotations

from khabar.numbers.extract import extract
from khabar.numbers.parse import normalise_expression
from khabar.numbers.result import NumberSpan, ParsedNumber

__all__ = ["NumberSpan", "ParsedNumber", "extract", "normalise_expression"]
