"""Semantic checks of one article record: offsets, surfaces, ids, cross references, value consistency.

Structural checks (types, enums, missing fields) come from :func:`khabar.schema.check_record`; everything here
assumes the structure is sound and says what else must hold.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from khabar.schema import ARTICLE, DURATION_UNITS, Problem, check_record, iter_spans

_ISO_DATE = re.compile(r"\A\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?\Z")
_ISO_PUBLISHED = re.compile(r"\A\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?\Z")
_CURRENCY = re.compile(r"\A[A-Z]{3}\Z")
# Units that go with a kind; None means the unit must be null.
_UNIT_RULE: Mapping[str, str | None] = {
    "cardinal": None, "ordinal": None, "fraction": None, "year": None, "date": None,
    "money": "currency", "percent": "%", "duration": "duration", "quantity": "any",
}


def check_article(article: Mapping[str, Any]) -> list[Problem]:
    """Every problem of one article: structure first; semantics only if the structure is sound."""
    problems = check_record(ARTICLE, article)
    if problems:
        return problems
    return list(_semantics(article))


def check_corpus(articles: Iterable[Mapping[str, Any]]) -> list[tuple[int, Problem]]:
    """Problems between articles, as (index of the article, problem): ids used twice, one text under two ids.

    Shared by the gold store reader (so ``release build`` refuses what ``validate`` refuses) and the release
    checker (which runs it over the rows of the built files).
    """
    out: list[tuple[int, Problem]] = []
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for i, a in enumerate(articles):
        if a["id"] in ids:
            out.append((i, Problem("id", f"{a['id']!r} is in both {ids[a['id']]} and {a['split']}")))
        ids.setdefault(a["id"], a["split"])
        other = texts.setdefault(a["text"], a["id"])
        if other != a["id"]:
            out.append((i, Problem("text", f"same text as article {other!r}")))
    return out


def _semantics(a: Mapping[str, Any]) -> Iterable[Problem]:
    text: str = a["text"]
    if unicodedata.normalize("NFC", text) != text:
        yield Problem("text", "is not in Unicode NFC")
    if a["headline"] != text.split("\n", 1)[0]:
        yield Problem("headline", "must equal the first line of text")
    if a["published"] is not None and not _ISO_PUBLISHED.match(a["published"]):
        yield Problem("published", f"{a['published']!r} is not an ISO date (YYYY-MM-DD[THH:MM])")
    offsets = list(_offsets(a, text))
    yield from offsets
    yield from _ids(a)
    yield from _references(a)
    for i, n in enumerate(a["numbers"]):
        yield from (Problem(f"numbers[{i}].{f}", m) for f, m in number_consistency(n))
    if not offsets:  # an overlap found among broken offsets would only echo them
        yield from _flat("entities", a["entities"])
        yield from _flat("numbers", a["numbers"])
        yield from _flat("sentences", [{"start": s[0], "end": s[1]} for s in a["sentences"]])


def _offsets(a: Mapping[str, Any], text: str) -> Iterable[Problem]:
    n = len(text)
    for path, start, end, surface in iter_spans(a):
        if not start < end:
            yield Problem(f"{path}.end", f"span [{start}, {end}) is empty or reversed")
            continue
        if not 0 <= start < n:
            yield Problem(f"{path}.start", f"{start} is outside the text (length {n})")
            continue
        if end > n:
            yield Problem(f"{path}.end", f"{end} is outside the text (length {n})")
            continue
        got = text[start:end]
        if surface is not None and got != surface:
            yield Problem(f"{path}.text", f"{surface!r} does not match text[{start}:{end}] = {got!r}")
        elif got != got.strip():
            yield Problem(f"{path}.start", f"span {got!r} starts or ends with white space")


def _ids(a: Mapping[str, Any]) -> Iterable[Problem]:
    for layer, key in (("entities", "id"), ("numbers", "id"), ("targets", "id"), ("stance", "id"),
                       ("entity_index", "entity_id")):
        seen: set[str] = set()
        for i, item in enumerate(a[layer]):
            if item[key] in seen:
                yield Problem(f"{layer}[{i}].{key}", f"duplicate id {item[key]!r}")
            seen.add(item[key])


def _references(a: Mapping[str, Any]) -> Iterable[Problem]:
    index = {e["entity_id"]: e for e in a["entity_index"]}
    used = set()
    for i, m in enumerate(a["entities"]):
        entry = index.get(m["entity_id"])
        used.add(m["entity_id"])
        if entry is None:
            yield Problem(f"entities[{i}].entity_id", f"{m['entity_id']!r} is not in entity_index")
        elif entry["label"] != m["label"]:
            yield Problem(f"entities[{i}].label",
                          f"{m['label']} differs from the label {entry['label']} of entity {m['entity_id']!r}")
    for i, e in enumerate(a["entity_index"]):
        if e["entity_id"] not in used:
            yield Problem(f"entity_index[{i}].entity_id", f"{e['entity_id']!r} has no mention in the article")
    targets = {t["id"] for t in a["targets"]}
    for i, s in enumerate(a["stance"]):
        if s["target"] not in targets:
            yield Problem(f"stance[{i}].target", f"{s['target']!r} is not a target of this article")
        if s["holder_entity"] is not None and s["holder_entity"] not in index:
            yield Problem(f"stance[{i}].holder_entity", f"{s['holder_entity']!r} is not in entity_index")


def number_consistency(n: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(field, message) for each way a number's value, date, unit and approx disagree with its kind.

    Shared by the gold validator and the prediction reader, so both hold numbers to the same rules.
    """
    kind, value, date, unit, approx = n["kind"], n["value"], n.get("date"), n["unit"], n["approx"]
    if kind == "date":
        if value is not None:
            yield "value", "must be null for kind=date (the date goes in 'date')"
        if date is None or not _ISO_DATE.match(date):
            yield "date", f"{date!r} is not an ISO date YYYY, YYYY-MM or YYYY-MM-DD"
    else:
        if date is not None:
            yield "date", f"must be null unless kind=date (kind is {kind})"
        if approx == "vague" and value is not None:
            yield "value", "must be null when approx=vague"
        if approx != "vague" and value is None:
            yield "value", f"must be set for kind={kind} unless approx=vague"
    if kind == "year" and value is not None and value != int(value):
        yield "value", f"a year must be a whole number, got {value}"
    rule = _UNIT_RULE[kind]
    if rule is None and unit is not None:
        yield "unit", f"must be null for kind={kind}"
    elif rule == "currency" and (unit is None or not _CURRENCY.match(unit)):
        yield "unit", f"{unit!r} is not an ISO 4217 currency code"
    elif rule == "%" and unit != "%":
        yield "unit", f"must be '%' for kind=percent, got {unit!r}"
    elif rule == "duration" and unit not in DURATION_UNITS:
        yield "unit", f"{unit!r} is not a duration unit ({', '.join(DURATION_UNITS)})"
    elif rule == "any" and not unit:
        yield "unit", "a quantity needs a unit symbol"


def _flat(layer: str, items: list[Mapping[str, Any]]) -> Iterable[Problem]:
    order = sorted(range(len(items)), key=lambda i: (items[i]["start"], items[i]["end"]))
    for prev, cur in itertools.pairwise(order):
        if items[cur]["start"] < items[prev]["end"]:
            other = items[prev].get("id", f"{layer}[{prev}]")
            yield Problem(f"{layer}[{cur}].start", f"overlaps {other} (spans must be flat in this version)")
