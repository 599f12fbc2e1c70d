"""A round on disk and its push and pull.

``annotations/rounds/<round>/`` keeps a round's whole history::

    round.json                      project id, articles, pre-labelling system (never the token)
    raw/<UTC time>-<sha256>.json    every export exactly as Label Studio sent it, never overwritten
    annotators/<who>/<article>.jsonl  each annotator's work as standoff lines (targets, entity, number, stance)
    pulls.jsonl                     one line per pull: raw file, who annotated what, repaired regions
    agreement.json, agreement.md    written by ``khabar annotate agreement``
    candidate/, conflicts.jsonl     written by ``khabar annotate adjudicate``
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.errors import InputError, KhabarError, fail
from khabar.extras import require
from khabar.jsonio import dumps, iter_jsonl, jsonl_text, write_atomic, write_many_atomic
from khabar.labelstudio import client as lsc
from khabar.labelstudio.config import labeling_config, task_data
from khabar.labelstudio.convert import ConversionError, Layers, from_results, show, to_results
from khabar.names import RULE, child, is_name, name_problem
from khabar.sentences import split_sentences
from khabar.store import read_store


def round_dir(annotations: Path, name: str) -> Path:
    """The folder of one round (the name is checked: it becomes a path and a project title)."""
    problem = name_problem(name, "round name")
    if problem is not None:
        raise KhabarError([problem])
    return annotations / "rounds" / name


def read_round(annotations: Path, name: str) -> dict[str, Any]:
    """round.json, or an empty record for a new round."""
    p = round_dir(annotations, name) / "round.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {"name": name, "project_id": None,
                                                                          "articles": [], "prelabel": None}


def parse_article_ids(spec: str) -> list[str]:
    """Ids from ``a,b,c`` or from a file with one id per line."""
    p = Path(spec)
    raw = p.read_text(encoding="utf-8").split() if p.is_file() else spec.split(",")
    return [x.strip() for x in raw if x.strip()]


@dataclass(frozen=True)
class PushResult:
    """What a push did."""

    project_id: int
    imported: tuple[str, ...]
    already_there: tuple[str, ...]


def _system(name: str) -> Any:
    """The registered system ``name``; an unknown name is one line, not a KeyError traceback."""
    from khabar import systems

    try:
        return systems.get(name)
    except KeyError:
        raise KhabarError([f"unknown pre-labelling system {name!r}: `khabar systems` lists the registered ones"]
                          ) from None


def _check_article_ids(ids: Sequence[Any]) -> None:
    """Refuse article ids that cannot be a file name: each one becomes ``annotators/<who>/<id>.jsonl``."""
    bad = [name_problem(i, "article id") for i in ids if not is_name(i)]
    if bad:
        raise InputError(bad)


def _prelabel(system_name: str, article: Mapping[str, Any]) -> list[dict[str, Any]]:
    from khabar.predictions import to_input

    pred = _system(system_name)(to_input(article))
    text = article["text"]
    sentences = split_sentences(text)
    stance = []
    for s in pred["stance"]:
        # the prediction format has no evidence: use the sentence that holds the holder
        ev = next((x for x in sentences if x[0] <= s["holder"][0] < x[1]), [s["holder"][0], s["holder"][1]])
        stance.append({**s, "evidence": ev})
    return to_results(text, pred["entities"], pred["numbers"], stance)


def push(annotations: Path, name: str, article_ids: Sequence[str], server: lsc.Server,
         prelabel: str | None = None) -> PushResult:
    """Create or reuse the round's project and import one task per article not already there."""
    LabelInterface = require("label_studio_sdk.label_interface", "labelstudio", "Label Studio rounds").LabelInterface

    folder = round_dir(annotations, name)
    _check_article_ids(article_ids)
    store = {a["id"]: a for a in read_store(annotations).articles}
    unknown = [i for i in article_ids if i not in store]
    if unknown:
        raise KhabarError([f"unknown article id {unknown[0]!r} (not in {annotations / 'articles.jsonl'})"])
    if prelabel is not None:
        _system(prelabel)  # fail before touching the server
    config = labeling_config()
    info = read_round(annotations, name)
    client = lsc.connect(server)
    project = lsc.ensure_project(server, client, f"Khabar round {name}", config, info.get("project_id"))
    there = lsc.existing_article_ids(server, client, project)
    interface = LabelInterface(config)
    tasks, new = [], []
    for aid in article_ids:
        if aid in there:
            continue
        a = store[aid]
        task: dict[str, Any] = {"data": task_data(aid, a["text"], a["targets"], name)}
        if prelabel is not None:
            result = _prelabel(prelabel, a)
            errors = interface.validate_prediction({"result": result}, return_errors=True)
            if errors is not True and errors:
                raise KhabarError([f"pre-annotation of {aid} by {prelabel} does not fit the config: {errors[0]}"])
            task["predictions"] = [{"model_version": prelabel, "result": result}]
        tasks.append(task)
        new.append(aid)
    lsc.import_tasks(server, client, project, tasks)
    info.update(project_id=project, prelabel=prelabel or info.get("prelabel"),
                articles=sorted(set(info.get("articles", [])) | set(article_ids)))
    write_atomic(folder / "round.json", json.dumps(info, indent=2, sort_keys=True) + "\n")
    return PushResult(project, tuple(new), tuple(i for i in article_ids if i in there))


# --------------------------------------------------------------------------------------------------------
# Pull


@dataclass(frozen=True)
class PullResult:
    """What a pull saved and converted, and the tasks it could not convert."""

    raw_file: Path
    new_raw: bool
    converted: tuple[tuple[str, str], ...]  # (article id, annotator)
    repaired: int
    errors: tuple[str, ...] = field(default=())


def _annotator_raw(completed_by: Any) -> str:
    """The text an annotator's name is made from: email, else username, else ``user<id>``."""
    if isinstance(completed_by, Mapping):
        for key in ("email", "username"):
            v = completed_by.get(key)
            if isinstance(v, str) and v.strip():
                return v
        completed_by = completed_by.get("id")
    # bool is an int subclass; an id past 18 digits is no Label Studio user (and str() of a huge int raises)
    if isinstance(completed_by, int) and not isinstance(completed_by, bool) and abs(completed_by) < 10**18:
        return f"user{completed_by}"
    if isinstance(completed_by, str):
        return completed_by
    raise InputError([f"annotator {show(completed_by)} is neither a user record, a user id nor a name"])


def annotator_name(completed_by: Any) -> str:
    """A stable, path-safe annotator name from the export's completed_by (full record or bare id) or a name.

    Characters a name may not hold become ``_`` (``@`` becomes ``_at_``) and leading ``.``, ``_`` and ``-``
    are dropped, so ``.`` and ``..`` cannot name a folder; a name still unusable after that (empty, too long)
    is an :class:`InputError`.
    """
    raw = _annotator_raw(completed_by)
    clean = re.sub(r"[^A-Za-z0-9_.-]", "_", raw.replace("@", "_at_")).lstrip("._-")
    if not is_name(clean):
        raise InputError([f"annotator {show(raw)} does not make a safe name: {RULE}"])
    return clean


def save_raw(folder: Path, data: bytes, now: dt.datetime | None = None) -> tuple[Path, bool]:
    """Keep an export exactly as received; a byte-identical earlier export is reused, never duplicated."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    for old in sorted(folder.glob(f"*-{digest}.json")) if folder.exists() else []:
        return old, False
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{digest}.json"
    write_atomic(path, data)
    return path, True


Converted = tuple[str, str, Layers, Mapping[str, Any]]


def convert_export(export: Any, texts: Mapping[str, str], raw_name: str) -> tuple[list[Converted], list[str]]:
    """Each (article, annotator, layers, annotation record) of an export, and one error line per failed task.

    A task with any unsound region converts nothing, so a round never holds half a task."""
    if not isinstance(export, list):
        return [], [f"{raw_name}: the export is not a list of tasks"]
    done, errors = [], []
    for i, task in enumerate(export, 1):
        try:
            done += _convert_task(task, i, texts)
        except ConversionError as e:
            errors.append(f"{raw_name}: {e}")
    return done, errors


def _task_label(task: Mapping[str, Any], position: int) -> str:
    """How messages name a task: its id when it is a plain one, else its position in the export."""
    tid = task.get("id")
    if isinstance(tid, int) and not isinstance(tid, bool) and abs(tid) < 10**18:
        return str(tid)
    return f"#{position} (id {show(tid)})"


def _task_article(task: Mapping[str, Any], tid: str, texts: Mapping[str, str]) -> str:
    """The task's article id, checked against the gold store (same id, same text) and as a file name."""
    data = task.get("data")
    if not isinstance(data, Mapping):
        raise ConversionError(f"task {tid}: data is {show(data)}, not an object")
    aid = data.get("article_id")
    if not isinstance(aid, str) or aid not in texts:
        raise ConversionError(f"task {tid}: article {show(aid)} is not in the gold store")
    if not is_name(aid):  # it becomes annotators/<who>/<aid>.jsonl
        raise ConversionError(f"task {tid}: {name_problem(aid, 'article id')}")
    if data.get("text") != texts[aid]:
        raise ConversionError(f"task {tid}: its text differs from article {aid!r} in the gold store")
    return aid


def _convert_task(task: Any, position: int, texts: Mapping[str, str]) -> list[Converted]:
    """Every annotation of one export task, or a :class:`ConversionError` naming the first unsound part."""
    if not isinstance(task, Mapping):
        raise ConversionError(f"task #{position}: {show(task)}, not an object")
    tid = _task_label(task, position)
    aid = _task_article(task, tid, texts)
    anns = task.get("annotations", [])
    if not isinstance(anns, list):
        raise ConversionError(f"task {tid}: annotations is {show(anns)}, not a list")
    got = []
    for j, ann in enumerate(anns, 1):
        if not isinstance(ann, Mapping):
            raise ConversionError(f"task {tid}: annotation #{j} is {show(ann)}, not an object")
        if ann.get("was_cancelled"):
            continue
        try:
            who = annotator_name(ann.get("completed_by"))
        except InputError as e:
            raise ConversionError(f"task {tid}: annotation #{j}: {'; '.join(e.lines())}") from None
        got.append((aid, who, from_results(texts[aid], ann.get("result", []), task=tid, annotator=who), ann))
    return got


def _parse_export(data: bytes, raw_name: str) -> tuple[Any, list[str]]:
    """The export as JSON, or an error line (the raw bytes are already kept, so the pull can still be logged)."""
    try:
        return json.loads(data), []
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError
        reason = e.msg if isinstance(e, json.JSONDecodeError) else type(e).__name__
        return None, [f"{raw_name}: the export is not JSON ({reason})"]


def _plain(v: Any) -> str | int | None:
    """A value from an export fit for pulls.jsonl: a string or plain int, else None (NaN would not dump)."""
    if isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool) and abs(v) < 10**18):
        return v
    return None


def pull(annotations: Path, name: str, server: lsc.Server) -> PullResult:
    """Export the round's project, keep the raw export, convert each annotator's work to standoff."""
    info = read_round(annotations, name)
    if not info.get("project_id"):
        raise KhabarError([f"round {name!r} has no project: run `khabar annotate push` first"])
    folder = round_dir(annotations, name)
    client = lsc.connect(server)
    data = lsc.export_snapshot(server, client, int(info["project_id"]))
    raw, new = save_raw(folder / "raw", data)
    export, errors = _parse_export(data, raw.name)
    store = {a["id"]: a for a in read_store(annotations).articles}
    done: list[Converted] = []
    if not errors:
        done, errors = convert_export(export, {k: a["text"] for k, a in store.items()}, raw.name)
    files: dict[Path, str | bytes] = {}
    log = []
    for aid, who, layers, ann in done:
        lines = [{"layer": "target", **t} for t in store[aid]["targets"]]
        lines += [{"layer": "entity", **m} for m in layers.entities]
        lines += [{"layer": "number", **n} for n in layers.numbers]
        lines += [{"layer": "stance", **s} for s in layers.stance]
        files[child(folder / "annotators" / who, aid, suffix=".jsonl", what="article id")] = jsonl_text(lines)
        log.append({"article": aid, "annotator": who, "annotation": _plain(ann.get("id")),
                    "updated_at": _plain(ann.get("updated_at")),
                    "regions": len(layers.entities) + len(layers.numbers) + len(layers.stance),
                    "repaired_utf16": layers.repaired})
    pulls = folder / "pulls.jsonl"
    old = pulls.read_text(encoding="utf-8") if pulls.exists() else ""
    files[pulls] = old + dumps({"raw": raw.name, "converted": log, "errors": errors}) + "\n"
    write_many_atomic(files)
    return PullResult(raw, new, tuple((a, w) for a, w, _, _ in done), sum(x[2].repaired for x in done),
                      tuple(errors))


def read_annotators(annotations: Path, name: str) -> dict[str, dict[str, dict[str, list[dict[str, Any]]]]]:
    """article -> annotator -> layer field -> items, from the round's converted standoff."""
    out: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    base = round_dir(annotations, name) / "annotators"
    field_of = {"entity": "entities", "number": "numbers", "stance": "stance", "target": "targets"}
    for f in sorted(base.glob("*/*.jsonl")) if base.exists() else []:
        layers: dict[str, list[dict[str, Any]]] = {v: [] for v in field_of.values()}
        for line, obj in iter_jsonl(f):
            if not isinstance(obj, dict) or obj.get("layer") not in field_of:
                raise fail(str(f), line, "layer", "not a standoff line")
            layers[field_of[obj["layer"]]].append({k: v for k, v in obj.items() if k != "layer"})
        out.setdefault(f.stem, {})[f.parent.name] = layers
    return out


def import_markup(annotations: Path, name: str, annotator: str, files: Sequence[Path]) -> list[str]:
    """Record markup files as one annotator's work in a round (annotation done outside Label Studio).

    Articles new to the gold store are added with their text and metadata but no layers (the layers come
    from merge); the entities each file declares are kept in ``registry/<annotator>.jsonl`` for merge.
    Names (round, annotator, article ids) are all checked before anything is written."""
    from khabar.authoring import compile_files
    from khabar.store import write_articles

    folder = round_dir(annotations, name)
    who = annotator_name(annotator)
    compiled = compile_files(files)
    _check_article_ids([c.article["id"] for c in compiled])
    files_out = _markup_files(folder, who, compiled)
    known = {a["id"]: a for a in read_store(annotations).articles}
    fresh = []
    for c in compiled:
        a = c.article
        if a["id"] in known:
            if known[a["id"]]["text"] != a["text"]:
                raise KhabarError([f"{a['id']}: the markup's text differs from the stored article"])
            continue
        fresh.append({**a, "entities": [], "numbers": [], "stance": [], "entity_index": []})
    if fresh:
        write_articles(annotations, fresh)
    write_many_atomic(files_out)
    return [c.article["id"] for c in compiled]


def _markup_files(folder: Path, who: str, compiled: Sequence[Any]) -> dict[Path, str | bytes]:
    """The round's files for one annotator's compiled markup: one standoff file per article, and the registry."""
    files_out: dict[Path, str | bytes] = {}
    registry: dict[str, dict[str, Any]] = {}
    reg_file = child(folder / "registry", who, suffix=".jsonl", what="annotator")
    if reg_file.exists():
        registry = {obj["entity_id"]: obj for _, obj in iter_jsonl(reg_file)}
    for c in compiled:
        a = c.article
        lines = [{"layer": "target", **t} for t in a["targets"]]
        lines += [{"layer": "entity", **m} for m in a["entities"]]
        lines += [{"layer": "number", **n} for n in a["numbers"]]
        lines += [{"layer": "stance", **s} for s in a["stance"]]
        files_out[child(folder / "annotators" / who, a["id"], suffix=".jsonl", what="article id")] = jsonl_text(lines)
        for r in c.registry:
            registry.setdefault(r["entity_id"], r)
    files_out[reg_file] = jsonl_text(registry[k] for k in sorted(registry))
    return files_out


def read_registries(annotations: Path, name: str) -> dict[str, dict[str, Any]]:
    """Entity registry entries the round's annotators declared (first annotator in name order wins)."""
    out: dict[str, dict[str, Any]] = {}
    for f in sorted((round_dir(annotations, name) / "registry").glob("*.jsonl")):
        for _, obj in iter_jsonl(f):
            out.setdefault(obj["entity_id"], obj)
    return out
