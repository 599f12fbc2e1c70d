"""Adjudication: what all annotators agree on becomes the gold candidate; every disagreement goes to a
reviewable conflicts file; once each conflict has a decision, merge writes the gold store.

``conflicts.jsonl`` has one item per line: the article, the layer, the item, who marked it and who did not,
and ``"decision": null``. A reviewer sets each decision to ``"accept"`` or ``"reject"`` (and may add a
``"note"``, e.g. the guideline rule that decided it). Two versions of one span (say PER and ORG) are two lines:
accept one, reject the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import InputError
from khabar.jsonio import dumps, iter_jsonl, jsonl_text, write_many_atomic
from khabar.labelstudio.rounds import read_annotators, read_registries, round_dir
from khabar.schema import Problem
from khabar.store import read_store, write_articles

LAYERS = ("entities", "numbers", "stance")
_LAYER_NAME = {"entities": "entity", "numbers": "number", "stance": "stance"}


# Links (which entity a mention or a holder belongs to) are not compared: annotators name entities
# differently, so for an agreed span the first annotator's (by name) entity id is kept.
_LINKS = frozenset({"id", "entity_id", "holder_entity"})


def _key(item: Mapping[str, Any]) -> str:
    """An item's identity across annotators: every field but its id and its entity links."""
    return dumps({k: v for k, v in sorted(item.items()) if k not in _LINKS})


@dataclass(frozen=True)
class AdjudicationResult:
    """Counts and where the conflicts went."""

    agreed: int
    conflicts: int
    conflicts_file: Path


def adjudicate(annotations: Path, name: str) -> AdjudicationResult:
    """Split every article's annotations into agreed items and conflicts."""
    table = read_annotators(annotations, name)
    folder = round_dir(annotations, name)
    files: dict[Path, str | bytes] = {}
    conflicts: list[dict[str, Any]] = []
    agreed_total = 0
    for aid, by in sorted(table.items()):
        who = sorted(by)
        lines = [{"layer": "target", **t} for t in by[who[0]]["targets"]]
        for layer in LAYERS:
            marked: dict[str, tuple[dict[str, Any], list[str]]] = {}
            for w in who:
                for item in by[w][layer]:
                    marked.setdefault(_key(item), ({k: v for k, v in item.items() if k != "id"}, []))[1].append(w)
            for _, (item, names) in sorted(marked.items(), key=lambda kv: _order(kv[1][0])):
                if len(set(names)) == len(who):
                    lines.append({"layer": _LAYER_NAME[layer], **item})
                    agreed_total += 1
                else:
                    conflicts.append({"article": aid, "layer": _LAYER_NAME[layer], "item": item,
                                      "marked_by": sorted(set(names)),
                                      "not_by": [w for w in who if w not in names], "decision": None})
        files[folder / "candidate" / f"{aid}.jsonl"] = jsonl_text(lines)
    cfile = folder / "conflicts.jsonl"
    files[cfile] = jsonl_text(conflicts)
    write_many_atomic(files)
    return AdjudicationResult(agreed_total, len(conflicts), cfile)


def _order(item: Mapping[str, Any]) -> tuple[int, int]:
    span = item.get("evidence") or [item.get("start", 0), item.get("end", 0)]
    return int(span[0]), int(span[1])


def merge(annotations: Path, name: str) -> list[str]:
    """Write candidate items plus accepted conflicts into the gold store; every conflict must be decided."""
    folder = round_dir(annotations, name)
    cfile = folder / "conflicts.jsonl"
    if not cfile.exists():
        raise InputError([Problem("file", "missing: run `khabar annotate adjudicate` first", str(cfile), 0)])
    accepted: dict[str, list[dict[str, Any]]] = {}
    problems = []
    for line, c in iter_jsonl(cfile):
        decision = c.get("decision") if isinstance(c, dict) else None
        if decision not in ("accept", "reject"):
            problems.append(Problem("decision", f"{decision!r}: set it to \"accept\" or \"reject\"", str(cfile), line))
        elif decision == "accept":
            accepted.setdefault(c["article"], []).append({"layer": c["layer"], **c["item"]})
    if problems:
        raise InputError(problems)
    store = {a["id"]: a for a in read_store(annotations).articles}
    articles, registry = [], {}
    for cand in sorted((folder / "candidate").glob("*.jsonl")):
        aid = cand.stem
        lines = [obj for _, obj in iter_jsonl(cand)] + accepted.get(aid, [])
        art = dict(store[aid])
        art["targets"] = [{k: v for k, v in ln.items() if k != "layer"} for ln in lines if ln["layer"] == "target"]
        for layer in LAYERS:
            items = sorted((ln for ln in lines if ln["layer"] == _LAYER_NAME[layer]), key=_order)
            art[layer] = [{"id": f"{layer[0]}{i}", **{k: v for k, v in ln.items() if k != "layer"}}
                          for i, ln in enumerate(items, 1)]
        # a triple accepted from one annotator may name its holder by that annotator's entity id: relink it to
        # the mention the merged layer has at the holder span (or drop the link when there is none)
        at = {(m["start"], m["end"]): m["entity_id"] for m in art["entities"]}
        ids = set(at.values())
        for st in art["stance"]:
            if st["holder_entity"] is not None and st["holder_entity"] not in ids:
                st["holder_entity"] = at.get((st["holder"][0], st["holder"][1]))
        for m in art["entities"]:
            # an entity id new to the registry gets its first surface and its id as canonical names
            registry.setdefault(m["entity_id"], {"entity_id": m["entity_id"], "label": m["label"],
                                                 "canonical_ar": m["text"],
                                                 "canonical_en": m["entity_id"].replace("-", " ")})
        articles.append(art)
    known = read_store(annotations).registry
    declared = read_registries(annotations, name)
    for k, e in list(registry.items()):
        if k in declared and declared[k]["label"] == e["label"]:
            registry[k] = declared[k]
    write_articles(annotations, articles, [e for k, e in registry.items() if k not in known])
    return [a["id"] for a in articles]
