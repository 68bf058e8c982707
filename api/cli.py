"""The ``khuyenhoc`` command line.

Exit codes: 0 success, 1 a domain or data error (the message says which rule),
2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from api.demo import load_demo
from ledger import Ledger, LedgerError
from ledger.persistence import DATABASE_URL_VARIABLE, database_url_from_env

EXIT_OK, EXIT_DATA_ERROR = 0, 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except LedgerError as error:
        print(f"khuyenhoc: {error}", file=sys.stderr)
        return EXIT_DATA_ERROR
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khuyenhoc",
        description="Fund and scholarship ledger for Hội Khuyến học.",
        epilog=f"The database is ${DATABASE_URL_VARIABLE} "
        "(default: sqlite:///var/khuyenhoc.sqlite3).",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="record a small sample province and print its balances",
        description="Record a small sample province through the Ledger and print "
        "each organisation's balances. Running it again records nothing new.",
        epilog="example: KHUYENHOC_DATABASE_URL=sqlite:///var/demo.sqlite3 "
        "khuyenhoc demo",
    )
    demo.set_defaults(run=_demo)
    return parser


def _demo(_args: argparse.Namespace) -> int:
    url = database_url_from_env()
    ledger = Ledger(url)
    try:
        codes = load_demo(ledger)
        print(f"Sample province recorded in {url}\n")
        print(f"{'organisation':<14} {'level':<9} {'fund':<8} {'balance (đồng)':>16}")
        for code in codes:
            org = ledger.organisation(code)
            for fund, balance in sorted(org.balances.items()):
                print(f"{code:<14} {org.level.value:<9} {fund:<8} {balance:>16,}")
    finally:
        ledger.close()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
