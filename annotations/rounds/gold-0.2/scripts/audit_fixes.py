"""After the audit was counted: fix what it found, or record the rule that keeps the gold as it is."""
import copy
import pathlib

from khabar.jsonio import jsonl_text
from khabar.store import read_store, write_articles

ann = pathlib.Path("annotations")
A = {a["id"]: copy.deepcopy(a) for a in read_store(ann).articles}
log = []

t5 = next(t for t in A["khb-0019"]["targets"] if t["id"] == "t5")
log.append({"article": "khb-0019", "item": "t5", "finding": "error S1", "action": "reworded",
            "before": t5["text_ar"], "rule": "S3 step 1c (a sister claim target is a clause)"})
t5.update(text_ar="جمّدت حكومة الوحدة الوطنية المخصصات المالية لمفوضية الانتخابات",
          text_en="The Government of National Unity froze the election commission's funds")

a = A["khb-0037"]
e9 = next(m for m in a["entities"] if m["text"] == "انتخابات مجالس المحافظات")
a["entities"] = [m for m in a["entities"] if m is not e9]
log.append({"article": "khb-0037", "item": "e9", "finding": "error E12", "action": "removed",
            "before": "EVENT provincial-elections-2023", "rule": "E12 (a generic description; the date is outside)"})

a = A["khb-0039"]
t = a["text"]
for holder, ev, eid in (("إيران", [0, 49], "iran"), ("بحرية الحرس الثوري", [50, 199], "irgc-navy")):
    h0 = t.index(holder, ev[0])
    sid = f"s{max(int(s['id'][1:]) for s in a['stance']) + 1}"
    a["stance"].append({"id": sid, "holder": [h0, h0 + len(holder)], "holder_entity": eid, "target": "t1",
                        "polarity": "support", "evidence": ev})
    log.append({"article": "khb-0039", "item": sid, "finding": "missed S4/S12d", "action": "added",
                "before": None, "rule": "S12d (the actor carrying out its own action is in favour); S4, S12h"})

for aid, nid in (("khb-0037", "n14"), ("khb-0037", "n15"), ("khb-0038", "n15")):
    log.append({"article": aid, "item": nid, "finding": "error N18", "action": "kept",
                "before": "money", "rule": "N18 as clarified in 0.2: a currency word elided after the first amount "
                "of a list or comparison in the same passage still makes the amount money (N4)"})

write_articles(ann, list(A.values()))
(ann / "rounds/gold-0.2/audit-fixes.jsonl").write_text(jsonl_text(log), encoding="utf-8")
