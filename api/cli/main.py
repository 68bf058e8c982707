"""The ``khuyenhoc`` command line: ``main`` parses, runs one subcommand and
turns what went wrong into an exit code.

Exit codes: 0 success, 1 a domain or data error (the message says which rule,
or ``verify`` found differences; or the database's disk is full), 2 a usage
error (or a bad setting), 141 when the reader of the output went away
(``… | head``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from api.cli import (
    approvals,
    audit,
    backup,
    books,
    demo,
    migrate,
    periods,
    read_models,
    reform,
    serve,
    tokens,
)
from api.cli.subcommands import EXIT_DATA_ERROR, EXIT_USAGE, BadSettings, Subcommands
from api.environment import DATABASE_URL_VARIABLE
from ledger import LedgerError
from projections.errors import ReadModelError
from storage.engines import DEFAULT_DATABASE_URL, DISK_FULL, is_disk_full

EXIT_PIPE_CLOSED = 141
"""What a shell reports for a command whose output pipe closed (128 + SIGPIPE)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except (LedgerError, ReadModelError) as error:
        print(f"khuyenhoc: {error.code}: {error.text()}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except BadSettings as error:
        print(f"khuyenhoc: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`khuyenhoc export … | head`): stop quietly, as
        # a shell tool does, instead of a traceback on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except Exception as error:
        if not is_disk_full(error):
            raise
        print(f"khuyenhoc: {DISK_FULL}", file=sys.stderr)
        return EXIT_DATA_ERROR
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khuyenhoc",
        description="Fund and scholarship ledger for Hội Khuyến học.",
        epilog=f"The database is ${DATABASE_URL_VARIABLE} "
        f"(default: {DEFAULT_DATABASE_URL}).",
    )
    subcommands = Subcommands(parser.add_subparsers(required=True, metavar="COMMAND"))
    for group in (
        demo,
        read_models,
        serve,
        tokens,
        books,
        periods,
        approvals,
        reform,
        migrate,
        audit,
        backup,
    ):
        group.register(subcommands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
