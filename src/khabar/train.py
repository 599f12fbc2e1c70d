"""``khabar train``: build a trainable baseline's model file from the train split of the gold store.

Only articles with ``split == "train"`` are read, so no validation or test article can shape a model. The same
gold gives byte-identical model files (fixed order, fixed hyper-parameters, sorted JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from khabar.errors import KhabarError
from khabar.paths import repo_root

TRAINABLE = ("entities-crf", "entities-gazetteer")
NO_TRAINING = ("stance-cues",)


def models_dir() -> Path:
    """Where trained models live: ``benchmarks/models/`` of the checkout (or of ``KHABAR_ROOT``)."""
    return repo_root() / "benchmarks" / "models"


def train_articles(annotations: Path) -> list[dict[str, Any]]:
    """The train-split articles of the gold store at ``annotations``, in id order."""
    from khabar.store import read_store

    return [a for a in read_store(annotations).articles if a["split"] == "train"]


def train(system: str, annotations: Path, out_dir: Path | None = None) -> Path:
    """Train ``system`` on the train split of the gold store and write its model under ``out_dir``; the path."""
    if system in NO_TRAINING:
        raise KhabarError([f"{system} is rule-based and needs no training"])
    if system not in TRAINABLE:
        raise KhabarError([f"{system!r} is not trainable; trainable systems: {', '.join(TRAINABLE)}"])
    articles = train_articles(annotations)
    if not articles:
        raise KhabarError([f"{annotations}: the gold store has no train-split article to train {system} on"])
    return train_on(system, articles, out_dir or models_dir())


def train_on(system: str, articles: list[dict[str, Any]], out_dir: Path) -> Path:
    """Train ``system`` on the given articles (only their train-split ones are used) into ``out_dir``."""
    from khabar.jsonio import write_atomic

    if system == "entities-gazetteer":
        from khabar.systems.gazetteer import build_gazetteer, gazetteer_json, model_path

        path = model_path(out_dir)
        write_atomic(path, gazetteer_json(build_gazetteer(articles)))
        return path
    if system == "entities-crf":
        from khabar.systems.crf import train_crf

        return train_crf(articles, out_dir)
    raise KhabarError([f"{system!r} is not trainable; trainable systems: {', '.join(TRAINABLE)}"])
