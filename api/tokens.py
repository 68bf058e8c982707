"""Bearer tokens: random, shown once, stored as a SHA-256 digest.

A token carries a role — ``public``, ``treasurer`` (with the organisation
whose subtree it may write), ``auditor`` (reads everything) or ``admin``
(tokens and the hierarchy) — and lives in ``api_tokens`` in the ledger's
database. The secret itself is never stored: a leaked table does not leak
tokens. ``khuyenhoc token create`` prints a new one.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, insert, select

from ledger.persistence import create_tables

PREFIX = "khk_"


class Role(enum.Enum):
    PUBLIC = "public"
    TREASURER = "treasurer"
    AUDITOR = "auditor"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a token's role and scope, or nobody (no token)."""

    role: Role | None
    org: str | None = None
    """A treasurer's organisation: its subtree is the treasurer's scope."""
    token_id: str | None = None

    @property
    def name(self) -> str:
        """How the ledger records this principal as ``recorded_by``."""
        return f"token:{self.token_id}" if self.token_id else "anonymous"


NOBODY = Principal(role=None)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token_id: str
    secret: str
    role: Role
    org: str | None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.metadata = MetaData()
        self.tokens = Table(
            "api_tokens",
            self.metadata,
            Column("token_id", String(16), primary_key=True),
            Column("digest", String(64), nullable=False, unique=True),
            Column("role", String(16), nullable=False),
            Column("org_code", String(64), nullable=True),
            Column("label", String(200), nullable=True),
            Column("created_at", DateTime, nullable=False),
        )
        create_tables(engine, [self.tokens])

    def create(
        self, role: Role, org: str | None = None, label: str | None = None
    ) -> IssuedToken:
        if (role is Role.TREASURER) != (org is not None):
            raise ValueError("a treasurer's token names its organisation; others none")
        token_id = secrets.token_hex(4)
        secret = f"{PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
        with self.engine.begin() as conn:
            conn.execute(
                insert(self.tokens).values(
                    token_id=token_id,
                    digest=digest(secret),
                    role=role.value,
                    org_code=org,
                    label=label,
                    created_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
        return IssuedToken(token_id, secret, role, org)

    def authenticate(self, secret: str) -> Principal | None:
        """The token's principal, or None for an unknown token."""
        t = self.tokens.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.token_id, t.role, t.org_code).where(t.digest == digest(secret))
            ).first()
        if row is None:
            return None
        return Principal(Role(row.role), row.org_code, row.token_id)
