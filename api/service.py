"""What the HTTP service holds while it runs: the ledger, its read models, the
token and idempotency stores, the failed-authentication throttle, and — in
the embedded mode — the follower thread that keeps the read models up to date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import Response

from api.idempotency import IdempotencyStore
from api.settings import Settings
from api.throttle import AuthThrottle
from api.tokens import TokenStore
from api.wiring import build_services
from ledger import Ledger
from projections import Queries, ReadModels
from projections.runner import Follower

POSITION_HEADER = "X-Log-Position"
logger = logging.getLogger(__name__)


@dataclass
class Service:
    settings: Settings
    ledger: Ledger
    read_models: ReadModels
    queries: Queries
    tokens: TokenStore
    idempotency: IdempotencyStore
    throttle: AuthThrottle
    follower: Follower | None = None

    @classmethod
    def open(cls, settings: Settings) -> Service:
        parts = build_services(settings.database_url)
        try:
            engine = parts.read_models.engine
            service = cls(
                settings=settings,
                ledger=parts.ledger,
                read_models=parts.read_models,
                queries=parts.queries,
                tokens=TokenStore(engine),
                idempotency=IdempotencyStore(engine),
                throttle=AuthThrottle(
                    settings.auth_failures, settings.auth_window_seconds
                ),
            )
            if settings.projections == "embedded":
                parts.read_models.catch_up()
                service.follower = parts.read_models.start(settings.poll_seconds)
        except BaseException:
            parts.ledger.close()
            raise
        return service

    def close(self) -> None:
        if self.follower is not None:
            self.follower.stop()
        self.ledger.close()

    def written(self, response: Response) -> int:
        """After a write: its log position (also as a header). In the embedded
        mode the read models are brought up to it before the answer goes out.

        The write is recorded whatever happens here: if catching up fails,
        the answer still says so (with the log's head), the failure is
        logged, and reads report the lag until the follower catches up.
        """
        position = self.read_models.head()
        if self.settings.projections == "embedded":
            try:
                position = self.read_models.catch_up()
            except Exception:
                logger.exception("the read models could not catch up after a write")
        response.headers[POSITION_HEADER] = str(position)
        return position
