"""``stance-cues``: stance triples from reporting verbs and cue lexicons, one sentence at a time.

For each sentence (:func:`khabar.sentences.split_sentences`):

1. **Cue.** The first cue verb of the lexicons below anchors the triple (a leading و or ف and an enclitic ه، ها،
   هم are allowed). Its polarity is that of the first support or oppose cue of the sentence, else neutral, so
   ``قال الوزير إنه يرفض …`` is oppose (the reporting verb names the holder, the evaluative cue the stance).
   ``وصف … بأنه/بأنها`` counts only with a negative word after it (``سخيف``، ``غير مقبول`` …); ``طالب`` only with a
   ``ب`` word soon after it (``طالب`` is also "student").
2. **Negation** (S5). ``لم``، ``لا``، ``لن``، ``ليس`` right before the cue: a negated support cue is oppose
   (``لا نؤيد``); a negated oppose cue is neutral, not support (``لم يرفض``); a negated neutral cue stays neutral.
3. **Holder.** With entity mentions (entities-gazetteer's, when its model exists): the nearest mention after the
   cue before the clause ends (a comma, ``إن``/``أن``, a colon), a person preferred to the title before it (S2);
   else the nearest mention before the cue (SVO). Without mentions: the words after the cue up to a comma,
   ``إن``/``أن``, a preposition, a function word or five words. No holder, no triple (S8).
4. **Target.** The target with the most content words that occur in the sentence, words compared with and
   without proclitics and ``ال`` and with one spelling of alif, ta marbuta and alif maqsura, function words
   ignored; ties go to the lowest id; a sentence that shares nothing with any target is skipped.

One triple per (holder, target): the first occurrence wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from khabar.sentences import split_sentences
from khabar.systems.gazetteer import STOP, Token, proclitic_readings, tokenize

NAME = "stance-cues"


def _forms(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


SUPPORT = _forms(
    "أكد أكدت أكدوا يؤكد تؤكد نؤكد",
    "رحب رحبت رحبوا يرحب ترحب نرحب",
    "أيد أيدت أيدوا يؤيد تؤيد نؤيد أؤيد",
    "دعا دعت دعوا يدعو تدعو ندعو",
    "أشاد أشادت أشادوا يشيد تشيد نشيد",
    "طالب طالبت طالبوا يطالب تطالب نطالب",
    "دعم دعمت دعموا يدعم تدعم ندعم",
    "وافق وافقت وافقوا يوافق توافق نوافق",
)
OPPOSE = _forms(
    "نفى نفت نفوا ينفي تنفي ننفي",
    "رفض رفضت رفضوا يرفض ترفض نرفض",
    "حذر حذرت حذروا يحذر تحذر نحذر",
    "انتقد انتقدت انتقدوا ينتقد تنتقد ننتقد",
    "أدان أدانت أدانوا يدين تدين ندين",
    "عارض عارضت عارضوا يعارض تعارض نعارض",
    "اعترض اعترضت اعترضوا يعترض تعترض نعترض",
    "ندد نددت نددوا يندد تندد نندد",
)
DESCRIBE = _forms("وصف وصفت وصفوا يصف تصف")
NEUTRAL = _forms(
    "قال قالت قالوا يقول تقول",
    "أوضح أوضحت أوضحوا يوضح توضح",
    "أشار أشارت أشاروا يشير تشير",
    "ذكر ذكرت ذكروا يذكر تذكر",
    "أفاد أفادت أفادوا يفيد تفيد",
    "توقع توقعت توقعوا يتوقع تتوقع",
    "رجح رجحت رجحوا يرجح ترجح",
)
NEGATORS = frozenset({"لم", "لا", "لن", "ليس", "ليست"})
NEGATIVE_WORDS = _forms("سخيف سخيفة سخيفا سخيفًا مرفوض مرفوضة مرفوضا كاذب كاذبة كاذبا باطل باطلة باطلا "
                        "خطير خطيرة خطيرا مقبول مقبولة مقبولا ملفقة مفبركة")
_AFTER_DESCRIBE = frozenset({"بأنه", "بأنها", "بأنهم", "بأنهما", "بأن", "بانه", "بانها"})
# words that end the holder phrase of the rule (no entity mentions)
_CLAUSE_END = _forms("إن أن بأن أنه إنه أنها إنها أنهم إنهم لأن في من إلى على عن مع خلال أمام بعد قبل أمس اليوم "
                     "مساء صباح يوم الذي التي الذين حول")
_HOLDER_LABELS = ("PER", "ORG", "GPE", "NORP", "OCC")
_ENCLITICS = ("هما", "هم", "ها", "ه")
_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def _readings(word: str) -> list[str]:
    """The word, without a leading و/ف, and either without an enclitic pronoun."""
    bases = [word] + ([word[1:]] if word[:1] in "وف" and len(word) > 3 else [])
    out = []
    for b in bases:
        out.append(b)
        out += [b[: -len(e)] for e in _ENCLITICS if b.endswith(e) and len(b) - len(e) >= 3]
    return out


def cue_polarity(tokens: Sequence[Token], i: int) -> str | None:
    """The polarity the cue at token ``i`` expresses by itself (before negation), or None if it is no cue."""
    for w in _readings(tokens[i].text):
        if w in SUPPORT:
            if w.lstrip("يتن").startswith("طالب") and not any(t.text.startswith("ب") and len(t.text) > 2
                                                             for t in tokens[i + 1:i + 6]):
                return None
            return "support"
        if w in OPPOSE:
            return "oppose"
        if w in DESCRIBE:
            rest = [t.text for t in tokens[i + 1:i + 25]]
            k = next((j for j, x in enumerate(rest) if x in _AFTER_DESCRIBE), None)
            if k is not None and any(x in NEGATIVE_WORDS for x in rest[k + 1:k + 4]):
                return "oppose"
            return None
        if w in NEUTRAL:
            return "neutral"
    return None


def _negated(tokens: Sequence[Token], i: int) -> bool:
    if i == 0:
        return False
    prev = tokens[i - 1].text
    return prev in NEGATORS or (prev[:1] in "وف" and prev[1:] in NEGATORS)


def sentence_polarity(tokens: Sequence[Token]) -> tuple[int, str] | None:
    """(index of the anchoring cue, polarity) of a sentence's tokens, negation applied (S5), or None."""
    cues = [(i, p) for i in range(len(tokens)) if (p := cue_polarity(tokens, i))]
    if not cues:
        return None
    anchor = cues[0][0]
    i, polarity = next(((i, p) for i, p in cues if p != "neutral"), cues[0])
    if _negated(tokens, i):
        polarity = {"support": "oppose", "oppose": "neutral"}.get(polarity, "neutral")
    return anchor, polarity


_BOUNDARY = _forms("، , : ؛ « \" “ إن أن بأن أنه إنه أنها إنها أنهم إنهم لأن")


def _clause_end(tokens: Sequence[Token], i: int) -> int:
    """Offset where the clause after token ``i`` ends (comma, colon, quote, إن/أن), or the sentence's end."""
    return next((t.start for t in tokens[i + 1:] if t.text in _BOUNDARY), tokens[-1].end)


def holder_from_mentions(tokens: Sequence[Token], cue: int, mentions: Sequence[Mapping[str, Any]]
                         ) -> list[int] | None:
    """The holder span among entity mentions: after the cue within its clause (a name before its title), else
    the nearest before the cue."""
    cue_start, cue_end = tokens[cue].start, tokens[cue].end
    usable = [m for m in mentions if m["label"] in _HOLDER_LABELS]
    end = _clause_end(tokens, cue)
    after = [m for m in usable if cue_end <= m["start"] and m["end"] <= end]
    if after:
        first = min(after, key=lambda m: m["start"])
        if first["label"] == "OCC":
            first = next((m for m in sorted(after, key=lambda m: m["start"]) if m["label"] == "PER"), first)
        return [first["start"], first["end"]]
    before = [m for m in usable if m["end"] <= cue_start]
    if before:
        m = max(before, key=lambda m: m["end"])
        return [m["start"], m["end"]]
    return None


def holder_by_rule(tokens: Sequence[Token], cue: int) -> list[int] | None:
    """The words after the cue up to a comma, إن/أن, a preposition, a function word or five words; None if there
    are none."""
    words: list[Token] = []
    for t in tokens[cue + 1:]:
        if not t.is_word or t.text in _CLAUSE_END or t.text in STOP or len(words) == 5:
            break
        words.append(t)
    return [words[0].start, words[-1].end] if words else None


def readings(word: str) -> set[str]:
    """Forms of a word for target overlap: as written and without proclitics and ``ال``, each with one spelling of
    alif, ta marbuta and ya; empty for a function word. A word meets another when their forms meet."""
    w = _MARKS.sub("", word)
    if w in STOP or len(w) < 2:
        return set()
    forms = {w}
    for _, stem in proclitic_readings(w, 3):
        forms.add(stem)
        if stem.startswith("ال") and len(stem) > 3:
            forms.add(stem[2:])
    forms = {f.translate(_NORM) for f in forms if f not in STOP}
    return {f for f in forms if len(f) >= 2}


def _bag(tokens: Sequence[Token]) -> set[str]:
    return {f for t in tokens if t.is_word for f in readings(t.text)}


def overlap(sentence: Sequence[Token], target_ar: str) -> int:
    """How many distinct content words of the target also occur (in some form) in the sentence."""
    bag = _bag(sentence)
    words = {t.text for t in tokenize(target_ar) if t.is_word}
    return sum(1 for w in words if readings(w) & bag)


def _id_key(target_id: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", target_id)
    return (int(digits) if digits else 0, target_id)


def best_target(sentence: Sequence[Token], targets: Sequence[Mapping[str, Any]]) -> str | None:
    """The target sharing most normalised words with the sentence (ties → lowest id), or None if none shares any."""
    scored = [(overlap(sentence, t["text_ar"]), t["id"]) for t in targets]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    return min(scored, key=lambda s: (-s[0], _id_key(s[1])))[1]


def stance(text: str, targets: Sequence[Mapping[str, Any]],
           mentions: Sequence[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Stance triples of ``text``; ``mentions`` are entity spans for holders (None: the word rule)."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for s, e in split_sentences(text):
        tokens = [Token(t.start + s, t.end + s, t.text) for t in tokenize(text[s:e])]
        found = sentence_polarity(tokens)
        if not found:
            continue
        cue, polarity = found
        target = best_target(tokens, targets)
        if target is None:
            continue
        if mentions is None:
            holder = holder_by_rule(tokens, cue)
        else:
            holder = holder_from_mentions(tokens, cue, [m for m in mentions if s <= m["start"] and m["end"] <= e])
        if holder is None:
            continue
        key = (text[holder[0]:holder[1]], target)
        if key in seen:
            continue
        seen.add(key)
        out.append({"holder": holder, "target": target, "polarity": polarity})
    return out


def _mentions(text: str) -> list[dict[str, Any]] | None:
    from khabar.systems import gazetteer

    path = gazetteer.model_path()
    if not path.exists():
        return None
    return gazetteer.entities(text, gazetteer.load_gazetteer(path))


def predict(item: Mapping[str, Any]) -> dict[str, Any]:
    """The stance-cues prediction for one input record (holders from entities-gazetteer when it is trained)."""
    return {"id": item["id"], "entities": [], "numbers": [],
            "stance": stance(item["text"], item["targets"], _mentions(item["text"]))}
