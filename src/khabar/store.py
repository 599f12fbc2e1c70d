"""The gold store: diffable standoff JSON Lines under ``annotations/``, the source of truth of every release.

Layout::

    annotations/articles.jsonl        one article per line: metadata, text, sentences
    annotations/entities.jsonl        the entity registry: entity_id, label, canonical_ar, canonical_en
    annotations/gold/<id>.jsonl       one annotation per line, {"layer": entity|number|target|stance, ...}

Reading assembles full article records (the schema's ``article``) and reports every problem as
``file:line: field: message``; writing is validated first and atomic per file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import InputError
from khabar.jsonio import iter_jsonl, jsonl_text, write_many_atomic
from khabar.schema import ARTICLE_META, REGISTRY_ENTRY, STANDOFF, Problem, check_record
from khabar.validate import check_article

_LAYER_FIELD = {"entity": "entities", "number": "numbers", "target": "targets", "stance": "stance"}
_FIELD_LAYER = {v: k for k, v in _LAYER_FIELD.items()}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Store:
    """A gold store read into memory: full article records plus where each part came from."""

    root: Path
    articles: tuple[dict[str, Any], ...]
    registry: Mapping[str, dict[str, Any]]


def paths(root: Path) -> tuple[Path, Path, Path]:
    """(articles.jsonl, entities.jsonl, gold/) under a store root."""
    return root / "articles.jsonl", root / "entities.jsonl", root / "gold"


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root.parent))
    except ValueError:
        return str(p)


def read_store(root: str | Path) -> Store:
    """Read and validate a gold store; raise one :class:`InputError` listing every problem."""
    root = Path(root)
    art_path, reg_path, gold_dir = paths(root)
    problems: list[Problem] = []
    registry, reg_lines = _read_registry(reg_path, root, problems)
    metas: dict[str, tuple[dict[str, Any], int]] = {}
    art_name = _rel(art_path, root)
    for line, obj in iter_jsonl(art_path, name=art_name):
        ps = check_record(ARTICLE_META, obj)
        problems += [p.at(art_name, line) for p in ps]
        if ps:
            continue
        if not _ID.match(obj["id"]):
            problems.append(Problem("id", f"{obj['id']!r} is not a valid article id", art_name, line))
        elif obj["id"] in metas:
            problems.append(Problem("id", f"duplicate article id {obj['id']!r}", art_name, line))
        else:
            metas[obj["id"]] = (obj, line)
    gold_files = sorted(gold_dir.glob("*.jsonl")) if gold_dir.is_dir() else []
    for gf in gold_files:
        if gf.stem not in metas:
            problems.append(Problem("file", f"unknown article id {gf.stem!r} (not in {art_name})",
                                    _rel(gf, root), 1))
    articles = []
    for aid in sorted(metas):
        meta, meta_line = metas[aid]
        gf = gold_dir / f"{aid}.jsonl"
        article, where, ps = _assemble(meta, gf if gf.exists() else None, registry, root)
        problems += ps
        if ps:
            continue
        for p in check_article(article):
            problems.append(_locate(p, where, art_name, meta_line, reg_lines, article))
        articles.append(article)
    if problems:
        raise InputError(problems)
    return Store(root, tuple(articles), registry)


def _read_registry(path: Path, root: Path, problems: list[Problem]):
    name = _rel(path, root)
    registry: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    if not path.exists():
        return registry, lines
    for line, obj in iter_jsonl(path, name=name):
        ps = check_record(REGISTRY_ENTRY, obj)
        problems += [p.at(name, line) for p in ps]
        if ps:
            continue
        if obj["entity_id"] in registry:
            problems.append(Problem("entity_id", f"duplicate entity id {obj['entity_id']!r}", name, line))
        registry[obj["entity_id"]] = obj
        lines[obj["entity_id"]] = line
    return registry, lines


def _assemble(meta, gold_file: Path | None, registry, root: Path):
    """Article record from metadata + standoff lines; ``where`` maps (field, index) to (file, line)."""
    article: dict[str, Any] = dict(meta)
    for f in _LAYER_FIELD.values():
        article[f] = []
    where: dict[tuple[str, int], tuple[str, int]] = {}
    problems: list[Problem] = []
    if gold_file is not None:
        name = _rel(gold_file, root)
        for line, obj in iter_jsonl(gold_file, name=name):
            layer = obj.get("layer") if isinstance(obj, dict) else None
            if layer not in STANDOFF:
                problems.append(Problem("layer", f"{layer!r} is not one of {', '.join(STANDOFF)}", name, line))
                continue
            ps = check_record(STANDOFF[layer], obj, extra_ok=("layer",))
            problems += [p.at(name, line) for p in ps]
            if ps:
                continue
            article[_LAYER_FIELD[layer]].append(({k: obj[k] for k in STANDOFF[layer].names}, (name, line)))
    for field in _LAYER_FIELD.values():
        pairs = article[field]
        if field in ("entities", "numbers"):
            pairs.sort(key=lambda p: (p[0]["start"], p[0]["end"]))
        article[field] = [item for item, _ in pairs]
        where.update({(field, i): loc for i, (_, loc) in enumerate(pairs)})
    article["entity_index"] = entity_index(article["entities"], registry)
    return article, where, problems


def entity_index(mentions: Iterable[Mapping[str, Any]], registry: Mapping[str, Mapping[str, Any]]):
    """The registry entries of the entities mentioned, in order of first mention."""
    out, seen = [], set()
    for m in mentions:
        eid = m["entity_id"]
        if eid in seen:
            continue
        seen.add(eid)
        if eid in registry:  # an unknown id is left out, so the validator reports the mention
            out.append(dict(registry[eid]))
    return out


_PATH = re.compile(r"^(\w+)\[(\d+)\](?:\.(.+))?$")


def _locate(p: Problem, where, art_name: str, meta_line: int, reg_lines, article) -> Problem:
    m = _PATH.match(p.field)
    if m and (m.group(1), int(m.group(2))) in where:
        file, line = where[(m.group(1), int(m.group(2)))]
        return Problem(m.group(3) or m.group(1), p.message, file, line)
    if m and m.group(1) == "entity_index":
        eid = article["entity_index"][int(m.group(2))]["entity_id"]
        if eid in reg_lines:
            return Problem(m.group(3) or "entity_id", p.message, "annotations/entities.jsonl", reg_lines[eid])
    return Problem(p.field, p.message, art_name, meta_line)


# --------------------------------------------------------------------------------------------------------
# Writing


def standoff_lines(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An article's layers as standoff lines, in the canonical order (targets, entities, numbers, stance)."""
    out: list[dict[str, Any]] = []
    for field in ("targets", "entities", "numbers", "stance"):
        layer = _FIELD_LAYER[field]
        out += [{"layer": layer, **{k: item[k] for k in STANDOFF[layer].names}} for item in article[field]]
    return out


def write_articles(root: str | Path, articles: Iterable[Mapping[str, Any]],
                   registry_entries: Iterable[Mapping[str, Any]] = ()) -> None:
    """Add or replace articles (with their layers) and registry entries, validating before writing anything.

    A registry entry that differs from an existing one with the same id is an error: entity ids are shared
    across articles, so silently changing one would relabel mentions elsewhere.
    """
    root = Path(root)
    art_path, reg_path, gold_dir = paths(root)
    current = read_store(root) if art_path.exists() else Store(root, (), {})
    registry = dict(current.registry)
    problems: list[Problem] = []
    for e in registry_entries:
        old = registry.get(e["entity_id"])
        if old is not None and dict(old) != dict(e):
            problems.append(Problem("entity_id", f"{e['entity_id']!r} already registered as {old}",
                                    str(reg_path), 0))
        registry[e["entity_id"]] = dict(e)
    by_id = {a["id"]: a for a in current.articles}
    new = list(articles)
    for a in new:
        by_id[a["id"]] = dict(a)
        by_id[a["id"]]["entity_index"] = entity_index(a["entities"], registry)
        problems += [p.at(a["id"], 0) for p in check_article(by_id[a["id"]])]
    if problems:
        raise InputError(problems)
    files: dict[Path, str] = {
        art_path: jsonl_text({k: by_id[i][k] for k in ARTICLE_META.names} for i in sorted(by_id)),
        reg_path: jsonl_text(registry[k] for k in sorted(registry)),
    }
    for a in new:
        files[gold_dir / f"{a['id']}.jsonl"] = jsonl_text(standoff_lines(by_id[a["id"]]))
    write_many_atomic(files)
