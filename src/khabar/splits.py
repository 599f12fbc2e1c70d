"""Splits: a stratified assignment made once, and the ledger that keeps every article in its split afterwards.

From release 0.2.0 on an article never changes split; later batches only add. ``annotations/splits.jsonl`` is
the ledger: one line per article, ``{"id", "split", "since"}``. The gold store reader checks every article
against it, so a release that moved an article cannot be built.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import InputError
from khabar.jsonio import iter_jsonl, jsonl_text, write_atomic
from khabar.schema import SPLITS, Problem

LEDGER = "splits.jsonl"


@dataclass(frozen=True)
class Strata:
    """What a split should cover: the regions, sections, currencies and entity types of its articles."""

    regions: frozenset[str]
    sections: frozenset[str]
    currencies: frozenset[str]
    labels: frozenset[str]


def strata(articles: Iterable[Mapping[str, Any]]) -> Strata:
    """The strata a set of articles covers."""
    arts = list(articles)
    return Strata(
        frozenset(a["region"] for a in arts),
        frozenset(a["section"] for a in arts),
        frozenset(n["unit"] for a in arts for n in a["numbers"] if n["kind"] == "money"),
        frozenset(m["label"] for a in arts for m in a["entities"]),
    )


def _coverage(part: Sequence[Mapping[str, Any]], whole: Strata) -> tuple[int, ...]:
    s = strata(part)
    # regions first (every region must be tested), then currencies, sections and types
    return (len(s.regions & whole.regions), len(s.currencies & whole.currencies),
            len(s.sections & whole.sections), len(s.labels & whole.labels))


def stratified_split(articles: Sequence[Mapping[str, Any]], sizes: Mapping[str, int], *, seed: int,
                     fixed: Mapping[str, str] | None = None, tries: int = 20000) -> dict[str, str]:
    """Article id -> split, chosen by a seeded search that maximises the coverage of test, then validation.

    ``sizes`` gives the number of articles of ``test`` and ``validation``; the rest is train. ``fixed`` pins
    articles to a split (the seed article, whose gold the guidelines print, stays in train). Deterministic for
    one seed and one input order.
    """
    fixed = dict(fixed or {})
    whole = strata(articles)
    free = [a for a in articles if a["id"] not in fixed]
    rng = random.Random(seed)
    best: tuple[tuple[int, ...], dict[str, str]] | None = None
    for _ in range(tries):
        order = free[:]
        rng.shuffle(order)
        test = order[: sizes["test"]]
        val = order[sizes["test"]: sizes["test"] + sizes["validation"]]
        score = (*_coverage(test, whole), *_coverage(val, whole))
        if best is None or score > best[0]:
            assign = {a["id"]: "train" for a in free}
            assign.update({a["id"]: "test" for a in test})
            assign.update({a["id"]: "validation" for a in val})
            best = (score, {**assign, **fixed})
    assert best is not None
    return best[1]


def _rows(annotations: Path) -> list[tuple[int, dict[str, Any]]]:
    path = annotations / LEDGER
    if not path.exists():
        return []
    name = f"{annotations.name}/{LEDGER}"
    out = []
    for line, obj in iter_jsonl(path, name=name):
        if not isinstance(obj, dict) or obj.get("split") not in SPLITS or not isinstance(obj.get("id"), str):
            raise InputError([Problem("split", "expected {id, split, since} with a known split", name, line)])
        out.append((line, obj))
    return out


def read_ledger(annotations: Path) -> dict[str, tuple[str, int]]:
    """Article id -> (split, line) from the ledger; empty when there is none yet."""
    return {obj["id"]: (obj["split"], line) for line, obj in _rows(annotations)}


def check_ledger(articles: Iterable[Mapping[str, Any]], ledger: Mapping[str, tuple[str, int]],
                 name: str) -> list[Problem]:
    """Problems where an article left the split the ledger gave it, or a ledger article is gone."""
    problems = []
    seen = set()
    for a in articles:
        seen.add(a["id"])
        if a["id"] in ledger and ledger[a["id"]][0] != a["split"]:
            split, line = ledger[a["id"]]
            problems.append(Problem("split", f"{a['id']!r} is in {a['split']} but the ledger keeps it in {split}: "
                                    "articles never change split", name, line))
    for aid, (_, line) in ledger.items():
        if aid not in seen:
            problems.append(Problem("id", f"{aid!r} is in the split ledger but not in the store", name, line))
    return problems


def write_ledger(annotations: Path, articles: Iterable[Mapping[str, Any]], since: str) -> None:
    """Record every article not yet in the ledger with its current split; existing lines are kept as they are."""
    rows = [obj for _, obj in _rows(annotations)]
    known = {r["id"] for r in rows}
    rows += [{"id": a["id"], "split": a["split"], "since": since} for a in articles if a["id"] not in known]
    write_atomic(annotations / LEDGER, jsonl_text(sorted(rows, key=lambda r: r["id"])))
