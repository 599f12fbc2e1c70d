"""The compiled regular expressions of the number scanner, built once from the word tables.

The scanner makes one pass over the text with :data:`ATOM`, a single expression whose word part is a trie of every
number word and month name, so the regex engine (not Python) skips the ordinary words in between. The other
patterns are only tried, anchored, at the edges of an expression once one is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from khabar.months import MONTHS as _MONTH_NAMES
from khabar.numbers.digits import DIGIT_CLASS
from khabar.numbers.lexicon import APPROXIMATORS, DIACRITICS, SPELLINGS, YEAR_WORDS, fold

D = f"[{DIACRITICS}]*"
HS = r"[^\S\n]"  # any white space but a line break: an expression never runs into the next paragraph
_LETTER = rf"[\w{DIACRITICS}]"
# Writers drop hamzas and dots (أ → ا, ة → ه, ي → ى) but do not add them, so only a written hamza or dot opens up.
_VARIANTS = {"أ": "[اأإآ]", "إ": "[اأإآ]", "آ": "[اأإآ]", "ا": "[اٱ]", "ة": "[هة]", "ي": "[يى]", "ى": "[يى]"}


def _char(c: str) -> str:
    if c == " ":
        return f"{HS}+"
    return _VARIANTS.get(c, re.escape(c)) + D


def trie_regex(words: Iterable[str]) -> str:
    """A regex (no groups) for written ``words``, factored as a trie; dropped hamzas and any diacritics allowed."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [_char(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # Longer words first: the optional tail is greedy, and the word boundary after the trie backtracks.
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def phrases_regex(phrases: Iterable[str]) -> str:
    """A regex for multi-word ``phrases`` (spelling variants allowed), each word boundary any horizontal space."""
    return trie_regex(" ".join(p.split()) for p in phrases)


_MONTH_SPELLINGS = tuple(_MONTH_NAMES)
_DIG = f"[{DIGIT_CLASS}]"
DIGITS = f"{_DIG}+(?:[.,٫٬]{_DIG}+)*"
MONTHS = trie_regex(_MONTH_SPELLINGS)

ATOM = re.compile(
    rf"(?<!{_LETTER})"
    # A proclitic is tried last (lazy), so واحد and بضعة stay whole words.
    rf"(?P<pre>(?:[وف]{D})??(?:[بكل]{D})??)"
    rf"(?P<art>ال{D}|(?<=ل)ل{D})?"
    rf"(?:ـ*(?P<dig>{DIGITS})(?!{_DIG})|(?P<w>{trie_regex([*SPELLINGS, *_MONTH_SPELLINGS])})(?!{_LETTER}))"
)
# Between two words of one expression: white space, perhaps with a free-standing و.
GAP = re.compile(rf"{HS}+(?:(و){D}{HS}+)?")

PERCENT = re.compile(rf"{HS}*[٪%]|{HS}+{phrases_regex(['في المئة', 'في المائة', 'بالمئة', 'بالمائة'])}(?!{_LETTER})")
NEXT_WORDS = re.compile(rf"{HS}+(?P<w1>[^\W\d_]{_LETTER}*)(?:{HS}+(?P<w2>[^\W\d_]{_LETTER}*))?")
_APPROX = {" ".join(fold(p).split()): a for p, a in APPROXIMATORS}
APPROX_BEFORE = re.compile(rf"(?<!{_LETTER})(?:[وفبل]{D})?(?P<a>{phrases_regex(p for p, _ in APPROXIMATORS)}){HS}+\Z")
APPROX_AFTER = re.compile(
    rf"(?:{HS}+[^\W\d_]{_LETTER}*)?{HS}+(?P<a>{phrases_regex(['على الأقل', 'تقريبا', 'فأكثر', 'أو أكثر'])})"
    rf"(?!{_LETTER})"
)
YEAR_BEFORE = re.compile(rf"(?<!{_LETTER})(?:[وفبل]{D})?(?:{phrases_regex(YEAR_WORDS)}){HS}+\Z")
YEAR_END = re.compile(rf"{HS}*(?:[^\w\s{DIACRITICS}]|\n|\Z)")
_SLASH_MONTH = rf"(?:{HS}*/{HS}*{MONTHS})?"
MONTH_YEAR = re.compile(
    rf"{_SLASH_MONTH}{HS}+(?:(?:من{HS}+)?(?:عام|سنة){HS}+)?(?P<y>{_DIG}{{4}})(?!{_DIG})"
)
DAY_MONTH_YEAR = re.compile(rf"{HS}+(?P<m>{MONTHS}){_SLASH_MONTH}{HS}+(?P<y>{_DIG}{{4}})(?!{_DIG})")
HIJRI_MONTH_BEFORE = re.compile(rf"(?:{phrases_regex(['ربيع', 'جمادى'])}){HS}+\Z")
APPROX_KIND = _APPROX
AFTER_KIND = {fold("على الأقل"): "at_least", fold("تقريبا"): "approx", fold("فأكثر"): "at_least",
              fold("أو أكثر"): "at_least"}
# The last characters an approximator can end with (any spelling variant or diacritic): a prefilter for the search.
APPROX_LAST = frozenset(
    {c for phrase, _ in APPROXIMATORS for c in _VARIANTS.get(phrase[-1], phrase[-1]).strip("[]")}
    | {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}
)
