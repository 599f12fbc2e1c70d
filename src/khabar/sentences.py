"""Deterministic sentence spans for Arabic news text (run once, when an article enters the store)."""

from __future__ import annotations

import re

# A sentence ends at . ! ? ؟ or … (with any closing quotes or brackets after it) followed by white space,
# or at a line break. A full stop between digits (3.5) is not followed by white space, so it never ends one.
_END = re.compile(r"[.!?؟…]+[\"'”’»)\]]*(?=\s)|\n")


def split_sentences(text: str) -> list[list[int]]:
    """[start, end] of each sentence of ``text``, trimmed of white space, in order, never empty."""
    spans: list[list[int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end() if m.group() != "\n" else m.start()
        _add(text, start, end, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[list[int]]) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    if start + lead < end - trail:
        spans.append([start + lead, end - trail])
