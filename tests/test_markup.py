import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import InputError
from khabar.markup import compile_markup, render

FRONT = """---
id: t-1
source: test
origin: original
section: politics
region: gulf
license: CC-BY-4.0
split: train
targets:
- {id: t1, kind: policy, text_ar: هدف, text_en: target}
entities:
  doha: {label: GPE, canonical_ar: الدوحة, canonical_en: Doha}
  ali: {label: PER, canonical_ar: علي, canonical_en: Ali}
---
"""


def test_seed_round_trips_through_markup(seed):
    again = compile_markup(render(seed)).article
    assert again == seed


def test_spans_nest_and_anchors_resolve():
    doc = FRONT + ("عنوان\n⟦قال ⟦علي⟧{PER ali #h} في ⟦الدوحة⟧{GPE doha} إن ⟦3⟧{NUM kind=cardinal value=3 "
                   "counted=#c} ⟦سفن⟧{#c} وصلت⟧{STANCE target=t1 polarity=support holder=#h}.")
    a = compile_markup(doc).article
    text = a["text"]
    assert [text[e["start"]:e["end"]] for e in a["entities"]] == ["علي", "الدوحة"]
    (n,) = a["numbers"]
    assert (n["text"], n["value"], text[slice(*n["counted"])]) == ("3", 3.0, "سفن")
    (s,) = a["stance"]
    assert text[slice(*s["holder"])] == "علي" and s["holder_entity"] == "ali"
    assert text[slice(*s["evidence"])].startswith("قال") and s["polarity"] == "support"
    assert [e["entity_id"] for e in a["entity_index"]] == ["ali", "doha"]


@pytest.mark.parametrize(("body", "line", "field"), [
    ("عنوان\nنص ⟦علي", 16, "markup"),
    ("عنوان\nنص علي⟧{PER ali}", 16, "markup"),
    ("عنوان\n\nنص ⟦علي⟧{PERSON ali}", 17, "markup"),
    ("عنوان\nنص ⟦3⟧{NUM kind=cardinal value=x}", 16, "value"),
    ("عنوان\nنص ⟦3⟧{NUM kind=cardinal value=3 counted=#nope}", 16, "counted"),
    ("عنوان\nنص ⟦علي⟧{PER nobody}", 16, "entities[0].entity_id"),
    ("عنوان\nنص ⟦3⟧{NUM kind=money value=3}", 16, "numbers[0].unit"),
    ("عنوان\nنص ⟦ علي⟧{PER ali}", 16, "entities[0].start"),
])
def test_errors_name_the_markup_line_and_field(body, line, field):
    with pytest.raises(InputError) as e:
        compile_markup(FRONT + body, "doc.khabar")
    first = e.value.lines()[0]
    assert first.startswith(f"doc.khabar:{line}: {field}:"), first


def test_missing_front_matter_key():
    with pytest.raises(InputError) as e:
        compile_markup(FRONT.replace("region: gulf\n", "") + "عنوان", "d")
    assert e.value.lines() == ["d:2: region: missing from the front matter"]


WORD = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=1, max_size=6)


@st.composite
def articles(draw):
    """Random articles: words, some of them entity mentions or numbers, flat and non-crossing."""
    words = draw(st.lists(WORD, min_size=2, max_size=25))
    text, ents, nums, pos = "", [], [], 0
    for i, w in enumerate(words):
        if i:
            text += draw(st.sampled_from([" ", "\n", "، "]))
        start = len(text)
        text += w
        role = draw(st.sampled_from(["", "", "ent", "num"]))
        if role == "ent":
            ents.append({"start": start, "end": len(text), "text": w, "label": "PER", "entity_id": "ali"})
        elif role == "num":
            v = draw(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
            nums.append({"start": start, "end": len(text), "text": w, "kind": "cardinal", "value": v,
                         "date": None, "unit": None, "approx": "exact", "counted": None})
        pos = len(text)
    del pos
    stances = []
    if ents:
        e = ents[0]
        stances.append({"holder": [e["start"], e["end"]], "holder_entity": "ali", "target": "t1",
                        "polarity": draw(st.sampled_from(["support", "oppose", "neutral"])),
                        "evidence": [0, len(text)]})
    return text, ents, nums, stances


@settings(max_examples=60, deadline=None)
@given(articles())
def test_compile_render_round_trip(data):
    text, ents, nums, stances = data
    front = FRONT.replace("t-1", "t-2")
    from khabar.sentences import split_sentences

    article = compile_markup(front + "x\n").article
    article.update(text=text, headline=text.split("\n", 1)[0], sentences=split_sentences(text))
    article["entities"] = [{"id": f"e{i}", **e} for i, e in enumerate(ents, 1)]
    article["numbers"] = [{"id": f"n{i}", **n} for i, n in enumerate(nums, 1)]
    article["stance"] = [{"id": f"s{i}", **s} for i, s in enumerate(stances, 1)]
    article["entity_index"] = ([{"entity_id": "ali", "label": "PER", "canonical_ar": "علي", "canonical_en": "Ali"}]
                               if ents else [])
    assert compile_markup(render(article)).article == article


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(),
    st.text(alphabet="⟦⟧{}#;= \nPERGNUMSTAC-:abcاب1", max_size=60).map(lambda b: FRONT + "عنوان\n" + b),
    st.lists(st.sampled_from(["targets:", "entities:", "id:", "split:", " 5", " [1]", " {a: 5}", " - x", "\n",
                              " null", " {id: t1}", "  k: v", ":", "'"]), max_size=12)
    .map(lambda f: "---\n" + "".join(f) + "\n---\nعنوان"),
))
def test_compiler_raises_nothing_but_located_input_errors(doc):
    try:
        compile_markup(doc, "fuzz.khabar")
    except InputError as e:
        assert all(line.startswith("fuzz.khabar:") for line in e.lines()), e.lines()
