"""The app factory: ``create_app(settings)`` wires the service; nothing happens
at import time.

On start-up (the lifespan) it opens the ledger and its read models on
``settings.database_url``; in the embedded mode it catches the read models
up and follows the log in a thread, and every write catches them up before it
answers. Endpoints are plain ``def`` functions: the eventsourcing library is
synchronous, and FastAPI runs them in its thread pool, never on the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from api import web
from api.bootstrap import open_http_service
from api.http import hardening, problems
from api.http.deps import get_principal
from api.http.idempotency import IdempotencyMiddleware
from api.http.routes import (
    accounts,
    approvals,
    campaigns,
    entries,
    health,
    learning,
    organisations,
    periods,
    plans,
    restructuring,
)
from api.ops.sealer import start_sealer
from api.settings import Settings, get_settings
from api.web import errors as web_errors

DOCS_ASSETS = "/docs/assets"
"""Where Swagger UI and ReDoc's files are served (from fastapi-offline)."""

DESCRIPTION = """
Fund and scholarship ledger for Vietnam's study-promotion associations
(Hội Khuyến học). Amounts are integer đồng; dates are ISO (`2022-09-05`).

- **Public** (no token): organisations, balances, yearly summaries, campaign
  totals — aggregate figures only, never a donor's or recipient's name.
- **Treasurer** token (`khuyenhoc token create --role treasurer --org CODE`):
  records entries and membership in its organisation's subtree, reads its
  journal and events.
- **Auditor**: reads every journal and event stream. **Admin**: registers
  organisations and launches campaigns.

Every POST honours an `Idempotency-Key` header, and re-sending an entry with
the same voucher number records it once. A write answers with its log
`position` (also in `X-Log-Position`); pass it as `?after=` to a read to see
your write. Errors are `application/problem+json` with a stable `code`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = await run_in_threadpool(open_http_service, settings)
        app.state.service = service
        sealer = start_sealer(service.ledger, settings.seal_interval_seconds)
        try:
            yield
        finally:
            if sealer is not None:
                await run_in_threadpool(sealer.stop)
            await run_in_threadpool(service.close)

    # Swagger UI and ReDoc served from the package's own copies (under
    # /docs/assets), not a CDN: the docs work offline like the rest.
    app = FastAPIOffline(
        static_url=DOCS_ASSETS,
        title="khuyenhoc-ledger",
        version=metadata.version("khuyenhoc-ledger"),
        description=DESCRIPTION,
        lifespan=lifespan,
        # Every request's token is checked, on public routes too: a client
        # with a bad token learns it at once.
        dependencies=[Depends(get_principal)],
    )
    problems.install(app)
    app.add_middleware(IdempotencyMiddleware)
    hardening.install(app, settings)  # outermost: body limit, headers, CORS
    for module in (
        organisations,
        restructuring,
        plans,
        learning,
        entries,
        accounts,
        periods,
        approvals,
        campaigns,
        health,
    ):
        app.include_router(module.router)
    app.include_router(web.router)
    web_errors.install(app)  # after problems: HTML for browsers in front
    return app
