"""The leaderboard: run the registered baselines into submissions, score every submission, write the board.

Layout::

    benchmarks/leaderboard/submissions/<system>/meta.yaml        name, authors, url, description, date,
                                                                  trained_on_train
    benchmarks/leaderboard/submissions/<system>/<split>.jsonl    predictions in the prediction format
    benchmarks/leaderboard/submissions/<system>/real.jsonl       predictions on the real-news track (offsets only)
    benchmarks/leaderboard/LEADERBOARD.md, leaderboard.json, leaderboard.html

``<system>`` is a safe name (:mod:`khabar.names`): a folder named otherwise is an error, never silently scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from khabar.benchmarks.board_meta import read_meta
from khabar.benchmarks.board_model import Board, BoardEntry, SubmissionMeta
from khabar.benchmarks.evaluate import DEFAULT_OPTIONS, TASKS, Options, evaluate
from khabar.benchmarks.goldset import REAL, GoldSet, load_gold, load_real_gold, release_signature
from khabar.loaders.hf import read_split
from tqdm import tqdm

from khabar import systems
from khabar.errors import InputError, KhabarError, Problems
from khabar.jsonio import jsonl_text, write_many_atomic
from khabar.names import child, name_problem
from khabar.predictions import read_predictions, to_input
from khabar.schema import SPLITS, Problem

BASELINE_AUTHORS = "Khabar maintainers"
BASELINE_DATE = "2026-11-25"
T = TypeVar("T")


@dataclass(frozen=True)
class Submission:
    """One submission folder, its validated metadata and its validated predictions by split."""

    system: str
    meta: SubmissionMeta
    predictions: dict[str, dict[str, dict[str, Any]]]


def run_baselines(dataset: Path, submissions: Path, splits: Sequence[str] = ("validation", "test"),
                  names: Iterable[str] | None = None, real: Path | None = None) -> list[str]:
    """Run registered systems on each split that has gold and write them as submissions; the names run.

    With ``real`` (a hydrated real-track release) the systems also run on it, into ``real.jsonl``. Each system
    writes only under ``submissions/<name>``, the name checked first; nothing is written unless ``dataset`` is a
    release folder.
    """
    release_signature(dataset)
    chosen = list(names) if names is not None else sorted(systems.SYSTEMS)
    folders = {name: child(submissions, name, what="system name") for name in chosen}
    inputs = {split: [to_input(a) for a in read_split(split, dataset, missing_ok=True)] for split in splits}
    if real is not None:
        inputs[REAL] = [to_input(a) for a in read_split("test", real, config="real-articles")]
    for name, folder in folders.items():
        system = systems.get(name)
        files: dict[Path, str | bytes] = {}
        for split, items in inputs.items():
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
    return chosen


def build_board(dataset: Path, submissions: Path, opts: Options = DEFAULT_OPTIONS, real: Path | None = None) -> Board:
    """Score every submission on every split it has predictions for.

    With ``real`` (a hydrated real-track release) the ``real.jsonl`` predictions are scored on it too; without,
    they are left out (their gold is not on this machine). Every submission is read and validated before any is
    scored, and the problems of all of them are reported together (at most :data:`khabar.errors.MAX_PROBLEMS`).
    """
    data = release_signature(dataset)
    golds: dict[str, GoldSet] = {}
    if real is not None:
        golds[REAL] = load_real_gold(real)
    entries = []
    for sub in read_submissions(dataset, submissions, golds):
        for split, pred in sub.predictions.items():
            results = tuple(evaluate(t, golds[split], pred, opts).result for t in TASKS)
            entries.append(BoardEntry(sub.system, sub.meta, split, results))
    return Board(data, tuple(entries))


def read_submissions(dataset: Path, submissions: Path, golds: dict[str, GoldSet] | None = None
                     ) -> list[Submission]:
    """Every submission folder under ``submissions``, validated; ``golds`` caches the gold of each split read.

    The problems of every folder (its name, its ``meta.yaml``, its prediction files) are reported together.
    """
    golds = {} if golds is None else golds
    problems = Problems()
    out = []
    for folder in _folders(submissions, problems):
        meta = _attempt(problems, lambda f=folder: read_meta(f / "meta.yaml"))
        preds = _attempt(problems, lambda f=folder: _read_splits(dataset, f, golds))
        if meta is not None and preds is not None:
            out.append(Submission(folder.name, meta, preds))
    problems.raise_if_any()
    return out


def _read_splits(dataset: Path, folder: Path, golds: dict[str, GoldSet]) -> dict[str, dict[str, dict[str, Any]]]:
    """The validated predictions of one submission folder, by split (only the splits it has a file for)."""
    preds = {}
    for split in SPLITS:
        f = folder / f"{split}.jsonl"
        if f.exists():
            gold = golds.get(split) or golds.setdefault(split, load_gold(dataset, split))
            preds[split] = dict(read_predictions(f, gold.texts).by_id)
    f = folder / f"{REAL}.jsonl"
    if f.exists() and REAL in golds:
        preds[REAL] = dict(read_predictions(f, golds[REAL].texts).by_id)
    return preds


def _attempt(problems: Problems, read: Callable[[], T]) -> T | None:
    """``read()``, or None with its problems recorded when the input is bad."""
    try:
        return read()
    except InputError as e:
        _absorb(problems, e)
        return None


def _folders(submissions: Path, problems: Problems) -> list[Path]:
    """The submission folders whose names are safe, sorted; each other folder is one recorded problem."""
    try:
        folders = sorted(p for p in submissions.iterdir() if p.is_dir())
    except OSError as e:
        raise InputError([f"{submissions}: cannot read the submissions folder ({e.strerror or e}); a "
                          "leaderboard folder holds submissions/<system>/meta.yaml"]) from None
    good = []
    for folder in folders:
        msg = name_problem(folder.name, "submission folder")
        if msg is None:
            good.append(folder)
        else:
            # located at the parent: the bad name itself, printed raw, could hold a newline or bidi control
            problems.add(Problem("system", msg, str(submissions), 0))
    return good


def _absorb(problems: Problems, e: KhabarError) -> None:
    """Add the problems of one failed reader; if that reader had already stopped at its bound, stop too."""
    problems.extend(e.problems)
    if e.more or e.truncated:
        raise type(e)(problems.items, more=e.more, truncated=e.truncated)


def write_board(board: Board, out: Path) -> dict[str, Path]:
    """Write LEADERBOARD.md, leaderboard.json and leaderboard.html (all rendered before any is written)."""
    from khabar.benchmarks.board import render_html, render_json, render_markdown

    files = {out / "LEADERBOARD.md": render_markdown(board), out / "leaderboard.json": render_json(board),
             out / "leaderboard.html": render_html(board)}
    write_many_atomic(files)
    return {p.name: p for p in files}
