"""The Label Studio labeling config, generated from the schema (never maintained by hand).

Design (documented in the README):

* one ``Text`` object, right to left, with the article text;
* span labels ``entity`` (the nine entity types) and ``number`` (``NUM`` and ``COUNTED``), plus ``stance``
  (``HOLDER`` for a holder that is not an entity mention, and ``EVIDENCE``);
* per-region controls: ``entity_id`` on entity regions (coreference); ``kind``, ``approx``, ``value``, ``unit``
  and ``date`` on number regions; ``target`` and ``polarity`` on evidence regions;
* relations carry what links two spans: NUM → COUNTED is the counted noun, and (entity or HOLDER) → EVIDENCE is
  the holder of that stance triple. The relation's direction says which end is which, so it needs no label.

Targets are per article, the config per project: the target choices are slots ``t1`` … ``t5`` and each task shows
its own targets' texts.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from khabar.schema import APPROX, ENTITY_LABELS, NUMBER_KINDS, POLARITIES

MAX_TARGETS = 5
NUMBER_LABELS = ("NUM", "COUNTED")
STANCE_LABELS = ("HOLDER", "EVIDENCE")
TARGET_SLOTS = tuple(f"t{i}" for i in range(1, MAX_TARGETS + 1))
# from_name of each control, as the conversion reads them
ENTITY, NUMBER, STANCE = "entity", "number", "stance"
TEXT = "text"


def _choices(name: str, values: tuple[str, ...], when: str, label: str) -> str:
    opts = "".join(f'<Choice value={quoteattr(v)}/>' for v in values)
    return (f'<View visibleWhen="region-selected" whenTagName="{when}"><Header value={quoteattr(label)} size="6"/>'
            f'<Choices name="{name}" toName="{TEXT}" perRegion="true" whenTagName="{when}" choice="single" '
            f'showInline="true">{opts}</Choices></View>')


def _textarea(name: str, when: str, label: str) -> str:
    return (f'<View visibleWhen="region-selected" whenTagName="{when}"><Header value={quoteattr(label)} size="6"/>'
            f'<TextArea name="{name}" toName="{TEXT}" perRegion="true" whenTagName="{when}" maxSubmissions="1" '
            f'editable="true" rows="1"/></View>')


def labeling_config() -> str:
    """The XML labeling config of every Khabar round."""
    ent = "".join(f'<Label value="{v}"/>' for v in ENTITY_LABELS)
    num = "".join(f'<Label value="{v}"/>' for v in NUMBER_LABELS)
    sta = "".join(f'<Label value="{v}"/>' for v in STANCE_LABELS)
    parts = [
        '<View>',
        '<Header value="$article_id · round $round"/>',
        '<Text name="targets" value="$targets_text"/>',
        f'<Labels name="{ENTITY}" toName="{TEXT}">{ent}</Labels>',
        f'<Labels name="{NUMBER}" toName="{TEXT}">{num}</Labels>',
        f'<Labels name="{STANCE}" toName="{TEXT}">{sta}</Labels>',
        '<Relations><Relation value="link"/></Relations>',
        '<View style="direction: rtl; text-align: right; font-size: 18px; line-height: 1.9">',
        f'<Text name="{TEXT}" value="$text" granularity="symbol"/>',
        '</View>',
        _textarea("entity_id", ENTITY, "entity id (shared by all mentions of one entity)"),
        _choices("kind", NUMBER_KINDS, NUMBER, "number kind"),
        _choices("approx", APPROX, NUMBER, "approximation"),
        _textarea("value", NUMBER, "value (a number; empty when vague or a date)"),
        _textarea("unit", NUMBER, "unit (ISO 4217, UCUM symbol or %)"),
        _textarea("date", NUMBER, "date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        _choices("target", TARGET_SLOTS, STANCE, "stance target"),
        _choices("polarity", POLARITIES, STANCE, "polarity"),
        '</View>',
    ]
    return "\n".join(parts)


def task_data(article_id: str, text: str, targets: list[dict], round_name: str) -> dict:
    """The data of one task: the text, the article id, the round and the targets to show."""
    shown = "\n".join(f"{t['id']} [{t['kind']}]: {t['text_ar']} ({t['text_en']})" for t in targets) or "—"
    return {"text": text, "article_id": article_id, "round": round_name, "targets_text": shown}
