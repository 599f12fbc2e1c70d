import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.errors import InputError
from khabar.predictions import read_predictions, to_prediction
from khabar.release import data_signature


@pytest.fixture()
def gold_file(seed, tmp_path) -> Path:
    f = tmp_path / "gold.jsonl"
    f.write_text(json.dumps(to_prediction(seed), ensure_ascii=False) + "\n", encoding="utf-8")
    return f


def _write(tmp_path: Path, obj) -> Path:
    f = tmp_path / "pred.jsonl"
    f.write_text((obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)) + "\n", encoding="utf-8")
    return f


def test_export_predict_score_path(built, tmp_path, capsys):
    inp, out, gold = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "gold.jsonl"
    assert main(["export", "--split", "test", "--format", "input", "--dataset", str(built), "--output", str(inp)]) == 0
    assert set(json.loads(inp.read_text(encoding="utf-8").splitlines()[0])) == {"id", "text", "targets"}
    assert main(["predict", "--system", "numbers-digits", "--input", str(inp), "--output", str(out)]) == 0
    assert main(["export", "--split", "test", "--format", "predictions", "--dataset", str(built),
                 "--output", str(gold)]) == 0
    capsys.readouterr()
    assert main(["score", "--predictions", str(gold), "--gold", str(built), "--format", "json"]) == 0
    perfect = json.loads(capsys.readouterr().out)
    assert [r["result"]["metrics"][0]["value"] for r in perfect] == [1.0, 1.0, 1.0]
    data = f"|data:{data_signature(built)}|"
    assert all(r["result"]["signature"].startswith("khabar:") and data in r["result"]["signature"] for r in perfect)
    assert main(["score", "--predictions", str(out), "--gold", str(built), "--format", "json", "--task",
                 "numbers"]) == 0
    (digits,) = json.loads(capsys.readouterr().out)
    assert 0 < digits["detail"]["overlap"]["f1"] < 1


@pytest.mark.parametrize(("edit", "expect"), [
    (lambda p: p["entities"].append({"start": 0, "end": 3, "label": "PERSON"}), "entities[70].label: 'PERSON'"),
    (lambda p: p["entities"].append({"start": 5, "end": 99999, "label": "PER"}), "entities[70]: offsets"),
    (lambda p: p["numbers"][0].pop("kind"), "numbers[0].kind: missing"),
    (lambda p: p.update(id="nope"), "id: unknown article id 'nope'"),
    (lambda p: p["stance"][0].update(polarity="against"), "stance[0].polarity: 'against' is not one of"),
    (lambda p: p["entities"].append({"start": 26, "end": 30, "label": "GPE"}), "entities[70]: overlaps"),
])
def test_bad_predictions_are_one_located_line(seed, tmp_path, edit, expect):
    pred = to_prediction(seed)
    edit(pred)
    f = _write(tmp_path, pred)
    with pytest.raises(InputError) as e:
        read_predictions(f, {seed["id"]: seed["text"]})
    assert e.value.lines() == [f"{f}:1: {expect}" + e.value.lines()[0].split(expect, 1)[1]]


def test_nan_and_duplicates(seed, tmp_path):
    pred = to_prediction(seed)
    line = json.dumps(pred, ensure_ascii=False)
    f = _write(tmp_path, line + "\n" + line)
    with pytest.raises(InputError) as e:
        read_predictions(f, {seed["id"]: seed["text"]})
    assert e.value.lines() == [f"{f}:2: id: duplicate id '{seed['id']}'"]
    f = _write(tmp_path, line.replace("5000000.0", "NaN", 1))
    with pytest.raises(InputError) as e:
        read_predictions(f)
    assert e.value.lines()[0].startswith(f"{f}:1: json: malformed JSON: NaN")


def test_missing_articles_count_as_empty_with_a_warning(seed, tmp_path):
    f = _write(tmp_path, "")
    got = read_predictions(f, {seed["id"]: seed["text"]})
    assert got.by_id[seed["id"]]["entities"] == []
    assert "1 article(s) have no prediction" in got.warnings[0]


def test_cli_reports_bad_predictions_with_exit_2(built, tmp_path, capsys):
    f = _write(tmp_path, "{not json")
    assert main(["score", "--predictions", str(f), "--gold", str(built)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{f}:1: json: malformed JSON")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(), st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                                         lambda c: st.lists(c) | st.dictionaries(st.text(), c), max_leaves=10)
                 .map(lambda o: json.dumps(o, allow_nan=True))))
def test_prediction_reader_never_crashes(tmp_path, seed, raw):
    f = tmp_path / "fuzz.jsonl"
    f.write_bytes(raw.encode("utf-8", errors="surrogatepass"))  # lone surrogates make invalid UTF-8: also input
    try:
        read_predictions(f, {seed["id"]: seed["text"]})
    except InputError as e:
        assert all(line.startswith(f"{f}:") for line in e.lines())


def test_gold_may_be_any_prediction_file(built, tmp_path, capsys):
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    assert main(["export", "--split", "test", "--format", "predictions", "--dataset", str(built),
                 "--output", str(gold)]) == 0
    rows = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines()]
    for r in rows:
        r["entities"] = r["entities"][: len(r["entities"]) // 2]
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    capsys.readouterr()
    assert main(["score", "--task", "entities", "--predictions", str(pred), "--gold", str(gold), "--format",
                 "json", "--boot", "50"]) == 0
    (res,) = json.loads(capsys.readouterr().out)
    strict = res["detail"]["schemes"][0]
    assert strict["micro"]["precision"] == 1.0 and 0.4 < strict["micro"]["recall"] < 0.6
    assert "|data:file+" in res["result"]["signature"]
    rows[0]["id"] = "not-in-gold"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert main(["score", "--predictions", str(pred), "--gold", str(gold)]) == 1
    assert "unknown article id 'not-in-gold'" in capsys.readouterr().err
