"""Turn a scraped news page (plain text as saved by the crawler) into article metadata and text.

The scraper keeps page furniture around the article: a date line, a time line, the photo caption (twice: alt
text and visible caption), the byline, the ``A A`` font-size widget and a trailing ``search`` label. Those are
separated from the body; the article's own characters are kept as they are, NFC being the only change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from khabar.months import MONTHS

_WEEKDAYS = ("السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")
_DATE = re.compile(r"^(?:(?:{})،?\s*)?(\d{{1,2}})\s+({})\s+(\d{{4}})$".format("|".join(_WEEKDAYS), "|".join(MONTHS)))
_TIME = re.compile(r"^(\d{1,2}):(\d{2})\s*([صم])?$")
_WIDGETS = frozenset({"A A", "search", "بحث", "شارك", "مشاركة"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@dataclass(frozen=True)
class Scraped:
    """What a scraped page holds, separated."""

    headline: str
    paragraphs: tuple[str, ...]
    published: str | None
    byline: str | None
    captions: tuple[str, ...]

    @property
    def text(self) -> str:
        """Headline on the first line, then one paragraph per line."""
        return "\n".join((self.headline, *self.paragraphs))


def parse_scraped(raw: str) -> Scraped:
    """Separate page furniture from the article in a scraped page."""
    lines = [unicodedata.normalize("NFC", ln).strip() for ln in raw.splitlines()]
    lines = [ln for ln in lines if ln]
    date = time = None
    if lines and (m := _DATE.match(lines[0].translate(_DIGITS))):
        date = f"{int(m.group(3)):04d}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
        lines = lines[1:]
    if lines and (m := _TIME.match(lines[0].translate(_DIGITS))):
        hour = int(m.group(1)) % 12 + (12 if m.group(3) == "م" else 0) if m.group(3) else int(m.group(1))
        time = f"{hour:02d}:{m.group(2)}"
        lines = lines[1:]
    headline, rest = lines[0], lines[1:]
    captions = tuple(rest[i] for i in range(len(rest) - 1) if rest[i] == rest[i + 1])
    rest = [ln for ln in rest if ln not in captions]
    byline = None
    if "A A" in rest:
        k = rest.index("A A")
        if k > 0 and len(rest[k - 1].split()) <= 4:
            byline = rest[k - 1]
            rest = rest[:k - 1] + rest[k:]
    body = tuple(ln for ln in rest if ln not in _WIDGETS)
    published = f"{date}T{time}" if date and time else date
    return Scraped(headline, body, published, byline, captions)
