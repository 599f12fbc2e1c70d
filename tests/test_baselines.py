"""The trainable entity baselines (entities-gazetteer, entities-crf), the stance-cues baseline and ``khabar train``."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.errors import KhabarError
from khabar.schema import PREDICTION, check_record
from khabar.sentences import split_sentences
from khabar.store import write_articles
from khabar.systems import crf, gazetteer, get, stance_cues
from khabar.systems.gazetteer import Gazetteer, build_gazetteer
from khabar.train import train_articles, train_on


def _article(aid: str, split: str, text: str, spans: list[tuple[str, str]],
             targets: list[tuple[str, str]] = ()) -> dict:
    """A synthetic article record; ``spans`` are (surface, label) found left to right in the text."""
    entities, at = [], 0
    for i, (surface, label) in enumerate(spans):
        start = text.index(surface, at)
        at = start + len(surface)
        entities.append({"id": f"e{i}", "start": start, "end": at, "text": surface, "label": label,
                         "entity_id": f"x{i}"})
    return {"id": aid, "split": split, "text": text, "sentences": split_sentences(text), "entities": entities,
            "numbers": [], "stance": [],
            "targets": [{"id": t, "kind": "policy", "text_ar": ar, "text_en": t} for t, ar in targets]}


def _spans(text: str, preds: list[dict]) -> list[tuple[str, str]]:
    return [(text[p["start"]:p["end"]], p["label"]) for p in preds]


def _valid(rec: dict, text: str) -> None:
    assert check_record(PREDICTION, rec) == []
    spans = sorted((e["start"], e["end"]) for e in rec["entities"])
    for s, e in spans:
        assert 0 <= s < e <= len(text) and not text[s].isspace() and not text[e - 1].isspace()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), "entity spans must be flat"
    for t in rec["stance"]:
        assert 0 <= t["holder"][0] < t["holder"][1] <= len(text)


# --------------------------------------------------------------------------------------------------------
# entities-gazetteer


def test_gazetteer_is_built_from_the_train_split_only():
    train = _article("a1", "train", "زار الوزير باريس أمس.", [("الوزير", "OCC"), ("باريس", "GPE")])
    test = _article("a2", "test", "زار الوزير لندن أمس.", [("الوزير", "OCC"), ("لندن", "GPE")])
    val = _article("a3", "validation", "وصل الوفد إلى روما.", [("روما", "GPE")])
    g = build_gazetteer([train, test, val])
    assert g["entries"] == {"الوزير": "OCC", "باريس": "GPE"}
    assert "لندن" not in g["entries"] and "روما" not in g["entries"]
    assert g["articles"] == 1


def test_gazetteer_majority_label_and_countries_from_gpe():
    arts = [_article("a1", "train", "روسيا وروسيا وقالت الكويت والأردن.",
                     [("روسيا", "GPE"), ("روسيا", "ORG"), ("الكويت", "GPE"), ("الأردن", "GPE")]),
            _article("a2", "train", "روسيا.", [("روسيا", "GPE")])]
    g = build_gazetteer(arts)
    assert g["entries"]["روسيا"] == "GPE"
    assert g["countries"] == ["أردن", "روس", "كويت"]


def test_gazetteer_matches_longest_first_with_proclitics_outside():
    gaz = Gazetteer({"entries": {"باريس": "GPE", "الأمم المتحدة": "ORG", "الأمم": "ORG",
                                 "وزارة المالية الفرنسية": "ORG"}, "countries": []})
    text = "وصل الوفد وباريس تراقب، وقالت للأمم المتحدة إن وزارة المالية الفرنسية موافقة."
    assert _spans(text, gazetteer.entities(text, gaz)) == [
        ("باريس", "GPE"), ("لأمم المتحدة", "ORG"), ("وزارة المالية الفرنسية", "ORG")]


def test_context_rules_title_person_head_noun_and_nisba():
    gaz = Gazetteer({"entries": {}, "countries": ["فرنس", "كور"]})
    text = ("وقال الرئيس جان دوبوا إن وزارة المالية الفرنسية رحبت بالقرار، والتقى الوزير سامي حداد "
            "مع ممثلي شركة الكهرباء الوطنية والمسؤولين الكوريين الجنوبيين.")
    assert _spans(text, gazetteer.entities(text, gaz)) == [
        ("الرئيس", "OCC"), ("جان دوبوا", "PER"), ("وزارة المالية", "ORG"), ("الفرنسية", "NORP"),
        ("الوزير", "OCC"), ("سامي حداد", "PER"), ("شركة الكهرباء الوطنية", "ORG"),
        ("الكوريين الجنوبيين", "NORP")]


def test_construct_title_spokesperson_and_stop_words():
    gaz = Gazetteer({"entries": {}, "countries": ["أمريك"]})
    text = "وأكد وزير الخارجية الأمريكي جون سميث، ثم قال المتحدث باسم الكرملين ديمتري بيسكوف إن الرئيس السابق غادر."
    assert _spans(text, gazetteer.entities(text, gaz)) == [
        ("وزير الخارجية", "OCC"), ("الأمريكي", "NORP"), ("جون سميث", "PER"), ("المتحدث", "OCC"),
        ("الكرملين", "ORG"), ("ديمتري بيسكوف", "PER"), ("الرئيس", "OCC")]


def test_gazetteer_wins_over_a_rule_of_the_same_length():
    gaz = Gazetteer({"entries": {"مجلس الأمن": "ORG", "الرئيس بوتين": "PER"}, "countries": []})
    text = "اجتمع مجلس الأمن ثم تحدث الرئيس بوتين."
    assert _spans(text, gazetteer.entities(text, gaz)) == [("مجلس الأمن", "ORG"), ("الرئيس بوتين", "PER")]


def test_missing_gazetteer_model_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KHABAR_ROOT", str(tmp_path))
    for name in ("entities-gazetteer", "entities-crf"):
        with pytest.raises(KhabarError) as e:
            get(name)({"id": "x", "text": "نص.", "targets": []})
        assert len(e.value.lines()) == 1 and f"khabar train --system {name}" in e.value.lines()[0]


# --------------------------------------------------------------------------------------------------------
# entities-crf

FIRST = ["أحمد", "سامي", "فادي", "رامي", "نبيل", "هاني"]
LAST = ["حداد", "نصار", "خوري", "عيسى", "شاهين", "منصور"]
CITIES = ["حمص", "صيدا", "طرابلس", "جبيل", "صور", "إربد"]


def _crf_corpus() -> list[dict]:
    arts = []
    for a in range(4):
        parts, spans = [], []
        for k in range(6):
            i = a * 6 + k
            first, last, city = FIRST[i % 6], LAST[(i * 5 + a) % 6], CITIES[(i + a) % 6]
            parts.append(f"وصل السيد {first} {last} إلى مدينة {city} صباح اليوم.")
            spans += [(f"{first} {last}", "PER"), (city, "GPE")]
            parts.append("وصل القطار إلى المحطة صباح اليوم.")
        arts.append(_article(f"c{a}", "train", " ".join(parts), spans))
    return arts


def test_crf_learns_the_pattern_and_tags_unseen_names(tmp_path):
    model = train_on("entities-crf", _crf_corpus(), tmp_path)
    assert model == tmp_path / crf.MODEL_FILE and (tmp_path / crf.SIDE_FILE).exists()
    text = "وصل السيد كمال عودة إلى مدينة زحلة صباح اليوم. وصل القطار إلى المحطة صباح اليوم."
    spans = crf.load_model(model).entities(text)
    assert _spans(text, spans) == [("كمال عودة", "PER"), ("زحلة", "GPE")]


def test_crf_tokens_split_proclitics_by_the_documented_rule():
    vocab = frozenset({"حمص", "لأمم"})
    text = "وحمص والرئيس للأمم وبالقرار بوتين وزحلة"
    toks = [(t.text, t.clitic) for t in crf.crf_tokens(text, vocab)]
    assert toks == [("و", True), ("حمص", False), ("و", True), ("الرئيس", False), ("ل", True), ("لأمم", False),
                    ("و", True), ("ب", True), ("القرار", False), ("بوتين", False), ("وزحلة", False)]


def test_crf_decoding_keeps_proclitics_outside_spans(tmp_path):
    arts = [_article(f"p{a}", "train", " ".join(
        f"وزار الوفد و{c} ثم غادر." for c in CITIES), [(c, "GPE") for c in CITIES]) for a in range(2)]
    model = crf.load_model(train_on("entities-crf", arts, tmp_path))
    text = "وزار الوفد وحمص ثم غادر."
    assert _spans(text, model.entities(text)) == [("حمص", "GPE")]


def test_crf_training_ignores_non_train_articles(tmp_path):
    data, side = crf.training_data([*_crf_corpus(), _article("t", "test", "كلمة سرية.", [("سرية", "PER")])])
    assert "سرية" not in side["vocabulary"] and "سرية" not in side["gazetteer"]["entries"]
    assert len(data) == 4 * 12


# --------------------------------------------------------------------------------------------------------
# stance-cues

TARGETS = [{"id": "t1", "kind": "policy", "text_ar": "رفع أسعار الوقود", "text_en": "raising fuel prices"},
           {"id": "t2", "kind": "policy", "text_ar": "بناء السد الجديد على النهر", "text_en": "building the new dam"}]


def _triples(text: str, mentions: list[tuple[str, str]] | None = None) -> list[tuple[str, str, str]]:
    ms = None
    if mentions is not None:
        ms, at = [], 0
        for surface, label in mentions:
            s = text.index(surface, at)
            at = s + len(surface)
            ms.append({"start": s, "end": at, "label": label})
    return [(text[t["holder"][0]:t["holder"][1]], t["target"], t["polarity"])
            for t in stance_cues.stance(text, TARGETS, ms)]


def test_stance_holder_by_word_rule_stops_at_a_comma_or_function_word():
    assert _triples("رحب الاتحاد العمالي، بعد اجتماع طويل، برفع أسعار الوقود.") == [
        ("الاتحاد العمالي", "t1", "support")]
    assert _triples("وقال الوزير إن أسعار الوقود سترتفع.") == [("الوزير", "t1", "neutral")]
    assert _triples("وقال إن أسعار الوقود سترتفع.") == []  # a pronoun-only holder is skipped (S8)


def test_stance_each_polarity():
    assert _triples("رحب الاتحاد برفع أسعار الوقود.", [("الاتحاد", "ORG")]) == [("الاتحاد", "t1", "support")]
    assert _triples("ورفضت نقابة المزارعين بناء السد الجديد.", [("نقابة المزارعين", "ORG")]) == [
        ("نقابة المزارعين", "t2", "oppose")]
    assert _triples("وأوضح المتحدث أن أسعار الوقود سترتفع.", [("المتحدث", "OCC")]) == [
        ("المتحدث", "t1", "neutral")]


def test_stance_negation_follows_s5():
    # a negated oppose cue is neutral, not support
    assert _triples("لم يرفض المجلس رفع أسعار الوقود.", [("المجلس", "ORG")]) == [("المجلس", "t1", "neutral")]
    # a negated support cue is oppose; the reporting verb gives the holder
    assert _triples("وقال الوزير إنه لا يؤيد بناء السد الجديد.") == [("الوزير", "t2", "oppose")]


def test_stance_describe_as_absurd_is_oppose():
    text = 'ووصفت الحكومة خطة بناء السد بأنها "سخيفة".'
    assert _triples(text, [("الحكومة", "ORG")]) == [("الحكومة", "t2", "oppose")]
    assert _triples("ووصفت الحكومة خطة بناء السد بأنها مهمة.", [("الحكومة", "ORG")]) == []


def test_stance_holder_from_mentions_prefers_the_name_after_the_verb():
    text = "وحذر وزير الري سامي حداد من بناء السد الجديد. الحكومة تنفي رفع أسعار الوقود."
    ments = [("وزير الري", "OCC"), ("سامي حداد", "PER"), ("الحكومة", "ORG")]
    assert _triples(text, ments) == [("سامي حداد", "t2", "oppose"), ("الحكومة", "t1", "oppose")]


def test_stance_target_by_overlap_ties_to_lowest_id_and_no_overlap_is_skipped():
    minister = [("الوزير", "OCC")]
    assert _triples("وأكد الوزير أهمية النهر والوقود.", minister) == [("الوزير", "t1", "support")]  # a tie
    assert _triples("وأكد الوزير أن السد على النهر سيبنى وأن الوقود متوفر.", minister) == [
        ("الوزير", "t2", "support")]
    assert _triples("وأكد الوزير أهمية التعليم.", minister) == []


def test_stance_one_triple_per_holder_and_target_first_wins():
    text = "رحب المجلس برفع أسعار الوقود. ثم رفض المجلس رفع أسعار الوقود."
    assert _triples(text, [("المجلس", "ORG"), ("المجلس", "ORG")]) == [("المجلس", "t1", "support")]


def test_stance_cues_predictions_are_valid(tmp_path, monkeypatch):
    monkeypatch.setenv("KHABAR_ROOT", str(tmp_path))  # no gazetteer model: the word rule gives holders
    text = "عنوان\nرحب الاتحاد العمالي، بعد اجتماع، برفع أسعار الوقود. ورفض المجلس بناء السد الجديد."
    rec = get("stance-cues")({"id": "s", "text": text, "targets": TARGETS})
    _valid(rec, text)
    assert [(s["target"], s["polarity"]) for s in rec["stance"]] == [("t1", "support"), ("t2", "oppose")]


# --------------------------------------------------------------------------------------------------------
# khabar train, khabar predict, determinism


def _markup(aid: str, split: str, body: str, entities: dict[str, tuple[str, str, str]]) -> str:
    ents = "\n".join(f"  {k}: {{label: {lab}, canonical_ar: {ar}, canonical_en: {en}}}"
                     for k, (lab, ar, en) in entities.items())
    return (f"---\nid: {aid}\nsource: test\nurl: null\npublished: '2026-01-01'\nbyline: null\norigin: original\n"
            f"section: politics\nregion: levant\nlicense: CC-BY-4.0\nsplit: {split}\ntargets:\n"
            f"- id: t1\n  kind: policy\n  text_ar: رفع أسعار الوقود\n  text_en: Raising fuel prices\n"
            f"entities:\n{ents}\n---\n{body}\n")


ENTITIES = {"sami-haddad": ("PER", "سامي حداد", "Sami Haddad"), "president": ("OCC", "الرئيس", "president"),
            "homs": ("GPE", "حمص", "Homs"), "syria": ("GPE", "سوريا", "Syria"),
            "test-only": ("GPE", "زحلة", "Zahle")}


def _store(root: Path) -> Path:
    from khabar.markup import compile_markup

    ann = root / "annotations"
    docs = [
        _markup("k-1", "train", "خبر عن الوقود\nرحب ⟦الرئيس⟧{OCC president} ⟦سامي حداد⟧{PER sami-haddad} برفع "
                "أسعار الوقود في ⟦حمص⟧{GPE homs} و⟦سوريا⟧{GPE syria}.", ENTITIES),
        _markup("k-2", "train", "خبر ثان\nوصل ⟦الرئيس⟧{OCC president} ⟦سامي حداد⟧{PER sami-haddad} إلى "
                "⟦حمص⟧{GPE homs} أمس.", ENTITIES),
        _markup("k-3", "test", "خبر ثالث\nوصل الوفد إلى ⟦زحلة⟧{GPE test-only} أمس.", ENTITIES),
    ]
    compiled = [compile_markup(d) for d in docs]
    write_articles(ann, [c.article for c in compiled], [r for c in compiled for r in c.registry])
    return ann


def test_train_articles_reads_the_train_split_of_the_gold_store(tmp_path):
    assert [a["id"] for a in train_articles(_store(tmp_path))] == ["k-1", "k-2"]


def test_khabar_train_and_predict_end_to_end(tmp_path, monkeypatch, capsys):
    ann = _store(tmp_path)
    monkeypatch.setenv("KHABAR_ROOT", str(tmp_path))
    for name in ("entities-gazetteer", "entities-crf"):
        assert main(["train", "--system", name, "--annotations", str(ann)]) == 0
    models = tmp_path / "benchmarks" / "models"
    assert sorted(p.name for p in models.iterdir()) == ["entities-crf.crfsuite", "entities-crf.json",
                                                        "entities-gazetteer.json"]
    g = json.loads((models / "entities-gazetteer.json").read_text(encoding="utf-8"))
    assert "زحلة" not in g["entries"] and g["entries"]["سامي حداد"] == "PER"
    text = "خبر\nوقال الرئيس سامي حداد إن رفع أسعار الوقود في سوريا وحمص ضروري."
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "z", "text": text, "targets": [
        {"id": "t1", "kind": "policy", "text_ar": "رفع أسعار الوقود", "text_en": "raising fuel prices"}]},
        ensure_ascii=False) + "\n",
        encoding="utf-8")
    outputs = {}
    for name in ("entities-gazetteer", "entities-crf", "stance-cues"):
        out = tmp_path / f"{name}.jsonl"
        assert main(["predict", "--system", name, "--input", str(inp), "--output", str(out)]) == 0
        rec = json.loads(out.read_text(encoding="utf-8"))
        _valid(rec, text)
        outputs[name] = rec
    assert _spans(text, outputs["entities-gazetteer"]["entities"]) == [
        ("الرئيس", "OCC"), ("سامي حداد", "PER"), ("سوريا", "GPE"), ("حمص", "GPE")]
    # stance-cues takes its holder from the trained gazetteer: the name, not the title
    assert [(text[s["holder"][0]:s["holder"][1]], s["target"], s["polarity"])
            for s in outputs["stance-cues"]["stance"]] == [("سامي حداد", "t1", "neutral")]
    assert main(["train", "--system", "stance-cues", "--annotations", str(ann)]) == 1
    assert "needs no training" in capsys.readouterr().err


def test_khabar_train_without_train_articles_fails_in_one_line(tmp_path, capsys):
    ann = tmp_path / "annotations"
    from khabar.markup import compile_markup

    c = compile_markup(_markup("k-9", "test", "عنوان\nنص ⟦حمص⟧{GPE homs}.", ENTITIES))
    write_articles(ann, [c.article], c.registry)
    assert main(["train", "--system", "entities-gazetteer", "--annotations", str(ann), "--out", str(tmp_path)]) == 1
    assert "no train-split article" in capsys.readouterr().err


def test_model_files_are_deterministic(tmp_path):
    ann = _store(tmp_path)
    arts = [*train_articles(ann), *_crf_corpus()]
    for name in ("entities-gazetteer", "entities-crf"):
        a = train_on(name, arts, tmp_path / "a")
        b = train_on(name, list(reversed(arts)), tmp_path / "b")
        assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a" / crf.SIDE_FILE).read_bytes() == (tmp_path / "b" / crf.SIDE_FILE).read_bytes()
