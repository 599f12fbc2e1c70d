"""Khabar's loaders (importable as ``khabar.loaders``): memory-mapped release access and conversions."""

from khabar.loaders.bio import (
    TokenTags,
    bio_for_tokenizer,
    bio_tags,
    spans_from_bio,
    whitespace_tokens,
)
from khabar.loaders.conll import parse_conll, to_conll
from khabar.loaders.hf import load, read_split

__all__ = [
    "TokenTags",
    "bio_for_tokenizer",
    "bio_tags",
    "load",
    "parse_conll",
    "read_split",
    "spans_from_bio",
    "to_conll",
    "whitespace_tokens",
]
