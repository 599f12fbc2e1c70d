"""``khabar stats``: what the gold holds, counted the way the corpus quotas are stated."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from khabar.schema import ENTITY_LABELS, POLARITIES, TARGET_KINDS

_INDIC = re.compile(r"[٠-٩۰-۹]")
_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
_APPROX = frozenset({"approx", "at_least", "at_most", "more_than", "less_than"})


@dataclass(frozen=True)
class Stats:
    """Counts over a set of articles."""

    articles: int
    words: int
    by_split: tuple[tuple[str, int], ...]
    by_section: tuple[tuple[str, int], ...]
    by_region: tuple[tuple[str, int], ...]
    by_origin: tuple[tuple[str, int], ...]
    entity_mentions: int
    entities: int
    entities_with_variants: int
    mentions_by_type: tuple[tuple[str, int], ...]
    numbers: int
    numbers_by_kind: tuple[tuple[str, int], ...]
    money: int
    percent: int
    dates_and_years: int
    word_numerals: int
    arabic_indic_digits: int
    approximators: int
    vague: int
    fractions: int
    ordinals: int
    targets: int
    targets_by_kind: tuple[tuple[str, int], ...]
    stance: int
    stance_by_polarity: tuple[tuple[str, int], ...]
    stance_by_target_kind: tuple[tuple[str, int], ...]


def compute_stats(articles: Iterable[Mapping[str, Any]]) -> Stats:
    """Counts of articles, mentions, numbers by phenomenon and stance triples."""
    arts = list(articles)
    nums = [n for a in arts for n in a["numbers"]]
    ments = [m for a in arts for m in a["entities"]]
    surfaces: dict[str, set[str]] = {}
    for m in ments:
        surfaces.setdefault(m["entity_id"], set()).add(m["text"])
    stance = [s for a in arts for s in a["stance"]]
    kinds = {(a["id"], t["id"]): t["kind"] for a in arts for t in a["targets"]}

    def tally(values: Iterable[str], order: Iterable[str] | None = None) -> tuple[tuple[str, int], ...]:
        c = Counter(values)
        keys = list(order) if order is not None else sorted(c)
        return tuple((k, c[k]) for k in keys if c[k] or order is not None)

    return Stats(
        articles=len(arts),
        words=sum(len(a["text"].split()) for a in arts),
        by_split=tally(a["split"] for a in arts),
        by_section=tally(a["section"] for a in arts),
        by_region=tally(a["region"] for a in arts),
        by_origin=tally(a["origin"] for a in arts),
        entity_mentions=len(ments),
        entities=len(surfaces),
        entities_with_variants=sum(len(v) > 1 for v in surfaces.values()),
        mentions_by_type=tally((m["label"] for m in ments), ENTITY_LABELS),
        numbers=len(nums),
        numbers_by_kind=tally(n["kind"] for n in nums),
        money=sum(n["kind"] == "money" for n in nums),
        percent=sum(n["kind"] == "percent" for n in nums),
        dates_and_years=sum(n["kind"] in ("date", "year") for n in nums),
        word_numerals=sum(not _DIGIT.search(n["text"]) and n["approx"] != "vague" for n in nums),
        arabic_indic_digits=sum(bool(_INDIC.search(n["text"])) for n in nums),
        approximators=sum(n["approx"] in _APPROX for n in nums),
        vague=sum(n["approx"] == "vague" for n in nums),
        fractions=sum(n["kind"] == "fraction" or (n["value"] is not None and not float(n["value"]).is_integer()
                                                  and n["kind"] != "percent") for n in nums),
        ordinals=sum(n["kind"] == "ordinal" for n in nums),
        targets=sum(len(a["targets"]) for a in arts),
        targets_by_kind=tally((t["kind"] for a in arts for t in a["targets"]), TARGET_KINDS),
        stance=len(stance),
        stance_by_polarity=tally((s["polarity"] for s in stance), POLARITIES),
        stance_by_target_kind=tally((kinds[(a["id"], s["target"])] for a in arts for s in a["stance"]), TARGET_KINDS),
    )


def render_stats(s: Stats) -> str:
    """A plain two-column table."""
    lines = []
    for k, v in vars(s).items():
        if isinstance(v, tuple):
            v = ", ".join(f"{a} {b}" for a, b in v)
        lines.append(f"{k.replace('_', ' '):24} {v}")
    return "\n".join(lines) + "\n"
