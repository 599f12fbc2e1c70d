"""The dataset card (``dataset/README.md``): YAML metadata that ``load_dataset`` reads, and prose for people.

``load_dataset`` keys its cache on the card's YAML alone, so the YAML carries the content hash of the data:
whenever the data changes, the YAML changes with it and no stale cache can serve old rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from khabar.schema import ARTICLE, SCHEMA_VERSION, VIEWS, Field, features
from khabar.stats import compute_stats, render_stats

_LICENSE_NAME = "khabar-mixed"
LICENSE_LINK = "LICENSE.md"  # the file in this folder (written by render_release)
CITATION = """@misc{khabar2026,
  title        = {Khabar: an annotated Arabic news benchmark for entities, numbers and stance},
  author       = {{Khabar maintainers}},
  year         = {2026},
  note         = {Dataset and benchmark, release {version}},
  howpublished = {Hugging Face dataset card and source repository}
}"""



def license_text(info: Mapping[str, Any]) -> str:
    """``LICENSE.md`` of a release: which licence covers which rows."""
    return (f"# Licence of {info['name']} {info['version']}\n\n"
            "- **Annotations** (every layer, the entity registry, the stance targets) and the **articles written for "
            "Khabar** (`origin: original`): Creative Commons Attribution 4.0 International (CC BY 4.0), "
            "https://creativecommons.org/licenses/by/4.0/. Credit: the Khabar maintainers.\n"
            "- **Published articles** (`origin: published`): the publisher keeps its copyright; they are "
            "redistributed for non-commercial research with their source named, and each row's `license` field "
            "says what applies.\n"
            "- **The code** that builds and scores the data: Apache-2.0 (in the source repository).\n")


def citation(version: str) -> str:
    """The BibTeX entry of a release."""
    return CITATION.replace("{version}", version)


_VIEW_DOCS = {
    "articles": "every field and all three layers",
    "entities": "text with entity mentions and the entity index",
    "numbers": "text with normalised numeric expressions",
    "stance": "text with stance targets and (holder, target, polarity) triples",
}


def card_yaml(info: Mapping[str, Any], splits: Sequence[Any], content_hash: str, prefix: str = "") -> dict[str, Any]:
    """The card's YAML header as a mapping (configs, dataset_info, and the release's identity)."""
    configs, infos = [], []
    for view in VIEWS:
        config = prefix + view
        mine = [s for s in splits if s.config == config]
        # `description` is a BuilderConfig field, so it enters the hash load_dataset keys its cache on; the
        # dataset_info sizes alone stay equal when a value changes in place.
        entry: dict[str, Any] = {"config_name": config, "version": info["version"],
                                 "data_files": [{"split": s.split, "path": s.parquet} for s in mine],
                                 "description": f"{info['name']} {info['version']} ({_VIEW_DOCS[view]}); "
                                                f"content sha256 {content_hash}"}
        if view == "articles":
            entry["default"] = True
        configs.append(entry)
        infos.append({
            "config_name": config,
            # read back by datasets into ds.info (DatasetInfo fields): version, licence, citation
            "version": info["version"],
            "license": _LICENSE_NAME,
            "citation": citation(info["version"]),
            "features": features(view)._to_yaml_list(),
            "splits": [{"name": s.split, "num_bytes": s.num_bytes, "num_examples": s.num_examples} for s in mine],
            "download_size": sum(s.file_bytes for s in mine),
            "dataset_size": sum(s.num_bytes for s in mine),
        })
    return {
        "pretty_name": info["name"],
        "language": ["ar"],
        "license": "other",
        "license_name": _LICENSE_NAME,
        "license_link": LICENSE_LINK,
        "license_details": "Annotations and articles written for Khabar: CC BY 4.0. Published articles keep "
                           "their publisher's copyright; see each row's `license` field.",
        "annotations_creators": ["machine-generated", "expert-generated"],
        "language_creators": ["machine-generated", "found"],
        "multilinguality": ["monolingual"],
        "size_categories": ["n<1K"],
        "source_datasets": ["original"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": ["arabic", "news", "information-extraction", "numbers", "stance"],
        "version": info["version"],
        "schema_version": SCHEMA_VERSION,
        "content_sha256": content_hash,
        "configs": configs,
        "dataset_info": infos,
    }


def render_real_card(header: str, info: Mapping[str, Any], articles: Sequence[Mapping[str, Any]]) -> str:
    """The card of a locally hydrated real-track release: never published, since it holds the hydrated text."""
    layer = {k: sum(len(a[k]) for a in articles) for k in ("entities", "numbers", "stance")}
    return "\n".join([
        "---", header.rstrip("\n"), "---", "",
        f"# {info['name']}: real-news track (hydrated locally)", "",
        f"{len(articles)} published Arabic Wikinews articles (2009–2014), CC BY 2.5, credit: Wikinews "
        "contributors, as released by QCRI in the file `WikiNewsTruth.txt` of the public repository "
        "kdarwish/Farasa. Khabar ships only its annotations (offsets, labels, values, ids) with a SHA-256 of each "
        "text; `khabar hydrate --source FILE` cut the file into articles, removed diacritics, checked every "
        "fingerprint and joined text and annotations here, on this machine. Every article is in the test role: "
        "there is no training split. Do not redistribute this folder without the CC BY 2.5 attribution.", "",
        "Configs: " + "; ".join(f"`real-{c}` ({d})" for c, d in _VIEW_DOCS.items()) + ".", "",
        f"Entity mentions: {layer['entities']}. Numbers: {layer['numbers']}. Stance triples: {layer['stance']}.",
        "", "## Contamination canary", "", info["canary"], "",
    ])


def _field_rows(fields: Sequence[Field], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        kind = {"str": "string", "int": "int32", "float": "float64", "span": "[start, end]",
                "spans": "list of [start, end]", "records": "list"}[f.kind]
        extra = f" one of {', '.join(f.choices)}." if f.choices else ""
        null = " Nullable." if f.nullable else ""
        rows.append(f"| `{prefix}{f.name}` | {kind} | {f.doc}{'.' if f.doc else ''}{extra}{null} |")
        if f.record is not None:
            rows += _field_rows(f.record.fields, prefix=f"{prefix}{f.name}[].")
    return rows


def render_card(info: Mapping[str, Any], splits: Sequence[Any], articles: Sequence[Mapping[str, Any]],
                content_hash: str, prefix: str = "") -> str:
    """The whole card text (for the real track, ``prefix`` is ``real-`` and the text says how it was made)."""
    header = yaml.safe_dump(card_yaml(info, splits, content_hash, prefix), allow_unicode=True, sort_keys=False,
                            width=1000)
    if prefix:
        return render_real_card(header, info, articles)
    counts = Counter(a["split"] for a in articles)
    layer = {k: sum(len(a[k]) for a in articles) for k in ("entities", "numbers", "stance")}
    origin = Counter(a["origin"] for a in articles)
    lines = [
        "---", header.rstrip("\n"), "---", "",
        f"# {info['name']} {info['version']}", "",
        "An annotated corpus of Modern Standard Arabic news for information extraction, in three layers: "
        "typed and linked entity mentions, normalised numeric expressions, and stance triples "
        "(holder, target, polarity) with evidence. Built from the standoff gold store of the Khabar "
        "repository by `khabar release build`; do not edit these files by hand.", "",
        "## Loading", "",
        "```python",
        "from datasets import load_dataset",
        "from pathlib import Path",
        '# run from the repository root (a path that does not exist is taken for a Hub id)',
        'ds = load_dataset(str(Path("dataset").resolve()), "articles", split="test")  # no Khabar import needed',
        'print(ds.features["entities"].feature["label"].names)  # closed vocabularies are ClassLabel',
        "```", "",
        "Configs: " + "; ".join(f"`{c}` ({d})" for c, d in _VIEW_DOCS.items()) + ".", "",
        "## Size", "",
        "| split | articles |", "|---|---|",
        *(f"| {s} | {counts[s]} |" for s in ("train", "validation", "test") if counts[s]), "",
        f"Entity mentions: {layer['entities']}. Numbers: {layer['numbers']}. Stance triples: {layer['stance']}. "
        f"Articles by origin: " + ", ".join(f"{k} {v}" for k, v in sorted(origin.items())) + ".", "",
        "## Splits", "",
        "Release 0.2.0 split the corpus once, stratified by region, section, currency and entity type (a seeded "
        "search, `khabar.splits.stratified_split`), so that every region, at least six currencies and every "
        "entity type appear in test; the one published article (khb-0000), whose gold the guidelines print as "
        "worked examples, is in train. From 0.2.0 on an article never changes split: later releases only add "
        "articles, and the repository's split ledger (`annotations/splits.jsonl`) is checked on every build.", "",
        "## Stance targets", "",
        "Each target has a `kind`. For a `claim` (a factual proposition) the polarity reads affirms (`support`), "
        "denies (`oppose`) or discusses (`neutral`), as AraStance's agree / disagree / discuss; for a `policy` "
        "(an action, policy or state of affairs) it reads in favour, against or neutral, as SemEval-2016 Task 6 "
        "and Mawqif's FAVOR / AGAINST / NONE.", "",
        "## Statistics (`khabar stats`)", "",
        "```", render_stats(compute_stats(articles)).rstrip("\n"), "```", "",
        "## Fields", "",
        "Offsets are Python code-point offsets into `text`, end-exclusive: `text[start:end]` is the span.", "",
        "| field | type | meaning |", "|---|---|---|",
        *_field_rows(ARTICLE.fields), "",
        "## Provenance and licence", "",
        "Rows with `origin: published` are real published articles, redistributed for research with their "
        "source named; rows with `origin: original` were written for Khabar and every person quoted in them "
        "is invented. How the data was made: [DATASHEET.md](DATASHEET.md) in this folder.", "",
        "## Licence", "",
        f"`license: other`, `license_name: {_LICENSE_NAME}`: see [LICENSE.md](LICENSE.md) in this folder.", "",
        "## Citation", "",
        "```bibtex", citation(info["version"]), "```", "",
        "## Contamination canary", "",
        info["canary"], "",
    ]
    return "\n".join(lines)
