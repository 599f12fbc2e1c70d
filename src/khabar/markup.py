"""Inline authoring markup: annotate an article without counting offsets, compile it to standoff.

A markup document is YAML front matter (article metadata, stance targets, the entities it mentions) and the
article text with bracketed spans::

    ---
    id: khabar-0001
    ...
    targets:
    - {id: t1, kind: claim, text_ar: ..., text_en: ...}
    entities:
      pyongyang: {label: GPE, canonical_ar: بيونغ يانغ, canonical_en: Pyongyang}
    ---
    أرسلت ⟦بيونج يانج⟧{GPE pyongyang} ⟦عشرات⟧{NUM kind=cardinal approx=vague counted=#a1} ⟦الصواريخ⟧{#a1}

A span is ``⟦text⟧{clauses}``; spans nest. Clauses are separated by ``;``; a ``#name`` token anchors the span
so that another clause can point at it. Clause types:

* an entity label and an entity id: ``PER kim-jong-un``;
* ``NUM kind=K [value=V] [unit=U] [approx=A] [date=D] [counted=#anchor]`` (approx defaults to exact);
* ``STANCE target=T polarity=P holder=#anchor [holder_entity=ID]`` on the evidence span; holder_entity
  defaults to the entity id of the holder span when that span is an entity mention.

:func:`render` writes an article in this form and :func:`compile_markup` reads it back; the two are inverse.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from khabar.errors import InputError
from khabar.names import is_name, name_problem
from khabar.schema import (
    ARTICLE_META,
    ENTITY_LABELS,
    REGISTRY_ENTRY,
    TARGET,
    Problem,
    check_record,
)
from khabar.sentences import split_sentences
from khabar.store import entity_index
from khabar.validate import check_article

OPEN, CLOSE = "⟦", "⟧"
_META_KEYS = tuple(n for n in ARTICLE_META.names if n not in ("text", "headline", "sentences"))


@dataclass(frozen=True)
class Compiled:
    """A compiled markup document: the article record and the registry entries it declares."""

    article: dict[str, Any]
    registry: tuple[dict[str, Any], ...]


@dataclass
class _Span:
    start: int
    end: int
    clauses: str
    line: int


# --------------------------------------------------------------------------------------------------------
# Compiling


def compile_markup(source: str, name: str = "<markup>") -> Compiled:
    """Compile a markup document; raise :class:`InputError` naming file, line and field on any problem."""
    front, body, body_line = _split_front(source, name)
    meta = _front_matter(front, name)
    text, spans = _scan(body, name, body_line)
    anchors: dict[str, _Span] = {}
    parsed: list[tuple[_Span, list[str]]] = []
    problems: list[Problem] = []
    for sp in spans:
        for clause in (c.split() for c in sp.clauses.split(";")):
            tokens = [t for t in clause if not t.startswith("#")]
            for t in clause:
                if t.startswith("#"):
                    if t in anchors and (anchors[t].start, anchors[t].end) != (sp.start, sp.end):
                        problems.append(Problem("anchor", f"{t} names two spans", name, sp.line))
                    anchors[t] = sp
            if tokens:
                parsed.append((sp, tokens))
    article, lines = _build(text, meta, parsed, anchors, name, problems)
    if problems:
        raise InputError(problems)
    registry = meta["entities"]
    article["entity_index"] = entity_index(article["entities"], registry)
    for p in check_article(article):
        head = p.field.split(".", 1)[0]
        raise_at = lines.get(head, 2)  # fields not from a span come from the front matter
        problems.append(Problem(p.field, p.message, name, raise_at))
    if problems:
        raise InputError(problems)
    used = {e["entity_id"] for e in article["entity_index"]}
    return Compiled(article, tuple(registry[k] for k in sorted(registry) if k in used))


def _split_front(source: str, name: str) -> tuple[str, str, int]:
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise InputError([Problem("front matter", "the document must start with a '---' line", name, 1)])
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            body = "\n".join(lines[i + 1:])
            # one final newline is the file's, not the article's
            return "\n".join(lines[1:i]), body.removesuffix("\n"), i + 2
    raise InputError([Problem("front matter", "no closing '---' line", name, 1)])


def _front_matter(front: str, name: str) -> dict[str, Any]:
    try:
        meta = yaml.safe_load(front) or {}
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", 0) + 2
        raise InputError([Problem("front matter", f"invalid YAML: {e}".splitlines()[0], name, line)]) from None
    if not isinstance(meta, dict):
        raise InputError([Problem("front matter", "must be a mapping", name, 2)])
    meta = {k: v.isoformat() if isinstance(v, _dt.date) else v for k, v in meta.items()}
    problems = []
    for k in meta:
        if k not in (*_META_KEYS, "targets", "entities"):
            problems.append(Problem(k, "unknown front-matter key", name, 2))
    for k in _META_KEYS:
        if k not in meta:
            if ARTICLE_META[k].nullable:
                meta[k] = None
            else:
                problems.append(Problem(k, "missing from the front matter", name, 2))
    if "id" in meta and not is_name(meta["id"]):
        # the id becomes a file name when the markup is applied: refuse traversal here already
        problems.append(Problem("id", str(name_problem(meta["id"], "article id")), name, _key_line(front, "id")))
    targets = meta.setdefault("targets", []) or []
    if not isinstance(targets, list):
        problems.append(Problem("targets", "must be a list of {id, kind, text_ar, text_en}", name, 2))
        targets = []
    for i, t in enumerate(targets):
        problems += [p.at(name, 2) for p in check_record(TARGET, t, prefix=f"targets[{i}]")]
    entities = meta.get("entities") or {}
    registry: dict[str, dict[str, Any]] = {}
    if not isinstance(entities, dict):
        problems.append(Problem("entities", "must map entity ids to {label, canonical_ar, canonical_en}", name, 2))
    else:
        for eid, entry in entities.items():
            rec = {"entity_id": str(eid), **entry} if isinstance(entry, dict) else entry
            ps = check_record(REGISTRY_ENTRY, rec, prefix=f"entities.{eid}")
            problems += [p.at(name, 2) for p in ps]
            if not ps:
                registry[str(eid)] = rec
    if problems:
        raise InputError(problems)
    meta["targets"], meta["entities"] = list(targets), registry
    return meta


def _key_line(front: str, key: str) -> int:
    """The document line of a top-level front-matter key (the front matter starts on line 2)."""
    for i, raw in enumerate(front.split("\n")):
        if raw.startswith(f"{key}:"):
            return i + 2
    return 2


def _scan(body: str, name: str, first_line: int) -> tuple[str, list[_Span]]:
    out: list[str] = []
    n_out = 0
    stack: list[tuple[int, int]] = []
    spans: list[_Span] = []
    line = first_line
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == OPEN:
            stack.append((n_out, line))
        elif ch == CLOSE:
            if not stack:
                raise InputError([Problem("markup", f"'{CLOSE}' without an opening '{OPEN}'", name, line)])
            if body[i + 1:i + 2] != "{":
                raise InputError([Problem("markup", f"'{CLOSE}' must be followed by {{annotations}}", name, line)])
            close = body.find("}", i + 2)
            if close < 0 or "\n" in body[i + 2:close]:
                raise InputError([Problem("markup", "unterminated {annotations}", name, line)])
            start, _ = stack.pop()
            spans.append(_Span(start, n_out, body[i + 2:close], line))
            i = close + 1
            continue
        else:
            out.append(ch)
            n_out += 1
            if ch == "\n":
                line += 1
        i += 1
    if stack:
        raise InputError([Problem("markup", f"'{OPEN}' is never closed", name, stack[-1][1])])
    return "".join(out), spans


def _kv(tokens: list[str], name: str, line: int, problems: list[Problem]) -> dict[str, str]:
    out = {}
    for t in tokens:
        k, eq, v = t.partition("=")
        if not eq:
            problems.append(Problem("markup", f"expected key=value, got {t!r}", name, line))
        else:
            out[k] = v
    return out


def _null(v: str | None) -> str | None:
    return None if v in (None, "", "null") else v


def _build(text, meta, parsed, anchors, name, problems):
    """The article record from text and parsed clauses; ``lines`` maps result paths to markup lines."""
    ents, nums, stances = [], [], []
    for sp, tokens in parsed:
        kind, args = tokens[0], tokens[1:]
        surface = text[sp.start:sp.end]
        if kind in ENTITY_LABELS:
            if len(args) != 1:
                problems.append(Problem("entity_id", f"'{kind}' takes one entity id, got {args}", name, sp.line))
                continue
            ents.append((sp, {"start": sp.start, "end": sp.end, "text": surface, "label": kind,
                              "entity_id": args[0]}))
        elif kind == "NUM":
            kv = _kv(args, name, sp.line, problems)
            try:
                value = float(kv["value"]) if _null(kv.get("value")) else None
            except ValueError:
                problems.append(Problem("value", f"{kv['value']!r} is not a number", name, sp.line))
                continue
            counted = _anchor_span(kv.get("counted"), anchors, "counted", name, sp.line, problems)
            nums.append((sp, {"start": sp.start, "end": sp.end, "text": surface,
                              "kind": kv.get("kind"), "value": value, "date": _null(kv.get("date")),
                              "unit": _null(kv.get("unit")), "approx": kv.get("approx", "exact"),
                              "counted": counted}))
        elif kind == "STANCE":
            kv = _kv(args, name, sp.line, problems)
            holder = _anchor_span(kv.get("holder"), anchors, "holder", name, sp.line, problems)
            if holder is None:
                problems.append(Problem("holder", "STANCE needs holder=#anchor", name, sp.line))
                continue
            stances.append((sp, kv, holder))
        else:
            problems.append(Problem("markup", f"unknown clause type {kind!r}", name, sp.line))
    ents.sort(key=lambda p: (p[1]["start"], p[1]["end"]))
    nums.sort(key=lambda p: (p[1]["start"], p[1]["end"]))
    entity_at = {(m["start"], m["end"]): m["entity_id"] for _, m in ents}
    lines: dict[str, int] = {}
    article = {k: meta[k] for k in _META_KEYS}
    article.update(text=text, headline=text.split("\n", 1)[0], sentences=split_sentences(text),
                   targets=[{k: t[k] for k in TARGET.names} for t in meta["targets"]])
    article["entities"] = []
    for i, (sp, m) in enumerate(ents, 1):
        article["entities"].append({"id": f"e{i}", **m})
        lines[f"entities[{i - 1}]"] = sp.line
    article["numbers"] = []
    for i, (sp, m) in enumerate(nums, 1):
        article["numbers"].append({"id": f"n{i}", **m})
        lines[f"numbers[{i - 1}]"] = sp.line
    article["stance"] = []
    stances.sort(key=lambda s: (s[0].start, s[0].end))
    for i, (sp, kv, holder) in enumerate(stances, 1):
        he = _null(kv.get("holder_entity")) or entity_at.get(tuple(holder))
        article["stance"].append({"id": f"s{i}", "holder": holder, "holder_entity": he,
                                  "target": kv.get("target"), "polarity": kv.get("polarity"),
                                  "evidence": [sp.start, sp.end]})
        lines[f"stance[{i - 1}]"] = sp.line
    return article, lines


def _anchor_span(ref, anchors, field, name, line, problems) -> list[int] | None:
    if _null(ref) is None:
        return None
    if ref not in anchors:
        problems.append(Problem(field, f"unknown anchor {ref!r}", name, line))
        return None
    return [anchors[ref].start, anchors[ref].end]


# --------------------------------------------------------------------------------------------------------
# Rendering


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e16 else repr(float(v))


def render(article: Mapping[str, Any]) -> str:
    """The markup document of an article record (with its ``entity_index``); inverse of compile_markup."""
    text = article["text"]
    if OPEN in text or CLOSE in text:
        raise InputError([Problem("text", f"contains {OPEN} or {CLOSE}; edit the standoff instead",
                                  str(article["id"]), 0)])
    marks: dict[tuple[int, int], list[str]] = {}
    anchor_of: dict[tuple[int, int], str] = {}

    def anchor(span) -> str:
        key = (span[0], span[1])
        return anchor_of.setdefault(key, "")

    entity_at = {}
    for m in article["entities"]:
        marks.setdefault((m["start"], m["end"]), []).append(f"{m['label']} {m['entity_id']}")
        entity_at[(m["start"], m["end"])] = m["entity_id"]
    for n in article["numbers"]:
        if n["counted"] is not None:
            anchor(n["counted"])
    for s in article["stance"]:
        anchor(s["holder"])
    for i, key in enumerate(sorted(anchor_of), 1):
        anchor_of[key] = f"#a{i}"
        marks.setdefault(key, [])
    for n in article["numbers"]:
        parts = [f"NUM kind={n['kind']}"]
        if n["value"] is not None:
            parts.append(f"value={_fmt(n['value'])}")
        for k in ("unit", "date"):
            if n[k] is not None:
                parts.append(f"{k}={n[k]}")
        if n["approx"] != "exact":
            parts.append(f"approx={n['approx']}")
        if n["counted"] is not None:
            parts.append(f"counted={anchor_of[tuple(n['counted'])]}")
        marks.setdefault((n["start"], n["end"]), []).append(" ".join(parts))
    for s in article["stance"]:
        hk = tuple(s["holder"])
        clause = f"STANCE target={s['target']} polarity={s['polarity']} holder={anchor_of[hk]}"
        if s["holder_entity"] != entity_at.get(hk):
            clause += f" holder_entity={s['holder_entity'] or 'null'}"
        marks.setdefault(tuple(s["evidence"]), []).append(clause)
    for key, a in anchor_of.items():
        clauses = marks[key]
        if clauses:
            clauses[0] = f"{clauses[0]} {a}"
        else:
            clauses.append(a)
    return _front(article) + "---\n" + _nest(text, marks, str(article["id"])) + "\n"


def _front(article: Mapping[str, Any]) -> str:
    meta: dict[str, Any] = {k: article[k] for k in _META_KEYS}
    meta["targets"] = [{k: t[k] for k in TARGET.names} for t in article["targets"]]
    meta["entities"] = {e["entity_id"]: {k: e[k] for k in ("label", "canonical_ar", "canonical_en")}
                        for e in article["entity_index"]}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)


def _nest(text: str, marks: dict[tuple[int, int], list[str]], name: str) -> str:
    out: list[str] = []
    pos = 0
    stack: list[tuple[int, str]] = []

    def close() -> None:
        nonlocal pos
        end, ann = stack.pop()
        out.append(text[pos:end])
        out.append(f"{CLOSE}{{{ann}}}")
        pos = end

    for (s, e) in sorted(marks, key=lambda k: (k[0], -k[1])):
        while stack and stack[-1][0] <= s:
            close()
        if stack and stack[-1][0] < e:
            raise InputError([Problem("span", f"[{s}, {e}) crosses another span; markup cannot show it",
                                      name, 0)])
        out.append(text[pos:s])
        out.append(OPEN)
        pos = s
        stack.append((e, "; ".join(marks[(s, e)])))
    while stack:
        close()
    out.append(text[pos:])
    return "".join(out)

