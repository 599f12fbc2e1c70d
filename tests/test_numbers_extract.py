"""The number scanner on running text, and the two registered number systems."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.cli import main
from khabar.numbers import extract
from khabar.predictions import read_predictions, to_input, write_jsonl
from khabar.schema import PRED_NUMBER, check_record
from khabar.systems import SYSTEMS, get
from khabar.validate import number_consistency

FIELDS = ("kind", "value", "unit", "approx", "date")


def _valid(text: str, numbers: list[dict]) -> None:
    last_end = 0
    for n in numbers:
        assert not check_record(PRED_NUMBER, n)
        assert not list(number_consistency(n)), n
        assert last_end <= n["start"] < n["end"] <= len(text)
        assert n["value"] is None or math.isfinite(n["value"])
        last_end = n["end"]


def test_seed_gold_numbers_reproduced(seed):
    got = {(s.start, s.end): s.as_prediction() for s in extract(seed["text"])}
    assert len(seed["numbers"]) == 13
    for gold in seed["numbers"]:
        pred = got.get((gold["start"], gold["end"]))
        assert pred is not None, f"missed {gold['text']!r}"
        assert {k: pred[k] for k in FIELDS} == {k: gold[k] for k in FIELDS}, gold["text"]


def test_seed_non_numbers_not_predicted(seed):
    # Guidelines 4.11: relative dates and bare plurals are not numbers.
    text = seed["text"]
    spans = [(s.start, s.end) for s in extract(text)]
    for phrase in ("هذا الأسبوع", "هذا العام", "سبتمبر الماضي", "لسنوات", "الأيام المقبلة"):
        at = text.index(phrase)
        assert not [s for s in spans if s[0] < at + len(phrase) and at < s[1]], phrase


def test_scan_is_on_the_stored_text():
    # No-break spaces, tatweel and diacritics stay in the text; offsets index it as it is.
    text = "أرسلت\u00a0بيونج يانج 5\u00a0ملايين قذيفة و ثلاثــة آلافٍ صاروخ، ونحو ٢٥٪ منها"
    got = [(text[s.start:s.end], s.number.value, s.number.kind, s.number.approx) for s in extract(text)]
    assert got == [("5\u00a0ملايين", 5e6, "cardinal", "exact"), ("ثلاثــة آلافٍ", 3000, "cardinal", "exact"),
                   ("٢٥٪", 25, "percent", "approx")]


def test_no_expression_across_lines():
    text = "أرسلت 5\nملايين"
    assert [(text[s.start:s.end], s.number.value) for s in extract(text)] == [("5", 5), ("ملايين", None)]


def test_two_numbers_are_not_joined():
    text = "بين 5 و10 آلاف، ثم 2022 2023"
    got = [text[s.start:s.end] for s in extract(text)]
    assert got[:2] == ["5", "10 آلاف"]
    assert len(got) == 4


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_extractor_never_raises_on_unicode(text):
    _valid(text, [s.as_prediction() for s in extract(text)])


_PIECES = [*"0123456789٠١٢٣٤٥٦٧٨٩۰۱.,٫٬٪% \u00a0\nـًٌَُِّْ",
           "ألف", "آلاف", "مليون", "ملايين", "مليار", "عشرة", "عشر", "أحد", "إحدى", "اثنا", "نصف", "ربع", "أرباع",
           "و", "ب", "ال", "لل", "الـ", "فبراير", "كانون الثاني", "شباط", "دولار", "ريال", "قطري", "جنيه", "في المئة",
           "بالمئة", "الحادية", "الأول", "عشرات", "بضعة", "عام", "عاما", "عامين", "أسبوعًا", "نحو", "أكثر من",
           "ما لا يقل عن", "على الأقل", "حتى", "طن", "مئتا", "ألفاً", "ربيع", "ونصف", "المليار", "ثلاثة", "عشرون"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_extractor_never_raises_on_number_like_text(text):
    _valid(text, [s.as_prediction() for s in extract(text)])


@pytest.mark.parametrize("name", ["numbers-rules", "numbers-pyarabic"])
def test_systems_registered_and_valid_on_the_seed(name, seed):
    assert name in SYSTEMS
    pred = get(name)(to_input(seed))
    assert pred["id"] == seed["id"] and pred["entities"] == [] and pred["stance"] == []
    assert pred["numbers"], "the seed has numbers"
    _valid(seed["text"], pred["numbers"])


def test_pyarabic_peer_spans():
    item = {"id": "x", "text": "وجدت خمسمئة وثلاثة وعشرين دينارا فاشتريت ثلاثة عشر دفترا", "targets": []}
    got = [(item["text"][n["start"]:n["end"]], n["value"]) for n in get("numbers-pyarabic")(item)["numbers"]]
    assert got == [("خمسمئة وثلاثة وعشرين", 523.0), ("ثلاثة عشر", 13.0)]


def test_predict_command(tmp_path, seed):
    src, out = tmp_path / "in.jsonl", tmp_path / "pred.jsonl"
    write_jsonl(src, [to_input(seed)])
    assert main(["predict", "--system", "numbers-rules", "--input", str(src), "--output", str(out)]) == 0
    preds = read_predictions(out, {seed["id"]: seed["text"]})
    numbers = preds.by_id[seed["id"]]["numbers"]
    assert {(n["start"], n["end"]) for n in numbers} >= {(g["start"], g["end"]) for g in seed["numbers"]}
    assert json.loads(out.read_text().splitlines()[0])["id"] == seed["id"]
