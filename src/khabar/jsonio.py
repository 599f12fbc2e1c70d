"""Strict JSON Lines reading and atomic writing.

Python's json module accepts ``NaN`` and ``Infinity``; JSON does not, and neither does Khabar.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from khabar.errors import fail

# A JSON line longer than this is refused before parsing, so one giant line cannot exhaust memory.
MAX_LINE_BYTES = 64 * 1024 * 1024
# Integers longer than this cannot be an offset (int32) or a value the schema stores exactly (|v| <= 2**53).
MAX_INT_DIGITS = 20


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_float(s: str) -> float:
    v = float(s)
    if not math.isfinite(v):
        raise ValueError(f"number {s[:30]}{'…' if len(s) > 30 else ''} is too large to represent")
    return v


def _parse_int(s: str) -> int:
    if len(s.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"integer literal of {len(s.lstrip('-'))} digits is too long to represent")
    return int(s)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise ValueError(f"duplicate key {k!r}")
            seen.add(k)
    return d


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_parse_float, parse_int=_parse_int,
                            object_pairs_hook=_object)


def loads(raw: str) -> Any:
    """Strict JSON: no NaN or infinity, no duplicate keys, no number too large to represent."""
    return _DECODER.decode(raw)


def parse_line(raw: str, file: str, line: int) -> Any:
    """Parse one JSON line, raising a located :class:`InputError` on failure."""
    try:
        return loads(raw)
    except (ValueError, RecursionError) as e:
        if isinstance(e, json.JSONDecodeError):
            raise fail(file, line, "json", f"malformed JSON: {e.msg} (column {e.colno})") from None
        raise fail(file, line, "json", f"malformed JSON: {str(e) or type(e).__name__}") from None


def iter_jsonl(path: str | Path, *, name: str | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, object) for each non-blank line, streamed; a located error for the first bad line.

    Lines are read one at a time, so memory is bounded by the longest line (at most :data:`MAX_LINE_BYTES`).
    """
    for line, raw in iter_lines(path, name=name):
        yield line, parse_line(raw, name or str(path), line)


def iter_lines(path: str | Path, *, name: str | None = None) -> Iterator[tuple[int, str]]:
    """(line number, text) for each non-blank line of a UTF-8 file, streamed; split on \\n only."""
    label = name or str(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below, after the generator ends
    except OSError as e:
        raise fail(label, 0, "file", f"cannot read: {e.strerror or e}") from None
    try:
        if not Path(path).is_file():
            raise fail(label, 0, "file", "cannot read: not a regular file")
        i = 0
        while True:
            try:
                data = fh.readline(MAX_LINE_BYTES + 1)
            except OSError as e:
                raise fail(label, i + 1, "file", f"cannot read: {e.strerror or e}") from None
            if not data:
                return
            i += 1
            if len(data) > MAX_LINE_BYTES:
                raise fail(label, i, "json", f"line longer than {MAX_LINE_BYTES} bytes")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise fail(label, i, "encoding", "not valid UTF-8") from None
            # bytes.readline splits on b"\n" only, as JSON Lines wants: U+2028 stays inside its string.
            if text.strip():
                yield i, text
    finally:
        fh.close()


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
    if path.is_dir():
        raise fail(str(path), 0, "file", "is a directory; give a file name")
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
