"""Web sessions: what a browser holds after signing in, distinct from the token.

Signing in with a token begins a session: a fresh random secret
(``kss_<43 random characters>``, 256 bits) goes to the browser's cookie; the
database keeps its SHA-256 digest, the token's id, when it began and when it
ended. A page's request finds the session by that digest, then the token by
its id — so revoking or expiring the token ends its sessions at once, and
signing out ends the session (``end``) without touching the token: the same
cookie value opens nothing afterwards, and the token itself never travels in
a cookie. A session also ends ``hours`` after it began (12 by default,
``KHUYENHOC_SESSION_HOURS``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, select, update

from api.auth.tokens import Principal, Refusal, TokenStore
from storage.schema import create_tables

PREFIX = "kss_"
COOKIE = "khuyenhoc_session"
"""The cookie that holds a session's secret (HttpOnly, SameSite=Strict)."""
SESSION_HOURS = 12.0


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class SessionStore:
    def __init__(
        self,
        engine: Engine,
        tokens: TokenStore,
        *,
        hours: float = SESSION_HOURS,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.engine = engine
        self.tokens = tokens
        self.lifetime = timedelta(hours=hours)
        self.now = now
        self.metadata = MetaData()
        self.sessions = Table(
            "web_sessions",
            self.metadata,
            Column("digest", String(64), primary_key=True),
            Column("token_id", String(40), nullable=False),
            Column("began_at", DateTime, nullable=False),
            Column("ended_at", DateTime, nullable=True),
        )
        create_tables(engine, [self.sessions])

    def begin(self, principal: Principal) -> str:
        """A new session of the principal's token; its secret, for the cookie."""
        if principal.token_id is None:
            raise ValueError("only a token's holder begins a session")
        secret = f"{PREFIX}{secrets.token_urlsafe(32)}"
        with self.engine.begin() as conn:
            conn.execute(
                self.sessions.insert().values(
                    digest=_digest(secret),
                    token_id=principal.token_id,
                    began_at=self.now(),
                )
            )
        return secret

    def identify(self, secret: str) -> Principal | Refusal:
        """The session's principal, or why there is none: an unknown or ended
        session is unknown, an old one expired, and the token's own refusal
        (revoked, expired) ends it too."""
        if not secret.startswith(PREFIX):
            return Refusal.UNKNOWN
        s = self.sessions.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(s.token_id, s.began_at, s.ended_at).where(
                    s.digest == _digest(secret)
                )
            ).first()
        if row is None or row.ended_at is not None:
            return Refusal.UNKNOWN
        if self.now() >= row.began_at + self.lifetime:
            return Refusal.EXPIRED
        return self.tokens.identify_id(row.token_id)

    def end(self, secret: str) -> None:
        """Sign out: the session opens nothing from now on."""
        s = self.sessions.c
        with self.engine.begin() as conn:
            conn.execute(
                update(self.sessions)
                .where(s.digest == _digest(secret), s.ended_at.is_(None))
                .values(ended_at=self.now())
            )
