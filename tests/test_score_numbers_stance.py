import copy

import numpy as np
import pytest
from khabar.benchmarks.goldset import from_articles
from khabar.benchmarks.numbers_eval import score_numbers, value_equal
from khabar.benchmarks.stance_eval import score_stance

from khabar.predictions import to_prediction


def seed_number_predictions(seed):
    """The README's worked example: the seed's gold numbers with five edits."""
    gold = to_prediction(seed)
    pred = copy.deepcopy(gold)
    nums = pred["numbers"]
    by_text = {n["start"]: n for n in nums}
    g = {n["text"]: n for n in seed["numbers"]}
    nums.remove(by_text[g["عشرات"]["start"]])                    # (a) a vague quantifier missed
    ten = by_text[g["10 آلاف"]["start"]]
    ten["start"] -= len("ما لا يقل عن ")                          # (b) span takes the approximator in,
    ten["approx"] = "exact"                                      #     and approx is lost
    by_text[g["2000"]["start"]]["kind"] = "cardinal"              # (c) a year read as a cardinal
    by_text[seed["numbers"][0]["start"]]["value"] = 5.0           # (d) 5 ملايين read as 5
    nums.append({"start": 15, "end": 21, "value": 1.0, "kind": "cardinal", "unit": None, "approx": "exact",
                 "date": None})                                   # (e) a spurious number on مدفعية
    assert seed["text"][15:21] == "مدفعية"
    assert seed["text"][ten["start"]:ten["end"]] == "ما لا يقل عن 10 آلاف"
    return gold, pred


def test_numbers_worked_example_on_the_seed(seed):
    gold, pred = seed_number_predictions(seed)
    s = score_numbers([gold], {seed["id"]: pred})
    assert len(gold["numbers"]) == 13
    assert (s.strict.precision, s.strict.recall) == (11 / 13, 11 / 13)
    assert (s.overlap.precision, s.overlap.recall) == (12 / 13, 12 / 13)
    assert s.combined.f1 == pytest.approx(9 / 13)
    assert s.matched == 12
    assert (s.value_accuracy, s.kind_accuracy, s.unit_accuracy, s.approx_accuracy) == (11 / 12, 11 / 12, 1.0,
                                                                                      11 / 12)


def test_value_equality_rules():
    n = {"kind": "cardinal", "value": 1e9, "date": None}
    assert value_equal(n, {**n, "value": 1e9 * (1 + 1e-7)})
    assert not value_equal(n, {**n, "value": 1e9 * (1 + 1e-5)})
    assert not value_equal(n, {**n, "value": None})
    assert value_equal({**n, "value": None}, {**n, "value": None})
    d = {"kind": "date", "value": None, "date": "2022-02"}
    assert value_equal(d, {**d}) and not value_equal(d, {**d, "date": "2022"})


def _triple(holder, target, polarity, mentions=()):
    return {"holder": list(holder), "target": target, "polarity": polarity,
            "holder_mentions": [list(m) for m in mentions]}


def test_holder_may_be_any_mention_of_the_holder_entity():
    gold = [{"id": "a", "stance": [_triple((10, 15), "t1", "oppose", [(0, 5), (10, 15)])]}]
    other_mention = {"a": {"id": "a", "stance": [{"holder": [1, 4], "target": "t1", "polarity": "oppose"}]}}
    elsewhere = {"a": {"id": "a", "stance": [{"holder": [6, 9], "target": "t1", "polarity": "oppose"}]}}
    wrong_polarity = {"a": {"id": "a", "stance": [{"holder": [10, 15], "target": "t1", "polarity": "support"}]}}
    assert score_stance(gold, other_mention).triple.f1 == 1.0
    assert score_stance(gold, elsewhere).triple.f1 == 0.0
    assert score_stance(gold, wrong_polarity).triple.f1 == 0.0


def test_stance_figures_hand_computed():
    gold = [{"id": "a", "stance": [
        _triple((0, 2), "t1", "support"), _triple((3, 5), "t1", "support"), _triple((6, 8), "t1", "oppose"),
        _triple((9, 11), "t2", "oppose"), _triple((12, 14), "t2", "neutral")]}]
    pred = {"a": {"id": "a", "stance": [
        {"holder": [0, 2], "target": "t1", "polarity": "support"},   # tp support
        {"holder": [6, 8], "target": "t1", "polarity": "support"},   # fp support, gold oppose missed
        {"holder": [9, 11], "target": "t2", "polarity": "oppose"},   # tp oppose
        {"holder": [20, 22], "target": "t2", "polarity": "oppose"},  # fp oppose
    ]}}
    s = score_stance(gold, pred)
    per = dict(s.per_polarity)
    assert (per["support"].precision, per["support"].recall) == (0.5, 0.5)
    assert (per["oppose"].precision, per["oppose"].recall) == (0.5, 0.5)
    assert per["neutral"].f1 == 0.0
    assert s.f_avg == pytest.approx(0.5)
    assert s.macro_f1 == pytest.approx(1 / 3)
    assert (s.triple.precision, s.triple.recall) == (0.5, 0.4)
    # t1: gold majority support (2 vs 1), predicted support (2) -> right; t2: gold tie -> mixed, predicted oppose
    assert s.target_accuracy == 0.5


def test_gold_from_the_release_carries_holder_mentions(seed):
    gold = from_articles([seed], "x", "test")
    russia = next(t for t in gold.records[0]["stance"] if t["target"] == "t4")
    mentions = [m for m in seed["entities"] if m["entity_id"] == "russia"]
    assert len(russia["holder_mentions"]) == len(mentions) > 5
    perfect = {seed["id"]: to_prediction(seed)}
    assert score_stance(list(gold.records), perfect).triple.f1 == 1.0
    moved = copy.deepcopy(perfect)
    t4 = next(t for t in moved[seed["id"]]["stance"] if t["target"] == "t4")
    t4["holder"] = [mentions[0]["start"], mentions[0]["end"]]  # the headline's روسيا
    assert score_stance(list(gold.records), moved).triple.f1 == 1.0
    assert np.isclose(score_stance(list(gold.records), {}).triple.f1, 0.0)


def _two_mps_article(holder_id: str, label: str) -> dict:
    """khb-0001's case: 38 MPs vote for (t1 support) and nine MPs against (t1 oppose), one entity id."""
    text = "صوت 38 نائبا لصالح التعديل فيما رفضه تسعة نواب"
    a, b = text.index("نائبا"), text.index("نواب")
    ents = [{"id": "e1", "start": a, "end": a + 5, "text": "نائبا", "label": label, "entity_id": holder_id},
            {"id": "e2", "start": b, "end": b + 4, "text": "نواب", "label": label, "entity_id": holder_id}]
    return {"id": "x", "text": text, "entities": ents, "numbers": [],
            "entity_index": [{"entity_id": holder_id, "label": label, "canonical_ar": "نائب", "canonical_en": "MP"}],
            "targets": [{"id": "t1", "kind": "policy", "text_ar": "التعديل", "text_en": "the amendment"}],
            "stance": [{"id": "s1", "holder": [a, a + 5], "holder_entity": holder_id, "target": "t1",
                        "polarity": "support", "evidence": [0, len(text)]},
                       {"id": "s2", "holder": [b, b + 4], "holder_entity": holder_id, "target": "t1",
                        "polarity": "oppose", "evidence": [0, len(text)]}]}


@pytest.mark.parametrize(("holder_id", "label", "swapped_f1"), [
    ("x:mp", "OCC", 0.0),          # generic (S11): the for-voters' mention cannot stand for the against-voters
    ("kuwait-assembly", "ORG", 1.0),  # a specific entity: any of its mentions stands for it
])
def test_generic_holders_match_by_span_only(holder_id, label, swapped_f1):
    art = _two_mps_article(holder_id, label)
    gold = from_articles([art], "x", "test")
    (s1, s2) = art["stance"]
    swapped = {"x": {"id": "x", "stance": [{"holder": s2["holder"], "target": "t1", "polarity": "support"},
                                           {"holder": s1["holder"], "target": "t1", "polarity": "oppose"}]}}
    assert score_stance(list(gold.records), swapped).triple.f1 == swapped_f1
    assert score_stance(list(gold.records), {"x": to_prediction(art)}).triple.f1 == 1.0


def test_stance_is_scored_per_target_kind():
    art = _two_mps_article("x:mp", "OCC")
    art["targets"].append({"id": "t2", "kind": "claim", "text_ar": "ت", "text_en": "c"})
    art["stance"].append({**art["stance"][0], "id": "s3", "target": "t2"})
    gold = from_articles([art], "x", "test")
    pred = {"x": {"id": "x", "stance": [{"holder": art["stance"][0]["holder"], "target": "t2",
                                         "polarity": "support"}]}}
    kinds = dict(score_stance(list(gold.records), pred).per_kind)
    assert (kinds["claim"].precision, kinds["claim"].recall) == (1.0, 1.0)
    assert (kinds["policy"].precision, kinds["policy"].recall) == (0.0, 0.0)


def test_khb_0001_mps_are_matched_by_their_own_mentions(store):
    """The gold case S11 was written for: 38 MPs for, nine against, both `khb-0001:mp`."""
    art = next(a for a in store.articles if a["id"] == "khb-0001")
    mps = [s for s in art["stance"] if s["holder_entity"] == "khb-0001:mp" and s["target"] == "t1"]
    assert sorted(s["polarity"] for s in mps) == ["oppose", "support"]
    assert mps[0]["holder"] != mps[1]["holder"]
    gold = from_articles([art], "x", "test")
    perfect = to_prediction(art)
    swapped = copy.deepcopy(perfect)
    for s in swapped["stance"]:
        if s["target"] == "t1" and s["holder"] in (mps[0]["holder"], mps[1]["holder"]):
            s["holder"] = mps[1]["holder"] if s["holder"] == mps[0]["holder"] else mps[0]["holder"]
    n = len(art["stance"])
    assert score_stance(list(gold.records), {art["id"]: perfect}).triple.f1 == 1.0
    assert score_stance(list(gold.records), {art["id"]: swapped}).triple.recall == pytest.approx((n - 2) / n)
