"""``Idempotency-Key``: a POST re-sent with the same key gets the first answer.

The first successful (2xx) answer to a POST carrying the header is stored in
``api_idempotency``, keyed by the caller's token and the key. The same key
with the same request (method, path, query and body) replays it — status,
body, log position and location — with ``Idempotent-Replayed: true``; with another
request it is ``409 idempotency_key_reused``. Errors are not stored: the
ledger's commands are themselves idempotent by voucher number, so retrying
after an error is safe, and a request without the header gets the same
guarantee from its voucher number. Answers are kept without expiry for now
(a row of a few hundred bytes per write); clearing old ones is an
operator's ``DELETE … WHERE created_at < …``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request, Response
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from api.auth.gate import authenticate, client_of
from api.http.problems import ApiError, problem
from storage.schema import create_tables

HEADER = "Idempotency-Key"
MAX_KEY = 255


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    request_digest: str
    status: int
    body: bytes
    media_type: str
    position: str | None
    location: str | None


class IdempotencyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.metadata = MetaData()
        self.answers = Table(
            "api_idempotency",
            self.metadata,
            Column("key_digest", String(64), primary_key=True),
            Column("request_digest", String(64), nullable=False),
            Column("status", Integer, nullable=False),
            Column("body", LargeBinary, nullable=False),
            Column("media_type", String(100), nullable=False),
            Column("position", String(20), nullable=True),
            Column("location", String(300), nullable=True),
            Column("created_at", DateTime, nullable=False),
        )
        create_tables(engine, [self.answers])

    def get(self, key_digest: str) -> StoredAnswer | None:
        a = self.answers.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    a.request_digest,
                    a.status,
                    a.body,
                    a.media_type,
                    a.position,
                    a.location,
                ).where(a.key_digest == key_digest)
            ).first()
        return StoredAnswer(*row) if row else None

    def put(self, key_digest: str, stored: StoredAnswer) -> None:
        """Keep the first answer: a racing second one is dropped."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(self.answers)
            .values(
                key_digest=key_digest,
                request_digest=stored.request_digest,
                status=stored.status,
                body=stored.body,
                media_type=stored.media_type,
                position=stored.position,
                location=stored.location,
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
            .on_conflict_do_nothing(index_elements=["key_digest"])
        )
        with self.engine.begin() as conn:
            conn.execute(statement)


def _caller(request: Request) -> bytes:
    """Whose key it is: the bearer token (however the scheme is spelt), or
    nobody."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return token.strip().encode()
    return b""


def _digest(*parts: bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(hashlib.sha256(part).digest())
    return hashed.hexdigest()


class IdempotencyMiddleware(BaseHTTPMiddleware):
    async def dispatch(
        self, request: Request, call_next: RequestResponseEndpoint
    ) -> Response:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return await call_next(request)
        if not 0 < len(key) <= MAX_KEY:
            return problem(
                "validation_failed",
                f"{HEADER} must be 1 to {MAX_KEY} characters",
                errors=[{"field": f"header.{HEADER}", "message": "bad length"}],
            )
        store: IdempotencyStore = request.app.state.service.idempotency
        key_digest = _digest(_caller(request), key.encode())
        body = await request.body()
        request_digest = _digest(
            request.method.encode(),
            request.url.path.encode(),
            request.url.query.encode(),
            body,
        )
        found = await run_in_threadpool(store.get, key_digest)
        if found is not None:
            return await run_in_threadpool(
                _answer_seen_key, request, found, request_digest
            )
        response = await call_next(request)
        if not 200 <= response.status_code < 300:
            return response
        chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        answer = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        stored = StoredAnswer(
            request_digest=request_digest,
            status=response.status_code,
            body=answer,
            media_type=response.headers.get("content-type", "application/json"),
            position=response.headers.get("x-log-position"),
            location=response.headers.get("location"),
        )
        await run_in_threadpool(store.put, key_digest, stored)
        return Response(
            answer,
            status_code=response.status_code,
            headers=dict(response.headers),
        )


def _answer_seen_key(
    request: Request, found: StoredAnswer, request_digest: str
) -> Response:
    """The answer to a key seen before: the first answer, but only for a caller
    who may still have it — a token revoked or expired since, or a throttled
    client, is refused as the route itself would refuse it."""
    caller = _caller(request)
    if caller:
        try:
            service = request.app.state.service
            authenticate(
                service.tokens, service.throttle, caller.decode(), client_of(request)
            )
        except ApiError as error:
            return problem(error.code, error.detail, headers=error.headers)
    if found.request_digest != request_digest:
        return problem(
            "idempotency_key_reused", f"this {HEADER} was used for another request"
        )
    return _replay(found)


def _replay(stored: StoredAnswer) -> Response:
    headers = {"Idempotent-Replayed": "true"}
    if stored.position is not None:
        headers["X-Log-Position"] = stored.position
    if stored.location is not None:
        headers["Location"] = stored.location
    return Response(
        stored.body,
        status_code=stored.status,
        media_type=stored.media_type,
        headers=headers,
    )
