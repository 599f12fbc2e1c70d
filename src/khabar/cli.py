"""The ``khabar`` command: a thin argparse layer over the library. No logic lives here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from khabar import __version__
from khabar.errors import KhabarError
from khabar.paths import annotations_dir


def _paths(p: argparse.ArgumentParser, *, annotations: bool = True, dataset: bool = True) -> None:
    if annotations:
        p.add_argument("--annotations", type=Path, help="gold store folder (default: ./annotations)")
    if dataset:
        p.add_argument("--dataset", type=Path, help="release folder or Hub dataset id (default: $KHABAR_ROOT/dataset, "
                       "the checkout's dataset/, else the release packaged with Khabar)")


def _ann(args: argparse.Namespace) -> Path:
    return args.annotations or annotations_dir()


def _ds(args: argparse.Namespace) -> Path:
    from khabar.paths import resolve_dataset

    return resolve_dataset(args.dataset)


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


def cmd_train(args: argparse.Namespace) -> int:
    from khabar.train import train

    path = train(args.system, _ann(args), args.out)
    print(f"wrote {path}")
    return 0


def cmd_systems(args: argparse.Namespace) -> int:
    from khabar import systems

    for name, (_, doc) in sorted(systems.SYSTEMS.items()):
        print(f"{name:20} {doc}")
    return 0


def _read_for_scoring(path: Path, gold) -> dict:
    from khabar.predictions import read_predictions

    preds = read_predictions(path, gold.texts)
    if gold.texts is None:  # gold from a JSONL file: articles it lacks are errors, missing ones empty
        known = set(gold.ids)
        unknown = [i for i in preds.by_id if i not in known]
        if unknown:
            raise KhabarError([f"{path}: unknown article id {unknown[0]!r} (not in the gold file)"])
        return {i: preds.by_id.get(i, {"id": i, "entities": [], "numbers": [], "stance": []}) for i in gold.ids}
    for w in preds.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return dict(preds.by_id)


def _gold(args: argparse.Namespace):
    from khabar.benchmarks.goldset import load_gold

    return load_gold(args.gold or _ds(args), args.split)


def _options(args: argparse.Namespace):
    from khabar.benchmarks.evaluate import Options

    return Options(boot=args.boot, seed=args.seed, clitic=args.clitic)


def cmd_score(args: argparse.Namespace) -> int:
    from khabar.benchmarks.evaluate import TASKS, evaluate
    from khabar.benchmarks.report import render

    gold = _gold(args)
    pred = _read_for_scoring(args.predictions, gold)
    tasks = TASKS if args.task == "all" else (args.task,)
    evals = [evaluate(t, gold, pred, _options(args), errors=args.errors, per_document=args.per_document)
             for t in tasks]
    sys.stdout.write(render(evals, args.format))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from khabar.benchmarks.evaluate import TASKS, compare
    from khabar.benchmarks.report import render_comparison

    gold = _gold(args)
    a, b = _read_for_scoring(args.a, gold), _read_for_scoring(args.b, gold)
    tasks = TASKS if args.task == "all" else (args.task,)
    sys.stdout.write(render_comparison([compare(t, gold, a, b, _options(args)) for t in tasks], args.format))
    return 0


def _board_dir(args: argparse.Namespace) -> Path:
    from khabar.paths import leaderboard_dir

    return args.leaderboard or leaderboard_dir()


def _real(args: argparse.Namespace) -> Path | None:
    """The hydrated real track to score on, or None (with one line saying how to get it)."""
    from khabar.benchmarks.goldset import real_release

    real = args.real or real_release(_ds(args))
    if (real / "manifest.json").is_file():
        return real
    if args.real is not None:
        raise KhabarError([f"{real}: not a hydrated real-track release; run `khabar hydrate --source FILE`"])
    return None


def _note_real(args: argparse.Namespace, real: Path | None) -> None:
    # said after the board is written, so that an error stays the only line when there is one
    if real is None:
        print("real track: not scored (no hydrated release beside the dataset); get WikiNewsTruth.txt from the "
              "GitHub repository kdarwish/Farasa and run `khabar hydrate --source WikiNewsTruth.txt`",
              file=sys.stderr)


def cmd_leaderboard_build(args: argparse.Namespace) -> int:
    from khabar.benchmarks.leaderboard import build_board, write_board

    real = _real(args)
    board = build_board(_ds(args), _board_dir(args) / "submissions", _options(args), real=real)
    written = write_board(board, _board_dir(args))
    print("wrote " + ", ".join(str(p) for p in written.values()))
    _note_real(args, real)
    return 0


def cmd_benchmark(args: argparse.Namespace) -> int:
    from khabar.benchmarks.leaderboard import build_board, run_baselines, write_board

    real = _real(args)
    run_baselines(_ds(args), _board_dir(args) / "submissions", real=real)
    board = build_board(_ds(args), _board_dir(args) / "submissions", _options(args), real=real)
    written = write_board(board, _board_dir(args))
    print(written["LEADERBOARD.md"].read_text(encoding="utf-8"))
    _note_real(args, real)
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


def cmd_gold_check(args: argparse.Namespace) -> int:
    from khabar.errors import InputError
    from khabar.markup import compile_markup

    problems = []
    for f in args.files:
        try:
            a = compile_markup(f.read_text(encoding="utf-8"), str(f)).article
            print(f"{f}: ok: {len(a['entities'])} entities, {len(a['numbers'])} numbers, {len(a['stance'])} stance")
        except InputError as e:
            problems += e.problems
    if problems:
        raise InputError(problems)
    return 0


def cmd_gold_lint(args: argparse.Namespace) -> int:
    from khabar.lint import lint_store, render

    report = lint_store(_ann(args), articles=args.ids)
    sys.stdout.write(render(report))
    counts = ", ".join(f"{k} {v}" for k, v in report.counts().items() if v)
    print(f"{len(report.findings)} finding(s)" + (f": {counts}" if counts else ""), file=sys.stderr)
    return 0 if report.ok else 1


def cmd_gold_audit(args: argparse.Namespace) -> int:
    from khabar.audit import draw_sample, error_rates, read_audit, render_audit
    from khabar.store import read_store

    if args.report:
        sys.stdout.write(render_audit(error_rates(read_audit(args.report))))
        return 0
    ids = [a["id"] for a in read_store(_ann(args)).articles]
    print(" ".join(draw_sample(ids, args.draw, args.seed)))
    return 0


def cmd_hydrate(args: argparse.Namespace) -> int:
    from khabar.paths import checkout_root
    from khabar.real import build_real

    out = args.out or (checkout_root() or Path.cwd()) / "dataset-real"
    rel = build_real(_ann(args), args.source, out)
    n = next((s.num_examples for s in rel.splits if s.config == "real-articles"), 0)
    print(f"hydrated {n} real article(s) into {out}: version {rel.version}, content {rel.content_hash[:12]}")
    return 0


def cmd_real_workspace(args: argparse.Namespace) -> int:
    from khabar.real import write_workspace

    ids = write_workspace(_ann(args), args.source, args.out, main_registry=_ann(args) / "entities.jsonl")
    print(f"wrote a hydrated store of {len(ids)} article(s) to {args.out}; annotate there with `khabar gold "
          f"render|apply|lint --annotations {args.out}`, then `khabar real export`")
    return 0


def cmd_real_export(args: argparse.Namespace) -> int:
    from khabar.real import export_round, export_workspace

    ids = export_workspace(args.workspace, args.source, _ann(args), args.ids)
    print(f"wrote offsets-only gold of {len(ids)} article(s) to {_ann(args) / 'real'}")
    for name in args.round or ():
        written = export_round(args.workspace, name, _ann(args))
        print(f"wrote {len(written)} file(s) of round {name}, without surfaces, to {_ann(args) / 'rounds' / name}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from khabar.stats import compute_stats, render_stats
    from khabar.store import read_store

    arts = read_store(_ann(args)).articles
    if args.split:
        arts = tuple(a for a in arts if a["split"] == args.split)
    sys.stdout.write(render_stats(compute_stats(arts)))
    return 0


def _server(args: argparse.Namespace):
    from khabar.labelstudio.client import server_from_env

    return server_from_env(args.url, args.token)


def cmd_annotate_config(args: argparse.Namespace) -> int:
    from khabar.labelstudio.config import labeling_config

    _out(args.output, labeling_config() + "\n")
    return 0


def cmd_annotate_push(args: argparse.Namespace) -> int:
    from khabar.labelstudio.rounds import parse_article_ids, push

    res = push(_ann(args), args.round, parse_article_ids(args.articles), _server(args), args.prelabel)
    print(f"round {args.round}: project {res.project_id}; imported {len(res.imported)} task(s)"
          + (f", {len(res.already_there)} already there" if res.already_there else ""))
    return 0


def cmd_annotate_pull(args: argparse.Namespace) -> int:
    from khabar.labelstudio.rounds import pull

    res = pull(_ann(args), args.round, _server(args))
    print(f"round {args.round}: raw export {res.raw_file.name}{'' if res.new_raw else ' (unchanged, reused)'}; "
          f"converted {len(res.converted)} annotation(s)"
          + (f"; repaired {res.repaired} UTF-16 region(s)" if res.repaired else ""))
    if res.errors:
        raise KhabarError(list(res.errors))
    return 0


def cmd_annotate_agreement(args: argparse.Namespace) -> int:
    from khabar.labelstudio.agreement import round_agreement, write_agreement

    report = round_agreement(_ann(args), args.round)
    md, js = write_agreement(_ann(args), args.round, report)
    sys.stdout.write(js if args.format == "json" else md)
    return 0


def cmd_annotate_adjudicate(args: argparse.Namespace) -> int:
    from khabar.labelstudio.adjudicate import adjudicate

    res = adjudicate(_ann(args), args.round)
    print(f"round {args.round}: {res.agreed} agreed item(s) in candidate/, {res.conflicts} conflict(s) in "
          f"{res.conflicts_file}: set each \"decision\" to \"accept\" or \"reject\", then run merge")
    return 0


def cmd_annotate_merge(args: argparse.Namespace) -> int:
    from khabar.labelstudio.adjudicate import merge

    ids = merge(_ann(args), args.round)
    print(f"round {args.round}: merged {len(ids)} article(s) into the gold store: {', '.join(ids)}; "
          "run `khabar release build`")
    return 0


def cmd_annotate_import(args: argparse.Namespace) -> int:
    from khabar.labelstudio.rounds import import_markup

    ids = import_markup(_ann(args), args.round, args.annotator, args.files)
    print(f"round {args.round}: recorded {len(ids)} article(s) annotated by {args.annotator}")
    return 0


def cmd_gold_ingest(args: argparse.Namespace) -> int:
    from khabar.authoring import scraped_markup

    meta = {k: getattr(args, k) for k in ("id", "source", "url", "section", "region", "license", "split")}
    _out(args.output, scraped_markup(args.file.read_text(encoding="utf-8"), meta))
    return 0


def _scoring_args(p: argparse.ArgumentParser) -> None:
    from khabar.benchmarks.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED
    from khabar.schema import SPLITS

    p.add_argument("--gold", type=Path, help="release folder (default: ./dataset) or a JSONL in the prediction "
                   "format, so that any two files can be compared")
    p.add_argument("--split", choices=SPLITS, default="test", help="split of the release (default: test)")
    p.add_argument("--boot", type=int, default=DEFAULT_RESAMPLES, help="bootstrap resamples (default: %(default)s)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed (default: %(default)s)")
    p.add_argument("--clitic", action="store_true", help="entity boundaries ignore leading و ف ب ل ك")
    _paths(p, annotations=False)


def _board_args(p: argparse.ArgumentParser) -> None:
    from khabar.benchmarks.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED

    p.add_argument("--leaderboard", type=Path, help="leaderboard folder (default: ./benchmarks/leaderboard)")
    p.add_argument("--real", type=Path, help="hydrated real-track release (default: ./dataset-real when present)")
    p.add_argument("--boot", type=int, default=DEFAULT_RESAMPLES, help="bootstrap resamples (default: %(default)s)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="bootstrap seed (default: %(default)s)")
    p.set_defaults(clitic=False)
    _paths(p, annotations=False)


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

    p = sub.add_parser("train", help="train a baseline on the train split of the gold store; write its model")
    p.add_argument("--system", required=True, help="entities-gazetteer or entities-crf")
    p.add_argument("--out", type=Path, help="model folder (default: ./benchmarks/models)")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("systems", help="list registered systems")
    p.set_defaults(func=cmd_systems)

    p = sub.add_parser("score", help="score a prediction file: every figure with a 95%% CI and a signature")
    p.add_argument("--task", choices=("entities", "numbers", "stance", "all"), default="all")
    p.add_argument("--predictions", type=Path, required=True, help="JSONL in the prediction format")
    _scoring_args(p)
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    p.add_argument("--errors", action="store_true", help="list entity false positives and false negatives")
    p.add_argument("--per-document", action="store_true", help="entity scores per article")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("compare", help="paired-bootstrap test of two prediction files on the same gold")
    p.add_argument("a", type=Path, help="predictions of system A")
    p.add_argument("b", type=Path, help="predictions of system B")
    p.add_argument("--task", choices=("entities", "numbers", "stance", "all"), default="all")
    _scoring_args(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("benchmark", help="run the baselines on validation and test, score them, write and print "
                       "the leaderboard")
    _board_args(p)
    p.set_defaults(func=cmd_benchmark)

    lb = sub.add_parser("leaderboard", help="the leaderboard of submitted systems")
    lsub = lb.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = lsub.add_parser("build", help="score every submission; write LEADERBOARD.md, leaderboard.json and .html")
    _board_args(p)
    p.set_defaults(func=cmd_leaderboard_build)

    p = sub.add_parser("stats", help="count articles, mentions, numbers by phenomenon and stance triples")
    p.add_argument("--split", choices=SPLITS)
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("hydrate", help="join the real track's committed annotations with the public Wikinews "
                       "text; write a local release with real-* configs")
    p.add_argument("--source", required=True, help="a copy of WikiNewsTruth.txt (kdarwish/Farasa) or of the "
                   "55-article subset, or its URL when online; articles are found by the SHA-256 of their text")
    p.add_argument("--out", type=Path, help="release folder to write (default: ./dataset-real)")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_hydrate)

    real = sub.add_parser("real", help="annotate the real track: a hydrated workspace and its offsets-only export")
    rsub2 = real.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = rsub2.add_parser("workspace", help="write a hydrated gold store (text included) outside the repository")
    p.add_argument("--source", type=Path, required=True, help="a copy of the Wikinews file")
    p.add_argument("--out", type=Path, required=True, help="folder for the workspace (never inside the repository)")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_real_workspace)
    p = rsub2.add_parser("export", help="write annotations/real/ (offsets, labels, values, ids) from a workspace")
    p.add_argument("--workspace", type=Path, required=True)
    p.add_argument("--source", type=Path, required=True, help="the Wikinews file the workspace was made from")
    p.add_argument("ids", nargs="*", help="article ids to export (default: all)")
    p.add_argument("--round", action="append", help="also copy this round's record (no surfaces); repeatable")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_real_export)

    an = sub.add_parser("annotate", help="annotation rounds in Label Studio")
    asub = an.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = asub.add_parser("config", help="print the labeling config generated from the schema")
    p.add_argument("--output", type=Path)
    p.set_defaults(func=cmd_annotate_config)
    p = asub.add_parser("import-markup", help="record markup files as one annotator's work in a round")
    p.add_argument("--round", required=True)
    p.add_argument("--annotator", required=True, help="who annotated the files")
    p.add_argument("files", type=Path, nargs="+")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_annotate_import)
    for action, helptext, func in (
        ("push", "create or reuse the round's project and import tasks (idempotent)", cmd_annotate_push),
        ("pull", "export annotations, keep the raw export, convert each annotator's work", cmd_annotate_pull),
        ("agreement", "inter-annotator agreement per pair and overall", cmd_annotate_agreement),
        ("adjudicate", "agreed items to candidate/, disagreements to conflicts.jsonl", cmd_annotate_adjudicate),
        ("merge", "merge candidate and resolved conflicts into the gold store", cmd_annotate_merge),
    ):
        p = asub.add_parser(action, help=helptext)
        p.add_argument("--round", required=True, help="round name (letters, digits, . _ -)")
        if action == "push":
            p.add_argument("--articles", required=True, help="comma-separated article ids, or a file of ids")
            p.add_argument("--prelabel", help="registered system whose output becomes Label Studio predictions")
        if action in ("push", "pull"):
            p.add_argument("--url", help="Label Studio URL (default: $LABEL_STUDIO_URL or http://127.0.0.1:8080)")
            p.add_argument("--token", help="API token (default: $LABEL_STUDIO_API_KEY; never stored)")
        if action == "agreement":
            p.add_argument("--format", choices=("table", "json"), default="table")
        _paths(p, dataset=False)
        p.set_defaults(func=func)

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
    p = gsub.add_parser("check", help="compile markup files and report problems, writing nothing")
    p.add_argument("files", type=Path, nargs="+")
    p.set_defaults(func=cmd_gold_check)
    p = gsub.add_parser("lint", help="check every annotation against the guidelines' rules (N16, E8, E12, N18, "
                        "S1, S2); exit 1 on any finding")
    p.add_argument("ids", nargs="*", help="article ids (default: every article)")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_gold_lint)
    p = gsub.add_parser("audit", help="draw a seeded sample of articles to audit, or report error rates of an "
                        "audit log")
    p.add_argument("--draw", type=int, default=10, help="how many articles to draw (default: %(default)s)")
    p.add_argument("--seed", type=int, default=20261202, help="the published seed of the draw (default: %(default)s)")
    p.add_argument("--report", type=Path, help="an audit log (JSONL): print error rates per layer with 95%% CIs")
    _paths(p, dataset=False)
    p.set_defaults(func=cmd_gold_audit)
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
    except OSError as e:
        # a path the user gave that cannot be read or written: one line, not a traceback
        print(f"khabar: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
