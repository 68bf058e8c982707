"""The one place that puts the parts together, on one database URL.

- ``Backend``: what every door talks to — the ``Ledger`` (writes), its read
  models and their queries. ``open_backend(url)`` for the command line, the
  benchmarks and scripts; the caller gets the URL from ``api.settings``.
- ``open_http_service(settings)``: the backend plus what the HTTP service
  needs besides — the token and idempotency stores, the failed-authentication
  throttle and, in the embedded mode, the follower thread
  (``api.http.service.HttpService``).

Nothing is created at import time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from api.auth.throttle import AuthThrottle
from api.auth.tokens import TokenStore
from api.http.idempotency import IdempotencyStore
from api.http.service import HttpService
from api.settings import Settings
from ledger import Ledger
from projections import Queries, ReadModels


@dataclass(frozen=True)
class Backend:
    url: str
    ledger: Ledger
    read_models: ReadModels
    queries: Queries


def build_backend(url: str) -> Backend:
    """The ledger at ``url`` and its read models; the caller closes ``ledger``."""
    ledger = Ledger(url)
    try:
        read_models = ReadModels(ledger)
    except BaseException:
        ledger.close()
        raise
    return Backend(url, ledger, read_models, Queries(read_models))


@contextlib.contextmanager
def open_backend(url: str) -> Iterator[Backend]:
    """``build_backend``, closed on exit."""
    backend = build_backend(url)
    try:
        yield backend
    finally:
        backend.ledger.close()


def open_http_service(settings: Settings) -> HttpService:
    """The HTTP service on ``settings.database_url``; in the embedded mode its
    read models caught up and followed. The caller calls ``close()``."""
    backend = build_backend(settings.database_url)
    try:
        engine = backend.read_models.engine
        service = HttpService(
            settings=settings,
            ledger=backend.ledger,
            read_models=backend.read_models,
            queries=backend.queries,
            tokens=TokenStore(engine),
            idempotency=IdempotencyStore(engine),
            throttle=AuthThrottle(settings.auth_failures, settings.auth_window_seconds),
        )
        if settings.projections == "embedded":
            backend.read_models.catch_up()
            service.follower = backend.read_models.start(settings.poll_seconds)
    except BaseException:
        backend.ledger.close()
        raise
    return service
