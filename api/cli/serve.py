"""``khuyenhoc serve``: run the HTTP service (the API and the web pages)."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING, TypedDict

from api.cli.subcommands import EXIT_OK, Subcommands

if TYPE_CHECKING:
    from api.settings import Settings

# uvicorn, the app (FastAPI, the web pages) and the settings (pydantic) are
# imported when the service starts, not with the command line (`--help`,
# `report`): docs/benchmarks.md, "Command-line start-up".


def register(subcommands: Subcommands) -> None:
    serve = subcommands.add(
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


class ServerOptions(TypedDict):
    host: str
    port: int
    http: str
    proxy_headers: bool
    forwarded_allow_ips: str


def server_options(settings: Settings) -> ServerOptions:
    """uvicorn's options from the settings. ``X-Forwarded-For`` (and
    ``-Proto``) are believed only from ``KHUYENHOC_TRUSTED_PROXIES`` — none by
    default, whatever uvicorn's own ``FORWARDED_ALLOW_IPS`` says — so a
    client is counted (``api.auth.throttle``) under the address it connects
    from, not one it names."""
    from api.http.nodelay import PROTOCOL  # noqa: PLC0415

    trusted = settings.trusted_proxies.strip()
    return {
        "host": settings.host,
        "port": settings.port,
        "http": PROTOCOL,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
    }


def _serve(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415
    from pydantic import ValidationError  # noqa: PLC0415

    from api.http.app import create_app  # noqa: PLC0415
    from api.settings import Settings, describe_problems  # noqa: PLC0415

    overrides = {
        key: value
        for key, value in (("host", args.host), ("port", args.port))
        if value is not None
    }
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        args.serve_parser.error(f"bad settings: {describe_problems(error)}")
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
        uvicorn.run(create_app(settings), **server_options(settings))
    else:
        # Each worker process builds its own app from the environment.
        uvicorn.run(
            "api.http.app:create_app",
            factory=True,
            workers=args.workers,
            **server_options(settings),
        )
    return EXIT_OK
