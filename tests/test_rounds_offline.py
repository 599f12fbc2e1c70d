"""Round bookkeeping without a server: markup from two annotators, agreement, adjudication, merge."""

import json

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from khabar.cli import main
from khabar.store import read_store

FRONT = """---
id: {id}
source: test
origin: original
section: local
region: gulf
license: CC-BY-4.0
split: train
targets:
- {{id: t1, kind: policy, text_ar: المشروع, text_en: the project}}
entities:
  doha: {{label: GPE, canonical_ar: الدوحة, canonical_en: Doha}}
  ali: {{label: PER, canonical_ar: علي, canonical_en: Ali}}
  {extra}
---
"""
A = ("عنوان\n⟦قال ⟦علي⟧{PER ali #h} في ⟦الدوحة⟧{GPE doha} إن ⟦3⟧{NUM kind=cardinal value=3} سفن "
     "وصلت.⟧{STANCE target=t1 polarity=support holder=#h}")
B = ("عنوان\n⟦قال ⟦علي⟧{PER ali-b #h} في ⟦الدوحة⟧{ORG doha-city} إن ⟦3⟧{NUM kind=cardinal value=4} سفن "
     "وصلت.⟧{STANCE target=t1 polarity=oppose holder=#h}")


@pytest.fixture()
def two_passes(annotations_copy, tmp_path):
    a, b = tmp_path / "a.khabar", tmp_path / "b.khabar"
    a.write_text(FRONT.format(id="x-1", extra="") + A, encoding="utf-8")
    b.write_text(FRONT.format(id="x-1", extra="ali-b: {label: PER, canonical_ar: علي, canonical_en: Ali B}\n  "
                              "doha-city: {label: ORG, canonical_ar: الدوحة, canonical_en: Doha city}") + B,
                 encoding="utf-8")
    for who, f in (("passA", a), ("passB", b)):
        assert main(["annotate", "import-markup", "--round", "b1", "--annotator", who, str(f),
                     "--annotations", str(annotations_copy)]) == 0
    return annotations_copy


def test_import_adds_the_article_without_layers(two_passes):
    art = {a["id"]: a for a in read_store(two_passes).articles}["x-1"]
    assert art["entities"] == [] and art["stance"] == [] and art["text"].startswith("عنوان")


def test_agreement_uses_the_established_statistics(two_passes, capsys):
    capsys.readouterr()
    assert main(["annotate", "agreement", "--round", "b1", "--format", "json", "--annotations",
                 str(two_passes)]) == 0
    (pair,) = json.loads(capsys.readouterr().out)["pairs"]
    assert pair["entity_strict_f1"] == pytest.approx(0.5)   # علي agrees, الدوحة differs in type
    assert pair["entity_partial_f1"] == pytest.approx(1.0)  # same boundaries everywhere
    assert pair["entity_label_kappa"] == pytest.approx(cohen_kappa_score(["PER", "GPE"], ["PER", "ORG"]))
    assert pair["number_value_agreement"] == 0.0 and pair["number_kind_agreement"] == 1.0
    # one unit (x-1, t1, holder at the same offsets... but named differently) per annotator: alpha by the package
    data = np.array([[0.0, np.nan], [np.nan, 1.0]]) if pair["stance_units"] == 2 else np.array([[0.0], [1.0]])
    expected = None if pair["stance_units"] == 2 else krippendorff.alpha(reliability_data=data,
                                                                        level_of_measurement="nominal")
    assert pair["stance_polarity_alpha"] == expected


def test_adjudicate_resolve_merge(two_passes, capsys):
    assert main(["annotate", "adjudicate", "--round", "b1", "--annotations", str(two_passes)]) == 0
    folder = two_passes / "rounds/b1"
    cand = [json.loads(x) for x in (folder / "candidate/x-1.jsonl").read_text().splitlines()]
    agreed = [c for c in cand if c["layer"] == "entity"]
    assert [(c["text"], c["entity_id"]) for c in agreed] == [("علي", "ali")]  # pass A's link kept
    rows = [json.loads(x) for x in (folder / "conflicts.jsonl").read_text().splitlines()]
    assert sorted((r["layer"], r["marked_by"][0]) for r in rows) == [
        ("entity", "passA"), ("entity", "passB"), ("number", "passA"), ("number", "passB"),
        ("stance", "passA"), ("stance", "passB")]
    for r in rows:
        r["decision"] = "accept" if r["marked_by"] == ["passA"] else "reject"
        r["note"] = "N1 / S3"
    (folder / "conflicts.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert main(["annotate", "merge", "--round", "b1", "--annotations", str(two_passes)]) == 0
    art = {a["id"]: a for a in read_store(two_passes).articles}["x-1"]
    assert [(m["text"], m["label"]) for m in art["entities"]] == [("علي", "PER"), ("الدوحة", "GPE")]
    assert art["numbers"][0]["value"] == 3 and art["stance"][0]["polarity"] == "support"
    assert art["stance"][0]["holder_entity"] == "ali"
