"""``hf:<path-or-id>``: any Hugging Face token-classification model as a Khabar entity system.

The model tags word pieces; the adapter turns them back into character spans of the article's one ``text``:

- long texts run as overlapping windows (``stride``); a piece seen by several windows takes the prediction of the
  window where it has the most context on both sides, so the merge is per character span of the piece;
- first-subword labelling: a word's label is its first piece's, and the word's other pieces extend the span;
- the tags are decoded with :func:`khabar.loaders.bio.spans_from_bio`, the project's own IOB2 reader;
- spans come out flat, non-empty and trimmed of white space.

Offline by default (``local_files_only=True``); ``KHABAR_ALLOW_DOWNLOAD=1`` lets a hub id be downloaded.
torch and transformers are imported only when a model is loaded, so ``import khabar`` stays light.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import KhabarError
from khabar.extras import require
from khabar.loaders.bio import spans_from_bio
from khabar.schema import ENTITY_LABELS

ALLOW_DOWNLOAD_ENV = "KHABAR_ALLOW_DOWNLOAD"
DEFAULT_STRIDE = 32
DEFAULT_BATCH = 8

# Prefixes of the usual tagging schemes, mapped to the IOB2 prefix that means the same to spans_from_bio:
# a single-token span (S-, U-) begins one; an end (E-, L-) continues the current one.
_PREFIXES = {"B": "B-", "S": "B-", "U": "B-", "I": "I-", "E": "I-", "L": "I-", "M": "I-"}
_TAG = re.compile(r"^(?:(?P<prefix>[BIESLUM])[-_])?(?P<label>.+)$")
# Tokenizers that do not know their limit report a huge sentinel (1e30); anything above this is not a real limit.
_NO_LIMIT = 1_000_000


def iob2_tag(model_label: str) -> str | None:
    """The IOB2 tag (``O``, ``B-X`` or ``I-X``) for one of a model's labels, or None when X is not a Khabar label.

    IOB2 (``B-PER``), BIOES/BILOU (``S-``, ``E-``, ``L-``, ``U-``) and bare labels (``PER``, read as IO tagging)
    are accepted, in any case.
    """
    label = model_label.strip().upper()
    if label in ("O", "OUTSIDE"):
        return "O"
    m = _TAG.match(label)
    if m is None:
        return None
    body = m["label"]
    if body not in ENTITY_LABELS:
        return None
    # a bare label is IO tagging: consecutive tokens of one type form one span, which I- gives
    return _PREFIXES[m["prefix"]] + body if m["prefix"] else f"I-{body}"


def tag_table(id2label: Mapping[int, str], source: str = "model") -> dict[int, str]:
    """Label id → IOB2 tag; labels outside the Khabar schema become ``O``, with one warning naming them all."""
    table: dict[int, str] = {}
    dropped: list[str] = []
    for i, name in sorted((int(k), v) for k, v in id2label.items()):
        tag = iob2_tag(name)
        if tag is None:
            dropped.append(name)
        table[i] = tag or "O"
    if dropped:
        warnings.warn(f"{source}: labels outside the Khabar schema are predicted as O: {', '.join(dropped)}",
                      stacklevel=2)
    return table


def trim_spans(text: str, spans: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Spans clipped to the text, trimmed of white space at both ends, empty and overlapping ones dropped."""
    out: list[dict[str, Any]] = []
    last_end = 0
    for sp in sorted(spans, key=lambda s: (s["start"], s["end"])):
        start, end = max(0, sp["start"]), min(len(text), sp["end"])
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        # the scorer rejects crossing spans, so an overlap keeps the earlier span
        if start < end and start >= last_end:
            out.append({"start": start, "end": end, "label": sp["label"]})
            last_end = end
    return out


@dataclass
class HFSystem:
    """A loaded token-classification model as a Khabar system: call it on an input record."""

    tokenizer: Any
    model: Any
    tags: Mapping[int, str]
    max_length: int
    stride: int = DEFAULT_STRIDE
    batch_size: int = DEFAULT_BATCH

    def __call__(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The prediction record of one input record: entities only; numbers and stance stay empty."""
        return {"id": item["id"], "entities": self.entities(item["text"]), "numbers": [], "stance": []}

    def entities(self, text: str) -> list[dict[str, Any]]:
        """Entity spans (start, end, label) predicted in ``text``."""
        if not text.strip():
            return []
        tokens = self._token_predictions(text)
        offsets = [(s, e) for s, e, _, _ in tokens]
        return trim_spans(text, spans_from_bio(offsets, first_subword_tags(tokens)))

    def _token_predictions(self, text: str) -> list[tuple[int, int, int | None, str]]:
        """(start, end, word id, tag) of every text-bearing piece, in text order, merged over windows."""
        enc = self.tokenizer(text, truncation=True, max_length=self.max_length, stride=self._stride(),
                             return_overflowing_tokens=True, return_offsets_mapping=True,
                             return_special_tokens_mask=True)
        label_ids = self._label_ids(enc)
        best: dict[tuple[int, int], tuple[int, int | None, str]] = {}
        for w, ids in enumerate(label_ids):
            pieces = [(k, tuple(o)) for k, (o, special) in
                      enumerate(zip(enc["offset_mapping"][w], enc["special_tokens_mask"][w], strict=True))
                      if not special and o[0] < o[1]]
            words = enc.word_ids(w)
            for rank, (k, (s, e)) in enumerate(pieces):
                context = min(rank, len(pieces) - 1 - rank)  # distance to the window's nearer edge
                if (s, e) not in best or context > best[(s, e)][0]:
                    best[(s, e)] = (context, words[k], self.tags[ids[k]])
        ordered = sorted(best.items())
        out: list[tuple[int, int, int | None, str]] = []
        for (s, e), (_, word, tag) in ordered:
            # pieces that overlap an earlier one (byte-level pieces of one character) would break flatness
            if not out or s >= out[-1][1]:
                out.append((s, e, word, tag))
        return out

    def _stride(self) -> int:
        # the tokenizer refuses a stride that leaves no new tokens in a window
        room = self.max_length - self.tokenizer.num_special_tokens_to_add(pair=False)
        return max(0, min(self.stride, room // 2))

    def _label_ids(self, enc: Any) -> list[list[int]]:
        """The argmax label id of every token of every window, run in batches on the CPU."""
        torch = require("torch", "hf", "a Hugging Face model (hf:…)")

        windows = enc["input_ids"]
        pad = self.tokenizer.pad_token_id
        size = self.batch_size if pad is not None else 1  # without a pad token, windows cannot share a batch
        out: list[list[int]] = []
        with torch.inference_mode():
            for i in range(0, len(windows), size):
                chunk = range(i, min(i + size, len(windows)))
                batch = _batch(enc, chunk, pad if pad is not None else 0)
                logits = self.model(**batch).logits
                for row, w in enumerate(chunk):
                    out.append(logits[row, : len(windows[w])].argmax(-1).tolist())
        return out


def _batch(enc: Any, rows: range, pad: int) -> dict[str, Any]:
    """Windows ``rows`` of an encoding as padded tensors (input ids, attention mask, token types when given)."""
    torch = require("torch", "hf", "a Hugging Face model (hf:…)")

    width = max(len(enc["input_ids"][r]) for r in rows)

    def padded(key: str, fill: int) -> Any:
        return torch.tensor([list(enc[key][r]) + [fill] * (width - len(enc[key][r])) for r in rows])

    batch = {"input_ids": padded("input_ids", pad), "attention_mask": padded("attention_mask", 0)}
    if "token_type_ids" in enc:
        batch["token_type_ids"] = padded("token_type_ids", 0)
    return batch


def first_subword_tags(tokens: Sequence[tuple[int, int, int | None, str]]) -> list[str]:
    """Tags after first-subword labelling: a word's first piece keeps its tag, its other pieces continue it.

    ``tokens`` are (start, end, word id, tag) in text order; a piece with the previous piece's word id is a
    continuation, and it becomes ``I-X`` when its word is inside a span of type X, else ``O``.
    """
    tags: list[str] = []
    prev_word: int | None = None
    word_tag = "O"
    for _, _, word, tag in tokens:
        if word is not None and word == prev_word:
            tags.append("O" if word_tag == "O" else "I-" + word_tag[2:])
        else:
            word_tag = tag
            tags.append(tag)
        prev_word = word
    return tags


def _allow_download() -> bool:
    return os.environ.get(ALLOW_DOWNLOAD_ENV) == "1"


def _looks_local(path_or_id: str) -> bool:
    """True when the name can only be a folder: hub ids are ``name`` or ``owner/name``, never these."""
    return (path_or_id.startswith(("/", ".", "~")) or "\\" in path_or_id or path_or_id.count("/") > 1
            or bool(re.match(r"^[A-Za-z]:", path_or_id)))


def _resolve(path_or_id: str) -> str:
    """The folder or hub id to load, or a one-line KhabarError when it cannot be there."""
    if not path_or_id.strip():
        raise KhabarError(["hf: needs a model folder or a Hugging Face hub id, as in hf:/path/to/model"])
    local = Path(path_or_id).expanduser()
    if local.exists():
        if not local.is_dir():
            raise KhabarError([f"hf:{path_or_id}: not a folder (a saved model is a folder with config.json)"])
        if not (local / "config.json").is_file():
            raise KhabarError([f"hf:{path_or_id}: no config.json in this folder: not a saved Hugging Face model"])
        return str(local)
    if _looks_local(path_or_id):
        raise KhabarError([f"hf:{path_or_id}: no such model folder"])
    return path_or_id


def _load_error(path_or_id: str, e: Exception) -> KhabarError:
    """A one-line error for a model that could not be loaded."""
    if Path(path_or_id).expanduser().is_dir():
        why = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return KhabarError([f"hf:{path_or_id}: cannot load a token-classification model from this folder: {why}"])
    if not _allow_download():
        return KhabarError([f"hf:{path_or_id}: not a local folder and not in the Hugging Face cache; "
                            f"set {ALLOW_DOWNLOAD_ENV}=1 to download it"])
    return KhabarError([f"hf:{path_or_id}: cannot download or load it (no network, or no such model on the hub)"])


def _max_length(tokenizer: Any, config: Any) -> int:
    """The longest window the model accepts, special tokens included."""
    positions = getattr(config, "max_position_embeddings", None)
    if positions is not None and "roberta" in getattr(config, "model_type", ""):
        positions -= 2  # RoBERTa-style models number positions from padding_idx + 1
    limits = [n for n in (tokenizer.model_max_length, positions) if n is not None and 0 < n < _NO_LIMIT]
    return min(limits) if limits else 512


def load_hf_system(path_or_id: str, *, stride: int = DEFAULT_STRIDE, batch_size: int = DEFAULT_BATCH) -> HFSystem:
    """A Khabar system running the Hugging Face token-classification model at ``path_or_id`` on the CPU.

    ``path_or_id`` is a saved model folder or, with ``KHABAR_ALLOW_DOWNLOAD=1`` (or a model already in the
    Hugging Face cache), a hub id. A fast tokenizer is required: its offset mapping is how word pieces find their
    characters. Raises :class:`KhabarError` with one line when the model cannot be loaded.
    """
    target = _resolve(path_or_id)
    transformers = require("transformers", "hf", "a Hugging Face model (hf:…)")

    kwargs = {"local_files_only": not _allow_download()}
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(target, **kwargs)
        model = transformers.AutoModelForTokenClassification.from_pretrained(target, **kwargs)
    except (OSError, ValueError, KeyError) as e:  # missing files, bad repo ids, unknown model types
        raise _load_error(path_or_id, e) from None
    if not getattr(tokenizer, "is_fast", False):
        raise KhabarError([f"hf:{path_or_id}: needs a fast tokenizer (tokenizer.json) for its offset mapping"])
    model.to("cpu").eval()
    tags = tag_table(model.config.id2label, f"hf:{path_or_id}")
    return HFSystem(tokenizer, model, tags, _max_length(tokenizer, model.config), stride, batch_size)
