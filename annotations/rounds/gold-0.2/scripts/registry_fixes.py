"""Cross-article registry decisions of the 0.2 review (E6, E9), then pruning of ids no article mentions.

Works on the files (write_articles refuses a registry entry that changes an existing one); idempotent.
"""
import json
import pathlib

from khabar.jsonio import jsonl_text
from khabar.store import read_store

ann = pathlib.Path("annotations")
relabel = {"karrada": "LOC", "sadr-city": "LOC"}          # E6: districts of a city are LOC
merge = {"operation-aspides": "eunavfor-aspides"}          # E9: one id for the EU mission (it acts and speaks: ORG)
reg_path = ann / "entities.jsonl"
reg = {o["entity_id"]: o for o in map(json.loads, reg_path.read_text(encoding="utf-8").splitlines())}
reg.setdefault("eunavfor-aspides", {"entity_id": "eunavfor-aspides", "label": "ORG", "canonical_ar": "أسبيدس",
                                    "canonical_en": "EUNAVFOR Aspides"})
for k, lab in relabel.items():
    reg[k]["label"] = lab
used = set()
for f in sorted((ann / "gold").glob("*.jsonl")):
    lines = [json.loads(x) for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    for o in lines:
        if o["layer"] == "entity":
            o["entity_id"] = merge.get(o["entity_id"], o["entity_id"])
            if o["entity_id"] in relabel or o["entity_id"] in merge.values():
                o["label"] = reg[o["entity_id"]]["label"]
            used.add(o["entity_id"])
        if o["layer"] == "stance" and o["holder_entity"] in merge:
            o["holder_entity"] = merge[o["holder_entity"]]
    f.write_text(jsonl_text(lines), encoding="utf-8")
kept = {k: v for k, v in reg.items() if k in used}
reg_path.write_text(jsonl_text(kept[k] for k in sorted(kept)), encoding="utf-8")
read_store(ann)  # everything still valid
print(f"relabelled {len(relabel)}, merged {len(merge)}, pruned {len(reg) - len(kept)} unused registry entries")
