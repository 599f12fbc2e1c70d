"""Khabar layers to Label Studio results (pre-annotations) and back (annotators' work), offsets verified.

Label Studio 1.23 stores code-point offsets, but older versions stored UTF-16 units after astral characters
(emoji) and the server validates nothing: it accepts labels outside the config and ends past the text. So every
region read back is checked against ``text[start:end]``; a region whose UTF-16 reading matches is repaired, and
any other mismatch fails the whole task with an error naming task, annotator and region.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from khabar.labelstudio.config import ENTITY, NUMBER, NUMBER_LABELS, STANCE, STANCE_LABELS, TARGET_SLOTS, TEXT
from khabar.schema import APPROX, ENTITY_LABELS, NUMBER_KINDS, POLARITIES


class ConversionError(Exception):
    """A task whose annotation cannot be converted; the message names task, annotator and region."""


@dataclass(frozen=True)
class Layers:
    """One annotator's layers for one article, in the schema's record shapes (ids assigned in text order)."""

    entities: tuple[dict[str, Any], ...]
    numbers: tuple[dict[str, Any], ...]
    stance: tuple[dict[str, Any], ...]
    repaired: int = 0  # regions whose UTF-16 offsets were turned into code points


# --------------------------------------------------------------------------------------------------------
# Khabar -> Label Studio


def _region(rid: str, control: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def _per_region(rid: str, control: str, kind: str, start: int, end: int, text: str, value: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"start": start, "end": end}
    if kind == "choices":
        payload["choices"] = [value]
    else:
        payload["text"] = [value]
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": kind, "value": payload}


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e16 else repr(float(v))


def to_results(text: str, entities: Sequence[Mapping[str, Any]] = (), numbers: Sequence[Mapping[str, Any]] = (),
               stance: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Label Studio results for layers over ``text``: what ``push`` sends as a prediction."""
    out: list[dict[str, Any]] = []
    entity_region: dict[tuple[int, int], str] = {}
    for i, m in enumerate(entities, 1):
        rid = f"e{i}"
        entity_region[(m["start"], m["end"])] = rid
        out.append(_region(rid, ENTITY, m["start"], m["end"], text, m["label"]))
        if m.get("entity_id"):
            out.append(_per_region(rid, "entity_id", "textarea", m["start"], m["end"], text, m["entity_id"]))
    for i, n in enumerate(numbers, 1):
        rid = f"n{i}"
        s, e = n["start"], n["end"]
        out.append(_region(rid, NUMBER, s, e, text, "NUM"))
        out.append(_per_region(rid, "kind", "choices", s, e, text, n["kind"]))
        out.append(_per_region(rid, "approx", "choices", s, e, text, n["approx"]))
        if n.get("value") is not None:
            out.append(_per_region(rid, "value", "textarea", s, e, text, _fmt(n["value"])))
        for key in ("unit", "date"):
            if n.get(key):
                out.append(_per_region(rid, key, "textarea", s, e, text, n[key]))
        if n.get("counted"):
            cs, ce = n["counted"]
            out.append(_region(f"{rid}c", NUMBER, cs, ce, text, "COUNTED"))
            out.append({"type": "relation", "from_id": rid, "to_id": f"{rid}c", "direction": "right"})
    for i, t in enumerate(stance, 1):
        rid = f"s{i}"
        es, ee = t["evidence"]
        out.append(_region(rid, STANCE, es, ee, text, "EVIDENCE"))
        out.append(_per_region(rid, "target", "choices", es, ee, text, t["target"]))
        out.append(_per_region(rid, "polarity", "choices", es, ee, text, t["polarity"]))
        hs, he = t["holder"]
        holder = entity_region.get((hs, he))
        if holder is None:
            holder = f"{rid}h"
            out.append(_region(holder, STANCE, hs, he, text, "HOLDER"))
        out.append({"type": "relation", "from_id": holder, "to_id": rid, "direction": "right"})
    return out


# --------------------------------------------------------------------------------------------------------
# Label Studio -> Khabar


def utf16_to_codepoints(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Code-point offsets of a span given in UTF-16 code units, or None if they fall inside a character."""
    pos = {0: 0}
    units = 0
    for i, ch in enumerate(text, 1):
        units += 2 if ord(ch) > 0xFFFF else 1
        pos[units] = i
    if start in pos and end in pos:
        return pos[start], pos[end]
    return None


@dataclass
class _Region:
    rid: str
    control: str
    label: str
    start: int
    end: int
    extra: dict[str, str]


def _where(task: Any, annotator: Any, rid: str) -> str:
    return f"task {task}, annotator {annotator}, region {rid!r}"


def _verify(text: str, value: Mapping[str, Any], where: str) -> tuple[int, int, bool]:
    try:
        start, end, surface = int(value["start"]), int(value["end"]), value.get("text")
    except (KeyError, TypeError, ValueError):
        raise ConversionError(f"{where}: region has no integer start/end") from None
    if 0 <= start < end <= len(text) and (surface is None or text[start:end] == surface):
        return start, end, False
    fixed = utf16_to_codepoints(text, start, end)
    if fixed is not None and surface is not None and text[fixed[0]:fixed[1]] == surface:
        return fixed[0], fixed[1], True
    got = text[start:end] if 0 <= start < end <= len(text) else "(outside the text)"
    raise ConversionError(f"{where}: offsets [{start}, {end}) give {got!r}, not the region's text {surface!r}"
                          " (neither as code points nor as UTF-16 units)")


_ALLOWED = {ENTITY: ENTITY_LABELS, NUMBER: NUMBER_LABELS, STANCE: STANCE_LABELS}
_CHOICES = {"kind": NUMBER_KINDS, "approx": APPROX, "target": TARGET_SLOTS, "polarity": POLARITIES}


def from_results(text: str, results: Iterable[Mapping[str, Any]], *, task: Any = "?",
                 annotator: Any = "?") -> Layers:
    """One annotation's results as Khabar layers; raises :class:`ConversionError` on anything unsound."""
    regions: dict[str, _Region] = {}
    extras: dict[str, dict[str, str]] = {}
    relations: list[tuple[str, str]] = []
    repaired = 0
    for r in results:
        rtype, rid = r.get("type"), str(r.get("id", ""))
        where = _where(task, annotator, rid)
        if rtype == "relation":
            a, b = str(r.get("from_id")), str(r.get("to_id"))
            relations.append((b, a) if r.get("direction") == "left" else (a, b))
            continue
        value = r.get("value") or {}
        if rtype == "labels":
            control = r.get("from_name")
            labels = value.get("labels") or []
            if control not in _ALLOWED or len(labels) != 1 or labels[0] not in _ALLOWED[control]:
                raise ConversionError(f"{where}: label {labels} of {control!r} is not in the labeling config")
            start, end, fixed = _verify(text, value, where)
            repaired += fixed
            regions[rid] = _Region(rid, control, labels[0], start, end, {})
        elif rtype in ("choices", "textarea"):
            control = r.get("from_name")
            vals = value.get("choices") if rtype == "choices" else value.get("text")
            if not vals:
                continue
            v = str(vals[0]).strip()
            if control in _CHOICES and v not in _CHOICES[control]:
                raise ConversionError(f"{where}: {control} {v!r} is not one of {', '.join(_CHOICES[control])}")
            extras.setdefault(rid, {})[str(control)] = v
    for rid, ex in extras.items():
        if rid in regions:
            regions[rid].extra.update(ex)
    return _layers(text, regions, relations, task, annotator, repaired)


def _layers(text: str, regions: dict[str, _Region], relations: list[tuple[str, str]], task: Any, annotator: Any,
            repaired: int) -> Layers:
    ents, nums, stances = [], [], []
    counted = {a: b for a, b in relations if a in regions and regions[a].label == "NUM"}
    holders = {b: a for a, b in relations if b in regions and regions[b].label == "EVIDENCE"}
    for r in sorted(regions.values(), key=lambda r: (r.start, r.end, r.rid)):
        where = _where(task, annotator, r.rid)
        span = {"start": r.start, "end": r.end, "text": text[r.start:r.end]}
        if r.control == ENTITY:
            ents.append({**span, "label": r.label, "entity_id": r.extra.get("entity_id", "")})
        elif r.label == "NUM":
            c = regions.get(counted.get(r.rid, ""))
            try:
                value = float(r.extra["value"]) if r.extra.get("value") else None
            except ValueError:
                raise ConversionError(f"{where}: value {r.extra['value']!r} is not a number") from None
            nums.append({**span, "kind": r.extra.get("kind", ""), "value": value, "date": r.extra.get("date"),
                         "unit": r.extra.get("unit"), "approx": r.extra.get("approx", "exact"),
                         "counted": [c.start, c.end] if c is not None else None})
        elif r.label == "EVIDENCE":
            h = regions.get(holders.get(r.rid, ""))
            if h is None:
                raise ConversionError(f"{where}: evidence has no holder (draw a relation from the holder to it)")
            stances.append({"holder": [h.start, h.end],
                            "holder_entity": h.extra.get("entity_id") if h.control == ENTITY else None,
                            "target": r.extra.get("target", ""), "polarity": r.extra.get("polarity", ""),
                            "evidence": [r.start, r.end]})
    return Layers(
        tuple({"id": f"e{i}", **m} for i, m in enumerate(ents, 1)),
        tuple({"id": f"n{i}", **n} for i, n in enumerate(nums, 1)),
        tuple({"id": f"s{i}", **s} for i, s in enumerate(stances, 1)),
        repaired,
    )
