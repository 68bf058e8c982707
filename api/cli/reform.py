"""``khuyenhoc reform preview|apply PLAN.csv``: a restructuring plan
(``api.books.restructuring``), previewed with nothing recorded, or applied
all or nothing. ``khuyenhoc restructure PLAN.csv [--dry-run]`` is the same."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.books.figures import LANGS
from api.books.restructuring import apply_plan, preview_plan
from api.books.restructuring.text import render
from api.cli import read_model_progress
from api.cli.subcommands import (
    EXIT_DATA_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    Subcommands,
    core_from_settings,
)

RECORDED_BY = "reform"
EXAMPLE = "op,code,name,level,parent_code,into_code,fund,amount_vnd,effective_on"


def register(subcommands: Subcommands) -> None:
    reform = subcommands.add(
        "reform",
        summary="preview or apply a restructuring plan (CSV), all or nothing",
        description="A restructuring plan is a CSV file of operations — register, "
        "rename, level, move, merge, split, dissolve — with the header "
        f"{EXAMPLE}. 'preview' prints what would change (each organisation's "
        "name, level, parent and status, every balance that moves and where to, "
        "the totals before and after) and records nothing; 'apply' records the "
        "whole plan in one transaction, or nothing if any line fails. The "
        "ledger works out a safe order. Applying the same plan again changes "
        "nothing.",
        example="khuyenhoc reform preview nghe-an-2025.csv",
        run=_reform_help,
    )
    reform.set_defaults(parser_for_help=reform)
    actions = reform.add_subparsers(metavar="ACTION")
    for name, run, help_text in (
        ("preview", _preview, "print what the plan would change; record nothing"),
        ("apply", _apply, "record the whole plan, or nothing if a line fails"),
    ):
        action = actions.add_parser(name, help=help_text, description=help_text)
        _options(action)
        action.set_defaults(run=run)

    restructure = subcommands.add(
        "restructure",
        summary="apply a restructuring plan (--dry-run: preview it)",
        description="The same as 'reform apply' ('reform preview' with --dry-run).",
        example="khuyenhoc restructure nghe-an-2025.csv --dry-run",
        run=_restructure,
    )
    _options(restructure)
    restructure.add_argument("--dry-run", action="store_true")


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", type=Path, metavar="PLAN.csv")
    parser.add_argument("--lang", choices=LANGS, default="vi")
    parser.add_argument(
        "--recorded-by",
        default=RECORDED_BY,
        help=f"who the changes are recorded by (default {RECORDED_BY})",
    )


def _reform_help(args: argparse.Namespace) -> int:
    args.parser_for_help.print_help()
    return EXIT_USAGE


def _restructure(args: argparse.Namespace) -> int:
    return _run(args, preview=args.dry_run)


def _preview(args: argparse.Namespace) -> int:
    return _run(args, preview=True)


def _apply(args: argparse.Namespace) -> int:
    return _run(args, preview=False)


def _run(args: argparse.Namespace, *, preview: bool) -> int:
    path: Path = args.plan
    if not path.is_file():
        print(f"khuyenhoc reform: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    with core_from_settings() as core:
        run = preview_plan if preview else apply_plan
        outcome = run(core.ledger, path, recorded_by=args.recorded_by)
        if outcome.applied:
            read_model_progress.catch_up(core.read_models)
    print(render(outcome, file=path.name, preview=preview, lang=args.lang), end="")
    return EXIT_DATA_ERROR if outcome.errors else EXIT_OK
