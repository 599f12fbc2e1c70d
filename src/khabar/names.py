"""Names that become paths: article ids, round names, annotator names, system and submission names.

Every such name is checked here, on the read path and on the write path, against one anchored pattern: it starts
with a letter or digit, holds only letters, digits, ``.``, ``_`` and ``-`` (so no separator, no ``.`` or ``..``,
no trailing newline) and is at most 128 characters long.
"""

from __future__ import annotations

import re
from pathlib import Path

from khabar.errors import InputError
from khabar.schema import Problem

MAX_NAME = 128
# \A and \Z, not ^ and $: "$" also matches before a trailing newline, which let "ok-id\n" through.
NAME = re.compile(rf"\A[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_NAME - 1}}}\Z")
RULE = "use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"


def is_name(value: object) -> bool:
    """Whether ``value`` is a string that may become one path component."""
    return isinstance(value, str) and NAME.match(value) is not None


def name_problem(value: object, what: str) -> str | None:
    """Why ``value`` is not a valid ``what`` (article id, round name, ...), or None when it is."""
    if is_name(value):
        return None
    return f"{what} {value!r} is not a safe name: {RULE}"


def check_name(value: object, what: str, file: str = "", line: int | str = 0, field: str = "") -> str:
    """``value`` itself when it is a safe name; else a one-line :class:`InputError` (exit 2)."""
    msg = name_problem(value, what)
    if msg is not None:
        raise InputError([Problem(field or what, msg, file, line)] if file else [msg])
    return value  # type: ignore[return-value]


def child(base: Path, *names: str, what: str = "name", suffix: str = "") -> Path:
    """``base/name1/name2…`` + suffix, each name checked, and the result proven to stay under ``base``."""
    path = Path(base)
    for n in names:
        path = path / check_name(n, what)
    path = path.with_name(path.name + suffix) if suffix else path
    # Belt and braces: the pattern already excludes separators and dot names, but a symlink inside the
    # project could still point elsewhere; resolve both sides before comparing.
    if not path.resolve().is_relative_to(Path(base).resolve()):
        raise InputError([f"{what} {'/'.join(names)!r} leads outside {base}"])
    return path
