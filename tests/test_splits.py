"""The 0.2.0 split: stratified once, then kept by the committed ledger."""

from __future__ import annotations

import json

import pytest
from conftest import ANNOTATIONS, SEED_ID

from khabar.errors import InputError
from khabar.splits import read_ledger, strata, stratified_split
from khabar.store import read_store


def test_every_ledger_article_keeps_its_split(store):
    ledger = read_ledger(ANNOTATIONS)
    assert ledger, "the split ledger is committed from 0.2.0 on"
    for a in store.articles:
        if a["id"] in ledger:
            assert ledger[a["id"]][0] == a["split"], a["id"]
    assert {aid for aid, (_, _) in ledger.items()} <= {a["id"] for a in store.articles}


def test_moving_an_article_out_of_its_split_is_refused(annotations_copy):
    p = annotations_copy / "articles.jsonl"
    rows = [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()]
    rows[3]["split"] = "train" if rows[3]["split"] != "train" else "test"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_store(annotations_copy)
    assert e.value.lines() == [f"annotations/splits.jsonl:4: split: {rows[3]['id']!r} is in {rows[3]['split']} "
                               f"but the ledger keeps it in {read_ledger(ANNOTATIONS)[rows[3]['id']][0]}: "
                               "articles never change split"]


def test_the_test_split_represents_the_corpus(store):
    whole = strata(store.articles)
    test = strata(a for a in store.articles if a["split"] == "test")
    assert test.regions == whole.regions
    assert len(test.currencies) >= 6
    assert test.labels == whole.labels
    assert next(a for a in store.articles if a["id"] == SEED_ID)["split"] == "train"


def test_stratified_split_is_deterministic_and_honours_fixed(store):
    arts = list(store.articles)
    one = stratified_split(arts, {"test": 5, "validation": 3}, seed=7, fixed={SEED_ID: "train"}, tries=200)
    two = stratified_split(arts, {"test": 5, "validation": 3}, seed=7, fixed={SEED_ID: "train"}, tries=200)
    assert one == two and one[SEED_ID] == "train"
    assert sorted(one.values()).count("test") == 5 and sorted(one.values()).count("validation") == 3
