"""Bearer tokens, kept as a ledger: random, shown once, stored as a digest.

A token carries a role — ``public``, ``treasurer`` (with the organisation
whose subtree it may write), ``auditor`` (reads everything) or ``admin``
(tokens and the hierarchy) — and may expire. Its life is a stream of events
with the actor who caused each: ``Issued``, ``ScopeChanged`` (role and
organisation), ``Revoked``. ``khuyenhoc token create|change|revoke|list``
drive it.

Where the events live: a log of their own, ``tokens_events``, in the ledger's
database, written with the eventsourcing library's recorder and mapper (an
aggregate per token, loaded from its events to be changed). Not the books'
log: a token is access control, not money, and keeping it out of
``ledger_events`` keeps log positions (read-your-writes, exports, replays,
seals) meaning "the books".

Authentication never replays a token: every save also updates
``api_tokens`` — one row per token, the lookup table — in the same
transaction, and a request reads one row by its primary key. The row holds
the digest, never the secret, so a leaked table does not leak tokens; the
events carry the digest too, so the table can be rebuilt from them and
``verify`` finds a row that no event explains (one written by hand).

A secret is ``khk_<id>_<43 random characters>``: the id (not secret) finds
the row; the digest of the whole secret is compared with
``hmac.compare_digest``, in constant time.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    EventStore,
    IntegrityError,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import sessionmaker

from ledger import LedgerError
from ledger.ids import NAMESPACE
from storage.schema import append_only, create_tables, hold_schema_lock

PREFIX = "khk_"
EVENTS_TABLE = "tokens_events"
SYSTEM = "system"
UPGRADED_BY = "upgrade: issued before tokens were events"
"""The actor when the caller names none (tests, scripts)."""
_TOKEN_ID = re.compile(r"[0-9a-f]{8}")
_ATTEMPTS = 5


class Role(enum.Enum):
    PUBLIC = "public"
    TREASURER = "treasurer"
    AUDITOR = "auditor"
    ADMIN = "admin"
    APPROVER = "approver"
    """Approves or rejects its organisation's pending payments, and closes
    and reopens its years (issue 15); records nothing itself."""


SCOPED = (Role.TREASURER, Role.APPROVER)
"""Roles whose token names its organisation."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a token's role and scope, or nobody (no token)."""

    role: Role | None
    org: str | None = None
    """A treasurer's organisation: its subtree is the treasurer's scope."""
    token_id: str | None = None
    holder: str | None = None
    """The person the token was issued to (its label), when it names one."""

    @property
    def name(self) -> str:
        """How the ledger records this principal as ``recorded_by``: the
        person first, then the token (``Nguyễn Thị Lan (token:4b51df63)``)."""
        if not self.token_id:
            return "anonymous"
        if self.holder:
            return f"{self.holder} (token:{self.token_id})"
        return f"token:{self.token_id}"


NOBODY = Principal(role=None)


class Refusal(enum.Enum):
    """Why a secret does not authenticate."""

    UNKNOWN = "unknown token"
    EXPIRED = "the token has expired"
    REVOKED = "the token has been revoked"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token_id: str
    secret: str
    role: Role
    org: str | None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What ``token list`` shows: never the secret, never the digest."""

    token_id: str
    role: Role
    org: str | None
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_actor: str


class UnknownToken(LedgerError):
    code = "unknown_token"


class TokenRevoked(LedgerError):
    code = "token_revoked"


class InvalidScope(LedgerError):
    code = "invalid_input"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scope(role: Role, org: str | None) -> None:
    if (role in SCOPED) != (org is not None):
        raise InvalidScope(
            "a treasurer's or approver's token names its organisation; others none"
        )


def _naive_utc(moment: datetime) -> datetime:
    """How the table stores a moment: UTC, without a zone (both databases)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


class Token(Aggregate):
    """A token's history. The digest is in ``Issued`` so that the lookup
    table can be rebuilt and checked from the events alone."""

    @staticmethod
    def id_for(token_id: str) -> UUID:
        return uuid5(NAMESPACE, f"token:{token_id}")

    class Issued(Aggregate.Created):
        token_id: str
        digest: str
        role: str
        org: str | None
        label: str | None
        expires_at: datetime | None
        actor: str

    class ScopeChanged(Aggregate.Event):
        role: str
        org: str | None
        actor: str

        def apply(self, token: Token) -> None:
            token.role = Role(self.role)
            token.org = self.org
            token.last_actor = self.actor

    class Revoked(Aggregate.Event):
        reason: str | None
        actor: str

        def apply(self, token: Token) -> None:
            token.revoked_at = self.timestamp
            token.last_actor = self.actor

    def __init__(
        self,
        token_id: str,
        digest: str,
        role: str,
        org: str | None,
        label: str | None,
        expires_at: datetime | None,
        actor: str,
    ) -> None:
        self.token_id = token_id
        self.digest = digest
        self.role = Role(role)
        self.org = org
        self.label = label
        self.expires_at = expires_at
        self.revoked_at: datetime | None = None
        self.last_actor = actor

    @classmethod
    def issue(
        cls,
        *,
        token_id: str,
        digest: str,
        role: Role,
        org: str | None,
        label: str | None,
        expires_at: datetime | None,
        actor: str,
    ) -> Token:
        check_scope(role, org)
        return cls._create(
            cls.Issued,
            id=cls.id_for(token_id),
            token_id=token_id,
            digest=digest,
            role=role.value,
            org=org,
            label=label,
            expires_at=expires_at,
            actor=actor,
        )

    def change_scope(self, role: Role, org: str | None, actor: str) -> None:
        self._check_live()
        check_scope(role, org)
        self.trigger_event(self.ScopeChanged, role=role.value, org=org, actor=actor)

    def revoke(self, actor: str, reason: str | None = None) -> None:
        self._check_live()
        self.trigger_event(self.Revoked, reason=reason, actor=actor)

    def _check_live(self) -> None:
        if self.revoked_at is not None:
            raise TokenRevoked(
                f"token {self.token_id} was revoked on {self.revoked_at:%Y-%m-%d}"
            )


class TokenStore:
    """The tokens' event log and their lookup table, on the ledger's engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = engine
        self.now = now
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
            Column("expires_at", DateTime, nullable=True),
            Column("revoked_at", DateTime, nullable=True),
            Column("last_actor", String(200), nullable=False),
            Column("version", Integer, nullable=False),
        )
        self.datastore = SQLAlchemyDatastore(session_maker=sessionmaker(bind=engine))
        self.recorder = SQLAlchemyApplicationRecorder(
            self.datastore, events_table_name=EVENTS_TABLE
        )
        transcoder = JSONTranscoder()
        transcoder.register(UUIDAsHex())
        transcoder.register(DatetimeAsISO())
        self.mapper: Mapper[UUID] = Mapper(transcoder=transcoder)
        self.events: EventStore[UUID] = EventStore(self.mapper, self.recorder)
        self.repository: Repository[UUID] = Repository(event_store=self.events)
        append_only(self.recorder.events_record_cls.__table__)
        create_tables(engine, [*self.recorder.tables, self.tokens])
        self._upgrade_a_table_from_before_the_events()

    # ---- commands -------------------------------------------------------------

    def create(
        self,
        role: Role,
        org: str | None = None,
        label: str | None = None,
        *,
        expires_at: datetime | None = None,
        actor: str = SYSTEM,
    ) -> IssuedToken:
        check_scope(role, org)
        expires_at = None if expires_at is None else _naive_utc(expires_at)
        for attempt in range(_ATTEMPTS):
            token_id = secrets.token_hex(4)
            secret = f"{PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
            token = Token.issue(
                token_id=token_id,
                digest=digest(secret),
                role=role,
                org=org,
                label=label,
                expires_at=expires_at,
                actor=actor,
            )
            try:
                self._save(token)
            except IntegrityError:  # the id is taken: draw another
                if attempt + 1 == _ATTEMPTS:
                    raise
                continue
            return IssuedToken(token_id, secret, role, org, expires_at)
        raise AssertionError("unreachable")  # pragma: no cover

    def revoke(
        self, token_id: str, *, actor: str = SYSTEM, reason: str | None = None
    ) -> None:
        token = self._load(token_id)
        token.revoke(actor, reason)
        self._save(token)

    def change_scope(
        self, token_id: str, role: Role, org: str | None, *, actor: str = SYSTEM
    ) -> None:
        token = self._load(token_id)
        token.change_scope(role, org, actor)
        self._save(token)

    # ---- queries --------------------------------------------------------------

    def identify(self, secret: str) -> Principal | Refusal:
        """The token's principal, or why there is none. One row read by its
        primary key; the digests compared in constant time."""
        token_id, sep, _ = secret.removeprefix(PREFIX).partition("_")
        if (
            not secret.startswith(PREFIX)
            or not sep
            or not _TOKEN_ID.fullmatch(token_id)
        ):
            return Refusal.UNKNOWN
        t = self.tokens.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    t.digest, t.role, t.org_code, t.label, t.expires_at, t.revoked_at
                ).where(t.token_id == token_id)
            ).first()
        if row is None or not hmac.compare_digest(row.digest, digest(secret)):
            return Refusal.UNKNOWN
        return self._valid(row, token_id)

    def identify_id(self, token_id: str) -> Principal | Refusal:
        """The principal of a token known by its id (a web session's), or why
        there is none: revoked and expired tokens are refused here too."""
        t = self.tokens.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.role, t.org_code, t.label, t.expires_at, t.revoked_at).where(
                    t.token_id == token_id
                )
            ).first()
        return Refusal.UNKNOWN if row is None else self._valid(row, token_id)

    def _valid(self, row: Any, token_id: str) -> Principal | Refusal:
        if row.revoked_at is not None:
            return Refusal.REVOKED
        if row.expires_at is not None and _naive_utc(self.now()) >= row.expires_at:
            return Refusal.EXPIRED
        return Principal(Role(row.role), row.org_code, token_id, row.label)

    def authenticate(self, secret: str) -> Principal | None:
        """The token's principal, or None for an unknown, expired or revoked one."""
        found = self.identify(secret)
        return found if isinstance(found, Principal) else None

    def list_tokens(self) -> list[TokenInfo]:
        t = self.tokens.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    t.token_id,
                    t.role,
                    t.org_code,
                    t.label,
                    t.created_at,
                    t.expires_at,
                    t.revoked_at,
                    t.last_actor,
                ).order_by(t.created_at, t.token_id)
            ).all()
        return [
            TokenInfo(
                token_id=row.token_id,
                role=Role(row.role),
                org=row.org_code,
                label=row.label,
                created_at=row.created_at,
                expires_at=row.expires_at,
                revoked_at=row.revoked_at,
                last_actor=row.last_actor,
            )
            for row in rows
        ]

    def history(self, token_id: str) -> list[Aggregate.Event]:
        """A token's events, oldest first."""
        self._load(token_id)
        return [
            event
            for event in self.events.get(Token.id_for(token_id))
            if isinstance(event, Aggregate.Event)
        ]

    def verify(self) -> list[str]:
        """Rebuild every row from the events and compare: each difference, as
        a sentence (empty when the table is what the events say)."""
        expected = {row["token_id"]: row for row in self._rebuilt_rows()}
        columns = [c for c in self.tokens.c if c.name != "created_at"]
        with self.engine.connect() as conn:
            actual = {
                row["token_id"]: dict(row)
                for row in conn.execute(select(*columns)).mappings()
            }
        found: list[str] = []
        for token_id in sorted(expected.keys() | actual.keys()):
            want, have = expected.get(token_id), actual.get(token_id)
            if want is None:
                found.append(f"token {token_id}: in api_tokens, but no event issued it")
            elif have is None:
                found.append(f"token {token_id}: issued, but missing from api_tokens")
            else:
                found.extend(
                    f"token {token_id}: {name} is {have[name]!r}, the events say "
                    f"{want[name]!r}"
                    for name in sorted(want)
                    if have[name] != want[name]
                )
        return found

    # ---- plumbing -------------------------------------------------------------

    def _upgrade_a_table_from_before_the_events(self) -> None:
        """A database made before tokens were events has an ``api_tokens`` table
        without their columns, and tokens no event issued. In one transaction
        (one process at a time): add the columns, and record an ``Issued``
        event for each such token, by ``UPGRADED_BY``, so that it keeps
        working, can be listed, changed and revoked, and ``token verify``
        agrees with its row."""
        with self.engine.connect() as conn:
            if self._has_every_column(conn):
                return
        with self.datastore.transaction(commit=True) as session:
            conn = session.connection()
            hold_schema_lock(conn)
            if self._has_every_column(conn):
                return  # another process upgraded it meanwhile
            have = {c["name"] for c in inspect(conn).get_columns(self.tokens.name)}
            for column in self.tokens.columns:
                if column.name not in have:  # nullable: the rows are filled below
                    kind = column.type.compile(dialect=conn.dialect)
                    conn.execute(
                        text(f"ALTER TABLE api_tokens ADD COLUMN {column.name} {kind}")
                    )
            t = self.tokens.c
            for row in conn.execute(
                select(t.token_id, t.digest, t.role, t.org_code, t.label)
            ).all():
                token = Token.issue(
                    token_id=row.token_id,
                    digest=row.digest,
                    role=Role(row.role),
                    org=row.org_code,
                    label=row.label,
                    expires_at=None,
                    actor=UPGRADED_BY,
                )
                stored = [
                    self.mapper.to_stored_event(e) for e in token.collect_events()
                ]
                self.recorder.insert_events(stored, session=session)
                conn.execute(
                    update(self.tokens)
                    .where(t.token_id == row.token_id)
                    .values(**_row(token))
                )

    def _has_every_column(self, conn: Connection) -> bool:
        have = {c["name"] for c in inspect(conn).get_columns(self.tokens.name)}
        return {c.name for c in self.tokens.columns} <= have

    def _load(self, token_id: str) -> Token:
        try:
            token: object = self.repository.get(Token.id_for(token_id))
        except AggregateNotFoundError:
            raise UnknownToken(f"no token {token_id!r}") from None
        if not isinstance(token, Token):  # pragma: no cover -- ids are uuid5s
            raise UnknownToken(f"no token {token_id!r}")
        return token

    def _save(self, token: Token) -> None:
        """The token's new events and its lookup row, in one transaction."""
        pending = token.collect_events()
        stored = [self.mapper.to_stored_event(event) for event in pending]
        row = _row(token)
        with self.datastore.transaction(commit=True) as session:
            self.recorder.insert_events(stored, session=session)
            if pending[0].originator_version == Token.INITIAL_VERSION:
                created = _naive_utc(pending[0].timestamp)
                session.execute(insert(self.tokens).values(created_at=created, **row))
            else:
                session.execute(
                    update(self.tokens)
                    .where(self.tokens.c.token_id == token.token_id)
                    .values(**row)
                )

    def _rebuilt_rows(self) -> Iterator[dict[str, Any]]:
        table = self.recorder.events_record_cls.__table__
        with self.engine.connect() as conn:
            ids = conn.execute(select(table.c.originator_id).distinct()).scalars().all()
        for aggregate_id in ids:
            found: object = self.repository.get(
                aggregate_id
                if isinstance(aggregate_id, UUID)
                else UUID(bytes=aggregate_id)
            )
            if isinstance(found, Token):
                yield _row(found)


def _row(token: Token) -> dict[str, Any]:
    """The lookup row a token's state makes (all but ``created_at``)."""
    return {
        "token_id": token.token_id,
        "digest": token.digest,
        "role": token.role.value,
        "org_code": token.org,
        "label": token.label,
        "expires_at": token.expires_at,
        "revoked_at": None
        if token.revoked_at is None
        else _naive_utc(token.revoked_at),
        "last_actor": token.last_actor,
        "version": token.version,
    }
