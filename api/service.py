"""What the HTTP service holds while it runs: the ledger, its read models, the
token and idempotency stores, and — in the embedded mode — the follower thread
that keeps the read models up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Response

from api.idempotency import IdempotencyStore
from api.settings import Settings
from api.tokens import TokenStore
from ledger import Ledger
from projections import Queries, ReadModels
from projections.runner import Follower

POSITION_HEADER = "X-Log-Position"


@dataclass
class Service:
    settings: Settings
    ledger: Ledger
    read_models: ReadModels
    queries: Queries
    tokens: TokenStore
    idempotency: IdempotencyStore
    follower: Follower | None = None

    @classmethod
    def open(cls, settings: Settings) -> Service:
        ledger = Ledger(settings.database_url)
        try:
            read_models = ReadModels(ledger)
            service = cls(
                settings=settings,
                ledger=ledger,
                read_models=read_models,
                queries=Queries(read_models),
                tokens=TokenStore(read_models.engine),
                idempotency=IdempotencyStore(read_models.engine),
            )
            if settings.projections == "embedded":
                read_models.catch_up()
                service.follower = read_models.start(settings.poll_seconds)
        except BaseException:
            ledger.close()
            raise
        return service

    def close(self) -> None:
        if self.follower is not None:
            self.follower.stop()
        self.ledger.close()

    def written(self, response: Response) -> int:
        """After a write: its log position (also as a header). In the embedded
        mode the read models are brought up to it before the answer goes out."""
        if self.settings.projections == "embedded":
            position = self.read_models.catch_up()
        else:
            position = self.read_models.head()
        response.headers[POSITION_HEADER] = str(position)
        return position
