"""The leaderboard: run the registered baselines into submissions, score every submission, write the board.

Layout::

    benchmarks/leaderboard/submissions/<system>/meta.yaml        name, authors, url, description, date,
                                                                  trained_on_train
    benchmarks/leaderboard/submissions/<system>/<split>.jsonl    predictions in the prediction format
    benchmarks/leaderboard/LEADERBOARD.md, leaderboard.json, leaderboard.html
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml
from khabar.benchmarks.board_model import Board, BoardEntry
from khabar.benchmarks.evaluate import DEFAULT_OPTIONS, TASKS, Options, evaluate
from khabar.benchmarks.goldset import load_gold
from khabar.loaders.hf import read_split
from tqdm import tqdm

from khabar import systems
from khabar.jsonio import jsonl_text, write_many_atomic
from khabar.predictions import read_predictions, to_input
from khabar.release import data_signature
from khabar.schema import SPLITS

BASELINE_AUTHORS = "Khabar maintainers"
BASELINE_DATE = "2026-11-25"


def run_baselines(dataset: Path, submissions: Path, splits: Sequence[str] = ("validation", "test"),
                  names: Iterable[str] | None = None) -> list[str]:
    """Run registered systems on each split that has gold and write them as submissions; the names run."""
    ran = []
    for name in names or sorted(systems.SYSTEMS):
        system = systems.get(name)
        folder = submissions / name
        files: dict[Path, str | bytes] = {}
        for split in splits:
            items = [to_input(a) for a in read_split(split, dataset)]
            if items:
                bar = tqdm(items, desc=f"{name}/{split}", leave=False, disable=None)
                files[folder / f"{split}.jsonl"] = jsonl_text(system(i) for i in bar)
        meta = folder / "meta.yaml"
        if not meta.exists():
            files[meta] = yaml.safe_dump({
                "name": name, "authors": BASELINE_AUTHORS, "url": None, "description": systems.SYSTEMS[name][1],
                "date": BASELINE_DATE, "trained_on_train": name in systems.TRAINED}, allow_unicode=True,
                sort_keys=False)
        write_many_atomic(files)
        ran.append(name)
    return ran


def build_board(dataset: Path, submissions: Path, opts: Options = DEFAULT_OPTIONS) -> Board:
    """Score every submission on every split it has predictions for."""
    from khabar.benchmarks.board import read_meta

    entries = []
    golds = {}
    for folder in sorted(p for p in submissions.iterdir() if p.is_dir()):
        meta = read_meta(folder / "meta.yaml")
        for split in SPLITS:
            f = folder / f"{split}.jsonl"
            if not f.exists():
                continue
            gold = golds.get(split) or golds.setdefault(split, load_gold(dataset, split))
            pred = dict(read_predictions(f, gold.texts).by_id)
            results = tuple(evaluate(t, gold, pred, opts).result for t in TASKS)
            entries.append(BoardEntry(folder.name, meta, split, results))
    return Board(data_signature(dataset), tuple(entries))


def write_board(board: Board, out: Path) -> dict[str, Path]:
    """Write LEADERBOARD.md, leaderboard.json and leaderboard.html (all rendered before any is written)."""
    from khabar.benchmarks.board import render_html, render_json, render_markdown

    files = {out / "LEADERBOARD.md": render_markdown(board), out / "leaderboard.json": render_json(board),
             out / "leaderboard.html": render_html(board)}
    write_many_atomic(files)
    return {p.name: p for p in files}
