import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ANNOTATIONS, REPO, SEED_ID

from khabar.cli import main
from khabar.release import build
from khabar.schema import VIEWS

OFFLINE = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_rebuild_is_byte_identical(built, tmp_path):
    again = tmp_path / "dataset"
    build(ANNOTATIONS, again)
    assert _files(again) == _files(built)


def test_committed_release_is_what_the_store_builds(built):
    assert _files(REPO / "dataset") == _files(built)


def test_layout_manifest_and_card(built, store):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    for rel, entry in manifest["files"].items():
        data = (built / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    assert "data/articles/test-00000-of-00001.arrow" in manifest["files"]
    card = (built / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(card.split("---\n")[1])
    assert [c["config_name"] for c in meta["configs"]] == list(VIEWS)
    assert meta["content_sha256"] == manifest["content_sha256"]
    info = {i["config_name"]: i for i in meta["dataset_info"]}
    counts = {s["name"]: s["num_examples"] for s in info["articles"]["splits"]}
    assert counts == {sp: n for sp in ("train", "validation", "test")
                      if (n := sum(a["split"] == sp for a in store.articles))}
    assert sum(s["num_bytes"] for s in info["articles"]["splits"]) == info["articles"]["dataset_size"]
    assert "canary GUID" in card


def test_arrow_files_are_ipc_streams(built, store):
    import pyarrow as pa

    path = built / "data" / "articles" / "test-00000-of-00001.arrow"
    with pa.memory_map(str(path)) as src:
        assert pa.ipc.open_stream(src).read_all().num_rows == sum(a["split"] == "test" for a in store.articles)


def test_load_dataset_offline_without_khabar(built, tmp_path):
    code = (
        "import sys, datasets\n"
        f"ds = datasets.load_dataset({str(built)!r}, 'articles', split='train', cache_dir={str(tmp_path)!r})\n"
        "row = ds[0]\n"
        "assert row['text'][row['entities'][0]['start']:row['entities'][0]['end']] == row['entities'][0]['text']\n"
        f"st = datasets.load_dataset({str(built)!r}, 'stance', split='train', cache_dir={str(tmp_path)!r})\n"
        "assert 'numbers' not in st.column_names and len(st[0]['stance']) > 0\n"
        "assert not any(m == 'khabar' or m.startswith('khabar.') for m in sys.modules), 'khabar was imported'\n"
        "print(row['id'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=OFFLINE, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == SEED_ID


def test_khabar_load_memory_maps_the_release(built):
    import khabar

    ds = khabar.load("numbers", "test", dataset=built)
    assert [Path(f["filename"]) for f in ds.cache_files] == [built / "data/numbers/test-00000-of-00001.arrow"]
    assert ds.column_names == list(VIEWS["numbers"])
    assert set(khabar.load("articles", dataset=built)) == {"train", "validation", "test"}


def test_load_after_rebuild_sees_the_new_gold(annotations_copy, tmp_path):
    """load_dataset keys its cache on the card's YAML; a rebuild with changed gold must change the YAML."""
    out, cache = tmp_path / "dataset", tmp_path / "cache"
    build(annotations_copy, out)
    probe = (
        "import datasets\n"
        f"ds = datasets.load_dataset({str(out)!r}, 'numbers', split='train', cache_dir={str(cache)!r})\n"
        "print(ds[0]['numbers'][0]['value'])\n"
    )

    def first_value() -> str:
        r = subprocess.run([sys.executable, "-c", probe], env=OFFLINE, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        return r.stdout.strip()

    assert first_value() == "5000000.0"
    gold = annotations_copy / "gold" / f"{SEED_ID}.jsonl"
    gold.write_text(gold.read_text(encoding="utf-8").replace('"value": 5000000.0', '"value": 5000001.0', 1),
                    encoding="utf-8")
    build(annotations_copy, out)
    assert first_value() == "5000001.0"


def test_validate_detects_tampering_and_staleness(annotations_copy, built, tmp_path, capsys):
    import shutil

    ds = tmp_path / "dataset"
    shutil.copytree(built, ds)
    assert main(["validate", "--annotations", str(annotations_copy), "--dataset", str(ds)]) == 0
    capsys.readouterr()
    arrow = ds / "data/stance/test-00000-of-00001.arrow"
    arrow.write_bytes(arrow.read_bytes() + b"\0")
    assert main(["validate", "--annotations", str(annotations_copy), "--dataset", str(ds)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{ds.name}/data/stance/test-00000-of-00001.arrow:0: sha256: "
                   + err[0].split("sha256: ", 1)[1]]
    assert "does not match the manifest" in err[0]
    shutil.rmtree(ds)
    shutil.copytree(built, ds)
    gold = annotations_copy / "gold" / f"{SEED_ID}.jsonl"
    gold.write_text(gold.read_text(encoding="utf-8").replace('"polarity": "neutral"', '"polarity": "support"', 1),
                    encoding="utf-8")
    assert main(["validate", "--annotations", str(annotations_copy), "--dataset", str(ds)]) == 1
    assert "differs from a fresh build of annotations/" in capsys.readouterr().err
