"""Count what changed in the gold between two commits, per layer (for CHANGELOG.md)."""
import json
import subprocess
import sys
from collections import Counter

old_rev, new_rev = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None


def gold(rev):
    ls = subprocess.run(["git", "ls-tree", "--name-only", f"{rev}:annotations/gold"] if rev else
                        ["git", "ls-files", "annotations/gold"], capture_output=True, text=True, check=True)
    out = {}
    for name in ls.stdout.split():
        path = name if not rev else f"annotations/gold/{name}"
        text = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True).stdout if rev \
            else open(path, encoding="utf-8").read()
        out[path.split("/")[-1][:-6]] = [json.loads(x) for x in text.splitlines() if x.strip()]
    return out


def key(o):
    if o["layer"] in ("entity", "number"):
        return (o["start"], o["end"])
    if o["layer"] == "stance":  # triple ids are renumbered in text order; a triple is its holder, evidence, target
        return (tuple(o["holder"]), tuple(o["evidence"]), o["target"])
    return o["id"]


old, new = gold(old_rev), gold(new_rev)
c = Counter()
for aid in sorted(set(old) | set(new)):
    for layer in ("entity", "number", "target", "stance"):
        a = {key(o): o for o in old.get(aid, []) if o["layer"] == layer}
        b = {key(o): o for o in new.get(aid, []) if o["layer"] == layer}
        c[(layer, "before")] += len(a)
        c[(layer, "after")] += len(b)
        c[(layer, "added")] += len(b.keys() - a.keys())
        c[(layer, "removed")] += len(a.keys() - b.keys())
        for k in a.keys() & b.keys():
            x, y = dict(a[k]), dict(b[k])
            if layer in ("entity", "number"):  # mention ids are renumbered in text order: not a change
                x.pop("id")
                y.pop("id")
            if layer == "entity":
                same_but_id = {**x, "entity_id": ""} == {**y, "entity_id": ""}
                if x != y and same_but_id and y["entity_id"].startswith(f"{aid}:"):
                    c[(layer, "id scoped to the article (E13)")] += 1
                    continue
                if x != y and same_but_id:
                    c[(layer, "id merged with the registered one (E9)")] += 1
                    continue
            if layer == "stance":
                if x["polarity"] != y["polarity"]:
                    c[(layer, "polarity changed")] += 1
                if x["holder_entity"] != y["holder_entity"]:
                    c[(layer, "holder id changed")] += 1
                continue
            if layer == "target":
                x.pop("kind", None)
                y.pop("kind", None)
            if x != y:
                c[(layer, "modified")] += 1
for (layer, what), n in sorted(c.items()):
    print(f"{layer:7} {what:35} {n}")
