"""``khuyenhoc demo``: record the sample province (``api.ops.demo``) and print
its balances and its 2022 summary."""

from __future__ import annotations

import argparse
import socket
import sys
from datetime import UTC, datetime, timedelta

from api.auth.tokens import Role, TokenStore
from api.bootstrap import Core
from api.cli.subcommands import (
    EXIT_OK,
    EXIT_USAGE,
    Subcommands,
    core_from_settings,
)
from api.ops.demo import load_demo
from api.ops.demo_reform import load_reform

DEMO_HOLDER = "Thủ quỹ mẫu (make run)"
"""Whom ``make run``'s token is issued to: what it records carries this name."""
DEMO_TOKEN_DAYS = 1
DEMO_ORG = "NA-DC-DH"


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
    demo.add_argument(
        "--sign-in-token",
        action="store_true",
        help="for 'make run': first check that serve's port is free, then print "
        "only a sign-in token for the treasurer of NA-DC-DH (valid one day; the "
        "previous such tokens are revoked)",
    )


def _demo(args: argparse.Namespace) -> int:
    if args.sign_in_token:
        return _sign_in_token(reform=args.reform)
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


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _sign_in_token(*, reform: bool) -> int:
    from api.settings import Settings  # noqa: PLC0415 -- pydantic: not for --help

    settings = Settings()
    if port_taken(settings.host, settings.port):
        print(
            f"khuyenhoc: cổng {settings.port} đang bận (một 'make run' khác?): dừng "
            f"nó, hoặc chọn cổng khác, ví dụ KHUYENHOC_PORT={settings.port + 1} "
            f"make run. / Port {settings.port} is taken: stop what listens there, "
            f"or choose another port: KHUYENHOC_PORT={settings.port + 1} make run",
            file=sys.stderr,
        )
        return EXIT_USAGE
    with core_from_settings() as core:
        load_demo(core.ledger)
        if reform:
            load_reform(core.ledger)
        core.read_models.catch_up()
        tokens = TokenStore(core.read_models.engine)
        for token in tokens.list_tokens():
            if token.label == DEMO_HOLDER and token.revoked_at is None:
                tokens.revoke(token.token_id, actor="make run", reason="a newer run")
        issued = tokens.create(
            Role.TREASURER,
            DEMO_ORG,
            DEMO_HOLDER,
            expires_at=datetime.now(UTC) + timedelta(days=DEMO_TOKEN_DAYS),
            actor="make run",
        )
    print(issued.secret)
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
