"""CoNLL-style token files: ``token<TAB>tag`` lines, a blank line between sentences, and a
``# doc_id = ID`` comment (CoNLL-U style) opening each document.

:func:`to_conll` writes an article's entity layer on white-space tokens sentence by sentence;
:func:`parse_conll` reads such a file back, and with the article texts recovers character spans by finding each
token in the text in order (tokens are never re-joined into a new text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from khabar.loaders.bio import bio_tags, spans_from_bio, whitespace_tokens

from khabar.errors import InputError
from khabar.schema import ENTITY_LABELS, Problem


@dataclass
class ConllDoc:
    """One document of a CoNLL file: sentences of (token, tag) pairs."""

    doc_id: str
    sentences: list[list[tuple[str, str]]] = field(default_factory=list)

    def spans(self, text: str) -> list[dict[str, Any]]:
        """Entity spans over ``text``, found by locating every token in order."""
        offsets, tags, pos = [], [], 0
        for sent in self.sentences:
            for tok, tag in sent:
                start = text.find(tok, pos)
                if start < 0:
                    raise InputError([Problem("token", f"{tok!r} not found in the text of {self.doc_id!r}",
                                              self.doc_id, 0)])
                offsets.append((start, start + len(tok)))
                tags.append(tag)
                pos = start + len(tok)
        return spans_from_bio(offsets, tags)


def to_conll(articles: Iterable[Mapping[str, Any]]) -> str:
    """CoNLL text of the articles' entity layers."""
    out: list[str] = []
    for a in articles:
        out.append(f"# doc_id = {a['id']}")
        for s, e in a["sentences"]:
            toks = [(ts + s, te + s) for ts, te in whitespace_tokens(a["text"][s:e])]
            tt = bio_tags(a["entities"], toks)
            out += [f"{a['text'][ts:te]}\t{tag}" for (ts, te), tag in zip(tt.offsets, tt.tags, strict=True)]
            out.append("")
    return "\n".join(out) + ("\n" if out else "")


def parse_conll(text: str, name: str = "<conll>") -> list[ConllDoc]:
    """Documents of a CoNLL file; ``-DOCSTART-`` lines are accepted as document breaks too."""
    docs: list[ConllDoc] = []
    sent: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal sent
        if sent:
            if not docs:
                docs.append(ConllDoc(""))
            docs[-1].sentences.append(sent)
            sent = []

    for i, line in enumerate(text.split("\n"), 1):
        if line.startswith("# doc_id = ") or line.startswith("-DOCSTART-"):
            flush()
            docs.append(ConllDoc(line[len("# doc_id = "):].strip() if line.startswith("#") else ""))
        elif line.startswith("#"):
            continue
        elif not line.strip():
            flush()
        else:
            parts = line.split("\t")
            if len(parts) < 2:
                raise InputError([Problem("line", "expected token<TAB>tag", name, i)])
            tag = parts[-1]
            if tag != "O" and not (tag[:2] in ("B-", "I-") and tag[2:] in ENTITY_LABELS):
                raise InputError([Problem("tag", f"{tag!r} is not O or B-/I- with a schema label", name, i)])
            sent.append((parts[0], tag))
    flush()
    return docs
