"""Inter-annotator agreement of a round, per pair of annotators and overall.

* entity span F1, strict (same offsets and type) and partial (SemEval-2013 partial scheme), one annotator taken
  as reference (F1 is symmetric for strict; partial is averaged over both directions);
* Cohen's kappa (scikit-learn) on the types of mentions both annotators marked with the same offsets;
* number agreement on numbers both marked with the same offsets: share with the same value, share with the same
  kind;
* stance: Krippendorff's alpha (the ``krippendorff`` package, nominal) on polarity, the units being (article,
  target, holder) where the holder is its entity id or, failing that, its offsets; an annotator who has no
  triple for a unit contributes a missing value.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from khabar.benchmarks.ner import score_entities
from khabar.benchmarks.numbers_eval import value_equal
from khabar.extras import require
from khabar.jsonio import write_many_atomic
from khabar.labelstudio.rounds import read_annotators, round_dir
from khabar.schema import POLARITIES


@dataclass(frozen=True)
class Agreement:
    """Agreement between two annotators (or all, for ``overall``) over the articles both annotated."""

    annotators: tuple[str, ...]
    articles: int
    entity_strict_f1: float | None
    entity_partial_f1: float | None
    entity_label_kappa: float | None
    matched_mentions: int
    number_value_agreement: float | None
    number_kind_agreement: float | None
    matched_numbers: int
    stance_polarity_alpha: float | None
    stance_units: int


@dataclass(frozen=True)
class AgreementReport:
    """Every pair, and all annotators together."""

    round: str
    pairs: tuple[Agreement, ...]
    overall: Agreement | None


def _none_if_nan(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _stance_units(by: Mapping[str, Mapping[str, Any]], names: Sequence[str], articles: Sequence[str]
                  ) -> np.ndarray:
    units: dict[tuple[str, str, str], dict[str, str]] = {}
    for aid in articles:
        for who in names:
            for s in by[aid][who]["stance"]:
                holder = s.get("holder_entity") or f"{s['holder'][0]}-{s['holder'][1]}"
                units.setdefault((aid, s["target"], holder), {})[who] = s["polarity"]
    code = {p: i for i, p in enumerate(POLARITIES)}
    data = np.full((len(names), len(units)), np.nan)
    for j, vals in enumerate(units.values()):
        for i, who in enumerate(names):
            if who in vals:
                data[i, j] = code[vals[who]]
    return data


def _alpha(data: np.ndarray) -> float | None:
    krippendorff = require("krippendorff", "labelstudio", "inter-annotator agreement")

    # alpha needs at least one unit coded by two annotators and some variation to be defined
    pairable = (np.sum(~np.isnan(data), axis=0) >= 2).sum()
    values = np.unique(data[~np.isnan(data)])
    if pairable == 0 or len(values) < 2:
        return None
    return _none_if_nan(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _pair(table: Mapping[str, Mapping[str, Any]], a: str, b: str) -> Agreement:
    cohen_kappa_score = require("sklearn.metrics", "labelstudio", "inter-annotator agreement").cohen_kappa_score

    articles = [aid for aid, by in sorted(table.items()) if a in by and b in by]
    gold = [{"id": aid, "entities": table[aid][a]["entities"]} for aid in articles]
    pred = {aid: {"id": aid, "entities": table[aid][b]["entities"]} for aid in articles}
    rev_gold = [{"id": aid, "entities": table[aid][b]["entities"]} for aid in articles]
    rev_pred = {aid: {"id": aid, "entities": table[aid][a]["entities"]} for aid in articles}
    strict = partial = None
    if articles:
        ab, ba = score_entities(gold, pred), score_entities(rev_gold, rev_pred)
        strict = ab.scheme("strict").micro.f1
        partial = (ab.scheme("partial").micro.f1 + ba.scheme("partial").micro.f1) / 2
    la, lb, nv, nk = [], [], [], []
    for aid in articles:
        spans_b = {(m["start"], m["end"]): m["label"] for m in table[aid][b]["entities"]}
        for m in table[aid][a]["entities"]:
            if (m["start"], m["end"]) in spans_b:
                la.append(m["label"])
                lb.append(spans_b[(m["start"], m["end"])])
        nums_b = {(n["start"], n["end"]): n for n in table[aid][b]["numbers"]}
        for n in table[aid][a]["numbers"]:
            other = nums_b.get((n["start"], n["end"]))
            if other is not None:
                nv.append(value_equal(n, other) and value_equal(other, n))  # symmetric when kinds differ
                nk.append(n["kind"] == other["kind"])
    kappa = None
    if la and len(set(la) | set(lb)) >= 2:
        kappa = _none_if_nan(cohen_kappa_score(la, lb))
    elif la:
        kappa = 1.0 if la == lb else None  # one category used by both: kappa is undefined, agreement total
    stance = _stance_units(table, [a, b], articles)
    return Agreement((a, b), len(articles), strict, partial, kappa, len(la),
                     float(np.mean(nv)) if nv else None, float(np.mean(nk)) if nk else None, len(nv),
                     _alpha(stance), stance.shape[1])


def round_agreement(annotations: Path, name: str) -> AgreementReport:
    """Agreement of every pair of annotators of a round, and overall (micro over pairs; alpha over all)."""
    table = read_annotators(annotations, name)
    names = sorted({w for by in table.values() for w in by})
    pairs = tuple(_pair(table, a, b) for a, b in itertools.combinations(names, 2))
    pairs = tuple(p for p in pairs if p.articles)
    overall = None
    if pairs:
        def mean(attr: str) -> float | None:
            vals = [(getattr(p, attr), p.articles) for p in pairs if getattr(p, attr) is not None]
            return sum(v * w for v, w in vals) / sum(w for _, w in vals) if vals else None

        multi = [aid for aid, by in sorted(table.items()) if len(by) >= 2]
        stance = _stance_units({aid: table[aid] for aid in multi}, names,
                               multi) if multi else np.zeros((len(names), 0))
        # annotators missing an article contribute nothing for it: fill their rows with missing values
        overall = Agreement(tuple(names), len(multi), mean("entity_strict_f1"), mean("entity_partial_f1"),
                            mean("entity_label_kappa"), sum(p.matched_mentions for p in pairs),
                            mean("number_value_agreement"), mean("number_kind_agreement"),
                            sum(p.matched_numbers for p in pairs), _alpha(stance), stance.shape[1])
    return AgreementReport(name, pairs, overall)


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def render_markdown(report: AgreementReport) -> str:
    """The report as a Markdown table."""
    head = ("| annotators | articles | entity strict F1 | entity partial F1 | label κ (n) | number value | "
            "number kind (n) | stance α (units) |")
    lines = [f"# Agreement, round {report.round}", "", head, "|---|---|---|---|---|---|---|---|"]
    rows = [*report.pairs, *([report.overall] if report.overall else [])]
    for i, p in enumerate(rows):
        who = " / ".join(p.annotators) if i < len(report.pairs) else "**overall**"
        lines.append(f"| {who} | {p.articles} | {_fmt(p.entity_strict_f1)} | {_fmt(p.entity_partial_f1)} | "
                     f"{_fmt(p.entity_label_kappa)} ({p.matched_mentions}) | {_fmt(p.number_value_agreement)} | "
                     f"{_fmt(p.number_kind_agreement)} ({p.matched_numbers}) | "
                     f"{_fmt(p.stance_polarity_alpha)} ({p.stance_units}) |")
    return "\n".join(lines) + "\n"


def write_agreement(annotations: Path, name: str, report: AgreementReport) -> tuple[str, str]:
    """Write agreement.md and agreement.json into the round folder; return both texts."""
    md = render_markdown(report)
    js = json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n"
    folder = round_dir(annotations, name)
    write_many_atomic({folder / "agreement.md": md, folder / "agreement.json": js})
    return md, js
