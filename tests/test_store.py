import json
from pathlib import Path

import pytest
from conftest import SEED_ID

from khabar.cli import main
from khabar.store import read_store, standoff_lines, write_articles


def _gold(ann: Path) -> Path:
    return ann / "gold" / f"{SEED_ID}.jsonl"


def _edit_first(ann: Path, layer: str, **changes) -> int:
    """Change the first standoff line of a layer; return its line number."""
    path = _gold(ann)
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, raw in enumerate(lines):
        if raw and json.loads(raw)["layer"] == layer:
            obj = {**json.loads(raw), **changes}
            lines[i] = json.dumps(obj, ensure_ascii=False)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(layer)


def _validate(ann: Path, dataset: Path, capsys) -> tuple[int, list[str]]:
    code = main(["validate", "--annotations", str(ann), "--dataset", str(dataset)])
    return code, capsys.readouterr().err.strip().splitlines()


def test_store_reads_the_seed(store, seed):
    ids = [a["id"] for a in store.articles]
    assert SEED_ID in ids and ids == sorted(ids)
    assert len(seed["entities"]) >= 60 and len(seed["numbers"]) >= 12 and len(seed["stance"]) >= 10
    assert {s["polarity"] for s in seed["stance"]} == {"support", "oppose", "neutral"}
    assert 3 <= len(seed["targets"]) <= 5


def test_spelling_variants_share_an_entity_id(seed):
    surfaces = {}
    for m in seed["entities"]:
        surfaces.setdefault(m["entity_id"], set()).add(m["text"])
    assert {"بيونج يانج", "بيونج يونج"} <= surfaces["pyongyang"]
    assert {"سيئول", "سيول"} <= surfaces["seoul"]


def test_seed_numbers_named_in_the_issue(seed):
    by_text = {}
    for n in seed["numbers"]:
        by_text.setdefault(n["text"], []).append(n)
    assert by_text["10 آلاف"][0]["approx"] == "at_least" and by_text["10 آلاف"][0]["value"] == 10000
    assert by_text["عشرات"][0]["approx"] == "vague" and by_text["عشرات"][0]["value"] is None
    assert by_text["24"][0]["kind"] == "duration" and by_text["24"][0]["unit"] == "a"
    assert by_text["2000"][0]["kind"] == "year"
    assert by_text["مليون"][0]["value"] == 1_000_000
    assert by_text["فبراير 2022"][0]["date"] == "2022-02"
    assert by_text["أسبوعًا"][0]["unit"] == "wk"
    assert {n["value"] for n in by_text["5 ملايين"]} == {5_000_000}


def test_write_is_canonical_and_idempotent(annotations_copy, store):
    before = {p: p.read_bytes() for p in annotations_copy.rglob("*.jsonl")}
    write_articles(annotations_copy, store.articles)
    after = {p: p.read_bytes() for p in annotations_copy.rglob("*.jsonl")}
    assert before == after
    again = read_store(annotations_copy).articles
    assert [standoff_lines(a) for a in again] == [standoff_lines(a) for a in store.articles]


@pytest.mark.parametrize(("mutate", "expect"), [
    ("malformed", ":3: json: malformed JSON"),
    ("nan", ": json: malformed JSON: NaN is not valid JSON"),
    ("label", ": label: 'PERSON' is not one of PER, ORG"),
    ("range", ": end: 99999 is outside the text"),
    ("surface", ": text: 'xyz' does not match text["),
    ("unknown_article", "gold/khb-9999.jsonl:1: file: unknown article id 'khb-9999'"),
    ("unknown_target", ": target: 't9' is not a target of this article"),
    ("bad_kind", ": kind: 'number' is not one of cardinal"),
])
def test_bad_gold_gives_one_located_line_and_nonzero_exit(annotations_copy, built, capsys, mutate, expect):
    gold = _gold(annotations_copy)
    line = None
    if mutate == "malformed":
        lines = gold.read_text(encoding="utf-8").split("\n")
        lines[2] = lines[2][:-5]
        gold.write_text("\n".join(lines), encoding="utf-8")
    elif mutate == "nan":
        line = _edit_first(annotations_copy, "number")
        text = gold.read_text(encoding="utf-8").replace('"value": 5000000.0', '"value": NaN', 1)
        gold.write_text(text, encoding="utf-8")
    elif mutate == "label":
        line = _edit_first(annotations_copy, "entity", label="PERSON")
    elif mutate == "range":
        line = _edit_first(annotations_copy, "entity", end=99999)
    elif mutate == "surface":
        line = _edit_first(annotations_copy, "entity", text="xyz")
    elif mutate == "unknown_article":
        (annotations_copy / "gold" / "khb-9999.jsonl").write_text("", encoding="utf-8")
    elif mutate == "unknown_target":
        line = _edit_first(annotations_copy, "stance", target="t9")
    elif mutate == "bad_kind":
        line = _edit_first(annotations_copy, "number", kind="number")
    code, err = _validate(annotations_copy, built, capsys)
    assert code != 0
    assert len(err) == 1, err
    assert expect in err[0], err[0]
    if line is not None:
        assert err[0].startswith(f"annotations/gold/{SEED_ID}.jsonl:{line}: "), err[0]


def test_entity_registry_label_conflict(annotations_copy, built, capsys):
    reg = annotations_copy / "entities.jsonl"
    lines = reg.read_text(encoding="utf-8").splitlines()
    idx = next(i for i, ln in enumerate(lines) if '"entity_id": "russia"' in ln)
    lines[idx] = lines[idx].replace('"label": "GPE"', '"label": "ORG"')
    reg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = _validate(annotations_copy, built, capsys)
    assert code == 1
    assert all(": label: GPE differs from the label ORG of entity 'russia'" in e for e in err)


def test_failed_build_writes_nothing(annotations_copy, built, capsys, tmp_path):
    import shutil

    out = tmp_path / "dataset"
    shutil.copytree(built, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _edit_first(annotations_copy, "entity", label="PERSON")
    code = main(["release", "build", "--annotations", str(annotations_copy), "--dataset", str(out)])
    assert code == 2
    assert "label: 'PERSON'" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # no temporary folder left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["DATASHEET.md", "annotations", "dataset"]
