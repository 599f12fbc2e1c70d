"""The real-news track: cutting the Wikinews file, hydration, the workspace pair, and that no text is committed.

Tests that need the real file read it in place from ``../shared/reference/wikinews`` and skip with a message
when the folder is absent; the others run on a small file in the same format written here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import ANNOTATIONS, REPO

from khabar.cli import main
from khabar.errors import InputError
from khabar.real import (
    article_id,
    build_real,
    export_workspace,
    hydrate,
    read_real,
    real_dir,
    write_workspace,
)
from khabar.store import read_store, write_articles
from khabar.wikinews import cut, is_headline, normalise

SHARED = REPO.parent / "shared" / "reference" / "wikinews" / "WikiNewsReference.txt"
SHARED_SHA = "e9c2cb8c0595740a5018c0ba2d3bf9d6ec3ba2ce674719b0fe512ecb76a6322c"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason=f"{SHARED} is absent: the real file is not here")

# A file in the Wikinews format: diacritised, categories, headlines, blank lines anywhere.
SAMPLE = """# سِيَاسَةٌ
الْوَزِيرُ يَزُورُ الْقَاهِرَةَ

زَارَ وَزِيرُ الْخَارِجِيَّةِ الْقَاهِرَةَ أَمْسِ وَالْتَقَى 3 مَسْؤُولِينَ.
وَقَالَ إِنَّ الزِّيَارَةَ " نَاجِحَةٌ ".
# رِيَاضَةٌ
فَوْزُ الْوِفَاقِ عَلَى الْأَهْلِيِّ
فَازَ فَرِيقُ الْوِفَاقِ بِهَدَفَيْنِ.
النتائج
انْتَهَتْ الْمُبَارَاةُ 2 - 0 .
"""


def _source(tmp_path: Path, text: str = SAMPLE) -> Path:
    p = tmp_path / "WikiNewsTruth.txt"
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------------------------------------
# Cutting and normalising


def test_normalise_removes_exactly_the_diacritics_and_strips():
    assert normalise("  الْقَاهِرَةَ ٰ ") == "القاهرة"
    assert normalise("ـ") == "ـ"  # tatweel is not a diacritic: it stays
    assert unicodedata.is_normalized("NFC", normalise("إِ"))


@pytest.mark.parametrize(("line", "headline"), [
    ("الوزير يزور القاهرة", True),
    ("زار الوزير القاهرة.", False),
    ("وقال:", False),
    ("ومن بين الحضور،", False),
    (" ".join(["كلمة"] * 16), True),
    (" ".join(["كلمة"] * 17), False),
    ("النتائج", False),  # a section heading inside the football report
    ('قال إن الزيارة " ناجحة "', True),  # a closing quote is stripped before the test
])
def test_the_headline_rule(line, headline):
    assert is_headline(line) is headline


def test_cut_a_small_file():
    arts = cut(SAMPLE)
    assert [a.category for a in arts] == ["سياسة", "رياضة"]
    assert [a.section for a in arts] == ["politics", "sport"]
    assert arts[0].text == ("الوزير يزور القاهرة\nزار وزير الخارجية القاهرة أمس والتقى 3 مسؤولين.\n"
                            "وقال إن الزيارة \" ناجحة \".")
    assert arts[1].text.split("\n")[2] == "النتائج"
    assert arts[0].sha256 == hashlib.sha256(arts[0].text.encode()).hexdigest()


@needs_shared
def test_the_reference_file_cuts_into_55_articles():
    raw = SHARED.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SHARED_SHA
    arts = cut(raw.decode("utf-8"))
    assert len(arts) == 55 and len({a.sha256 for a in arts}) == 55
    assert all(a.section is not None for a in arts)


# --------------------------------------------------------------------------------------------------------
# Workspace, export, hydration


def _annotated(tmp_path: Path) -> tuple[Path, Path]:
    """A repository-like folder whose real track annotates both sample articles, made through the workspace."""
    source = _source(tmp_path)
    ann = tmp_path / "annotations"
    (ann / "real").mkdir(parents=True)
    (ann / "release.json").write_text(json.dumps({"name": "K", "version": "0.2.0", "canary": "c"}))
    ws = tmp_path / "ws"
    write_workspace(ann, source, ws)
    store = read_store(ws)
    art = dict(next(a for a in store.articles if a["headline"] == "الوزير يزور القاهرة"))
    t = art["text"]
    s = t.index("القاهرة", 10)
    n = t.index("3")
    art["entities"] = [{"id": "e1", "start": s, "end": s + 7, "text": "القاهرة", "label": "GPE",
                        "entity_id": "cairo"}]
    art["numbers"] = [{"id": "n1", "start": n, "end": n + 1, "text": "3", "kind": "cardinal", "value": 3.0,
                       "date": None, "unit": None, "approx": "exact", "counted": [n + 2, n + 9]}]
    art["region"] = "egypt_sudan"
    write_articles(ws, [art], [{"entity_id": "cairo", "label": "GPE", "canonical_ar": "القاهرة",
                                "canonical_en": "Cairo"}])
    export_workspace(ws, source, ann)
    return ann, source


def test_export_commits_offsets_and_no_text(tmp_path):
    ann, source = _annotated(tmp_path)
    committed = "".join(p.read_text(encoding="utf-8") for p in sorted(real_dir(ann).rglob("*.jsonl")))
    for article in cut(source.read_text(encoding="utf-8")):
        for line in article.text.split("\n"):
            assert line not in committed
    assert '"text"' not in committed
    real = read_real(ann)
    assert len(real.metas) == 2 and {m["region"] for m, _ in real.metas} == {"egypt_sudan", "international"}


def test_hydrate_fills_every_surface_from_the_offsets(tmp_path):
    ann, source = _annotated(tmp_path)
    arts = {a["headline"]: a for a in hydrate(ann, source)}
    a = arts["الوزير يزور القاهرة"]
    assert a["id"] == article_id(hashlib.sha256(a["text"].encode()).hexdigest())
    assert [m["text"] for m in a["entities"]] == ["القاهرة"]
    assert a["numbers"][0]["text"] == "3" and a["text"][slice(*a["numbers"][0]["counted"])] == "مسؤولين"
    assert a["entity_index"] == [{"entity_id": "cairo", "label": "GPE", "canonical_ar": "القاهرة",
                                  "canonical_en": "Cairo"}]
    assert a["url"].startswith("https://ar.wikinews.org/wiki/") and a["origin"] == "published"


def test_hydrate_builds_a_loadable_local_release(tmp_path):
    ann, source = _annotated(tmp_path)
    out = tmp_path / "dataset-real"
    assert main(["hydrate", "--source", str(source), "--out", str(out), "--annotations", str(ann)]) == 0
    code = ("import datasets, sys\n"
            f"ds = datasets.load_dataset({str(out)!r}, 'real-numbers', split='test', cache_dir={str(tmp_path)!r})\n"
            "row = [r for r in ds if r['numbers']][0]\n"
            "n = row['numbers'][0]\n"
            "assert row['text'][n['start']:n['end']] == n['text'] == '3'\n"
            "print(len(ds))\n")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "2"


def test_a_wrong_file_is_one_line_and_writes_nothing(tmp_path, capsys):
    ann, _ = _annotated(tmp_path)
    wrong = _source(tmp_path / "x", "no headline here.\n") if (tmp_path / "x").mkdir() is None else None
    out = tmp_path / "dataset-real"
    assert main(["hydrate", "--source", str(wrong), "--out", str(out), "--annotations", str(ann)]) == 2
    assert "no article found" in capsys.readouterr().err and not out.exists()


def test_a_missing_article_and_a_changed_text_are_located(tmp_path):
    ann, _ = _annotated(tmp_path)
    other = tmp_path / "o"
    other.mkdir()
    changed = _source(other, SAMPLE.replace("فَازَ فَرِيقُ", "فَازَ نَادِي"))
    with pytest.raises(InputError) as e:
        hydrate(ann, changed)
    (line,) = e.value.lines()
    assert line.startswith("annotations/real/articles.jsonl:") and "its text differs (headline found" in line
    only_one = _source(other, SAMPLE.split("# رِيَاضَةٌ")[0])
    with pytest.raises(InputError) as e:
        hydrate(ann, only_one)
    assert "no article of the file has its text" in e.value.lines()[0]
    with pytest.raises(InputError):
        build_real(ann, only_one, tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_offsets_outside_the_text_are_located_at_their_gold_line(tmp_path):
    ann, source = _annotated(tmp_path)
    gold = next((real_dir(ann) / "gold").glob("*.jsonl"))
    lines = gold.read_text(encoding="utf-8").splitlines()
    if not any('"layer": "entity"' in x for x in lines):
        gold = sorted((real_dir(ann) / "gold").glob("*.jsonl"))[1]
        lines = gold.read_text(encoding="utf-8").splitlines()
    i = next(i for i, x in enumerate(lines) if '"layer": "entity"' in x)
    obj = json.loads(lines[i])
    lines[i] = json.dumps({**obj, "end": 99999}, ensure_ascii=False)
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        hydrate(ann, source)
    assert e.value.lines()[0].startswith(f"annotations/real/gold/{gold.name}:{i + 1}: end: 99999 is outside")


# --------------------------------------------------------------------------------------------------------
# Nothing of the source's text is committed


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalise(text))


@needs_shared
def test_no_eight_word_run_of_the_source_is_committed():
    grams = set()
    for article in cut(SHARED.read_text(encoding="utf-8")):
        w = _words(article.text)
        grams |= {" ".join(w[i:i + 8]) for i in range(len(w) - 7)}
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    leaks = []
    for rel in tracked.decode().split("\0"):
        p = REPO / rel
        if not rel or not p.is_file() or p.stat().st_size > 5_000_000:
            continue
        try:
            w = _words(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue  # binary (Arrow) files hold the written corpus only; the release tests check those
        leaks += [rel for i in range(len(w) - 7) if " ".join(w[i:i + 8]) in grams][:1]
    assert not leaks, f"text of the Wikinews file is committed in {leaks}"


@needs_shared
def test_the_committed_real_track_hydrates_from_the_shared_file(tmp_path):
    if not (real_dir(ANNOTATIONS) / "articles.jsonl").exists():
        pytest.skip("the real track has no committed annotations yet")
    arts = hydrate(ANNOTATIONS, SHARED)
    assert len(arts) == len(read_real(ANNOTATIONS).metas) == 55


@needs_shared
def test_every_system_runs_on_the_real_track_and_the_board_shows_it(tmp_path, monkeypatch, built):
    """What CI checks when ../shared is present: hydrate, run every registered system, score, render."""
    if not (real_dir(ANNOTATIONS) / "articles.jsonl").exists():
        pytest.skip("the real track has no committed annotations yet")
    from khabar.benchmarks.board_markdown import render_markdown
    from khabar.benchmarks.evaluate import Options
    from khabar.benchmarks.leaderboard import build_board, run_baselines

    from khabar import systems

    monkeypatch.setenv("KHABAR_ROOT", str(tmp_path))  # trained baselines read their models from <root>/benchmarks
    for system in sorted(systems.TRAINED):
        assert main(["train", "--system", system, "--annotations", str(ANNOTATIONS)]) == 0
    real = tmp_path / "dataset-real"
    build_real(ANNOTATIONS, SHARED, real)
    subs = tmp_path / "submissions"
    ran = run_baselines(built, subs, splits=("test",), real=real)
    assert sorted(ran) == sorted(systems.SYSTEMS)
    board = build_board(built, subs, Options(boot=20), real=real)
    real_entries = {e.system: e for e in board.entries if e.split == "real"}
    assert sorted(real_entries) == sorted(systems.SYSTEMS)
    for entry in real_entries.values():
        assert {r.task for r in entry.results} == {"entities", "numbers", "stance"}
        assert all("|split:real|" in r.signature and "+real-" in r.signature for r in entry.results)
    md = render_markdown(board)
    assert "## Written test split and real-news track" in md and "### real, ranked by" in md


def test_a_round_is_exported_without_surfaces(tmp_path):
    from khabar.real import export_round

    ws = tmp_path / "ws"
    (ws / "rounds" / "r1" / "annotators" / "a").mkdir(parents=True)
    (ws / "rounds" / "r1" / "annotators" / "a" / "x.jsonl").write_text(json.dumps(
        {"layer": "entity", "start": 0, "end": 3, "text": "نصٌّ", "label": "PER"}, ensure_ascii=False) + "\n")
    (ws / "rounds" / "r1" / "conflicts.jsonl").write_text(json.dumps(
        {"article": "x", "item": {"start": 0, "text": "نص"}, "decision": "accept", "note": "E1"},
        ensure_ascii=False) + "\n")
    (ws / "rounds" / "r1" / "agreement.md").write_text("| F1 | 0.9 |\n")
    (ws / "rounds" / "r1" / "raw").mkdir()
    (ws / "rounds" / "r1" / "raw" / "export.json").write_text('[{"data": {"text": "نص"}}]')
    ann = tmp_path / "annotations"
    export_round(ws, "r1", ann)
    out = ann / "rounds" / "r1"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "agreement.md", "annotators/a/x.jsonl", "conflicts.jsonl"]
    assert "نص" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.jsonl"))
    assert json.loads((out / "conflicts.jsonl").read_text())["note"] == "E1"
