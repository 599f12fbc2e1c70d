"""Cut the public Arabic Wikinews file into articles, and normalise them, exactly as the real track's gold expects.

The file (``WikiNewsTruth.txt`` in the public GitHub repository kdarwish/Farasa, released by QCRI; Wikinews
content under CC BY 2.5) is fully diacritised, one headline or paragraph per line, with ``# <category>`` lines
opening each category; blank lines carry no meaning. The rule, version ``wikinews-cut-1``:

* a line of at most 16 words (after removing diacritics, trailing white space and quotes) that does not end in
  ``.``, ``:`` or ``،`` is a headline and opens an article, except three section headings inside one football
  report (:data:`BODY_HEADINGS`), which stay body lines;
* every other non-blank line is a paragraph of the current article.

The text of an article is its headline, then one paragraph per line, each line stripped of surrounding white
space, with the diacritics U+064B–U+0652 and U+0670 removed and Unicode NFC applied: nothing else. Offsets of the
real track's gold index that text; its SHA-256 identifies the article in any copy of the file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

CUT_RULE = "wikinews-cut-1"
NORMALISATION = "remove U+064B-U+0652 and U+0670, strip each line, NFC"
_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
BODY_HEADINGS = frozenset({"أقوال وفاق سطيف", "أقوال أهلي البرج", "النتائج"})
# Wikinews categories as the file names them (normalised) -> Khabar sections
SECTIONS = {"ثقافة": "culture", "فن": "culture", "صحة": "health", "سياسة": "politics", "علوم": "science",
            "رياضة": "sport", "اقتصاد": "economy"}


def normalise(line: str) -> str:
    """One line as the real track stores it: diacritics removed, surrounding white space stripped, NFC."""
    return unicodedata.normalize("NFC", _DIACRITICS.sub("", line).strip())


def is_headline(line: str) -> bool:
    """The cutting rule's headline test, on a normalised line."""
    bare = line.rstrip().rstrip("\"'”“«»").rstrip()
    if not bare or bare in BODY_HEADINGS:
        return False
    return len(bare.split()) <= 16 and not bare.endswith((".", ":", "،"))


@dataclass(frozen=True)
class WikinewsArticle:
    """One article cut out of the file: its position among the file's headlines, category and text."""

    position: int  # 1-based, in file order
    category: str  # as the file names it, normalised
    text: str

    @property
    def sha256(self) -> str:
        """SHA-256 of the text as UTF-8: how the real track's gold finds the article."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def headline(self) -> str:
        """The first line of the text."""
        return self.text.split("\n", 1)[0]

    @property
    def section(self) -> str | None:
        """The Khabar section of the category, when it has one."""
        return SECTIONS.get(self.category)


def cut(raw: str) -> list[WikinewsArticle]:
    """Every article of a Wikinews file, in file order; lines before the first headline are dropped."""
    out: list[WikinewsArticle] = []
    category = ""
    lines: list[str] = []

    def close() -> None:
        if lines:
            out.append(WikinewsArticle(len(out) + 1, category, "\n".join(lines)))

    for raw_line in raw.split("\n"):
        line = normalise(raw_line)
        if not line:
            continue
        if line.startswith("#"):
            close()
            lines = []
            category = normalise(line.lstrip("#"))
            continue
        if is_headline(line):
            close()
            lines = [line]
        elif lines:
            lines.append(line)
    close()
    return out
