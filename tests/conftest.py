"""Shared fixtures: the repository's gold store and a built release in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from khabar.release import build
from khabar.store import read_store

REPO = Path(__file__).resolve().parents[1]
ANNOTATIONS = REPO / "annotations"
SEED_SOURCE = ANNOTATIONS / "sources" / "000_c951edba429ed671.txt"
SEED_ID = "khb-0000"


@pytest.fixture(scope="session")
def store():
    """The repository's gold store, read once."""
    return read_store(ANNOTATIONS)


@pytest.fixture(scope="session")
def seed(store):
    """The seed article record."""
    return next(a for a in store.articles if a["id"] == SEED_ID)


@pytest.fixture()
def annotations_copy(tmp_path: Path) -> Path:
    """A writable copy of the gold store, with the datasheet beside it as in the checkout (the release carries it)."""
    dst = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, dst)
    shutil.copy(REPO / "DATASHEET.md", tmp_path / "DATASHEET.md")
    return dst


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A release built from the repository's gold store into a temporary folder."""
    out = tmp_path_factory.mktemp("release") / "dataset"
    build(ANNOTATIONS, out)
    return out
