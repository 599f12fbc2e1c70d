"""Entity scoring under the four SemEval-2013 schemes, as nervaluate defines them.

* strict: exact boundaries and type; exact: exact boundaries, any type; partial: any overlap, exact boundaries
  count fully and others half (partial credit); type: any overlap with the right type.

Each prediction gets one outcome (correct, incorrect, partial, spurious) and each gold mention not taken by a
prediction is missed. Matching follows nervaluate: predictions in order, each taking the first overlapping gold
mention not yet taken (strict and exact prefer the exactly matching one; type prefers the same type with the
closest boundaries). Two differences, both deliberate: any overlap of one character counts (nervaluate asks
for 1 % of the gold span, which only differs for spans over 100 characters), and spans are half-open offsets.

The work is vectorised with NumPy: spans of all documents are laid on one line (document index times a stride
plus offset), overlaps are found with two binary searches, and only predictions that compete for a gold mention
or overlap several go through the sequential matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
from khabar.benchmarks.prf import PRF, Counts

from khabar.schema import ENTITY_LABELS

SCHEMES = ("strict", "exact", "partial", "type")
PROCLITICS = frozenset("وفبلك")
# outcome codes
CORRECT, INCORRECT, PARTIAL, SPURIOUS = 0, 1, 2, 3
_OUTCOME = ("correct", "incorrect", "partial", "spurious")
_LABEL_ID = {label: i for i, label in enumerate(ENTITY_LABELS)}
_NO_PREDICTION: Mapping[str, Any] = {"entities": ()}


@dataclass(frozen=True)
class SpanError:
    """A false positive or false negative, for error analysis."""

    doc: str
    start: int
    end: int
    label: str
    outcome: str  # spurious, incorrect or partial (predictions); missed (gold)


@dataclass(frozen=True)
class SchemeScore:
    """One scheme's figures: micro (pooled over all mentions, nervaluate's "overall") and macro (unweighted mean
    over the types present in gold or predictions), with the counts per type."""

    scheme: str
    counts: Counts
    micro: PRF
    macro: PRF
    per_type: tuple[tuple[str, Counts], ...]


@dataclass(frozen=True)
class EntityScore:
    """All four schemes, per-document strict counts, and (on request) the error lists of the strict scheme."""

    schemes: tuple[SchemeScore, ...]
    per_document: tuple[tuple[str, Counts], ...]
    false_positives: tuple[SpanError, ...] = ()
    false_negatives: tuple[SpanError, ...] = ()

    def scheme(self, name: str) -> SchemeScore:
        """The figures of one scheme."""
        return next(s for s in self.schemes if s.scheme == name)


@dataclass(frozen=True)
class _Arrays:
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray


def _arrays(docs: Sequence[Sequence[Mapping[str, Any]]]) -> _Arrays:
    # C-level iteration (fromiter over itemgetter maps) and one sort: per-span Python work is what makes span
    # scorers slow, and this keeps it below the cost of building a set of tuples
    lengths = np.fromiter(map(len, docs), np.int64, len(docs))
    n = int(lengths.sum())
    bounds = np.fromiter(chain.from_iterable(map(itemgetter("start", "end"), chain.from_iterable(docs))), np.int64,
                         2 * n)
    start, end = bounds[0::2], bounds[1::2]
    label = np.fromiter(map(_LABEL_ID.__getitem__, map(itemgetter("label"), chain.from_iterable(docs))), np.int64, n)
    doc = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    key = doc * (int(end.max(initial=0)) + 1) + start
    if n > 1 and not bool(np.all(key[1:] >= key[:-1])):
        order = np.argsort(key, kind="stable")
        doc, start, end, label = doc[order], start[order], end[order], label[order]
    return _Arrays(doc, start, end, label)


@dataclass(frozen=True)
class _Matching:
    """Per-prediction outcome and matched gold index (-1 if none), per-gold 'taken' flags, for one scheme;
    ``contested`` when some prediction competed for a gold span or overlapped several."""

    outcome: np.ndarray
    gold_of: np.ndarray
    taken: np.ndarray
    contested: bool = False


def _same_start(gs: int, ps: int, text: str | None) -> bool:
    """Starts that differ only by leading proclitics (clitic-insensitive mode)."""
    if gs == ps:
        return True
    if text is None or abs(gs - ps) > 2:
        return False
    return all(ch in PROCLITICS for ch in text[min(gs, ps):max(gs, ps)])


def _match(g: _Arrays, p: _Arrays, texts: Sequence[str] | None) -> dict[str, _Matching]:
    stride = int(max(g.end.max(initial=0), p.end.max(initial=0))) + 1
    gs, ge = g.doc * stride + g.start, g.doc * stride + g.end
    ps, pe = p.doc * stride + p.start, p.doc * stride + p.end
    # gold spans are flat and sorted, so the gold spans a prediction overlaps are a contiguous run [lo, hi)
    lo = np.searchsorted(ge, ps, side="right")
    hi = np.searchsorted(gs, pe, side="left")
    ncand = np.maximum(hi - lo, 0)
    has = ncand > 0
    claim = np.bincount(lo[has], minlength=len(gs) + 1) - np.bincount(hi[has], minlength=len(gs) + 1)
    claimants = np.cumsum(claim)[:-1]
    one = ncand == 1
    j = np.where(one, lo, 0)
    simple = ~has | (one & (claimants[np.minimum(j, max(len(gs) - 1, 0))] == 1) if len(gs) else ~has)
    exact = np.zeros(len(ps), bool)
    if len(gs):
        exact = one & (ge[j] == pe) & (gs[j] == ps)
        if texts is not None:
            near = np.flatnonzero(one & ~exact & (ge[j] == pe) & (np.abs(gs[j] - ps) <= 2))
            for i in near:
                exact[i] = _same_start(int(g.start[j[i]]), int(p.start[i]), texts[int(p.doc[i])])
    same = one & (g.label[j] == p.label) if len(gs) else np.zeros(len(ps), bool)
    rules = {
        "strict": np.where(exact & same, CORRECT, INCORRECT),
        "exact": np.where(exact, CORRECT, INCORRECT),
        "partial": np.where(exact, CORRECT, PARTIAL),
        "type": np.where(same, CORRECT, INCORRECT),
    }
    out = {}
    complex_idx = np.flatnonzero(~simple)
    gold_of0 = np.where(one, j, -1)
    taken0 = np.zeros(len(gs), bool)
    taken0[gold_of0[simple & one]] = True
    for scheme, rule in rules.items():
        outcome = np.where(has, rule, SPURIOUS)
        gold_of, taken = gold_of0, taken0
        if len(complex_idx):
            gold_of, taken = gold_of0.copy(), taken0.copy()
            for i in complex_idx:
                outcome[i], gold_of[i] = _sequential(scheme, i, int(lo[i]), int(hi[i]), g, p, taken, texts)
        out[scheme] = _Matching(outcome, gold_of, taken, bool(len(complex_idx)))
    return out


def _sequential(scheme: str, i: int, lo: int, hi: int, g: _Arrays, p: _Arrays, taken: np.ndarray,
                texts: Sequence[str] | None) -> tuple[int, int]:
    """nervaluate's per-prediction loop over the gold spans it overlaps, for the few predictions that compete."""
    text = texts[int(p.doc[i])] if texts is not None else None
    ps, pe, pl = int(p.start[i]), int(p.end[i]), int(p.label[i])
    fallback = -1
    if scheme == "type":
        best, best_dist = -1, None
        for k in range(lo, hi):
            if taken[k]:
                continue
            if g.label[k] == pl:
                dist = abs(int(g.start[k]) - ps) + abs(int(g.end[k]) - pe)
                if best_dist is None or dist < best_dist:
                    best, best_dist = k, dist
            elif fallback < 0:
                fallback = k
        if best >= 0:
            taken[best] = True
            return CORRECT, best
        if fallback >= 0:
            taken[fallback] = True
            return INCORRECT, fallback
        return SPURIOUS, -1
    for k in range(lo, hi):
        if taken[k]:
            continue
        bounds = int(g.end[k]) == pe and _same_start(int(g.start[k]), ps, text)
        if bounds and (scheme != "strict" or g.label[k] == pl):
            taken[k] = True
            return CORRECT, k
        if fallback < 0:
            fallback = k
    if fallback >= 0:
        taken[fallback] = True
        return (PARTIAL if scheme == "partial" else INCORRECT), fallback
    return SPURIOUS, -1


def _counts(m: _Matching, partial_credit: bool, pmask: np.ndarray | None = None,
            gmask: np.ndarray | None = None) -> Counts:
    outcome = m.outcome if pmask is None else m.outcome[pmask]
    taken = m.taken if gmask is None else m.taken[gmask]
    c = np.bincount(outcome, minlength=4)
    return Counts(int(c[CORRECT]), int(c[INCORRECT]), int(c[PARTIAL]), int((~taken).sum()), int(c[SPURIOUS]),
                  partial_credit)


def _per_doc_counts(ids: Sequence[str], g: _Arrays, p: _Arrays, m: _Matching) -> tuple[tuple[str, Counts], ...]:
    n = len(ids)
    by = np.stack([np.bincount(p.doc[m.outcome == k], minlength=n) for k in range(4)])
    missed = np.bincount(g.doc[~m.taken], minlength=n)
    return tuple((ids[d], Counts(int(by[CORRECT, d]), int(by[INCORRECT, d]), int(by[PARTIAL, d]), int(missed[d]),
                                 int(by[SPURIOUS, d]))) for d in range(n))


def score_entities(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]], *,
                   texts: Mapping[str, str] | None = None, errors: bool = False,
                   per_document: bool = False) -> EntityScore:
    """Score entity predictions (by article id) against gold records (prediction format).

    ``texts`` (article id → text) turns on clitic-insensitive boundaries: a start that differs only by leading
    و ف ب ل ك (at most two) still matches. ``errors`` lists strict false positives and false negatives;
    ``per_document`` adds strict counts per article.
    """
    ids = [d["id"] for d in gold]
    g = _arrays([d["entities"] for d in gold])
    get = pred.get
    p = _arrays([(get(i) or _NO_PREDICTION)["entities"] for i in ids])
    text_list = [texts[i] for i in ids] if texts is not None else None
    overall = _match(g, p, text_list)
    present = np.bincount(g.label, minlength=len(ENTITY_LABELS)) + np.bincount(p.label, minlength=len(ENTITY_LABELS))
    labels = np.flatnonzero(present).tolist()
    per_type_counts = _per_type_uncontested if not overall["strict"].contested else _per_type_rematched
    typed = per_type_counts(g, p, overall, len(ids), text_list)
    schemes = []
    for scheme in SCHEMES:
        credit = scheme in ("partial", "type")
        counts = _counts(overall[scheme], credit)
        per_type = tuple((ENTITY_LABELS[lab], typed[scheme][lab].with_credit(credit)) for lab in labels)
        macro = _macro([c.prf for _, c in per_type])
        schemes.append(SchemeScore(scheme, counts, counts.prf, macro, per_type))
    strict = overall["strict"]
    per_doc = _per_doc_counts(ids, g, p, strict) if per_document else ()
    fps: tuple[SpanError, ...] = ()
    fns: tuple[SpanError, ...] = ()
    if errors:
        fps = tuple(SpanError(ids[int(p.doc[k])], int(p.start[k]), int(p.end[k]), ENTITY_LABELS[int(p.label[k])],
                              _OUTCOME[int(strict.outcome[k])]) for k in np.flatnonzero(strict.outcome != CORRECT))
        good = np.zeros(len(g.doc), bool)
        good[strict.gold_of[strict.outcome == CORRECT]] = True
        fns = tuple(SpanError(ids[int(g.doc[k])], int(g.start[k]), int(g.end[k]), ENTITY_LABELS[int(g.label[k])],
                              "missed" if not strict.taken[k] else "incorrect") for k in np.flatnonzero(~good))
    return EntityScore(tuple(schemes), per_doc, fps, fns)


def per_document_counts(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]],
                        scheme: str = "strict", texts: Mapping[str, str] | None = None) -> np.ndarray:
    """(documents × 3) array of (true positives, predicted, gold) for one scheme: what the bootstrap resamples."""
    ids = [d["id"] for d in gold]
    g = _arrays([d["entities"] for d in gold])
    p = _arrays([pred[i]["entities"] if i in pred else [] for i in ids])
    m = _match(g, p, [texts[i] for i in ids] if texts is not None else None)[scheme]
    credit = 0.5 if scheme in ("partial", "type") else 0.0
    n = len(ids)
    tp = np.bincount(p.doc, weights=(m.outcome == CORRECT) + credit * (m.outcome == PARTIAL), minlength=n)
    return np.stack([tp, np.bincount(p.doc, minlength=n), np.bincount(g.doc, minlength=n)], axis=1).astype(float)


def _per_type_rematched(g: _Arrays, p: _Arrays, overall: Mapping[str, _Matching], n_docs: int,
                        texts: Sequence[str] | None) -> dict[str, dict[int, Counts]]:
    """nervaluate scores each type with both sides filtered to it; keying documents by (type, document) does all
    types in one matching, since spans in different "documents" never meet."""
    gl, pl = _by_type(g, n_docs), _by_type(p, n_docs)
    typed = _match(gl, pl, [t for _ in ENTITY_LABELS for t in texts] if texts is not None else None)
    return {scheme: {lab: _counts(typed[scheme], False, pl.label == lab, gl.label == lab)
                     for lab in range(len(ENTITY_LABELS))} for scheme in SCHEMES}


def _per_type_uncontested(g: _Arrays, p: _Arrays, overall: Mapping[str, _Matching], n_docs: int,
                          texts: Sequence[str] | None) -> dict[str, dict[int, Counts]]:
    """Per-type counts read off the overall matching, valid when no prediction was contested: then filtering
    to one type keeps every same-type pair and turns each cross-type pair into a spurious prediction and a
    missed gold span, which is what rematching would find."""
    nt = len(ENTITY_LABELS)
    m = overall["strict"]
    glab = np.where(m.gold_of >= 0, g.label[np.maximum(m.gold_of, 0)], -1) if len(g.label) else np.full(
        len(p.label), -1)
    same = glab == p.label
    gold_n = np.bincount(g.label, minlength=nt)
    matched_same = np.bincount(p.label[same], minlength=nt)
    spurious = np.bincount(p.label[~same], minlength=nt)
    out: dict[str, dict[int, Counts]] = {}
    for scheme in SCHEMES:
        o = overall[scheme].outcome[same]
        lab = p.label[same]
        c = [np.bincount(lab[o == k], minlength=nt) for k in (CORRECT, INCORRECT, PARTIAL)]
        out[scheme] = {t: Counts(int(c[0][t]), int(c[1][t]), int(c[2][t]), int(gold_n[t] - matched_same[t]),
                                 int(spurious[t])) for t in range(nt)}
    return out


def _by_type(a: _Arrays, n_docs: int) -> _Arrays:
    """The same spans with document index label * n_docs + doc, sorted on it."""
    doc = a.label * n_docs + a.doc
    order = np.argsort(doc, kind="stable")  # stable: within a document the spans stay sorted by start
    return _Arrays(doc[order], a.start[order], a.end[order], a.label[order])


def _macro(prfs: Iterable[PRF]) -> PRF:
    prfs = list(prfs)
    if not prfs:
        return PRF(0.0, 0.0, 0.0)
    return PRF(*(float(np.mean([getattr(x, k) for x in prfs])) for k in ("precision", "recall", "f1")))


def per_document_type_counts(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]],
                             scheme: str = "strict", texts: Mapping[str, str] | None = None
                             ) -> tuple[np.ndarray, tuple[str, ...]]:
    """(documents × 3·types) array of per-type (true positives, predicted, gold), and the types present in gold
    or predictions: what the bootstrap of the macro average resamples."""
    ids = [d["id"] for d in gold]
    n, nt = len(ids), len(ENTITY_LABELS)
    g = _by_type(_arrays([d["entities"] for d in gold]), n)
    p = _by_type(_arrays([pred[i]["entities"] if i in pred else [] for i in ids]), n)
    m = _match(g, p, [t for _ in ENTITY_LABELS for t in (texts[i] for i in ids)] if texts is not None else None)
    m = m[scheme]
    credit = 0.5 if scheme in ("partial", "type") else 0.0
    tp = np.bincount(p.doc, weights=(m.outcome == CORRECT) + credit * (m.outcome == PARTIAL), minlength=n * nt)
    npred = np.bincount(p.doc, minlength=n * nt).astype(float)
    ngold = np.bincount(g.doc, minlength=n * nt).astype(float)
    # doc index is label * n + doc: reshape to (types × documents), then to documents × (type, statistic)
    table = np.stack([tp.reshape(nt, n), npred.reshape(nt, n), ngold.reshape(nt, n)], axis=2)
    present = tuple(ENTITY_LABELS[t] for t in range(nt) if table[t, :, 1:].sum() > 0)
    return table.transpose(1, 0, 2).reshape(n, nt * 3), present
