"""Character spans to token-level BIO (IOB2) tags and back, for any tokenisation given as offsets.

The stored text is never re-tokenised in place: tokens are (start, end) offsets into it. A span boundary that
falls inside a token (a proclitic glued to a name, a word piece) cannot be shown by tags; such tokens take the
span's tag and :attr:`TokenTags.misaligned` counts them, so users see how lossy their tokenisation is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from khabar.schema import ENTITY_LABELS

_WS_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class TokenTags:
    """Tokens (as offsets) with one tag each; ``None`` for special tokens that cover no text."""

    offsets: tuple[tuple[int, int], ...]
    tags: tuple[str | None, ...]
    misaligned: int = 0

    def tokens(self, text: str) -> list[str]:
        """The token strings."""
        return [text[s:e] for s, e in self.offsets]


def whitespace_tokens(text: str) -> list[tuple[int, int]]:
    """Offsets of white-space separated tokens."""
    return [(m.start(), m.end()) for m in _WS_TOKEN.finditer(text)]


def bio_tags(spans: Sequence[Mapping[str, Any]], offsets: Sequence[tuple[int, int]]) -> TokenTags:
    """IOB2 tags for tokens at ``offsets`` from spans with start, end, label.

    A token belongs to a span when they overlap; the first such token gets ``B-``. Tokens of zero width
    (special tokens, offset (0, 0)) get ``None``.
    """
    tags: list[str | None] = []
    order = sorted(spans, key=lambda s: s["start"])
    j = 0
    current: Mapping[str, Any] | None = None
    misaligned = 0
    for s, e in offsets:
        if s == e:
            tags.append(None)
            continue
        while j < len(order) and order[j]["end"] <= s:
            j += 1
        span = order[j] if j < len(order) and order[j]["start"] < e else None
        if span is None:
            tags.append("O")
            current = None
            continue
        if s < span["start"] or e > span["end"]:
            misaligned += 1
        tags.append(("I-" if span is current else "B-") + label_name(span["label"]))
        current = span
    return TokenTags(tuple((s, e) for s, e in offsets), tuple(tags), misaligned)


def label_name(label: str | int) -> str:
    """An entity label as a name: rows from ``load_dataset`` carry the ClassLabel index, Khabar's records the name."""
    return label if isinstance(label, str) else ENTITY_LABELS[label]


def spans_from_bio(offsets: Sequence[tuple[int, int]], tags: Sequence[str | None]) -> list[dict[str, Any]]:
    """Spans (start, end, label) from IOB2 tags; an ``I-`` without a matching ``B-`` starts a span (as
    conlleval does), and ``None`` tags are skipped."""
    spans: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for (s, e), tag in zip(offsets, tags, strict=True):
        if tag is None:
            continue
        if tag == "O" or tag.startswith("B-") or current is None or tag[2:] != current["label"]:
            current = None
            if tag != "O":
                current = {"start": s, "end": e, "label": tag[2:]}
                spans.append(current)
        else:
            current["end"] = e
    return spans


def bio_for_tokenizer(tokenizer: Any, text: str, spans: Sequence[Mapping[str, Any]], **kwargs: Any) -> TokenTags:
    """Tags for the tokens of a Hugging Face *fast* tokenizer, from its offset mapping.

    Extra keyword arguments go to the tokenizer call (e.g. ``truncation=True``).
    """
    enc = tokenizer(text, return_offsets_mapping=True, add_special_tokens=True, **kwargs)
    return bio_tags(spans, [tuple(o) for o in enc["offset_mapping"]])
