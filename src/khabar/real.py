"""The real-news track: published Wikinews articles whose text is never committed, only their annotations.

``annotations/real/`` holds, per article, offsets, labels, values, ids, targets and polarities, but no surface
string and no text (the design of TAC-style and social-media datasets: standoff plus a fingerprint, text
rebuilt by each user from the public source)::

    annotations/real/articles.jsonl     one :data:`khabar.schema.REAL_ARTICLE` per article: id, SHA-256 of the text,
                                        source, cutting rule, normalisation, position, category, section, region,
                                        origin, licence, attribution, split
    annotations/real/entities.jsonl     the registry of the entities the real articles mention (ids and names)
    annotations/real/gold/<id>.jsonl    standoff lines as in the main store, less every ``text`` field

:func:`hydrate` cuts a copy of the public file (:mod:`khabar.wikinews`), finds each annotated article by the
SHA-256 of its text, fills in every surface from the offsets and validates the result with the main store's
checks. :func:`write_workspace` and :func:`export_workspace` are the pair annotators use: a full, hydrated
store outside the repository where every ``khabar gold`` and ``khabar annotate`` command works, and its export
back to offsets only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from khabar.errors import InputError, Problems
from khabar.jsonio import iter_jsonl, jsonl_text, write_many_atomic
from khabar.names import child, is_name, name_problem
from khabar.schema import (
    ARTICLE_META,
    REAL_ARTICLE,
    REAL_STANDOFF,
    REGISTRY_ENTRY,
    Problem,
    check_record,
)
from khabar.sentences import split_sentences
from khabar.store import entity_index, standoff_lines
from khabar.validate import check_article, check_corpus
from khabar.wikinews import CUT_RULE, NORMALISATION, WikinewsArticle, cut

SOURCE_REPOSITORY = "kdarwish/Farasa"
SOURCE_FILE = "WikiNewsTruth.txt"
LICENSE = "CC BY 2.5"
ATTRIBUTION = "Wikinews contributors"
_FIELD = {"entity": "entities", "number": "numbers", "target": "targets", "stance": "stance"}


def real_dir(annotations: Path) -> Path:
    """``annotations/real``."""
    return Path(annotations) / "real"


def article_id(sha256: str) -> str:
    """The stable id of a real article: its text's fingerprint, shortened."""
    return f"wn-{sha256[:10]}"


@dataclass(frozen=True)
class RealGold:
    """The committed real track, read and checked: metadata, standoff lines and registry."""

    metas: tuple[tuple[dict[str, Any], int], ...]  # (record, line in articles.jsonl)
    gold: Mapping[str, tuple[tuple[int, dict[str, Any]], ...]]  # id -> (line, standoff object)
    registry: Mapping[str, dict[str, Any]]


def _rel(path: Path, annotations: Path) -> str:
    try:
        return str(path.relative_to(Path(annotations).parent))
    except ValueError:
        return str(path)


def read_real(annotations: Path) -> RealGold:
    """Read ``annotations/real/`` and check every record's structure; one located line per problem."""
    folder = real_dir(annotations)
    problems = Problems()
    art_path = folder / "articles.jsonl"
    art_name = _rel(art_path, annotations)
    metas: list[tuple[dict[str, Any], int]] = []
    seen: set[str] = set()
    for line, obj in iter_jsonl(art_path, name=art_name):
        ps = check_record(REAL_ARTICLE, obj)
        problems.extend(p.at(art_name, line) for p in ps)
        if ps:
            continue
        if not is_name(obj["id"]):
            problems.add(Problem("id", str(name_problem(obj["id"], "article id")), art_name, line))
        elif obj["id"] in seen:
            problems.add(Problem("id", f"duplicate article id {obj['id']!r}", art_name, line))
        else:
            seen.add(obj["id"])
            metas.append((obj, line))
    reg_path = folder / "entities.jsonl"
    registry: dict[str, dict[str, Any]] = {}
    if reg_path.exists():
        name = _rel(reg_path, annotations)
        for line, obj in iter_jsonl(reg_path, name=name):
            ps = check_record(REGISTRY_ENTRY, obj)
            problems.extend(p.at(name, line) for p in ps)
            if not ps:
                registry[obj["entity_id"]] = obj
    gold: dict[str, tuple[tuple[int, dict[str, Any]], ...]] = {}
    for meta, line in metas:
        gf = child(folder / "gold", meta["id"], suffix=".jsonl", what="article id")
        if not gf.is_file():
            problems.add(Problem("file", f"missing: article {meta['id']!r} ({art_name}:{line}) has no gold file",
                                 _rel(gf, annotations), 0))
            continue
        name = _rel(gf, annotations)
        rows = []
        for gline, obj in iter_jsonl(gf, name=name):
            layer = obj.get("layer") if isinstance(obj, dict) else None
            if layer not in REAL_STANDOFF:
                problems.add(Problem("layer", f"{layer!r} is not one of {', '.join(REAL_STANDOFF)}", name, gline))
                continue
            ps = check_record(REAL_STANDOFF[layer], obj, extra_ok=("layer",))
            problems.extend(p.at(name, gline) for p in ps)
            if not ps:
                rows.append((gline, obj))
        gold[meta["id"]] = tuple(rows)
    problems.raise_if_any()
    return RealGold(tuple(metas), gold, registry)


def read_source(source: Path | str) -> list[WikinewsArticle]:
    """The articles of a copy of the Wikinews file (a path, or an http(s) URL when online); a one-line error when
    it cannot be read or holds no article."""
    if str(source).startswith(("http://", "https://")):
        return cut(_download(str(source)))
    try:
        raw = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError([Problem("file", f"cannot read: {getattr(e, 'strerror', None) or e}", str(source), 0)]) \
            from None
    articles = cut(raw)
    if not articles:
        raise InputError([Problem("file", f"no article found: not a Wikinews file cut by {CUT_RULE}", str(source),
                                  0)])
    return articles


def _download(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError([Problem("source", f"cannot download ({e}); offline? give a local copy instead", url, 0)]) \
            from None


def wikinews_url(headline: str) -> str:
    """The article's address on Arabic Wikinews, built from its headline (so it is never committed)."""
    return "https://ar.wikinews.org/wiki/" + quote(headline.replace(" ", "_"))


def _article(meta: Mapping[str, Any], text: str, rows: Sequence[tuple[int, Mapping[str, Any]]],
             registry: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, Any], dict[tuple[str, int], int]]:
    """A full article record (the main schema's) from metadata, text and offsets-only gold; where each came from."""
    headline = text.split("\n", 1)[0]
    art: dict[str, Any] = {
        "id": meta["id"], "text": text, "headline": headline,
        "source": f"Arabic Wikinews, via {meta['source_file']} ({meta['source_repository']})",
        "url": wikinews_url(headline), "published": None, "byline": None, "origin": meta["origin"],
        "section": meta["section"], "region": meta["region"],
        "license": f"{meta['license']}; credit: {meta['attribution']}", "split": meta["split"],
        "sentences": split_sentences(text), "entities": [], "numbers": [], "targets": [], "stance": [],
    }
    where: dict[tuple[str, int], int] = {}
    pairs: dict[str, list[tuple[dict[str, Any], int]]] = {f: [] for f in _FIELD.values()}
    for line, obj in rows:
        item = {k: v for k, v in obj.items() if k != "layer"}
        if obj["layer"] in ("entity", "number"):
            s, e = item["start"], item["end"]
            item["text"] = text[s:e] if 0 <= s < e <= len(text) else ""
        pairs[_FIELD[obj["layer"]]].append((item, line))
    for field, items in pairs.items():
        if field in ("entities", "numbers"):
            items.sort(key=lambda p: (p[0]["start"], p[0]["end"]))
        art[field] = [_ordered(field, i) for i, _ in items]
        where.update({(field, k): line for k, (_, line) in enumerate(items)})
    art["entity_index"] = entity_index(art["entities"], registry)
    return art, where


def _ordered(field: str, item: Mapping[str, Any]) -> dict[str, Any]:
    from khabar.schema import STANDOFF

    layer = {v: k for k, v in _FIELD.items()}[field]
    return {k: item[k] for k in STANDOFF[layer].names}


def hydrate(annotations: Path, source: Path) -> list[dict[str, Any]]:
    """Every annotated real article, text and surfaces filled in from ``source``, validated; all or nothing."""
    real = read_real(annotations)
    by_sha = {a.sha256: a for a in read_source(source)}
    by_headline = {_sha(a.headline): a for a in by_sha.values()}
    problems = Problems()
    articles = []
    art_name = _rel(real_dir(annotations) / "articles.jsonl", annotations)
    for meta, line in real.metas:
        found = by_sha.get(meta["sha256"])
        if found is None:
            near = by_headline.get(meta["headline_sha256"])
            why = (f"its text differs (headline found, text sha256 {near.sha256[:12]}… not {meta['sha256'][:12]}…)"
                   if near else "no article of the file has its text (sha256 " + meta["sha256"][:12] + "…)")
            problems.add(Problem("sha256", f"article {meta['id']!r} not hydrated from {source}: {why}",
                                 art_name, line))
            continue
        art, where = _article(meta, found.text, real.gold[meta["id"]], real.registry)
        gold_name = _rel(real_dir(annotations) / "gold" / f"{meta['id']}.jsonl", annotations)
        for p in check_article(art):
            head, _, rest = p.field.partition("]")
            field, _, idx = head.partition("[")
            gline = where.get((field, int(idx)), 0) if idx.isdigit() else line
            problems.add(Problem(rest.lstrip(".") or field, p.message, gold_name if idx.isdigit() else art_name,
                                 gline))
        articles.append(art)
    problems.extend(p.at(art_name, real.metas[i][1]) for i, p in check_corpus(articles))
    problems.raise_if_any()
    return articles


def build_real(annotations: Path, source: Path, out: Path) -> Any:
    """Hydrate the real track from ``source`` and write it as a local release (``real-*`` configs) at ``out``."""
    from khabar.release import release_info, render_articles, write_release

    info = dict(release_info(annotations))
    info["name"] = f"{info['name']} real track"
    return write_release(render_articles(hydrate(annotations, source), info, prefix="real-"), out)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------------
# Workspace: a hydrated store for annotators, and its export back to offsets


def write_workspace(annotations: Path, source: Path, out: Path, *, main_registry: Path | None = None) -> list[str]:
    """A full gold store at ``out`` (outside the repository) with every article of ``source``.

    Annotated articles come with their gold; the others with empty layers, section from their category and
    region ``international`` for the annotator to decide. Returns the ids written.
    """
    has_gold = (real_dir(annotations) / "articles.jsonl").exists()
    hydrated = {a["id"]: a for a in hydrate(annotations, source)} if has_gold else {}
    registry = dict(read_real(annotations).registry) if has_gold else {}
    if main_registry is not None and main_registry.exists():
        for _, obj in iter_jsonl(main_registry):
            registry.setdefault(obj["entity_id"], obj)
    files: dict[Path, str | bytes] = {}
    rows, ids = [], []
    for w in read_source(source):
        aid = article_id(w.sha256)
        art = hydrated.get(aid) or {**_article(skeleton_meta(w, "international"), w.text, (), {})[0]}
        rows.append({k: art[k] for k in ARTICLE_META.names})
        head = {"layer": "text", "sha256": w.sha256}
        files[out / "gold" / f"{aid}.jsonl"] = jsonl_text([head, *standoff_lines(art)])
        ids.append(aid)
    files[out / "articles.jsonl"] = jsonl_text(sorted(rows, key=lambda r: r["id"]))
    files[out / "entities.jsonl"] = jsonl_text(registry[k] for k in sorted(registry))
    files[out / "release.json"] = jsonl_text([{"name": "Khabar real track (workspace)", "version": "0.0.0",
                                               "canary": "workspace"}])
    write_many_atomic(files)
    return ids


def skeleton_meta(w: WikinewsArticle, region: str, position: int | None = None) -> dict[str, Any]:
    """The committed metadata of one article of the file."""
    return {
        "id": article_id(w.sha256), "sha256": w.sha256, "headline_sha256": _sha(w.headline),
        "source_repository": SOURCE_REPOSITORY, "source_file": SOURCE_FILE, "cut": CUT_RULE,
        "normalisation": NORMALISATION, "position": position or w.position, "category": w.category,
        "section": w.section or "culture", "region": region, "origin": "published", "license": LICENSE,
        "attribution": ATTRIBUTION, "split": "test",
    }


def dehydrate(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An article's standoff lines without any surface: what may be committed."""
    return [{k: v for k, v in line.items() if k != "text"} for line in standoff_lines(article)]


def export_workspace(workspace: Path, source: Path, annotations: Path, ids: Sequence[str] = ()) -> list[str]:
    """Write ``annotations/real/`` from a workspace: metadata, offsets-only gold and the registry they use."""
    from khabar.store import read_store

    store = read_store(workspace)
    by_sha = {a.sha256: a for a in read_source(source)}
    folder = real_dir(annotations)
    files: dict[Path, str | bytes] = {}
    metas, used = [], set()
    for art in store.articles:
        if ids and art["id"] not in ids:
            continue
        w = by_sha.get(_sha(art["text"]))
        if w is None:
            raise InputError([f"{workspace}: article {art['id']!r} is not in {source}"])
        meta = skeleton_meta(w, art["region"])
        meta["section"] = art["section"]
        metas.append(meta)
        files[folder / "gold" / f"{meta['id']}.jsonl"] = jsonl_text(dehydrate(art))
        used |= {m["entity_id"] for m in art["entities"]}
    files[folder / "articles.jsonl"] = jsonl_text(sorted(metas, key=lambda m: m["id"]))
    files[folder / "entities.jsonl"] = jsonl_text(store.registry[k] for k in sorted(used))
    write_many_atomic(files)
    return [m["id"] for m in metas]


# --------------------------------------------------------------------------------------------------------
# A round's record, without the text


_SURFACE_KEYS = frozenset({"text", "surface"})


def strip_surfaces(obj: Any) -> Any:
    """``obj`` with every ``text`` and ``surface`` key removed, at any depth: what of a round may be committed."""
    if isinstance(obj, dict):
        return {k: strip_surfaces(v) for k, v in obj.items() if k not in _SURFACE_KEYS}
    if isinstance(obj, list):
        return [strip_surfaces(v) for v in obj]
    return obj


def export_round(workspace: Path, name: str, annotations: Path) -> list[Path]:
    """Copy a workspace round's record into ``annotations/rounds/<name>/`` with no surface string.

    JSON Lines files (each annotator's standoff, conflicts and their decisions, registries) lose every
    ``text``/``surface`` field; the agreement report (figures only) is copied as it is; markup and raw exports,
    which hold the text, are not copied.
    """
    src = child(Path(workspace) / "rounds", name, what="round name")
    dst = child(Path(annotations) / "rounds", name, what="round name")
    files: dict[Path, str | bytes] = {}
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src)
        if p.suffix == ".jsonl":
            files[dst / rel] = jsonl_text(strip_surfaces(obj) for _, obj in iter_jsonl(p))
        elif p.name in ("agreement.json", "agreement.md"):
            files[dst / rel] = p.read_bytes()
    write_many_atomic(files)
    return sorted(files)
