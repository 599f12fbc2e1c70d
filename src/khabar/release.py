"""Build the release folder ``dataset/`` from the gold store, deterministically.

The folder is laid out as ``push_to_hub`` lays out a dataset, so it can be uploaded unchanged::

    dataset/README.md                                   dataset card; its YAML declares configs and features
    dataset/data/<config>/<split>-00000-of-00001.arrow  Arrow IPC *stream* files
    dataset/manifest.json                               SHA-256 and size of every file, schema version

Arrow stream files, because ``datasets.Dataset.from_file`` (the zero-copy memory map) reads streams but not the
Arrow file (Feather) format, while ``load_dataset`` reads both.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from khabar.card import license_text, render_card
from khabar.errors import InputError
from khabar.jsonio import loads
from khabar.schema import (
    RELEASE_INFO,
    SCHEMA_VERSION,
    SPLITS,
    VIEWS,
    Problem,
    arrow_schema,
    check_record,
    encode_row,
)
from khabar.store import Store, read_store
from khabar.swap import replace_dir

MANIFEST = "manifest.json"
_VERSION = re.compile(r"\A\d+\.\d+\.\d+\Z")


@dataclass(frozen=True)
class SplitFile:
    """One written Arrow file of the release."""

    config: str
    split: str
    path: str  # the Arrow stream file (memory-mapped by khabar.load)
    num_examples: int
    num_bytes: int
    file_bytes: int  # of the Parquet file
    parquet: str = ""  # the Parquet file (what the card's configs, pandas, polars and DuckDB read)


@dataclass(frozen=True)
class Release:
    """A release rendered in memory: every file's bytes, by relative path."""

    version: str
    files: Mapping[str, bytes]
    splits: tuple[SplitFile, ...]

    @property
    def content_hash(self) -> str:
        """SHA-256 over the data files (not the card), the data part of every score's signature."""
        return data_hash({p: b for p, b in self.files.items() if p.startswith("data/")})


def data_hash(files: Mapping[str, bytes]) -> str:
    """SHA-256 over (path, SHA-256 of content) pairs in path order."""
    h = hashlib.sha256()
    for p in sorted(files):
        h.update(f"{p}\0{hashlib.sha256(files[p]).hexdigest()}\n".encode())
    return h.hexdigest()


def release_info(annotations: Path) -> dict[str, Any]:
    """``annotations/release.json`` (name, version, canary), checked; one located line when it is broken."""
    path = annotations / "release.json"
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError([Problem("file", f"cannot read: {getattr(e, 'strerror', None) or e}", name, 0)]) \
            from None
    # one JSON object, possibly pretty-printed: parsed whole, by the strict reader's rules
    try:
        info = loads(text)
    except ValueError as e:
        raise InputError([Problem("json", f"malformed JSON: {e}", name, 1)]) from None
    problems = [p.at(name, 1) for p in check_record(RELEASE_INFO, info)]
    if not problems and not _VERSION.match(info["version"]):
        problems.append(Problem("version", f"{info['version']!r} is not a version like 0.2.0", name, 1))
    if problems:
        raise InputError(problems)
    return info


def parquet_path(config: str, split: str) -> str:
    """Relative path of one config's split as Parquet, where ``push_to_hub(config_name=config)`` puts it."""
    return f"{config}/{split}-00000-of-00001.parquet"


def parquet_bytes(rows: Sequence[Mapping[str, Any]], config: str) -> bytes:
    """Rows projected on one config as a Parquet file (deterministic for one pyarrow version)."""
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([encode_row(r, config) for r in rows], schema=arrow_schema(config))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def split_path(config: str, split: str) -> str:
    """Relative path of one config's split file, named as push_to_hub names it."""
    return f"data/{config}/{split}-00000-of-00001.arrow"


def arrow_stream(rows: Sequence[Mapping[str, Any]], config: str) -> tuple[bytes, int]:
    """(IPC stream bytes, in-memory size) of rows projected on one config."""
    schema = arrow_schema(config)
    table = pa.Table.from_pylist([encode_row(r, config) for r in rows], schema=schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes(), table.nbytes


def render_release(store: Store) -> Release:
    """Every file of the release, in memory: pure function of the gold store (and DATASHEET.md beside it)."""
    datasheet = store.root.parent / "DATASHEET.md"
    docs = {"LICENSE.md": license_text(release_info(store.root)).encode("utf-8")}
    if datasheet.is_file():
        docs["DATASHEET.md"] = datasheet.read_bytes()
    return render_articles(store.articles, release_info(store.root), docs=docs)


def render_articles(articles: Sequence[Mapping[str, Any]], info: Mapping[str, Any], prefix: str = "",
                    docs: Mapping[str, bytes] | None = None) -> Release:
    """Every file of a release of ``articles``; configs are named ``prefix`` + view (``real-`` for the real track);
    ``docs`` are copied in as they are (the datasheet and the licence the card links to)."""
    files: dict[str, bytes] = dict(docs or {})
    splits: list[SplitFile] = []
    for view in VIEWS:
        config = prefix + view
        for split in SPLITS:
            rows = [a for a in articles if a["split"] == split]
            if not rows:
                continue  # an empty split would be an empty Arrow file, which load_dataset rejects
            path, pq_path = split_path(config, split), parquet_path(config, split)
            files[path], nbytes = arrow_stream(rows, view)
            files[pq_path] = parquet_bytes(rows, view)
            splits.append(SplitFile(config, split, path, len(rows), nbytes, len(files[pq_path]), pq_path))
    content = data_hash({p: b for p, b in files.items() if p.startswith("data/")})
    card = render_card(info, splits, articles, content, prefix)
    files["README.md"] = card.encode("utf-8")
    manifest = {
        "name": info["name"],
        "version": info["version"],
        "schema_version": SCHEMA_VERSION,
        "content_sha256": content,
        "files": {p: {"sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for p, b in sorted(files.items())},
    }
    files[MANIFEST] = (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    return Release(info["version"], files, tuple(splits))


def build(annotations: Path, out: Path) -> Release:
    """Read and validate the gold store, then replace ``out`` with the new release.

    The new folder is written beside ``out`` and swapped in (:mod:`khabar.swap`): a failure or a crash at any
    instant leaves the old release or the new one, and a concurrent build is refused with one line.
    """
    return write_release(render_release(read_store(annotations)), out)


def write_release(release: Release, out: Path) -> Release:
    """Replace the folder ``out`` with the files of ``release``, locked and crash-safe."""

    def write(folder: Path) -> None:
        for rel, data in release.files.items():
            p = folder / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)

    replace_dir(out, write)
    return release


def manifest(dataset: Path) -> dict[str, Any]:
    """The release's manifest."""
    return json.loads((dataset / MANIFEST).read_text(encoding="utf-8"))


def data_signature(dataset: Path) -> str:
    """``<version>+<content hash prefix>``: identifies the data a score was computed on."""
    m = manifest(dataset)
    return f"{m['version']}+{m['content_sha256'][:12]}"
