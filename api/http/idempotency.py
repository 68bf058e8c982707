"""``Idempotency-Key``: a POST re-sent with the same key gets the first answer.

A key belongs to the authenticated caller — the token, whether it came as
``Authorization: Bearer`` or through a web session's cookie — and is claimed
**before** the work starts: the claim is one ``INSERT`` of the key's row,
which the database lets only one request make. While the first request runs,
another with the same key is ``409 idempotency_key_in_progress`` (with
``Retry-After``), never run. The first successful (2xx) answer is kept with
the claim — status, body, log position and location; an error answer
releases the claim, so a corrected retry runs (the ledger's commands are
themselves idempotent by voucher number, so a retry after an error is safe).

The same key with the same request (method, path, query and body) replays
the kept answer with ``Idempotent-Replayed: true``; with another request it
is ``409 idempotency_key_reused``. A replay is authorised again: a caller
whose token was revoked or expired since is refused as the route would
refuse it, and one whose role or scope changed since gets no replay — the
request goes to the route, which decides afresh (and the voucher number
keeps a write from being recorded twice). A request without credentials is
never stored nor replayed.

Kept answers expire after ``KHUYENHOC_IDEMPOTENCY_RETENTION_DAYS`` (30 by
default): an expired key is a new key, so the request runs again — recorded
once all the same by its voucher number. Expired rows are deleted as new
keys are claimed (at most once a minute per process). A claim whose request
never finished (its process died) is abandoned after ``ABANDONED_SECONDS``.
The web forms' keys (``api.web.submissions``) are kept in the same table.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import Request, Response
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    and_,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from api.auth.gate import caller_of
from api.auth.tokens import Principal
from api.http.problems import ApiError, problem
from storage.schema import create_tables

HEADER = "Idempotency-Key"
MAX_KEY = 255
TABLE = "api_idempotency_keys"
"""Claims and answers (``api_idempotency``, the earlier table without claims,
is no longer read: its answers count as expired)."""
RETENTION_DAYS = 30.0
ABANDONED_SECONDS = 30
"""A claim older than this whose request never finished is given up (its
process died mid-request). A write's own work is bounded well below it: the
ledger's retries, the bounded read wait, a restructuring plan of a thousand
organisations (~5 s). Until then a resend gets ``409
idempotency_key_in_progress`` with ``Retry-After: 1``."""
PURGE_EVERY = 60.0
"""Seconds between two deletions of expired keys by one process."""


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    request_digest: str
    status: int
    body: bytes
    media_type: str
    position: str | None
    location: str | None


@dataclass(frozen=True, slots=True)
class Seen:
    """A key claimed before: by whom (``scope``), for what, and — once the
    first request finished — its answer (None while it runs)."""

    request_digest: str
    scope: str
    answer: StoredAnswer | None


def scope_of(principal: Principal) -> str:
    """What a replay must still be: the role and organisation."""
    role = principal.role.value if principal.role else ""
    return f"{role}|{principal.org or ''}"


class IdempotencyStore:
    def __init__(
        self,
        engine: Engine,
        *,
        retention_days: float = RETENTION_DAYS,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.engine = engine
        self.retention = timedelta(days=retention_days)
        self.now = now
        self._purged = -math.inf
        self.metadata = MetaData()
        self.keys = Table(
            TABLE,
            self.metadata,
            Column("key_digest", String(64), primary_key=True),
            Column("request_digest", String(64), nullable=False),
            Column("scope", String(300), nullable=False),
            Column("status", Integer, nullable=True),
            Column("body", LargeBinary, nullable=True),
            Column("media_type", String(100), nullable=True),
            Column("position", String(20), nullable=True),
            Column("location", String(300), nullable=True),
            Column("claimed_at", DateTime, nullable=False, index=True),
        )
        create_tables(engine, [self.keys])

    def claim(self, key_digest: str, request_digest: str, scope: str) -> Seen | None:
        """Claim the key for this request: None when it is ours now (the
        caller then ``finish``es or ``release``s it), else what claimed it
        first. One ``INSERT``: of racing requests, one claims."""
        k = self.keys.c
        now = self.now()
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        claim = (
            dialect.insert(self.keys)
            .values(
                key_digest=key_digest,
                request_digest=request_digest,
                scope=scope,
                claimed_at=now,
            )
            .on_conflict_do_nothing(index_elements=["key_digest"])
            .returning(self.keys.c.key_digest)
        )
        stale = or_(
            k.claimed_at < now - self.retention,
            and_(
                k.status.is_(None),
                k.claimed_at < now - timedelta(seconds=ABANDONED_SECONDS),
            ),
        )
        with self.engine.begin() as conn:
            conn.execute(delete(self.keys).where(k.key_digest == key_digest, stale))
            claimed = None
            for _ in range(3):  # released between our insert and our look: again
                if conn.execute(claim).first() is not None:
                    claimed = None
                    break
                claimed = self._seen(conn, key_digest)
                if claimed is not None:
                    break
            if time.monotonic() - self._purged > PURGE_EVERY:
                self._purged = time.monotonic()
                conn.execute(
                    delete(self.keys).where(k.claimed_at < now - self.retention)
                )
        return claimed

    def look(self, key_digest: str) -> Seen | None:
        """What claimed the key, without claiming it (None: nothing now)."""
        with self.engine.connect() as conn:
            return self._seen(conn, key_digest)

    def _seen(self, conn: Connection, key_digest: str) -> Seen | None:
        k = self.keys.c
        row = conn.execute(
            select(
                k.request_digest,
                k.scope,
                k.status,
                k.body,
                k.media_type,
                k.position,
                k.location,
            ).where(k.key_digest == key_digest)
        ).first()
        if row is None:  # released meanwhile: the caller may try again
            return None
        answer = None
        if row.status is not None:
            answer = StoredAnswer(
                row.request_digest,
                row.status,
                row.body,
                row.media_type,
                row.position,
                row.location,
            )
        return Seen(row.request_digest, row.scope, answer)

    def finish(self, key_digest: str, answer: StoredAnswer) -> None:
        """Keep the answer of the request that claimed the key."""
        k = self.keys.c
        with self.engine.begin() as conn:
            conn.execute(
                update(self.keys)
                .where(k.key_digest == key_digest, k.status.is_(None))
                .values(
                    status=answer.status,
                    body=answer.body,
                    media_type=answer.media_type,
                    position=answer.position,
                    location=answer.location,
                )
            )

    def release(self, key_digest: str) -> None:
        """Give the key up (the request failed): a retry runs again."""
        k = self.keys.c
        with self.engine.begin() as conn:
            conn.execute(
                delete(self.keys).where(k.key_digest == key_digest, k.status.is_(None))
            )


def _digest(*parts: bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(hashlib.sha256(part).digest())
    return hashed.hexdigest()


class IdempotencyMiddleware(BaseHTTPMiddleware):
    async def dispatch(  # noqa: PLR0911 -- one return per outcome of a key
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
        service = request.app.state.service
        try:
            principal = await run_in_threadpool(
                caller_of, request, service.tokens, service.throttle, service.sessions
            )
        except ApiError as error:
            return problem(error.code, error.detail, headers=error.headers)
        if principal.token_id is None:  # nobody's key: nothing kept
            return await call_next(request)
        store: IdempotencyStore = service.idempotency
        key_digest = _digest(b"api", principal.token_id.encode(), key.encode())
        body = await request.body()
        request_digest = _digest(
            request.method.encode(),
            request.url.path.encode(),
            request.url.query.encode(),
            body,
        )
        scope = scope_of(principal)
        seen = await run_in_threadpool(store.claim, key_digest, request_digest, scope)
        if seen is not None:
            answer = _answer_seen_key(seen, request_digest, scope)
            if answer is not None:
                return answer
            return await call_next(request)  # the scope changed: the route decides
        try:
            response = await call_next(request)
        except BaseException:
            await run_in_threadpool(store.release, key_digest)
            raise
        if not 200 <= response.status_code < 300:
            await run_in_threadpool(store.release, key_digest)
            return response
        chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        stored = StoredAnswer(
            request_digest=request_digest,
            status=response.status_code,
            body=content,
            media_type=response.headers.get("content-type", "application/json"),
            position=response.headers.get("x-log-position"),
            location=response.headers.get("location"),
        )
        await run_in_threadpool(store.finish, key_digest, stored)
        return Response(
            content,
            status_code=response.status_code,
            headers=dict(response.headers),
        )


def _answer_seen_key(seen: Seen, request_digest: str, scope: str) -> Response | None:
    """The answer to a key claimed before; None when the caller's role or
    scope changed since (the route then decides afresh)."""
    if seen.request_digest != request_digest:
        return problem(
            "idempotency_key_reused", f"this {HEADER} was used for another request"
        )
    if seen.answer is None:
        return problem(
            "idempotency_key_in_progress",
            f"a request with this {HEADER} is still running; try again shortly",
            headers={"Retry-After": "1"},
        )
    if seen.scope != scope:
        return None
    return _replay(seen.answer)


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
