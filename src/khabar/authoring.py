"""Maintainer workflows on the gold store: render an article to markup, apply edited markup, ingest a page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from khabar.errors import InputError, fail
from khabar.ingest import parse_scraped
from khabar.markup import Compiled, compile_markup, render
from khabar.schema import Problem
from khabar.sentences import split_sentences
from khabar.store import read_store, write_articles


def render_article(annotations: Path, article_id: str) -> str:
    """The markup document of one stored article."""
    for a in read_store(annotations).articles:
        if a["id"] == article_id:
            return render(a)
    raise fail(str(annotations / "articles.jsonl"), 0, "id", f"unknown article id {article_id!r}")


def compile_files(files: Sequence[Path]) -> list[Compiled]:
    """Compile markup files, reporting the problems of all of them at once."""
    compiled, problems = [], []
    for f in files:
        try:
            compiled.append(compile_markup(Path(f).read_text(encoding="utf-8"), str(f)))
        except InputError as e:
            problems += e.problems
        except OSError as e:
            problems.append(Problem("file", f"cannot read: {e.strerror or e}", str(f), 0))
    if problems:
        raise InputError(problems)
    return compiled


def apply_markup(annotations: Path, files: Sequence[Path]) -> list[str]:
    """Compile markup files and write them into the store (all or nothing); the ids written."""
    compiled = compile_files(files)
    registry = [r for c in compiled for r in c.registry]
    write_articles(annotations, [c.article for c in compiled], registry)
    return [c.article["id"] for c in compiled]


def scraped_markup(raw: str, meta: Mapping[str, Any]) -> str:
    """A markup skeleton (metadata, text, no annotations) for a scraped page, ready to annotate."""
    page = parse_scraped(raw)
    text = page.text
    article = {
        "id": meta["id"], "source": meta["source"], "url": meta.get("url"),
        "published": meta.get("published") or page.published, "byline": meta.get("byline") or page.byline,
        "origin": "published", "section": meta["section"], "region": meta["region"],
        "license": meta["license"], "split": meta["split"], "text": text, "headline": page.headline,
        "sentences": split_sentences(text), "entities": [], "entity_index": [], "numbers": [],
        "targets": [], "stance": [],
    }
    return render(article)
