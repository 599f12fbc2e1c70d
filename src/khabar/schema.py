"""The Khabar schema: the single source of truth for every record the project reads or writes.

Everything else derives from the declarations here: the Arrow schema and the Hugging Face features of the
release (:func:`features`, :func:`arrow_schema`), the configs of the dataset card (:data:`VIEWS`), the structural
validator (:func:`check_record`), the standoff line formats of the gold store (:data:`STANDOFF`) and the
prediction format systems exchange (:data:`PREDICTION`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "2.0.0"

ENTITY_LABELS = ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "OCC", "EVENT", "PRODUCT")
NUMBER_KINDS = (
    "cardinal", "money", "percent", "ordinal", "fraction", "year", "date", "duration", "quantity",
)
APPROX = ("exact", "approx", "at_least", "at_most", "more_than", "less_than", "vague")
POLARITIES = ("support", "oppose", "neutral")
# A claim can be true or false: polarity reads affirms / denies / discusses (AraStance's agree / disagree /
# discuss). A policy can be wanted or not: polarity reads in favour / against / neutral (SemEval-2016's FAVOR /
# AGAINST / NONE). GUIDELINES.md section 5 decides which a target is.
TARGET_KINDS = ("claim", "policy")
# Types whose mentions denote a kind of person, not one entity (GUIDELINES S11, E13): a stance holder of these
# types matches by span only, and their entity ids are scoped to one article (``khb-0001:mp``).
GENERIC_LABELS = ("OCC", "NORP")


def is_specific_entity(entity_id: str | None, label: str | None) -> bool:
    """Whether an entity id names one specific entity, so that any of its mentions may stand for it (S11)."""
    return bool(entity_id) and label not in GENERIC_LABELS and ":" not in str(entity_id)
ORIGINS = ("published", "original")
SPLITS = ("train", "validation", "test")
SECTIONS = (
    "politics", "economy", "conflict", "health", "science", "environment", "sport", "culture", "local",
)
REGIONS = ("gulf", "levant", "egypt_sudan", "maghreb", "iraq_yemen", "international")
# UCUM symbols: the same codes scientific software already parses.
DURATION_UNITS = ("a", "mo", "wk", "d", "h", "min", "s")


@dataclass(frozen=True)
class Field:
    """One named field. ``kind`` is one of str, int, float, span, spans, records."""

    name: str
    kind: str
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    record: Record | None = None
    doc: str = ""


@dataclass(frozen=True)
class Record:
    """An ordered set of fields: an article, an entity mention, a prediction line, ..."""

    name: str
    fields: tuple[Field, ...]

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Field names in declaration order."""
        return tuple(f.name for f in self.fields)

    def select(self, name: str, *names: str, optional: tuple[str, ...] = ()) -> Record:
        """A record with only the named fields; ``optional`` ones become nullable."""
        keep = (name, *names)
        out = []
        for n in keep:
            f = self[n]
            if n in optional:
                f = Field(f.name, f.kind, True, f.choices, f.record, f.doc)
            out.append(f)
        return Record(f"{self.name}*", tuple(out))



def _s(name: str, doc: str = "", *, nullable: bool = False, choices: tuple[str, ...] | None = None) -> Field:
    return Field(name, "str", nullable, choices, None, doc)


def _span(name: str, doc: str = "", *, nullable: bool = False) -> Field:
    return Field(name, "span", nullable, None, None, doc)


def _int(name: str, doc: str = "") -> Field:
    return Field(name, "int", False, None, None, doc)


ENTITY = Record("entity", (
    _s("id", "mention id, unique in the article"),
    _int("start", "code-point offset into text"),
    _int("end", "end-exclusive code-point offset"),
    _s("text", "text[start:end]"),
    _s("label", "entity type", choices=ENTITY_LABELS),
    _s("entity_id", "id shared by all mentions of one entity; a key of entity_index"),
))

ENTITY_INDEX = Record("entity_index", (
    _s("entity_id"),
    _s("label", choices=ENTITY_LABELS),
    _s("canonical_ar", "canonical Arabic name"),
    _s("canonical_en", "canonical English name"),
))

NUMBER = Record("number", (
    _s("id"),
    _int("start"),
    _int("end"),
    _s("text", "text[start:end]"),
    _s("kind", choices=NUMBER_KINDS),
    Field("value", "float", True, None, None, "normalised value; null when vague or a date"),
    _s("date", "ISO YYYY, YYYY-MM or YYYY-MM-DD; only for kind=date", nullable=True),
    _s("unit", "ISO 4217 for money, UCUM symbol for quantity and duration, % for percent", nullable=True),
    _s("approx", choices=APPROX),
    _span("counted", "[start, end] of the counted noun", nullable=True),
))

TARGET = Record("target", (
    _s("id", "target id, unique in the article"),
    _s("kind", "claim (polarity: affirms/denies/discusses) or policy (in favour/against/neutral)",
       choices=TARGET_KINDS),
    _s("text_ar"),
    _s("text_en"),
))

STANCE = Record("stance", (
    _s("id"),
    _span("holder", "[start, end] of the holder mention"),
    _s("holder_entity", "entity_id of the holder, when it is an entity", nullable=True),
    _s("target", "a target id of this article"),
    _s("polarity", choices=POLARITIES),
    _span("evidence", "[start, end] of the text that expresses the stance"),
))

ARTICLE_META = Record("article_meta", (
    _s("id"),
    _s("text", "headline on the first line, then the body; every offset indexes this string"),
    _s("headline"),
    _s("source"),
    _s("url", nullable=True),
    _s("published", "ISO date (and time, when the source gives one)", nullable=True),
    _s("byline", nullable=True),
    _s("origin", choices=ORIGINS),
    _s("section", choices=SECTIONS),
    _s("region", choices=REGIONS),
    _s("license"),
    _s("split", choices=SPLITS),
    Field("sentences", "spans", False, None, None, "[start, end] of each sentence"),
))

LAYERS = Record("layers", (
    Field("entities", "records", record=ENTITY),
    Field("entity_index", "records", record=ENTITY_INDEX),
    Field("numbers", "records", record=NUMBER),
    Field("targets", "records", record=TARGET),
    Field("stance", "records", record=STANCE),
))

ARTICLE = Record("article", ARTICLE_META.fields + LAYERS.fields)

# The release's configs: each is a projection of the article row.
VIEWS: Mapping[str, tuple[str, ...]] = {
    "articles": ARTICLE.names,
    "entities": ("id", "text", "split", "sentences", "entities", "entity_index"),
    "numbers": ("id", "text", "split", "sentences", "numbers"),
    "stance": ("id", "text", "split", "sentences", "entity_index", "targets", "stance"),
}

# The real-news track (``annotations/real/``): published text that may not be committed, so its gold keeps
# offsets, labels, values and ids but no surface, and each article is identified by the SHA-256 of its text.
REAL_PREFIX = "real-"
REAL_ARTICLE = Record("real_article", (
    _s("id", "stable id: wn- and the first 10 hex digits of sha256"),
    _s("sha256", "SHA-256 of the normalised text as UTF-8"),
    _s("headline_sha256", "SHA-256 of the normalised headline, to tell a changed text from a missing one"),
    _s("source_repository", "where the public file is: owner/name on GitHub"),
    _s("source_file", "the file in that repository"),
    _s("cut", "the rule that cuts the file into articles (khabar.wikinews.CUT_RULE)"),
    _s("normalisation", "what was done to the file's text (khabar.wikinews.NORMALISATION)"),
    _int("position", "1-based position of the headline among the headlines of the file annotated"),
    _s("category", "the file's category line, normalised"),
    _s("section", choices=SECTIONS),
    _s("region", choices=REGIONS),
    _s("origin", choices=ORIGINS),
    _s("license"),
    _s("attribution"),
    _s("split", choices=SPLITS),
))


def without(rec: Record, *names: str) -> Record:
    """The record less the named fields (the real track's gold lines carry no surface ``text``)."""
    return Record(f"{rec.name}-", tuple(f for f in rec.fields if f.name not in names))


REAL_STANDOFF: Mapping[str, Record] = {
    "entity": without(ENTITY, "text"),
    "number": without(NUMBER, "text"),
    "target": TARGET,
    "stance": STANCE,
}


def view_of(config: str) -> str:
    """The view a release config projects: ``real-numbers`` is the ``numbers`` view of the real track."""
    return config.removeprefix(REAL_PREFIX)


# One line of a gold standoff file, per layer (``annotations/gold/<article id>.jsonl``).
STANDOFF: Mapping[str, Record] = {
    "entity": ENTITY,
    "number": NUMBER,
    "target": TARGET,
    "stance": STANCE,
}
REGISTRY_ENTRY = ENTITY_INDEX
# annotations/lint-allow.jsonl: a reviewed false positive of ``khabar gold lint``.
LINT_ALLOW = Record("lint_allow", (
    _s("article"),
    _s("rule", "the lint rule (N16, E12, ...)"),
    _s("item", "annotation id in the article's gold file (e3, n7, s2, t1)"),
    _s("reason", "why the rule does not apply here"),
))
# One verdict of an independent audit (``annotations/rounds/<round>/audit.jsonl``, :mod:`khabar.audit`).
AUDIT_VERDICT = Record("audit_verdict", (
    _s("article"),
    _s("layer", choices=("entity", "number", "target", "stance")),
    _s("item", "annotation id in the gold file; null for a missed annotation", nullable=True),
    _s("verdict", choices=("correct", "error", "missed")),
    _s("rule", "the guideline rule an error or a miss breaks", nullable=True),
    _s("note", nullable=True),
))
# annotations/release.json: what the release is called and which version it is.
RELEASE_INFO = Record("release_info", (
    _s("name"),
    _s("version", "MAJOR.MINOR.PATCH"),
    _s("canary", "a string no training corpus should contain"),
))
# The first line of every gold file: the text its annotations were made on, by fingerprint.
TEXT_HASH = Record("text_hash", (_s("sha256", "SHA-256 (hex) of the article text as UTF-8"),))

# The public prediction format: one JSON object per article.
PRED_ENTITY = ENTITY.select("start", "end", "label")
PRED_NUMBER = NUMBER.select("start", "end", "value", "kind", "unit", "approx", "date")
PRED_STANCE = STANCE.select("holder", "target", "polarity")
PREDICTION = Record("prediction", (
    _s("id"),
    Field("entities", "records", record=PRED_ENTITY),
    Field("numbers", "records", record=PRED_NUMBER),
    Field("stance", "records", record=PRED_STANCE),
))
INPUT = Record("input", (_s("id"), _s("text"), Field("targets", "records", record=TARGET)))


def view(name: str) -> Record:
    """The record of one release config (``articles``, ``entities``, ``numbers``, ``stance``)."""
    return Record(name, tuple(ARTICLE[n] for n in VIEWS[name]))


# --------------------------------------------------------------------------------------------------------
# Hugging Face features and Arrow schema


def _feature(f: Field) -> Any:
    from datasets import ClassLabel, List, Value

    if f.kind == "str" and f.choices is not None:
        # a closed vocabulary: ClassLabel, so that features[...].names lists it (stored as its index)
        return ClassLabel(names=list(f.choices))
    if f.kind == "str":
        return Value("string")
    if f.kind == "int":
        return Value("int32")
    if f.kind == "float":
        return Value("float64")
    if f.kind == "span":
        return List(Value("int32"), length=2)
    if f.kind == "spans":
        return List(List(Value("int32"), length=2))
    assert f.record is not None
    return List({g.name: _feature(g) for g in f.record.fields})


def features(config: str = "articles") -> Any:
    """``datasets.Features`` of one release config."""
    from datasets import Features

    return Features({f.name: _feature(f) for f in view(config).fields})


def encode_row(row: Mapping[str, Any], config: str) -> dict[str, Any]:
    """A record projected on a release config, closed vocabularies as their ClassLabel indices."""
    return _encode(view(config), {k: row[k] for k in VIEWS[config]}, True)


def decode_row(row: Mapping[str, Any], config: str) -> dict[str, Any]:
    """A row read from a release file, ClassLabel indices back to their names: the record Khabar works with."""
    return _encode(view(config), row, False)


def _encode(rec: Record, row: Mapping[str, Any], to_index: bool) -> dict[str, Any]:
    out = dict(row)
    for f in rec.fields:
        v = out.get(f.name)
        if v is None:
            continue
        if f.choices is not None:
            out[f.name] = f.choices.index(v) if to_index else f.choices[v]
        elif f.kind == "records" and f.record is not None:
            out[f.name] = [_encode(f.record, item, to_index) for item in v]
    return out


def arrow_schema(config: str = "articles") -> Any:
    """The Arrow schema of one release config (carries the HF features in its metadata)."""
    return features(config).arrow_schema


# --------------------------------------------------------------------------------------------------------
# Structural checks


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record: rendered as ``file:line: field: message``."""

    field: str
    message: str
    file: str = ""
    line: int | str = 0

    def at(self, file: str, line: int | str) -> Problem:
        """The same problem, located."""
        return Problem(self.field, self.message, file, line)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{where}{self.field}: {self.message}"


@dataclass
class _Walker:
    problems: list[Problem] = field(default_factory=list)
    limit: int = 50

    def add(self, path: str, message: str) -> None:
        if len(self.problems) >= self.limit:
            raise _Full
        self.problems.append(Problem(path, message))


class _Full(Exception):
    """A record with more problems than anyone will read: stop walking it."""


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# Offsets are int32 in Arrow; values are float64, exact for integers only up to 2**53.
INT_MAX = 2**31 - 1
FLOAT_MAX = 2**53


def _check_value(f: Field, v: Any, path: str, w: _Walker) -> None:
    if v is None:
        if not f.nullable:
            w.add(path, "must not be null")
        return
    if f.kind == "str":
        if not isinstance(v, str):
            w.add(path, f"expected a string, got {type(v).__name__}")
        elif f.choices is not None and v not in f.choices:
            w.add(path, f"{v!r} is not one of {', '.join(f.choices)}")
    elif f.kind == "int":
        if not _is_int(v):
            w.add(path, f"expected an integer, got {type(v).__name__}")
        elif not -INT_MAX <= v <= INT_MAX:
            w.add(path, f"{short_repr(v)} is out of range (at most {INT_MAX})")
    elif f.kind == "float":
        if not (_is_int(v) or isinstance(v, float)):
            w.add(path, f"expected a number, got {type(v).__name__}")
        elif isinstance(v, float) and not math.isfinite(v):
            w.add(path, f"{v!r} is not a finite number")
        elif abs(v) > FLOAT_MAX:
            w.add(path, f"{short_repr(v)} cannot be stored exactly (beyond ±2**53)")
    elif f.kind == "span":
        _check_span(v, path, w)
    elif f.kind == "spans":
        if not isinstance(v, list):
            w.add(path, f"expected a list of spans, got {type(v).__name__}")
            return
        for i, s in enumerate(v):
            _check_span(s, f"{path}[{i}]", w)
    else:
        assert f.record is not None
        if not isinstance(v, list):
            w.add(path, f"expected a list, got {type(v).__name__}")
            return
        for i, item in enumerate(v):
            _check_fields(f.record, item, f"{path}[{i}]", w)


_PLAIN_KEY = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]{0,39}\Z")


def short_repr(v: Any) -> str:
    """A value for an error message: repr, at most 40 characters, huge integers by their length."""
    r = repr(v) if not _is_int(v) or abs(v) < 10**30 else f"an integer of {len(str(abs(v)))} digits"
    return r if len(r) <= 40 else r[:37] + "..."


def _check_span(v: Any, path: str, w: _Walker) -> None:
    if not (isinstance(v, list | tuple) and len(v) == 2 and all(_is_int(x) for x in v)):
        w.add(path, "expected [start, end] with two integers")
    elif not all(-INT_MAX <= x <= INT_MAX for x in v):
        w.add(path, f"offsets out of range (at most {INT_MAX})")


def _check_fields(rec: Record, obj: Any, prefix: str, w: _Walker, *, extra_ok: frozenset[str] = frozenset()):
    if not isinstance(obj, dict):
        w.add(prefix or rec.name, f"expected an object, got {type(obj).__name__}")
        return
    dot = f"{prefix}." if prefix else ""
    for f in rec.fields:
        if f.name not in obj:
            w.add(f"{dot}{f.name}", "missing")
        else:
            _check_value(f, obj[f.name], f"{dot}{f.name}", w)
    for k in obj:
        if k not in rec.names and k not in extra_ok:
            # repr: a key is user input and may hold newlines or terminal escapes
            w.add(f"{dot}{k if _PLAIN_KEY.match(k) else short_repr(k)}", "unknown field")


def check_record(rec: Record, obj: Any, *, prefix: str = "", extra_ok: tuple[str, ...] = ()) -> list[Problem]:
    """Structural problems of ``obj`` against ``rec``: missing, unknown, mistyped or out-of-enum fields, NaN."""
    w = _Walker()
    try:
        _check_fields(rec, obj, prefix, w, extra_ok=frozenset(extra_ok))
    except _Full:
        w.problems.append(Problem(prefix or rec.name, f"more than {w.limit} problems; stopped checking"))
    return w.problems


def iter_spans(article: Mapping[str, Any]) -> Iterator[tuple[str, int, int, str | None]]:
    """Every offset pair of an article as (field path, start, end, claimed surface or None)."""
    for i, s in enumerate(article.get("sentences") or []):
        yield f"sentences[{i}]", s[0], s[1], None
    for layer in ("entities", "numbers"):
        for i, m in enumerate(article.get(layer) or []):
            yield f"{layer}[{i}]", m["start"], m["end"], m["text"]
            if layer == "numbers" and m.get("counted") is not None:
                yield f"{layer}[{i}].counted", m["counted"][0], m["counted"][1], None
    for i, s in enumerate(article.get("stance") or []):
        yield f"stance[{i}].holder", s["holder"][0], s["holder"][1], None
        yield f"stance[{i}].evidence", s["evidence"][0], s["evidence"][1], None
