"""``load_dataset`` on the release as it ships (Parquet, ClassLabel) against the 0.1.0 layout (Arrow stream files),
measured in the same run on the same data. Target: the ratio Parquet / Arrow stays at most 2.0.

Both copies are made from one release folder: the second one's card points its configs at the ``.arrow`` files
that every release still carries for memory-mapping, as 0.1.0's card did. Each load uses a fresh cache folder
(what a first-time user pays), the two layouts alternate, and the medians are compared.

    .venv/bin/python benchmarks/perf/load_time.py [--dataset dataset] [--runs 5] [--config articles]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def arrow_copy(release: Path, out: Path) -> Path:
    """A copy of ``release`` whose card loads the Arrow stream files instead of the Parquet ones."""
    shutil.copytree(release, out)
    card = out / "README.md"
    text = re.sub(r"path: ([\w-]+)/([\w-]+)\.parquet", r"path: data/\1/\2.arrow", card.read_text(encoding="utf-8"))
    card.write_text(text, encoding="utf-8")
    return out


def timed_load(folder: Path, config: str) -> float:
    """Seconds for one ``load_dataset`` of every split of ``config`` into an empty cache."""
    import datasets

    datasets.disable_progress_bars()
    with tempfile.TemporaryDirectory() as cache:
        t = time.perf_counter()
        datasets.load_dataset(str(folder), config, cache_dir=cache)
        return time.perf_counter() - t


def main() -> None:
    """Print both medians and their ratio."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", type=Path, default=Path("dataset"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--config", default="articles")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        arrow = arrow_copy(args.dataset.resolve(), Path(tmp) / "arrow")
        timed_load(args.dataset.resolve(), args.config)  # warm imports and the OS cache for both
        timed_load(arrow, args.config)
        pq_times, arrow_times = [], []
        for _ in range(args.runs):
            pq_times.append(timed_load(args.dataset.resolve(), args.config))
            arrow_times.append(timed_load(arrow, args.config))
    pq, ar = statistics.median(pq_times), statistics.median(arrow_times)
    print(f"load_dataset({args.config!r}), median of {args.runs} alternating runs, fresh cache each:")
    print(f"  Parquet (as shipped)      {pq * 1000:8.1f} ms")
    print(f"  Arrow stream (0.1.0)      {ar * 1000:8.1f} ms")
    print(f"  ratio Parquet / Arrow     {pq / ar:8.2f}   (target: at most 2.00)")


if __name__ == "__main__":
    main()
