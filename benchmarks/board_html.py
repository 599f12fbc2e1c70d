"""The leaderboard as one self-contained HTML page: inline CSS, a small inline sorter, inline SVG charts.

Safety model: every submitted string goes through :func:`html.escape` (quote=True) wherever it lands, text or
attribute, HTML or SVG; only http(s) URLs become links. As a second line of defence the page carries a
Content-Security-Policy that lets exactly one script run, the sorter below, identified by its sha256 hash, so
an injected ``<script>`` or ``onerror=`` would be refused by the browser even if escaping were ever missed.
"""

from __future__ import annotations

import base64
import hashlib
import math
from html import escape

from khabar.benchmarks.board_markdown import fmt_metric
from khabar.benchmarks.board_meta import is_web_url
from khabar.benchmarks.board_model import Board, BoardEntry, Metric
from khabar.benchmarks.board_rank import RankGroup, board_groups, metric_or_none
from khabar.benchmarks.board_svg import per_type_chart

# Sorts every table with a header button. Numeric columns compare data-sort as numbers; text columns compare
# case-insensitively. Empty values stay last both ways, so "n/a" never outranks a real score. Must not contain
# "</script": it is inlined verbatim and its hash goes into the CSP.
SORTER_JS = """
(function () {
  "use strict";
  function key(cell, numeric) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (raw === "") return null;
    if (!numeric) return raw.toLocaleLowerCase();
    var n = Number(raw);
    return isNaN(n) ? null : n;
  }
  function sortBy(table, heads, th, col) {
    var numeric = th.getAttribute("data-type") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
      if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1);
      var c = numeric ? x - y : x.localeCompare(y);
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      var button = th.querySelector("button");
      if (button) button.addEventListener("click", function () { sortBy(table, heads, th, col); });
    });
  });
})();
"""

CSS = """
:root { color-scheme: light; --fg: #1b1b1b; --muted: #626262; --line: #dcdcdc; --accent: #0072b2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       max-width: 1120px; margin: 0 auto; padding: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin: 2rem 0 .5rem; font-size: 1.3rem; border-bottom: 2px solid var(--fg); padding-bottom: .2rem; }
h3 { margin: 1.25rem 0 .25rem; font-size: 1.05rem; }
p { margin: .25rem 0 .5rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85em;
       background: #f3f3f3; padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
.note, .sig { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 .75rem; }
caption { text-align: left; color: var(--muted); font-size: .85em; padding-bottom: .25rem; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #999; white-space: nowrap; }
tbody tr:hover { background: #f6f9fc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0;
            cursor: pointer; }
th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
th button::after { content: " \\2195"; color: #aaa; }
th[aria-sort=ascending] button::after { content: " \\25B2"; color: var(--fg); }
th[aria-sort=descending] button::after { content: " \\25BC"; color: var(--fg); }
.scroll { overflow-x: auto; }  /* a task with many metrics scrolls instead of spilling past the page */
td.system, td.text { min-width: 9rem; max-width: 30rem; overflow-wrap: break-word; word-break: break-word; }
.folder { display: block; color: var(--muted); font-size: .85em; }
.date { white-space: nowrap; }
.ci { color: var(--muted); font-size: .85em; }
figure { margin: .5rem 0 1.5rem; overflow-x: auto; }
figcaption { color: var(--muted); font-size: .85em; }
a { color: var(--accent); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85em; }
"""


def script_hash(script: str) -> str:
    """The CSP source for ``script``: ``'sha256-…'``, base64 of the sha256 of its exact UTF-8 text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: str = SORTER_JS) -> str:
    """The page's policy: nothing external, inline styles, data: images, and only ``script`` may run."""
    return (f"default-src 'none'; script-src {script_hash(script)}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _num_attr(x: float | int | None) -> str:
    # repr keeps full precision so sorting follows the true values, not the 3-decimal display.
    return repr(float(x)) if isinstance(x, int | float) and math.isfinite(x) else ""


def _head(label: str, numeric: bool, sorted_asc: bool = False) -> str:
    kind = "num" if numeric else "text"
    cls = ' class="num"' if numeric else ""
    aria = ' aria-sort="ascending"' if sorted_asc else ""
    return (f'<th scope="col" data-type="{kind}"{cls}{aria}>'
            f'<button type="button">{_e(label)}</button></th>')


def _system_cell(entry: BoardEntry) -> str:
    name = _e(entry.meta.name)
    url = entry.meta.url
    shown = (f'<a href="{_e(url)}" rel="noopener noreferrer" dir="auto">{name}</a>' if is_web_url(url)
             else f'<span dir="auto">{name}</span>')
    folder = "" if entry.system == entry.meta.name else f'<span class="folder" dir="auto">{_e(entry.system)}</span>'
    return f'<td class="system" data-sort="{name}">{shown}{folder}</td>'


def _metric_cell(metric: Metric | None) -> str:
    if metric is None:
        return '<td class="num" data-sort="">–</td>'
    value, _, ci = fmt_metric(metric).partition(" ")
    return f'<td class="num" data-sort="{_num_attr(metric.value)}">{_e(value)} <span class="ci">{_e(ci)}</span></td>'


def _group_section(group: RankGroup, index: int) -> str:
    metrics = group.metric_names
    heads = [_head("Rank", True, sorted_asc=True), _head("System", False),
             *(_head(m, True) for m in metrics), _head("Trained on train", False)]
    rows = []
    for row in group.rows:
        rank = "–" if row.rank is None else str(row.rank)
        trained = "yes" if row.entry.meta.trained_on_train else "no"
        cells = [f'<td class="num rank" data-sort="{_num_attr(row.rank)}">{_e(rank)}</td>',
                 _system_cell(row.entry),
                 *(_metric_cell(metric_or_none(row.result, m)) for m in metrics),
                 f"<td>{trained}</td>"]
        rows.append(f'<tr data-system="{_e(row.entry.system)}">' + "".join(cells) + "</tr>")
    chart = per_type_chart(group, f"chart-{index}") if group.task == "entities" else ""
    figure = (f"<figure>{chart}<figcaption>Per-type F1 on {_e(group.split)}, systems in rank order.</figcaption>"
              "</figure>") if chart else ""
    return "\n".join([
        f'<section class="group" id="group-{index}" data-task="{_e(group.task)}" data-split="{_e(group.split)}">',
        f"<h3>{_e(group.split)} <span class='note'>· ranked by {_e(group.metric)}</span></h3>",
        f'<p class="sig">Signature: <code>{_e(group.signature)}</code></p>',
        f'<div class="scroll"><table class="board sortable" data-task="{_e(group.task)}" '
        f'data-split="{_e(group.split)}" data-signature="{_e(group.signature)}">',
        f"<caption>{_e(group.task)}, {_e(group.split)} split: value [95 % CI]. Click a header to sort.</caption>",
        "<thead><tr>" + "".join(heads) + "</tr></thead>",
        "<tbody>", *rows, "</tbody></table></div>", figure, "</section>"])


def _systems_section(board: Board) -> str:
    metas: dict[str, BoardEntry] = {}
    for entry in sorted(board.entries, key=lambda e: e.system):
        metas.setdefault(entry.system, entry)
    if not metas:
        return ""
    heads = [_head(h, False) for h in ("System", "Name", "Authors", "Date", "Trained on train", "Description")]
    rows = []
    for system, entry in metas.items():
        meta = entry.meta
        name = _e(meta.name)
        if is_web_url(meta.url):
            name = f'<a href="{_e(meta.url)}" rel="noopener noreferrer" dir="auto">{name}</a>'
        rows.append("<tr>" + "".join([
            f'<td class="text" dir="auto">{_e(system)}</td>',
            f'<td class="text" data-sort="{_e(meta.name)}" dir="auto">{name}</td>',
            f'<td class="text" dir="auto">{_e(meta.authors)}</td>',
            f'<td class="date">{_e(meta.date)}</td>',
            f"<td>{'yes' if meta.trained_on_train else 'no'}</td>",
            f'<td class="text" dir="auto">{_e(meta.description)}</td>']) + "</tr>")
    return "\n".join(['<section id="systems"><h2>Systems</h2>',
                      '<div class="scroll"><table class="board sortable systems">',
                      "<thead><tr>" + "".join(heads) + "</tr></thead>",
                      "<tbody>", *rows, "</tbody></table></div></section>"])


def render_html(board: Board) -> str:
    """``leaderboard.html``: one self-contained page (no external assets) with a sortable table per task per
    (split, signature) group, CIs in every metric cell, the per-type F1 chart for entities as inline SVG, each
    group's signature, and the systems' metadata. Every submitted string is HTML-escaped."""
    body: list[str] = []
    task = None
    for index, group in enumerate(board_groups(board), start=1):
        if group.task != task:
            if task is not None:
                body.append("</section>")
            task = group.task
            body.append(f'<section class="task" id="task-{_e(task)}"><h2>{_e(task)}</h2>')
        body.append(_group_section(group, index))
    if task is not None:
        body.append("</section>")
    else:
        body.append('<p class="note">No submissions yet.</p>')
    body.append(_systems_section(board))
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(content_security_policy())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        # Without an explicit icon the browser asks for /favicon.ico, which the policy would then refuse.
        '<link rel="icon" href="data:,">',
        "<title>Khabar leaderboard</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header><h1>Khabar leaderboard</h1>",
        f'<p class="note">Data <code>{_e(board.data)}</code>. Systems are ranked only against results with the '
        "same signature (data, split, task, scheme, bootstrap); each figure is the value with its 95 % bootstrap "
        "confidence interval.</p></header>",
        "<main>", *body, "</main>",
        '<footer>Generated by <code>khabar leaderboard build</code>.</footer>',
        f"<script>{SORTER_JS}</script>",
        "</body>",
        "</html>",
        "",
    ])
