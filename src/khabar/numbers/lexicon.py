"""Word tables for Arabic numeric expressions, keyed by a spelling-normalised form (see :func:`fold`).

Keys are written in ordinary spelling and folded at import, so a table entry matches every hamza, ta marbuta and
alef maqsura variant a writer may use (``مائة``/``مئة``, ``الف``/``ألف``, ``إحدى``/``احدى``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from khabar.months import MONTHS

# Harakat, tanwin, shadda, sukun, superscript alef and tatweel: they may appear inside any word.
DIACRITICS = "\u064b-\u065f\u0670\u0640"
_DIACRITIC_RE = re.compile(f"[{DIACRITICS}]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
FATHATAN = "\u064b"


def fold(word: str) -> str:
    """``word`` without diacritics or tatweel, with alef, ta marbuta and alef maqsura variants merged."""
    return _DIACRITIC_RE.sub("", word).translate(_FOLD)


@dataclass(frozen=True)
class Entry:
    """One number word.

    ``cls`` is one of ``unit`` (0–9), ``ten10`` (عشر/عشرة: ten, or the second word of a teen), ``ten`` (20–90),
    ``hundred``, ``scale`` (thousand and up), ``frac``, ``fracpl`` (plural fraction after a unit: أرباع),
    ``ord`` (ordinal stem, needs the article), ``vague``, ``time`` (a time noun that carries its own number).
    """

    cls: str
    value: float
    teen_only: bool = False  # أحد, اثنا …: a number only before عشر/عشرة
    dual: bool = False  # the word itself says two (ألفان, مليونين); ألفا may also be a singular accusative
    plural: bool = False  # آلاف, ملايين: a scale after 3–10, a vague quantity alone
    unit: str | None = None  # UCUM unit of a time noun
    short: bool = False  # in SHORT: takes no proclitic but و


def _entries() -> tuple[dict[str, Entry], tuple[str, ...]]:
    out: dict[str, Entry] = {}
    spellings: list[str] = []

    def add(words: str, entry: Entry) -> None:
        entry = replace(entry, value=float(entry.value))  # values are floats, as the schema's
        for w in words.split():
            out[fold(w)] = entry
            spellings.append(w)

    add("صفر", Entry("unit", 0))
    add("واحد واحدة", Entry("unit", 1))
    add("أحد إحدى", Entry("unit", 1, teen_only=True))
    add("اثنان اثنين اثنتان اثنتين ثنتان ثنتين", Entry("unit", 2))
    add("اثنا اثني اثنتا اثنتي", Entry("unit", 2, teen_only=True))
    for value, words in enumerate(
        ("ثلاثة ثلاث", "أربعة أربع", "خمسة خمس", "ستة ست", "سبعة سبع", "ثمانية ثماني ثمان", "تسعة تسع"), start=3
    ):
        add(words, Entry("unit", value))
    add("عشرة عشر", Entry("ten10", 10))
    for value, stem in enumerate(("عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع"), start=2):
        add(f"{stem}ون {stem}ين", Entry("ten", value * 10))
    add("مئة مائة مئه مائه", Entry("hundred", 100))
    add("مئتان مئتين مئتا مئتي مائتان مائتين مائتا مائتي", Entry("hundred", 200))
    for value, stem in enumerate(("ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع"), start=3):
        add(f"{stem}مئة {stem}مائة", Entry("hundred", value * 100))
    add("ثمانيمئة ثمانيمائة", Entry("hundred", 800))
    for scale, single, duals, plurals in (
        (1e3, "ألف", "ألفان ألفين ألفي ألفا", "آلاف ألوف"),
        (1e6, "مليون", "مليونان مليونين مليوني مليونا", "ملايين"),
        (1e9, "مليار بليون", "ملياران مليارين مليارا بليونان بليونين", "مليارات بلايين"),
        (1e12, "تريليون ترليون", "تريليونان تريليونين تريليونا", "تريليونات"),
    ):
        add(single, Entry("scale", scale))
        add(duals, Entry("scale", scale, dual=True))
        add(plurals, Entry("scale", scale, plural=True))
    add("نصف", Entry("frac", 1 / 2))
    add("ثلث", Entry("frac", 1 / 3))
    add("ثلثا ثلثي", Entry("frac", 2 / 3))
    add("ربع", Entry("frac", 1 / 4))
    add("أرباع", Entry("fracpl", 4))
    add("أخماس", Entry("fracpl", 5))
    add("أعشار", Entry("fracpl", 10))
    for value, words in enumerate(
        ("أول أولى", "ثاني ثانية", "ثالث ثالثة", "رابع رابعة", "خامس خامسة", "سادس سادسة", "سابع سابعة",
         "ثامن ثامنة", "تاسع تاسعة", "عاشر عاشرة"), start=1,
    ):
        add(words, Entry("ord", value))
    add("حادي حادية", Entry("ord", 1, teen_only=True))
    add("عشرات مئات بضعة بضع", Entry("vague", 0, plural=True))
    for unit, duals, singular in (
        ("a", "عامين عامان سنتين سنتان", "عاما"),
        ("mo", "شهرين شهران", "شهرا"),
        ("wk", "أسبوعين أسبوعان", "أسبوعا"),
        ("d", "يومين يومان", "يوما"),
        ("h", "ساعتين ساعتان", ""),
        ("min", "دقيقتين دقيقتان", ""),
        ("s", "ثانيتين ثانيتان", ""),
    ):
        add(duals, Entry("time", 2, unit=unit))
        add(singular, Entry("time", 1, unit=unit))
    return out, tuple(spellings)


# WORDS is keyed by folded form; SPELLINGS keeps the written forms, whose hamzas tell the scanner that a plain
# alef was not there (وأحد is و + أحد, not واحد).
WORDS, SPELLINGS = _entries()
MONTH_WORDS: dict[str, int] = {fold(k): v for k, v in MONTHS.items()}

# Words that are too often something else to take a proclitic other than و (لست "I am not", بست …).
SHORT: frozenset[str] = frozenset(
    fold(w) for w in ("ست", "سبع", "تسع", "خمس", "عشر", "ثلث", "ربع", "نصف", "ثمان")
)

# Time nouns after a numeral: the numeral is a duration in this unit.
TIME_NOUNS: dict[str, str] = {
    fold(w): unit
    for unit, words in (
        ("a", "عام عاما أعوام سنة سنوات سنين عامين سنتين"),
        ("mo", "شهر شهرا أشهر شهور"),
        ("wk", "أسبوع أسبوعا أسابيع"),
        ("d", "يوم يوما أيام"),
        ("h", "ساعة ساعات"),
        ("min", "دقيقة دقائق"),
        ("s", "ثانية ثوان ثواني"),
    )
    for w in words.split()
}

# Currency nouns (every number and case form) → ISO 4217; an adjective after the noun can override the code.
CURRENCIES: dict[str, str] = {
    fold(w): code
    for code, words in (
        ("USD", "دولار دولارا دولارات دولارين دولاران"),
        ("EUR", "يورو يوروهات"),
        ("SAR", "ريال ريالا ريالات ريالين ريالان"),
        ("EGP", "جنيه جنيها جنيهات جنيهين جنيهان"),
        ("KWD", "دينار دينارا دنانير دينارين ديناران"),
        ("AED", "درهم درهما دراهم درهمين درهمان"),
        ("TRY", "ليرة ليرات ليرتين ليرتان"),
        ("RUB", "روبل روبلا روبلات روبلين"),
        ("INR", "روبية روبيات روبيتين"),
        ("JPY", "ين"),
        ("CNY", "يوان"),
        ("GBP", "إسترليني استرليني"),
    )
    for w in words.split()
}
CURRENCY_ADJECTIVES: dict[tuple[str, str], str] = {
    (fold(noun), fold(adj)): code
    for noun, adj, code in (
        ("جنيه", "إسترليني", "GBP"), ("جنيه", "استرليني", "GBP"), ("جنيه", "سوداني", "SDG"),
        ("ريال", "قطري", "QAR"), ("ريال", "عماني", "OMR"), ("ريال", "يمني", "YER"), ("ريال", "إيراني", "IRR"),
        ("دينار", "أردني", "JOD"), ("دينار", "عراقي", "IQD"), ("دينار", "بحريني", "BHD"), ("دينار", "ليبي", "LYD"),
        ("دينار", "جزائري", "DZD"), ("دينار", "تونسي", "TND"), ("درهم", "مغربي", "MAD"), ("ليرة", "سورية", "SYP"),
        ("ليرة", "لبنانية", "LBP"), ("دولار", "كندي", "CAD"), ("دولار", "أسترالي", "AUD"),
    )
}
# The singular of each currency noun, so adjectives apply to every number form of the noun.
CURRENCY_STEMS: dict[str, str] = {
    fold(w): fold(stem)
    for stem, words in (
        ("جنيه", "جنيه جنيها جنيهات جنيهين جنيهان"), ("ريال", "ريال ريالا ريالات ريالين ريالان"),
        ("دينار", "دينار دينارا دنانير دينارين ديناران"), ("درهم", "درهم درهما دراهم درهمين درهمان"),
        ("ليرة", "ليرة ليرات ليرتين ليرتان"), ("دولار", "دولار دولارا دولارات دولارين دولاران"),
    )
    for w in words.split()
}

# Measure words → UCUM-style symbols (kind=quantity).
UNITS: dict[str, str] = {
    fold(w): unit
    for unit, words in (
        ("km", "كيلومتر كيلومترا كيلومترات كلم كم"),
        ("kg", "كيلوغرام كيلوجرام كيلوغراما كيلوجراما كيلوغرامات كيلوجرامات كغ كجم"),
        ("t", "طن طنا أطنان"),
        ("MW", "ميغاواط ميجاوات ميغاوات ميجاواط"),
        ("bbl", "برميل برميلا براميل"),
        ("m", "متر مترا أمتار"),
        ("ha", "هكتار هكتارا هكتارات"),
        ("l", "لتر لترا لترات"),
    )
    for w in words.split()
}

# Approximators before the number → approx; the longest phrase is tried first.
APPROXIMATORS: tuple[tuple[str, str], ...] = (
    ("ما لا يقل عن", "at_least"), ("ما لا يزيد على", "at_most"), ("ما لا يزيد عن", "at_most"),
    ("ما يزيد على", "more_than"), ("ما يزيد عن", "more_than"), ("ما يربو على", "more_than"),
    ("ما يقرب من", "approx"), ("ما يناهز", "approx"), ("ما يصل إلى", "at_most"),
    ("تصل إلى", "at_most"), ("يصل إلى", "at_most"),
    ("أكثر من", "more_than"), ("أقل من", "less_than"), ("لا يقل عن", "at_least"),
    ("نحو", "approx"), ("حوالي", "approx"), ("حوالى", "approx"), ("قرابة", "approx"), ("زهاء", "approx"),
    ("يناهز", "approx"), ("تقريبا", "approx"), ("حتى", "at_most"),
)

# Words before a bare four-digit number that make it a year.
YEAR_WORDS: tuple[str, ...] = ("عام", "سنة", "العام", "السنة")
