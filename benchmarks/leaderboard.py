"""Run every registered system on the release's splits, score it, and render the leaderboard table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from khabar.benchmarks.scoring import TASKS, Score, score
from khabar.loaders.hf import read_split
from tqdm import tqdm

from khabar import systems
from khabar.predictions import to_input, to_prediction
from khabar.release import data_signature


@dataclass(frozen=True)
class Entry:
    """One system's scores on one split."""

    system: str
    split: str
    scores: tuple[Score, ...]


def run(dataset: Path, splits: Sequence[str] = ("validation", "test"),
        names: Iterable[str] | None = None) -> list[Entry]:
    """Entries for each (system, split) with gold data."""
    data = data_signature(dataset)
    entries = []
    for split in splits:
        gold_articles = read_split(split, dataset)
        if not gold_articles:
            continue
        gold = [to_prediction(a) for a in gold_articles]
        inputs = [to_input(a) for a in gold_articles]
        for name in names or sorted(systems.SYSTEMS):
            system = systems.get(name)
            bar = tqdm(inputs, desc=f"{name}/{split}", leave=False, disable=None)
            pred = {p["id"]: p for p in (system(i) for i in bar)}
            entries.append(Entry(name, split, tuple(score(t, gold, pred, data=data, split=split) for t in TASKS)))
    return entries


def markdown(entries: Sequence[Entry]) -> str:
    """The leaderboard as a Markdown table, best strict entity F1 first within each split, then signatures."""
    lines = ["| split | system | " + " | ".join(f"{t} P / R / F1" for t in TASKS) + " |",
             "|---|---|" + "---|" * len(TASKS)]
    for e in sorted(entries, key=lambda e: (e.split, -sum(s.prf.f1 for s in e.scores), e.system)):
        cells = [f"{s.prf.precision:.3f} / {s.prf.recall:.3f} / {s.prf.f1:.3f}" for s in e.scores]
        lines.append(f"| {e.split} | {e.system} | " + " | ".join(cells) + " |")
    sigs = sorted({s.signature for e in entries for s in e.scores})
    return "\n".join([*lines, "", "Signatures:", *(f"- `{s}`" for s in sigs)])
