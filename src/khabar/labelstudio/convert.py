"""Khabar layers to Label Studio results (pre-annotations) and back (annotators' work), offsets verified.

Label Studio 1.23 stores code-point offsets, but older versions stored UTF-16 units after astral characters
(emoji) and the server validates nothing: it accepts labels outside the config and ends past the text. So every
region read back is checked against ``text[start:end]``; a region whose UTF-16 reading matches is repaired, and
any other mismatch fails the whole task with an error naming task, annotator and region. The export itself is
untrusted too: every part of a result (its type, offsets, labels, typed values) is checked before use, so a
malformed one is an error of its task, never an exception elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from khabar.labelstudio.config import ENTITY, NUMBER, NUMBER_LABELS, STANCE, STANCE_LABELS, TARGET_SLOTS, TEXT
from khabar.schema import APPROX, ENTITY_LABELS, FLOAT_MAX, NUMBER_KINDS, POLARITIES


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


def show(value: Any, limit: int = 40) -> str:
    """A short, one-line description of a value read from an export, safe for any JSON value.

    Exports are untrusted: a region's text or id can be megabytes long, and repr of an int of more than
    4300 digits raises, so messages never repr a value whole.
    """
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return repr(value) if value.bit_length() <= 64 else f"an integer of {value.bit_length()} bits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= limit else repr(value[:limit]) + "…"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def _where(task: Any, annotator: Any, rid: Any) -> str:
    return f"task {task}, annotator {annotator}, region {show(rid)}"


def _where_field(where: str, control: str) -> str:
    return f"{where}, field {control!r}"


def _is_int(v: Any) -> bool:
    # bool is an int subclass, and 53.0 or "53" would be silently truncated or parsed: only real ints are offsets
    return isinstance(v, int) and not isinstance(v, bool)


def _verify(text: str, value: Mapping[str, Any], where: str) -> tuple[int, int, bool]:
    start, end, surface = value.get("start"), value.get("end"), value.get("text")
    if not (_is_int(start) and _is_int(end)):
        raise ConversionError(f"{where}: start {show(start)} and end {show(end)} must be integers")
    if surface is not None and not isinstance(surface, str):
        raise ConversionError(f"{where}: the region's text is {show(surface)}, not a string")
    if 0 <= start < end <= len(text) and (surface is None or text[start:end] == surface):
        return start, end, False
    fixed = utf16_to_codepoints(text, start, end)
    if fixed is not None and surface is not None and text[fixed[0]:fixed[1]] == surface:
        return fixed[0], fixed[1], True
    got = show(text[start:end]) if 0 <= start < end <= len(text) else "(outside the text)"
    raise ConversionError(f"{where}: offsets [{show(start)}, {show(end)}) give {got}, not the region's text "
                          f"{show(surface)} (neither as code points nor as UTF-16 units)")


_ALLOWED = {ENTITY: ENTITY_LABELS, NUMBER: NUMBER_LABELS, STANCE: STANCE_LABELS}
_CHOICES = {"kind": NUMBER_KINDS, "approx": APPROX, "target": TARGET_SLOTS, "polarity": POLARITIES}


def _region_id(value: Any, where: str) -> str:
    # Label Studio's ids are strings; an int is harmless, anything else cannot be matched by a relation
    if isinstance(value, str) or _is_int(value):
        return str(value)
    raise ConversionError(f"{where}: id {show(value)} is not a string")


def _value(r: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    value = r.get("value")
    if not isinstance(value, Mapping):
        raise ConversionError(f"{where}: value is {show(value)}, not an object")
    return value


def _control(r: Mapping[str, Any], where: str) -> str:
    control = r.get("from_name")
    if not isinstance(control, str):
        raise ConversionError(f"{where}: from_name {show(control)} is not a string")
    return control


def _label(r: Mapping[str, Any], where: str) -> tuple[str, str]:
    """(control, label) of a labels region, both checked against the labeling config."""
    control, labels = _control(r, where), _value(r, where).get("labels")
    if not isinstance(labels, list):
        raise ConversionError(f"{where}: labels {show(labels)} is not a list")
    if control not in _ALLOWED or len(labels) != 1 or labels[0] not in _ALLOWED[control]:
        shown = "[" + ", ".join(show(x) for x in labels[:3]) + (", …" if len(labels) > 3 else "") + "]"
        raise ConversionError(f"{where}: label {shown} of {control!r} is not in the labeling config")
    return control, labels[0]


def _extra(r: Mapping[str, Any], where: str) -> tuple[str, str] | None:
    """(control, value) of a choices or textarea region, or None when the annotator left it empty."""
    control, value = _control(r, where), _value(r, where)
    vals = value.get("choices") if r.get("type") == "choices" else value.get("text")
    if vals is None or vals == []:
        return None
    if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
        raise ConversionError(f"{_where_field(where, control)}: {show(vals)} is not a list of strings")
    v = vals[0].strip()
    if control in _CHOICES and v not in _CHOICES[control]:
        raise ConversionError(f"{where}: {control} {show(v)} is not one of {', '.join(_CHOICES[control])}")
    return control, v


def _relation(r: Mapping[str, Any], where: str) -> tuple[str, str]:
    """(from region, to region) of a relation, in the direction it was drawn."""
    a, b = _region_id(r.get("from_id"), where), _region_id(r.get("to_id"), where)
    return (b, a) if r.get("direction") == "left" else (a, b)


def from_results(text: str, results: Any, *, task: Any = "?", annotator: Any = "?") -> Layers:
    """One annotation's results as Khabar layers; raises :class:`ConversionError` on anything unsound.

    ``results`` comes straight from an export, so every part of it is type-checked here: a malformed region
    fails the whole annotation with a message naming task, annotator, region and, where known, field.
    """
    if not isinstance(results, list):
        raise ConversionError(f"task {task}, annotator {annotator}: result is {show(results)}, not a list")
    regions: dict[str, _Region] = {}
    extras: dict[str, dict[str, str]] = {}
    relations: list[tuple[str, str]] = []
    repaired = 0
    for i, r in enumerate(results):
        if not isinstance(r, Mapping):
            raise ConversionError(f"task {task}, annotator {annotator}: result item {i} is {show(r)}, "
                                  "not an object")
        where = _where(task, annotator, r.get("id", ""))
        rtype, rid = r.get("type"), _region_id(r.get("id", ""), where)
        if rtype == "relation":
            relations.append(_relation(r, where))
        elif rtype == "labels":
            control, label = _label(r, where)
            start, end, fixed = _verify(text, _value(r, where), where)
            repaired += fixed
            regions[rid] = _Region(rid, control, label, start, end, {})
        elif rtype in ("choices", "textarea"):
            got = _extra(r, where)
            if got is not None:
                extras.setdefault(rid, {})[got[0]] = got[1]
    for rid, ex in extras.items():
        if rid in regions:
            regions[rid].extra.update(ex)
    return _layers(text, regions, relations, task, annotator, repaired)


def number_value(raw: str | None, where: str) -> float | None:
    """The number an annotator typed in the value box: finite and within ±2**53, as the schema requires."""
    if not raw:
        return None
    try:
        # Decimal, not float: float turns "1e400" into inf and 2**53 + 1 into 2**53, hiding both
        exact = Decimal(raw)
    except InvalidOperation:
        raise ConversionError(f"{_where_field(where, 'value')}: {show(raw)} is not a number") from None
    if not exact.is_finite() or exact.copy_abs() > FLOAT_MAX:
        raise ConversionError(f"{_where_field(where, 'value')}: {show(raw)} is not a finite number within ±2**53")
    return float(exact)


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
            nums.append({**span, "kind": r.extra.get("kind", ""), "value": number_value(r.extra.get("value"), where),
                         "date": r.extra.get("date"), "unit": r.extra.get("unit"),
                         "approx": r.extra.get("approx", "exact"),
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
