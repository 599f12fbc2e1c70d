import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar import jsonio
from khabar.errors import InputError


def test_malformed_json_is_one_located_line(tmp_path: Path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        list(jsonio.iter_jsonl(f))
    (line,) = e.value.lines()
    assert line.startswith(f"{f}:2: json: malformed JSON")


@pytest.mark.parametrize("const", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(tmp_path: Path, const: str):
    f = tmp_path / "x.jsonl"
    f.write_text('{"v": 1}\n\n{"v": ' + const + '}\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        list(jsonio.iter_jsonl(f))
    assert e.value.lines()[0].startswith(f"{f}:3: json:")


def test_invalid_utf8_names_the_line(tmp_path: Path):
    f = tmp_path / "x.jsonl"
    f.write_bytes(b'{"a": 1}\n{"a": "\xff"}\n')
    with pytest.raises(InputError) as e:
        list(jsonio.iter_jsonl(f))
    assert e.value.lines() == [f"{f}:2: encoding: not valid UTF-8"]


def test_line_separator_inside_a_string_does_not_split_the_line(tmp_path: Path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"t": "a\u2028b"}\n', encoding="utf-8")
    assert list(jsonio.iter_jsonl(f)) == [(1, {"t": "a\u2028b"})]


@given(st.text())
def test_reader_raises_nothing_but_input_errors(text: str):
    try:
        list(jsonio.iter_jsonl_text(text, "fuzz"))
    except InputError as e:
        assert all(line.startswith("fuzz:") for line in e.lines())


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path: Path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text("old", encoding="utf-8")

    def boom(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        jsonio.write_atomic(f, "new")
    assert f.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_write_gives_ordinary_permissions(tmp_path: Path):
    f = tmp_path / "b.txt"
    jsonio.write_atomic(f, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert f.stat().st_mode & 0o777 == 0o666 & ~umask
