"""The prediction format: the public contract between systems and scorers.

JSON Lines, one object per article::

    {"id": ..., "entities": [{start, end, label}], "numbers": [{start, end, value, kind, unit, approx, date}],
     "stance": [{holder: [start, end], target, polarity}]}

Its record types are projections of the gold ones in :mod:`khabar.schema`, so the two cannot drift apart.
Readers stream the file and stop after :data:`khabar.errors.MAX_PROBLEMS` problems, so a file of millions of
bad lines costs no more than its first few.
"""

from __future__ import annotations

import itertools
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.errors import InputError, Problems
from khabar.jsonio import iter_lines, jsonl_text, parse_line, write_atomic
from khabar.schema import INPUT, PRED_ENTITY, PRED_NUMBER, PRED_STANCE, PREDICTION, Problem, check_record
from khabar.validate import number_consistency

# A message echoes user strings (a unit, a date); past this length it is cut so one line stays readable.
MAX_MESSAGE = 200


@dataclass(frozen=True)
class Predictions:
    """Predictions read from a file, by article id, with the warnings reading produced."""

    by_id: Mapping[str, dict[str, Any]]
    warnings: tuple[str, ...] = field(default=())


def to_prediction(article: Mapping[str, Any]) -> dict[str, Any]:
    """A gold article in the prediction format (what a perfect system would output)."""
    return {
        "id": article["id"],
        "entities": [{k: m[k] for k in PRED_ENTITY.names} for m in article["entities"]],
        "numbers": [{k: n[k] for k in PRED_NUMBER.names} for n in article["numbers"]],
        "stance": [{k: s[k] for k in PRED_STANCE.names} for s in article["stance"]],
    }


def to_input(article: Mapping[str, Any]) -> dict[str, Any]:
    """What a system is given: id, text and the article's stance targets."""
    return {"id": article["id"], "text": article["text"], "targets": [dict(t) for t in article["targets"]]}


def empty_prediction(article_id: str) -> dict[str, Any]:
    """The prediction of a system that found nothing."""
    return {"id": article_id, "entities": [], "numbers": [], "stance": []}


def read_inputs(path: str | Path) -> list[dict[str, Any]]:
    """Read a system input file (``khabar export --format input``), validated."""
    name = str(path)
    problems = Problems()
    rows = []
    for line, obj in _objects(path, name, problems):
        if _record(problems, name, line, check_record(INPUT, obj)) and not problems:
            rows.append(obj)  # once reading will fail, keeping more rows would only cost memory
    problems.raise_if_any()
    return rows


def read_predictions(path: str | Path, texts: Mapping[str, str] | None = None) -> Predictions:
    """Read and validate a prediction file.

    With ``texts`` (article id → text) unknown ids and offsets outside the text are errors, and articles with
    no line are reported as warnings and scored as empty predictions. Every number must also be consistent
    (kind, value, date, unit, approx) by the rules the gold validator applies.
    """
    name = str(path)
    problems = Problems()
    by_id: dict[str, dict[str, Any]] = {}
    for line, obj in _objects(path, name, problems):
        if _record(problems, name, line, _prediction_problems(obj, texts, by_id)):
            by_id[obj["id"]] = obj
    problems.raise_if_any()
    warnings: list[str] = []
    if texts is not None:
        missing = [i for i in texts if i not in by_id]
        if missing:
            warnings.append(f"{name}: {len(missing)} article(s) have no prediction and count as empty: "
                            + ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else ""))
        by_id = {i: by_id.get(i) or empty_prediction(i) for i in texts}
    return Predictions(by_id, tuple(warnings))


def _objects(path: str | Path, name: str, problems: Problems) -> Iterator[tuple[int, Any]]:
    """(line, object) for each line that parses; a malformed line is recorded and reading goes on."""
    for line, raw in iter_lines(path, name=name):
        try:
            yield line, parse_line(raw, name, line)
        except InputError as e:
            problems.extend(e.problems)


def _record(problems: Problems, name: str, line: int, found: Iterable[Problem]) -> bool:
    """Record one line's problems, located (lazily: past the bound reading stops); whether there were none."""
    before = len(problems)
    problems.extend(Problem(p.field, _clip(p.message), name, line) for p in found)
    return len(problems) == before


def _clip(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + "…"


def _prediction_problems(obj: Any, texts: Mapping[str, str] | None, seen: Container[str]) -> Iterator[Problem]:
    """Every problem of one prediction line: structure first; offsets, numbers and the id only if it is sound."""
    structural = check_record(PREDICTION, obj)
    if structural:
        yield from structural
        return
    yield from _offsets(obj, texts)
    yield from _numbers(obj)
    if obj["id"] in seen:
        yield Problem("id", f"duplicate id {obj['id']!r}")


def _numbers(obj: Mapping[str, Any]) -> Iterator[Problem]:
    # The gold validator's own rules: a prediction the gold could never contain (kind=date without an ISO date,
    # money without an ISO 4217 code) is a bug in the system, not something to score as merely wrong.
    for i, n in enumerate(obj["numbers"]):
        for name, message in number_consistency(n):
            yield Problem(f"numbers[{i}].{name}", message)


def _offsets(obj: Mapping[str, Any], texts: Mapping[str, str] | None) -> Iterable[Problem]:
    if texts is not None and obj["id"] not in texts:
        yield Problem("id", f"unknown article id {obj['id']!r}")
        return
    n = len(texts[obj["id"]]) if texts is not None else None
    spans = [(f"entities[{i}]", e["start"], e["end"]) for i, e in enumerate(obj["entities"])]
    spans += [(f"numbers[{i}]", e["start"], e["end"]) for i, e in enumerate(obj["numbers"])]
    spans += [(f"stance[{i}].holder", *s["holder"]) for i, s in enumerate(obj["stance"])]
    bad = False
    for path, start, end in spans:
        if start < 0 or end <= start or (n is not None and end > n):
            bad = True
            yield Problem(path, f"offsets [{start}, {end}) are empty, reversed or outside the text"
                          + (f" (length {n})" if n is not None else ""))
    if bad:  # an overlap among broken offsets would only echo them
        return
    for layer in ("entities", "numbers"):
        # gold spans are flat in this schema version, so crossing or nested predictions cannot be scored fairly
        order = sorted(range(len(obj[layer])), key=lambda i: (obj[layer][i]["start"], obj[layer][i]["end"]))
        for a, b in itertools.pairwise(order):
            if obj[layer][b]["start"] < obj[layer][a]["end"]:
                yield Problem(f"{layer}[{b}]", f"overlaps {layer}[{a}]: spans must be flat (no crossing or nesting)")


def write_jsonl(path: str | Path | None, rows: Iterable[Mapping[str, Any]]) -> str:
    """Write rows as JSON Lines atomically (or return the text when ``path`` is None)."""
    text = jsonl_text(rows)
    if path is not None:
        write_atomic(path, text)
    return text
