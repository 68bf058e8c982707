"""Commands on the books for treasurers and auditors: ``import``, ``export``,
``report``.

Each catches the read models up first where it reads them (showing
progress on standard error) and writes its own output on standard output, so
``khuyenhoc export --format csv > so-sach.csv`` and ``khuyenhoc report … |
less`` work as expected.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TextIO

from api.books import exports, reports
from api.books.csv_import import Importer, RowError, count_rows
from api.books.csv_import.importer import DEFAULT_RECORDED_BY
from api.books.csv_import.values import CellError
from api.books.csv_import.values import day as parse_day
from api.books.figures import LANGS
from api.cli import read_model_progress
from api.cli.progress import Progress
from api.cli.subcommands import (
    EXIT_DATA_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    Subcommands,
    core_from_settings,
)
from ledger.seals import SealedLog
from storage.engines import DISK_FULL, is_disk_full

WRITERS = {
    "csv": exports.write_csv,
    "jsonl": exports.write_jsonl,
    "hledger": exports.write_hledger,
}


def register(subcommands: Subcommands) -> None:
    importing = subcommands.add(
        "import",
        summary="import CSV files (organisations, membership, campaigns, entries)",
        description="Import the CSV files of design §5; each file's kind is known "
        "by its header, and the files may be given in any order. Every row is "
        "checked against the ledger's rules; any error (all are listed, with "
        "file, line and column) means nothing at all is imported. Importing the "
        "same files again changes nothing.",
        example="khuyenhoc import organisations.csv membership.csv campaigns.csv "
        "entries.csv",
        run=_import,
    )
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument(
        "--recorded-by",
        default=DEFAULT_RECORDED_BY,
        help=f"who the entries are recorded by (default {DEFAULT_RECORDED_BY})",
    )

    export = subcommands.add(
        "export",
        summary="export the books: csv (spreadsheets), jsonl (events), hledger",
        description="Write the books on standard output (or --output): csv, one "
        "row per entry, for Excel and LibreOffice and for re-import; jsonl, the "
        "raw event log for archiving; hledger, a journal whose 'hledger bal' "
        "shows the ledger's balances. --org limits it to an organisation and "
        "everything under it; --from and --to to business dates (for jsonl, the "
        "dates events were recorded).",
        example="khuyenhoc export --format hledger --org NA-DC > na-dc.journal",
        run=_export,
    )
    export.add_argument("--format", required=True, choices=sorted(WRITERS))
    export.add_argument("--org", metavar="CODE")
    export.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    export.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    export.add_argument("--output", "-o", type=Path, metavar="FILE")

    report = subcommands.add(
        "report",
        summary="print an organisation's yearly summary, as the province prints it",
        description="Print the year's figures of an organisation (or, with "
        "--subtree, of it and everything under it): raised, per inhabitant, "
        "scholarships and awards, recipients, members. Vietnamese conventions "
        "by default (87,1 tỷ đồng; 775.276; 23,2%); --lang en for English; "
        "--json for the HTTP summary's JSON, plain numbers.",
        example="khuyenhoc report --org NA --year 2022 --subtree",
        run=_report,
    )
    report.add_argument("--org", required=True, metavar="CODE")
    report.add_argument("--year", required=True, type=int, metavar="YYYY")
    report.add_argument("--subtree", action="store_true")
    report.add_argument("--json", action="store_true")
    report.add_argument("--lang", choices=LANGS, default="vi")


def _date(text: str) -> date:
    try:
        return parse_day(text)
    except CellError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _import(args: argparse.Namespace) -> int:
    files: list[Path] = args.files
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        print(f"khuyenhoc import: no such file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress("import", count_rows(files), "rows")

    def show(error: RowError) -> None:
        progress.interrupt(str(error))

    started = time.perf_counter()
    with core_from_settings() as core:
        importer = Importer(
            core.ledger,
            recorded_by=args.recorded_by,
            on_error=show,
            progress=progress.update,
        )
        result = importer.run(files)
        progress.finish(importer.rows_done)
        if not result.committed:
            errors = f"{result.errors:,} error{'' if result.errors == 1 else 's'}"
            print(f"khuyenhoc: {errors}; nothing was imported", file=sys.stderr)
            return EXIT_DATA_ERROR
        seconds = time.perf_counter() - started
        try:
            # Seal what was imported, so that a later change to it is found.
            sealed = SealedLog(core.ledger)
            sealed.seal()
            seal = sealed.last()
            position = read_model_progress.catch_up(core.read_models)
        except Exception as error:
            if not is_disk_full(error):
                raise
            print(
                f"khuyenhoc import: {result.events:,} new events imported; "
                f"then sealing or the read models stopped: {DISK_FULL}",
                file=sys.stderr,
            )
            return EXIT_DATA_ERROR
    for file in result.files:
        print(f"{file.name}: {file.rows:,} rows ({file.kind})")
    print(
        f"imported {importer.rows_done:,} rows in {seconds:.1f} s: "
        f"{result.events:,} new events; the read models are at log position "
        f"{position:,}"
    )
    if seal is not None:
        print(
            f"sealed up to log position {seal.position:,} "
            f"(seal #{seal.seal_no}: {seal.seal_hash})"
        )
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    selection = exports.Selection(args.org, args.date_from, args.date_to)
    with core_from_settings() as core:
        read_model_progress.catch_up(core.read_models)
        # On a terminal the rows themselves show the progress.
        shown = args.output is not None or not sys.stdout.isatty()
        progress = Progress(f"export {args.format}", None, "rows")
        with _output(args.output) as out:
            written = WRITERS[args.format](
                core.read_models,
                selection,
                out,
                progress.update if shown else lambda _rows: None,
            )
        if shown:
            progress.finish(written)
    return EXIT_OK


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is not None:
        with path.open("w", encoding="utf-8", newline="") as file:
            yield file
        return
    sys.stdout.flush()
    yield sys.stdout


def _report(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        position = read_model_progress.catch_up(core.read_models)
        summary = core.queries.summary(args.org, args.year, subtree=args.subtree)
        seal = SealedLog(core.ledger).last()
        if args.json:
            print(reports.as_json(summary, position=position, seal=seal))
            return EXIT_OK
        # The name in force in the year reported: a 2022 report prints 2022's.
        name = core.queries.name_on(args.org, date(args.year, 12, 31))
        today = core.ledger.today()
    print(
        reports.render(
            summary,
            name=name,
            position=position,
            today=today,
            lang=args.lang,
            seal=seal,
        ),
        end="",
    )
    return EXIT_OK
