"""Stance cues for the gold linter: speech, attitude and stance-taking action words, and direct-speech marks.

Provenance. The lexicon is built from three sources, and nothing else:

1. the cue tables of ``annotations/GUIDELINES.md`` §5.3 (S3) and the seed's triples (§5.4): ``قال``، ``اكتشف``،
   ``رحب``، ``أشاد``، ``دعا إلى``، ``عمل على``، ``نفى``، ``وصف … بأنها``، ``حذر … من أن``، ``أثار قلقا``،
   ``الاعتراض على``، ``اعتبر``، ``أكد``، ``استخدم … للاعتراض``، ``الترحيب``;
2. the common MSA reporting and attitude verbs of news prose (قال، أكد، أوضح، أضاف، أشار، شدد، حذر، رحب، أشاد،
   دعا، طالب، رفض، نفى، انتقد، أعرب، اعتبر، وصف، رأى، توقع، أعلن، كشف، اتهم، أيد، عارض، ندد، استنكر، تعهد …) and
   the verbs of :mod:`khabar.systems.stance_cues`;
3. the stance-taking actions S3 lists by category ("welcoming, praising, calling for, working toward", "an action
   against X: objecting, blocking, voting against", "a reported claim", "concern"): أقر، صوت، وافق، تبنى، دافع،
   أطلق، اعتزم، سعى … and their nouns (قلق، مخاوف، ترحيب، تحذير …).

Words are compared after :func:`khabar.numbers.lexicon.fold` (no diacritics, one alif, ه for ة, ي for ى). A verb
entry gives the 3rd-person masculine perfect and the imperfect stem (the imperfect without its prefix); the
regular inflections are generated from them, and the irregular ones of hollow and defective verbs are listed.
:func:`is_cue` strips proclitics (و ف ل س and their pairs) and an object pronoun before the lookup.
"""

from __future__ import annotations

import re

from khabar.numbers.lexicon import fold


def _words(s: str) -> tuple[str, ...]:
    return tuple(s.split())


# (perfect 3ms, imperfect stem, irregular forms). The imperfect stem is what follows ي/ت/ن/أ: يؤكد → ؤكد; an empty
# one leaves the imperfect out.
VERBS: tuple[tuple[str, str, str], ...] = (
    # speech and reporting (source 2)
    ("قال", "قول", "قلت قلنا قالا"),
    ("أكد", "ؤكد", ""),
    ("أوضح", "وضح", ""),
    ("أضاف", "ضيف", ""),
    ("أشار", "شير", ""),
    ("شدد", "شدد", ""),
    ("ذكر", "ذكر", ""),
    ("أفاد", "فيد", ""),
    ("صرح", "صرح", ""),
    ("أعلن", "علن", ""),
    ("كشف", "كشف", ""),
    ("أعرب", "عرب", ""),
    ("أبدى", "بدي", "أبدت أبدوا يبدون تبدين"),
    ("عبر", "عبر", ""),  # عبّر عن "expressed"; the preposition عبر "via" is filtered in is_cue
    ("لفت", "لفت", ""),
    ("نبه", "نبه", ""),
    ("أقر", "قر", ""),  # "admitted" and "passed (a law)": both take a stance
    ("اعترف", "عترف", ""),
    ("زعم", "زعم", ""),
    ("ادعى", "دعي", "ادعت ادعوا"),
    ("عزا", "عزو", "عزت عزوا"),
    ("اعتبر", "عتبر", ""),
    ("رأى", "رى", "رأت رأوا يرون ترون ترين"),
    ("وصف", "صف", ""),
    ("توقع", "توقع", ""),
    ("رجح", "رجح", ""),
    ("استبعد", "ستبعد", ""),
    ("قدر", "قدر", ""),
    ("أفصح", "فصح", ""),
    ("أشاع", "شيع", ""),
    ("روى", "روي", "روت رووا"),
    ("اكتشف", "كتشف", ""),  # S3: "a reported discovery is Seoul's claim"
    ("أثبت", "ثبت", ""),
    ("أظهر", "", ""),  # "showed" (a survey, a study): S3's reported claim
    ("أوصى", "وصي", "أوصت أوصوا"),
    ("اقترح", "قترح", ""),
    ("تساءل", "تساءل", ""),
    ("تحدث", "تحدث", ""),
    ("علق", "علق", ""),
    ("اعتقد", "عتقد", ""),
    ("أمل", "أمل", "تأمل يأمل نأمل"),
    ("خشي", "خشى", "خشيت خشوا يخشون"),
    ("شكك", "شكك", ""),
    # support (S3 and source 2)
    ("رحب", "رحب", ""),
    ("أشاد", "شيد", ""),
    ("أثنى", "ثني", "أثنت أثنوا"),
    ("دعا", "دعو", "دعت دعوا دعيا"),
    ("طالب", "طالب", ""),
    ("حث", "حث", "حثت حثوا"),
    ("ناشد", "ناشد", ""),
    ("أيد", "ؤيد", ""),
    ("دعم", "دعم", ""),
    ("ساند", "ساند", ""),
    ("وافق", "وافق", ""),
    ("صادق", "صادق", ""),
    ("تبنى", "تبنى", "تبنت تبنوا"),
    ("دافع", "دافع", ""),
    ("تعهد", "تعهد", ""),
    ("التزم", "لتزم", ""),
    ("اعتزم", "عتزم", ""),
    ("سعى", "سعى", "سعت سعوا يسعون"),
    ("استعد", "ستعد", ""),
    ("أطلق", "طلق", ""),
    ("قرر", "قرر", ""),
    ("تمسك", "تمسك", ""),
    ("فضل", "فضل", ""),
    ("صوت", "صوت", ""),  # S10: a vote is a stance
    ("اختار", "ختار", "اختارت اختاروا"),
    ("اشترط", "شترط", ""),
    ("راهن", "راهن", ""),
    # oppose (S3 and source 2)
    ("نفى", "نفي", "نفت نفوا ينفون"),
    ("رفض", "رفض", ""),
    ("حذر", "حذر", ""),
    ("انتقد", "نتقد", ""),
    ("أدان", "دين", "أدانت أدانوا"),
    ("عارض", "عارض", ""),
    ("اعترض", "عترض", ""),
    ("ندد", "ندد", ""),
    ("استنكر", "ستنكر", ""),
    ("اتهم", "تهم", ""),
    ("هدد", "هدد", ""),
    ("توعد", "توعد", ""),
    ("احتج", "حتج", "احتجت احتجوا"),
    ("تظاهر", "تظاهر", ""),
    ("قاطع", "قاطع", ""),
    ("طعن", "طعن", ""),
    ("عرقل", "عرقل", ""),
    ("أثار", "ثير", ""),  # S3: "أثارت قلقًا"
    ("تخوف", "تخوف", ""),
    ("قلق", "قلق", ""),
    ("استغرب", "ستغرب", ""),
    ("اشتكى", "شتكي", "اشتكت اشتكوا"),
    ("شكا", "شكو", "شكت شكوا"),
    ("امتنع", "متنع", ""),  # S10: an abstention is neutral, but a stance
    ("تحفظ", "تحفظ", ""),
    ("رد", "رد", "ردت ردوا"),  # ردّ "replied"
    ("اقتنع", "قتنع", ""),
    # decisions that take a stance by acting on the target (S3: "an action against X: objecting, blocking, voting
    # against"; "working toward"): adopting, allowing, banning, extending, suspending, considering
    ("اعتمد", "عتمد", ""),
    ("سمح", "سمح", ""),
    ("منع", "منع", ""),
    ("حظر", "حظر", ""),
    ("مدد", "مدد", ""),
    ("أوقف", "وقف", ""),
    ("ألغى", "لغي", "ألغت ألغوا"),
    ("جمد", "جمد", ""),
    ("درس", "درس", ""),  # "is considering"; the bare noun درس "lesson" is excluded below
    ("تقدم", "تقدم", ""),  # تقدم بمشروع "submitted a draft"
)

# Nouns, verbal nouns and participles that carry a stance or a speech act (with or without ال, in any case or
# number ending): قائلا، مؤكدة، تحذيرات، قلقهم، بيان …
NOUNS: tuple[str, ...] = _words("""
قائل مؤكد موضح مضيف مشير مشدد محذر معرب معتبر واصف لافت منتقد رافض مطالب داع منبه متوقع مرجح معلن كاشف متهم
ناف مستنكر مندد متعهد مرحب مشيد داعي مدافع موصي متسائل متخوف متحفظ متوعد مهدد مقتنع مقتنعين معترض مؤيد
معارض مشكك متمسك محتج مستغرب مطمئن متفائل متشائم
قول تصريح بيان إعلان رسالة مقابلة تغريدة
تأكيد تحذير دعوة مطالبة رفض انتقاد ترحيب إشادة إدانة تنديد استنكار اتهام نفي اعتراض معارضة تأييد
قلق مخاوف خوف تخوف ارتياح استياء غضب احتجاج تعهد التزام تقدير توقع توقعات تحفظ
اعتراف مزاعم زعم رواية شكوى شكاوى تهديد مناشدة نداء توصية اقتراح مقترح مبادرة
""")

# Quoted speech or a quoted evaluative phrase (S2, S7; GUIDELINES §6.4: "a speech or attitude word, or a
# quotation mark"): ``للصحفيين: “إنها جارتنا``, ``بأنها "سخيفة"``.
QUOTE_MARKS = "\"“”«»„"
# Multi-word cues of the claim table (§5.3: denying, citing others) that no single word carries.
PHRASES: tuple[str, ...] = _words("لا_صحة عار_عن_الصحة بحسب حسب وفقا_ل وفق نقلا_عن")
_SPACE = r"[\s\u00a0]+"
_PHRASE = re.compile("|".join(r"(?<!\w)" + _SPACE.join(map(re.escape, p.split("_"))) for p in PHRASES))

_PROCLITICS = ("", "و", "ف", "ل", "س", "وس", "فس", "ول", "فل", "ب", "وب")
_OBJECTS = ("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ني")
_PERFECT_SUFFIXES = ("", "ت", "وا", "ا", "تا", "ن", "نا", "تم", "و")  # و: before an object pronoun (قالوه)
_IMPERFECT_PREFIXES = ("ي", "ت", "ن", "ا")  # ا: the folded أ of the 1st person singular
_IMPERFECT_SUFFIXES = ("", "ون", "ان", "ين", "ن", "وا", "و", "ا")
_TA_SUFFIXES = ("ت", "ته", "تها", "تهم", "تهما", "تنا", "تي", "ات", "اته", "اتها", "اتهم", "تان", "تين")
_NOUN_SUFFIXES = ("", "ه", "ا", "ات", "ين", "ون", "ي", "تها", "ته", "تهم", "اته", "اتها", "اتهم", "ها", "هم",
                  "هما", "نا", "تنا", "اتنا")
# Bare words that fold to a cue form but are almost always something else in news prose (عبر "via", قدر "amount",
# درس "lesson", تقدم "progress", نصف "half" (نصف "we describe"), دعم "subsidy"): with a proclitic (وقدّر) they are
# verbs.
_NOT_CUES = frozenset(fold(w) for w in _words("عبر قدر درس تقدم نصف دعم"))
# Words that are never cues, with or without a proclitic: numbers and data (ونصف، اثنين، البيانات "the data"),
# فضلا عن "besides", دعم "support, subsidy" as a noun (لدعم).
_NEVER_CUES = frozenset(fold(w) for w in _words("نصف ونصف بنصف اثنين بيانات البيانات فضلا دعم لدعم الدعم ودعم"))


def _verb_forms() -> frozenset[str]:
    out: set[str] = set()
    for perfect, imperfect, extra in VERBS:
        p, i = fold(perfect), fold(imperfect)
        out.update(p + s for s in _PERFECT_SUFFIXES)
        if i:  # an empty imperfect stem: the imperfect is too ambiguous to list (يظهر "appears")
            out.update(pre + i + s for pre in _IMPERFECT_PREFIXES for s in _IMPERFECT_SUFFIXES)
        out.update(fold(w) for w in extra.split())
    return frozenset(out)


VERB_FORMS: frozenset[str] = _verb_forms()
NOUN_STEMS: frozenset[str] = frozenset(fold(n) for n in NOUNS)
# A noun in ة (folded ه) writes it ت before a pronoun or the plural: دعوة → دعوته، دعوات.
_NOUN_FORMS: frozenset[str] = frozenset(
    [n + s for n in NOUN_STEMS for s in _NOUN_SUFFIXES]
    + [n[:-1] + s for n in NOUN_STEMS if n.endswith("ه") for s in _TA_SUFFIXES]
)
_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670]+")


def is_cue(word: str) -> bool:
    """True if ``word`` (as written, with proclitics and an object pronoun) is a stance or speech cue."""
    w = fold(word)
    if w in _NOT_CUES or w in _NEVER_CUES or w == "وعبر":
        return False
    for pro in _PROCLITICS:
        if not w.startswith(pro) or len(w) - len(pro) < 2:
            continue
        rest = w[len(pro):]
        for obj in _OBJECTS:
            if obj and (not rest.endswith(obj) or len(rest) - len(obj) < 2):
                continue
            core = rest[: len(rest) - len(obj)] if obj else rest
            if core in _NOT_CUES and not pro:
                continue
            if core in VERB_FORMS:
                return True
        for stem in (rest, rest[2:] if rest.startswith("ال") else None, rest[1:] if rest.startswith("ل") else None):
            if stem and stem not in _NOT_CUES and stem in _NOUN_FORMS:
                return True
    return False


def find_cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, surface) of every cue word and cue phrase of ``text`` and of every quotation mark, in text
    order."""
    out = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text) if is_cue(m.group())]
    out += [(m.start(), m.end(), m.group()) for m in _PHRASE.finditer(text)]
    out += [(i, i + 1, c) for i, c in enumerate(text) if c in QUOTE_MARKS]
    return sorted(out)
