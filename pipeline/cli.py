"""Command line: ``python -m pipeline run [INPUT ...] --out DIR`` and ``python -m pipeline eval``.

Parses arguments, checks paths, prints a summary and sets the exit status
(0 all documents ok, 1 some failed, 2 usage error: no document found, a bad
overrides file, 3 the run itself could not complete: disk, permissions, an
output folder held by another run, 130 interrupted by Ctrl-C); the work is
done by ``pipeline.run``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sqlite3
import sys
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipeline.evaluate import Lineage, load_rows, missed_rows, score
from pipeline.explain import explain_misses, report
from pipeline.extract import Extractor
from pipeline.files import DEFAULT_MAX_BYTES
from pipeline.guard import DEFAULT_DOC_TIMEOUT
from pipeline.inputs import NoDocuments
from pipeline.outputs import RunError
from pipeline.overrides import OVERRIDES_FILE, OverrideError
from pipeline.resources import DEFAULT_MODELS_DIR, ModelError
from pipeline.run import RunOptions, run_batch
from pipeline.validation import OutputInvalid


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="conflict-events",
        description="Extract conflict events from Wikipedia articles into a spreadsheet-ready events.csv.",
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract events from folders of articles")
    run.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        default=[Path("seeds")],
        help="folders or files to read (.md, .markdown, .txt, .html), recursively; default: seeds",
    )
    run.add_argument("--out", type=Path, default=Path("outputs"), help="output folder; default: outputs")
    run.add_argument(
        "--models",
        type=Path,
        default=DEFAULT_MODELS_DIR,
        help="folder of rule and gazetteer files; default: the project's models/",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes; the output is the same for any number (default: the number of cores)",
    )
    run.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where documents are extracted: local worker processes (default), or a Dask cluster "
        "(needs the dask extra; see --scheduler)",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the cluster's scheduler (tcp://host:8786); default "
        "$DASK_SCHEDULER_ADDRESS, else a LocalCluster of --workers processes on this machine",
    )
    run.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULT_MAX_BYTES,
        help=f"skip files larger than this, with an error in documents.csv (default: {DEFAULT_MAX_BYTES})",
    )
    run.add_argument(
        "--doc-timeout",
        type=float,
        default=DEFAULT_DOC_TIMEOUT,
        help="seconds one document may take before it is stopped and marked in documents.csv; "
        f"0 for no limit (default: {DEFAULT_DOC_TIMEOUT:g})",
    )
    run.add_argument(
        "--keep-duplicates",
        action="store_true",
        help="keep the events of an article read twice (same title); by default they count once",
    )
    run.add_argument(
        "--full",
        action="store_true",
        help="extract every document again instead of reusing the last run's cache",
    )
    run.add_argument(
        "--overrides",
        type=Path,
        help=f"corrections to apply, keyed by event_id (default: {OVERRIDES_FILE} in each input folder)",
    )
    run.add_argument(
        "--xlsx", action="store_true", help="also write events.xlsx, with typed cells and filters"
    )
    run.add_argument(
        "--excel-csv", action="store_true", help="write the CSV files with a UTF-8 BOM for Excel"
    )
    run.add_argument(
        "--acled",
        action="store_true",
        help="also write events_acled.csv, the events in ACLED's columns and codes (docs/ACLED.md)",
    )
    run.add_argument(
        "--no-report", action="store_true", help="do not write report.html (timeline, map and events table)"
    )
    commands.add_parser("bench", help="measure speed and memory on a generated corpus (see its --help)")
    evaluate = commands.add_parser("eval", help="score an events table against a hand-coded gold file")
    evaluate.add_argument(
        "--gold", nargs="+", type=Path, required=True, help="gold CSV file(s), codebook format"
    )
    evaluate.add_argument(
        "--pred",
        type=Path,
        default=Path("outputs/events.csv"),
        help="events table to score; default: outputs/events.csv",
    )
    evaluate.add_argument("--json", type=Path, help="also write the scores to this JSON file")
    evaluate.add_argument("--show-misses", action="store_true", help="list missed events and field errors")
    evaluate.add_argument(
        "--explain",
        action="store_true",
        help="for each missed event, print its sentence, what each tagger found there and why "
        "no event was made (needs --docs)",
    )
    evaluate.add_argument(
        "--docs", type=Path, help="the input folder the predictions were made from (for --explain)"
    )
    evaluate.add_argument("--models", type=Path, default=DEFAULT_MODELS_DIR, help=argparse.SUPPRESS)
    return main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from pipeline.bench import main as bench

        return bench(argv[1:])
    args = parser().parse_args(argv)
    if args.command == "eval":
        return run_eval(args)
    missing = [str(p) for p in args.inputs if not p.exists()]
    if missing:
        print(
            f"error: input not found: {', '.join(missing)} (give existing folders or files)", file=sys.stderr
        )
        return 2
    if args.overrides and not args.overrides.is_file():
        print(f"error: overrides file not found: {args.overrides}", file=sys.stderr)
        return 2
    if args.workers < 1 or args.max_bytes < 1 or args.doc_timeout < 0:
        print(
            "error: --workers and --max-bytes take a whole number of 1 or more, --doc-timeout 0 or more",
            file=sys.stderr,
        )
        return 2
    if args.engine == "dask" and importlib.util.find_spec("distributed") is None:
        print("error: --engine dask needs Dask: pip install 'conflict-events[dask]'", file=sys.stderr)
        return 2
    options = RunOptions(
        models_dir=args.models,
        workers=args.workers,
        max_bytes=args.max_bytes,
        keep_duplicates=args.keep_duplicates,
        full=args.full,
        xlsx=args.xlsx,
        acled=args.acled,
        excel_csv=args.excel_csv,
        progress=True,
        report=not args.no_report,
        doc_timeout=args.doc_timeout or None,
        overrides=args.overrides,
        engine=args.engine,
        scheduler=args.scheduler,
    )
    try:
        summary = run_batch(args.inputs, args.out, options)
    except KeyboardInterrupt:
        print(f"{_new_line()}interrupted: nothing was changed in {args.out}", file=sys.stderr)
        return 130
    except ModelError as err:
        print(f"error: rules in models/ are broken: {err}", file=sys.stderr)
        return 2
    except (NoDocuments, OverrideError) as err:
        print(f"error: {err}; nothing was changed in {args.out}", file=sys.stderr)
        return 2
    except (RunError, OutputInvalid, OSError, sqlite3.Error) as err:
        print(
            f"error: the run could not complete, nothing was changed in {args.out}: {_cause(err)}",
            file=sys.stderr,
        )
        return 3
    for failure in summary.failures:
        print(f"error: {failure}", file=sys.stderr)
    for warning in summary.warnings:
        print(warning, file=sys.stderr)
    for line in summary.change_lines():
        print(line)
    print(summary.line())
    return 1 if summary.failures else 0


def _new_line() -> str:
    """On a terminal, a line break first: the progress bar and the echoed ^C hold the line."""
    return "\n" if sys.stderr.isatty() else ""


def _version() -> str:
    try:
        return version("conflict-events")
    except PackageNotFoundError:
        return "(not installed: run from a source folder)"


def _cause(err: Exception) -> str:
    if isinstance(err, OSError) and err.strerror:
        return f"{err.strerror.lower()}" + (f" ({err.filename})" if err.filename else "")
    return str(err)


if __name__ == "__main__":
    sys.exit(main())


def run_eval(args: argparse.Namespace) -> int:
    if args.explain and (args.docs is None or not args.docs.is_dir()):
        print("error: --explain needs --docs DIR, the folder the predictions were made from", file=sys.stderr)
        return 2
    missing = [str(p) for p in [*args.gold, args.pred] if not p.is_file()]
    if missing:
        print(
            f"error: file not found: {', '.join(missing)} (run the pipeline first, or give --pred)",
            file=sys.stderr,
        )
        return 2
    gold = [row for path in args.gold for row in load_rows(path)]
    pred = load_rows(args.pred)
    lineage = Lineage.from_models(args.models)
    result = score(gold, pred, lineage, args.show_misses)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(
        f"event_f1={result['event_f1']} core_f1={result['core_f1']} strict_f1={result['strict_f1']} "
        f"casualty_f1={result['casualty_f1']}"
    )
    if args.explain:
        result["explanations"] = _explain(args, gold, pred, lineage)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


def _explain(args: argparse.Namespace, gold: list[dict], pred: list[dict], lineage: Lineage) -> list[dict]:
    """Print why each missed gold event was missed; the explanations, for the JSON file."""
    explanations = explain_misses(missed_rows(gold, pred, lineage), args.docs, Extractor(args.models))
    print()
    print(report(explanations))
    return [asdict(explanation) for explanation in explanations]
