"""A grammatical renderer of integers as Arabic number words: the test oracle for the forms num2words gets wrong.

It writes what an editor would: the counted-noun agreement of scale words (ثلاثة آلاف, أحد عشر ألفًا, مئة ألف),
duals (ألفان, مليونين), the construct state before a scale (مئتا ألف) and both case forms.
"""

from __future__ import annotations

from dataclasses import dataclass

_UNITS = ("", "واحد", "", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة")
_TENS = ("", "", "عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")
_HUNDRED_STEMS = ("", "", "", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")
# singular, dual nominative, dual accusative/genitive, plural (after 3–10), singular accusative (after 11–99)
_SCALES = (
    (10**9, "مليار", "ملياران", "مليارين", "مليارات", "مليارًا"),
    (10**6, "مليون", "مليونان", "مليونين", "ملايين", "مليونًا"),
    (10**3, "ألف", "ألفان", "ألفين", "آلاف", "ألفًا"),
)


@dataclass(frozen=True)
class Style:
    """How to write: case (nominative or not), ``مئة`` or ``مائة``, and whether و stands apart (``و عشرون``)."""

    nominative: bool = True
    hundred: str = "مئة"
    spaced_wa: bool = False


def _two(n: int, style: Style) -> str:
    two = "اثنان" if style.nominative else "اثنين"
    if n < 10:
        return two if n == 2 else _UNITS[n]
    if n == 10:
        return "عشرة"
    if n < 20:
        head = {11: "أحد", 12: "اثنا" if style.nominative else "اثني"}.get(n) or _UNITS[n - 10]
        return f"{head} عشر"
    tens = _TENS[n // 10] + ("ون" if style.nominative else "ين")
    unit = n % 10
    return tens if unit == 0 else _and([two if unit == 2 else _UNITS[unit], tens], style)


def _and(parts: list[str], style: Style) -> str:
    return (" و " if style.spaced_wa else " و").join(p for p in parts if p)


def _three(n: int, style: Style, *, construct: bool = False) -> str:
    h, rest = divmod(n, 100)
    if h == 0:
        head = ""
    elif h == 1:
        head = style.hundred
    elif h == 2:
        stem = style.hundred[:-1]  # مئ / مائ
        head = stem + ("تا" if construct and rest == 0 else "تان") if style.nominative else \
            stem + ("تي" if construct and rest == 0 else "تين")
    else:
        head = _HUNDRED_STEMS[h] + style.hundred
    return _and([head, _two(rest, style) if rest else ""], style)


def _group(g: int, scale: tuple[int, str, str, str, str, str], style: Style) -> str:
    _, single, dual_nom, dual_acc, plural, single_acc = scale
    if g == 1:
        return single
    if g == 2:
        return dual_nom if style.nominative else dual_acc
    last_two = g % 100
    if 3 <= last_two <= 10:
        noun = plural
    elif last_two >= 11:
        noun = single_acc
    else:
        noun = single
    return f"{_three(g, style, construct=True)} {noun}"


def render(n: int, style: Style | None = None) -> str:
    """``n`` (0 to 10**12) in Arabic words; masculine counting forms."""
    style = style or Style()
    if not 0 <= n <= 10**12:
        raise ValueError(f"{n} is outside 0..10**12")
    if n == 0:
        return "صفر"
    if n == 10**12:
        return "تريليون"
    parts = []
    for scale in _SCALES:
        g, n = divmod(n, scale[0])
        if g:
            parts.append(_group(g, scale, style))
    if n:
        parts.append(_three(n, style))
    return _and(parts, style)
