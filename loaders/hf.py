"""Memory-mapped access to a built release, through ``datasets.Dataset.from_file`` (no cache copy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from khabar.errors import KhabarError
from khabar.paths import dataset_dir
from khabar.release import split_path
from khabar.schema import SPLITS, VIEWS, view_of


def _file(root: Path, config: str, split: str) -> Path:
    if view_of(config) not in VIEWS:
        raise KhabarError([f"unknown config {config!r}; one of {', '.join(VIEWS)} (real-… on the real track)"])
    if split not in SPLITS:
        raise KhabarError([f"unknown split {split!r}; one of {', '.join(SPLITS)}"])
    return root / split_path(config, split)


def load(config: str = "articles", split: str | None = None, dataset: str | Path | None = None) -> Any:
    """One split as a ``datasets.Dataset``, or every non-empty split as a ``DatasetDict`` when split is None.

    The Arrow files are memory-mapped where they lie: nothing is copied into the Hugging Face cache.
    """
    from datasets import Dataset, DatasetDict

    root = Path(dataset) if dataset is not None else dataset_dir()
    if split is not None:
        path = _file(root, config, split)
        if not path.exists():
            raise KhabarError([f"{path}: split {split!r} is empty or missing in this release"])
        return Dataset.from_file(str(path))
    found = {s: _file(root, config, s) for s in SPLITS}
    return DatasetDict({s: Dataset.from_file(str(p)) for s, p in found.items() if p.exists()})


def read_split(split: str, dataset: str | Path | None = None, config: str = "articles") -> list[dict[str, Any]]:
    """The rows of one split as plain records (lists of dicts), in release order."""
    import pyarrow as pa

    root = Path(dataset) if dataset is not None else dataset_dir()
    path = _file(root, config, split)
    if not path.exists():
        return []
    with pa.memory_map(str(path)) as src:
        return pa.ipc.open_stream(src).read_all().to_pylist()
