"""The per-type F1 chart as inline SVG: grouped horizontal bars, one group per entity type, one bar per system.

Drawn in Python so the page needs no script or library to show it, and so every submitted string goes through
:func:`html.escape` before it reaches the markup.
"""

from __future__ import annotations

import math
from html import escape

from khabar.benchmarks.board_rank import RankGroup

from khabar.schema import ENTITY_LABELS

# Okabe-Ito: distinguishable with the common colour-vision deficiencies; yellow left out for contrast on white.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7f7f7f", "#000000")

WIDTH = 760
LABEL_W = 92  # room for the longest entity label ("PRODUCT") at 12 px
VALUE_W = 52  # room for "0.000" right of a full bar
BAR, GAP, PAD = 14, 3, 8
AXIS_H = 26
LEGEND_ROW = 18
LEGEND_MAX_CHARS = 80  # SVG text never wraps; the full name stays in the tooltip


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _short(text: str, limit: int = LEGEND_MAX_CHARS) -> str:
    # Truncate before escaping, so an entity like "&lt;" is never cut in half.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _labels(group: RankGroup) -> list[str]:
    seen: dict[str, None] = {}
    for row in group.rows:
        for label, _ in row.result.per_type_f1:
            seen.setdefault(label, None)
    known = [label for label in ENTITY_LABELS if label in seen]
    return known + [label for label in seen if label not in ENTITY_LABELS]


def per_type_chart(group: RankGroup, chart_id: str) -> str:
    """The group's per-type F1 as an SVG element, systems in rank order; empty when no row has per-type scores."""
    rows = [row for row in group.rows if row.result.per_type_f1]
    labels = _labels(group)
    if not rows or not labels:
        return ""
    plot_x, plot_w = LABEL_W, WIDTH - LABEL_W - VALUE_W
    block = len(rows) * BAR + (len(rows) - 1) * GAP + 2 * PAD
    plot_h = block * len(labels)
    height = AXIS_H + plot_h + 12 + LEGEND_ROW * len(rows) + 4
    title_id = f"{chart_id}-title"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_e(chart_id)}" '
           f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
           f'aria-labelledby="{_e(title_id)}" font-family="system-ui, sans-serif" font-size="12">',
           f'<title id="{_e(title_id)}">Per-type F1 ({_e(group.split)}), one bar per system</title>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = plot_x + tick * plot_w
        out.append(f'<line x1="{x:.1f}" y1="{AXIS_H - 4}" x2="{x:.1f}" y2="{AXIS_H + plot_h}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{AXIS_H - 9}" text-anchor="middle" fill="#555">{tick:g}</text>')
    for li, label in enumerate(labels):
        top = AXIS_H + li * block
        if li:
            out.append(f'<line x1="0" y1="{top}" x2="{WIDTH}" y2="{top}" stroke="#eee"/>')
        out.append(f'<text x="{LABEL_W - 8}" y="{top + block / 2 + 4:.1f}" text-anchor="end" '
                   f'font-weight="600">{_e(label)}</text>')
        for si, row in enumerate(rows):
            y = top + PAD + si * (BAR + GAP)
            value = dict(row.result.per_type_f1).get(label)
            who = f"{row.entry.meta.name} ({row.entry.system})"
            if value is None or not math.isfinite(value):
                out.append(f'<text x="{plot_x + 4}" y="{y + BAR - 3}" fill="#888">'
                           f'<title>{_e(who)}: no {_e(label)} score</title>n/a</text>')
                continue
            w = max(0.0, min(1.0, value)) * plot_w
            out.append(f'<rect x="{plot_x}" y="{y}" width="{w:.1f}" height="{BAR}" '
                       f'fill="{PALETTE[si % len(PALETTE)]}"><title>{_e(who)}: {_e(label)} F1 {value:.3f}</title>'
                       f'</rect>')
            out.append(f'<text x="{plot_x + w + 4:.1f}" y="{y + BAR - 3}" fill="#333">{value:.3f}</text>')
    legend_top = AXIS_H + plot_h + 12
    for si, row in enumerate(rows):
        y = legend_top + si * LEGEND_ROW
        rank = "–" if row.rank is None else row.rank
        out.append(f'<rect x="{plot_x}" y="{y}" width="12" height="12" fill="{PALETTE[si % len(PALETTE)]}"/>')
        out.append(f'<text x="{plot_x + 18}" y="{y + 10}"><title>{_e(row.entry.meta.name)}</title>'
                   f'{_e(rank)}. {_e(_short(row.entry.meta.name))} ({_e(_short(row.entry.system, 40))})</text>')
    out.append("</svg>")
    return "\n".join(out)
