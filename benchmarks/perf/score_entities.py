"""Speed of Khabar's entity scorer against nervaluate, measured in the same run on the same input.

5,000 documents × 15 gold spans; predictions keep, relabel, shift or drop gold spans and add spurious ones.
Both scorers compute all four SemEval-2013 schemes (nervaluate also per type; so does Khabar). The figures
must agree; the script prints each scorer's best time over a few repeats and the ratio. Target: ≥ 25×.

    .venv/bin/python benchmarks/perf/score_entities.py [--docs 5000] [--spans 15] [--repeats 5]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from khabar.benchmarks.ner import SCHEMES, score_entities
from nervaluate import Evaluator

from khabar.schema import ENTITY_LABELS

NERVALUATE = dict(zip(SCHEMES, ["strict", "exact", "partial", "ent_type"], strict=True))


def make(docs: int, spans: int, seed: int = 0):
    """Gold and predictions, deterministic."""
    rng = random.Random(seed)
    gold, pred = [], {}
    for d in range(docs):
        g, pos = [], 0
        for _ in range(spans):
            pos += rng.randint(1, 20)
            length = rng.randint(1, 12)
            g.append({"start": pos, "end": pos + length, "label": rng.choice(ENTITY_LABELS)})
            pos += length
        p = []
        for s in g:
            r = rng.random()
            if r < 0.7:
                p.append(dict(s))
            elif r < 0.8:
                p.append({**s, "label": rng.choice(ENTITY_LABELS)})
            elif r < 0.9:
                p.append({**s, "end": s["end"] + 1})
        if rng.random() < 0.3:
            p.append({"start": pos + 5, "end": pos + 9, "label": rng.choice(ENTITY_LABELS)})
        gold.append({"id": f"d{d}", "entities": g})
        pred[f"d{d}"] = {"id": f"d{d}", "entities": p}
    return gold, pred


def best_of(repeats: int, fn):
    """Smallest wall time of ``repeats`` calls, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main(argv: list[str] | None = None) -> int:
    """Run both scorers, check agreement, print times and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--spans", type=int, default=15)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    gold, pred = make(args.docs, args.spans)

    def conv(spans):
        return [{"label": s["label"], "start": s["start"], "end": s["end"] - 1} for s in spans]

    def nerv():
        true = [conv(d["entities"]) for d in gold]
        predicted = [conv(pred[d["id"]]["entities"]) for d in gold]
        return Evaluator(true, predicted, tags=list(ENTITY_LABELS), loader="dict").evaluate()

    t_khabar, ours = best_of(args.repeats, lambda: score_entities(gold, pred))
    t_nerv, ref = best_of(max(1, args.repeats // 2), nerv)
    for scheme in SCHEMES:
        c, r = ours.scheme(scheme).counts, ref["overall"][NERVALUATE[scheme]]
        if (c.correct, c.incorrect, c.partial, c.missed, c.spurious) != (r.correct, r.incorrect, r.partial,
                                                                          r.missed, r.spurious):
            print(f"MISMATCH in {scheme}: khabar {c} nervaluate {r}", file=sys.stderr)
            return 1
    n = sum(len(d["entities"]) for d in gold)
    print(f"{args.docs} documents, {n} gold spans, all four schemes agree with nervaluate")
    print(f"khabar      {t_khabar:8.4f} s")
    print(f"nervaluate  {t_nerv:8.4f} s")
    print(f"ratio       {t_nerv / t_khabar:8.1f}x  (target >= 25x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
