"""Where gold comes from: a release folder (one split) or any JSONL in the prediction format."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.loaders.hf import read_split

from khabar.errors import InputError
from khabar.predictions import read_predictions, to_prediction
from khabar.release import MANIFEST, data_signature
from khabar.schema import is_specific_entity


@dataclass(frozen=True)
class GoldSet:
    """Gold records in the prediction format (stance triples may carry ``holder_mentions``), the texts when
    known, and the data part of the signature."""

    records: tuple[dict[str, Any], ...]
    texts: Mapping[str, str] | None
    data: str
    split: str

    @property
    def ids(self) -> tuple[str, ...]:
        """Article ids in gold order."""
        return tuple(r["id"] for r in self.records)


def from_articles(articles: list[Mapping[str, Any]], data: str, split: str) -> GoldSet:
    """Gold from full article records.

    Each triple carries ``holder_mentions`` (every mention of its holder entity, when that entity is specific:
    GUIDELINES S11; generic holders match by their own span only) and each record its ``target_kinds``.
    """
    records = []
    for a in articles:
        rec = to_prediction(a)
        label = {e["entity_id"]: e["label"] for e in a["entity_index"]}
        mentions: dict[str, list[list[int]]] = {}
        for m in a["entities"]:
            mentions.setdefault(m["entity_id"], []).append([m["start"], m["end"]])
        rec["stance"] = [{**t, "holder_mentions": mentions.get(s["holder_entity"], [])
                          if is_specific_entity(s["holder_entity"], label.get(s["holder_entity"] or "")) else []}
                         for t, s in zip(rec["stance"], a["stance"], strict=True)]
        rec["target_kinds"] = {t["id"]: t["kind"] for t in a["targets"]}
        records.append(rec)
    return GoldSet(tuple(records), {a["id"]: a["text"] for a in articles}, data, split)


def release_signature(dataset: Path) -> str:
    """The data signature of the release folder ``dataset``; a one-line :class:`InputError` when it is not one.

    Checked before anything reads or writes, so a mistyped ``--dataset`` fails up front instead of as a
    traceback from deep inside the manifest reader (or after submissions were already written).
    """
    if not (dataset / MANIFEST).is_file():
        raise InputError([f"{dataset}: not a release folder (no {MANIFEST}); build one with `khabar release build`"])
    try:
        return data_signature(dataset)
    except (OSError, ValueError, KeyError, TypeError) as e:  # unreadable, not JSON, or missing version/hash
        raise InputError([f"{dataset / MANIFEST}: unreadable release manifest ({type(e).__name__}: {e})"]) from None


REAL = "real"  # the real-news track's pseudo-split on the leaderboard


def real_release(dataset: Path) -> Path:
    """Where ``khabar hydrate`` writes the real track by default: ``dataset-real`` beside the release."""
    return Path(dataset).resolve().parent / f"{Path(dataset).resolve().name}-real"


def load_real_gold(real: Path) -> GoldSet:
    """The real track's gold from a hydrated local release; its data signature ends in ``+real-<content hash>``."""
    from khabar.release import manifest

    release_signature(real)
    m = manifest(real)
    articles = read_split("test", real, config="real-articles")
    return from_articles(articles, f"{m['version']}+real-{m['content_sha256'][:12]}", REAL)


def load_gold(path: Path, split: str) -> GoldSet:
    """A release folder's split, or a prediction-format JSONL file (validated like any submission)."""
    if path.is_dir():
        data = release_signature(path)
        return from_articles(read_split(split, path), data, split)
    preds = read_predictions(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return GoldSet(tuple(preds.by_id.values()), None, f"file+{digest}", split)
