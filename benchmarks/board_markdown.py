"""The leaderboard as Markdown (``LEADERBOARD.md``): one table per task per (split, signature) group."""

from __future__ import annotations

import math
import re

from khabar.benchmarks.board_meta import is_web_url
from khabar.benchmarks.board_model import Board, Metric, SubmissionMeta
from khabar.benchmarks.board_rank import HEADLINE, RankGroup, board_groups, metric_or_none, tasks, value_of

# Characters that start Markdown or HTML constructs in a table cell (CommonMark lets any ASCII punctuation be
# backslash-escaped, so escaping these is always safe). "&" keeps "&lt;" from turning into "<" on display.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~!#])")
# A line break would end the table row; other control characters have no business in a cell.
_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def md_escape(text: str) -> str:
    """``text`` as literal Markdown inline text: one line, no markup, no HTML, safe inside a table cell."""
    return _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", str(text)))


def md_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced with more backticks than it contains so it cannot close early."""
    text = _BREAKS.sub(" ", str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_url(url: str | None) -> str:
    """An http(s) URL as a Markdown autolink (a dash for anything else), unable to leave its table cell."""
    if not is_web_url(url) or "<" in url or ">" in url:
        return "–"
    # A pipe would end the cell; percent-encoding it keeps the link the same.
    return f"<{url.replace('|', '%7C')}>"


def fmt_metric(metric: Metric | None) -> str:
    """``value [ci_low, ci_high]`` with three decimals; a dash when the metric is missing or not a number."""
    if metric is None:
        return "–"
    return f"{_num(metric.value)} [{_num(metric.ci_low)}, {_num(metric.ci_high)}]"


def _num(x: float) -> str:
    return f"{x:.3f}" if isinstance(x, int | float) and math.isfinite(x) else "n/a"


def render_markdown(board: Board) -> str:
    """``LEADERBOARD.md``: per task, one ranked table per (split, signature) group, the signature under it, then
    the systems' metadata. Every submitted string is escaped."""
    out = ["# Khabar leaderboard", "", f"Data: {md_code(board.data)}", "",
           "Systems are ranked only against results with the same signature (same data, split, task, scheme and "
           "bootstrap settings). Each figure is the value and its 95 % bootstrap confidence interval.", ""]
    task = None
    for group in board_groups(board):
        if group.task != task:
            task = group.task
            out += [f"## {md_escape(task)}", ""]
        out += _group_table(group)
    if not board.entries:
        out += ["No submissions yet.", ""]
    out += _real_gap_table(board)
    out += _systems_table(board)
    return "\n".join(out).rstrip("\n") + "\n"


def _group_table(group: RankGroup) -> list[str]:
    metrics = group.metric_names
    head = ["rank", "system", *(md_escape(m) for m in metrics), "trained on train"]
    lines = [f"### {md_escape(group.split)}, ranked by {md_escape(group.metric)}", "",
             "| " + " | ".join(head) + " |",
             "|---:|---|" + "---|" * len(metrics) + ":---:|"]
    for row in group.rows:
        cells = ["–" if row.rank is None else str(row.rank),
                 _who(row.entry.meta.name, row.entry.system),
                 *(fmt_metric(metric_or_none(row.result, m)) for m in metrics),
                 "yes" if row.entry.meta.trained_on_train else "no"]
        lines.append("| " + " | ".join(cells) + " |")
    unranked = [row for row in group.rows if value_of(row.result, group.metric) is None]
    lines.append("")
    if unranked:
        lines += [f"Unranked (no {md_escape(group.metric)}): "
                  + ", ".join(md_escape(r.entry.system) for r in unranked), ""]
    lines += [f"Signature: {md_code(group.signature)}", ""]
    return lines


def _real_gap_table(board: Board) -> list[str]:
    """Each system's headline figure on the written test split beside the real-news track, and the gap."""
    by = {(e.system, e.split, r.task): r for e in board.entries for r in e.results}
    rows = []
    for task in tasks(board):
        metric = HEADLINE.get(task, "f1")
        for system in sorted({e.system for e in board.entries if e.split == "real"}):
            test, real = by.get((system, "test", task)), by.get((system, "real", task))
            if test is None or real is None:
                continue
            t, r = metric_or_none(test, metric), metric_or_none(real, metric)
            gap = f"{r.value - t.value:+.3f}" if t is not None and r is not None else "n/a"
            rows.append(f"| {md_escape(task)} | {md_escape(system)} | {md_escape(metric)} | {fmt_metric(t)} | "
                        f"{fmt_metric(r)} | {gap} |")
    if not rows:
        return []
    return ["## Written test split and real-news track", "",
            "The same systems on the 11 written test articles and on the 55 published Wikinews articles of the "
            "real track (each figure with its 95 % interval; the signatures are under the ranked tables above).",
            "", "| task | system | metric | written test | real track | real − test |",
            "|---|---|---|---|---|---:|", *rows, ""]


def _who(name: str, system: str) -> str:
    # The folder is what people type on the command line, so it is shown whenever it differs from the name.
    return md_escape(name) if name == system else f"{md_escape(name)} ({md_escape(system)})"


def _systems_table(board: Board) -> list[str]:
    seen: dict[str, SubmissionMeta] = {}
    for entry in sorted(board.entries, key=lambda e: e.system):
        seen.setdefault(entry.system, entry.meta)
    if not seen:
        return []
    lines = ["## Systems", "", "| system | name | authors | date | url | trained on train | description |",
             "|---|---|---|---|---|:---:|---|"]
    for system, meta in seen.items():
        url = md_url(meta.url)
        lines.append(f"| {md_escape(system)} | {md_escape(meta.name)} | {md_escape(meta.authors)} | "
                     f"{md_escape(meta.date)} | {url} | {'yes' if meta.trained_on_train else 'no'} | "
                     f"{md_escape(meta.description)} |")
    return [*lines, ""]
