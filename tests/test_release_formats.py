"""The release as other tools read it: Parquet for pandas, polars, pyarrow.dataset and DuckDB; ClassLabel for
every closed vocabulary; a card the Hub's own parser accepts with every field its specification expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.schema import VIEWS, Record, view

CARD_FIELDS = ("pretty_name", "language", "license", "license_name", "license_link", "annotations_creators",
               "language_creators", "multilinguality", "size_categories", "source_datasets", "task_categories",
               "task_ids", "tags", "configs", "dataset_info")


def _parquet_files(built: Path) -> dict[str, int]:
    m = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    card = _card(built)
    counts = {s["name"]: s["num_examples"] for info in card.dataset_info for s in info["splits"]
              if info["config_name"] == "articles"}
    return {p: counts[Path(p).name.split("-")[0]] for p in m["files"] if p.endswith(".parquet")}


def _card(built: Path):
    from huggingface_hub import DatasetCard

    return DatasetCard.load(built / "README.md").data


def test_every_parquet_file_reads_in_pandas_polars_pyarrow_and_duckdb(built):
    import duckdb
    import pandas as pd
    import polars as pl
    import pyarrow.dataset as ds

    files = _parquet_files(built)
    assert len(files) == len(VIEWS) * 3
    for rel, n in files.items():
        path = built / rel
        assert len(pd.read_parquet(path)) == n
        assert pl.read_parquet(path).height == n
        assert pl.scan_parquet(path).select(pl.len()).collect().item() == n
        assert ds.dataset(path, format="parquet").count_rows() == n
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall() == [(n,)]


def test_the_card_points_its_configs_at_the_parquet_files(built):
    card = _card(built)
    for config in card.configs:
        for entry in config["data_files"]:
            assert entry["path"].endswith(".parquet") and (built / entry["path"]).is_file()


def _choices(rec: Record, prefix: str = "") -> dict[str, tuple[str, ...]]:
    out = {}
    for f in rec.fields:
        if f.choices is not None:
            out[prefix + f.name] = f.choices
        if f.record is not None:
            out.update(_choices(f.record, f"{prefix}{f.name}."))
    return out


def _class_labels(features, prefix: str = "") -> dict[str, tuple[str, ...]]:
    from datasets import ClassLabel, List

    out = {}
    for name, feat in features.items():
        if isinstance(feat, ClassLabel):
            out[prefix + name] = tuple(feat.names)
        elif isinstance(feat, List) and isinstance(feat.feature, dict):
            out.update(_class_labels(feat.feature, f"{prefix}{name}."))
    return out


@pytest.mark.parametrize("config", list(VIEWS))
def test_closed_vocabularies_are_class_labels_from_the_schema(built, config):
    from datasets import Dataset

    loaded = Dataset.from_file(str(built / f"data/{config}/test-00000-of-00001.arrow"))
    assert _class_labels(loaded.features) == _choices(view(config))
    if config == "entities":
        row = loaded[0]["entities"][0]
        names = loaded.features["entities"].feature["label"].names
        assert names[row["label"]] in ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "OCC", "EVENT", "PRODUCT")


def test_the_card_is_hub_complete(built):
    card = _card(built)
    data = card.to_dict()
    for field in CARD_FIELDS:
        assert data.get(field), f"card field {field} is empty"
    assert data["license"] == "other" and (built / data["license_link"]).is_file()
    for info in data["dataset_info"]:
        assert info["version"] == data["version"] and info["citation"].startswith("@misc{")
    text = (built / "README.md").read_text(encoding="utf-8")
    assert "```bibtex" in text and "path/to/dataset" not in text
    for link in ("DATASHEET.md", "LICENSE.md"):
        assert f"]({link})" in text and (built / link).is_file()


def test_load_dataset_reports_the_release_version_and_licence(built, tmp_path):
    import subprocess
    import sys

    from conftest import REPO

    code = ("import datasets\n"
            f"ds = datasets.load_dataset({str(built)!r}, 'stance', split='test', cache_dir={str(tmp_path)!r})\n"
            "print(ds.info.version, ds.info.license, ds.features['targets'].feature['kind'].names)\n")
    env = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-1500:]
    version = json.loads((REPO / "annotations" / "release.json").read_text(encoding="utf-8"))["version"]
    assert r.stdout.split("\n")[0] == f"{version} khabar-mixed ['claim', 'policy']"


def test_the_load_time_script_runs_and_prints_its_ratio(built):
    import subprocess
    import sys

    from conftest import REPO

    r = subprocess.run([sys.executable, str(REPO / "benchmarks/perf/load_time.py"), "--dataset", str(built),
                        "--runs", "1", "--config", "numbers"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-1500:]
    assert "ratio Parquet / Arrow" in r.stdout
