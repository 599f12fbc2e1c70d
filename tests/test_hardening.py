"""Regression tests for the hardening issue: each failed on release 0.1.0.

Paths built from data stay in the project; a store without gold does not build; the swap of ``dataset/``
survives a kill at any instant and takes a lock; values that cannot be stored are located errors; error lists
are bounded; the text carries a fingerprint; broken inputs give one line, not a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.check_release import check_dataset
from khabar.cli import main
from khabar.errors import InputError, KhabarError
from khabar.names import check_name, child, is_name
from khabar.release import build, manifest
from khabar.store import read_store, write_articles
from khabar.swap import install, locked, recover

ALLOWED = ["khb-0001", "a", "A.b_c-1", "x" * 128]
REFUSED = ["", ".", "..", "../x", "a/b", "/tmp/x", "ok-id\n", "-x", ".hidden", "a\\b", "x" * 129, "a b",
           "\u202ex", 7, None]


@pytest.mark.parametrize("name", ALLOWED)
def test_safe_names_are_accepted(name):
    assert is_name(name) and check_name(name, "article id") == name


@pytest.mark.parametrize("name", REFUSED, ids=repr)
def test_unsafe_names_are_one_line_errors(name):
    assert not is_name(name)
    with pytest.raises(InputError) as e:
        check_name(name, "article id")
    assert len(e.value.lines()) == 1 and e.value.exit_code == 2


def test_child_never_leaves_its_base(tmp_path):
    assert child(tmp_path, "a", suffix=".jsonl") == tmp_path / "a.jsonl"
    (tmp_path / "link").symlink_to("/tmp")
    with pytest.raises(InputError):
        child(tmp_path, "link", "x")


# --------------------------------------------------------------------------------------------------------
# 1. Path traversal through the article id


def _markup_with_id(annotations: Path, new_id: str, tmp_path: Path) -> Path:
    assert main(["gold", "render", "khb-0001", "--annotations", str(annotations),
                 "--output", str(tmp_path / "m.khabar")]) == 0
    src = (tmp_path / "m.khabar").read_text(encoding="utf-8")
    out = tmp_path / "evil.khabar"
    out.write_text(src.replace("id: khb-0001", f"id: {json.dumps(new_id)}", 1), encoding="utf-8")
    return out


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("evil", ["../../../../tmp/khabar-evil", "/tmp/khabar-evil", "ok-id\n", ".."])
@pytest.mark.parametrize("command", [["gold", "apply"], ["annotate", "import-markup", "--round", "r1",
                                                         "--annotator", "ann"]])
def test_traversal_through_the_article_id_writes_nothing(annotations_copy, tmp_path, capsys, evil, command):
    markup = _markup_with_id(annotations_copy, evil, tmp_path)
    before = _snapshot(annotations_copy)
    capsys.readouterr()
    assert main([*command, str(markup), "--annotations", str(annotations_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "article id" in err[0] and str(markup) in err[0]
    assert _snapshot(annotations_copy) == before
    assert not Path("/tmp/khabar-evil.jsonl").exists()
    assert not (annotations_copy.parent / "khabar-evil.jsonl").exists()


def test_write_articles_refuses_an_unsafe_id(annotations_copy, store):
    bad = dict(store.articles[1], id="../escape")
    before = _snapshot(annotations_copy)
    with pytest.raises(InputError) as e:
        write_articles(annotations_copy, [bad])
    assert "not a safe name" in e.value.lines()[0]
    assert _snapshot(annotations_copy) == before


def test_an_id_with_a_trailing_newline_is_refused_on_read(annotations_copy):
    art = annotations_copy / "articles.jsonl"
    lines = art.read_text(encoding="utf-8").split("\n")
    row = json.loads(lines[1])
    lines[1] = json.dumps({**row, "id": row["id"] + "\n"}, ensure_ascii=False)
    art.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_store(annotations_copy)
    assert any(line.startswith("annotations/articles.jsonl:2: id:") for line in e.value.lines())


# --------------------------------------------------------------------------------------------------------
# 2. A missing gold store does not build; build and validate share one checker


def test_missing_gold_folder_is_an_error_for_build_and_validate(annotations_copy, tmp_path, capsys):
    shutil.rmtree(annotations_copy / "gold")
    out = tmp_path / "dataset"
    assert main(["release", "build", "--annotations", str(annotations_copy), "--dataset", str(out)]) == 2
    assert "gold folder is missing" in capsys.readouterr().err
    assert not out.exists()
    assert main(["validate", "--annotations", str(annotations_copy), "--dataset", str(out)]) != 0
    assert "gold folder is missing" in capsys.readouterr().err


def test_an_article_without_its_gold_file_is_an_error(annotations_copy, tmp_path):
    (annotations_copy / "gold" / "khb-0007.jsonl").unlink()
    with pytest.raises(InputError) as e:
        build(annotations_copy, tmp_path / "dataset")
    assert e.value.lines() == ["annotations/gold/khb-0007.jsonl:0: file: missing: article 'khb-0007' "
                               "(annotations/articles.jsonl:8) has no gold file"]


def test_an_empty_store_is_an_error(annotations_copy, tmp_path):
    (annotations_copy / "articles.jsonl").write_text("", encoding="utf-8")
    for f in (annotations_copy / "gold").iterdir():
        f.unlink()
    with pytest.raises(InputError, match="holds no article"):
        build(annotations_copy, tmp_path / "dataset")


def test_build_runs_the_corpus_checks_validate_runs(annotations_copy, tmp_path):
    # two articles with one text: validate used to catch it in the Arrow files, build shipped it
    art = annotations_copy / "articles.jsonl"
    rows = [json.loads(x) for x in art.read_text(encoding="utf-8").splitlines()]
    twin = {**rows[1], "id": "khb-twin", "split": "test"}
    art.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*rows, twin]), encoding="utf-8")
    shutil.copy(annotations_copy / "gold" / f"{rows[1]['id']}.jsonl", annotations_copy / "gold" / "khb-twin.jsonl")
    with pytest.raises(InputError) as e:
        build(annotations_copy, tmp_path / "dataset")
    assert f"text: same text as article {rows[1]['id']!r}" in e.value.lines()[0]


# --------------------------------------------------------------------------------------------------------
# 3. A crash-safe, locked swap; a world-readable release


def _kill_during_build(annotations: Path, out: Path, point: str, fallback: bool = False) -> int:
    code = ("import sys; from pathlib import Path; from khabar import release, swap\n"
            + ("swap.exchange_paths = lambda a, b: False\n" if fallback else "")
            + "release.build(Path(sys.argv[1]), Path(sys.argv[2]))\n")
    env = {**os.environ, "KHABAR_FAULT": point}
    return subprocess.run([sys.executable, "-c", code, str(annotations), str(out)], env=env).returncode


def _bump_version(annotations: Path, version: str) -> None:
    p = annotations / "release.json"
    p.write_text(json.dumps({**json.loads(p.read_text(encoding="utf-8")), "version": version}), encoding="utf-8")


@pytest.mark.parametrize(("point", "fallback", "expect"), [
    ("written", False, "old"),            # new release complete, not yet swapped
    ("exchanged", False, "9.9.9"),        # swapped, old one not yet deleted
    ("between-renames", True, "old"),     # the two-rename fallback, killed between its renames
])
def test_a_kill_at_any_instant_leaves_a_loadable_release(annotations_copy, tmp_path, point, fallback, expect):
    out = tmp_path / "dataset"
    build(annotations_copy, out)
    old = manifest(out)["version"]
    _bump_version(annotations_copy, "9.9.9")
    assert _kill_during_build(annotations_copy, out, point, fallback) == -9
    leftovers = sorted(p.name for p in tmp_path.glob(".dataset.*-*"))
    assert leftovers, "the kill should have left a temporary folder behind"
    if out.exists():
        assert manifest(out)["version"] == (old if expect == "old" else expect) and check_dataset(out) == []
    else:  # only the fallback can strand the old folder; the next build puts it back
        assert fallback
        recover(out)
        assert manifest(out)["version"] == old and check_dataset(out) == []
    build(annotations_copy, out)  # recovers leftovers by itself
    assert manifest(out)["version"] == "9.9.9" and check_dataset(out) == []
    assert not list(tmp_path.glob(".dataset.*-*"))


def test_install_without_atomic_exchange_still_swaps(tmp_path):
    out, new = tmp_path / "d", tmp_path / ".d.new-1"
    out.mkdir()
    (out / "f").write_text("old")
    new.mkdir()
    (new / "f").write_text("new")
    install(new, out, exchange=lambda a, b: False)
    assert (out / "f").read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_a_concurrent_build_gets_one_line(annotations_copy, tmp_path, capsys):
    out = tmp_path / "dataset"
    with locked(out.resolve()):
        code = main(["release", "build", "--annotations", str(annotations_copy), "--dataset", str(out)])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "another build" in err[0]
    assert not out.exists() and not list(tmp_path.glob(".dataset.*-*"))


def test_release_is_world_readable_whatever_the_umask(annotations_copy, tmp_path):
    old = os.umask(0o077)
    try:
        build(annotations_copy, tmp_path / "dataset")
    finally:
        os.umask(old)
    for p in [tmp_path / "dataset", *(tmp_path / "dataset").rglob("*")]:
        assert p.stat().st_mode & 0o777 == (0o755 if p.is_dir() else 0o644), p


# --------------------------------------------------------------------------------------------------------
# 4. Values that cannot be represented; 8. duplicate keys


def _edit_gold_line(annotations: Path, article: str, layer: str, edit) -> int:
    f = annotations / "gold" / f"{article}.jsonl"
    lines = f.read_text(encoding="utf-8").split("\n")
    i = next(i for i, x in enumerate(lines) if x.startswith(f'{{"layer": "{layer}"'))
    lines[i] = edit(lines[i])
    f.write_text("\n".join(lines), encoding="utf-8")
    return i + 1


@pytest.mark.parametrize(("edit", "message"), [
    (lambda s: json.dumps({**json.loads(s), "value": 10**19}, ensure_ascii=False), "beyond ±2**53"),
    (lambda s: json.dumps({**json.loads(s), "value": 1e300}, ensure_ascii=False), "beyond ±2**53"),
    (lambda s: s.replace('"value": ', '"value": 1' + "0" * 400 + ', "x": ', 1), "too long to represent"),
    (lambda s: s.replace('"value": ', '"value": 1e999, "x": ', 1), "too large to represent"),
    (lambda s: s.replace('"value": ', '"value": NaN, "x": ', 1), "NaN is not valid JSON"),
    (lambda s: s.replace('"value": ', '"value": 5, "value": ', 1), "duplicate key 'value'"),
    (lambda s: json.dumps({**json.loads(s), "start": 2**40}, ensure_ascii=False), "out of range"),
])
def test_values_that_cannot_be_stored_are_located_errors(annotations_copy, tmp_path, capsys, edit, message):
    line = _edit_gold_line(annotations_copy, "khb-0002", "number", edit)
    for cmd in (["release", "build"], ["validate"]):
        assert main([*cmd, "--annotations", str(annotations_copy), "--dataset", str(tmp_path / "d")]) != 0
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith(f"annotations/gold/khb-0002.jsonl:{line}: ") and message in err[0]


# --------------------------------------------------------------------------------------------------------
# 5. Bounded error lists, streamed input


def test_error_lists_are_bounded_and_reading_stops(annotations_copy, tmp_path):
    (annotations_copy / "entities.jsonl").write_text("{}\n" * 100_000, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_store(annotations_copy)
    lines = e.value.lines()
    assert len(lines) <= 52 and lines[-1].startswith("… stopped reading at annotations/entities.jsonl:")
    stopped_at = int(lines[-1].split("entities.jsonl:")[1].split(":")[0])
    assert stopped_at < 100  # it did not read the other 99,900 lines


def test_one_huge_line_gives_a_bounded_error_list(annotations_copy):
    f = annotations_copy / "gold" / "khb-0002.jsonl"
    f.write_text(f.read_text(encoding="utf-8") + json.dumps({"layer": "entity", **{f"k{i}": 1 for i in
                                                                                 range(100_000)}}) + "\n")
    with pytest.raises(InputError) as e:
        read_store(annotations_copy)
    assert len(e.value.lines()) <= 52


def test_khabar_error_caps_what_it_prints():
    e = KhabarError([f"problem {i}" for i in range(500)])
    assert len(e.lines()) == 51 and e.lines()[-1] == "… and 450 more"


# --------------------------------------------------------------------------------------------------------
# 6. The text fingerprint


def test_a_same_length_edit_of_the_text_is_one_located_error(annotations_copy, store, tmp_path, capsys):
    art = next(a for a in store.articles if a["id"] == "khb-0003")
    ev = art["stance"][0]["evidence"]
    spans = {(m["start"], m["end"]) for m in art["entities"] + art["numbers"]}
    # a character inside the evidence but outside every entity and number span
    pos = next(i for i in range(ev[0], ev[1]) if art["text"][i] != " "
               and not any(s <= i < e for s, e in spans))
    new_text = art["text"][:pos] + ("ب" if art["text"][pos] != "ب" else "ت") + art["text"][pos + 1:]
    p = annotations_copy / "articles.jsonl"
    rows = [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()]
    line = next(i for i, r in enumerate(rows, 1) if r["id"] == "khb-0003")
    rows[line - 1]["text"] = new_text
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for cmd in (["release", "build"], ["validate"]):
        assert main([*cmd, "--annotations", str(annotations_copy), "--dataset", str(tmp_path / "d")]) != 0
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith(f"annotations/articles.jsonl:{line}: text: the text of "
                                                   "'khb-0003' changed since it was annotated")


def test_gold_apply_writes_the_fingerprint(annotations_copy, tmp_path):
    f = annotations_copy / "gold" / "khb-0004.jsonl"
    f.write_text("".join(x + "\n" for x in f.read_text(encoding="utf-8").splitlines()[1:]), encoding="utf-8")
    with pytest.raises(InputError, match="no text fingerprint"):
        read_store(annotations_copy)
    assert main(["gold", "render", "khb-0004", "--annotations", str(annotations_copy),
                 "--output", str(tmp_path / "m")]) != 0  # render reads the store: refused too
    f.write_text('{"layer": "text", "sha256": "00"}\n' + f.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match="changed since it was annotated"):
        read_store(annotations_copy)


# --------------------------------------------------------------------------------------------------------
# 8. One line, not a traceback


@pytest.mark.parametrize("content", ["{not json", '{"name": "Khabar"}', '{"name": "K", "version": "one", '
                                     '"canary": "c"}', "[]"])
def test_a_broken_release_json_is_one_line(annotations_copy, tmp_path, capsys, content):
    (annotations_copy / "release.json").write_text(content, encoding="utf-8")
    assert main(["release", "build", "--annotations", str(annotations_copy), "--dataset", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(x.startswith(f"{annotations_copy / 'release.json'}:") for x in err)


def test_output_to_a_directory_is_one_line(built, tmp_path, capsys):
    assert main(["export", "--format", "jsonl", "--dataset", str(built), "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path}:0: file: is a directory; give a file name"


def test_unknown_field_messages_escape_the_key(annotations_copy):
    _edit_gold_line(annotations_copy, "khb-0002", "number",
                    lambda s: s.replace('"value": ', '"bad\\nkey\\u001b[31m": 1, "value": ', 1))
    with pytest.raises(InputError) as e:
        read_store(annotations_copy)
    (line,) = e.value.lines()
    assert "\n" not in line and "\x1b" not in line and "unknown field" in line


@pytest.mark.parametrize(("number", "field"), [
    ({"kind": "date", "value": None, "date": "2024-01-01\n", "unit": None, "approx": "exact"}, "date"),
    ({"kind": "money", "value": 5.0, "date": None, "unit": "USD\n", "approx": "exact"}, "unit"),
])
def test_number_checks_are_anchored(number, field):
    from khabar.validate import number_consistency

    assert [f for f, _ in number_consistency(number)] == [field]
