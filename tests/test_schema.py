import math

import pyarrow as pa
import pytest
from datasets import Features

from khabar import schema
from khabar.schema import ARTICLE, PREDICTION, check_record


@pytest.mark.parametrize("config", list(schema.VIEWS))
def test_arrow_schema_and_card_features_derive_from_one_declaration(config):
    feats = schema.features(config)
    assert list(feats) == list(schema.VIEWS[config])
    # the card stores features as YAML; reading them back must give the same features and Arrow schema
    again = Features._from_yaml_list(feats._to_yaml_list())
    assert again == feats
    assert again.arrow_schema.equals(schema.arrow_schema(config))


def test_spans_are_fixed_size_int32_pairs():
    sch = schema.arrow_schema("articles")
    counted = sch.field("numbers").type.value_type.field("counted").type
    assert counted == pa.list_(pa.int32(), 2)


def test_prediction_records_are_projections_of_gold_records():
    for pred, gold in ((schema.PRED_ENTITY, schema.ENTITY), (schema.PRED_NUMBER, schema.NUMBER),
                       (schema.PRED_STANCE, schema.STANCE)):
        for f in pred.fields:
            assert gold[f.name] == f


def _entity(**kw):
    base = {"id": "e1", "start": 0, "end": 3, "text": "abc", "label": "PER", "entity_id": "x"}
    return {**base, **kw}


@pytest.mark.parametrize(("obj", "field", "message"), [
    (_entity(label="PERSON"), "label", "is not one of"),
    (_entity(start="0"), "start", "expected an integer"),
    (_entity(start=True), "start", "expected an integer"),
    ({k: v for k, v in _entity().items() if k != "text"}, "text", "missing"),
    (_entity(extra=1), "extra", "unknown field"),
    (_entity(entity_id=None), "entity_id", "must not be null"),
])
def test_check_record_names_the_field(obj, field, message):
    problems = check_record(schema.ENTITY, obj)
    assert [p.field for p in problems] == [field]
    assert message in problems[0].message


def test_non_finite_values_are_rejected():
    number = {"start": 0, "end": 1, "value": math.nan, "kind": "cardinal", "unit": None, "approx": "exact",
              "date": None}
    pred = {"id": "a", "entities": [], "numbers": [number], "stance": []}
    problems = check_record(PREDICTION, pred)
    assert [p.field for p in problems] == ["numbers[0].value"]
    number["value"] = math.inf
    assert check_record(PREDICTION, pred)[0].field == "numbers[0].value"


def test_every_article_field_of_the_issue_is_declared():
    expected = {"id", "text", "headline", "source", "url", "published", "byline", "origin", "section", "region",
                "license", "split", "sentences", "entities", "entity_index", "numbers", "targets", "stance"}
    assert set(ARTICLE.names) == expected
