"""The number perf scripts run end to end on tiny inputs (they print figures; nothing here times anything)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PERF = REPO / "benchmarks" / "perf"


def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(PERF / script), *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_throughput_script_runs_on_a_tiny_input():
    out = _run("numbers_throughput.py", "--size-kb", "3", "--repeat", "1")
    for name in ("numbers-rules", "pyarabic extract_number_phrases", "numbers-pyarabic"):
        assert re.search(rf"^{re.escape(name)}.*\d KB/s$", out, re.M), out
    assert re.search(r"ratio numbers-rules / extract_number_phrases: \d+\.\d\d", out)


def test_throughput_input_is_deterministic():
    sys.path.insert(0, str(PERF))
    try:
        from numbers_throughput import build_input
    finally:
        sys.path.remove(str(PERF))
    a, b = build_input(5), build_input(5)
    assert a == b and sum(len(t.encode()) for t in a) >= 5 * 1024
    assert build_input(5, seed=1) != a


def test_value_recall_script_on_the_seed(seed, tmp_path):
    from khabar.store import write_articles

    ann = tmp_path / "annotations"  # a store holding the seed alone, whose numbers are hand-checked
    write_articles(ann, [seed], seed["entity_index"])
    out = _run("numbers_value_recall.py", "--annotations", str(ann), "--systems", "numbers-rules", "numbers-digits")
    # The seed's 13 gold numbers (guidelines 4.11): the rules baseline finds all, the digits baseline the two
    # bare digit runs (24 and 2000; the others carry scale words, are words, or are dates).
    assert "13 gold number(s)" in out
    assert re.search(r"numbers-rules\s+value recall 100\.00%\s+\(13/13\)", out), out
    assert re.search(r"numbers-digits\s+value recall\s+15\.38%\s+\(2/13\)", out), out
