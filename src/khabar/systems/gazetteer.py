"""``entities-gazetteer``: train-split gazetteers plus a few context rules, a transparent entity baseline.

The gazetteer maps every gold mention surface of the **train split** to its (majority) label. It is matched
longest first at word boundaries; a leading proclitic و ف ب ل ك (or a pair such as وب، ول، فل، وك) is allowed
before the first word and stays outside the span (guideline E1), and ``لل`` before an ``ال`` word leaves the
span at the second lam (``للأمم المتحدة`` → ``لأمم المتحدة``).

Context rules, each a guess that the gazetteer overrides when they overlap with equal length:

* a title (``الرئيس``، ``الوزير``، ``وزير الخارجية``، ``المتحدث باسم …``، ``الدكتور`` …) is OCC, and up to three
  following name words are PER: not function words or title adjectives (``السابق``), the first without ``ال``,
  the others without a conjunction (``وقال``) or a preposition on a definite noun (``بالقرار``); a country nisba
  between title and name (``الرئيس الأمريكي جو بايدن``) is skipped;
* an organisation head noun (``وزارة``، ``هيئة``، ``شركة``، ``جامعة``، ``مجلس`` …) with up to four name words after
  it (``ال`` or ``لل`` words; after an indefinite head also one bare word, ``معهد سيجونج``) is ORG, stopping before
  a country nisba, which is a NORP of its own (E7);
* a nisba adjective (``الكويتي``، ``كورية``، ``الأمريكيين``) after a word is NORP when its stem is a country
  of the train gazetteer's one-word GPE entries (a stem whose nisba-looking words sit mostly outside entity
  spans in the train texts is dropped: ``الرياض`` → ``الرياضية`` "sporting").

Overlaps are resolved by the longest span first, then gazetteer before rule. The gazetteer is a JSON file
built by :func:`build_gazetteer` and written by ``khabar train --system entities-gazetteer``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import KhabarError
from khabar.schema import ENTITY_LABELS

NAME = "entities-gazetteer"
MODEL_FILE = "entities-gazetteer.json"
FORMAT = "khabar-gazetteer/1"

PROCLITICS = "وفبلك"


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# E1's combinations: a conjunction (و ف) then a preposition (ب ل ك).
_PAIRS = frozenset(a + b for a in "وف" for b in "بلك")
# A word: letters (any script), digits and the Arabic combining marks, which Python's \w leaves out.
_WORD = r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+"
TOKEN = re.compile(_WORD + r"|[^\w\s]")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")

TITLES = frozenset({
    "الرئيس", "الرئيسة", "الوزير", "الوزيرة", "الدكتور", "الدكتورة", "السيد", "السيدة", "النائب", "النائبة",
    "العميد", "اللواء", "العقيد", "الجنرال", "الشيخ", "الأمير", "الملك", "السفير", "السفيرة", "المستشار",
    "المتحدث", "المتحدثة", "المهندس", "القاضي",
})
# Titles in the construct state: the following ال word belongs to the title (وزير الخارجية، رئيس الوزراء).
CONSTRUCT_TITLES = frozenset({"وزير", "وزيرة", "رئيس", "رئيسة", "مدير", "مديرة", "أمين", "الأمين", "محافظ"})
SPOKESPERSON = frozenset({"المتحدث", "المتحدثة", "متحدث", "متحدثة"})
HEAD_NOUNS = frozenset({
    "وزارة", "هيئة", "شركة", "جامعة", "منظمة", "مجلس", "بنك", "مصرف", "صندوق", "اتحاد", "معهد", "مركز",
    "مؤسسة", "لجنة", "حزب", "حركة", "وكالة", "محكمة", "جمعية", "نقابة",
})
DEFINITE_HEADS = frozenset("ال" + h for h in HEAD_NOUNS)
DIRECTIONS = frozenset({
    "الشمالي", "الشمالية", "الشماليين", "الشماليون", "الجنوبي", "الجنوبية", "الجنوبيين", "الجنوبيون",
    "شمالي", "شمالية", "جنوبي", "جنوبية", "الشرقي", "الشرقية", "الغربي", "الغربية",
})
# Function words and reporting verbs: none of them starts or continues a name.
FUNCTION_WORDS = _words("""
في من إلى الى على عن مع أن إن أنه إنه أنها إنها أنهم بأن بأنه بأنها لأن الذي التي الذين اللذين هذا هذه ذلك
تلك هؤلاء هو هي هم نحن قد لقد لم لن لا ما ليس كان كانت يكون تكون كما بعد قبل خلال أمس اليوم غدا عند حيث لكن
بل أو أم ثم حتى منذ إذا إذ لو يوم عام بين ضد نحو حول دون غير كل بعض أي أيضا مثل وفق وفقا عبر لدى لدي أمام وراء
فوق تحت جدا فقط إلا سوى هنا هناك بينما عندما كيف لماذا متى أين الآن حاليا مساء صباح ظهر يومي أول آخر
قال قالت يقول تقول أكد أكدت أضاف أضافت أوضح أوضحت أشار أشارت ذكر ذكرت أفاد أفادت أعلن أعلنت صرح صرحت
""")
# Adjectives that follow a title (الرئيس السابق) but belong to organisation names (الهيئة العامة).
TITLE_ADJECTIVES = _words("""
السابق السابقة الأسبق الحالي الحالية الجديد الجديدة التنفيذي التنفيذية العام العامة الرسمي الرسمية الأول الأولى
المساعد المساعدة الأعلى المكلف المنتهية
""")
STOP = FUNCTION_WORDS | TITLE_ADJECTIVES


@dataclass(frozen=True)
class Token:
    """A token of the stored text: offsets and its string."""

    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        """Letters only (names, titles and head nouns are never digits or punctuation)."""
        return bool(_LETTERS.match(_MARKS.sub("", self.text)))


def tokenize(text: str) -> list[Token]:
    """Words (letters, digits, combining marks) and single punctuation marks, with their offsets."""
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def proclitic_readings(word: str, min_rest: int = 2) -> Iterator[tuple[int, str]]:
    """(prefix length, stem) readings of ``word``: as is, then without a proclitic or a proclitic pair.

    After ``ل`` + ``لـ`` the stem is also offered with its article restored (``لأمم`` → ``الأمم``) so it can meet
    an ``ال`` lexicon entry; the prefix length then still counts the first lam only.
    """
    yield 0, word
    for p in (1, 2):
        head, rest = word[:p], word[p:]
        if len(rest) < min_rest or not (head in PROCLITICS if p == 1 else head in _PAIRS):
            continue
        yield p, rest
        if head[-1] == "ل" and rest.startswith("ل") and not rest.startswith("ال"):
            yield p, "ا" + rest


def strip_proclitic(word: str, accept: Callable[[str], bool], min_rest: int = 2) -> tuple[int, str] | None:
    """The first reading of ``word`` (see :func:`proclitic_readings`) whose stem ``accept`` takes, or None."""
    for p, stem in proclitic_readings(word, min_rest):
        if accept(stem):
            return p, stem
    return None


def strip_al(word: str) -> str:
    """The word without the article ``ال`` (kept when too little would remain)."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def nisba_key(word: str) -> str | None:
    """The stem of a nisba adjective (``الكوريين`` → ``كور``), or None when the word does not look like one."""
    w = strip_al(word)
    for suffix in ("يين", "يون", "يات", "ية", "ي"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return None


def country_key(surface: str) -> str | None:
    """The stem a country name shares with its nisba: ``روسيا`` → ``روس``, ``السعودية`` → ``سعود``; None for a
    name of several words other than a direction (``كوريا الشمالية``), whose first word is often generic
    (``دولة``، ``شمال``، ``مدينة``)."""
    words = surface.split()
    if not words or any(w not in DIRECTIONS for w in words[1:]):
        return None
    w = strip_al(words[0])
    for suffix in ("ية", "يا", "ا"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w if len(w) >= 3 else None


# --------------------------------------------------------------------------------------------------------
# Building the gazetteer


def build_gazetteer(train_articles: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The gazetteer of train-split articles: surface → majority label (ties → first in ENTITY_LABELS), and
    the country stems of its GPE entries. Articles of any other split are ignored, so nothing leaks."""
    arts = [a for a in train_articles if a.get("split") == "train"]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for a in arts:
        for m in a["entities"]:
            votes[a["text"][m["start"]:m["end"]]][m["label"]] += 1
    order = {label: i for i, label in enumerate(ENTITY_LABELS)}
    entries = {s: min(c, key=lambda lab, c=c: (-c[lab], order[lab])) for s, c in votes.items()}
    candidates = {k for s, lab in entries.items() if lab == "GPE" for k in [country_key(s)] if k}
    return {"format": FORMAT, "articles": len(arts), "entries": dict(sorted(entries.items())),
            "countries": sorted(_attested_countries(candidates, arts))}


def _attested_countries(candidates: set[str], arts: Sequence[Mapping[str, Any]]) -> set[str]:
    # A city's stem can be an ordinary word's (الرياض → الرياضية "sporting"): drop a stem whose nisba-looking
    # words in the train texts sit mostly outside entity spans.
    inside: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for a in arts:
        covered = {i for m in a["entities"] for i in range(m["start"], m["end"])}
        for t in tokenize(a["text"]):
            for _, stem in proclitic_readings(t.text, 3):
                k = nisba_key(stem)
                if k in candidates:
                    (inside if t.end - 1 in covered else outside)[k] += 1
                    break
    return {k for k in candidates if outside[k] < 2 or inside[k] >= outside[k]}


# --------------------------------------------------------------------------------------------------------
# The model file


def model_path(models: Path | None = None) -> Path:
    """Where ``khabar train`` writes the gazetteer (default: ``benchmarks/models/`` of the checkout)."""
    from khabar.train import models_dir

    return (models or models_dir()) / MODEL_FILE


def gazetteer_json(gazetteer: Mapping[str, Any]) -> str:
    """The gazetteer as deterministic JSON text (sorted keys, one layout)."""
    return json.dumps(gazetteer, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


_CACHE: dict[Path, tuple[tuple[int, int], Any]] = {}


def load_cached(path: Path, system: str, read: Callable[[Path], Any]) -> Any:
    """``read(path)``, cached until the file changes; a missing file is a one-line error naming the fix."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise KhabarError([f"{path}: no model for {system}; run `khabar train --system {system}`"]) from None
    key = (st.st_mtime_ns, st.st_size)
    hit = _CACHE.get(path)
    if hit is None or hit[0] != key:
        hit = (key, read(path))
        _CACHE[path] = hit
    return hit[1]


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The trained gazetteer (lazily read, cached)."""
    return load_cached(path or model_path(), NAME,
                       lambda p: Gazetteer(json.loads(p.read_text(encoding="utf-8"))))


# --------------------------------------------------------------------------------------------------------
# Matching


@dataclass(frozen=True)
class Candidate:
    """A proposed span; ``rank`` 0 is the gazetteer, 1 a context rule."""

    start: int
    end: int
    label: str
    rank: int


class Gazetteer:
    """A built gazetteer, indexed for matching."""

    def __init__(self, data: Mapping[str, Any]):
        self.entries: dict[str, str] = dict(data["entries"])
        self.countries: frozenset[str] = frozenset(data["countries"])
        self._index: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for surface, label in self.entries.items():
            words = tuple(m.group() for m in TOKEN.finditer(surface))
            if words:
                self._index[words[0]].append((words, surface, label))
        for v in self._index.values():
            v.sort(key=lambda e: (-len(e[0]), e[1]))

    def matches(self, text: str, tokens: Sequence[Token]) -> list[Candidate]:
        """Every gazetteer match (possibly overlapping), longest first at each token."""
        out = []
        for i, t in enumerate(tokens):
            for p, stem in proclitic_readings(t.text):
                hit = self._match_at(text, tokens, i, p, stem)
                if hit:
                    out.append(hit)
                    break
        return out

    def _match_at(self, text: str, tokens: Sequence[Token], i: int, p: int, stem: str) -> Candidate | None:
        for words, surface, label in self._index.get(stem, ()):
            j = i + len(words)
            if j > len(tokens) or any(tokens[i + k].text != w for k, w in enumerate(words[1:], 1)):
                continue
            start, end = tokens[i].start + p, tokens[j - 1].end
            # the words must also be spaced as in the surface (no match across a line break or extra marks)
            if text[tokens[i].end:end] == surface[len(words[0]):]:
                return Candidate(start, end, label, 0)
        return None

    def is_country_nisba(self, word: str) -> bool:
        """``word`` (no proclitic) is a nisba of a known country."""
        k = nisba_key(word)
        return k is not None and k in self.countries


# --------------------------------------------------------------------------------------------------------
# Context rules


def _stem(t: Token, accept: Callable[[str], bool]) -> tuple[int, str] | None:
    return strip_proclitic(t.text, accept, 3) if t.is_word else None


def _name_word(t: Token, first: bool, gaz: Gazetteer) -> bool:
    w = t.text
    if not t.is_word or w in STOP or w in TITLES or w in HEAD_NOUNS or len(w) < 2:
        return False
    if first:
        return not w.startswith("ال")
    # a conjunction (وقال) or a preposition on a definite noun (بالقرار، للوزارة) starts a new phrase far more
    # often than a name goes on with one; a bare ب stays possible (بيسكوف، بوتين)
    clitic = w[0] in "وف" or (w[0] in "بلك" and w[1:].startswith("ال")) or w.startswith("لل")
    return not clitic and not gaz.is_country_nisba(w) and w not in DIRECTIONS


def _org_word(t: Token, first: bool, definite: bool, gaz: Gazetteer) -> bool:
    """A word that continues an organisation name after its head noun (المالية، للاستثمار، سيجونج)."""
    w = t.text
    if not t.is_word or w in FUNCTION_WORDS or w in TITLES or w in DEFINITE_HEADS or w in DIRECTIONS:
        return False
    if gaz.is_country_nisba(w):
        return False  # E7: the nationality of a body named without it is a NORP of its own
    # the ل of لل is part of the name here: مؤسسة ... للرعاية is one span
    return w.startswith(("ال", "لل")) or (first and not definite and w[0] not in "وف")


def rule_candidates(tokens: Sequence[Token], gaz: Gazetteer) -> list[Candidate]:
    """Spans proposed by the title, head-noun and nisba rules."""
    out: list[Candidate] = []
    for i in range(len(tokens)):
        out += _title_rule(tokens, i, gaz)
        out += _head_noun_rule(tokens, i, gaz)
        out += _nisba_rule(tokens, i, gaz)
    return out


def _nisba(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> tuple[int, int] | None:
    """(start, token index after) of a country nisba at token i, with a direction word after it."""
    if i >= len(tokens):
        return None
    hit = _stem(tokens[i], gaz.is_country_nisba)
    if hit is None:
        return None
    j = i + 1
    if j < len(tokens) and tokens[j].text in DIRECTIONS:
        j += 1
    return tokens[i].start + hit[0], j


def _nisba_rule(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> list[Candidate]:
    if i == 0 or not tokens[i - 1].is_word or tokens[i - 1].text in STOP:
        return []  # a nisba is an adjective: it follows a noun
    n = _nisba(tokens, i, gaz)
    return [Candidate(n[0], tokens[n[1] - 1].end, "NORP", 1)] if n else []


def _title_rule(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> list[Candidate]:
    hit = _stem(tokens[i], lambda s: s in TITLES or s in CONSTRUCT_TITLES or s == "نائب")
    if hit is None:
        return []
    p, stem = hit
    nxt = [x.text for x in tokens[i + 1:i + 4]]
    j = i + 1
    if stem == "نائب" and len(nxt) >= 2 and nxt[0] in CONSTRUCT_TITLES and nxt[1].startswith("ال"):
        j = i + 3  # نائب وزير الخارجية
    elif stem in CONSTRUCT_TITLES and nxt and nxt[0].startswith("ال") and nxt[0] not in STOP:
        j = i + 2
    elif stem not in TITLES:
        return []  # a bare نائب or وزير without its complement is too ambiguous
    out = [Candidate(tokens[i].start + p, tokens[j - 1].end, "OCC", 1)]
    if stem in SPOKESPERSON and j < len(tokens) and tokens[j].text == "باسم" and j + 1 < len(tokens):
        org = _head_noun_rule(tokens, j + 1, gaz)
        if org:
            out += org
            j = next(k for k in range(j + 1, len(tokens)) if tokens[k].end >= org[0].end) + 1
        elif _name_word(tokens[j + 1], False, gaz):
            out.append(Candidate(tokens[j + 1].start, tokens[j + 1].end, "ORG", 1))
            j += 2
        else:
            return out
    n = _nisba(tokens, j, gaz)  # الرئيس الأمريكي جو بايدن
    if n:
        j = n[1]
    k = j
    while k < len(tokens) and k - j < 3 and _name_word(tokens[k], k == j, gaz):
        k += 1
    if k > j:
        out.append(Candidate(tokens[j].start, tokens[k - 1].end, "PER", 1))
    return out


def _head_noun_rule(tokens: Sequence[Token], i: int, gaz: Gazetteer) -> list[Candidate]:
    hit = _stem(tokens[i], lambda s: s in HEAD_NOUNS or s in DEFINITE_HEADS)
    if hit is None:
        return []
    p, stem = hit
    definite = stem in DEFINITE_HEADS
    k = i + 1
    while k < len(tokens) and k - i <= 4 and _org_word(tokens[k], k == i + 1, definite, gaz):
        k += 1
    if k == i + 1:
        return []
    return [Candidate(tokens[i].start + p, tokens[k - 1].end, "ORG", 1)]


# --------------------------------------------------------------------------------------------------------
# Resolution and the system


def resolve(candidates: Iterable[Candidate]) -> list[dict[str, Any]]:
    """Flat spans from overlapping candidates: longest first, then gazetteer before rule, then leftmost."""
    taken: list[Candidate] = []
    for c in sorted(set(candidates), key=lambda c: (c.start - c.end, c.rank, c.start, c.label)):
        if all(c.end <= o.start or o.end <= c.start for o in taken):
            taken.append(c)
    return [{"start": c.start, "end": c.end, "label": c.label} for c in sorted(taken, key=lambda c: c.start)]


def entities(text: str, gaz: Gazetteer) -> list[dict[str, Any]]:
    """Entity spans of ``text``: gazetteer matches and context rules, resolved into flat spans."""
    tokens = tokenize(text)
    return resolve([*gaz.matches(text, tokens), *rule_candidates(tokens, gaz)])


def predict(item: Mapping[str, Any]) -> dict[str, Any]:
    """The entities-gazetteer prediction for one input record (loads the trained gazetteer once)."""
    return {"id": item["id"], "entities": entities(item["text"], load_gazetteer()), "numbers": [], "stance": []}
