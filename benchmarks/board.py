"""The leaderboard's public API: read a submission's ``meta.yaml``, rank results, render JSON, Markdown and HTML.

Each job lives in its own small module (``board_meta``, ``board_rank``, ``board_markdown``, ``board_html``,
``board_svg``); this one gathers them so callers import from one place, and holds the JSON rendering.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from typing import Any

from khabar.benchmarks.board_html import content_security_policy, render_html
from khabar.benchmarks.board_markdown import md_escape, render_markdown
from khabar.benchmarks.board_meta import is_web_url, read_meta
from khabar.benchmarks.board_model import Board
from khabar.benchmarks.board_rank import RankedRow, RankGroup, board_groups, headline_metric, rank_groups

__all__ = [
    "RankGroup",
    "RankedRow",
    "board_groups",
    "board_to_dict",
    "content_security_policy",
    "headline_metric",
    "is_web_url",
    "md_escape",
    "rank_groups",
    "read_meta",
    "render_html",
    "render_json",
    "render_markdown",
]


def _finite(value: Any) -> Any:
    # JSON has no NaN or infinity; a missing figure is null rather than invalid JSON.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def board_to_dict(board: Board) -> dict[str, Any]:
    """The board as plain data: every entry with its metadata and results (each with its rank and the metric it
    was ranked by), and every (task, split, signature) group's ranking."""
    groups = board_groups(board)
    ranks = {(g.task, g.split, g.signature, row.entry.system): (row.rank, g.metric) for g in groups for row in g.rows}
    entries = []
    for entry in sorted(board.entries, key=lambda e: (e.system, e.split)):
        results = []
        for r in entry.results:
            rank, metric = ranks[(r.task, entry.split, r.signature, entry.system)]
            results.append({"task": r.task, "signature": r.signature, "rank": rank, "ranked_by": metric,
                            "metrics": [asdict(m) for m in r.metrics],
                            "per_type_f1": [{"label": label, "f1": f1} for label, f1 in r.per_type_f1]})
        results.sort(key=lambda r: (r["task"], r["signature"]))
        entries.append({"system": entry.system, "split": entry.split, "meta": asdict(entry.meta),
                        "results": results})
    rankings = [{"task": g.task, "split": g.split, "signature": g.signature, "metric": g.metric,
                 "rows": [{"rank": row.rank, "system": row.entry.system,
                           "value": next((m.value for m in row.result.metrics if m.name == g.metric), None)}
                          for row in g.rows]}
                for g in groups]
    return _finite({"data": board.data, "entries": entries, "rankings": rankings})


def render_json(board: Board) -> str:
    """``leaderboard.json``: the whole board including ranks, deterministic (sorted keys, entries in a fixed
    order, indent 2, UTF-8 text kept as is) so that an unchanged board gives byte-identical output."""
    text = json.dumps(board_to_dict(board), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return text + "\n"
