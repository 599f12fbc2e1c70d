"""E13: OCC entity ids become article-scoped (<article id>:<slug>). One-off migration."""
import copy, pathlib
from khabar.store import read_store, write_articles, paths
from khabar.jsonio import jsonl_text
ann = pathlib.Path("annotations")
s = read_store(ann)
reg = dict(s.registry)
arts, new_entries = [], {}
n = 0
for a0 in s.articles:
    a = copy.deepcopy(a0); aid = a["id"]
    ren = {}
    for m in a["entities"]:
        if m["label"] == "OCC" and ":" not in m["entity_id"]:
            ren[m["entity_id"]] = f"{aid}:{m['entity_id']}"
    for m in a["entities"]:
        if m["entity_id"] in ren:
            m["entity_id"] = ren[m["entity_id"]]; n += 1
    for st in a["stance"]:
        if st["holder_entity"] in ren:
            st["holder_entity"] = ren[st["holder_entity"]]
    for old, new in ren.items():
        new_entries[new] = {**reg[old], "entity_id": new}
    arts.append(a)
write_articles(ann, arts, list(new_entries.values()))
# drop registry entries no article mentions any more
s2 = read_store(ann)
used = {m["entity_id"] for a in s2.articles for m in a["entities"]}
_, reg_path, _ = paths(ann)
kept = {k: v for k, v in s2.registry.items() if k in used}
reg_path.write_text(jsonl_text(kept[k] for k in sorted(kept)), encoding="utf-8")
print(n, "mentions re-scoped;", len(new_entries), "article-scoped ids;", len(s2.registry) - len(kept), "unused registry entries dropped")
