"""Reading and validating a submission's ``meta.yaml``."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from khabar.benchmarks.board_model import SubmissionMeta

from khabar.errors import InputError
from khabar.schema import Problem

REQUIRED = ("name", "authors", "description", "date", "trained_on_train")
OPTIONAL = ("url",)
ALLOWED = (*REQUIRED, *OPTIONAL)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Whitespace and control characters are never part of a URL we would print as a link.
_BAD_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")
# Bidi embeddings, overrides, isolates and marks reorder the text around them when rendered: "U+202E" in a name
# prints it backwards and can make one system pass for another, or flip the columns of a table row.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Cc: C0/C1 controls (newline, tab, ESC ...); Zl/Zp: U+2028/U+2029, which break a line like a newline does.
_CONTROL_CATEGORIES = frozenset(("Cc", "Zl", "Zp"))
# Display strings: long enough for any honest value, short enough that no table cell swallows the board.
MAX_LENGTH = {"name": 80, "authors": 200, "description": 500}


def is_web_url(url: object) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host: the only kind the leaderboard links to."""
    if not isinstance(url, str) or not url or _BAD_URL_CHARS.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def read_meta(path: Path) -> SubmissionMeta:
    """The validated ``meta.yaml`` at ``path``.

    Raises :class:`~khabar.errors.InputError` listing every problem found, one ``file:line: field: problem`` line
    each (the line of the offending key when known, else 1).
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError([Problem("file", f"cannot read: {e}", file, 1)]) from None
    try:
        # compose, not load: the node tree keeps the line of every key, and a value that YAML cannot construct
        # (say an unquoted 2024-02-30) is reported at its own key instead of aborting the whole file.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        context, start = getattr(e, "context", None), getattr(e, "context_mark", None)
        if context and start is not None and start.line + 1 != line:
            # The opening bracket or quote is often lines above where the parser gave up.
            reason += f" ({context} at line {start.line + 1})"
        raise InputError([Problem("yaml", f"malformed YAML: {reason}", file, line)]) from None
    if not isinstance(root, yaml.MappingNode):
        raise InputError([Problem("meta", "expected a mapping of keys to values", file, _line(root))])
    return _validate(root, file)


def _validate(root: yaml.MappingNode, file: str) -> SubmissionMeta:
    problems: list[Problem] = []
    nodes: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in ALLOWED:
            shown = key if key is not None else "<non-scalar key>"
            problems.append(Problem(str(shown), f"unknown key (allowed: {', '.join(ALLOWED)})", file,
                                    _line(key_node)))
        elif key in nodes:
            # PyYAML would silently keep the last value; a duplicated key is almost always an editing mistake.
            problems.append(Problem(key, f"duplicate key (first at line {_line(nodes[key][0])})", file,
                                    _line(key_node)))
        else:
            nodes[key] = (key_node, value_node)
    for key in REQUIRED:
        if key not in nodes:
            problems.append(Problem(key, "missing required key", file, 1))

    values: dict[str, Any] = {}
    for key, (key_node, value_node) in nodes.items():
        check = _CHECKS[key]
        try:
            values[key] = check(value_node)
        except ValueError as e:
            problems.append(Problem(key, str(e), file, _line(key_node)))
    if problems:
        raise InputError(sorted(problems, key=lambda p: (int(p.line), p.field)))
    return SubmissionMeta(name=values["name"], authors=values["authors"], url=values.get("url"),
                          description=values["description"], date=values["date"],
                          trained_on_train=values["trained_on_train"])


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _construct(node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader("").construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError) as e:
        raise ValueError(f"unreadable value: {e}") from None


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def display_problem(value: str, limit: int) -> str | None:
    """Why ``value`` cannot be shown on the board as one line of plain text, or None when it can."""
    for i, ch in enumerate(value):
        if ch in BIDI_CONTROLS or unicodedata.category(ch) in _CONTROL_CATEGORIES:
            kind = "bidi control" if ch in BIDI_CONTROLS else "control character"
            return f"contains the {kind} U+{ord(ch):04X} at character {i + 1} (write it as one line of plain text)"
    if len(value) > limit:
        return f"is {len(value)} characters long (at most {limit})"
    return None


def _display(value: str, key: str) -> str:
    problem = display_problem(value, MAX_LENGTH[key])
    if problem is not None:
        raise ValueError(problem)
    return value


def _text(node: yaml.Node, key: str) -> str:
    value = _construct(node)
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_kind(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return _display(value.strip(), key)


def _authors(node: yaml.Node) -> str:
    value = _construct(node)
    # A list of names is the natural way to write several authors in YAML; the model keeps one display string.
    if isinstance(value, list):
        if not value or not all(isinstance(a, str) and a.strip() for a in value):
            raise ValueError("expected a string or a non-empty list of non-empty strings")
        return _display(", ".join(a.strip() for a in value), "authors")
    return _text(node, "authors")


def _date(node: yaml.Node) -> str:
    # The raw scalar, not the constructed value: YAML turns an unquoted date into datetime.date and a quoted one
    # into str, and we want both accepted and exactly YYYY-MM-DD either way.
    raw = node.value if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
        raise ValueError(f"expected an ISO date YYYY-MM-DD, got {raw!r}" if isinstance(raw, str)
                         else "expected an ISO date YYYY-MM-DD")
    try:
        dt.date.fromisoformat(raw)
    except ValueError as e:
        raise ValueError(f"not a valid date {raw!r}: {e}") from None
    return raw


def _url(node: yaml.Node) -> str | None:
    value = _construct(node)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected null or an http(s) URL, got {_kind(value)}")
    if not is_web_url(value.strip()):
        raise ValueError(f"expected null or an absolute http(s) URL, got {value!r}")
    return value.strip()


def _flag(node: yaml.Node) -> bool:
    value = _construct(node)
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_kind(value)}")
    return value


_CHECKS = {"name": functools.partial(_text, key="name"), "authors": _authors,
           "description": functools.partial(_text, key="description"), "date": _date, "url": _url,
           "trained_on_train": _flag}
