"""The one place that puts the parts together, on one database URL.

- ``Core``: what every door talks to — the ``Ledger`` (writes), its read
  models and their queries. ``open_core(url)`` for the command line, the
  benchmarks and scripts; the caller gets the URL from ``api.settings``.
- ``open_http_service(settings)``: the core plus what the HTTP service
  needs besides — the token and idempotency stores, the failed-authentication
  throttle and, in the embedded mode, the follower thread
  (``api.http.service.HttpService``).

Nothing is created at import time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger import Ledger
from projections import Queries, ReadModels

if TYPE_CHECKING:
    from api.http.service import HttpService
    from api.settings import Settings


@dataclass(frozen=True)
class Core:
    url: str
    ledger: Ledger
    read_models: ReadModels
    queries: Queries


def build_core(url: str) -> Core:
    """The ledger at ``url`` and its read models; the caller closes ``ledger``."""
    ledger = Ledger(url)
    try:
        read_models = ReadModels(ledger)
    except BaseException:
        ledger.close()
        raise
    return Core(url, ledger, read_models, Queries(read_models))


@contextlib.contextmanager
def open_core(url: str) -> Iterator[Core]:
    """``build_core``, closed on exit."""
    core = build_core(url)
    try:
        yield core
    finally:
        core.ledger.close()


def open_http_service(settings: Settings) -> HttpService:
    """The HTTP service on ``settings.database_url``; in the embedded mode its
    read models caught up and followed. The caller calls ``close()``.

    The HTTP parts are imported here, not with the module: the command line
    opens a core without loading FastAPI (docs/benchmarks.md, start-up)."""
    from api.auth.sessions import SessionStore  # noqa: PLC0415
    from api.auth.throttle import AuthThrottle  # noqa: PLC0415
    from api.auth.tokens import TokenStore  # noqa: PLC0415
    from api.http.idempotency import IdempotencyStore  # noqa: PLC0415
    from api.http.service import HttpService  # noqa: PLC0415

    core = build_core(settings.database_url)
    try:
        engine = core.read_models.engine
        tokens = TokenStore(engine)
        service = HttpService(
            settings=settings,
            ledger=core.ledger,
            read_models=core.read_models,
            queries=core.queries,
            tokens=tokens,
            idempotency=IdempotencyStore(
                engine, retention_days=settings.idempotency_retention_days
            ),
            throttle=AuthThrottle(
                engine, settings.auth_failures, settings.auth_window_seconds
            ),
            sessions=SessionStore(engine, tokens, hours=settings.session_hours),
        )
        if settings.projections == "embedded":
            core.read_models.catch_up()
            service.follower = core.read_models.start(settings.poll_seconds)
    except BaseException:
        core.ledger.close()
        raise
    return service
