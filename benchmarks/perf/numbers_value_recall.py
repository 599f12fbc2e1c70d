"""Value recall of the number systems on the gold release, until the numbers scorer exists.

For each system: the share of gold numbers whose exact span is predicted with the right value (relative
tolerance 1e-6; a null gold value, for vague quantities and dates, needs a null predicted value).

    python benchmarks/perf/numbers_value_recall.py [--dataset DIR | --annotations DIR] [--split test]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar import systems
from khabar.predictions import to_input
from khabar.schema import SPLITS

REL_TOL = 1e-6
DEFAULT_SYSTEMS = ("numbers-rules", "numbers-pyarabic", "numbers-digits")


@dataclass(frozen=True)
class Recall:
    """Gold numbers found with the right span and value, out of all gold numbers."""

    hit: int
    total: int

    @property
    def share(self) -> float:
        """hit / total (0 when there is no gold number)."""
        return self.hit / self.total if self.total else 0.0


def _same_value(gold: float | None, pred: float | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return math.isclose(gold, pred, rel_tol=REL_TOL)


def value_recall(system: str, articles: Sequence[Mapping[str, Any]]) -> Recall:
    """Value recall of the registered ``system`` on gold ``articles`` (records with ``numbers``)."""
    predict = systems.get(system)
    hit = total = 0
    for article in articles:
        predicted = {(n["start"], n["end"]): n["value"] for n in predict(to_input(article))["numbers"]}
        for gold in article["numbers"]:
            total += 1
            span = (gold["start"], gold["end"])
            hit += span in predicted and _same_value(gold["value"], predicted[span])
    return Recall(hit, total)


def _articles(args: argparse.Namespace) -> list[dict[str, Any]]:
    if args.annotations is not None:
        from khabar.store import read_store

        found = read_store(args.annotations).articles
        return [a for a in found if args.split is None or a["split"] == args.split]
    from khabar.loaders.hf import read_split

    return [a for s in ([args.split] if args.split else SPLITS) for a in read_split(s, args.dataset, missing_ok=True)]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the value recall of each system."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dataset", type=Path, default=None, help="a built release (default: the repository's)")
    p.add_argument("--annotations", type=Path, default=None, help="read a gold store instead of a release")
    p.add_argument("--split", choices=SPLITS, default=None, help="one split (default: all)")
    p.add_argument("--systems", nargs="+", default=list(DEFAULT_SYSTEMS))
    args = p.parse_args(argv)
    articles = _articles(args)
    print(f"{len(articles)} article(s), {sum(len(a['numbers']) for a in articles)} gold number(s)")
    for name in args.systems:
        r = value_recall(name, articles)
        print(f"{name:20} value recall {r.share:7.2%}  ({r.hit}/{r.total})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
