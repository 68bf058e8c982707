"""Commands for the HTTP service: ``serve`` and ``token create``."""

from __future__ import annotations

import argparse
import shlex
import sys

import uvicorn
from pydantic import ValidationError

from api.app import create_app
from api.commands import EXIT_OK, EXIT_USAGE, Commands
from api.nodelay import PROTOCOL
from api.settings import Settings
from api.tokens import Role, TokenStore
from api.wiring import open_services


def register(commands: Commands) -> None:
    serve = commands.add(
        "serve",
        summary="run the HTTP service (OpenAPI at /docs)",
        description="Run the HTTP API. Settings come from KHUYENHOC_* variables "
        "(see the README); --host and --port override them. In the embedded mode "
        "(the default) the service keeps the read models up to date itself.",
        example="khuyenhoc serve --port 8000",
        run=_serve,
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API worker processes (default 1). More than one needs "
        "KHUYENHOC_PROJECTIONS=external and a 'khuyenhoc project' worker",
    )
    serve.set_defaults(serve_parser=serve)

    token = commands.add(
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
        "everything), admin (registers organisations, launches campaigns).",
        epilog="example:\n  khuyenhoc token create --role treasurer --org NA-DC",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--org", help="the treasurer's organisation (its subtree)")
    create.add_argument("--label", help="a note on who holds the token")
    create.set_defaults(run=_token_create, token_parser=create)


def _serve(args: argparse.Namespace) -> int:
    overrides = {
        key: value
        for key, value in (("host", args.host), ("port", args.port))
        if value is not None
    }
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        problems = "; ".join(
            f"KHUYENHOC_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
            for e in error.errors()
        )
        args.serve_parser.error(f"bad settings: {problems}")
    if args.workers < 1:
        args.serve_parser.error("--workers must be at least 1")
    if args.workers > 1 and settings.projections == "embedded":
        args.serve_parser.error(
            "several workers must not each run the projections: set "
            "KHUYENHOC_PROJECTIONS=external and run 'khuyenhoc project' beside them"
        )
    base = f"http://{settings.host}:{settings.port}"
    command = (
        shlex.quote(sys.argv[0]) if sys.argv[0].endswith("khuyenhoc") else ("khuyenhoc")
    )
    print(
        f"khuyenhoc-ledger on {settings.database_url}\n"
        f"  web pages:     {base}/   (public figures; treasurers sign in)\n"
        f"  API docs:      {base}/docs\n"
        f"  a first token: {command} token create --role admin   (in another shell)\n"
        f"  then:          curl -H 'Authorization: Bearer <token>' {base}/health",
        flush=True,
    )
    if args.workers == 1:
        uvicorn.run(
            create_app(settings), host=settings.host, port=settings.port, http=PROTOCOL
        )
    else:
        # Each worker process builds its own app from the environment.
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            http=PROTOCOL,
        )
    return EXIT_OK


def _token_help(args: argparse.Namespace) -> int:
    args.parser_for_help.print_help()
    return EXIT_USAGE


def _token_create(args: argparse.Namespace) -> int:
    role = Role(args.role)
    if (role is Role.TREASURER) != (args.org is not None):
        args.token_parser.error("--org goes with --role treasurer, and only with it")
    with open_services() as services:
        if args.org is not None:
            services.read_models.catch_up()
            services.queries.organisation(args.org)  # unknown_organisation → exit 1
        issued = TokenStore(services.read_models.engine).create(
            role, args.org, args.label
        )
    scope = f" of {issued.org}" if issued.org else ""
    print(issued.secret)
    print(
        f"a {role.value}{scope} token (id {issued.token_id}); it is shown only "
        "once: keep it safe. Use it as 'Authorization: Bearer <token>'.",
        file=sys.stderr,
    )
    return EXIT_OK
