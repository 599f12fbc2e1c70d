"""The audit: a seeded draw and error rates with a cluster-bootstrap interval."""

from __future__ import annotations

import json

import pytest

from khabar.audit import draw_sample, error_rates, read_audit
from khabar.errors import InputError


def test_the_draw_is_seeded_and_independent_of_input_order():
    ids = [f"a{i:02d}" for i in range(41)]
    assert draw_sample(ids, 10, 7) == draw_sample(list(reversed(ids)), 10, 7)
    assert draw_sample(ids, 10, 7) != draw_sample(ids, 10, 8)
    assert len(set(draw_sample(ids, 10, 7))) == 10


def _rows(spec):
    out = []
    for article, layer, correct, wrong, missed in spec:
        out += [{"article": article, "layer": layer, "item": f"x{i}", "verdict": "correct"} for i in range(correct)]
        out += [{"article": article, "layer": layer, "item": f"y{i}", "verdict": "error", "rule": "N16"}
                for i in range(wrong)]
        out += [{"article": article, "layer": layer, "item": None, "verdict": "missed", "rule": "E8"}
                for _ in range(missed)]
    return out


def test_error_rate_counts_wrong_and_missed_over_what_the_gold_should_hold():
    res = error_rates(_rows([("a", "entity", 18, 1, 1), ("b", "entity", 10, 0, 0), ("a", "number", 5, 0, 0)]))
    ent = next(r for r in res.layers if r.layer == "entity")
    assert (ent.checked, ent.errors, ent.missed) == (29, 1, 1)
    assert ent.rate == pytest.approx(2 / 30)
    assert ent.ci_low <= ent.rate <= ent.ci_high
    num = next(r for r in res.layers if r.layer == "number")
    assert (num.rate, num.ci_low, num.ci_high) == (0.0, 0.0, 0.0)


def test_the_interval_resamples_articles():
    # all errors in one of two articles: resampling articles gives intervals that reach 0 and 2x the rate
    res = error_rates(_rows([("a", "entity", 0, 10, 0), ("b", "entity", 10, 0, 0)]), boot=500, seed=1)
    (ent,) = res.layers
    assert ent.rate == 0.5 and ent.ci_low == 0.0 and ent.ci_high == 1.0


def test_an_error_without_a_rule_is_refused(tmp_path):
    f = tmp_path / "audit.jsonl"
    f.write_text(json.dumps({"article": "a", "layer": "entity", "item": "e1", "verdict": "error", "rule": None,
                             "note": None}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="names the guideline rule"):
        read_audit(f)
