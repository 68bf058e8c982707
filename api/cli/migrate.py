"""``khuyenhoc migrate``: move a ledger to another database (an office's SQLite
file to PostgreSQL), then rebuild and verify the read models there."""

from __future__ import annotations

import argparse
import time

from api.cli.progress import Progress
from api.cli.subcommands import EXIT_DATA_ERROR, EXIT_OK, Subcommands, database_url
from api.environment import DATABASE_URL_VARIABLE
from api.ops.migrate import migrate


def register(subcommands: Subcommands) -> None:
    parser = subcommands.add(
        "migrate",
        summary="copy the whole ledger into an empty database, then verify it there",
        description="Copy the event log (in log order), the snapshots and the "
        "tokens from the ledger's database (--from, else "
        f"${DATABASE_URL_VARIABLE}) into an empty database (--to) in one "
        "transaction, rebuild the read models there and verify them. A copy that "
        "fails leaves the target as it was. Stop the service first. Exits 1 if "
        "the target already holds a ledger or verify finds a difference.",
        example="khuyenhoc migrate --to postgresql+psycopg://khuyenhoc@db:5432/khuyenhoc",
        run=_migrate,
    )
    parser.add_argument("--to", required=True, metavar="URL", help="the target")
    parser.add_argument("--from", dest="source", metavar="URL", help="the source")


def _migrate(args: argparse.Namespace) -> int:
    source = args.source or database_url()
    progress = Progress("migrate", None, "events")
    started = time.perf_counter()
    result = migrate(source, args.to, progress=progress.update)
    progress.finish()
    seconds = time.perf_counter() - started
    print(
        f"copied {result.events} events, {result.snapshots} snapshots and "
        f"{result.tokens} tokens in {seconds:.1f} s; read models rebuilt up to "
        f"log position {result.position}"
    )
    if not result.verification.clean:
        for difference in result.verification.differences:
            print(difference)
        print("verify: the target's read models differ from its event log")
        return EXIT_DATA_ERROR
    print("verify: clean")
    return EXIT_OK
