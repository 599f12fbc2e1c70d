"""``khabar validate``: the gold store and the built release, every check, one line per problem."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa

from khabar.errors import InputError
from khabar.release import MANIFEST, manifest, render_release, split_path
from khabar.schema import SCHEMA_VERSION, SPLITS, VIEWS, Problem, arrow_schema, decode_row
from khabar.store import read_store
from khabar.validate import check_article, check_corpus


def check_all(annotations: Path, dataset: Path) -> list[Problem]:
    """Problems of the gold store, then of the release against its manifest, its schema and the store."""
    try:
        store = read_store(annotations)
    except InputError as e:
        return e.problems
    problems = check_dataset(dataset)
    if not problems:
        fresh = render_release(store).files
        for rel in sorted(set(fresh) | set(manifest(dataset)["files"])):
            on_disk = dataset / rel
            if not on_disk.exists() or on_disk.read_bytes() != fresh.get(rel):
                problems.append(Problem("content", "differs from a fresh build of annotations/: "
                                        "run `khabar release build`", _name(dataset, rel), 1))
    return problems


def _name(dataset: Path, rel: str) -> str:
    return str(Path(dataset.name) / rel)


def check_dataset(dataset: Path) -> list[Problem]:
    """Checksums, schemas, rows and split disjointness of a built release."""
    mpath = dataset / MANIFEST
    if not mpath.exists():
        return [Problem("file", "missing: run `khabar release build`", _name(dataset, MANIFEST), 0)]
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (ValueError, KeyError) as e:
        return [Problem("manifest", f"unreadable: {e}", _name(dataset, MANIFEST), 1)]
    problems: list[Problem] = []
    if manifest.get("schema_version") != SCHEMA_VERSION:
        problems.append(Problem("schema_version", f"{manifest.get('schema_version')!r} but this Khabar "
                                f"writes {SCHEMA_VERSION}", _name(dataset, MANIFEST), 1))
    on_disk = {str(p.relative_to(dataset)) for p in dataset.rglob("*") if p.is_file()} - {MANIFEST}
    for rel in sorted(on_disk - set(files)):
        problems.append(Problem("file", "not listed in the manifest", _name(dataset, rel), 0))
    for rel, entry in sorted(files.items()):
        p = dataset / rel
        if not p.exists():
            problems.append(Problem("file", "listed in the manifest but missing", _name(dataset, rel), 0))
            continue
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            problems.append(Problem("sha256", f"{digest[:12]}… does not match the manifest's "
                                    f"{entry['sha256'][:12]}…", _name(dataset, rel), 0))
    if problems:
        return problems
    seen: list[tuple[str, int, dict]] = []
    for config in VIEWS:
        for split in SPLITS:
            rel = split_path(config, split)
            if rel in files:
                problems += _check_split(dataset, rel, config, split, seen)
    problems += [p.at(seen[i][0], seen[i][1]) for i, p in check_corpus(rec for _, _, rec in seen)]
    return problems


def _check_split(dataset: Path, rel: str, config: str, split: str, seen: list) -> list[Problem]:
    name = _name(dataset, rel)
    try:
        with pa.memory_map(str(dataset / rel)) as src:
            table = pa.ipc.open_stream(src).read_all()
    except pa.ArrowInvalid as e:
        return [Problem("arrow", f"not an Arrow IPC stream: {e}", name, 0)]
    if not table.schema.equals(arrow_schema(config), check_metadata=True):
        return [Problem("schema", f"does not match the {config!r} schema of schema {SCHEMA_VERSION}", name, 0)]
    problems = []
    try:
        rows = [decode_row(r, config) for r in table.to_pylist()]
    except (IndexError, TypeError) as e:  # a class index outside its ClassLabel's names
        return [Problem("label", f"a class index does not decode ({type(e).__name__}: {e})", name, 0)]
    for row, rec in enumerate(rows, 1):
        if rec["split"] != split:
            problems.append(Problem("split", f"{rec['split']!r} in the {split!r} file", name, row))
        if config == "articles":
            problems += [p.at(name, row) for p in check_article(rec)]
    if config == "articles":
        seen.extend((name, row, rec) for row, rec in enumerate(rows, 1))
    return problems
