"""Hardening of `annotate pull`, `push` and `import-markup` against malformed exports and unsafe names (offline).

Every malformed region or value in an export is one located error of its task; the other tasks convert, the raw
export is kept and the pull is logged. Names that become paths (round, annotator, article id) never escape.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.errors import InputError, KhabarError
from khabar.labelstudio import client as lsc
from khabar.labelstudio.convert import ConversionError, from_results, to_results
from khabar.labelstudio.rounds import annotator_name, convert_export, round_dir

TEXT = "علي قال إن 3 سفن وصلت."
NUM = TEXT.index("3")
ENTITY = {"start": 0, "end": 3, "label": "PER", "entity_id": ""}
NUMBER = {"start": NUM, "end": NUM + 1, "kind": "cardinal", "approx": "exact", "value": 3, "unit": None,
          "date": None, "counted": None}
WHERE = r"task 7, annotator ann, region "


def _results() -> list[dict]:
    return to_results(TEXT, [ENTITY], [NUMBER])


def _convert(results) -> object:
    return from_results(TEXT, results, task=7, annotator="ann")


def _with(results: list[dict], control: str, **value) -> list[dict]:
    """The results with the value of the region of ``control`` (a from_name) updated."""
    for r in results:
        if r.get("from_name") == control:
            r["value"].update(value)
            return results
    raise AssertionError(control)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------------------------------------
# The value box


def test_good_values_still_convert():
    layers = _convert(_results())
    assert [(m["text"], m["label"]) for m in layers.entities] == [("علي", "PER")]
    assert layers.numbers[0]["value"] == 3
    for typed, want in ((str(2**53), 2**53), ("-2.5", -2.5), ("١٢", 12)):
        assert _convert(_with(_results(), "value", text=[typed])).numbers[0]["value"] == want


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", str(2**53 + 1),
                                   str(-(2**53) - 1), "1" * 5000, "12abc"])
def test_value_box_rejects_what_is_not_a_finite_number_within_2_53(typed):
    with pytest.raises(ConversionError, match=WHERE + r"'n1', field 'value': ") as e:
        _convert(_with(_results(), "value", text=[typed]))
    assert "\n" not in str(e.value) and len(str(e.value)) < 300  # one line, the 5000 digits not echoed


# --------------------------------------------------------------------------------------------------------
# Offsets: only real ints


@pytest.mark.parametrize(("start", "end"), [(0.0, 3), (0.9, 3), (0, 3.0), (0, 3.9), ("0", 3), (0, "3"),
                                            (False, 3), (0, True), (None, 3), ([0], 3), (float("nan"), 3)])
def test_offsets_that_are_not_ints_are_errors_not_truncated(start, end):
    with pytest.raises(ConversionError, match=WHERE + r"'e1': start .* must be integers"):
        _convert(_with(_results(), "entity", start=start, end=end))


def test_huge_integer_offsets_are_named_briefly():
    with pytest.raises(ConversionError, match=WHERE + r"'e1': offsets \[an integer of \d+ bits") as e:
        _convert(_with(_results(), "entity", start=10**5000, end=10**5000 + 1))
    assert len(str(e.value)) < 300


# --------------------------------------------------------------------------------------------------------
# The shape of results, regions and values


@pytest.mark.parametrize("results", [{"type": "labels"}, "regions", None, 3])
def test_result_that_is_not_a_list(results):
    with pytest.raises(ConversionError, match=r"task 7, annotator ann: result is .*, not a list"):
        _convert(results)


@pytest.mark.parametrize("item", ["e1", None, 5, ["labels"]])
def test_result_item_that_is_not_an_object(item):
    with pytest.raises(ConversionError, match=r"task 7, annotator ann: result item 0 is .*not an object"):
        _convert([item, *_results()])


def _set(control: str, key: str, new: object) -> list[dict]:
    results = _results()
    next(r for r in results if r.get("from_name") == control)[key] = new
    return results


@pytest.mark.parametrize("control", ["entity", "kind", "value"])
@pytest.mark.parametrize("value", [None, [1, 2], "start=0", 7])
def test_value_that_is_not_an_object(control, value):
    with pytest.raises(ConversionError, match=WHERE + r"'[en]1': value is .*, not an object"):
        _convert(_set(control, "value", value))


@pytest.mark.parametrize("labels", ["PER", None, {"PER": 1}, 1])
def test_labels_that_are_not_a_list(labels):
    with pytest.raises(ConversionError, match=WHERE + r"'e1': labels .* is not a list"):
        _convert(_with(_results(), "entity", labels=labels))


@pytest.mark.parametrize("labels", [[["PER"]], [{"x": 1}], ["PER", "ORG"], []])
def test_labels_outside_the_config(labels):
    with pytest.raises(ConversionError, match=WHERE + r"'e1': label .* is not in the labeling config"):
        _convert(_with(_results(), "entity", labels=labels))


@pytest.mark.parametrize("from_name", [["entity"], {"a": 1}, None])
def test_from_name_that_is_not_a_string(from_name):
    with pytest.raises(ConversionError, match=WHERE + r"'e1': from_name .* is not a string"):
        _convert(_set("entity", "from_name", from_name))


@pytest.mark.parametrize(("control", "key", "bad"), [
    ("kind", "choices", "cardinal"), ("kind", "choices", [3]), ("kind", "choices", [["cardinal"]]),
    ("value", "text", "3"), ("value", "text", [3]), ("value", "text", ["3", None]), ("value", "text", {"3": 1}),
])
def test_choices_and_textarea_values_must_be_lists_of_strings(control, key, bad):
    with pytest.raises(ConversionError, match=WHERE + rf"'n1', field '{control}': .* is not a list of strings"):
        _convert(_with(_results(), control, **{key: bad}))


def test_region_text_and_ids_must_be_strings():
    with pytest.raises(ConversionError, match=WHERE + r"'e1': the region's text is a list, not a string"):
        _convert(_with(_results(), "entity", text=["علي"]))
    with pytest.raises(ConversionError, match=r"region a list\b.*id a list is not a string"):
        _convert(_set("entity", "id", ["e1"]))
    relation = {"type": "relation", "from_id": {"id": "e1"}, "to_id": "n1", "direction": "right"}
    with pytest.raises(ConversionError, match=r"id an object is not a string"):
        _convert([*_results(), relation])


# --------------------------------------------------------------------------------------------------------
# Tasks in an export


def _task(tid: int, **override) -> dict:
    task = {"id": tid, "data": {"article_id": "a-1", "text": TEXT},
            "annotations": [{"id": tid * 10, "completed_by": {"email": "ann1@khabar.test"}, "result": _results()}]}
    task.update(override)
    return task


def _ann(tid: int, **override) -> dict:
    ann = {"id": tid * 10, "completed_by": {"email": "ann1@khabar.test"}, "result": _results()}
    ann.update(override)
    return ann


BAD_TASKS = [
    ("not an object", ["task"], r"task #2: a list, not an object"),
    ("not an object", "task", r"task #2: 'task', not an object"),
    ("data", _task(2, data=["a-1"]), r"task 2: data is a list, not an object"),
    ("data", _task(2, data=None), r"task 2: data is null, not an object"),
    ("article", _task(2, data={"article_id": ["a-1"], "text": TEXT}), r"task 2: article a list is not in"),
    ("annotations", _task(2, annotations={"0": _ann(2)}), r"task 2: annotations is an object, not a list"),
    ("annotations", _task(2, annotations="none"), r"task 2: annotations is 'none', not a list"),
    ("annotation", _task(2, annotations=[_ann(2), "ann"]), r"task 2: annotation #2 is 'ann', not an object"),
    ("result", _task(2, annotations=[_ann(2, result={"x": 1})]), r"task 2, annotator ann1_at_khabar.test: result"),
    ("value", _task(2, annotations=[_ann(2, result=_with(_results(), "value", text=["inf"]))]),
     r"task 2, annotator ann1_at_khabar.test, region 'n1', field 'value': 'inf'"),
    ("offsets", _task(2, annotations=[_ann(2, result=_with(_results(), "entity", start=0.0))]),
     r"task 2, annotator ann1_at_khabar.test, region 'e1': start 0.0 and end 3 must be integers"),
    ("task id", {**_task(2), "id": {"x": 1}, "annotations": [_ann(2, result=None)]},
     r"task #2 \(id an object\), annotator ann1_at_khabar.test: result is null"),
]


@pytest.mark.parametrize(("case", "bad", "message"), BAD_TASKS, ids=[f"{c}-{i}" for i, (c, _, _) in
                                                                       enumerate(BAD_TASKS)])
def test_a_malformed_task_is_one_error_and_the_others_convert(case, bad, message):
    done, errors = convert_export([_task(1), bad, _task(3)], {"a-1": TEXT}, "raw.json")
    assert [(aid, who) for aid, who, _, _ in done] == [("a-1", "ann1_at_khabar.test")] * 2
    assert len(errors) == 1 and errors[0].startswith("raw.json: ")
    assert re.search(message, errors[0]), errors[0]


@pytest.mark.parametrize("completed_by", [None, 1.5, True, [1], {"id": None}, {"email": ["a@b"]}, {}, ".", "..",
                                          "", "/", "../..", "a" * 200, 10**30, float("nan")])
def test_completed_by_that_makes_no_safe_name_is_a_task_error(completed_by):
    done, errors = convert_export([_task(1, annotations=[_ann(1, completed_by=completed_by)]), _task(2)],
                                  {"a-1": TEXT}, "raw.json")
    assert [(t[0], t[1]) for t in done] == [("a-1", "ann1_at_khabar.test")]
    assert len(errors) == 1 and errors[0].startswith("raw.json: task 1: annotation #1: annotator ")


@pytest.mark.parametrize(("completed_by", "name"), [
    ({"id": 3, "email": "ann1@khabar.test"}, "ann1_at_khabar.test"), ({"id": 3, "username": "Ali B"}, "Ali_B"),
    ({"id": 3, "email": ""}, "user3"), (4, "user4"), ("passA", "passA"), (".hidden", "hidden"),
    ("_x@y", "x_at_y"), ("..a", "a"), ("a\n", "a_"),
])
def test_annotator_names_are_sanitized_deterministically(completed_by, name):
    assert annotator_name(completed_by) == name


@pytest.mark.parametrize("bad", [".", "..", "", "/", "./..", "علي", "a" * 129, None, 2.0, False])
def test_annotator_name_never_yields_an_unsafe_name(bad):
    with pytest.raises(InputError) as e:
        annotator_name(bad)
    assert len(e.value.lines()) == 1


def test_an_article_id_that_is_not_a_safe_name_is_a_task_error():
    # only an id in the gold store gets this far; the store should not hold one, but a path is never built from it
    task = _task(1, data={"article_id": "../../x", "text": TEXT})
    done, errors = convert_export([task], {"../../x": TEXT}, "raw.json")
    assert done == [] and errors == ["raw.json: task 1: article id '../../x' is not a safe name: use 1-128 "
                                     "letters, digits, '.', '_' or '-', starting with a letter or digit"]


# --------------------------------------------------------------------------------------------------------
# pull end to end, with the server replaced by a fixed export


@pytest.fixture()
def pull_round(annotations_copy, seed, monkeypatch):
    """A round "p1" whose project "exports" whatever the test puts in ``export`` (bytes)."""
    folder = annotations_copy / "rounds" / "p1"
    folder.mkdir(parents=True)
    (folder / "round.json").write_text(json.dumps({"name": "p1", "project_id": 5, "articles": [seed["id"]],
                                                   "prelabel": None}))
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "test-token")
    monkeypatch.setattr(lsc, "connect", lambda server: object())
    state = {"export": b"[]"}
    monkeypatch.setattr(lsc, "export_snapshot", lambda server, client, project: state["export"])
    return annotations_copy, folder, state


def _seed_task(seed, tid: int, who: object, edit=None) -> dict:
    results = to_results(seed["text"], seed["entities"], seed["numbers"], seed["stance"])
    if edit is not None:
        edit(results)
    return {"id": tid, "data": {"article_id": seed["id"], "text": seed["text"]},
            "annotations": [{"id": tid * 10, "completed_by": who, "result": results, "updated_at": float("nan")}]}


def _value(results: list[dict], typed: str) -> None:
    next(r for r in results if r.get("from_name") == "value")["value"]["text"] = [typed]


def test_pull_reports_every_bad_task_keeps_the_raw_export_and_converts_the_rest(pull_round, seed, capsys):
    store, folder, state = pull_round
    good = _seed_task(seed, 1, {"id": 9, "email": "ann1@khabar.test"})
    bad = [_seed_task(seed, 2, {"email": "ann2@khabar.test"}, lambda r: _value(r, "nan")),
           _seed_task(seed, 3, {"email": "ann2@khabar.test"}, lambda r: _value(r, "1" * 5000)),
           _seed_task(seed, 4, ".."), _seed_task(seed, 5, "."), _seed_task(seed, 6, None),
           {**_seed_task(seed, 7, "ann3"), "data": "text"}, "not a task",
           _seed_task(seed, 8, "ann3", lambda r: r[0]["value"].update(start=float(r[0]["value"]["start"])))]
    state["export"] = json.dumps([good, *bad], allow_nan=True).encode()
    assert main(["annotate", "pull", "--round", "p1", "--annotations", str(store)]) == 1
    out, err = capsys.readouterr()
    assert "converted 1 annotation(s)" in out
    lines = err.splitlines()
    assert len(lines) == len(bad) and "Traceback" not in err
    assert "task 2, annotator ann2_at_khabar.test, region 'n1', field 'value': 'nan'" in lines[0]
    assert "task 3, annotator ann2_at_khabar.test, region 'n1', field 'value': '1111" in lines[1]
    assert "task 4: annotation #1: annotator '..' does not make a safe name" in lines[2]
    assert "task 5: annotation #1: annotator '.' does not make a safe name" in lines[3]
    assert "task 6: annotation #1: annotator null is neither" in lines[4]
    assert "task 7: data is 'text', not an object" in lines[5] and "task #8: 'not a task', not an object" in lines[6]
    assert "task 8, annotator ann3, region 'e1': start " in lines[7]
    # only the good task was written, nothing escaped annotators/<who>/
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.jsonl")) == [
        f"annotators/ann1_at_khabar.test/{seed['id']}.jsonl", "pulls.jsonl"]
    assert not list(folder.parent.glob("*.jsonl")) and not list((folder / "annotators").glob("*.jsonl"))
    (raw,) = (folder / "raw").iterdir()
    assert raw.read_bytes() == state["export"]
    (log,) = [json.loads(x) for x in (folder / "pulls.jsonl").read_text().splitlines()]
    assert log["raw"] == raw.name and len(log["errors"]) == len(bad)
    assert [(c["annotator"], c["annotation"], c["updated_at"]) for c in log["converted"]] == [
        ("ann1_at_khabar.test", 10, None)]  # a NaN updated_at is not logged as NaN


def test_pull_of_an_export_that_is_not_json_is_logged(pull_round, capsys):
    store, folder, state = pull_round
    state["export"] = b"[" * 100_000 + b"]"
    assert main(["annotate", "pull", "--round", "p1", "--annotations", str(store)]) == 1
    err = capsys.readouterr().err
    assert "the export is not JSON" in err and len(err.splitlines()) == 1
    (log,) = [json.loads(x) for x in (folder / "pulls.jsonl").read_text().splitlines()]
    assert log["converted"] == [] and "not JSON" in log["errors"][0]
    assert len(list((folder / "raw").iterdir())) == 1


def test_pull_keeps_good_exports_working(pull_round, seed):
    store, folder, state = pull_round
    task = _seed_task(seed, 1, {"id": 9, "email": "ann1@khabar.test"})
    task["annotations"][0]["updated_at"] = "2025-01-01T00:00:00Z"
    state["export"] = json.dumps([task]).encode()
    assert main(["annotate", "pull", "--round", "p1", "--annotations", str(store)]) == 0
    lines = [json.loads(x) for x in (folder / f"annotators/ann1_at_khabar.test/{seed['id']}.jsonl").read_text()
             .splitlines()]
    for layer, key in (("entity", "entities"), ("number", "numbers"), ("stance", "stance")):
        assert [{k: v for k, v in x.items() if k != "layer"} for x in lines if x["layer"] == layer] == seed[key]


# --------------------------------------------------------------------------------------------------------
# Round names, import-markup and push


@pytest.mark.parametrize("name", ["r1\n", ".", "..", "a/b", "", "/abs", "r" * 129, "-r"])
def test_round_names_that_are_not_safe_are_one_line(tmp_path, name):
    with pytest.raises(KhabarError) as e:
        round_dir(tmp_path, name)
    assert len(e.value.lines()) == 1 and "\n" not in e.value.lines()[0]
    assert e.value.lines()[0].startswith(f"round name {name!r}")


def test_round_names_that_are_safe(tmp_path):
    assert round_dir(tmp_path, "r1.b-2_x") == tmp_path / "rounds" / "r1.b-2_x"


MARKUP = """---
id: {id}
source: test
origin: original
section: local
region: gulf
license: CC-BY-4.0
split: train
targets:
- {target}
entities:
  ali: {{label: PER, canonical_ar: علي, canonical_en: Ali}}
---
عنوان
قال ⟦علي⟧{{PER ali}} إن المشروع بدأ.
"""


@pytest.fixture()
def markup(seed):
    """Markup for article ``id`` whose target is the seed's (so it follows the schema's target fields)."""
    target = json.dumps({k: v for k, v in seed["targets"][0].items() if k != "id"} | {"id": "t1"}, ensure_ascii=False)
    return lambda aid: MARKUP.format(id=aid, target=target)


@pytest.mark.parametrize("who", [".", "..", "", "/", "علي"])
def test_import_markup_refuses_an_unsafe_annotator_and_writes_nothing(annotations_copy, tmp_path, capsys, who,
                                                                        markup):
    f = tmp_path / "a.khabar"
    f.write_text(markup("x-1"), encoding="utf-8")
    before = _tree(annotations_copy)
    assert main(["annotate", "import-markup", "--round", "b1", "--annotator", who, str(f), "--annotations",
                 str(annotations_copy)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "annotator" in err and "safe name" in err
    assert _tree(annotations_copy) == before


@pytest.mark.parametrize("aid", ["../../escaped", "{tmp}/escaped", "x\n"])
def test_import_markup_never_writes_a_path_from_an_unsafe_article_id(annotations_copy, tmp_path, capsys, aid,
                                                                     monkeypatch, markup):
    import khabar.authoring
    import khabar.store
    from khabar.markup import compile_markup

    aid = aid.format(tmp=tmp_path)
    good = compile_markup(markup("x-1"))
    # the markup reader and the store refuse such ids already; import-markup must not rely on either
    forged = type(good)({**good.article, "id": aid}, good.registry)
    monkeypatch.setattr(khabar.authoring, "compile_files", lambda files: [good, forged])
    stored = []
    monkeypatch.setattr(khabar.store, "write_articles", lambda *args, **kw: stored.append(args))
    before = _tree(annotations_copy)
    assert main(["annotate", "import-markup", "--round", "b1", "--annotator", "passA", str(tmp_path / "a"),
                 "--annotations", str(annotations_copy)]) == 2
    assert "article id" in capsys.readouterr().err
    assert _tree(annotations_copy) == before and stored == []
    assert not list(tmp_path.glob("escaped*")) and not list(annotations_copy.parent.glob("**/escaped*"))


def test_import_markup_with_a_good_annotator_still_works(annotations_copy, tmp_path, markup):
    f = tmp_path / "a.khabar"
    f.write_text(markup("x-1"), encoding="utf-8")
    assert main(["annotate", "import-markup", "--round", "b1", "--annotator", "ann@x.org", str(f), "--annotations",
                 str(annotations_copy)]) == 0
    folder = annotations_copy / "rounds/b1"
    assert (folder / "annotators/ann_at_x.org/x-1.jsonl").exists() and (folder / "registry/ann_at_x.org.jsonl").exists()


@pytest.fixture()
def no_server(monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "test-token")

    def refuse(server):
        raise AssertionError("push touched the server")

    monkeypatch.setattr(lsc, "connect", refuse)


def test_push_with_an_unknown_prelabel_system_is_one_line(annotations_copy, seed, capsys, no_server):
    assert main(["annotate", "push", "--round", "r1", "--articles", seed["id"], "--prelabel", "nope",
                 "--annotations", str(annotations_copy)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "'nope'" in line and "khabar systems" in line


def test_push_refuses_unsafe_article_ids_before_the_server(annotations_copy, capsys, no_server):
    assert main(["annotate", "push", "--round", "r1", "--articles", "../../x", "--annotations",
                 str(annotations_copy)]) == 2
    assert "article id '../../x' is not a safe name" in capsys.readouterr().err
    assert not (annotations_copy / "rounds" / "r1").exists()
