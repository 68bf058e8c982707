"""What the HTTP service holds while it runs: the ledger, its read models, the
token, session and idempotency stores, the failed-authentication throttle, and — in
the embedded mode — the follower thread that keeps the read models up to date.

``api.bootstrap.open_http_service`` builds it; routes reach it through
``api.http.deps.ServiceDep``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from fastapi import Response

from api.auth.sessions import SessionStore
from api.auth.throttle import AuthThrottle
from api.auth.tokens import TokenStore
from api.http.idempotency import IdempotencyStore
from api.http.waiting import Waits
from api.settings import Settings
from ledger import Ledger
from projections import Queries, ReadModels
from projections.runner import Follower

POSITION_HEADER = "X-Log-Position"
logger = logging.getLogger(__name__)


@dataclass
class HttpService:
    settings: Settings
    ledger: Ledger
    read_models: ReadModels
    queries: Queries
    tokens: TokenStore
    idempotency: IdempotencyStore
    throttle: AuthThrottle
    sessions: SessionStore
    follower: Follower | None = None
    waits: Waits = field(default_factory=Waits)
    """Every ``?after=`` waits through these (``api.http.waiting``)."""

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
