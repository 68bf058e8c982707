"""Failed authentications, counted per client in the database and slowed down.

Each client (its IP address, as the server sees it) may fail to authenticate
``limit`` times within a sliding ``window``; the next attempt that carries a
token or a session is refused with ``429 too_many_failed_authentications``
and a ``Retry-After`` header (the seconds until its oldest failure leaves the
window), without looking at the credential. Requests without one are never
refused: public figures stay public. A success does not clear the count, so
a valid token cannot be used to reset a guesser's budget.

The failures are rows of ``api_auth_failures`` (client, moment), in the
ledger's database: every worker process counts the same failures, and a
restart forgets nothing. Rows older than the window are deleted as failures
are recorded (at most once a minute per process).

Who the client is, is the deployment's decision: the address of the
connection, or — only for connections from the reverse proxies listed in
``KHUYENHOC_TRUSTED_PROXIES`` — the address the proxy puts in
``X-Forwarded-For`` (uvicorn's ``--forwarded-allow-ips``; none by default,
so a client cannot pick the address it is counted under). The clock is
injected (wall-clock seconds, shared by processes), so tests assert on
counts and answers, never on timings; nothing sleeps.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Index,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
)

from storage.schema import create_tables

MAX_CLIENT = 100
"""An address is at most this long (IPv6 with a zone fits)."""
PURGE_EVERY = 60.0


class AuthThrottle:
    def __init__(
        self,
        engine: Engine,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.limit = limit
        self.window = window
        self.clock = clock
        self._purged = -math.inf
        self.metadata = MetaData()
        self.failures_table = Table(
            "api_auth_failures",
            self.metadata,
            Column("client", String(MAX_CLIENT), nullable=False),
            Column("failed_at", Float, nullable=False),
            Index("api_auth_failures_by_client", "client", "failed_at"),
        )
        create_tables(engine, [self.failures_table])

    def retry_after(self, client: str) -> int | None:
        """Seconds the client must wait before trying a credential again, or
        None when it may try now."""
        count, oldest = self._recent(client)
        if count < self.limit or oldest is None:
            return None
        return max(1, math.ceil(oldest + self.window - self.clock()))

    def failed(self, client: str) -> None:
        f = self.failures_table.c
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                self.failures_table.insert().values(
                    client=client[:MAX_CLIENT], failed_at=now
                )
            )
            if time.monotonic() - self._purged > PURGE_EVERY:
                self._purged = time.monotonic()
                conn.execute(
                    delete(self.failures_table).where(f.failed_at <= now - self.window)
                )

    def failures(self, client: str) -> int:
        """Failures of the client within the window."""
        return self._recent(client)[0]

    def _recent(self, client: str) -> tuple[int, float | None]:
        f = self.failures_table.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(func.count(), func.min(f.failed_at)).where(
                    f.client == client[:MAX_CLIENT],
                    f.failed_at > self.clock() - self.window,
                )
            ).one()
        return int(row[0]), row[1]
