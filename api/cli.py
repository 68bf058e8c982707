"""The ``khuyenhoc`` command line.

Exit codes: 0 success, 1 a domain or data error (the message says which rule,
or ``verify`` found differences), 2 a usage error, 141 when the reader of
the output went away (``… | head``).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType

from api import cli_audit, cli_books, cli_migrate, cli_service
from api.commands import EXIT_DATA_ERROR, EXIT_OK, Commands
from api.demo import load_demo
from api.progress import Progress
from api.read_progress import counting, events_to_apply
from api.wiring import Services, open_services
from ledger import LedgerError
from ledger.persistence import DATABASE_URL_VARIABLE
from projections.errors import ReadModelError
from projections.verify import verify

SHOWN_DIFFERENCES = 50
EXIT_PIPE_CLOSED = 141
"""What a shell reports for a command whose output pipe closed (128 + SIGPIPE)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except (LedgerError, ReadModelError) as error:
        print(f"khuyenhoc: {error}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except BrokenPipeError:
        # The reader went away (`khuyenhoc export … | head`): stop quietly, as
        # a shell tool does, instead of a traceback on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khuyenhoc",
        description="Fund and scholarship ledger for Hội Khuyến học.",
        epilog=f"The database is ${DATABASE_URL_VARIABLE} "
        "(default: sqlite:///var/khuyenhoc.sqlite3).",
    )
    commands = Commands(parser.add_subparsers(required=True, metavar="COMMAND"))
    register(commands)
    cli_service.register(commands)
    cli_books.register(commands)
    cli_migrate.register(commands)
    cli_audit.register(commands)
    return parser


def register(commands: Commands) -> None:
    """The commands on the ledger and its read models."""
    commands.add(
        "demo",
        summary="record a small sample province and print its balances",
        description="Record a small sample province through the Ledger, bring the "
        "read models up to date, and print each organisation's balances and the "
        "province's 2022 summary. Running it again records nothing new.",
        example="KHUYENHOC_DATABASE_URL=sqlite:///var/demo.sqlite3 khuyenhoc demo",
        run=_demo,
    )
    commands.add(
        "rebuild",
        summary="drop the read models and replay the whole event log into them",
        description="Drop every read model (balances, summaries, campaign totals, "
        "journal, hierarchy) and rebuild them from the event log. Stop other "
        "processes that update the read models first.",
        example="khuyenhoc rebuild",
        run=_rebuild,
    )
    checking = commands.add(
        "verify",
        summary="check the sealed log, and that the read models equal a rebuild",
        description="Recompute the sealed log's hash chain from the stored events "
        "and name the first position where an event was altered, deleted, "
        "inserted or reordered before the last seal; then rebuild every read "
        "model into scratch tables, compare them row by row with the live ones "
        "and print every difference. Exits 1 if there is any.",
        example="khuyenhoc verify --seal 304e7c68…a15472 && echo clean",
        run=_verify,
    )
    checking.add_argument(
        "--seal",
        action="append",
        default=[],
        metavar="HASH",
        help="a seal's hash kept outside the database (printed on a report): "
        "it must still be in the log's chain of seals (repeatable)",
    )
    project = commands.add(
        "project",
        summary="keep the read models up to date (a projection worker)",
        description="Follow the event log and apply new events to the read models "
        "until stopped (SIGTERM or Ctrl-C). On PostgreSQL it wakes on NOTIFY; on "
        "SQLite it polls.",
        example="khuyenhoc project --poll 0.5",
        run=_project,
    )
    project.add_argument(
        "--poll",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="how often to look for new events without a notification (default 0.5)",
    )


def _demo(_args: argparse.Namespace) -> int:
    with open_services() as services:
        codes = load_demo(services.ledger)
        services.read_models.catch_up()
        print(f"Sample province recorded in {services.url}\n")
        print(f"{'organisation':<14} {'level':<9} {'fund':<8} {'balance (đồng)':>16}")
        for code in codes:
            org = services.queries.organisation(code)
            for fund in services.queries.balance(code).funds:
                print(f"{code:<14} {org.level:<9} {fund.fund:<8} {fund.balance:>16,}")
        _print_summary(services, codes[0], 2022)
    return EXIT_OK


def _print_summary(services: Services, code: str, year: int) -> None:
    summary = services.queries.summary(code, year, subtree=True)
    print(f"\n{code} and everything under it, {year}:")
    print(f"  raised       {summary.raised_vnd:>16,} đồng")
    print(f"  disbursed    {summary.disbursed_vnd:>16,} đồng")
    print(f"  recipients   {summary.recipients:>16,}")
    print(f"  members      {summary.members:>16,}")
    if summary.population is not None and summary.member_ratio is not None:
        print(f"  population   {summary.population:>16,}")
        print(f"  per capita   {summary.per_capita_vnd:>16,} đồng")
        print(f"  member ratio {summary.member_ratio:>16.1%}")


def _rebuild(_args: argparse.Namespace) -> int:
    with open_services() as services:
        read_models = services.read_models
        total = events_to_apply(read_models, 0, read_models.head())
        started = time.perf_counter()
        with counting(read_models, Progress("rebuild", total, "events")):
            position = read_models.rebuild()
        seconds = time.perf_counter() - started
    print(f"read models rebuilt up to log position {position} in {seconds:.1f} s")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    with open_services() as services:
        sealed = cli_audit.check_seals(services.ledger, anchors=args.seal)
        read_models = services.read_models
        total = events_to_apply(read_models, 0, read_models.position())
        try:
            progress = Progress("verify: rebuilding", total, "events")
            with counting(read_models, progress):
                result = verify(read_models)
        except Exception as error:
            if sealed.clean:
                raise
            # A tampered event may not even decode: the seals have said where.
            print(f"read models: could not rebuild from the altered log: {error}")
            return EXIT_DATA_ERROR
    for difference in result.differences[:SHOWN_DIFFERENCES]:
        print(difference)
    hidden = len(result.differences) - SHOWN_DIFFERENCES
    if hidden > 0:
        print(f"… and {hidden} more differences")
    verdict = "clean" if result.clean else f"{len(result.differences)} differences"
    print(
        f"verify at log position {result.position}: {result.rows_compared} rows "
        f"compared, {verdict}"
    )
    return EXIT_OK if result.clean and sealed.clean else EXIT_DATA_ERROR


def _project(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with open_services() as services:
        print(
            f"following {services.url} from log position "
            f"{services.read_models.position()}",
            flush=True,
        )
        services.read_models.follow(stop, poll_interval=args.poll)
        print(f"stopped at log position {services.read_models.position()}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
