"""An independent audit of the gold: a published, seeded sample of articles checked annotation by annotation.

The audit log is JSON Lines, one verdict per line::

    {"article": "khb-0007", "layer": "entity", "item": "e4", "verdict": "correct"}
    {"article": "khb-0007", "layer": "number", "item": "n2", "verdict": "error", "rule": "N16", "note": "..."}
    {"article": "khb-0007", "layer": "entity", "item": null, "verdict": "missed", "rule": "E8", "note": "..."}

The error rate of a layer is (errors + missed) / (annotations checked + missed): every gold annotation that is
wrong and every annotation the gold should have but lacks, over everything the gold should hold. Errors cluster
in articles, so the 95 % interval resamples articles (a cluster bootstrap), not annotations.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from khabar.errors import InputError
from khabar.jsonio import iter_jsonl
from khabar.schema import Problem, check_record

LAYERS = ("entity", "number", "target", "stance")
VERDICTS = ("correct", "error", "missed")


def draw_sample(article_ids: Iterable[str], n: int, seed: int) -> list[str]:
    """``n`` article ids drawn without replacement by ``random.Random(seed)`` from the sorted ids."""
    ids = sorted(article_ids)
    if not 0 < n <= len(ids):
        raise InputError([f"cannot draw {n} of {len(ids)} articles"])
    return sorted(random.Random(seed).sample(ids, n))


@dataclass(frozen=True)
class LayerRate:
    """One layer's audit figures."""

    layer: str
    checked: int
    errors: int
    missed: int
    rate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class AuditResult:
    """Error rates per layer over the audited articles, with the bootstrap's settings."""

    articles: tuple[str, ...]
    layers: tuple[LayerRate, ...]
    boot: int
    seed: int


def read_audit(path: Path) -> list[dict[str, Any]]:
    """The audit log, validated: every line a known layer and verdict; errors and misses name a rule."""
    from khabar.schema import AUDIT_VERDICT

    rows, problems = [], []
    for line, obj in iter_jsonl(path):
        ps = check_record(AUDIT_VERDICT, obj)
        if not ps and obj["verdict"] != "correct" and not obj.get("rule"):
            ps = [Problem("rule", "an error or a miss names the guideline rule it breaks")]
        problems += [p.at(str(path), line) for p in ps]
        if not ps:
            rows.append(obj)
    if problems:
        raise InputError(problems)
    return rows


def _counts(rows: Sequence[Mapping[str, Any]], articles: Sequence[str], layer: str) -> np.ndarray:
    """(articles × [checked, errors, missed]) for one layer."""
    out = np.zeros((len(articles), 3))
    index = {a: i for i, a in enumerate(articles)}
    for r in rows:
        if r["layer"] != layer:
            continue
        i = index[r["article"]]
        if r["verdict"] == "missed":
            out[i, 2] += 1
        else:
            out[i, 0] += 1
            out[i, 1] += r["verdict"] == "error"
    return out


def _rate(c: np.ndarray) -> float:
    denom = c[0] + c[2]
    return float((c[1] + c[2]) / denom) if denom else 0.0


def error_rates(rows: Sequence[Mapping[str, Any]], boot: int = 2000, seed: int = 12345) -> AuditResult:
    """Error rate per layer with a 95 % cluster-bootstrap interval over articles."""
    articles = sorted({r["article"] for r in rows})
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(articles), size=(boot, len(articles)))
    layers = []
    for layer in LAYERS:
        per = _counts(rows, articles, layer)
        total = per.sum(axis=0)
        if total[0] + total[2] == 0:
            continue
        sampled = per[draws].sum(axis=1)  # boot × 3
        rates = np.array([_rate(s) for s in sampled])
        lo, hi = np.percentile(rates, [2.5, 97.5])
        layers.append(LayerRate(layer, int(total[0]), int(total[1]), int(total[2]), _rate(total), float(lo),
                                float(hi)))
    return AuditResult(tuple(articles), tuple(layers), boot, seed)


def render_audit(result: AuditResult) -> str:
    """A Markdown table of the audit."""
    lines = [f"Audited articles ({len(result.articles)}): {', '.join(result.articles)}", "",
             "| layer | annotations checked | wrong | missed | error rate | 95 % interval |",
             "|---|---:|---:|---:|---:|---|"]
    for r in result.layers:
        lines.append(f"| {r.layer} | {r.checked} | {r.errors} | {r.missed} | {r.rate:.3f} | "
                     f"[{r.ci_low:.3f}, {r.ci_high:.3f}] |")
    lines.append("")
    lines.append(f"Interval: cluster bootstrap over articles, {result.boot} resamples, seed {result.seed}.")
    return "\n".join(lines) + "\n"
