"""Memory-mapped access to a built release, through ``datasets.Dataset.from_file`` (no cache copy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from khabar.errors import InputError, KhabarError
from khabar.paths import dataset_dir
from khabar.release import split_path
from khabar.schema import SPLITS, VIEWS, decode_row, view_of


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
            raise InputError([f"{path}: split {split!r} is empty or missing in this release"])
        return Dataset.from_file(str(path))
    found = {s: _file(root, config, s) for s in SPLITS}
    out = DatasetDict({s: Dataset.from_file(str(p)) for s, p in found.items() if p.exists()})
    if not out:
        raise InputError([f"{root}: no split of config {config!r} here; is it a Khabar release folder?"])
    return out


def read_split(split: str, dataset: str | Path | None = None, config: str = "articles", *,
               missing_ok: bool = False) -> list[dict[str, Any]]:
    """The rows of one split as plain records (lists of dicts), in release order.

    A split the release does not have is a one-line error (exit 2), or no rows with ``missing_ok``.
    """
    import pyarrow as pa

    root = Path(dataset) if dataset is not None else dataset_dir()
    path = _file(root, config, split)
    if not path.exists():
        if missing_ok:
            return []
        raise InputError([f"{path}: split {split!r} of config {config!r} is empty or missing in this release"])
    with pa.memory_map(str(path)) as src:
        rows = pa.ipc.open_stream(src).read_all().to_pylist()
    return [decode_row(r, view_of(config)) for r in rows]
