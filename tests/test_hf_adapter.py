"""The ``hf:<path>`` adapter: a Hugging Face token-classification model as a Khabar system.

These tests prove the plumbing offline with a random model (no download): a tiny WordPiece tokenizer is trained
here on the seed article and a tiny BERT is randomly initialised and saved in a temporary folder. Its random
predictions say nothing about quality; where a test needs known predictions it forces the logits, and checks
that the character spans the adapter returns are exactly what the tokenizer's own offsets give.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from khabar.loaders import spans_from_bio

from khabar.cli import main
from khabar.predictions import read_predictions, to_input, write_jsonl
from khabar.schema import ENTITY_LABELS, PREDICTION, check_record
from khabar.systems import get
from khabar.systems.hf_adapter import first_subword_tags, iob2_tag, load_hf_system

LABELS = ["O", "B-PER", "I-PER", "B-GPE", "I-GPE", "B-MISC"]
MAX_POSITIONS = 64


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, seed) -> Path:
    """A tiny random BERT token classifier and its WordPiece tokenizer, saved in a temporary folder."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from tokenizers.processors import TemplateProcessing
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    out = tmp_path_factory.mktemp("tiny-bert")
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    # a small vocabulary so that many words split into several pieces
    trainer = trainers.WordPieceTrainer(vocab_size=300, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"])
    tok.train_from_iterator(seed["text"].splitlines(), trainer)
    tok.post_processor = TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]",
                                   pad_token="[PAD]")
    fast.save_pretrained(out)
    config = BertConfig(vocab_size=len(fast), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=37, max_position_embeddings=MAX_POSITIONS, num_labels=len(LABELS),
                        id2label=dict(enumerate(LABELS)), label2id={lab: i for i, lab in enumerate(LABELS)})
    torch.manual_seed(0)
    BertForTokenClassification(config).save_pretrained(out)
    return out


@pytest.fixture()
def system(model_dir, monkeypatch):
    """The adapter over the tiny model, loaded offline."""
    monkeypatch.delenv("KHABAR_ALLOW_DOWNLOAD", raising=False)
    with pytest.warns(UserWarning, match="outside the Khabar schema.*MISC"):
        return load_hf_system(str(model_dir))


def _force(system, label: str) -> None:
    """Make every token predict ``label``, whatever its input."""
    import torch

    with torch.no_grad():
        system.model.classifier.weight.zero_()
        system.model.classifier.bias.fill_(-10.0)
        system.model.classifier.bias[LABELS.index(label)] = 10.0


def _pieces(system, text: str) -> list[tuple[int, int, int | None]]:
    """(start, end, word id) of every text-bearing piece of the whole text, from the tokenizer itself."""
    enc = system.tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)
    return [(s, e, w) for (s, e), w in zip(enc["offset_mapping"], enc.word_ids(), strict=True) if s < e]


def _assert_valid(rec: dict, text: str) -> None:
    assert check_record(PREDICTION, rec) == []
    ents = rec["entities"]
    for m in ents:
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert m["label"] in ENTITY_LABELS
        surface = text[m["start"]:m["end"]]
        assert surface == surface.strip()
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(ents))  # flat, in text order


def test_random_model_gives_valid_predictions_over_several_windows(system, seed):
    text = seed["text"]
    assert len(_pieces(system, text)) > 10 * MAX_POSITIONS  # so the sliding windows are exercised
    rec = system(to_input(seed))
    assert rec["id"] == seed["id"] and rec["numbers"] == [] and rec["stance"] == []
    _assert_valid(rec, text)
    padded = "  \n" + text[:500] + "\n\n  "
    _assert_valid(system({"id": "x", "text": padded, "targets": []}), padded)
    assert system({"id": "e", "text": " \n ", "targets": []})["entities"] == []


def test_alignment_is_exact_across_windows(system, seed):
    """Predictions that depend on the piece only: the windows' merge must equal decoding the whole text."""
    from transformers.modeling_outputs import TokenClassifierOutput

    rule = {0: "B-GPE", 1: "I-GPE", 2: "O"}
    ids = {lab: LABELS.index(lab) for lab in rule.values()}

    def forward(input_ids, **_):
        import torch

        logits = torch.full((*input_ids.shape, len(LABELS)), -10.0)
        for r, lab in rule.items():
            logits[..., ids[lab]] = torch.where(input_ids % 3 == r, 10.0, -10.0)
        return TokenClassifierOutput(logits=logits)

    system.model.forward = forward
    text = seed["text"]
    enc = system.tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)
    pieces = [(s, e, w, rule[i % 3]) for (s, e), w, i in
              zip(enc["offset_mapping"], enc.word_ids(), enc["input_ids"], strict=True) if s < e]
    expected = spans_from_bio([(s, e) for s, e, _, _ in pieces], first_subword_tags(pieces))
    assert len(expected) > 20
    assert system.entities(text) == expected


def test_a_word_of_several_pieces_is_one_span(system, seed):
    _force(system, "B-GPE")
    text = seed["text"][:400]
    pieces = _pieces(system, text)
    words: dict[int, list[tuple[int, int]]] = {}
    for s, e, w in pieces:
        words.setdefault(w, []).append((s, e))
    expected = [{"start": ps[0][0], "end": ps[-1][1], "label": "GPE"} for _, ps in sorted(words.items())]
    got = system.entities(text)
    assert got == expected
    assert got == spans_from_bio([(ps[0][0], ps[-1][1]) for _, ps in sorted(words.items())], ["B-GPE"] * len(words))
    split = [ps for ps in words.values() if len(ps) >= 3]
    assert split, "the tiny vocabulary should split some words"
    ps = split[0]
    span = {"start": ps[0][0], "end": ps[-1][1], "label": "GPE"}
    assert span in got and " " not in text[span["start"]:span["end"]]


def test_inside_tags_continue_one_span_over_window_boundaries(system, seed):
    _force(system, "I-GPE")
    text = seed["text"]
    pieces = _pieces(system, text)
    assert system.entities(text) == [{"start": pieces[0][0], "end": pieces[-1][1], "label": "GPE"}]


def test_a_label_outside_the_schema_is_dropped(system, seed):
    _force(system, "B-MISC")
    assert system(to_input(seed))["entities"] == []


@pytest.mark.parametrize(("label", "tag"), [
    ("O", "O"), ("B-PER", "B-PER"), ("I-ORG", "I-ORG"), ("S-GPE", "B-GPE"), ("U-LOC", "B-LOC"),
    ("E-FAC", "I-FAC"), ("L-NORP", "I-NORP"), ("b-per", "B-PER"), ("B_ORG", "B-ORG"), ("PER", "I-PER"),
    ("MISC", None), ("B-MISC", None), ("B-PERSON", None),
])
def test_model_labels_map_to_iob2(label, tag):
    assert iob2_tag(label) == tag


def test_predict_end_to_end_through_the_cli(model_dir, seed, tmp_path, monkeypatch):
    monkeypatch.delenv("KHABAR_ALLOW_DOWNLOAD", raising=False)
    inp, out = tmp_path / "in.jsonl", tmp_path / "pred.jsonl"
    write_jsonl(inp, [to_input(seed)])
    with pytest.warns(UserWarning, match="MISC"):
        assert main(["predict", "--system", f"hf:{model_dir}", "--input", str(inp), "--output", str(out)]) == 0
    preds = read_predictions(out, {seed["id"]: seed["text"]})  # strict: raises on any invalid field or offset
    assert set(preds.by_id) == {seed["id"]}
    assert get(f"hf:{model_dir}") is get(f"hf:{model_dir}")  # loaded once per name


@pytest.mark.parametrize("name", ["hf:{tmp}/no-such-model", "hf:{tmp}", "hf:no-such-owner/no-such-model", "hf:"])
def test_a_model_that_is_not_there_is_one_line_and_status_1(name, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KHABAR_ALLOW_DOWNLOAD", raising=False)
    inp = tmp_path / "in.jsonl"
    write_jsonl(inp, [{"id": "a", "text": "نص", "targets": []}])
    code = main(["predict", "--system", name.format(tmp=tmp_path), "--input", str(inp),
                 "--output", str(tmp_path / "out.jsonl")])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("hf:") and "Traceback" not in err
    assert not (tmp_path / "out.jsonl").exists()


def test_importing_khabar_systems_does_not_import_torch():
    code = "import sys, khabar.systems; assert not {'torch', 'transformers'} & set(sys.modules), sys.modules.keys()"
    subprocess.run([sys.executable, "-c", code], check=True)
