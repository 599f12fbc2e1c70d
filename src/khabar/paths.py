"""Where Khabar finds its data: one documented order, in a checkout and from an installed wheel alike.

A release (what ``load``, ``export``, ``score``, ``benchmark`` read) is found in this order:

1. ``--dataset PATH``: a release folder, or a Hugging Face Hub dataset id (``owner/name``) when online;
2. ``KHABAR_ROOT``: ``$KHABAR_ROOT/dataset``;
3. the enclosing checkout: the nearest folder above the working directory holding ``annotations/articles.jsonl``
   (or the checkout an editable install points at), and its ``dataset/``;
4. the release packaged in the wheel (``khabar/_release``), the one the wheel was built with.

The gold store (what ``train``, ``stats``, ``release build``, ``gold …`` and ``annotate …`` read) exists only in
a checkout: those commands say so in one line when there is none.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from khabar.errors import KhabarError

_HUB_ID = re.compile(r"\A[A-Za-z0-9][\w.-]*/[\w.-]+\Z")
PACKAGED = Path(__file__).resolve().parent / "_release"


def checkout_root() -> Path | None:
    """KHABAR_ROOT if set; else the nearest folder above the working directory with a gold store; else the
    checkout an editable install was made from; else None (an installed wheel used outside a checkout)."""
    env = os.environ.get("KHABAR_ROOT")
    if env:
        return Path(env).resolve()
    for d in (Path.cwd(), *Path.cwd().parents):
        if (d / "annotations" / "articles.jsonl").exists():
            return d
    source = Path(__file__).resolve().parents[2]
    return source if (source / "annotations" / "articles.jsonl").exists() else None


def repo_root() -> Path:
    """The checkout, or a one-line error saying that this command needs one."""
    root = checkout_root()
    if root is None:
        raise KhabarError(["this command needs a Khabar checkout (the gold store annotations/): run it inside a "
                           "clone of the repository, or set KHABAR_ROOT to one"])
    return root


def annotations_dir() -> Path:
    """The gold store of the checkout."""
    return repo_root() / "annotations"


def dataset_dir() -> Path:
    """The release, by the order in the module docstring (steps 2–4; ``--dataset`` is :func:`resolve_dataset`)."""
    root = checkout_root()
    if root is not None and (root / "dataset" / "manifest.json").is_file():
        return root / "dataset"
    if (PACKAGED / "manifest.json").is_file():
        return PACKAGED
    where = f"{root / 'dataset'} has no release and " if root is not None else ""
    raise KhabarError([f"no Khabar release found: {where}this installation carries none; pass --dataset PATH"])


def resolve_dataset(spec: str | Path | None) -> Path:
    """``--dataset``: a folder as given, a Hub id downloaded (online only), or :func:`dataset_dir` when None."""
    if spec is None:
        return dataset_dir()
    path = Path(spec)
    if path.exists() or not _HUB_ID.match(str(spec)):
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id=str(spec), repo_type="dataset"))
    except Exception as e:  # offline, unknown id, no permission: all one line
        raise KhabarError([f"--dataset {spec}: not a folder, and the Hub dataset could not be fetched "
                           f"({type(e).__name__}); pass a release folder"]) from None


def leaderboard_dir() -> Path:
    """The leaderboard of the checkout: submissions and the rendered board."""
    return repo_root() / "benchmarks" / "leaderboard"
