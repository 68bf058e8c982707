"""``khuyenhoc token``: the HTTP API's bearer tokens (create, change, revoke,
list, verify), each change recorded as an event with its actor
(``api.auth.tokens``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, date, datetime, time, timedelta

from api.auth.tokens import SCOPED, Role, TokenStore
from api.cli.subcommands import (
    EXIT_DATA_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    Subcommands,
    core_from_settings,
)
from ledger.types import VIETNAM

MAX_DAYS = 3_660
"""A token lives at most about ten years."""


def register(subcommands: Subcommands) -> None:
    token = subcommands.add(
        "token",
        summary="manage API tokens",
        description="Manage the bearer tokens of the HTTP API.",
        example="khuyenhoc token create --role treasurer --org NA-DC",
        run=_token_help,
    )
    token.set_defaults(parser_for_help=token)
    actions = token.add_subparsers(metavar="ACTION")
    create = actions.add_parser(
        "create",
        help="create a token and print it (it is shown once)",
        description="Create a bearer token. Roles: public (aggregate figures), "
        "treasurer (records and reads entries in --org's subtree), auditor (reads "
        "everything), admin (registers organisations, launches campaigns). The "
        "issue is recorded as an event with its actor.",
        epilog="example:\n  khuyenhoc token create --role treasurer --org NA-DC "
        "--expires-in 90",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--org", help="the treasurer's organisation (its subtree)")
    create.add_argument(
        "--label",
        "--holder",
        dest="label",
        help="the name of the person the token is issued to: what they record "
        "carries it (pages, vouchers, the event log)",
    )
    expiry = create.add_mutually_exclusive_group()
    expiry.add_argument(
        "--expires-in",
        type=int,
        metavar="DAYS",
        help="the token stops working this many days from now",
    )
    expiry.add_argument(
        "--expires",
        metavar="YYYY-MM-DD",
        help="the token works until the end of this day (Vietnam time)",
    )
    _actor_option(create)
    create.set_defaults(run=_token_create, token_parser=create)

    change = actions.add_parser(
        "change",
        help="change a token's role and organisation (recorded with its actor)",
        description="Give a token another role or scope; it keeps its secret.",
        epilog="example:\n  khuyenhoc token change 1a2b3c4d --role treasurer --org NA",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    change.add_argument("token_id", metavar="ID", help="the token's id (token list)")
    change.add_argument("--role", required=True, choices=[role.value for role in Role])
    change.add_argument("--org", help="the treasurer's organisation (its subtree)")
    _actor_option(change)
    change.set_defaults(run=_token_change, token_parser=change)

    revoke = actions.add_parser(
        "revoke",
        help="revoke a token: it stops working at once",
        description="Revoke a token (recorded with its actor and reason). A "
        "revoked token cannot be used, changed or revived.",
        epilog="example:\n  khuyenhoc token revoke 1a2b3c4d --reason 'laptop lost'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    revoke.add_argument("token_id", metavar="ID", help="the token's id (token list)")
    revoke.add_argument("--reason", help="why, for the record")
    _actor_option(revoke)
    revoke.set_defaults(run=_token_revoke)

    listing = actions.add_parser(
        "list",
        help="list the tokens (never their secrets)",
        description="One line per token: id, role, scope, label, created, "
        "expires, revoked, the last actor. Times are UTC.",
        epilog="example:\n  khuyenhoc token list",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.set_defaults(run=_token_list)

    check = actions.add_parser(
        "verify",
        help="check the token table against the tokens' events",
        description="Rebuild every token from its events and compare with the "
        "table authentication reads; print each difference (exit 1 if any), "
        "e.g. a row written into the database by hand.",
        epilog="example:\n  khuyenhoc token verify",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.set_defaults(run=_token_verify)


def _actor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--actor",
        help="who is doing this, for the record (default: cli:<login name>)",
    )


def _token_help(args: argparse.Namespace) -> int:
    args.parser_for_help.print_help()
    return EXIT_USAGE


def _token_create(args: argparse.Namespace) -> int:
    role = Role(args.role)
    if (role in SCOPED) != (args.org is not None):
        args.token_parser.error(
            "--org goes with --role treasurer or approver, and only with them"
        )
    expires_at = _expiry(args)
    with core_from_settings() as core:
        if args.org is not None:
            core.read_models.catch_up()
            core.queries.organisation(args.org)  # unknown_organisation → exit 1
        issued = TokenStore(core.read_models.engine).create(
            role, args.org, args.label, expires_at=expires_at, actor=_actor(args)
        )
    scope = f" of {issued.org}" if issued.org else ""
    until = f", valid until {_moment(issued.expires_at)}" if issued.expires_at else ""
    print(issued.secret)
    print(
        f"a {role.value}{scope} token (id {issued.token_id}{until}); it is shown "
        "only once: keep it safe. Use it as 'Authorization: Bearer <token>'.",
        file=sys.stderr,
    )
    return EXIT_OK


def _token_change(args: argparse.Namespace) -> int:
    role = Role(args.role)
    if (role in SCOPED) != (args.org is not None):
        args.token_parser.error(
            "--org goes with --role treasurer or approver, and only with them"
        )
    with core_from_settings() as core:
        if args.org is not None:
            core.read_models.catch_up()
            core.queries.organisation(args.org)  # unknown_organisation → exit 1
        TokenStore(core.read_models.engine).change_scope(
            args.token_id, role, args.org, actor=_actor(args)
        )
    scope = f" of {args.org}" if args.org else ""
    print(f"token {args.token_id} is now a {role.value}{scope} token", file=sys.stderr)
    return EXIT_OK


def _token_revoke(args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        TokenStore(core.read_models.engine).revoke(
            args.token_id, actor=_actor(args), reason=args.reason
        )
    print(f"token {args.token_id} is revoked", file=sys.stderr)
    return EXIT_OK


def _token_list(_args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        tokens = TokenStore(core.read_models.engine).list_tokens()
    columns = ("id", "role", "scope", "label", "created", "expires", "revoked", "by")
    rows = [
        (
            t.token_id,
            t.role.value,
            t.org or "-",
            t.label or "-",
            _moment(t.created_at),
            _moment(t.expires_at),
            _moment(t.revoked_at),
            t.last_actor,
        )
        for t in tokens
    ]
    widths = [
        max(len(str(r[i])) for r in [columns, *rows]) for i in range(len(columns))
    ]
    for row in [columns, *rows]:
        print(
            "  ".join(
                str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)
            ).rstrip()
        )
    return EXIT_OK


def _token_verify(_args: argparse.Namespace) -> int:
    with core_from_settings() as core:
        differences = TokenStore(core.read_models.engine).verify()
    for difference in differences:
        print(difference)
    if differences:
        print(f"{len(differences)} difference(s)", file=sys.stderr)
        return EXIT_DATA_ERROR
    print("the token table is what the tokens' events say", file=sys.stderr)
    return EXIT_OK


def _expiry(args: argparse.Namespace) -> datetime | None:
    now = datetime.now(UTC)
    if args.expires_in is not None:
        if not 1 <= args.expires_in <= MAX_DAYS:
            args.token_parser.error(f"--expires-in is 1 to {MAX_DAYS} days")
        return now + timedelta(days=args.expires_in)
    if args.expires is not None:
        try:
            last_day = date.fromisoformat(args.expires)
        except ValueError:
            args.token_parser.error(
                f"--expires is a date, yyyy-mm-dd: {args.expires!r}"
            )
        end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=VIETNAM)
        if end <= now or end - now > timedelta(days=MAX_DAYS):
            args.token_parser.error(
                f"--expires must be a day from today to {MAX_DAYS} days ahead"
            )
        return end
    return None


def _actor(args: argparse.Namespace) -> str:
    if args.actor:
        return str(args.actor)
    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name in a bare container
        login = "unknown"
    return f"cli:{login}"


def _moment(moment: datetime | None) -> str:
    """A stored moment (naive UTC) as ``2026-05-01 08:30Z``; ``-`` for none."""
    if moment is None:
        return "-"
    return moment.strftime("%Y-%m-%d %H:%MZ")
