"""``khabar gold lint``: heuristic checks of the gold annotations against the guidelines' rules.

:mod:`khabar.validate` and ``gold apply`` check what the schema can decide (types, offsets, flatness, references).
The linter looks for what only the guidelines decide: a counted noun left out, a name annotated in one place and
missed in the next, a generic description typed as a name, a kind that contradicts the text, a stance whose
evidence shows no cue. Each check is a heuristic named after the rule it enforces; a finding is a thing for an
adjudicator to look at, not proof of an error.

Every rule runs over every item of every article (not only where two annotation passes disagreed).

* :func:`lint_article` checks one article record and returns :class:`Issue` s (layer and annotation id, unlocated).
* :func:`lint_corpus` checks what needs the whole store (entity ids shared across articles).
* :func:`lint_store` reads a gold store and locates each issue at its standoff line: ``annotations/gold/ID.jsonl:7``.
* :func:`render` prints a report as ``file:line: rule: message`` lines.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar import cues
from khabar.errors import InputError
from khabar.jsonio import iter_jsonl
from khabar.numbers.lexicon import (
    CURRENCIES,
    CURRENCY_ADJECTIVES,
    CURRENCY_STEMS,
    MONTH_WORDS,
    TIME_NOUNS,
    UNITS,
    WORDS,
    fold,
)
from khabar.schema import LINT_ALLOW, Problem, check_record
from khabar.store import paths, read_store

# One line per rule: what it checks. The ids are the guideline rules the checks enforce (``annotations/GUIDELINES.md``).
RULES: Mapping[str, str] = {
    "N16": "a cardinal or fraction whose counted noun follows it but is not recorded in counted",
    "N7": "a numeral duration whose time noun follows it but is not recorded in counted",
    "N9": "a numeral quantity whose unit word follows it but is not recorded in counted",
    "N18": "a number kind that contradicts its unit, date or text",
    "E8": "a surface annotated as an entity in the article but missed elsewhere in it, or annotated two ways",
    "E12": "a generic description typed as a name, or a generic entity id not scoped to its article (E13)",
    "S1": "a target that no triple uses, a target phrased as a negation, or fewer than 3 or more than 5 targets",
    "S2-holder": "a stance holder outside its evidence and outside the evidence's sentences",
    "S2-cue": "a stance evidence span with no stance cue (speech or attitude word, quotation mark)",
}


@dataclass(frozen=True)
class Issue:
    """A finding in one article record, before it is located in a file: the offending annotation's layer and id."""

    rule: str
    layer: str
    item: str
    message: str


@dataclass(frozen=True)
class Finding:
    """A located finding: ``file`` is relative to the store's parent (``annotations/gold/khb-0001.jsonl``)."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class LintReport:
    """All findings of one run, in file and line order."""

    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        """Number of findings per rule, for every rule (zero included), in :data:`RULES` order."""
        c = Counter(f.rule for f in self.findings)
        return {rule: c[rule] for rule in RULES}

    @property
    def ok(self) -> bool:
        """True when there is nothing to report."""
        return not self.findings


def render(report: LintReport) -> str:
    """The report as text: one ``file:line: rule: message`` line per finding."""
    return "".join(f"{f}\n" for f in report.findings)


# --------------------------------------------------------------------------------------------------------
# Words


# A word: letters, digits, tatweel and the Arabic combining marks (Python's \w leaves the marks out).
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _split(s: str) -> tuple[str, ...]:
    return tuple(s.split())


def _folded(s: str) -> frozenset[str]:
    """The words of ``s`` in their folded form (:func:`khabar.numbers.lexicon.fold`), the form lookups use."""
    return frozenset(fold(w) for w in _split(s))


def _is_letters(word: str) -> bool:
    return bool(_LETTERS.match(_MARKS.sub("", word)))


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words of ``text[start:end]``, with absolute offsets."""
    return [(m.start() + start, m.end() + start, m.group()) for m in _WORD.finditer(text[start:end])]


def _sentence_of(article: Mapping[str, Any], offset: int) -> tuple[int, int]:
    for s, e in article.get("sentences") or []:
        if s <= offset < e:
            return s, e
    return 0, len(article["text"])


# --------------------------------------------------------------------------------------------------------
# N16, N7, N9: counted nouns


# Words that can follow a number without being its counted noun: prepositions (bare and with a pronoun),
# particles, conjunctions, relatives, pronouns and the adverbs news prose puts after a figure.
_FUNCTION = _folded("""
في من إلى الى على عن مع حتى منذ عند لدى نحو حول بين ضد دون خلال بعد قبل أمام وراء عبر فوق تحت مقابل بحسب وفق وفقا
منه منها منهم منهما منهن فيه فيها فيهم عليه عليها عليهم إليه إليها إليهم عنه عنها عنهم معه معها معهم له لها لهم
أو ثم لكن بل أم إذ إذا لو كما بينما فيما حين حيث عندما لأن كي
أن إن أنه إنه أنها إنها أنهم إنهم قد لقد لم لن لا ما ليس ليست إلا سوى غير كل بعض أي
الذي التي الذين اللذين اللتين اللذان اللتان هو هي هم هما نحن أنا
فقط أيضا تقريبا حاليا سنويا يوميا شهريا أسبوعيا مجددا تباعا فعلا أصلا أخرى آخر آخرين آخرون إضافي إضافيا إضافية
إضافيين إضافيون جديدة جديد جديدا أمس اليوم غدا الآن مساء صباحا ظهرا ليلا فجرا أكثر أقل فأكثر فأقل أصل
وحده وحدها وحدهم وسط غيرها غيرهم ونحو
""")
_DEMONSTRATIVES = _folded("هذا هذه هذين هاتين هؤلاء ذلك تلك أولئك")
# Nouns that begin with a letter that is also a proclitic (و ب ل ك ف): without this list such a word reads as a
# conjunction or preposition plus a word, which is never a counted noun.
_CLITIC_LOOKING_NOUNS = tuple(_folded("""
وظيف وظائف وثيق وثائق وحدة وحدات وجب وزير وزراء ولاي وفاة وفيات وكال وديع ودائع وسيل وسائل ورق وقت وعاء ولد وافد
ورش وجوه
بيت بيوت بلد بلاد بلدان بلدي باحث باحثين برميل براميل بنك بنوك بطاق بئر بحار بنت بنات بند بنود بعث برنامج برامج
بحث بحوث باخر بواخر بطول بيان بلاغ بحير بذور بقر بيض بناي باص براء بطل أبطال
لاعب ليلة ليال لتر لجنة لجان لقاء لوح لغة لغات لقاح
كتاب كتب كيلو كرسي كراسي كلية كليات كتيب كاتب كمية كميات كيس
فلاح فريق فرق فرص فصل فصول فئة فئات فندق فنادق فتاة فتيات فيلم فرد فرع فروع فاتور فواتير
"""))
_YA_NOUNS = tuple(_folded("يوم يورو ين يمني يهود يد يتيم أيتام ياب يخت يخوت"))
_ADVERB_LIKE = re.compile("^(?:" + "|".join(_folded("سنوي يومي شهري أسبوعي حالي عالمي محلي تقريب فعلي نسبي إجمالي"))
                          + ")ا?$")


def _looks_like_verb(w: str) -> bool:
    """A folded word that reads as a verb: an imperfect (ي-initial), or a perfect ending in وا or in a feminine ت."""
    if w.startswith("ي") and len(w) >= 3 and not w.startswith(_YA_NOUNS):
        return True
    if w.endswith("وا") and len(w) >= 5:  # حضروا، قتلوا; a shorter one is an accusative noun (عضوا)
        return True
    # امتنعت، سجلت: a final ت after a consonant (nouns end in ة, or in ات/وت in the plural: بيوت، أصوات)
    return len(w) >= 4 and w.endswith("ت") and w[-2] not in "اوي"


def _counted_candidate(w: str) -> bool:
    """True if the (folded) word can be the counted noun of a number before it."""
    if w in _FUNCTION or w in _DEMONSTRATIVES or _ADVERB_LIKE.match(w) or w in MONTH_WORDS:
        return False
    if w.startswith(("لل", "بال", "كال", "وال", "فال")):
        return False  # a preposition or conjunction on a definite noun: never a counted noun
    if w.startswith(_CLITIC_LOOKING_NOUNS) or w in UNITS or w in CURRENCIES:
        return True
    if w[0] in "بل":
        return False  # a preposition on a word (لدول، بنسبة): the noun after a preposition is not counted
    if w[0] in "وف" and len(w) > 2:
        # a conjunction on a word that starts a new phrase (والصين، ويبتعد، وأربعة، وقال); otherwise the letter
        # belongs to the noun (وظائف، فلبينيين)
        rest = w[1:]
        if (rest.startswith("ال") or rest in _FUNCTION or rest in WORDS or rest[0].isdigit()
                or _looks_like_verb(rest) or rest in cues.VERB_FORMS or rest.startswith(("ت", "ن", "ا"))):
            return False
    return not _looks_like_verb(w)


def _entity_at(article: Mapping[str, Any], start: int, end: int) -> Mapping[str, Any] | None:
    return next((e for e in article.get("entities") or [] if e["start"] < end and start < e["end"]), None)


def _number_at(article: Mapping[str, Any], start: int, end: int) -> Mapping[str, Any] | None:
    return next((n for n in article.get("numbers") or [] if n["start"] < end and start < n["end"]), None)


def _following_noun(article: Mapping[str, Any], number: Mapping[str, Any]) -> tuple[int, int, str] | None:
    """The word after a number that reads as its counted noun, or None.

    The word must follow directly in the same sentence (only white space between them), or after a demonstrative
    (``نصف هذه الكتب``) or a partitive ``من`` (``العشرات من حطام``, ``الثلث من المبيعات``).
    A definite number (``النصف``، ``الثلثين``، ``الـ27``) is not in construct, so the word right after it is an
    adjective or a verb; only the partitive applies to it.
    """
    text = article["text"]
    _, sent_end = _sentence_of(article, number["start"])
    words = _words(text, number["end"], sent_end)
    definite = number["text"].startswith("ال") or text[max(0, number["start"] - 3):number["start"]].endswith(
        ("ال", "الـ"))
    i = 0
    if not words or text[number["end"]:words[0][0]].strip():
        return None  # punctuation or nothing between the number and the next word
    if fold(words[0][2]) in _DEMONSTRATIVES and len(words) > 1 and not definite:
        i = 1
    partitive = fold(words[i][2]) == "من" and len(words) > i + 1
    if definite and not partitive:
        return None
    if partitive:
        i += 1
    start, end, word = words[i]
    if text[words[i - 1][1] if i else number["end"]:start].strip():
        return None
    if not _is_letters(word) or _number_at(article, start, end) is not None:
        return None
    ent = _entity_at(article, start, end)
    if ent is not None and ent["label"] not in ("OCC", "NORP"):
        return None  # a name after a number is not what it counts (اثنان من روسيا)
    w = fold(word)
    if partitive and w.startswith("ال") and w not in _FUNCTION:
        return start, end, word
    return (start, end, word) if _counted_candidate(w) else None


# Decades count in years (N13: عقدين → 20 a); the lexicon's time nouns do not list them.
_DECADES = _folded("عقد عقدا عقدين عقدان عقود")
# ثانية is a time noun ("second") and an ordinal ("second"): it decides no kind on its own.
_AMBIGUOUS_TIME = _folded("ثانية الثانية")
_NUMERAL_CLASSES = frozenset({"unit", "ten", "ten10", "hundred", "scale", "frac", "fracpl"})


def _time_unit(word: str) -> str | None:
    """The UCUM unit of a time noun (``عاما`` → ``a``, ``الأسبوعين`` → ``wk``, ``عقدين`` → ``a``), else None."""
    w = fold(word)
    for stem in (w, w[2:] if w.startswith("ال") else w):
        if stem in TIME_NOUNS:
            return TIME_NOUNS[stem]
        if stem in _DECADES:
            return "a"
        e = WORDS.get(stem)
        if e is not None and e.cls == "time":
            return e.unit
    return None


def _has_numeral(span: str) -> bool:
    """True if the span contains digits or a cardinal or fraction word (not only an ordinal, a vague word or a
    noun that carries its own count)."""
    if any(c.isdigit() for c in span):
        return True
    return any((e := WORDS.get(fold(w))) is not None and e.cls in _NUMERAL_CLASSES for w in span.split())


def check_counted(article: Mapping[str, Any]) -> list[Issue]:
    """N16, N7, N9: a counted noun that follows its number but is missing from ``counted``."""
    out: list[Issue] = []
    for n in article.get("numbers") or []:
        if n.get("counted") is not None or n["kind"] not in ("cardinal", "fraction", "duration", "quantity"):
            continue
        if n["kind"] in ("duration", "quantity") and not _has_numeral(n["text"]):
            continue  # N7: a time noun that carries its own number is its own span, with counted null
        found = _following_noun(article, n)
        if found is None:
            continue
        _, _, word = found
        w = fold(word)
        if n["kind"] == "cardinal" or n["kind"] == "fraction":
            if w in CURRENCIES or w in UNITS:
                continue  # a kind problem, reported by N18
            if _time_unit(word) and n["approx"] != "vague":
                continue  # a numeral with a time noun is a duration: N18
            rule = "N16"
        elif n["kind"] == "duration":
            if _time_unit(word) is None:
                continue
            rule = "N7"
        else:
            rule = "N9"
        out.append(Issue(rule, "number", n["id"],
                         f"{n['kind']} {n['text']!r} is followed by its counted noun {word!r}, but counted is null"))
    return out


# --------------------------------------------------------------------------------------------------------
# N18: kinds that contradict the unit, the date or the text


# ISO 4217 codes a news corpus of the region may quote (the currencies of the Arab states, their neighbours and
# the major reserve currencies); a code outside the list is reported so it can be checked and added.
ISO_4217 = frozenset(_split("""
USD EUR GBP JPY CNY CHF CAD AUD RUB INR TRY IRR ILS PKR
SAR AED KWD QAR BHD OMR YER IQD JOD SYP LBP EGP SDG LYD TND DZD MAD MRU SOS DJF KMF
"""))
# A percent marker at the end of a span (N5) or right after it.
_PERCENT_MARK = r"(?:[%٪]|(?:في|ب)[\s\u00a0]*ال?م[اؤئ]?[ئي]?[ةه])"
_PERCENT_END = re.compile(_PERCENT_MARK + "$")
_PERCENT_AFTER = re.compile(r"^[\s\u00a0]*" + _PERCENT_MARK + r"(?!\w)")
# Nouns after which a number is a rank (N15: الدقيقة 17, المرتبة 323).
_RANK_NOUNS = _folded("الدقيقة المرتبة المركز الجولة الشوط الدورة النسخة الطبعة المرحلة الحلقة")
# Words before a bare four-digit number that make it a point in time (N6, N18 row 8).
_YEAR_CONTEXT = _folded("عام سنة العام السنة في منذ حتى بحلول منتصف مطلع أواخر أوائل نهاية بداية خلال قبل بعد")
# Currency nouns whose code depends on the country (دينار: KWD, JOD, IQD …): only an adjective decides it.
_COUNTRY_CURRENCIES = _folded("دينار دينارا دنانير دينارين ديناران ريال ريالا ريالات ريالين ريالان جنيه جنيها جنيهات "
                              "جنيهين جنيهان درهم درهما دراهم درهمين درهمان ليرة ليرات ليرتين ليرتان")
_DIGIT_YEAR = re.compile(r"^\d{4}$")


def _next_words(text: str, end: int, n: int = 2) -> list[str]:
    """The next ``n`` words right after ``end`` (none if punctuation comes first), as written."""
    words = _words(text, end, min(len(text), end + 60))
    if not words or text[end:words[0][0]].strip():
        return []
    return [w for _, _, w in words[:n]]


def _currency(words: Sequence[str]) -> tuple[str, str | None] | None:
    """(currency word, ISO code or None when only the country decides it) of the first word, with its adjective."""
    if not words or fold(words[0]) not in CURRENCIES:
        return None
    w = fold(words[0])
    if len(words) > 1:
        stem = fold(CURRENCY_STEMS.get(w, w))
        adjective = fold(words[1])
        adjective = adjective[2:] if adjective.startswith("ال") else adjective
        # the adjective agrees with the noun: أردني، أردنيا (accusative), لبنانية
        for key in ((stem, adjective), (stem, adjective[:-1])):
            if key in CURRENCY_ADJECTIVES:
                return words[0], CURRENCY_ADJECTIVES[key]
    return words[0], None if w in _COUNTRY_CURRENCIES else CURRENCIES[w]


_MILES = _folded("ميل ميلا أميال")


def _unit(words: Sequence[str]) -> tuple[str, str] | None:
    """(unit word, UCUM-style symbol) of the measure word that starts ``words`` (متر مربع → m2, درجة مئوية → Cel)."""
    if not words:
        return None
    w = fold(words[0])
    nxt = fold(words[1]) if len(words) > 1 else ""
    if w.startswith("درج") and nxt.startswith("مئوي"):
        return words[0], "Cel"
    if w in _MILES and nxt.startswith("بحري"):
        return words[0], "nmi"
    if w in UNITS:
        symbol = UNITS[w]
        if symbol == "m" and nxt.startswith("مربع"):
            symbol = "m2"
        elif symbol == "m" and nxt.startswith("مكعب"):
            symbol = "m3"
        return words[0], symbol
    return None


def _ordinal_word(word: str) -> bool:
    """``الأولى``, ``ثالث``, ``ثانيا``: an ordinal stem of the number lexicon, with or without ال and accusative ا."""
    w = fold(word)
    w = w[2:] if w.startswith("ال") else w
    for form in (w, w[:-1] if w.endswith("ا") else None):
        e = WORDS.get(form) if form else None
        if e is not None and e.cls == "ord":
            return True
    return False


def _fraction_only(span: str) -> bool:
    """``نصف``, ``الثلث``, ``ثلاثة أرباع``: fraction words, with at most a unit numeral before a plural fraction."""
    classes = []
    for w in span.split():
        f = fold(w)
        e = WORDS.get(f) or WORDS.get(f[2:] if f.startswith("ال") else f)
        if e is None:
            return False
        classes.append(e.cls)
    return bool(classes) and (classes in (["frac"], ["unit", "fracpl"]))


def _in(word: str, words: frozenset[str]) -> bool:
    """``word`` is one of ``words``, also after a proclitic و ف ب ل or a pair (لعام، وبحلول)."""
    w = fold(word)
    return w in words or (len(w) > 3 and w[0] in "وفبل" and w[1:] in words) or (
        len(w) > 4 and w[:2] in ("ول", "فل", "وب", "فب") and w[2:] in words)


def expected_kind(article: Mapping[str, Any], n: Mapping[str, Any]) -> tuple[str, str] | None:
    """(kind, why) by the first row of GUIDELINES N18's table whose text condition holds, or None when no row
    from 1 to 9 can be read with confidence (row 10, "anything else", is never inferred)."""
    text, span = article["text"], n["text"]
    words = span.split()
    after = _next_words(text, n["end"])
    counted = text[n["counted"][0]:n["counted"][1]] if n.get("counted") else None
    if n["approx"] == "vague":
        return "cardinal", "a vague quantity"
    if _months_in(span) and re.search(r"\d{4}", span.translate(_DIGITS)):
        return "date", "a month name with a year"
    if _PERCENT_END.search(span) or _PERCENT_AFTER.match(text[n["end"]:n["end"] + 20]):
        return "percent", "a percent marker"
    if (cur := _currency(after)) or (len(words) == 1 and (cur := _currency(words))):
        return "money", f"the currency word {cur[0]!r}"
    numeral = _has_numeral(span)
    if counted and _time_unit(counted) and not (fold(counted) in _AMBIGUOUS_TIME and not numeral):
        return "duration", f"the time noun {counted!r}"
    if len(words) == 1 and _time_unit(span) and fold(span) not in _AMBIGUOUS_TIME and not numeral:
        return "duration", f"the time noun {span!r}"
    if counted is None and numeral and after and _time_unit(after[0]) and fold(after[0]) not in _AMBIGUOUS_TIME:
        return "duration", f"the time noun {after[0]!r}"
    if numeral and (u := _unit(after)):
        return "quantity", f"the unit word {u[0]!r}"
    before = _WORD.findall(text[max(0, n["start"] - 20):n["start"]])
    if _ordinal_word(words[0]) and not any(c.isdigit() for c in span):  # الرابعة عشرة، الحادية والعشرين
        return "ordinal", f"the ordinal word {words[0]!r}"
    if before and _in(before[-1], _RANK_NOUNS) and span.translate(_DIGITS).isdigit():
        return "ordinal", f"a rank after {before[-1]!r}"
    digits = span.translate(_DIGITS)
    if (_DIGIT_YEAR.match(digits) and 1000 <= int(digits) <= 2100 and counted is None and before
            and _in(before[-1], _YEAR_CONTEXT) and _following_noun(article, n) is None):
        return "year", f"a four-digit year after {before[-1]!r}"
    if _fraction_only(span) and not _after_is_measure(after):
        return "fraction", "a fraction word"
    return None


def _after_is_measure(after: Sequence[str]) -> bool:
    """True if the words after a number start with a currency, time or measure noun."""
    return bool(after) and bool(_currency(after) or _time_unit(after[0]) or _unit(after))


def check_kinds(article: Mapping[str, Any]) -> list[Issue]:
    """N18: the kind that the first matching row of the guidelines' table gives, and the unit, date and value that
    the kind fixes: a money code that is no currency or not the currency named, a date whose year, month or day
    is not the one written, a duration whose unit is not its time noun's, a quantity whose unit is not its unit
    word's, a year outside 1000–2100 or with a counted noun, an ordinal that is not a positive whole number and
    a fraction outside 0–1."""
    out: list[Issue] = []
    text = article["text"]

    def add(n: Mapping[str, Any], msg: str) -> None:
        out.append(Issue("N18", "number", n["id"], f"{n['kind']} {n['text']!r}: {msg}"))

    for n in article.get("numbers") or []:
        kind, unit, value, span = n["kind"], n.get("unit"), n.get("value"), n["text"]
        found = expected_kind(article, n)
        if found is not None and found[0] != kind:
            add(n, f"{found[1]} makes the kind {found[0]}")
            continue  # the unit, date and value follow from the kind: fix the kind first
        after = _next_words(text, n["end"])
        if kind == "year":
            if unit is not None:
                add(n, f"a year has no unit (unit {unit!r})")
            if value is not None and not 1000 <= value <= 2100:
                add(n, f"value {value:g} is not a year (1000–2100)")
            if n.get("counted") is not None:
                add(n, "a number with a counted noun is never a year")
        elif kind == "percent":
            if not _PERCENT_END.search(span) and not _PERCENT_AFTER.match(text[n["end"]:n["end"] + 20]):
                add(n, "no % / ٪ / في المئة at the end of the span or right after it")
        elif kind == "money":
            cur = _currency(after) or (_currency(span.split()) if len(span.split()) == 1 else None)
            if unit not in ISO_4217:
                add(n, f"unit {unit!r} is not an ISO 4217 currency code")
            elif cur and cur[1] and cur[1] != unit:
                add(n, f"unit {unit!r} but the currency word {cur[0]!r} is {cur[1]}")
        elif kind == "date":
            out += [Issue("N18", "number", n["id"], f"date {span!r}: {m}") for m in _date_problems(n)]
        elif kind == "duration":
            nouns = [w for w in span.split() if _time_unit(w)]
            if n.get("counted"):
                nouns.append(text[n["counted"][0]:n["counted"][1]])
            units = {u for w in nouns if (u := _time_unit(w)) and fold(w) not in _AMBIGUOUS_TIME}
            if unit in ISO_4217:
                add(n, f"a duration in a currency (unit {unit!r})")
            elif units and unit not in units:
                add(n, f"unit {unit!r} but the time noun says {'/'.join(sorted(units))!r}")
        elif kind == "quantity":
            u = _unit(after) or (_unit([text[n["counted"][0]:n["counted"][1]], *after[1:]]) if n.get("counted")
                                 else None)
            if u and unit and not unit.lower().startswith(u[1].lower()):
                add(n, f"unit {unit!r} but the unit word {u[0]!r} is {u[1]}")
        elif kind == "ordinal":
            if value is not None and (value < 1 or value != int(value)):
                add(n, f"value {value:g} is not a position (a positive whole number)")
        elif kind == "fraction" and value is not None and not 0 < value < 1:
            add(n, f"value {value:g} is not between 0 and 1")
    return out


def _months_in(span: str) -> set[int]:
    """The months named in a span (one-word and two-word names, any spelling the parser knows)."""
    f = fold(span)
    return {v for k, v in MONTH_WORDS.items() if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", f)}


def _date_problems(n: Mapping[str, Any]) -> list[str]:
    """The ways a date's ISO value disagrees with the day, month and year written in its span."""
    span, date = n["text"], n.get("date") or ""
    out = []
    digits = span.translate(_DIGITS)
    years = re.findall(r"(?<!\d)\d{4}(?!\d)", digits)
    if date and years and date[:4] not in years:
        out.append(f"the year of {date!r} is not the year written ({', '.join(years)})")
    months = _months_in(span)
    if len(date) >= 7 and months and int(date[5:7]) not in months:
        out.append(f"the month of {date!r} is not the month named")
    day = re.match(r"^(\d{1,2})(?!\d)", digits)
    if len(date) == 10 and day and int(date[8:10]) != int(day.group(1)):
        out.append(f"the day of {date!r} is not the day written ({day.group(1)})")
    if len(date) == 7 and day:
        out.append(f"{date!r} leaves out the day written ({day.group(1)})")
    return out


# --------------------------------------------------------------------------------------------------------
# E8: propagation within an article


_PROCLITIC_PREFIX = r"(?:[وف]?[بلك]|[وف])?"
_LL_PREFIX = r"(?:[وف]?ل)"  # ل + ال is written لل: the span starts at the second lam (E1)


def _surface_pattern(surface: str, full_with_article: bool) -> re.Pattern[str]:
    """Whole-word occurrences of a surface, with an optional proclitic before it and any white space inside it."""
    words = [re.escape(w) for w in surface.split()]
    body = r"[\s\u00a0]+".join(words)
    if full_with_article:  # الأمم المتحدة: also لأمم المتحدة after a ل (للأمم المتحدة)
        rest = r"[\s\u00a0]+".join([re.escape(surface.split()[0][1:]), *words[1:]])
        return re.compile(rf"(?<![\w\u0640])(?:{_PROCLITIC_PREFIX}({body})|{_LL_PREFIX}({rest}))(?![\w\u0610-\u061a"
                          rf"\u064b-\u065f\u0670\u0640])")
    return re.compile(rf"(?<![\w\u0640]){_PROCLITIC_PREFIX}({body})(?![\w\u0610-\u061a\u064b-\u065f\u0670\u0640])")


def _full_surface(text: str, mention: Mapping[str, Any]) -> str:
    """The mention's surface with the article restored after a لل (``لأمم المتحدة`` → ``الأمم المتحدة``).

    ``للبنان`` is ل + ``لبنان``, written like ``للأمم`` = ل + ``الأمم``; the article is restored only when the
    restored form occurs in the text as a word of its own."""
    s = mention["text"]
    if s.startswith("ل") and not s.startswith("ال") and mention["start"] > 0 and text[mention["start"] - 1] == "ل":
        full = "ا" + s
        if re.search(rf"(?<!\w){re.escape(full)}(?!\w)", text):
            return full
    return s


# A definite nisba word (الرياضية، الإعلاميين): after a definite noun it reads as that noun's adjective.
_NISBA_WORD = re.compile(r"^ال\S+ي(?:ة|ون|ين|ات)?$")


def _after_definite(text: str, start: int) -> bool:
    """True if the word right before ``start`` (white space between, no punctuation) is definite (ال, بال, لل …),
    so that a definite word at ``start`` reads as its adjective."""
    m = re.search(r"(\S+)[\s\u00a0]+$", text[max(0, start - 40):start])
    return bool(m) and _is_letters(m.group(1)) and fold(m.group(1)).startswith(("ال", "بال", "وال", "فال", "كال", "لل"))


def check_propagation(article: Mapping[str, Any]) -> list[Issue]:
    """E8: a surface annotated somewhere in the article but left unannotated elsewhere in it as a whole word (an
    occurrence inside a longer annotated span or inside a longer word is not a miss); and one surface annotated
    with two labels, or with two entity ids under a title or group label (OCC, NORP), in the same article."""
    text = article["text"]
    mentions = sorted(article.get("entities") or [], key=lambda e: (e["start"], e["end"]))
    out: list[Issue] = []
    by_surface: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for m in mentions:
        by_surface[_full_surface(text, m)].append(m)
    for surface, ms in by_surface.items():
        first = ms[0]
        labels = sorted({m["label"] for m in ms})
        # السعودية is both the country (GPE) and the feminine nisba (NORP): a homograph, not an inconsistency
        if len(labels) > 1 and labels != ["GPE", "NORP"]:
            other = next(m for m in ms if m["label"] != first["label"])
            out.append(Issue("E8", "entity", other["id"],
                             f"{surface!r} is {other['label']} here but {first['label']} at {first['start']} "
                             f"in the same article"))
        elif labels[0] in ("OCC", "NORP") and len({m["entity_id"] for m in ms}) > 1:
            other = next(m for m in ms if m["entity_id"] != first["entity_id"])
            out.append(Issue("E8", "entity", other["id"],
                             f"{surface!r} is {other['entity_id']!r} here but {first['entity_id']!r} at "
                             f"{first['start']} in the same article"))
        letters = _MARKS.sub("", surface.replace(" ", ""))
        if len(letters) < 3:
            continue
        pattern = _surface_pattern(surface, surface.startswith("ال") and len(surface.split()[0]) > 3)
        for m in pattern.finditer(text):
            group = 1 if m.group(1) is not None else 2
            start, end = m.start(group), m.end(group)
            if any(e["start"] < end and start < e["end"] for e in mentions):
                continue
            if first["label"] == "OCC" and _NISBA_WORD.match(surface) and _after_definite(text, m.start()):
                continue  # الرياضية after المشاريع: an adjective agreeing with its noun, not a person
            line_start = text.rfind("\n", 0, start) + 1
            context = text[max(line_start, start - 20):end + 20].replace("\n", " ")
            out.append(Issue("E8", "entity", first["id"],
                             f"{surface!r} ({first['label']} {first['entity_id']}) is not annotated at {start}: "
                             f"…{context}…"))
    return out


# --------------------------------------------------------------------------------------------------------
# E12: generic descriptions typed as names


# Head nouns of facilities, organisations, places, events and products that name nothing on their own (E5):
# ``الوزارة``، ``المستشفى``، ``الخزانات`` … Folded forms, without ال.
_GENERIC_HEADS = _folded("""
وزارة مفوضية مستشفى مستشفيات شركة شركات جامعة جامعات مطار مطارات ميناء موانئ هيئة هيئات لجنة لجان مجلس مجالس
إدارة إدارات دائرة دوائر مديرية مديريات مكتب مكاتب حكومة حكومات برلمان محطة محطات ملعب ملاعب سد سدود مخيم مخيمات
مركز مراكز معهد معاهد منظمة منظمات وكالة وكالات جمعية جمعيات بنك بنوك مصرف مصارف صندوق متحف متاحف مسرح جسر جسور
شارع شوارع طريق طرق ساحة ساحات قاعة قاعات مؤتمر مؤتمرات معرض معارض مهرجان مهرجانات قمة بطولة بطولات دوري
خزان خزانات مصنع مصانع مدرسة مدارس مبنى مباني مستودع مستودعات منشأة منشآت مرفأ مشروع مشاريع برنامج برامج
قسم أقسام وحدة وحدات شعبة مصلحة إدارة بلدية بلديات محكمة محاكم سجن سجون قاعدة قواعد معبر معابر مركب حي أحياء
منطقة مناطق مدينة مدن قرية قرى بلدة نهر بحيرة وادي منتجع فندق فنادق مجمع مجمعات خط خطوط مسار مسارات
حزب أحزاب حركة فصيل فصائل جيش قوات قوة شرطة نقابة نقابات اتحاد رابطة تحالف تكتل كتلة مؤسسة مؤسسات
تطبيق منصة لقاح نظام قمر صاروخ طائرة سفينة ناقلة
""")
# Sub-units of a body (``إدارة التخطيط``، ``دائرة النقل``، ``لجنة القراءة``): with only common nouns after them they
# describe a department of some body, not a named organisation.
_SUBUNIT_HEADS = _folded("إدارة دائرة قسم وحدة شعبة مديرية مصلحة لجنة مكتب")
# Adjectives that describe without naming: size, order, rank, role, status.
_GENERIC_ADJECTIVES = _folded("""
الكبرى الكبير الكبيرة الصغير الصغيرة الصغرى الجديد الجديدة القديم القديمة الرئيسي الرئيسية الأعلى العليا
المشتركة المشترك المنظمة المنظم الميداني الميدانية المحلي المحلية المعني المعنية المختص المختصة الفني الفنية
الخاص الخاصة الحالي الحالية السابق السابقة المؤقت المؤقتة المقبل المقبلة المجاور المجاورة القريب القريبة
المركزية الإقليمي الإقليمية الفرعي الفرعية التابع التابعة الحكومي
الحكومية الخاصة العسكري العسكرية المدني المدنية الجامعي الجامعية
""")
# Adjectives that name the task of a unit (E12 question 3): they describe a sub-unit, not a body.
_FUNCTIONAL_ADJECTIVES = _folded("""
الإعلامي الإعلامية القانوني القانونية الإداري الإدارية المالي المالية التنفيذي التنفيذية الاستشاري الاستشارية
التحضيري التحضيرية الطبي الطبية الصحي الصحية الأمني الأمنية الفني الفنية العلمي العلمية
""")
# Nisba adjectives of places and of international scope: they make a description specific (E7: الجيش السوداني).
_SPECIFIC_NISBA = re.compile(r"(?:مصري|اردني|عراقي|سوري|لبناني|كويتي|سعودي|قطري|اماراتي|بحريني|عماني|يمني|سوداني|"
                             r"ليبي|تونسي|جزائري|مغربي|فلسطيني|موريتاني|امريكي|اوروبي|بريطاني|فرنسي|روسي|صيني|دولي|"
                             r"عالمي|عربي|افريقي|اسيوي|خليجي|وطني|قومي|اتحادي|ملكي|اممي|ايراني|تركي|اسرائيلي|هندي)"
                             r"[هين]*$")


def _strip_article(w: str) -> str:
    return w[2:] if w.startswith("ال") and len(w) > 3 else w


def generic_description(surface: str) -> bool:
    """True if ``surface`` (an entity span) is a generic description: a generic head noun alone or with generic
    adjectives only (``الوزارة``، ``الخزانات الكبرى``), or a sub-unit head (``إدارة``، ``لجنة``) whose complement
    is common nouns and adjectives only (``إدارة التخطيط``). A bare word (no ال), a complement with ل or ب, a
    place or scope nisba, or digits make it specific."""
    words = [fold(w) for w in surface.split()]
    if not words or any(not _is_letters(w) for w in words):
        return False
    head, rest = words[0], words[1:]
    head_bare = _strip_article(head)
    if head_bare not in _GENERIC_HEADS and head not in _GENERIC_HEADS:
        return False
    if not rest:
        return head.startswith("ال")  # a bare indefinite head (مستشفى) is no mention at all: leave it
    if any(_SPECIFIC_NISBA.search(w) for w in rest):
        return False
    if all(w in _GENERIC_ADJECTIVES for w in rest):
        return True
    if head_bare in _SUBUNIT_HEADS and head.startswith("ال"):
        # E12 question 3 with an adjective: المكتب الإعلامي، اللجنة التنفيذية
        return all(w in _GENERIC_ADJECTIVES or w in _FUNCTIONAL_ADJECTIVES for w in rest)
    if head_bare in _SUBUNIT_HEADS:
        # E12 question 3, a construct chain of definite common words: إدارة التخطيط، دائرة النقل، لجنة الشؤون
        # الإسكانية. With its parent (إدارة التخطيط في كهرماء) the chain holds a linking word and is a name.
        return all(w.startswith("ال") and not w.startswith("لل") for w in rest)
    return False


_GENERIC_LABELS = ("FAC", "ORG", "LOC", "EVENT", "PRODUCT")


def check_generic(article: Mapping[str, Any]) -> list[Issue]:
    """E12: a FAC, ORG, LOC, EVENT or PRODUCT mention that is a generic description (see
    :func:`generic_description`), and (E13) an OCC entity id that is not scoped to the article
    (``<article id>:<slug>``), reported once per id at its first mention."""
    out = [Issue("E12", "entity", e["id"], f"{e['label']} {e['text']!r} ({e['entity_id']}) is a generic "
                 "description, not a name (E12)")
           for e in article.get("entities") or []
           if e["label"] in _GENERIC_LABELS and generic_description(e["text"])]
    prefix = f"{article['id']}:"
    seen: set[str] = set()
    for e in sorted(article.get("entities") or [], key=lambda e: e["start"]):
        eid = e["entity_id"]
        if e["label"] != "OCC" or eid.startswith(prefix) or eid in seen:
            continue
        seen.add(eid)
        slug = eid.split(":", 1)[1] if ":" in eid else eid
        out.append(Issue("E12", "entity", e["id"], f"generic entity ids must be article-scoped: OCC {eid!r} "
                         f"should be {prefix + slug!r} (E13)"))
    return out


# --------------------------------------------------------------------------------------------------------
# S2: holders and cues


def _verb_like(word: str) -> bool:
    """A word that reads as a finite verb: an imperfect (يـ تـ نـ) or a feminine perfect (ـت), after و or ف."""
    w = fold(word)
    if w[:1] in "وف" and len(w) > 3:
        w = w[1:]
    if w.startswith(("ي", "ت", "ن")) and len(w) >= 3 and not w.startswith(_YA_NOUNS):
        return True
    return len(w) >= 3 and w.endswith("ت") and not w.endswith("ات")


def _holder_acts(text: str, h0: int, h1: int) -> bool:
    """True if the holder is the subject of a verb right next to it: ``رفعت وزارة الداخلية`` (VSO) or ``قطر ترفع``
    (SVO, also after قد/لم/لن). S3 counts an action as a stance (objecting, blocking, voting, working toward), and
    then the action verb is the cue."""
    before = _WORD.findall(text[max(0, h0 - 30):h0])
    if before and text[:h0].rstrip().endswith(before[-1]) and _verb_like(before[-1]):
        return True
    after = _words(text, h1, min(len(text), h1 + 40))
    if after and text[h1:after[0][0]].strip() == "":
        first = after[0][2]
        if fold(first) in ("قد", "لم", "لن", "لا") and len(after) > 1:
            first = after[1][2]
        return _verb_like(first)
    return False


def check_stance(article: Mapping[str, Any]) -> list[Issue]:
    """S2-holder: a holder outside its evidence and outside every sentence the evidence overlaps.
    S2-cue: an evidence span with no cue word or phrase of :mod:`khabar.cues` and no quotation mark, unless the
    holder, inside the evidence, is the subject of a verb next to it (S2: "the action" is a cue too)."""
    text = article["text"]
    sentences = article.get("sentences") or [[0, len(text)]]
    out: list[Issue] = []
    for s in article.get("stance") or []:
        (h0, h1), (e0, e1) = s["holder"], s["evidence"]
        holder, evidence = text[h0:h1], text[e0:e1]
        if not (e0 <= h0 and h1 <= e1):
            touched = [(a, b) for a, b in sentences if a < e1 and e0 < b]
            if not any(a <= h0 and h1 <= b for a, b in touched):
                out.append(Issue("S2-holder", "stance", s["id"],
                                 f"holder {holder!r} at {h0} is outside the evidence ({e0}–{e1}) and its sentence"))
        if not cues.find_cues(evidence) and not (e0 <= h0 and h1 <= e1 and _holder_acts(text, h0, h1)):
            short = evidence if len(evidence) <= 60 else evidence[:57] + "…"
            out.append(Issue("S2-cue", "stance", s["id"],
                             f"evidence {short!r} has no stance cue (no speech, attitude or decision word, no "
                             f"quotation mark, and the holder {holder!r} is not the subject of a verb next to it)"))
    return out


# --------------------------------------------------------------------------------------------------------
# S1: targets


_NEGATIONS = _folded("عدم لا لم لن ليس")


def check_targets(article: Mapping[str, Any]) -> list[Issue]:
    """S1: at most 5 targets (3–5 in an article written for Khabar, whose writer planted the stances; a published
    article has as many as its holders take stances on, possibly none), each phrased affirmatively (``تشديد
    العقوبات``, not ``عدم رفع العقوبات``) and each taken up by at least one triple."""
    targets = article.get("targets") or []
    used = {s["target"] for s in article.get("stance") or []}
    out = []
    low = 3 if article.get("origin") == "original" else 0
    if targets and not low <= len(targets) <= 5:
        out.append(Issue("S1", "target", targets[0]["id"], f"the article has {len(targets)} targets, not "
                         f"{low}–5"))
    for t in targets:
        words = t["text_ar"].split()
        if words and fold(words[0]) in _NEGATIONS:
            out.append(Issue("S1", "target", t["id"], f"target {t['id']} {t['text_ar']!r} is phrased as a "
                             "negation: phrase it affirmatively"))
        if t["id"] not in used:
            out.append(Issue("S1", "target", t["id"], f"target {t['id']} {t['text_ar']!r} has no triple"))
    return out


# --------------------------------------------------------------------------------------------------------
# Articles, corpus, store


def lint_article(article: Mapping[str, Any]) -> list[Issue]:
    """Every per-article check over one article record (the schema's ``article``; layers may be missing)."""
    return [
        *check_counted(article),
        *check_kinds(article),
        *check_propagation(article),
        *check_generic(article),
        *check_stance(article),
        *check_targets(article),
    ]


def lint_corpus(articles: Sequence[Mapping[str, Any]]) -> list[tuple[str, Issue]]:
    """E12 across articles (E13): (article id, issue) for each article that uses an OCC id, or a FAC, ORG, LOC,
    EVENT or PRODUCT id whose mentions are all generic descriptions, that another article also uses. Such ids
    name a title, a group or a description, not one entity. (An OCC id without its article's prefix is reported
    by :func:`lint_article` already, whether or not another article uses it.)"""
    used: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    generic_ids: dict[str, bool] = {}
    for a in articles:
        seen: set[str] = set()
        for e in sorted(a.get("entities") or [], key=lambda e: e["start"]):
            eid = e["entity_id"]
            if e["label"] in _GENERIC_LABELS:
                generic_ids[eid] = generic_ids.get(eid, True) and generic_description(e["text"])
            if eid not in seen:
                seen.add(eid)
                used[eid].append((a["id"], e))
    out: list[tuple[str, Issue]] = []
    for eid, uses in used.items():
        if len(uses) < 2:
            continue
        label = uses[0][1]["label"]
        if label == "OCC" or not generic_ids.get(eid):
            continue  # an unscoped OCC id is already an article finding
        others = [aid for aid, _ in uses]
        for aid, first in uses:
            rest = [x for x in others if x != aid]
            shown = ", ".join(rest[:3]) + (f" and {len(rest) - 3} more" if len(rest) > 3 else "")
            out.append((aid, Issue("E12", "entity", first["id"],
                                   f"generic entity ids must be article-scoped: {label} {eid!r} is also used in "
                                   f"{shown}")))
    return out


def _line_index(gold_file: Path, name: str) -> dict[tuple[str, str], int]:
    """(layer, annotation id) → line number in a gold file."""
    out: dict[tuple[str, str], int] = {}
    if gold_file.exists():
        for line, obj in iter_jsonl(gold_file, name=name):
            if isinstance(obj, dict) and "layer" in obj and "id" in obj:
                out.setdefault((obj["layer"], str(obj["id"])), line)
    return out


ALLOW = "lint-allow.jsonl"


@dataclass(frozen=True)
class Allowed:
    """A reviewed false positive: this rule does not apply to this annotation, for the reason given."""

    article: str
    rule: str
    item: str
    reason: str
    line: int


def read_allowed(annotations: Path) -> list[Allowed]:
    """``annotations/lint-allow.jsonl``: one ``{article, rule, item, reason}`` per reviewed false positive."""
    path = Path(annotations) / ALLOW
    if not path.exists():
        return []
    name = _relative(path, Path(annotations))
    out, problems = [], []
    for line, obj in iter_jsonl(path, name=name):
        ps = check_record(LINT_ALLOW, obj)
        problems += [p.at(name, line) for p in ps]
        if not ps and not obj["reason"].strip():
            problems.append(Problem("reason", "say why the rule does not apply", name, line))
        elif not ps:
            out.append(Allowed(obj["article"], obj["rule"], obj["item"], obj["reason"], line))
    if problems:
        raise InputError(problems)
    return out


def lint_store(annotations: Path, *, articles: Sequence[str] = (), cross_article: bool = True) -> LintReport:
    """Lint the articles of the gold store at ``annotations`` (all of them, or those named).

    The store is read and validated by :func:`khabar.store.read_store`; ``cross_article=False`` leaves out the
    checks that need the whole store. Reviewed false positives listed in ``lint-allow.jsonl`` are not
    reported; an entry that no longer matches any finding is (so that exceptions cannot outlive their cause).
    """
    annotations = Path(annotations)
    store = read_store(annotations)
    known = {a["id"] for a in store.articles}
    unknown = [a for a in articles if a not in known]
    if unknown:
        raise InputError([f"unknown article id {unknown[0]!r}"])
    chosen = [a for a in store.articles if not articles or a["id"] in articles]
    _, _, gold_dir = paths(annotations)
    issues: list[tuple[str, Issue]] = [(a["id"], i) for a in chosen for i in lint_article(a)]
    if cross_article:
        ids = {a["id"] for a in chosen}
        issues += [(aid, i) for aid, i in lint_corpus(store.articles) if aid in ids]
    allowed = [x for x in read_allowed(annotations) if not articles or x.article in articles]
    used: set[int] = set()
    findings: list[Finding] = []
    indexes: dict[str, tuple[str, dict[tuple[str, str], int]]] = {}
    for aid, issue in issues:
        hit = next((x for x in allowed if (x.article, x.rule, x.item) == (aid, issue.rule, issue.item)), None)
        if hit is not None:
            used.add(hit.line)
            continue
        if aid not in indexes:
            gf = gold_dir / f"{aid}.jsonl"
            name = _relative(gf, annotations)
            indexes[aid] = (name, _line_index(gf, name))
        name, index = indexes[aid]
        findings.append(Finding(name, index.get((issue.layer, issue.item), 1), issue.rule, issue.message))
    allow_name = _relative(annotations / ALLOW, annotations)
    findings += [Finding(allow_name, x.line, "allow", f"stale exception: {x.rule} no longer fires on {x.article} "
                         f"{x.item}; remove the line") for x in allowed if x.line not in used]
    order = [*RULES, "allow"]
    findings.sort(key=lambda f: (f.file, f.line, order.index(f.rule) if f.rule in order else 99, f.message))
    return LintReport(tuple(_dedupe(findings)))


def _relative(p: Path, root: Path) -> str:
    try:
        return str(p.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(p)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))  # the same finding twice (one rule, one line, one message) is one
