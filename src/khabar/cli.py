"""The ``khabar`` command: a thin argparse layer over the library. No logic lives here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from khabar import __version__
from khabar.errors import KhabarError
from khabar.paths import annotations_dir, dataset_dir


def _paths(p: argparse.ArgumentParser, *, annotations: bool = True, dataset: bool = True) -> None:
    if annotations:
        p.add_argument("--annotations", type=Path, help="gold store folder (default: ./annotations)")
    if dataset:
        p.add_argument("--dataset", type=Path, help="release folder (default: ./dataset)")


def _ann(args: argparse.Namespace) -> Path:
    return args.annotations or annotations_dir()


def _ds(args: argparse.Namespace) -> Path:
    return args.dataset or dataset_dir()


def _out(path: Path | None, text: str) -> None:
    from khabar.jsonio import write_atomic

    if path is None:
        sys.stdout.write(text)
    else:
        write_atomic(path, text)


def cmd_release_build(args: argparse.Namespace) -> int:
    from khabar.release import build

    rel = build(_ann(args), _ds(args))
    print(f"built {_ds(args)}: version {rel.version}, content {rel.content_hash[:12]}, "
          + ", ".join(f"{s.config}/{s.split}={s.num_examples}" for s in rel.splits if s.config == "articles"))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from khabar.check_release import check_all

    problems = check_all(_ann(args), _ds(args))
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print("gold store and release are valid")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from khabar.export import export
    from khabar.loaders.hf import read_split

    _out(args.output, export(read_split(args.split, _ds(args)), args.format))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from khabar import systems
    from khabar.predictions import read_inputs, write_jsonl

    try:
        system = systems.get(args.system)
    except KeyError as e:
        raise KhabarError([e.args[0]]) from None
    items = read_inputs(args.input)
    write_jsonl(args.output, [system(i) for i in tqdm(items, desc=args.system, disable=len(items) < 50)])
    return 0


def cmd_systems(args: argparse.Namespace) -> int:
    from khabar import systems

    for name, (_, doc) in sorted(systems.SYSTEMS.items()):
        print(f"{name:20} {doc}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from khabar.benchmarks.scoring import TASKS, score
    from khabar.loaders.hf import read_split
    from khabar.predictions import read_predictions, to_prediction
    from khabar.release import data_signature

    gold_dir = args.gold or _ds(args)
    articles = read_split(args.split, gold_dir)
    preds = read_predictions(args.predictions, {a["id"]: a["text"] for a in articles})
    for w in preds.warnings:
        print(f"warning: {w}", file=sys.stderr)
    gold = [to_prediction(a) for a in articles]
    tasks = TASKS if args.task == "all" else (args.task,)
    scores = [score(t, gold, preds.by_id, data=data_signature(gold_dir), split=args.split) for t in tasks]
    if args.format == "json":
        print(json.dumps([{**asdict(s), "precision": s.prf.precision, "recall": s.prf.recall, "f1": s.prf.f1}
                          for s in scores], indent=2))
    else:
        for s in scores:
            print(f"{s.task:9} P {s.prf.precision:.4f}  R {s.prf.recall:.4f}  F1 {s.prf.f1:.4f}  {s.signature}")
    return 0


def cmd_benchmark(args: argparse.Namespace) -> int:
    from khabar.benchmarks.leaderboard import markdown, run

    print(markdown(run(_ds(args))))
    return 0


def cmd_gold_render(args: argparse.Namespace) -> int:
    from khabar.authoring import render_article

    _out(args.output, render_article(_ann(args), args.id))
    return 0


def cmd_gold_apply(args: argparse.Namespace) -> int:
    from khabar.authoring import apply_markup

    ids = apply_markup(_ann(args), args.files)
    print(f"wrote {len(ids)} article(s) to {_ann(args)}: {', '.join(ids)}")
    return 0


def cmd_gold_ingest(args: argparse.Namespace) -> int:
    from khabar.authoring import scraped_markup

    meta = {k: getattr(args, k) for k in ("id", "source", "url", "section", "region", "license", "split")}
    _out(args.output, scraped_markup(args.file.read_text(encoding="utf-8"), meta))
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``khabar`` command."""
    from khabar.export import FORMATS
    from khabar.schema import REGIONS, SECTIONS, SPLITS

    ap = argparse.ArgumentParser(prog="khabar", description="Khabar: Arabic news IE dataset and benchmark.")
    ap.add_argument("--version", action="version", version=f"khabar {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rel = sub.add_parser("release", help="build the release folder from the gold store")
    rsub = rel.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = rsub.add_parser("build", help="write dataset/ (Arrow stream files, card, manifest) deterministically")
    _paths(p)
    p.set_defaults(func=cmd_release_build)

    p = sub.add_parser("validate", help="check the gold store and the release; one line per problem")
    _paths(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", help="write a split as predictions, system input, JSONL or CoNLL")
    p.add_argument("--split", choices=SPLITS, default="test")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--output", type=Path, help="file to write (default: standard output)")
    _paths(p, annotations=False)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("predict", help="run a registered system on a system-input file")
    p.add_argument("--system", required=True, help="a name from `khabar systems`")
    p.add_argument("--input", type=Path, required=True, help="JSONL from `khabar export --format input`")
    p.add_argument("--output", type=Path, required=True, help="predictions JSONL to write")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("systems", help="list registered systems")
    p.set_defaults(func=cmd_systems)

    p = sub.add_parser("score", help="score a prediction file against a release split (strict micro P/R/F1)")
    p.add_argument("--task", choices=("entities", "numbers", "stance", "all"), default="all")
    p.add_argument("--predictions", type=Path, required=True)
    p.add_argument("--gold", type=Path, help="release folder (default: ./dataset)")
    p.add_argument("--split", choices=SPLITS, default="test")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _paths(p, annotations=False)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("benchmark", help="run every system on validation and test, score, print the leaderboard")
    _paths(p, annotations=False)
    p.set_defaults(func=cmd_benchmark)

    gold = sub.add_parser("gold", help="author gold annotations with inline markup")
    gsub = gold.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = gsub.add_parser("render", help="print a stored article as markup, ready to edit")
    p.add_argument("id")
    p.add_argument("--output", type=Path)
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_gold_render)
    p = gsub.add_parser("apply", help="compile markup files into the gold store (all or nothing)")
    p.add_argument("files", type=Path, nargs="+")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_gold_apply)
    p = gsub.add_parser("ingest-scraped", help="turn a scraped page into a markup skeleton to annotate")
    p.add_argument("file", type=Path)
    p.add_argument("--id", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--url")
    p.add_argument("--section", choices=SECTIONS, required=True)
    p.add_argument("--region", choices=REGIONS, required=True)
    p.add_argument("--license", required=True)
    p.add_argument("--split", choices=SPLITS, required=True)
    p.add_argument("--output", type=Path)
    p.set_defaults(func=cmd_gold_ingest)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run one subcommand; report KhabarErrors as one line each and exit non-zero."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KhabarError as e:
        for line in e.lines():
            print(line, file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
