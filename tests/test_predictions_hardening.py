"""Hardening of the prediction reader: huge numbers, bounded streaming reads, number consistency."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from khabar.loaders.hf import read_split

from khabar import systems
from khabar.cli import main
from khabar.errors import MAX_PROBLEMS, InputError
from khabar.predictions import read_inputs, read_predictions, to_input, to_prediction

LINE = re.compile(r"^\S+:\d+: [^:\s]+: .+$")  # file:line: field: problem
STOPPED = re.compile(r"^… stopped reading at (\S+):(\d+): more than \d+ problems$")
# Literals JSON allows but no prediction can hold: beyond any integer the schema stores, beyond float64, and
# within float64 but beyond the ±2**53 the schema stores exactly.
HUGE = ["1" + "0" * 400, "1e400", str(2**60)]
PLACEHOLDER = 0.123456789


def _first_with_numbers(dataset: Path, split: str = "test") -> dict:
    return next(to_prediction(a) for a in read_split(split, dataset) if a["numbers"])


def huge_prediction_line(dataset: Path, literal: str) -> str:
    """One prediction line of a release article whose first number has ``literal`` as its value."""
    pred = _first_with_numbers(dataset)
    pred["numbers"][0].update(value=PLACEHOLDER, kind="cardinal", unit=None, approx="exact", date=None)
    line = json.dumps(pred, ensure_ascii=False)
    assert line.count(str(PLACEHOLDER)) == 1
    return line.replace(str(PLACEHOLDER), literal)


def _write(tmp_path: Path, text: str, name: str = "pred.jsonl") -> Path:
    f = tmp_path / name
    f.write_text(text + "\n", encoding="utf-8")
    return f


def _error(fn, *args) -> list[str]:
    with pytest.raises(InputError) as e:
        fn(*args)
    return e.value.lines()


# --- 1. huge numbers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("literal", HUGE, ids=["400-zeros", "1e400", "2**60"])
def test_score_numbers_refuses_a_huge_value_with_one_located_line(built, tmp_path, capsys, literal):
    f = _write(tmp_path, huge_prediction_line(built, literal))
    capsys.readouterr()
    assert main(["score", "--task", "numbers", "--predictions", str(f), "--gold", str(built), "--boot", "10"]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{f}:1: ") and LINE.match(err[0]), err
    assert "Traceback" not in captured.err and captured.out == ""


# --- 2. bounded, streaming readers ------------------------------------------------------------------------------

def _assert_stopped_early(lines: list[str], f: Path, total: int) -> None:
    assert len(lines) <= MAX_PROBLEMS + 2
    m = STOPPED.match(lines[-1])
    assert m, lines[-1]
    assert m.group(1) == str(f) and int(m.group(2)) < total // 100, "reading must stop near the start"
    assert all(LINE.match(x) for x in lines[:-1])


@pytest.mark.parametrize("reader", [read_predictions, read_inputs], ids=["predictions", "inputs"])
def test_a_file_of_bad_lines_stops_after_the_bound(tmp_path, reader):
    total = 200_000
    f = tmp_path / "many.jsonl"
    f.write_text("{}\n" * total, encoding="utf-8")
    _assert_stopped_early(_error(reader, f), f, total)


def test_malformed_lines_are_all_reported_up_to_the_bound(tmp_path):
    total = 200_000
    f = tmp_path / "broken.jsonl"
    f.write_text("{\n" * total, encoding="utf-8")
    lines = _error(read_predictions, f)
    _assert_stopped_early(lines, f, total)
    # not just the first: each malformed line is its own located problem
    assert [x.split(":", 2)[1] for x in lines[:3]] == ["1", "2", "3"]


def test_one_line_with_a_huge_list_of_structurally_bad_items_is_bounded(tmp_path):
    obj = {"id": "x", "entities": [{"start": 0}] * 100_000, "numbers": [], "stance": []}
    f = _write(tmp_path, json.dumps(obj))
    lines = _error(read_predictions, f)
    assert len(lines) <= MAX_PROBLEMS + 2
    assert all(x.startswith(f"{f}:1: ") for x in lines if not x.startswith("…"))


def test_one_line_with_a_huge_list_of_bad_offsets_is_bounded(seed, tmp_path):
    pred = to_prediction(seed)
    pred["entities"] = [{"start": 9, "end": 3, "label": "PER"}] * 100_000
    f = _write(tmp_path, json.dumps(pred, ensure_ascii=False))
    lines = _error(read_predictions, f, {seed["id"]: seed["text"]})
    assert len(lines) <= MAX_PROBLEMS + 2
    assert lines[0] == f"{f}:1: entities[0]: offsets [9, 3) are empty, reversed or outside the text " \
                       f"(length {len(seed['text'])})"
    assert STOPPED.match(lines[-1])


def test_a_good_file_still_reads_in_full(seed, tmp_path):
    pred = to_prediction(seed)
    f = _write(tmp_path, json.dumps(pred, ensure_ascii=False))
    assert read_predictions(f, {seed["id"]: seed["text"]}).by_id[seed["id"]] == pred
    inp = _write(tmp_path, json.dumps(to_input(seed), ensure_ascii=False), "in.jsonl")
    assert read_inputs(inp) == [to_input(seed)]


# --- 3. numbers obey the gold validator's consistency rules -----------------------------------------------------

BASE = {"value": None, "unit": None, "approx": "exact", "date": None}


@pytest.mark.parametrize(("number", "expect"), [
    ({"kind": "date", "date": "not-a-date"}, "numbers[0].date: 'not-a-date' is not an ISO date"),
    ({"kind": "date", "date": "2024-13"}, "numbers[0].date: '2024-13' is not an ISO date"),
    ({"kind": "date", "date": "2024", "value": 2024}, "numbers[0].value: must be null for kind=date"),
    ({"kind": "money", "value": 5.0, "unit": "dollars"}, "numbers[0].unit: 'dollars' is not an ISO 4217"),
    ({"kind": "money", "value": 5.0}, "numbers[0].unit: None is not an ISO 4217"),
    ({"kind": "percent", "value": 5.0, "unit": "pct"}, "numbers[0].unit: must be '%' for kind=percent"),
    ({"kind": "duration", "value": 3, "unit": "days"}, "numbers[0].unit: 'days' is not a duration unit"),
    ({"kind": "cardinal", "value": 3, "date": "2024"}, "numbers[0].date: must be null unless kind=date"),
    ({"kind": "cardinal", "value": 3, "unit": "km"}, "numbers[0].unit: must be null for kind=cardinal"),
    ({"kind": "cardinal"}, "numbers[0].value: must be set for kind=cardinal unless approx=vague"),
    ({"kind": "year", "value": 2024.5}, "numbers[0].value: a year must be a whole number"),
    ({"kind": "quantity", "value": 3, "unit": ""}, "numbers[0].unit: a quantity needs a unit symbol"),
])
def test_inconsistent_numbers_are_one_located_line(seed, tmp_path, number, expect):
    pred = to_prediction(seed)
    pred["numbers"][0] = {**pred["numbers"][0], **BASE, **number}
    f = _write(tmp_path, json.dumps(pred, ensure_ascii=False))
    lines = _error(read_predictions, f, {seed["id"]: seed["text"]})
    assert len(lines) == 1 and lines[0].startswith(f"{f}:1: {expect}"), lines


def test_a_long_user_string_is_clipped_in_the_message(seed, tmp_path):
    pred = to_prediction(seed)
    pred["numbers"][0] = {**pred["numbers"][0], **BASE, "kind": "money", "value": 1.0, "unit": "X" * 100_000}
    f = _write(tmp_path, json.dumps(pred, ensure_ascii=False))
    [line] = _error(read_predictions, f)
    assert line.startswith(f"{f}:1: numbers[0].unit: 'XXX") and len(line) < len(str(f)) + 300


def test_score_refuses_an_inconsistent_number(built, tmp_path, capsys):
    pred = _first_with_numbers(built)
    pred["numbers"][0].update(kind="date", value=None, unit=None, date="not-a-date")
    f = _write(tmp_path, json.dumps(pred, ensure_ascii=False))
    capsys.readouterr()
    assert main(["score", "--task", "numbers", "--predictions", str(f), "--gold", str(built), "--boot", "10"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{f}:1: numbers[0].date: 'not-a-date' is not an ISO date YYYY, YYYY-MM or YYYY-MM-DD"]


@pytest.mark.parametrize("name", sorted(set(systems.SYSTEMS) - systems.TRAINED))
def test_untrained_baselines_pass_the_prediction_checks(built, tmp_path, name):
    system = systems.get(name)
    for split in ("validation", "test"):
        articles = read_split(split, built)
        rows = [system(to_input(a)) for a in articles]
        f = _write(tmp_path, "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), f"{name}-{split}.jsonl")
        got = read_predictions(f, {a["id"]: a["text"] for a in articles})
        assert not got.warnings and [got.by_id[a["id"]] for a in articles] == rows
