"""Annotation rounds against a real Label Studio 1.23 server (its own virtualenv, started here on loopback)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path

import pytest
from labelstudio_server import BINARY, LabelStudioServer, free_port

from khabar.cli import main
from khabar.labelstudio.config import labeling_config
from khabar.labelstudio.convert import ConversionError, from_results, to_results, utf16_to_codepoints
from khabar.markup import compile_markup
from khabar.store import read_store, write_articles

ANNOTATORS = ("ann1@khabar.test", "ann2@khabar.test")
EMOJI_TEXT = "خبر مع رموز\nكتب المراسل 🇵🇸😊 عن زيارة ⟦ليلى حداد⟧{PER test-layla-haddad} إلى ⟦عمّان⟧{GPE test-amman} أمس."
FRONT = """---
id: {id}
source: test
origin: original
section: local
region: levant
license: CC-BY-4.0
split: train
targets:
- {{id: t1, kind: policy, text_ar: الزيارة, text_en: the visit}}
entities:
  test-layla-haddad: {{label: PER, canonical_ar: ليلى حداد, canonical_en: Layla Haddad}}
  test-amman: {{label: GPE, canonical_ar: عمان, canonical_en: Amman}}
---
"""


# --------------------------------------------------------------------------------------------------------
# Pure parts: config and conversion


def test_config_is_generated_from_the_schema_and_valid():
    from label_studio_sdk.label_interface import LabelInterface

    from khabar.schema import APPROX, ENTITY_LABELS, NUMBER_KINDS, POLARITIES

    config = labeling_config()
    li = LabelInterface(config)
    assert {c.name for c in li.controls} >= {"entity", "number", "stance", "entity_id", "kind", "approx", "value",
                                             "unit", "date", "target", "polarity"}
    for v in (*ENTITY_LABELS, *NUMBER_KINDS, *APPROX, *POLARITIES):
        assert f'value="{v}"' in config
    assert "direction: rtl" in config


def test_seed_round_trips_through_label_studio_results(seed):
    results = to_results(seed["text"], seed["entities"], seed["numbers"], seed["stance"])
    from label_studio_sdk.label_interface import LabelInterface

    assert LabelInterface(labeling_config()).validate_prediction({"result": results}) is True
    back = from_results(seed["text"], results)
    assert list(back.entities) == seed["entities"]
    assert list(back.numbers) == seed["numbers"]
    assert list(back.stance) == seed["stance"]


def test_utf16_offsets_after_emoji_are_repaired_and_bad_ones_named():
    text = "أ 🇵🇸😊 ليلى"
    start = text.index("ليلى")
    u16 = len(text[:start].encode("utf-16-le")) // 2
    assert utf16_to_codepoints(text, u16, u16 + 4) == (start, start + 4)
    region = {"id": "r9", "from_name": "entity", "to_name": "text", "type": "labels",
              "value": {"start": u16, "end": u16 + 4, "text": "ليلى", "labels": ["PER"]}}
    layers = from_results(text, [region], task=7, annotator="ann")
    assert (layers.entities[0]["start"], layers.repaired) == (start, 1)
    region["value"]["start"] += 1
    with pytest.raises(ConversionError, match=r"task 7, annotator ann, region 'r9'"):
        from_results(text, [region], task=7, annotator="ann")
    region["value"].update(start=start, end=start + 4, labels=["PERSON"])
    with pytest.raises(ConversionError, match="not in the labeling config"):
        from_results(text, [region], task=7, annotator="ann")


# --------------------------------------------------------------------------------------------------------
# The real server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not BINARY.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{BINARY} missing: `make test` installs Label Studio into .venv-ls")
        pytest.skip(f"{BINARY} missing (run `make labelstudio`)")
    srv = LabelStudioServer(tmp_path_factory.mktemp("ls"), free_port(), "admin@khabar.test",
                            secrets.token_hex(8), secrets.token_hex(20))
    srv.start()
    try:
        for name in ANNOTATORS:
            srv.add_user(name, secrets.token_hex(8), _token_of(srv, name))
        yield srv
    finally:
        srv.stop()


def _token_of(srv: LabelStudioServer, user: str) -> str:
    # per-annotator tokens derived from the admin token, so the secrets test can look for all of them
    return f"{srv.token[:20]}{ANNOTATORS.index(user)}{srv.token[21:]}"


@pytest.fixture()
def round_store(tmp_path, seed):
    """A gold store with the seed and two small articles, one with emoji before its first entity."""
    ann = tmp_path / "annotations"
    ann.mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "annotations" / "release.json", ann)
    arts, reg = [seed], []
    plain = "خبر ثان\nقالت ⟦ليلى حداد⟧{PER test-layla-haddad} إن ⟦3⟧{NUM kind=cardinal value=3} حافلات وصلت."
    for aid, body in (("t-emoji", EMOJI_TEXT), ("t-plain", plain)):
        c = compile_markup(FRONT.format(id=aid) + body)
        arts.append(c.article)
        reg += list(c.registry)
    registry = read_store(Path(__file__).resolve().parents[1] / "annotations").registry
    write_articles(ann, arts, [*registry.values(), *{r["entity_id"]: r for r in reg}.values()])
    return ann


def _client(srv, user=None):
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=srv.url, api_key=srv.token if user is None else _token_of(srv, user))


def _env(srv, monkeypatch, token=None):
    monkeypatch.setenv("LABEL_STUDIO_URL", srv.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", token or srv.token)


def _annotate(srv, project, user, edit):
    """Create one annotation per task as ``user`` through the API, from the gold layers edited by ``edit``."""
    client = _client(srv, user)
    for task in client.tasks.list(project=project):
        art = {a["id"]: a for a in _annotate.store}[task.data["article_id"]]
        ents, nums, stance = edit(art)
        client.annotations.create(id=task.id, result=to_results(art["text"], ents, nums, stance))


def _differ(art):
    ents = [dict(m) for m in art["entities"]]
    if ents:
        ents[0]["label"] = "ORG" if ents[0]["label"] != "ORG" else "PER"
    nums = [dict(n) for n in art["numbers"]]
    if nums and nums[0]["value"] is not None:
        nums[0]["value"] = nums[0]["value"] + 1
    stance = [dict(s) for s in art["stance"]]
    if stance:
        stance[0]["polarity"] = "neutral" if stance[0]["polarity"] != "neutral" else "support"
    return ents, nums, stance


def test_end_to_end_round(server, round_store, tmp_path, monkeypatch, capsys):
    store = round_store
    _env(server, monkeypatch)
    ids = "khb-0000,t-emoji,t-plain"
    assert main(["annotate", "push", "--round", "r1", "--articles", ids, "--prelabel", "numbers-rules",
                 "--annotations", str(store)]) == 0
    assert main(["annotate", "push", "--round", "r1", "--articles", ids, "--annotations", str(store)]) == 0
    assert "imported 0 task(s), 3 already there" in capsys.readouterr().out
    project = json.loads((store / "rounds/r1/round.json").read_text())["project_id"]
    tasks = list(_client(server).tasks.list(project=project))
    assert len(tasks) == 3 and all(t.total_predictions == 1 for t in tasks)  # pre-annotations imported once

    _annotate.store = read_store(store).articles
    _annotate(server, project, ANNOTATORS[0], lambda a: (a["entities"], a["numbers"], a["stance"]))
    _annotate(server, project, ANNOTATORS[1], _differ)
    assert main(["annotate", "pull", "--round", "r1", "--annotations", str(store)]) == 0
    assert "converted 6 annotation(s)" in capsys.readouterr().out
    raw = list((store / "rounds/r1/raw").glob("*.json"))
    assert len(raw) == 1
    # the emoji article comes back at code-point offsets that index the stored text
    who = "ann1_at_khabar.test"
    lines = [json.loads(x) for x in (store / f"rounds/r1/annotators/{who}/t-emoji.jsonl").read_text().splitlines()]
    text = {a["id"]: a for a in _annotate.store}["t-emoji"]["text"]
    ents = [x for x in lines if x["layer"] == "entity"]
    assert [text[e["start"]:e["end"]] for e in ents] == ["ليلى حداد", "عمّان"]

    assert main(["annotate", "agreement", "--round", "r1", "--format", "json", "--annotations", str(store)]) == 0
    report = json.loads(capsys.readouterr().out)
    (pair,) = report["pairs"]
    assert pair["articles"] == 3
    assert 0 < pair["entity_strict_f1"] < 1 and pair["entity_partial_f1"] >= pair["entity_strict_f1"]
    assert pair["number_value_agreement"] < 1 and pair["number_kind_agreement"] == 1
    assert pair["stance_polarity_alpha"] is not None and pair["stance_polarity_alpha"] < 1
    assert (store / "rounds/r1/agreement.md").exists()

    assert main(["annotate", "adjudicate", "--round", "r1", "--annotations", str(store)]) == 0
    conflicts = store / "rounds/r1/conflicts.jsonl"
    rows = [json.loads(x) for x in conflicts.read_text().splitlines()]
    assert rows and all(r["decision"] is None for r in rows)
    assert main(["annotate", "merge", "--round", "r1", "--annotations", str(store)]) == 2
    assert f"{conflicts}:1: decision: None" in capsys.readouterr().err
    for r in rows:  # the reviewer sides with annotator 1
        r["decision"] = "accept" if who in r["marked_by"] else "reject"
    conflicts.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    before = {a["id"]: a for a in read_store(store).articles}
    assert main(["annotate", "merge", "--round", "r1", "--annotations", str(store)]) == 0
    after = {a["id"]: a for a in read_store(store).articles}
    assert after == before  # annotator 1 annotated the gold, so adjudicating for them restores it exactly
    dataset = tmp_path / "dataset"
    assert main(["release", "build", "--annotations", str(store), "--dataset", str(dataset)]) == 0
    assert main(["validate", "--annotations", str(store), "--dataset", str(dataset)]) == 0


def test_pull_rejects_a_task_with_a_bad_region_and_converts_the_rest(server, round_store, monkeypatch, capsys):
    store = round_store
    _env(server, monkeypatch)
    assert main(["annotate", "push", "--round", "bad", "--articles", "t-emoji,t-plain", "--annotations",
                 str(store)]) == 0
    project = json.loads((store / "rounds/bad/round.json").read_text())["project_id"]
    arts = {a["id"]: a for a in read_store(store).articles}
    client = _client(server, ANNOTATORS[0])
    for task in client.tasks.list(project=project):
        a = arts[task.data["article_id"]]
        res = to_results(a["text"], a["entities"], a["numbers"], a["stance"])
        if a["id"] == "t-emoji":
            res[0]["value"]["end"] = len(a["text"]) + 40  # the server stores ends past the text without a word
        client.annotations.create(id=task.id, result=res)
    capsys.readouterr()
    assert main(["annotate", "pull", "--round", "bad", "--annotations", str(store)]) == 1
    err = capsys.readouterr().err
    assert "annotator ann1_at_khabar.test, region 'e1'" in err and "task" in err
    folder = store / "rounds/bad/annotators/ann1_at_khabar.test"
    assert sorted(p.name for p in folder.iterdir()) == ["t-plain.jsonl"]  # nothing of the bad task


def test_server_down_then_back_loses_and_duplicates_nothing(server, round_store, monkeypatch, capsys):
    store = round_store
    _env(server, monkeypatch)
    assert main(["annotate", "push", "--round", "fault", "--articles", "t-plain", "--annotations", str(store)]) == 0
    project = json.loads((store / "rounds/fault/round.json").read_text())["project_id"]
    a = {x["id"]: x for x in read_store(store).articles}["t-plain"]
    client = _client(server, ANNOTATORS[1])
    (task,) = client.tasks.list(project=project)
    client.annotations.create(id=task.id, result=to_results(a["text"], a["entities"], a["numbers"], a["stance"]))
    from khabar.labelstudio import client as lsc

    real_call = lsc.call

    def dying(srv, what, fn):  # the server goes down mid-pull: after the export is made, before its download
        if what == "download the export":
            server.stop()
        return real_call(srv, what, fn)

    monkeypatch.setattr(lsc, "call", dying)
    try:
        capsys.readouterr()
        assert main(["annotate", "pull", "--round", "fault", "--annotations", str(store)]) == 3
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"cannot reach Label Studio at {server.url} to download the export") and "\n" not in err
        assert not (store / "rounds/fault/raw").exists() and not (store / "rounds/fault/annotators").exists()
    finally:
        monkeypatch.setattr(lsc, "call", real_call)
        server.start()
    assert main(["annotate", "pull", "--round", "fault", "--annotations", str(store)]) == 0
    assert main(["annotate", "pull", "--round", "fault", "--annotations", str(store)]) == 0
    assert "(unchanged, reused)" in capsys.readouterr().out
    assert len(list((store / "rounds/fault/raw").glob("*.json"))) == 1
    lines = (store / "rounds/fault/annotators/ann2_at_khabar.test/t-plain.jsonl").read_text().splitlines()
    assert sum('"layer": "entity"' in x for x in lines) == len(a["entities"])
    assert len((store / "rounds/fault/pulls.jsonl").read_text().splitlines()) == 2


def test_wrong_token_and_secrets(server, round_store, monkeypatch, capsys):
    store = round_store
    _env(server, monkeypatch, token="not-a-real-token")
    assert main(["annotate", "push", "--round", "sec", "--articles", "t-plain", "--annotations", str(store)]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"Label Studio at {server.url} rejected the API token (HTTP 401)")
    assert "not-a-real-token" not in err
    _env(server, monkeypatch)
    assert main(["annotate", "push", "--round", "sec", "--articles", "t-plain", "--annotations", str(store)]) == 0
    assert main(["annotate", "pull", "--round", "sec", "--annotations", str(store)]) == 0
    out = capsys.readouterr()
    tokens = [server.token, *(_token_of(server, u) for u in ANNOTATORS)]
    for f in store.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert not any(t.encode() in data for t in tokens), f
    assert not any(t in out.out + out.err for t in tokens)
    from khabar.labelstudio.client import server_from_env

    assert server.token not in repr(server_from_env())


def test_a_real_annotator_labels_a_word_after_emoji_in_the_browser(server, round_store, monkeypatch, capsys):
    """Headless Chromium (Debian's, driven by Playwright): RTL text, a mouse selection after 🇵🇸😊, a label,
    Submit; then pull must give the span at its code-point offsets in the stored text."""
    from pathlib import Path as _Path

    chromium = _Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium missing: `make test` installs it (scripts/install-browser.sh)")
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    store = round_store
    _env(server, monkeypatch)
    assert main(["annotate", "push", "--round", "ui", "--articles", "t-emoji", "--annotations", str(store)]) == 0
    project = json.loads((store / "rounds/ui/round.json").read_text())["project_id"]
    (task,) = _client(server).tasks.list(project=project)
    text = {a["id"]: a for a in read_store(store).articles}["t-emoji"]["text"]
    word = "زيارة"  # after the emoji, not yet annotated
    start = text.index(word)
    assert text.index("😊") < start
    artifacts = Path(__file__).resolve().parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server.url}/user/login")
            page.fill("input[name=email]", server.username)
            page.fill("input[name=password]", server.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{server.url}/projects/{project}/data?task={task.id}")
            page.get_by_text("كتب المراسل", exact=False).first.wait_for(timeout=60000)
            # the data manager's table shows the text before the labeling panel renders it: wait for the panel
            page.wait_for_function("""(needle) => [...document.querySelectorAll('.lsf-richtext')]
                .some(el => el.textContent.includes(needle))""", arg="عن زيارة", timeout=60000)
            direction = page.evaluate("""(needle) => {
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                while (walker.nextNode()) {
                    const el = walker.currentNode.parentElement;
                    if (walker.currentNode.textContent.includes(needle) && el.closest('.lsf-richtext')) {
                        return getComputedStyle(el).direction;
                    }
                }
                return null;
            }""", "عن " + word)
            assert direction == "rtl"
            page.locator("text=PER").first.click()  # choose the label, then select the text
            box = page.evaluate("""(needle) => {
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                while (walker.nextNode()) {
                    const node = walker.currentNode;
                    const i = node.textContent.indexOf("عن " + needle);  // the word in the article, not a target
                    if (i >= 0 && node.parentElement.closest('.lsf-richtext')) {
                        const r = document.createRange();
                        r.setStart(node, i + 3);
                        r.setEnd(node, i + 3 + needle.length);
                        const b = r.getBoundingClientRect();
                        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
                    }
                }
                return null;
            }""", word)
            assert box is not None
            y = (box["top"] + box["bottom"]) / 2
            page.mouse.move(box["right"] - 1, y)  # right to left: the word's first letter is on the right
            page.mouse.down()
            page.mouse.move((box["left"] + box["right"]) / 2, y, steps=5)
            page.mouse.move(box["left"] + 1, y, steps=5)
            page.mouse.up()
            page.wait_for_timeout(500)
            page.screenshot(path=str(artifacts / "labelstudio-annotator.png"))
            page.get_by_role("button", name="Submit").click()
            page.wait_for_timeout(1500)
        finally:
            browser.close()
    assert main(["annotate", "pull", "--round", "ui", "--annotations", str(store)]) == 0
    (done,) = (store / "rounds/ui/annotators").iterdir()
    lines = [json.loads(x) for x in (done / "t-emoji.jsonl").read_text().splitlines()]
    (ent,) = [x for x in lines if x["layer"] == "entity"]
    assert (ent["start"], ent["end"], ent["label"], ent["text"]) == (start, start + len(word), "PER", word)
