"""Render evaluations for people (table, Markdown) and programs (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from khabar.benchmarks.evaluate import Comparison, Evaluation

FORMATS = ("table", "json", "markdown")

_DOC = {
    "f1": "micro F1", "precision": "micro precision", "recall": "micro recall", "macro_f1": "macro F1",
    "exact_f1": "exact-boundary F1 (any type)", "partial_f1": "partial F1 (overlap, half credit)",
    "type_f1": "type F1 (overlap, right type)", "combined_f1": "combined F1 (exact span + value + kind)",
    "strict_f1": "detection F1, exact offsets", "overlap_f1": "detection F1, overlap",
    "value_accuracy": "value accuracy on matched", "kind_accuracy": "kind accuracy on matched",
    "unit_accuracy": "unit accuracy on matched", "approx_accuracy": "approx accuracy on matched",
    "f_avg": "F_avg (mean of support and oppose F1)", "target_accuracy": "target-level polarity accuracy",
    "f1_claim": "triple F1 on claim targets (affirm/deny/discuss)",
    "f1_policy": "triple F1 on policy targets (favour/against/neutral)",
}


def render(evals: Sequence[Evaluation], fmt: str) -> str:
    """All evaluations in one format."""
    if fmt == "json":
        return json.dumps([{"result": asdict(e.result), "detail": asdict(e.detail)} for e in evals],
                          indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return "\n".join(_markdown(e) for e in evals)
    return "\n".join(_table(e) for e in evals)


def _name(metric: str, task: str) -> str:
    doc = _DOC.get(metric, metric)
    return doc.replace("micro F1", "triple F1 (micro)") if task == "stance" and metric == "f1" else doc


def _table(e: Evaluation) -> str:
    r = e.result
    lines = [f"{r.task}  {r.signature}"]
    lines += [f"  {_name(m.name, r.task):42} {m.value:.4f}  [{m.ci_low:.4f}, {m.ci_high:.4f}]" for m in r.metrics]
    if r.task == "entities":
        d = e.detail
        lines.append("  per type (strict)      P       R       F1   gold  pred")
        for label, c in d.scheme("strict").per_type:
            lines.append(f"    {label:10} {c.prf.precision:8.4f}{c.prf.recall:8.4f}{c.prf.f1:8.4f}"
                         f"{c.possible:7d}{c.actual:6d}")
        for doc, c in d.per_document:
            lines.append(f"  document {doc}: P {c.prf.precision:.4f} R {c.prf.recall:.4f} F1 {c.prf.f1:.4f}")
        for kind, errs in (("false positive", d.false_positives), ("false negative", d.false_negatives)):
            lines += [f"  {kind}: {x.doc} [{x.start}, {x.end}) {x.label} ({x.outcome})" for x in errs]
    return "\n".join(lines) + "\n"


def _markdown(e: Evaluation) -> str:
    r = e.result
    lines = [f"### {r.task}", "", "| metric | value | 95% CI |", "|---|---|---|"]
    lines += [f"| {_name(m.name, r.task)} | {m.value:.4f} | [{m.ci_low:.4f}, {m.ci_high:.4f}] |" for m in r.metrics]
    if r.per_type_f1:
        lines += ["", "| type | strict F1 |", "|---|---|", *(f"| {t} | {f:.4f} |" for t, f in r.per_type_f1)]
    return "\n".join([*lines, "", f"`{r.signature}`", ""])


def render_comparison(comps: Sequence[Comparison], fmt: str) -> str:
    """Paired comparisons as a table or JSON."""
    if fmt == "json":
        return json.dumps([asdict(c) for c in comps], indent=2) + "\n"
    lines = [f"{c.task:9} {_name(c.metric, c.task)}: A {c.a:.4f}  B {c.b:.4f}  A-B {c.difference:+.4f}  "
             f"p = {c.p_value:.4f}  {c.signature}" for c in comps]
    return "\n".join(lines) + "\n"
