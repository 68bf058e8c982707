"""``khuyenhoc demo``: record the sample province (``api.ops.demo``) and print
its balances and its 2022 summary."""

from __future__ import annotations

import argparse

from api.bootstrap import Core
from api.cli.subcommands import EXIT_OK, Subcommands, core_from_settings
from api.ops.demo import load_demo
from api.ops.demo_reform import load_reform


def register(subcommands: Subcommands) -> None:
    demo = subcommands.add(
        "demo",
        summary="record a small sample province and print its balances",
        description="Record a small sample province through the Ledger, bring the "
        "read models up to date, and print each organisation's balances and the "
        "province's 2022 summary. Running it again records nothing new.",
        example="KHUYENHOC_DATABASE_URL=sqlite:///var/demo.sqlite3 khuyenhoc demo",
        run=_demo,
    )
    demo.add_argument(
        "--reform",
        action="store_true",
        help="then take it through the 2025 reform (districts end on 2025-07-01, "
        "communes merge and are renamed, a 2025 year on the new tree)",
    )


def _demo(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        codes = load_demo(core.ledger)
        if args.reform:
            codes += load_reform(core.ledger)
        core.read_models.catch_up()
        print(f"Sample province recorded in {core.url}\n")
        print(f"{'organisation':<14} {'level':<9} {'fund':<8} {'balance (đồng)':>16}")
        for code in codes:
            org = core.queries.organisation(code)
            for fund in core.queries.balance(code).funds:
                print(f"{code:<14} {org.level:<9} {fund.fund:<8} {fund.balance:>16,}")
        _print_summary(core, codes[0], 2022)
    return EXIT_OK


def _print_summary(core: Core, code: str, year: int) -> None:
    summary = core.queries.summary(code, year, subtree=True)
    print(f"\n{code} and everything under it, {year}:")
    print(f"  raised       {summary.raised_vnd:>16,} đồng")
    print(f"  disbursed    {summary.disbursed_vnd:>16,} đồng")
    print(f"  recipients   {summary.recipients:>16,}")
    print(f"  members      {summary.members:>16,}")
    if summary.population is not None and summary.member_ratio is not None:
        print(f"  population   {summary.population:>16,}")
        print(f"  per capita   {summary.per_capita_vnd:>16,} đồng")
        print(f"  member ratio {summary.member_ratio:>16.1%}")
