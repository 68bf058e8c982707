"""``khuyenhoc demo``: record the sample province (``api.ops.demo``) and print
its balances and its 2022 summary."""

from __future__ import annotations

import argparse

from api.bootstrap import Backend
from api.cli.subcommands import EXIT_OK, Subcommands, backend_from_settings
from api.ops.demo import load_demo


def register(subcommands: Subcommands) -> None:
    subcommands.add(
        "demo",
        summary="record a small sample province and print its balances",
        description="Record a small sample province through the Ledger, bring the "
        "read models up to date, and print each organisation's balances and the "
        "province's 2022 summary. Running it again records nothing new.",
        example="KHUYENHOC_DATABASE_URL=sqlite:///var/demo.sqlite3 khuyenhoc demo",
        run=_demo,
    )


def _demo(_args: argparse.Namespace) -> int:
    with backend_from_settings() as backend:
        codes = load_demo(backend.ledger)
        backend.read_models.catch_up()
        print(f"Sample province recorded in {backend.url}\n")
        print(f"{'organisation':<14} {'level':<9} {'fund':<8} {'balance (đồng)':>16}")
        for code in codes:
            org = backend.queries.organisation(code)
            for fund in backend.queries.balance(code).funds:
                print(f"{code:<14} {org.level:<9} {fund.fund:<8} {fund.balance:>16,}")
        _print_summary(backend, codes[0], 2022)
    return EXIT_OK


def _print_summary(backend: Backend, code: str, year: int) -> None:
    summary = backend.queries.summary(code, year, subtree=True)
    print(f"\n{code} and everything under it, {year}:")
    print(f"  raised       {summary.raised_vnd:>16,} đồng")
    print(f"  disbursed    {summary.disbursed_vnd:>16,} đồng")
    print(f"  recipients   {summary.recipients:>16,}")
    print(f"  members      {summary.members:>16,}")
    if summary.population is not None and summary.member_ratio is not None:
        print(f"  population   {summary.population:>16,}")
        print(f"  per capita   {summary.per_capita_vnd:>16,} đồng")
        print(f"  member ratio {summary.member_ratio:>16.1%}")
