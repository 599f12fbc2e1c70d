"""Hardening of the leaderboard: huge numbers in submissions, safe submission names, display-safe metadata, and
missing folders reported as one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from khabar.benchmarks.board_meta import MAX_LENGTH, read_meta
from khabar.benchmarks.leaderboard import read_submissions, run_baselines
from test_predictions_hardening import HUGE, huge_prediction_line

from khabar.cli import main
from khabar.errors import InputError
from khabar.predictions import read_predictions

LINE = re.compile(r"^\S+:\d+: [^:\s]+: .+$")  # file:line: field: problem
GOOD = """\
name: A system
authors: Jane Doe, John Roe
url: https://example.org/system
description: A BERT tagger.
date: 2025-01-31
trained_on_train: false
"""


def submit(board: Path, system: str, meta: str = GOOD, test: str | None = None) -> Path:
    """A submission folder under ``board/submissions``; ``test`` is the text of its test.jsonl, if any."""
    folder = board / "submissions" / system
    folder.mkdir(parents=True)
    (folder / "meta.yaml").write_text(meta, encoding="utf-8")
    if test is not None:
        (folder / "test.jsonl").write_text(test + "\n", encoding="utf-8")
    return folder


def run(capsys, *argv: str) -> tuple[int, list[str]]:
    """Exit status and stderr lines of ``khabar argv``; a traceback would fail the test by escaping."""
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().err.strip().splitlines()


def meta_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "meta.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_meta(path)
    lines = e.value.lines()
    assert all(LINE.match(x) and "\n" not in x for x in lines), lines
    return lines


# --- 1. huge numbers in a submission ----------------------------------------------------------------------------

@pytest.mark.parametrize("literal", HUGE, ids=["400-zeros", "1e400", "2**60"])
def test_leaderboard_refuses_a_huge_value_with_one_located_line(built, tmp_path, capsys, literal):
    board = tmp_path / "board"
    folder = submit(board, "huge", test=huge_prediction_line(built, literal))
    code, err = run(capsys, "leaderboard", "build", "--dataset", str(built), "--leaderboard", str(board),
                    "--boot", "10")
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"{folder / 'test.jsonl'}:1: ") and LINE.match(err[0])
    assert not (board / "LEADERBOARD.md").exists()


# --- 4. submission names and meta.yaml --------------------------------------------------------------------------

@pytest.mark.parametrize("system", ["bad name", ".hidden", "-dash", "tab\there", "new\nline", "evil\u202egnp",
                                    "x" * 129])
def test_an_unsafe_submission_folder_name_is_one_located_error(built, tmp_path, capsys, system):
    board = tmp_path / "board"
    submit(board, system)
    code, err = run(capsys, "leaderboard", "build", "--dataset", str(built), "--leaderboard", str(board))
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"{board / 'submissions'}:0: system: submission folder {system!r} is not a safe name")
    assert not (board / "LEADERBOARD.md").exists()


def test_problems_of_every_submission_are_reported_together(built, tmp_path):
    board = tmp_path / "board"
    submit(board, "a", meta=GOOD.replace("name: A system", "name: ''"), test='{"id": 1}')
    submit(board, "b", meta=GOOD, test="{not json")
    submit(board, "c d")
    submit(board, "e", meta=GOOD)
    with pytest.raises(InputError) as e:
        read_submissions(built, board / "submissions")
    lines = e.value.lines()
    subs = board / "submissions"
    assert len(lines) == 7, lines
    assert "'c d' is not a safe name" in lines[0]
    assert lines[1].startswith(f"{subs / 'a' / 'meta.yaml'}:1: name: must not be empty")
    assert lines[2] == f"{subs / 'a' / 'test.jsonl'}:1: id: expected a string, got int"
    assert [x.split(": ", 2)[1] for x in lines[3:6]] == ["entities", "numbers", "stance"]
    assert lines[6].startswith(f"{subs / 'b' / 'test.jsonl'}:1: json: malformed JSON")


BAD_CHARS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
             "\u200f", "\u061c", "\x1b", "\x00", "\x7f", "\x85", "\n", "\t", "\u2028", "\u2029"]


@pytest.mark.parametrize("key", ["name", "authors", "description"])
@pytest.mark.parametrize("char", BAD_CHARS, ids=[f"U+{ord(c):04X}" for c in BAD_CHARS])
def test_meta_text_refuses_bidi_and_control_characters(tmp_path, key, char):
    value = json.dumps(f"abc{char}def")  # a YAML double-quoted scalar: escapes carry any character through
    text = re.sub(rf"(?m)^{key}: .*$", lambda _: f"{key}: {value}", GOOD)
    [line] = meta_problems(tmp_path, text)
    kind = "bidi control" if ord(char) > 0x200 and char not in "\u2028\u2029" else "control character"
    assert f": {key}: contains the {kind} U+{ord(char):04X} at character 4" in line, line


def test_meta_refuses_a_raw_right_to_left_override_in_an_author_list(tmp_path):
    text = GOOD.replace("authors: Jane Doe, John Roe", "authors:\n  - Jane Doe\n  - \u202eeoR nhoJ")
    [line] = meta_problems(tmp_path, text)
    assert line == f"{tmp_path / 'meta.yaml'}:2: authors: contains the bidi control U+202E at character 11 " \
                   "(write it as one line of plain text)"


@pytest.mark.parametrize("key", ["name", "authors", "description"])
def test_meta_text_has_a_length_cap(tmp_path, key):
    limit = MAX_LENGTH[key]
    assert limit == {"name": 80, "authors": 200, "description": 500}[key]
    ok = re.sub(rf"(?m)^{key}: .*$", f"{key}: {'ش' * limit}", GOOD)
    assert getattr(read_meta(_write(tmp_path, ok)), key) == "ش" * limit
    long = re.sub(rf"(?m)^{key}: .*$", f"{key}: {'ش' * (limit + 1)}", GOOD)
    [line] = meta_problems(tmp_path, long)
    assert line.endswith(f": {key}: is {limit + 1} characters long (at most {limit})")


def test_meta_keeps_arabic_and_joiners(tmp_path):
    # ZWNJ/ZWJ are ordinary in Arabic-script names; only bidi controls and control characters are refused
    text = GOOD.replace("name: A system", "name: نظام\u200cخبر")
    assert read_meta(_write(tmp_path, text)).name == "نظام\u200cخبر"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "meta.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "", "ok\n"])
def test_run_baselines_refuses_unsafe_names_and_writes_nothing(built, tmp_path, name):
    subs = tmp_path / "board" / "submissions"
    with pytest.raises(InputError):
        run_baselines(built, subs, splits=("test",), names=[name])
    assert not any(tmp_path.rglob("*.jsonl")) and not any(tmp_path.rglob("meta.yaml"))


def test_run_baselines_does_not_follow_a_symlink_out_of_submissions(built, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    subs = tmp_path / "board" / "submissions"
    subs.mkdir(parents=True)
    (subs / "empty").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError) as e:
        run_baselines(built, subs, splits=("test",), names=["empty"])
    assert "leads outside" in e.value.lines()[0]
    assert list(outside.iterdir()) == []


def test_run_baselines_writes_under_the_checked_name(built, tmp_path):
    subs = tmp_path / "submissions"
    assert run_baselines(built, subs, splits=("test",), names=["empty"]) == ["empty"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "submissions/empty/meta.yaml", "submissions/empty/test.jsonl"]
    assert read_predictions(subs / "empty" / "test.jsonl").by_id


# --- 5. missing folders -----------------------------------------------------------------------------------------

def test_leaderboard_build_without_a_leaderboard_folder_is_one_line(built, tmp_path, capsys):
    missing = tmp_path / "nonexistent"
    code, err = run(capsys, "leaderboard", "build", "--dataset", str(built), "--leaderboard", str(missing))
    assert code != 0 and len(err) == 1, err
    assert err[0].startswith(f"{missing / 'submissions'}: cannot read the submissions folder")
    assert not missing.exists()


@pytest.mark.parametrize("cmd", [["leaderboard", "build"], ["benchmark"]], ids=" ".join)
def test_a_missing_release_is_one_line_and_nothing_is_written(tmp_path, capsys, cmd):
    board, missing = tmp_path / "board", tmp_path / "nonexistent"
    if cmd == ["leaderboard", "build"]:
        submit(board, "empty")
    code, err = run(capsys, *cmd, "--dataset", str(missing), "--leaderboard", str(board), "--boot", "10")
    assert code != 0 and err == [f"{missing}: not a release folder (no manifest.json); build one with "
                                 "`khabar release build`"]
    assert not (board / "LEADERBOARD.md").exists()
    assert not any(board.rglob("*.jsonl")) and [p.name for p in board.rglob("meta.yaml")] == (
        ["meta.yaml"] if cmd == ["leaderboard", "build"] else [])


def test_score_with_a_folder_that_is_not_a_release_is_one_line(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text("", encoding="utf-8")
    code, err = run(capsys, "score", "--gold", str(tmp_path), "--predictions", str(pred))
    assert code != 0 and err == [f"{tmp_path}: not a release folder (no manifest.json); build one with "
                                 "`khabar release build`"]


def test_an_unreadable_manifest_is_one_line(built, tmp_path, capsys):
    fake = tmp_path / "release"
    fake.mkdir()
    (fake / "manifest.json").write_text('{"version": "0.1.0"}', encoding="utf-8")
    code, err = run(capsys, "leaderboard", "build", "--dataset", str(fake), "--leaderboard", str(tmp_path / "b"))
    assert code != 0 and len(err) == 1 and str(fake / "manifest.json") in err[0], err
