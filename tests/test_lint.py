"""``khabar gold lint``: each rule with an article that breaks it and one that keeps it, and a store run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from khabar import cues
from khabar.errors import InputError
from khabar.lint import (
    RULES,
    Finding,
    LintReport,
    generic_description,
    lint_article,
    lint_corpus,
    lint_store,
    render,
)
from khabar.sentences import split_sentences
from khabar.store import write_articles

# --------------------------------------------------------------------------------------------------------
# Building small article records: spans are given by their surface, offsets come from str.index.


def at(text: str, surface: str, after: str = "") -> list[int]:
    """[start, end] of the first ``surface`` at or after the first ``after`` (the whole text when empty)."""
    start = text.index(surface, text.index(after) if after else 0)
    return [start, start + len(surface)]


def ent(text: str, surface: str, label: str, entity_id: str, after: str = "") -> dict[str, Any]:
    s, e = at(text, surface, after)
    return {"start": s, "end": e, "text": surface, "label": label, "entity_id": entity_id}


def num(text: str, surface: str, kind: str, value: float | None = None, *, unit: str | None = None,
        approx: str = "exact", date: str | None = None, counted: str | None = None, after: str = "") -> dict[str, Any]:
    s, e = at(text, surface, after)
    return {"start": s, "end": e, "text": surface, "kind": kind, "value": value, "date": date, "unit": unit,
            "approx": approx, "counted": at(text, counted, surface) if counted else None}


def stance(text: str, holder: str, evidence: str, holder_entity: str | None = None, target: str = "t1",
           polarity: str = "support") -> dict[str, Any]:
    return {"holder": at(text, holder), "holder_entity": holder_entity, "target": target, "polarity": polarity,
            "evidence": at(text, evidence)}


def article(text: str, entities=(), numbers=(), stances=(), targets=None, aid: str = "khb-9000") -> dict[str, Any]:
    """A record with the fields the linter reads; annotation ids are numbered per layer (e1, n1, s1 …). Without
    ``targets`` the S1 check is left out: the article gets no targets."""
    def ids(items, prefix):
        return [{"id": f"{prefix}{i}", **item} for i, item in enumerate(items, 1)]

    tgts = [{"id": f"t{i}", "kind": "policy", "text_ar": t, "text_en": t} for i, t in enumerate(targets or (), 1)]
    return {"id": aid, "text": text, "sentences": split_sentences(text), "entities": ids(entities, "e"),
            "numbers": ids(numbers, "n"), "stance": ids(stances, "s"), "targets": tgts}


def rules(a: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i.rule, i.item) for i in lint_article(a)]


# --------------------------------------------------------------------------------------------------------
# N16, N7, N9: counted nouns


def test_n16_fraction_cardinal_and_plural_fraction_without_their_counted_noun():
    t = "هدم نصف البيوت في القرية. وضم الفريق 12 لاعبا جديدا. ويعيش ثلاثة أرباع السكان في المدن."
    bad = article(t, numbers=[num(t, "نصف", "fraction", 0.5), num(t, "12", "cardinal", 12),
                              num(t, "ثلاثة أرباع", "fraction", 0.75)])
    assert rules(bad) == [("N16", "n1"), ("N16", "n2"), ("N16", "n3")]
    good = article(t, numbers=[num(t, "نصف", "fraction", 0.5, counted="البيوت"),
                               num(t, "12", "cardinal", 12, counted="لاعبا"),
                               num(t, "ثلاثة أرباع", "fraction", 0.75, counted="السكان")])
    assert rules(good) == []


def test_n16_skips_what_is_not_a_counted_noun():
    t = ("صوّت 38 نائبا من أصل 50 حضروا الجلسة، وامتنع ثلاثة عن التصويت. وكان بينهم اثنان من روسيا. "
         "وانخفضت الحصص إلى النصف. ويزور المتحف 5 ملايين سنويا. وخفضت الأسعار إلى النصف المطلوب.")
    a = article(t, entities=[ent(t, "روسيا", "GPE", "russia")],
                numbers=[num(t, "38", "cardinal", 38, counted="نائبا"),
                         num(t, "50", "cardinal", 50),  # a verb follows
                         num(t, "ثلاثة", "cardinal", 3),  # a preposition follows
                         num(t, "اثنان", "cardinal", 2),  # من + a name is not a partitive
                         num(t, "النصف", "fraction", 0.5),  # punctuation follows
                         num(t, "5 ملايين", "cardinal", 5e6),  # an adverb follows
                         num(t, "النصف", "fraction", 0.5, after="الأسعار")])  # a definite number's adjective
    assert rules(a) == []


def test_n16_partitive_and_demonstrative():
    t = "وعثر على العشرات من حطام الصواريخ، ولم يشتر نصف هذه الكتب."
    bad = article(t, numbers=[num(t, "العشرات", "cardinal", approx="vague"), num(t, "نصف", "fraction", 0.5)])
    assert rules(bad) == [("N16", "n1"), ("N16", "n2")]
    good = article(t, numbers=[num(t, "العشرات", "cardinal", approx="vague", counted="حطام"),
                               num(t, "نصف", "fraction", 0.5, counted="الكتب")])
    assert rules(good) == []


def test_n16_never_applies_to_ordinals_or_money():
    t = "للمرة الأولى منذ سنوات. وبلغت الكلفة 3.5 مليار دولار."
    a = article(t, numbers=[num(t, "الأولى", "ordinal", 1), num(t, "3.5 مليار", "money", 3.5e9, unit="USD")])
    assert rules(a) == []


def test_n7_numeral_duration_needs_its_time_noun_but_a_noun_that_counts_itself_does_not():
    t = "زار بيونج يانج منذ 24 عاما، في زيارة استمرت أسبوعين كاملين."
    bad = article(t, numbers=[num(t, "24", "duration", 24, unit="a"), num(t, "أسبوعين", "duration", 2, unit="wk")])
    assert rules(bad) == [("N7", "n1")]
    good = article(t, numbers=[num(t, "24", "duration", 24, unit="a", counted="عاما"),
                               num(t, "أسبوعين", "duration", 2, unit="wk")])
    assert rules(good) == []


def test_n9_quantity_unit_word_is_its_counted_noun():
    t = "احتجزت الناقلة على بعد 22 ميلا بحريا من الساحل."
    assert rules(article(t, numbers=[num(t, "22", "quantity", 22, unit="nmi")])) == [("N9", "n1")]
    assert rules(article(t, numbers=[num(t, "22", "quantity", 22, unit="nmi", counted="ميلا")])) == []


# --------------------------------------------------------------------------------------------------------
# N18: kinds that contradict unit, date or text


def test_n18_the_first_matching_row_decides_the_kind():
    t = ("أنفقت عشرات الملايين من الدولارات، ودفعت 5 دولارات، وارتفع التضخم 12 في المئة، "
         "واستمر الإضراب 10 أيام، وزرع 35 هكتارا، وسجل في الدقيقة 17، ووصلت في 12 يناير 2026، واشترى نصف الكتب.")
    bad = article(t, numbers=[
        num(t, "عشرات الملايين", "money", unit="USD", approx="vague", counted="الدولارات"),  # row 1: cardinal
        num(t, "5", "cardinal", 5),  # row 4: money
        num(t, "12 في المئة", "cardinal", 12),  # row 3: percent
        num(t, "10", "cardinal", 10, counted="أيام"),  # row 5: duration
        num(t, "35", "cardinal", 35, counted="هكتارا"),  # row 6: quantity
        num(t, "17", "cardinal", 17),  # row 7: a rank
        num(t, "12 يناير 2026", "cardinal", 12),  # row 2: date
        num(t, "نصف", "cardinal", 0.5, counted="الكتب"),  # row 9: fraction
    ])
    assert rules(bad) == [("N18", f"n{i}") for i in range(1, 9)]
    good = article(t, numbers=[
        num(t, "عشرات الملايين", "cardinal", approx="vague", counted="الدولارات"),
        num(t, "5", "money", 5, unit="USD"),
        num(t, "12 في المئة", "percent", 12, unit="%"),
        num(t, "10", "duration", 10, unit="d", counted="أيام"),
        num(t, "35", "quantity", 35, unit="ha", counted="هكتارا"),
        num(t, "17", "ordinal", 17),
        num(t, "12 يناير 2026", "date", date="2026-01-12"),
        num(t, "نصف", "fraction", 0.5, counted="الكتب"),
    ])
    assert rules(good) == []


def test_n18_unit_date_and_value_must_agree_with_the_kind():
    t = ("في عام 3000 ارتفعت الأسعار 25 مرة في فبراير 2022 وبلغت الكلفة 40 دينارا أردنيا وعشرة دولارات، "
         "واستمر الإضراب 3 أسابيع، ووصلت في 12 يناير 2026، وقطعت 6 آلاف كيلومتر.")
    bad = article(t, numbers=[
        num(t, "3000", "year", 3000),  # outside 1000–2100
        num(t, "25", "percent", 25, unit="%"),  # no percent marker
        num(t, "فبراير 2022", "date", date="2021-02"),  # the year written is 2022
        num(t, "40", "money", 40, unit="KWD"),  # دينار أردني is JOD
        num(t, "عشرة", "money", 10, unit="kg"),  # not a currency code
        num(t, "3", "duration", 3, unit="d", counted="أسابيع"),  # the noun says weeks
        num(t, "12 يناير 2026", "date", date="2026-02-12"),  # the month named is January
        num(t, "6 آلاف", "quantity", 6000, unit="t", counted="كيلومتر"),  # the unit word is km
    ])
    assert rules(bad) == [("N18", f"n{i}") for i in range(1, 9)]
    t2 = ("في عام 2000 ارتفعت الأسعار 25% في فبراير 2022 وبلغت الكلفة 40 دينارا أردنيا وعشرة دولارات، "
          "واستمر الإضراب 3 أسابيع، ووصلت في 12 يناير 2026، وقطعت 6 آلاف كيلومتر.")
    good = article(t2, numbers=[
        num(t2, "2000", "year", 2000), num(t2, "25%", "percent", 25, unit="%"),
        num(t2, "فبراير 2022", "date", date="2022-02"), num(t2, "40", "money", 40, unit="JOD"),
        num(t2, "عشرة", "money", 10, unit="USD"), num(t2, "3", "duration", 3, unit="wk", counted="أسابيع"),
        num(t2, "12 يناير 2026", "date", date="2026-01-12"),
        num(t2, "6 آلاف", "quantity", 6000, unit="km", counted="كيلومتر"),
    ])
    assert rules(good) == []


def test_n18_a_number_with_a_counted_noun_is_never_a_year():
    t = "ويضم البرنامج 1900 مركز في البلاد."
    assert rules(article(t, numbers=[num(t, "1900", "year", 1900, counted="مركز")])) == [("N18", "n1")]
    assert rules(article(t, numbers=[num(t, "1900", "cardinal", 1900, counted="مركز")])) == []


# --------------------------------------------------------------------------------------------------------
# E8: propagation within an article


def test_e8_a_surface_missed_elsewhere_with_a_proclitic():
    t = "زار بوتين روسيا أمس. وقال إن وروسيا تدعم الاتفاق."
    bad = article(t, entities=[ent(t, "بوتين", "PER", "vladimir-putin"), ent(t, "روسيا", "GPE", "russia")])
    issues = lint_article(bad)
    assert [(i.rule, i.item) for i in issues] == [("E8", "e2")]
    assert f"not annotated at {t.index('وروسيا') + 1}" in issues[0].message
    good = article(t, entities=[ent(t, "بوتين", "PER", "vladimir-putin"), ent(t, "روسيا", "GPE", "russia"),
                                ent(t, "روسيا", "GPE", "russia", after="وروسيا")])
    assert rules(good) == []


def test_e8_word_boundaries_longer_spans_and_the_ll_rule():
    t = "اجتمع مجلس الأمن في مصر مع مصرف مصري، وقال متحدث للأمم المتحدة إن الأمم المتحدة ستتحرك."
    a = article(t, entities=[
        ent(t, "مجلس الأمن", "ORG", "un-security-council"),
        ent(t, "مصر", "GPE", "egypt"),  # مصرف and مصري are longer words
        ent(t, "لأمم المتحدة", "ORG", "united-nations"),
        ent(t, "الأمم المتحدة", "ORG", "united-nations", after="إن"),
    ])
    assert rules(a) == []
    # the لل form is found from the full form, and a surface inside a longer annotated span is no miss
    missed = article(t, entities=[ent(t, "مجلس الأمن", "ORG", "un-security-council"), ent(t, "مصر", "GPE", "egypt"),
                                  ent(t, "الأمم المتحدة", "ORG", "united-nations", after="إن")])
    assert rules(missed) == [("E8", "e3")]


def test_e8_a_name_that_starts_with_lam_after_the_preposition_lam():
    t = "وصل الوفد إلى لبنان أمس، وقدم الدعم للبنان، ثم عاد إلى لبنان."
    a = article(t, entities=[ent(t, "لبنان", "GPE", "lebanon"), ent(t, "لبنان", "GPE", "lebanon", after="للبنان")])
    assert [(i.rule, i.item) for i in lint_article(a)] == [("E8", "e1")]
    assert f"not annotated at {t.rindex('لبنان')}" in lint_article(a)[0].message


def test_e8_one_surface_two_labels_but_not_a_nisba_homograph():
    t = "قال الكرملين إن الكرملين سيرد. وأعلنت السعودية أن وزارة السياحة السعودية ستدعم الخطة."
    bad = article(t, entities=[ent(t, "الكرملين", "ORG", "kremlin"), ent(t, "الكرملين", "GPE", "moscow", after="إن")])
    assert rules(bad) == [("E8", "e2")]
    good = article(t, entities=[ent(t, "الكرملين", "ORG", "kremlin"),
                                ent(t, "الكرملين", "ORG", "kremlin", after="إن"),
                                ent(t, "السعودية", "GPE", "saudi-arabia"),
                                ent(t, "وزارة السياحة", "ORG", "saudi-ministry-of-tourism"),
                                ent(t, "السعودية", "NORP", "saudi", after="السياحة")])
    assert rules(good) == []


def test_e8_an_occupation_word_used_as_an_adjective_is_no_miss():
    t = "قالت الرياضية المصرية إن المشاريع الرياضية تعثرت."
    a = article(t, entities=[ent(t, "الرياضية", "OCC", "khb-9000:athlete"), ent(t, "المصرية", "NORP", "egyptian")])
    assert rules(a) == []


# --------------------------------------------------------------------------------------------------------
# E12: generic descriptions


def test_e12_generic_descriptions():
    for generic in ("الخزانات الكبرى", "الوزارة", "المستشفى", "إدارة التخطيط", "اللجنة المنظمة", "دائرة النقل"):
        assert generic_description(generic), generic
    for name in ("وزارة الصحة", "مجلس الأمن", "المكتب الرئاسي", "الجيش السوداني", "مطار الملكة علياء الدولي",
                 "الجمعية العامة", "معهد سيجونج", "مستشفى البشير", "الخط الثالث", "الأهلي", "مستشفى"):
        assert not generic_description(name), name


def test_e12_a_generic_mention_typed_as_a_name():
    t = "وقالت إدارة التخطيط في وزارة الصحة إن الخزانات الكبرى جاهزة."
    bad = article(t, entities=[ent(t, "إدارة التخطيط", "ORG", "planning-department"),
                               ent(t, "وزارة الصحة", "ORG", "ministry-of-health"),
                               ent(t, "الخزانات الكبرى", "FAC", "mega-reservoirs")])
    assert [r for r in rules(bad) if r[0] == "E12"] == [("E12", "e1"), ("E12", "e3")]
    good = article(t, entities=[ent(t, "وزارة الصحة", "ORG", "ministry-of-health")])
    assert rules(good) == []


def test_e12_occ_ids_are_scoped_to_their_article():
    t = "قال المسؤول إن مسؤولا آخر وافق، وقال النائب إنه يرفض."
    bad = article(t, entities=[ent(t, "المسؤول", "OCC", "official"), ent(t, "مسؤولا", "OCC", "official"),
                               ent(t, "النائب", "OCC", "khb-0001:mp")])
    issues = lint_article(bad)
    assert [(i.rule, i.item) for i in issues] == [("E12", "e1"), ("E12", "e3")]  # once per id
    assert "'khb-9000:official' (E13)" in issues[0].message and "'khb-9000:mp'" in issues[1].message
    good = article(t, entities=[ent(t, "المسؤول", "OCC", "khb-9000:official"),
                                ent(t, "مسؤولا", "OCC", "khb-9000:official"),
                                ent(t, "النائب", "OCC", "khb-9000:mp")])
    assert rules(good) == []


def test_e12_generic_ids_shared_across_articles():
    t1, t2 = "قالت وزارة الصحة ودائرة النقل إنهما جاهزتان.", "وأكدت وزارة الصحة أن دائرة النقل جاهزة."
    a1 = article(t1, aid="khb-9001", entities=[ent(t1, "وزارة الصحة", "ORG", "ministry-of-health"),
                                               ent(t1, "دائرة النقل", "ORG", "transport-department")])
    a2 = article(t2, aid="khb-9002", entities=[ent(t2, "وزارة الصحة", "ORG", "ministry-of-health"),
                                               ent(t2, "دائرة النقل", "ORG", "transport-department")])
    found = lint_corpus([a1, a2])
    assert [(aid, i.rule, i.item) for aid, i in found] == [("khb-9001", "E12", "e2"), ("khb-9002", "E12", "e2")]
    assert "article-scoped" in found[0][1].message and "khb-9002" in found[0][1].message
    assert lint_corpus([a1]) == []


# --------------------------------------------------------------------------------------------------------
# S1: targets


def test_s1_targets_need_a_triple_and_an_affirmative_phrasing():
    t = "وقال الوزير إنه يرفض رفع الأسعار."
    ev = stance(t, "الوزير", t, polarity="oppose")
    bad = article(t, stances=[ev], targets=["رفع الأسعار", "عدم رفع الضرائب", "خفض الدعم"])
    assert rules(bad) == [("S1", "t2"), ("S1", "t2"), ("S1", "t3")]
    too_few = {**article(t, stances=[ev], targets=["رفع الأسعار"]), "origin": "original"}
    assert rules(too_few) == [("S1", "t1")]
    # a published article has as many targets as its holders take stances on
    assert rules({**too_few, "origin": "published"}) == []
    six = article(t, stances=[stance(t, "الوزير", t, target=f"t{i}") for i in range(1, 7)],
                  targets=[f"هدف {i}" for i in range(6)])
    assert rules({**six, "origin": "published"}) == [("S1", "t1")]
    good = article(t, stances=[ev, stance(t, "الوزير", t, target="t2"), stance(t, "الوزير", t, target="t3")],
                   targets=["رفع الأسعار", "رفع الضرائب", "خفض الدعم"])
    assert rules(good) == []


# --------------------------------------------------------------------------------------------------------
# S2: holders and cues


def test_s2_holder_in_another_sentence():
    t = "وصل الوزير إلى المدينة. وقالت الحكومة إنها ترحب بالزيارة."
    bad = article(t, stances=[stance(t, "الوزير", "وقالت الحكومة إنها ترحب بالزيارة.")])
    assert rules(bad) == [("S2-holder", "s1")]
    # outside the evidence but in its sentence is allowed (S2: "usually inside it")
    t2 = "وقالت الحكومة، في بيان مطول، إنها ترحب بالزيارة."
    good = article(t2, stances=[stance(t2, "الحكومة", "في بيان مطول، إنها ترحب بالزيارة.")])
    assert rules(good) == []


def test_s2_cue_evidence_without_a_cue():
    t = "وقالت كوريا الجنوبية أمس أن جارتها الشمالية أرسلت حاويات إلى روسيا."
    bad = article(t, stances=[stance(t, "كوريا الجنوبية", "أن جارتها الشمالية أرسلت حاويات إلى روسيا.")])
    assert rules(bad) == [("S2-cue", "s1")]
    good = article(t, stances=[stance(t, "كوريا الجنوبية", t)])
    assert rules(good) == []


def test_s2_cue_accepts_direct_speech_and_actions_of_the_holder():
    t = "وقال بيسكوف للصحفيين: “إنها جارتنا”. وصوتت الجمعية العامة على القرار. قطر ترفع طاقة التحلية."
    a = article(t, stances=[stance(t, "بيسكوف", "للصحفيين: “إنها جارتنا”."),
                            stance(t, "الجمعية العامة", "وصوتت الجمعية العامة على القرار."),
                            stance(t, "قطر", "قطر ترفع طاقة التحلية.")])
    assert rules(a) == []


def test_cue_lexicon_inflections_and_proclitics():
    for word in ("قال", "وقالت", "فأكد", "يؤكدون", "وتحذر", "حذروا", "مؤكدا", "مشيرةً", "دعوته", "ودعت",
                 "ويرى", "ورحبت", "بالقول", "وقدّر", "قلقهم", "تحذيرات", "سيدرس", "نفت"):
        assert cues.is_cue(word), word
    for word in ("نصف", "البيانات", "عبر", "درس", "الكتاب", "الدعم", "المدينة"):
        assert not cues.is_cue(word), word


# --------------------------------------------------------------------------------------------------------
# The store: file:line of the offending standoff line


def test_lint_store_locates_findings_at_their_gold_lines(tmp_path: Path):
    t = ("هدم نصف البيوت في القرية\nوقال الوزير إن نصف البيوت سيعاد بناؤها خلال 24 عاما. "
         "ودعا الوزير إلى رفع الضرائب. وأكد الوزير رفض خفض الدعم.")
    a = article(t, entities=[ent(t, "الوزير", "OCC", "khb-9000:minister"),
                             ent(t, "الوزير", "OCC", "khb-9000:minister", after="ودعا"),
                             ent(t, "الوزير", "OCC", "khb-9000:minister", after="وأكد")],
                numbers=[num(t, "نصف", "fraction", 0.5, counted="البيوت"),
                         num(t, "نصف", "fraction", 0.5, after="إن"),
                         num(t, "24", "duration", 24, unit="a", counted="عاما")],
                stances=[stance(t, "الوزير", "وقال الوزير إن نصف البيوت سيعاد بناؤها خلال 24 عاما.",
                                holder_entity="khb-9000:minister"),
                         stance(t, "ودعا الوزير", "ودعا الوزير إلى رفع الضرائب.", target="t2"),
                         stance(t, "وأكد الوزير", "وأكد الوزير رفض خفض الدعم.", target="t3", polarity="oppose")],
                targets=["إعادة بناء البيوت", "رفع الضرائب", "خفض الدعم"])
    for s, holder in zip(a["stance"][1:], a["entities"][1:], strict=True):  # the holder is the mention itself
        s["holder"], s["holder_entity"] = [holder["start"], holder["end"]], holder["entity_id"]
    a.update({"headline": t.split("\n")[0], "source": "test", "url": None, "published": "2026-01-01",
              "byline": None, "origin": "original", "section": "local", "region": "gulf", "license": "CC-BY-4.0",
              "split": "train"})
    root = tmp_path / "annotations"
    write_articles(root, [a], [{"entity_id": "khb-9000:minister", "label": "OCC", "canonical_ar": "وزير",
                                "canonical_en": "minister"}])
    gold = root / "gold" / "khb-9000.jsonl"
    lines = {(o["layer"], o.get("id")): i for i, o in enumerate(map(json.loads, gold.read_text().splitlines()), 1)}
    line = lines[("number", "n2")]

    report = lint_store(root)
    message = "fraction 'نصف' is followed by its counted noun 'البيوت', but counted is null"
    assert report.findings == (Finding("annotations/gold/khb-9000.jsonl", line, "N16", message),)
    assert render(report) == f"annotations/gold/khb-9000.jsonl:{line}: N16: {message}\n"
    assert report.counts()["N16"] == 1 and set(report.counts()) == set(RULES)
    assert not report.ok and LintReport(()).ok and render(LintReport(())) == ""


# --------------------------------------------------------------------------------------------------------
# The repository's gold, the allow-list and the command


def test_the_repository_gold_passes_the_linter():
    from conftest import ANNOTATIONS

    report = lint_store(ANNOTATIONS)
    assert report.ok, "\n" + render(report)


def _allow(annotations, *rows):
    (annotations / "lint-allow.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                                  encoding="utf-8")


def _break_a_counted_noun(annotations):
    """Drop one recorded counted noun of a fraction: N16 must fire on it."""
    for f in sorted((annotations / "gold").glob("*.jsonl")):
        lines = f.read_text(encoding="utf-8").splitlines()
        for i, raw in enumerate(lines):
            obj = json.loads(raw)
            if obj.get("layer") == "number" and obj["kind"] == "fraction" and obj["counted"]:
                lines[i] = json.dumps({**obj, "counted": None}, ensure_ascii=False)
                f.write_text("\n".join(lines) + "\n", encoding="utf-8")
                return f.stem, obj["id"], i + 1
    raise AssertionError("no fraction with a counted noun in the gold")


def test_allowed_findings_are_silent_and_stale_ones_are_reported(annotations_copy):
    aid, item, line = _break_a_counted_noun(annotations_copy)
    report = lint_store(annotations_copy, articles=[aid])
    assert [(f.rule, f.line) for f in report.findings] == [("N16", line)]
    _allow(annotations_copy, {"article": aid, "rule": "N16", "item": item, "reason": "reviewed: test"})
    assert lint_store(annotations_copy, articles=[aid]).ok
    _allow(annotations_copy, {"article": aid, "rule": "E12", "item": item, "reason": "no such finding"},
           {"article": aid, "rule": "N16", "item": item, "reason": "reviewed: test"})
    (stale,) = lint_store(annotations_copy, articles=[aid]).findings
    assert stale.rule == "allow" and stale.line == 1 and "stale exception" in stale.message


def test_an_allow_entry_needs_a_reason(annotations_copy):
    _allow(annotations_copy, {"article": "khb-0001", "rule": "N16", "item": "n1", "reason": " "})
    with pytest.raises(InputError, match="say why"):
        lint_store(annotations_copy)


def test_the_lint_command_exits_1_on_findings(annotations_copy, capsys):
    from khabar.cli import main

    aid, _, line = _break_a_counted_noun(annotations_copy)
    assert main(["gold", "lint", aid, "--annotations", str(annotations_copy)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"annotations/gold/{aid}.jsonl:{line}: N16: ") and "1 finding(s): N16 1" in err
    assert main(["gold", "lint", "nope", "--annotations", str(annotations_copy)]) == 2
