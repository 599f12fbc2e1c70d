"""``entities-crf``: a linear-chain CRF (CRFsuite through python-crfsuite) trained on the train split.

**Tokens.** A regex over the stored text gives words and single punctuation marks, offsets kept (the text is
never rewritten). A word's leading proclitic و ف ب ل ك becomes a token of its own when what follows has at least
three letters and is either a word of the training vocabulary (words of the train texts and of their gold
entity surfaces), begins with ``ال``, or is itself such a split (E1's pairs وب، ول، فل، وك, so ``وبالرئيس`` →
``و`` + ``ب`` + ``الرئيس``). ``لل`` always splits after the first lam (``للأمم`` → ``ل`` + ``لأمم``), as E1 says.
So gold spans, which never contain a proclitic, fall on token boundaries.

**Tags.** IOB2 from the gold spans with :func:`khabar.loaders.bio.bio_tags`, one sequence per sentence
(:func:`khabar.sentences.split_sentences`); decoded with :func:`khabar.loaders.bio.spans_from_bio`, and a span
that begins with a proclitic token or ends with punctuation is trimmed to the words.

**Features** of a token: bias; the word; the word without ``ال``; prefixes and suffixes of 1–3 letters;
all digits; has an Arabic-Indic digit; word shape (``a`` Arabic letter, ``L``/``l`` Latin, ``d`` digit, runs
collapsed); is a split proclitic; gazetteer membership as an IOB2 tag of a gazetteer match (the gazetteer of
:mod:`khabar.systems.gazetteer`); flags for a title, an organisation head noun, a country nisba and a stop word.
The word, its ``ال``-less form, shape, gazetteer tag and flags of the tokens at −2 … +2 are features too.
During training the gazetteer feature comes from a 5-fold jackknife (each fold's gazetteer is built from the
other folds), so the CRF does not learn that gazetteer membership is always right, which it only is on the
data the gazetteer was built from.

**Training** is L-BFGS with fixed ``c1 = 0.1`` and ``c2 = 0.1`` (the sklearn-crfsuite tutorial's values; nothing is
tuned on validation or test), 200 iterations, all transitions. Input order is the article id order, so the same
gold gives the same model bytes. The model is ``entities-crf.crfsuite`` with ``entities-crf.json`` beside it
(vocabulary and gazetteer the tokeniser and features need at prediction time).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.extras import require
from khabar.loaders.bio import bio_tags, spans_from_bio
from khabar.sentences import split_sentences
from khabar.systems.gazetteer import (
    CONSTRUCT_TITLES,
    DEFINITE_HEADS,
    HEAD_NOUNS,
    PROCLITICS,
    STOP,
    TITLES,
    Candidate,
    Gazetteer,
    build_gazetteer,
    load_cached,
    resolve,
    strip_al,
    tokenize,
)

NAME = "entities-crf"
MODEL_FILE = "entities-crf.crfsuite"
SIDE_FILE = "entities-crf.json"
FORMAT = "khabar-crf/1"
PARAMS = {"c1": 0.1, "c2": 0.1, "max_iterations": 200, "feature.possible_transitions": True}
FOLDS = 5
_INDIC = set("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
_CONJ_PREP = frozenset(a + b for a in "وف" for b in "بلك")


@dataclass(frozen=True)
class Tok:
    """A CRF token: offsets, string, and whether it is a proclitic split off a word."""

    start: int
    end: int
    text: str
    clitic: bool = False


def _one_clitic(word: str, vocab: frozenset[str]) -> bool:
    rest = word[1:]
    return (word[0] in PROCLITICS and len(rest) >= 3
            and (rest in vocab or rest.startswith("ال") or word.startswith("لل")))


def clitic_length(word: str, vocab: frozenset[str]) -> int:
    """How many leading proclitic letters of ``word`` become tokens of their own (0, 1 or 2)."""
    if word[:2] in _CONJ_PREP and _one_clitic(word[1:], vocab):
        return 2
    return 1 if _one_clitic(word, vocab) else 0


def crf_tokens(text: str, vocab: frozenset[str], start: int = 0, end: int | None = None) -> list[Tok]:
    """Tokens of ``text[start:end]`` with leading proclitics split off by the rule in the module docstring."""
    out: list[Tok] = []
    for t in tokenize(text[start:end]):
        s = t.start + start
        n = clitic_length(t.text, vocab) if t.is_word else 0
        out += [Tok(s + k, s + k + 1, t.text[k], True) for k in range(n)]
        out.append(Tok(s + n, s + len(t.text), t.text[n:]))
    return out


def _shape(w: str) -> str:
    out: list[str] = []
    for ch in w:
        c = ("d" if ch.isdigit() else "a" if "\u0600" <= ch <= "\u06ff" else ("L" if ch.isupper() else "l")
             if ch.isalpha() else ch)
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _base(tok: Tok, gaz_tag: str, gaz: Gazetteer) -> dict[str, str]:
    w = tok.text
    flags = {
        "title": w in TITLES or w in CONSTRUCT_TITLES,
        "head": w in HEAD_NOUNS or w in DEFINITE_HEADS,
        "nisba": gaz.is_country_nisba(w),
        "stop": w in STOP,
        "clitic": tok.clitic,
    }
    return {"w": w, "n": strip_al(w), "shape": _shape(w), "gaz": gaz_tag,
            **{k: "1" for k, v in flags.items() if v}}


def sequence_features(text: str, toks: Sequence[Tok], gaz: Gazetteer) -> list[dict[str, Any]]:
    """The feature dicts of one token sequence (see the module docstring)."""
    offsets = [(t.start, t.end) for t in toks]
    gspans = resolve(Candidate(c.start, c.end, c.label, 0) for c in gaz.matches(text, tokenize(text))
                     if any(c.start <= s and e <= c.end for s, e in offsets))
    gtags = bio_tags(gspans, offsets).tags
    base = [_base(t, g or "O", gaz) for t, g in zip(toks, gtags, strict=True)]
    feats: list[dict[str, Any]] = []
    for i, t in enumerate(toks):
        w = t.text
        f: dict[str, Any] = {"bias": 1.0, **{k: v for k, v in base[i].items()}}
        for n in (1, 2, 3):
            f[f"p{n}"] = w[:n]
            f[f"s{n}"] = w[-n:]
        if w.isdigit():
            f["digit"] = 1.0
        if _INDIC & set(w):
            f["indic"] = 1.0
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(toks):
                for k in ("w", "n", "shape", "gaz", "title", "head", "nisba", "stop"):
                    if k in base[j]:
                        f[f"{d:+d}:{k}"] = base[j][k]
            else:
                f[f"{d:+d}:edge"] = 1.0
        feats.append(f)
    return feats


def _sentences(article: Mapping[str, Any], vocab: frozenset[str]) -> list[list[Tok]]:
    text = article["text"]
    seqs = [crf_tokens(text, vocab, s, e) for s, e in split_sentences(text)]
    return [s for s in seqs if s]


def vocabulary(articles: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    """Words of the train texts and of their gold entity surfaces (the tokeniser's proclitic test)."""
    words = {t.text for a in articles for t in tokenize(a["text"]) if t.is_word}
    words |= {t.text for a in articles for m in a["entities"] for t in tokenize(a["text"][m["start"]:m["end"]])}
    return frozenset(words)


def training_data(articles: Sequence[Mapping[str, Any]]) -> tuple[list[tuple[list[dict[str, Any]], list[str]]],
                                                                   dict[str, Any]]:
    """(feature sequence, tag sequence) pairs of the train-split articles, and the side data to store."""
    arts = sorted((a for a in articles if a.get("split") == "train"), key=lambda a: a["id"])
    vocab = vocabulary(arts)
    data = []
    for idx, a in enumerate(arts):
        fold_gaz = Gazetteer(build_gazetteer(b for k, b in enumerate(arts) if k % FOLDS != idx % FOLDS))
        for toks in _sentences(a, vocab):
            tags = bio_tags(a["entities"], [(t.start, t.end) for t in toks]).tags
            data.append((sequence_features(a["text"], toks, fold_gaz), [t or "O" for t in tags]))
    side = {"format": FORMAT, "params": PARAMS, "vocabulary": sorted(vocab), "gazetteer": build_gazetteer(arts)}
    return data, side


def train_crf(articles: Sequence[Mapping[str, Any]], out_dir: Path) -> Path:
    """Train on the train-split articles; write the model and its side file into ``out_dir``; the model path."""
    pycrfsuite = require("pycrfsuite", "baselines", "the entities-crf system")

    from khabar.errors import KhabarError
    from khabar.jsonio import write_many_atomic

    data, side = training_data(articles)
    if not data:
        raise KhabarError([f"{NAME}: no train-split sentence to train on"])
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(PARAMS)
    for xseq, yseq in data:
        trainer.append(xseq, yseq)
    with tempfile.TemporaryDirectory() as tmp:
        trainer.train(str(Path(tmp) / MODEL_FILE))
        model = (Path(tmp) / MODEL_FILE).read_bytes()
    side_text = json.dumps(side, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    write_many_atomic({out_dir / MODEL_FILE: model, out_dir / SIDE_FILE: side_text})
    return out_dir / MODEL_FILE


class CrfModel:
    """A trained CRF with the vocabulary and gazetteer its tokens and features need."""

    def __init__(self, model: bytes, side: Mapping[str, Any]):
        pycrfsuite = require("pycrfsuite", "baselines", "the entities-crf system")

        # CRFsuite reads the buffer in place without copying it: it must live as long as the tagger
        self._model = model
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open_inmemory(self._model)
        self.vocab = frozenset(side["vocabulary"])
        self.gaz = Gazetteer(side["gazetteer"])

    def entities(self, text: str) -> list[dict[str, Any]]:
        """Entity spans of ``text``, sentence by sentence, trimmed of proclitics and punctuation."""
        spans: list[dict[str, Any]] = []
        for s, e in split_sentences(text):
            toks = crf_tokens(text, self.vocab, s, e)
            if not toks:
                continue
            tags = self.tagger.tag(sequence_features(text, toks, self.gaz))
            for sp in spans_from_bio([(t.start, t.end) for t in toks], tags):
                inside = [t for t in toks if sp["start"] <= t.start and t.end <= sp["end"]]
                # E1: a proclitic is never inside a span; nor is punctuation at either edge
                while inside and (inside[0].clitic or not inside[0].text[0].isalnum()):
                    inside.pop(0)
                while inside and not inside[-1].text[-1].isalnum():
                    inside.pop()
                if inside:
                    spans.append({"start": inside[0].start, "end": inside[-1].end, "label": sp["label"]})
        return spans


def model_path(models: Path | None = None) -> Path:
    """Where ``khabar train`` writes the CRF (default: ``benchmarks/models/`` of the checkout)."""
    from khabar.train import models_dir

    return (models or models_dir()) / MODEL_FILE


def _read(path: Path) -> CrfModel:
    return CrfModel(path.read_bytes(), json.loads((path.parent / SIDE_FILE).read_text(encoding="utf-8")))


def load_model(path: Path | None = None) -> CrfModel:
    """The trained CRF (lazily read, cached)."""
    path = path or model_path()
    if not (path.parent / SIDE_FILE).exists():
        load_cached(path.parent / SIDE_FILE, NAME, _read)  # raises the one-line "run khabar train" error
    return load_cached(path, NAME, _read)


def predict(item: Mapping[str, Any]) -> dict[str, Any]:
    """The entities-crf prediction for one input record."""
    return {"id": item["id"], "entities": load_model().entities(item["text"]), "numbers": [], "stance": []}
