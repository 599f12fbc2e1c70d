"""The number scanner: every numeric expression of a text, with its span and fields (guidelines section 4).

One regex pass (:data:`~khabar.numbers.patterns.ATOM`) finds the number words, digit runs and month names; the
atoms are then grouped into expressions by a small grammar (scale words, teens, ``و`` compounds, fractions), and
only then is the context read: an approximator before, a percent marker, currency, unit or time noun after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from khabar.numbers import patterns as P
from khabar.numbers.digits import parse_digits
from khabar.numbers.lexicon import (
    CURRENCIES,
    CURRENCY_ADJECTIVES,
    CURRENCY_STEMS,
    FATHATAN,
    MONTH_WORDS,
    SHORT,
    TIME_NOUNS,
    UNITS,
    WORDS,
    Entry,
    fold,
)
from khabar.numbers.result import NumberSpan, ParsedNumber
from khabar.schema import FLOAT_MAX

_fold = lru_cache(maxsize=65536)(fold)  # the words after numbers repeat: fold each spelling once
_NUMERIC = frozenset({"digits", "unit", "ten10", "ten", "hundred", "teen"})
# Characters of left context read for an approximator (ما لا يزيد على with proclitic, diacritics and spaces
# fits) or a year word.
_APPROX_WINDOW = 40
_YEAR_WINDOW = 16
_SPACE = frozenset(" \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")


def _may_end_approximator(text: str, start: int) -> bool:
    # A cheap test before the regex search: the word before the number must end like an approximator.
    k = start - 1
    while k >= 0 and text[k] in _SPACE:
        k -= 1
    return k < start - 1 and k >= 0 and text[k] in P.APPROX_LAST


@dataclass(slots=True)
class _Tok:
    start: int  # with the proclitic
    core: int  # after the proclitic: where a span starts
    end: int
    wa: bool  # written with a proclitic و
    other_pre: bool  # written with another proclitic (ب, ل, ف, ...)
    art: bool
    cls: str
    value: float
    entry: Entry | None
    raw: str


@dataclass(slots=True)
class _Expr:
    """An expression before its context is read."""

    first: int  # index of the first atom
    stop: int  # index after the last atom
    core: int
    end: int
    kind: str
    value: float | None
    approx: str = "exact"
    unit: str | None = None
    date: str | None = None


_MISS = Entry("miss", 0)
_ENTRY_CACHE: dict[str, Entry | None] = {}


def _entry(raw: str) -> Entry | None:
    # News repeats the same few number words: folding each once keeps the per-atom cost to a dict lookup.
    hit = _ENTRY_CACHE.get(raw, _MISS)
    if hit is not _MISS:
        return hit
    key = fold(raw)
    entry = WORDS.get(key)
    if entry is None:
        month = MONTH_WORDS.get(" ".join(key.split()))
        entry = None if month is None else Entry("month", month)
    if entry is not None and key in SHORT:
        entry = Entry(entry.cls, entry.value, entry.teen_only, entry.dual, entry.plural, entry.unit, short=True)
    if len(_ENTRY_CACHE) > 100_000:  # diacritics make the spellings of adversarial input unbounded
        _ENTRY_CACHE.clear()
    _ENTRY_CACHE[raw] = entry
    return entry


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    append = out.append
    for m in P.ATOM.finditer(text):
        pre, art, dig, raw = m.group(1, 2, 3, 4)
        start, end = m.span()
        if pre:
            pre = fold(pre)
            wa, other = pre == "و", pre != "و"
        else:
            wa = other = False
        core = start + len(m.group(1))
        if dig is not None:
            value = parse_digits(dig)
            if value is not None:
                append(_Tok(start, core, end, wa, other, art is not None, "digits", value, None, dig))
            continue
        entry = _entry(raw)
        if entry is None or (other and entry.short):
            continue
        append(_Tok(start, core, end, wa, other, art is not None, entry.cls, entry.value, entry, raw))
    return out


def _link(text: str, a: _Tok, b: _Tok) -> str | None:
    """How ``b`` follows ``a``: "" (plain space), "و" (joined by and), or None (not part of one expression)."""
    if b.other_pre:
        return None
    gap = P.GAP.fullmatch(text, a.end, b.start)
    if gap is None:
        return None
    if gap.group(1):
        return None if b.wa else "و"
    return "و" if b.wa else ""


def _teen_follows(text: str, toks: list[_Tok], j: int) -> bool:
    return j + 1 < len(toks) and toks[j + 1].cls == "ten10" and not toks[j + 1].art \
        and _link(text, toks[j], toks[j + 1]) == ""


def _scale_factor(t: _Tok) -> float:
    # ألفا is a dual construct (2000) alone, but a singular accusative (ألفًا) when written with tanwin.
    assert t.entry is not None
    return 2.0 if t.entry.dual and FATHATAN not in t.raw else 1.0


def _numeric(text: str, toks: list[_Tok], i: int) -> _Expr | None:
    t = toks[i]
    total = partial = frac = 0.0
    min_scale = math.inf
    if t.cls == "scale":
        total, min_scale, last = _scale_factor(t) * t.value, t.value, "scale"
    else:
        if t.entry is not None and t.entry.teen_only and not _teen_follows(text, toks, i):
            return None
        partial, last = t.value, t.cls
    kind = "cardinal"
    j = i + 1
    while j < len(toks):
        n = toks[j]
        link = _link(text, toks[j - 1], n)
        if link is None:
            break
        c = n.cls
        if n.art:
            if last == "frac" and c == "scale" and not link:  # مليار ونصف المليار
                last = "scale-absorbed"
                j += 1
                continue
            break
        if n.entry is not None and n.entry.teen_only and not _teen_follows(text, toks, j):
            break
        if not link:
            if c == "ten10" and last == "unit" and partial % 100 < 10:
                partial += 10
                last = "teen"
            elif c == "hundred" and n.value == 100 and last == "unit" and 3 <= partial <= 9:
                partial *= 100
                last = "hundred"
            elif c == "scale" and last in _NUMERIC and partial > 0 and n.value < min_scale:
                total += partial * n.value
                partial, min_scale, last = 0.0, n.value, "scale"
            elif c == "fracpl" and last == "unit" and total == 0 and 1 <= partial <= 9:
                partial, kind, last = partial / n.value, "fraction", "fracpl"
                j += 1
                break
            else:
                break
        elif c == "ten" and last == "unit" and partial % 100 < 10:
            partial += n.value
            last = "ten"
        elif c in ("unit", "ten10", "ten", "digits") and last == "hundred" and partial % 100 == 0:
            partial += n.value
            last = c
        elif last == "scale" and partial == 0 and c in ("unit", "ten10", "ten", "hundred", "digits"):
            partial, last = n.value, c
        elif last == "scale" and partial == 0 and c == "scale" and n.entry is not None and not n.entry.plural \
                and n.value < min_scale:
            total += _scale_factor(n) * n.value
            min_scale = n.value
        elif c == "frac" and frac == 0 and total + partial > 0:
            frac = n.value * (min_scale if partial == 0 and min_scale != math.inf else 1)
            last = "frac"
        else:
            break
        j += 1
    value = total + partial + frac
    if not math.isfinite(value):
        return None
    return _Expr(i, j, t.core, toks[j - 1].end, kind, value)


def _vague(text: str, toks: list[_Tok], i: int) -> _Expr:
    # عشرات الآلاف, بضعة آلاف, مئات الملايين: one vague quantity.
    j = i + 1
    while j < len(toks) and _link(text, toks[j - 1], toks[j]) == "" and (
        toks[j].cls == "vague" or (toks[j].cls == "scale" and toks[j].entry is not None and toks[j].entry.plural)
    ):
        j += 1
    return _Expr(i, j, toks[i].core, toks[j - 1].end, "cardinal", None, "vague")


def _ordinal(text: str, toks: list[_Tok], i: int) -> _Expr | None:
    t = toks[i]
    if P.HIJRI_MONTH_BEFORE.search(text, max(0, t.start - 20), t.start):
        return None
    value, j = t.value, i + 1
    if j < len(toks) and t.cls == "ord":
        n = toks[j]
        link = _link(text, t, n)
        if link == "" and n.cls == "ten10" and not n.art and value < 10:
            value, j = value + 10, j + 1
        elif link == "و" and n.art and n.cls == "ten" and value < 10:  # الحادي والعشرون
            value, j = value + n.value, j + 1
    if t.entry is not None and t.entry.teen_only and value < 10:
        return None
    return _Expr(i, j, t.core, toks[j - 1].end, "ordinal", value)


def _date(text: str, toks: list[_Tok], i: int) -> _Expr | None:
    t = toks[i]
    m = P.MONTH_YEAR.match(text, t.end)
    if m is None:
        return None  # a month without a year is a relative date: not annotated (N6)
    year = parse_digits(m.group("y"))
    assert year is not None
    return _Expr(i, i + 1, t.core, m.end(), "date", None, date=f"{int(year):04d}-{int(t.value):02d}")


def _expression(text: str, toks: list[_Tok], i: int) -> _Expr | None:
    t = toks[i]
    c = t.cls
    if c == "month":
        return _date(text, toks, i)
    if t.art:
        if c in ("ord", "ten", "digits"):  # الأولى, العشرين, الـ20
            return _ordinal(text, toks, i)
        if c == "vague" or (c == "scale" and t.entry is not None and t.entry.plural):
            return _vague(text, toks, i)
        return None  # الثلاثة, الاثنين (Monday), المئة: not counted here
    if c == "ord":
        return None
    if c == "vague" or (c == "scale" and t.entry is not None and t.entry.plural):
        return _vague(text, toks, i)
    if c == "time":
        return _Expr(i, i + 1, t.core, t.end, "duration", t.value, unit=t.entry.unit if t.entry else None)
    if c == "frac":
        n = toks[i + 1] if i + 1 < len(toks) else None
        if n is not None and n.cls == "scale" and not n.art and _link(text, t, n) == "":  # نصف مليون
            return _Expr(i, i + 2, t.core, n.end, "cardinal", t.value * n.value)
        return _Expr(i, i + 1, t.core, t.end, "fraction", t.value)
    if c == "fracpl":
        return None
    return _numeric(text, toks, i)


def _currency(w1: str, w2: str | None) -> str | None:
    key = w1[2:] if w1.startswith("ال") and w1[2:] in CURRENCIES else w1
    code = CURRENCIES.get(key)
    if code is None:
        return None
    if w2 is not None:
        stem = CURRENCY_STEMS.get(key)
        adjective = w2[2:] if w2.startswith("ال") else w2
        # Adjectives agree with the noun (ريالات قطرية): compare without the feminine or plural ending.
        for candidate in (adjective, adjective.removesuffix("ه"), adjective.removesuffix("ا")):
            found = CURRENCY_ADJECTIVES.get((stem or "", candidate))
            if found:
                return found
    return code


def _is_year(text: str, e: _Expr) -> bool:
    # A bare 1900–2100 ending a clause is a year (كأس العالم 2022.); other years need عام or سنة before them.
    v = e.value
    if v is None or not 1000 <= v <= 2200 or v != int(v):
        return False
    if 1900 <= v <= 2100 and P.YEAR_END.match(text, e.end):
        return True
    return P.YEAR_BEFORE.search(text, max(0, e.core - _YEAR_WINDOW), e.core) is not None


def _context(text: str, toks: list[_Tok], e: _Expr) -> int:
    """Fill kind, unit, approx and date from the words around ``e``; return where the expression's words end."""
    consumed = e.end
    single_digits = e.stop == e.first + 1 and toks[e.first].cls == "digits"
    if e.kind in ("cardinal", "fraction"):
        pct = P.PERCENT.match(text, e.end) if e.value is not None else None
        day = P.DAY_MONTH_YEAR.match(text, e.end) if single_digits and "." not in toks[e.first].raw else None
        if pct is not None:
            e.kind, e.unit, e.end = "percent", "%", pct.end()
            consumed = e.end
        elif day is not None and e.value is not None and 1 <= e.value <= 31 and e.value == int(e.value):
            month = MONTH_WORDS.get(" ".join(fold(day.group("m")).split()), 0)
            year = parse_digits(day.group("y")) or 0
            e.kind, e.date, e.value, e.end = "date", f"{int(year):04d}-{month:02d}-{int(e.value):02d}", None, day.end()
            return e.end
        else:
            nxt = P.NEXT_WORDS.match(text, e.end)
            if nxt is not None:
                w1 = _fold(nxt.group("w1"))
                w2 = _fold(nxt.group("w2")) if nxt.group("w2") else None
                code = _currency(w1, w2)
                if code is not None:
                    e.kind, e.unit = "money", code
                    consumed = nxt.end("w2") if w2 is not None and code != CURRENCIES.get(w1) else nxt.end("w1")
                elif e.value is not None and w1 in UNITS:
                    e.kind, e.unit, consumed = "quantity", UNITS[w1], nxt.end("w1")
                elif e.value is not None and w1 in TIME_NOUNS:
                    e.kind, e.unit, consumed = "duration", TIME_NOUNS[w1], nxt.end("w1")
        if e.kind == "cardinal" and single_digits and _is_year(text, e):
            e.kind = "year"
    if e.approx == "exact" and e.kind not in ("year", "date"):
        start = toks[e.first].start
        before = P.APPROX_BEFORE.search(text, max(0, start - _APPROX_WINDOW), start) \
            if _may_end_approximator(text, start) else None
        after = P.APPROX_AFTER.match(text, consumed)
        if before is not None:
            e.approx = P.APPROX_KIND.get(" ".join(fold(before.group("a")).split()), "approx")
        elif after is not None:
            e.approx = P.AFTER_KIND.get(" ".join(fold(after.group("a")).split()), "approx")
    return consumed


def extract(text: str) -> list[NumberSpan]:
    """Every numeric expression of ``text`` in text order, with its span and normalised fields."""
    toks = _tokens(text)
    out: list[NumberSpan] = []
    consumed = 0
    i = 0
    while i < len(toks):
        if toks[i].start < consumed:
            i += 1
            continue
        e = _expression(text, toks, i)
        if e is None:
            i += 1
            continue
        consumed = max(_context(text, toks, e), e.end)
        # beyond 2**53 a float64 no longer holds the value exactly: such a digit run is a code, not a quantity
        if e.value is None or abs(e.value) <= FLOAT_MAX:
            out.append(NumberSpan(e.core, e.end, ParsedNumber(e.value, e.kind, e.unit, e.approx, e.date)))
        i = e.stop
    return out
