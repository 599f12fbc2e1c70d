from hypothesis import given, settings
from hypothesis import strategies as st
from khabar.loaders import bio_for_tokenizer, bio_tags, parse_conll, spans_from_bio, to_conll, whitespace_tokens
from seqeval.metrics.sequence_labeling import get_entities

from khabar.errors import InputError
from khabar.schema import ENTITY_LABELS


@st.composite
def tokens_and_spans(draw):
    """Whitespace-separated words with flat spans aligned to word boundaries."""
    words = draw(st.lists(st.text(alphabet="ابتثجح", min_size=1, max_size=4), min_size=1, max_size=30))
    text = " ".join(words)
    offsets = whitespace_tokens(text)
    spans, i = [], 0
    while i < len(offsets):
        if draw(st.booleans()):
            j = min(len(offsets), i + draw(st.integers(1, 3)))
            spans.append({"start": offsets[i][0], "end": offsets[j - 1][1],
                          "label": draw(st.sampled_from(ENTITY_LABELS))})
            i = j
        else:
            i += 1
    return text, offsets, spans


@settings(max_examples=200)
@given(tokens_and_spans())
def test_bio_agrees_with_seqeval_and_round_trips(data):
    _, offsets, spans = data
    tt = bio_tags(spans, offsets)
    assert tt.misaligned == 0
    # seqeval as the oracle: the chunks it reads from our tags are our spans, token for token
    chunks = get_entities(list(tt.tags))
    assert [(label, offsets[s][0], offsets[e][1]) for label, s, e in chunks] == \
        [(sp["label"], sp["start"], sp["end"]) for sp in spans]
    assert spans_from_bio(offsets, tt.tags) == spans


def test_misaligned_boundaries_are_counted(seed):
    offsets = whitespace_tokens(seed["text"])
    tt = bio_tags(seed["entities"], offsets)
    # proclitics glued to names (لروسيا، وموسكو) put a span boundary inside a token
    glued = [m for m in seed["entities"] if m["start"] > 0 and not seed["text"][m["start"] - 1].isspace()]
    assert glued and tt.misaligned >= len(glued)
    assert tt.tags.count("B-GPE") == sum(m["label"] == "GPE" for m in seed["entities"])


def test_orphan_inside_tag_starts_a_span_like_conlleval():
    offsets = [(0, 1), (2, 3), (4, 5)]
    assert spans_from_bio(offsets, ["O", "I-PER", "I-PER"]) == [{"start": 2, "end": 5, "label": "PER"}]
    assert get_entities(["O", "I-PER", "I-PER"]) == [("PER", 1, 2)]


def _tiny_tokenizer(corpus: str):
    """A WordPiece fast tokenizer trained here on the seed text: no download."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=300, special_tokens=["[UNK]", "[CLS]", "[SEP]", "[PAD]"])
    tok.train_from_iterator([corpus], trainer)
    from tokenizers.processors import TemplateProcessing

    tok.post_processor = TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]",
                                   pad_token="[PAD]")


def test_bio_for_a_fast_tokenizer(seed):
    tokenizer = _tiny_tokenizer(seed["text"])
    tt = bio_for_tokenizer(tokenizer, seed["text"], seed["entities"])
    assert tt.tags[0] is None and tt.tags[-1] is None  # [CLS] and [SEP] cover no text
    assert len(tt.tags) == len(tokenizer(seed["text"])["input_ids"])
    # every token inside a gold span carries its label; every token outside carries O
    for (s, e), tag in zip(tt.offsets, tt.tags, strict=True):
        if s == e:
            continue
        inside = [m for m in seed["entities"] if m["start"] <= s and e <= m["end"]]
        if inside:
            assert tag is not None and tag[2:] == inside[0]["label"]
        elif not any(m["start"] < e and s < m["end"] for m in seed["entities"]):
            assert tag == "O"
    # spans read back from the word pieces cover the gold spans that fall on piece boundaries
    back = {(sp["start"], sp["end"], sp["label"]) for sp in spans_from_bio(tt.offsets, tt.tags)}
    starts = {s for s, e in tt.offsets if s != e}
    ends = {e for s, e in tt.offsets if s != e}
    aligned = {(m["start"], m["end"], m["label"]) for m in seed["entities"]
               if m["start"] in starts and m["end"] in ends}
    assert aligned and aligned <= back


def test_conll_round_trip_on_the_seed(seed):
    text = to_conll([seed])
    (doc,) = parse_conll(text)
    assert doc.doc_id == seed["id"]
    assert len(doc.sentences) == len(seed["sentences"])
    expected = []
    for s, e in seed["sentences"]:
        offs = [(a + s, b + s) for a, b in whitespace_tokens(seed["text"][s:e])]
        expected += spans_from_bio(offs, bio_tags(seed["entities"], offs).tags)
    assert doc.spans(seed["text"]) == expected
    # and exact for the mentions that sit on white-space token boundaries
    offs = whitespace_tokens(seed["text"])
    starts, ends = {s for s, _ in offs}, {e for _, e in offs}
    exact = {(m["start"], m["end"], m["label"]) for m in seed["entities"] if m["start"] in starts and m["end"] in ends}
    assert len(exact) > 20
    assert exact <= {(x["start"], x["end"], x["label"]) for x in doc.spans(seed["text"])}
    assert to_conll([seed]) == text


def test_conll_errors_name_the_line():
    import pytest

    with pytest.raises(InputError) as e:
        parse_conll("# doc_id = a\nword\tB-PERSON\n", "f.conll")
    assert e.value.lines() == ["f.conll:2: tag: 'B-PERSON' is not O or B-/I- with a schema label"]
    with pytest.raises(InputError) as e:
        parse_conll("word\n", "f.conll")
    assert e.value.lines() == ["f.conll:1: line: expected token<TAB>tag"]
