"""Strict JSON Lines reading and atomic writing.

Python's json module accepts ``NaN`` and ``Infinity``; JSON does not, and neither does Khabar.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from khabar.errors import fail


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_line(raw: str, file: str, line: int) -> Any:
    """Parse one JSON line, raising a located :class:`InputError` on failure."""
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        msg = e.msg if isinstance(e, json.JSONDecodeError) else str(e) or type(e).__name__
        col = f" (column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
        raise fail(file, line, "json", f"malformed JSON: {msg}{col}") from None


def iter_jsonl(path: str | Path, *, name: str | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, object) for each non-blank line; located errors for malformed lines."""
    label = name or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise fail(label, 0, "file", f"cannot read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise fail(label, line, "encoding", "not valid UTF-8") from None
    yield from iter_jsonl_text(text, label)


def iter_jsonl_text(text: str, label: str) -> Iterator[tuple[int, Any]]:
    """Like :func:`iter_jsonl` over a string already in memory."""
    # split on \n only: str.splitlines would also split on U+2028 and friends, which JSON allows in strings.
    for i, raw in enumerate(text.split("\n"), 1):
        if raw.strip():
            yield i, parse_line(raw, label, i)


def dumps(obj: Any) -> str:
    """Canonical one-line JSON: UTF-8 text kept readable, no NaN."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def jsonl_text(rows: Iterable[Any]) -> str:
    """Rows as JSON Lines text, one canonical object per line."""
    return "".join(dumps(r) + "\n" for r in rows)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never a half-written one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates 0600; give the file the mode an ordinary open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_many_atomic(files: dict[Path, str | bytes]) -> None:
    """Write several files, each atomically, only after all of them have been rendered.

    Rendering is the part that can fail on bad input; by the time this runs every payload exists, so a
    failure leaves each file either old or new.
    """
    for path, data in files.items():
        write_atomic(path, data)
