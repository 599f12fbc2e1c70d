"""The installed package is the product: build the wheel, install it in a fresh virtualenv, use it from an empty
folder, offline. (Installing the core's dependencies needs the package index, as any ``pip install`` does.)"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtualenv holding the wheel built from this checkout (core only)."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp.glob("khabar-*.whl")
    venv.EnvBuilder(with_pip=True).create(tmp / "venv")
    pip = subprocess.run([str(tmp / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        pytest.skip(f"the core's dependencies could not be installed: {pip.stderr.strip()[-300:]}")
    return tmp / "venv" / "bin"


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KHABAR_ROOT", "VIRTUAL_ENV", "PYTHONPATH")}
    env.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HOME=str(cwd))
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_wheel_scores_exports_and_loads_outside_a_checkout(installed, tmp_path):
    assert _run(installed, tmp_path, "khabar", "systems").returncode == 0
    r = _run(installed, tmp_path, "khabar", "export", "--format", "predictions", "--split", "test",
             "--output", "p.jsonl")
    assert r.returncode == 0, r.stderr
    assert len((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()) == 11
    r = _run(installed, tmp_path, "khabar", "score", "--task", "all", "--predictions", "p.jsonl", "--split", "test",
             "--boot", "20", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert "|data:0.2.0+" in r.stdout and "split:test" in r.stdout
    code = "import khabar; d = khabar.load('articles'); print(sorted(d), d['test'].num_rows)"
    r = _run(installed, tmp_path, "python", "-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "['test', 'train', 'validation'] 11"


def test_the_wheel_says_what_a_command_needs(installed, tmp_path):
    r = _run(installed, tmp_path, "khabar", "stats")
    assert r.returncode == 1 and r.stderr.strip().startswith("this command needs a Khabar checkout")
    _run(installed, tmp_path, "khabar", "export", "--format", "input", "--split", "test", "--output", "in.jsonl")
    r = _run(installed, tmp_path, "khabar", "predict", "--system", "numbers-pyarabic", "--input", "in.jsonl",
             "--output", "o.jsonl")
    assert r.returncode == 1 and "pip install 'khabar[baselines]'" in r.stderr and len(r.stderr.splitlines()) == 1
    r = _run(installed, tmp_path, "khabar", "export", "--format", "jsonl", "--split", "test", "--dataset",
             str(tmp_path / "nowhere"), "--output", "x.jsonl")
    assert r.returncode == 2 and not (tmp_path / "x.jsonl").exists()
