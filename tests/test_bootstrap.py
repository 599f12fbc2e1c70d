import numpy as np
import pytest
from khabar.benchmarks import bootstrap as bs
from khabar.benchmarks.evaluate import Options, compare, evaluate, signature
from khabar.benchmarks.goldset import GoldSet
from khabar.benchmarks.ner import score_entities

import khabar


def _docs(n, seed=0):
    rng = np.random.default_rng(seed)
    gold, good, bad = [], {}, {}
    for i in range(n):
        spans = [{"start": 10 * k, "end": 10 * k + 3, "label": "PER"} for k in range(int(rng.integers(1, 5)))]
        gold.append({"id": f"d{i}", "entities": spans, "numbers": [], "stance": []})
        keep = [s for s in spans if rng.random() < 0.9]
        good[f"d{i}"] = {"id": f"d{i}", "entities": keep, "numbers": [], "stance": []}
        bad[f"d{i}"] = {"id": f"d{i}", "entities": [s for s in keep if rng.random() < 0.5], "numbers": [],
                        "stance": []}
    return GoldSet(tuple(gold), None, "test+0", "test"), good, bad


def test_interval_equals_a_naive_resampling_loop():
    """Oracle: rescore each resample from scratch with score_entities; the matrix shortcut must agree."""
    gold, good, _ = _docs(30)
    counts = bs.resample_counts(len(gold.records), 200, 7)
    naive = []
    for row in counts:
        g, p = [], {}
        for d, times in enumerate(row.astype(int)):
            for k in range(times):
                rec = gold.records[d]
                g.append({**rec, "id": f"{rec['id']}#{k}"})
                p[f"{rec['id']}#{k}"] = good[rec["id"]]
        naive.append(score_entities(g, p).scheme("strict").micro.f1)
    ev = evaluate("entities", gold, good, Options(boot=200, seed=7))
    f1 = ev.result.metric("f1")
    assert f1.ci_low == pytest.approx(np.quantile(naive, 0.025))
    assert f1.ci_high == pytest.approx(np.quantile(naive, 0.975))
    assert f1.ci_low <= f1.value <= f1.ci_high


def test_seeded_and_reproducible():
    gold, good, _ = _docs(40)
    a = evaluate("entities", gold, good, Options(seed=1)).result.metric("f1")
    b = evaluate("entities", gold, good, Options(seed=1)).result.metric("f1")
    c = evaluate("entities", gold, good, Options(seed=2)).result.metric("f1")
    assert a == b and (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)


def test_paired_bootstrap():
    gold, good, bad = _docs(60)
    better = compare("entities", gold, good, bad)
    assert better.difference > 0 and better.p_value < 0.01
    same = compare("entities", gold, good, good)
    assert same.difference == 0 and same.p_value == 1.0


def test_signature_names_everything_that_changes_the_figure():
    gold, _, _ = _docs(1)
    base = signature("entities", gold, Options())
    assert base == (f"khabar:{khabar.__version__}|data:test+0|split:test|task:entities|scheme:strict|boot:1000"
                    "|seed:12345")
    assert len({base, signature("entities", gold, Options(boot=10)), signature("entities", gold, Options(seed=3)),
                signature("entities", gold, Options(clitic=True)), signature("numbers", gold, Options())}) == 5
