"""Closing a year (issue 15): ``close-year`` and ``reopen-year``."""

from __future__ import annotations

import argparse

from api.cli.subcommands import EXIT_OK, Subcommands, core_from_settings
from ledger.commands import CloseYear, ReopenYear

RECORDED_BY = "khuyenhoc close-year"


def register(subcommands: Subcommands) -> None:
    closing = subcommands.add(
        "close-year",
        summary="close an organisation's year once its accounts are approved",
        description="After the close, entries, reversals, merges and dissolutions "
        "dated in that year (or before) are refused with period_closed; each "
        "fund's balance in cash and at the bank on 31 December is recorded as "
        "the next year's opening. Years close in order; closing a closed year "
        "changes nothing.",
        example="khuyenhoc close-year --org NA-DC-DH --year 2022",
        run=_close,
    )
    closing.add_argument("--org", required=True, metavar="CODE")
    closing.add_argument("--year", required=True, type=int)
    closing.add_argument("--recorded-by", default=RECORDED_BY)
    reopening = subcommands.add(
        "reopen-year",
        summary="reopen the last closed year of an organisation, with a reason",
        description="An explicit, recorded act: the reason is kept in the log.",
        example='khuyenhoc reopen-year --org NA-DC-DH --year 2022 --reason "…"',
        run=_reopen,
    )
    reopening.add_argument("--org", required=True, metavar="CODE")
    reopening.add_argument("--year", required=True, type=int)
    reopening.add_argument("--reason", required=True)
    reopening.add_argument("--recorded-by", default=RECORDED_BY)


def _close(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        core.ledger.execute(
            CloseYear(args.org, year=args.year, recorded_by=args.recorded_by)
        )
    print(f"{args.org}: {args.year} closed")
    return EXIT_OK


def _reopen(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        core.ledger.execute(
            ReopenYear(
                args.org,
                year=args.year,
                reason=args.reason,
                recorded_by=args.recorded_by,
            )
        )
    print(f"{args.org}: {args.year} reopened")
    return EXIT_OK
