"""The gold store: diffable standoff JSON Lines under ``annotations/``, the source of truth of every release.

Layout::

    annotations/articles.jsonl        one article per line: metadata, text, sentences
    annotations/entities.jsonl        the entity registry: entity_id, label, canonical_ar, canonical_en
    annotations/gold/<id>.jsonl       line 1: {"layer": "text", "sha256": ...}, the fingerprint of the text the
                                      annotations were made on; then one annotation per line,
                                      {"layer": entity|number|target|stance, ...}

Reading assembles full article records (the schema's ``article``) and reports every problem as
``file:line: field: message``; writing is validated first and atomic per file. Every article must have its gold
file (an article with no annotations still has the fingerprint line), so a lost file or folder is an error,
never an article silently released without layers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import InputError, Problems
from khabar.jsonio import iter_jsonl, jsonl_text, write_many_atomic
from khabar.names import child, is_name, name_problem
from khabar.schema import ARTICLE_META, REGISTRY_ENTRY, STANDOFF, TEXT_HASH, Problem, check_record, short_repr
from khabar.splits import LEDGER, check_ledger, read_ledger
from khabar.swap import locked
from khabar.validate import check_article, check_corpus

_LAYER_FIELD = {"entity": "entities", "number": "numbers", "target": "targets", "stance": "stance"}
_FIELD_LAYER = {v: k for k, v in _LAYER_FIELD.items()}


def text_sha256(text: str) -> str:
    """The fingerprint of an article's text: SHA-256 of its UTF-8 bytes, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    """Read and validate a gold store; raise one :class:`InputError` listing its problems (at most 50)."""
    root = Path(root)
    art_path, reg_path, gold_dir = paths(root)
    problems = Problems()
    registry, reg_lines = _read_registry(reg_path, root, problems)
    metas: dict[str, tuple[dict[str, Any], int]] = {}
    art_name = _rel(art_path, root)
    for line, obj in iter_jsonl(art_path, name=art_name):
        ps = check_record(ARTICLE_META, obj)
        problems.extend(p.at(art_name, line) for p in ps)
        if ps:
            continue
        if not is_name(obj["id"]):
            problems.add(Problem("id", str(name_problem(obj["id"], "article id")), art_name, line))
        elif obj["id"] in metas:
            problems.add(Problem("id", f"duplicate article id {obj['id']!r}", art_name, line))
        else:
            metas[obj["id"]] = (obj, line)
    if not metas and not problems:
        problems.add(Problem("file", "holds no article: a release cannot be empty", art_name, 0))
    if not gold_dir.is_dir():
        problems.add(Problem("file", "the gold folder is missing: every article needs its gold file",
                             _rel(gold_dir, root), 0))
        problems.raise_if_any()
    for gf in sorted(gold_dir.glob("*.jsonl")):
        if gf.stem not in metas:
            problems.add(Problem("file", f"unknown article id {gf.stem!r} (not in {art_name})", _rel(gf, root), 1))
    articles = []
    for aid in sorted(metas):
        meta, meta_line = metas[aid]
        gf = gold_dir / f"{aid}.jsonl"
        if not gf.is_file():
            problems.add(Problem("file", f"missing: article {aid!r} ({art_name}:{meta_line}) has no gold file",
                                 _rel(gf, root), 0))
            continue
        article, where, ps = _assemble(meta, gf, registry, root)
        problems.extend(ps)
        if ps:
            continue
        fingerprint = _fingerprint(article, where, art_name, meta_line)
        if fingerprint is not None:
            problems.add(fingerprint)
            continue
        problems.extend(_locate(p, where, art_name, meta_line, reg_lines, article) for p in check_article(article))
        articles.append(article)
    problems.extend(p.at(art_name, metas[articles[i]["id"]][1]) for i, p in check_corpus(articles))
    # against articles.jsonl, not the articles that passed: one problem per cause, not a second echo
    problems.extend(check_ledger([m for m, _ in metas.values()], read_ledger(root), _rel(root / LEDGER, root)))
    problems.raise_if_any()
    return Store(root, tuple(articles), registry)


def _fingerprint(article: dict[str, Any], where, art_name: str, meta_line: int) -> Problem | None:
    """The located problem when the text is not the one the gold file was annotated on."""
    recorded = article.pop("_sha256", None)
    file, line = where.get(("text", 0), (art_name, meta_line))
    if recorded is None:
        return Problem("sha256", "no text fingerprint: the first line must be "
                       '{"layer": "text", "sha256": …} (`khabar gold apply` writes it)', file, 1)
    actual = text_sha256(article["text"])
    if recorded != actual:
        return Problem("text", f"the text of {article['id']!r} changed since it was annotated (sha256 "
                       f"{actual[:12]}…, annotated on {recorded[:12]}… at {file}:{line}): re-annotate it and "
                       "apply the markup again", art_name, meta_line)
    return None


def _read_registry(path: Path, root: Path, problems: Problems):
    name = _rel(path, root)
    registry: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    if not path.exists():
        return registry, lines
    for line, obj in iter_jsonl(path, name=name):
        ps = check_record(REGISTRY_ENTRY, obj)
        problems.extend(p.at(name, line) for p in ps)
        if ps:
            continue
        if obj["entity_id"] in registry:
            problems.add(Problem("entity_id", f"duplicate entity id {obj['entity_id']!r}", name, line))
        registry[obj["entity_id"]] = obj
        lines[obj["entity_id"]] = line
    return registry, lines


def _assemble(meta, gold_file: Path, registry, root: Path):
    """Article record from metadata + standoff lines; ``where`` maps (field, index) to (file, line)."""
    article: dict[str, Any] = dict(meta)
    for f in _LAYER_FIELD.values():
        article[f] = []
    where: dict[tuple[str, int], tuple[str, int]] = {}
    problems: list[Problem] = []
    name = _rel(gold_file, root)
    for line, obj in iter_jsonl(gold_file, name=name):
        layer = obj.get("layer") if isinstance(obj, dict) else None
        if layer == "text":
            ps = check_record(TEXT_HASH, obj, extra_ok=("layer",))
            problems += [p.at(name, line) for p in ps]
            if not ps and "_sha256" in article:
                problems.append(Problem("layer", "a second text fingerprint", name, line))
            elif not ps:
                article["_sha256"] = obj["sha256"]
                where[("text", 0)] = (name, line)
            continue
        if layer not in STANDOFF:
            problems.append(Problem("layer", f"{short_repr(layer)} is not one of text, {', '.join(STANDOFF)}",
                                    name, line))
            continue
        ps = check_record(STANDOFF[layer], obj, extra_ok=("layer",))
        problems += [p.at(name, line) for p in ps]
        if ps:
            continue
        article[_LAYER_FIELD[layer]].append(({k: obj[k] for k in STANDOFF[layer].names}, (name, line)))
        if len(problems) > 50:  # bounded: the caller keeps at most 50 anyway
            break
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
    across articles, so silently changing one would relabel mentions elsewhere. Writers take the store's lock
    (``.annotations.lock`` beside it), so two concurrent writes cannot lose each other's articles.
    """
    root = Path(root)
    with locked(root.resolve(), wait=True):
        _write_articles(root, list(articles), list(registry_entries))


def _write_articles(root: Path, articles: list[Mapping[str, Any]], registry_entries: list[Mapping[str, Any]]):
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
    bad = [Problem("id", str(name_problem(a.get("id"), "article id")), str(art_path), 0)
           for a in new if not is_name(a.get("id"))]
    if bad:  # checked before anything else: the id becomes a file name below
        raise InputError(bad)
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
        article = by_id[a["id"]]
        head = {"layer": "text", "sha256": text_sha256(article["text"])}
        files[child(gold_dir, a["id"], suffix=".jsonl", what="article id")] = jsonl_text(
            [head, *standoff_lines(article)])
    write_many_atomic(files)
