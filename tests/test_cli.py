import subprocess
import sys

import pytest

from khabar.cli import main, parser

SUBCOMMANDS = [["release", "build"], ["validate"], ["export"], ["predict"], ["systems"], ["score"], ["compare"],
               ["benchmark"], ["leaderboard", "build"], ["gold", "render"], ["gold", "apply"],
               ["gold", "ingest-scraped"]]


@pytest.mark.parametrize("cmd", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_help(cmd, capsys):
    with pytest.raises(SystemExit) as e:
        parser().parse_args([*cmd, "--help"])
    assert e.value.code == 0
    assert "usage: khabar " + " ".join(cmd) in capsys.readouterr().out


def test_console_script_is_installed():
    from pathlib import Path

    script = Path(sys.executable).parent / "khabar"
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("khabar ")


def test_unknown_system_is_a_one_line_error(tmp_path, capsys):
    f = tmp_path / "in.jsonl"
    f.write_text("", encoding="utf-8")
    assert main(["predict", "--system", "nope", "--input", str(f), "--output", str(tmp_path / "o")]) == 1
    from khabar.systems import SYSTEMS

    assert capsys.readouterr().err.strip() == f"unknown system 'nope'; registered: {', '.join(sorted(SYSTEMS))}"
    assert not (tmp_path / "o").exists()


def test_benchmark_writes_and_prints_a_signed_leaderboard(built, tmp_path, capsys, monkeypatch):
    from conftest import ANNOTATIONS

    # trained baselines read their models from <root>/benchmarks/models: train them into a scratch root
    monkeypatch.setenv("KHABAR_ROOT", str(tmp_path))
    for system in ("entities-gazetteer", "entities-crf"):
        assert main(["train", "--system", system, "--annotations", str(ANNOTATIONS)]) == 0
    assert (tmp_path / "benchmarks" / "models").is_dir()
    board = tmp_path / "leaderboard"
    assert main(["benchmark", "--dataset", str(built), "--leaderboard", str(board), "--boot", "50"]) == 0
    out = capsys.readouterr().out
    assert "numbers-digits" in out and "| empty" in out
    assert "task:entities|scheme:strict|boot:50|seed:12345" in out
    assert sorted(p.name for p in board.iterdir()) == ["LEADERBOARD.md", "leaderboard.html", "leaderboard.json",
                                                       "submissions"]
    meta = (board / "submissions" / "empty" / "meta.yaml").read_text(encoding="utf-8")
    assert "trained_on_train: false" in meta
    crf_meta = (board / "submissions" / "entities-crf" / "meta.yaml").read_text(encoding="utf-8")
    assert "trained_on_train: true" in crf_meta
    assert (board / "submissions" / "numbers-digits" / "test.jsonl").exists()


def test_gold_render_apply_round_trip(annotations_copy, tmp_path, capsys):
    f = tmp_path / "seed.khabar"
    assert main(["gold", "render", "khb-0000", "--annotations", str(annotations_copy), "--output", str(f)]) == 0
    before = {p.name: p.read_bytes() for p in annotations_copy.rglob("*.jsonl")}
    assert main(["gold", "apply", str(f), "--annotations", str(annotations_copy)]) == 0
    assert {p.name: p.read_bytes() for p in annotations_copy.rglob("*.jsonl")} == before
    # an edit through the markup lands in the standoff
    f.write_text(f.read_text(encoding="utf-8").replace("{GPE moscow}", "{GPE moscow-x}"), encoding="utf-8")
    capsys.readouterr()
    assert main(["gold", "apply", str(f), "--annotations", str(annotations_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{f}:") and "'moscow-x' is not in entity_index" in err[0]
    assert {p.name: p.read_bytes() for p in annotations_copy.rglob("*.jsonl")} == before


def test_ingest_scraped_gives_a_skeleton_that_compiles(tmp_path):
    from conftest import SEED_SOURCE

    from khabar.markup import compile_markup

    out = tmp_path / "new.khabar"
    assert main(["gold", "ingest-scraped", str(SEED_SOURCE), "--id", "khb-9000", "--source", "test", "--section",
                 "politics", "--region", "international", "--license", "x", "--split", "train",
                 "--output", str(out)]) == 0
    a = compile_markup(out.read_text(encoding="utf-8")).article
    assert a["published"] == "2024-11-22T07:13" and a["entities"] == [] and a["origin"] == "published"


def test_a_hub_id_offline_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", "jsonl", "--dataset", "someone/khabar", "--output", "x.jsonl"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("--dataset someone/khabar: not a folder, and the Hub dataset")
    assert not (tmp_path / "x.jsonl").exists()


def test_data_resolution_prefers_khabar_root_then_the_checkout(tmp_path, monkeypatch, built):
    from khabar.paths import PACKAGED, dataset_dir

    root = tmp_path / "root"
    (root / "annotations").mkdir(parents=True)
    (root / "annotations" / "articles.jsonl").write_text("", encoding="utf-8")
    import shutil

    shutil.copytree(built, root / "dataset")
    monkeypatch.setenv("KHABAR_ROOT", str(root))
    assert dataset_dir() == root / "dataset"
    monkeypatch.delenv("KHABAR_ROOT")
    monkeypatch.chdir(root / "annotations")
    assert dataset_dir() == root / "dataset"  # the enclosing checkout
    assert PACKAGED.name == "_release"
