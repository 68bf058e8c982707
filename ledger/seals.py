"""The sealed log: a hash chain over the stored event log, in log order.

Every stored event (its notification position and every stored column:
``originator_id``, ``originator_version``, ``topic``, ``state``) has a
*digest*; the *chain* runs over the log in position order::

    digest(e)  = SHA-256("khuyenhoc-event-v1" | id | version | topic | state),
                 each part preceded by its length
    chain(0)   = 32 zero bytes
    chain(p)   = SHA-256(chain(previous position) | position p | digest(event at p))

A *seal* fixes the chain at a position: ``(seal_no, position, events,
chain_hash, previous_hash, sealed_at, seal_hash)``, where ``events`` counts
the events up to the position, ``previous_hash`` is the seal before's
``seal_hash`` and ``seal_hash`` hashes all the other fields. With each seal
the digest of every event it newly covers is stored as a *link* (position,
digest), so that ``verify`` can name the first position where the stored log
differs from the sealed one, and how:

- **altered**: the event at a sealed position no longer has its digest;
- **moved**: the event at a sealed position is the one sealed at another
  position (two events swapped, or the log reordered);
- **deleted**: a sealed position holds no event any more;
- **inserted**: an event sits at a position up to the last seal that no seal
  covered.

Events after the last seal are not an error: they are counted as unsealed.
Links and seals are only ever inserted (never updated or deleted) by this
code. The chain is recomputed from the events and from the links and both are
compared with every seal, so rewriting links to hide an altered event is
caught too (located to the seal's range only). An attacker who can rewrite
events, links *and* every seal after them can only be caught by a seal hash
kept outside the database: the yearly report prints the last one
(``docs/sealed-log.md``).

Every table of record is sealed, each log by a chain of its own in tables of
its own (``SEALED_LOGS``): the books' ``ledger_events`` (``ledger_seals``,
``ledger_seal_links``) and the tokens' ``tokens_events`` (``tokens_seals``,
``tokens_seal_links``), so that who was allowed to do what cannot be
rewritten without a trace either. ``sealed_logs(app)`` opens them all. The
database itself refuses to update or delete their rows (triggers made with
the tables: ``storage.schema``).
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    text,
    type_coerce,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import NullType

from ledger import errors
from storage.schema import append_only, create_tables

ZERO = bytes(32)
EVENT_DOMAIN = b"khuyenhoc-event-v1"
SEAL_DOMAIN = b"khuyenhoc-seal-v1"
READ_BATCH = 5_000
LOWEST = -(2**63)
"""Below every position: the ledger writes from 1 up, but a row put in by hand
at 0 or below must still be read (and found)."""
MAX_EVENTS_PER_SEAL = 100_000
"""A seal covers at most this many new events: sealing a long unsealed log
adds several seals, each a short transaction holding little memory."""
SHOWN_FINDINGS = 50
SEAL_ATTEMPTS = 5

_created: weakref.WeakKeyDictionary[Engine, set[str]] = weakref.WeakKeyDictionary()
_Position = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()


def _seals(name: str) -> Table:
    return append_only(
        Table(
            name,
            metadata,
            Column("seal_no", _Position, primary_key=True, autoincrement=False),
            Column("position", BigInteger, nullable=False),
            Column("events", BigInteger, nullable=False),
            Column("chain_hash", String(64), nullable=False),
            Column("previous_hash", String(64), nullable=False),
            Column("sealed_at", String(40), nullable=False),
            Column("seal_hash", String(64), nullable=False),
        )
    )


def _links(name: str) -> Table:
    return append_only(
        Table(
            name,
            metadata,
            Column("position", _Position, primary_key=True, autoincrement=False),
            Column("digest", LargeBinary(32), nullable=False),
        )
    )


BOOKS_LOG = "ledger_events"
TOKENS_LOG = "tokens_events"
seals_table = _seals("ledger_seals")
links_table = _links("ledger_seal_links")
SEALED_LOGS: dict[str, tuple[Table, Table]] = {
    BOOKS_LOG: (seals_table, links_table),
    TOKENS_LOG: (_seals("tokens_seals"), _links("tokens_seal_links")),
}
"""Every log of record → its seals and links tables. A new log of record is
added here: ``seal``, ``verify``, the service's sealer, backups and the
archive then cover it."""
LOG_NAMES = {BOOKS_LOG: "sealed log", TOKENS_LOG: "sealed token log"}
"""How ``verify`` names each log in what it prints."""


# ---- the hashes -----------------------------------------------------------------


def event_digest(
    originator_id: UUID | bytes, version: int, topic: str, state: bytes
) -> bytes:
    """The digest of one stored event's columns (its position is chained).

    Values as the database driver returns them: a UUID or its 16 bytes (how
    SQLite holds it). Whatever a tampered row holds instead (text in a
    SQLite column of numbers, say) is hashed too rather than refused: it can
    never give a sealed digest, and ``verify`` must not stop at it.
    """
    digest = hashlib.sha256(EVENT_DOMAIN)
    for part in (
        _raw(originator_id),
        _number(version),
        _raw(topic),
        _raw(state),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def _raw(value: object) -> bytes:
    if isinstance(value, UUID):
        return value.bytes
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return b"\x00" + repr(value).encode("utf-8", "backslashreplace")


def _number(value: object) -> bytes:
    if isinstance(value, int) and -(2**63) <= value < 2**63:
        return value.to_bytes(8, "big", signed=True)
    return b"\x00" + _raw(value)


def chain_step(chain: bytes, position: int, digest: bytes) -> bytes:
    """The chain after the event at ``position`` (whose digest is ``digest``)."""
    # Signed: the same bytes as unsigned for every position the ledger writes
    # (from 1 up), and a forged row at 0 or below still hashes.
    return hashlib.sha256(
        chain + position.to_bytes(8, "big", signed=True) + digest
    ).digest()


def compute_seal_hash(
    seal_no: int,
    position: int,
    events: int,
    chain_hash: str,
    previous_hash: str,
    sealed_at: str,
) -> str:
    parts = (
        SEAL_DOMAIN,
        seal_no.to_bytes(8, "big"),
        position.to_bytes(8, "big"),
        events.to_bytes(8, "big"),
        bytes.fromhex(chain_hash),
        bytes.fromhex(previous_hash),
        sealed_at.encode("ascii"),
    )
    return hashlib.sha256(b"".join(parts)).hexdigest()


@dataclass(frozen=True, slots=True)
class Seal:
    seal_no: int
    position: int
    """The last log position it covers."""
    events: int
    """How many events it covers, from the start of the log."""
    chain_hash: str
    previous_hash: str
    sealed_at: str
    """When it was taken: ISO 8601, UTC."""
    seal_hash: str

    def expected_hash(self) -> str:
        return compute_seal_hash(
            self.seal_no,
            self.position,
            self.events,
            self.chain_hash,
            self.previous_hash,
            self.sealed_at,
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "seal_no": self.seal_no,
            "position": self.position,
            "events": self.events,
            "chain_hash": self.chain_hash,
            "previous_hash": self.previous_hash,
            "sealed_at": self.sealed_at,
            "seal_hash": self.seal_hash,
        }


# ---- what verify finds -----------------------------------------------------------

Kind = Literal["altered", "moved", "deleted", "inserted"]


@dataclass(frozen=True, slots=True)
class Finding:
    position: int
    kind: Kind
    sealed_at_position: int | None = None
    """For ``moved``: the position the event was sealed at."""

    def __str__(self) -> str:
        text = {
            "altered": "the stored event was altered",
            "moved": "holds the event sealed at position {other}",
            "deleted": "the sealed event was deleted",
            "inserted": "an event was inserted (no seal covers it)",
        }[self.kind]
        return f"position {self.position}: " + text.format(
            other=self.sealed_at_position
        )


@dataclass(frozen=True, slots=True)
class ChainCheck:
    seals: int
    last: Seal | None
    events_checked: int
    unsealed: int
    """Events after the last seal (not an error)."""
    findings: tuple[Finding, ...]
    """The first positions that differ (at most ``SHOWN_FINDINGS``)."""
    differing_positions: int
    problems: tuple[str, ...] = field(default=())
    """What is wrong with the seals themselves or the links."""
    first_position: int | None = None
    """The first position where the stored log differs from the sealed one."""

    @property
    def clean(self) -> bool:
        return not self.findings and not self.problems


# ---- the sealed log ----------------------------------------------------------------


def sealed_logs(
    app: Application[UUID], *, clock: Callable[[], datetime] | None = None
) -> list[SealedLog]:
    """Every log of record in the ledger's database, sealed: the books first."""
    return [SealedLog(app, clock=clock, log=log) for log in SEALED_LOGS]


class SealedLog:
    """The seals of one event log of the ledger's database (by default the
    books', ``ledger_events``), in the same database."""

    def __init__(
        self,
        app: Application[UUID],
        *,
        clock: Callable[[], datetime] | None = None,
        log: str = BOOKS_LOG,
    ) -> None:
        factory = app.factory
        recorder = app.recorder
        if not isinstance(factory, SQLAlchemyFactory) or not isinstance(
            recorder, SQLAlchemyApplicationRecorder
        ):
            raise errors.InvalidInput(
                "the sealed log needs a database (sqlite:/// or postgresql+psycopg://)"
            )
        engine = factory.datastore.engine
        assert isinstance(engine, Engine)  # noqa: S101 -- built from a URL
        self.engine = engine
        self.log = log
        self.seals, self.links = SEALED_LOGS[log]
        if recorder.events_table_name != log:
            recorder = SQLAlchemyApplicationRecorder(
                factory.datastore, events_table_name=log
            )
        self.events: Table = recorder.events_record_cls.__table__
        self.clock = clock or (lambda: datetime.now(UTC))
        done = _created.setdefault(engine, set())
        if log not in done:  # once per engine: readers open this often
            tables = [self.seals, self.links]
            if log != BOOKS_LOG:  # the books' log is the recorder's to create
                tables[:0] = recorder.tables
                append_only(self.events)
            create_tables(engine, tables)
            done.add(log)

    @property
    def name(self) -> str:
        """How ``verify`` names this log."""
        return LOG_NAMES.get(self.log, f"sealed log {self.log}")

    # ---- reading -----------------------------------------------------------------

    def last(self) -> Seal | None:
        with self.engine.connect() as conn:
            return self._last(conn)

    def all(self) -> list[Seal]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(self.seals).order_by(self.seals.c.seal_no))
            return [Seal(**row._mapping) for row in rows]

    def head(self) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(select(func.max(self.events.c.id))).scalar()
        return int(found or 0)

    def _last(self, conn: Connection) -> Seal | None:
        row = conn.execute(
            select(self.seals).order_by(self.seals.c.seal_no.desc()).limit(1)
        ).first()
        return None if row is None else Seal(**row._mapping)

    def _digests(
        self, after: int, until: int | None, limit: int | None = None
    ) -> Iterator[tuple[int, bytes]]:
        """(position, digest) of the stored events after ``after``, in log order."""
        table = self.events
        done = 0
        while limit is None or done < limit:
            page = READ_BATCH if limit is None else min(READ_BATCH, limit - done)
            query = (
                select(
                    table.c.id,
                    # As the driver returns them: no conversion to refuse what a
                    # tampered row holds (and none to pay for).
                    type_coerce(table.c.originator_id, NullType()),
                    type_coerce(table.c.originator_version, NullType()),
                    type_coerce(table.c.topic, NullType()),
                    type_coerce(table.c.state, NullType()),
                )
                .where(table.c.id > after)
                .order_by(table.c.id)
                .limit(page)
            )
            if until is not None:
                query = query.where(table.c.id <= until)
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            for position, originator, version, topic, state in rows:
                yield position, event_digest(originator, version, topic, state)
            if len(rows) < page:
                return
            after = rows[-1].id
            done += len(rows)

    def _links(self, after: int, until: int) -> Iterator[tuple[int, bytes]]:
        while True:
            query = (
                select(self.links.c.position, self.links.c.digest)
                .where(self.links.c.position > after)
                .where(self.links.c.position <= until)
                .order_by(self.links.c.position)
                .limit(READ_BATCH)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            for row in rows:
                yield row.position, bytes(row.digest)
            if len(rows) < READ_BATCH:
                return
            after = rows[-1].position

    # ---- sealing -----------------------------------------------------------------

    def seal(self, until: int | None = None) -> list[Seal]:
        """Seal the log up to its head (or ``until``); returns the seals added
        (none if nothing new was recorded since the last seal).

        Two sealers at once (the service's timer, an import, the command
        line) never both add a seal: seal numbers and link positions are
        primary keys, so the second insert fails, and that sealer starts again
        from the new last seal.
        """
        stop = self.head() if until is None else min(until, self.head())
        added: list[Seal] = []
        attempts = 0
        while True:
            last = self.last()
            start = last.position if last else LOWEST
            if start >= stop:
                return added
            chain = bytes.fromhex(last.chain_hash) if last else ZERO
            count = last.events if last else 0
            links: list[dict[str, Any]] = []
            for position, digest in self._digests(start, stop, MAX_EVENTS_PER_SEAL):
                chain = chain_step(chain, position, digest)
                links.append({"position": position, "digest": digest})
            if not links:  # only gaps (rolled-back writes) since the last seal
                return added
            count += len(links)
            seal_no = last.seal_no + 1 if last else 1
            position = links[-1]["position"]
            sealed_at = self.clock().astimezone(UTC).isoformat()
            previous = last.seal_hash if last else ZERO.hex()
            seal = Seal(
                seal_no=seal_no,
                position=position,
                events=count,
                chain_hash=chain.hex(),
                previous_hash=previous,
                sealed_at=sealed_at,
                seal_hash=compute_seal_hash(
                    seal_no, position, count, chain.hex(), previous, sealed_at
                ),
            )
            try:
                with self.engine.begin() as conn:
                    _insert_links(conn, self.links, links)
                    conn.execute(insert(self.seals), seal.as_record())
            except IntegrityError:
                attempts += 1  # another sealer was first: start from its seal
                if attempts >= SEAL_ATTEMPTS:
                    raise
                continue
            added.append(seal)

    # ---- verifying ---------------------------------------------------------------

    def verify(self) -> ChainCheck:
        """Recompute the chain from the stored events and compare it with every
        seal and link; name the first position where they differ."""
        seals = self.all()
        problems = _seal_chain_problems(seals)
        if not seals:
            unsealed = self._count_after(LOWEST)
            return ChainCheck(0, None, 0, unsealed, (), 0, tuple(problems))
        last = seals[-1]
        walk = _Walk(seals, problems)
        events = self._digests(LOWEST, last.position)
        links = self._links(LOWEST, last.position)
        event, link = next(events, None), next(links, None)
        while event is not None or link is not None:
            if link is None or (event is not None and event[0] < link[0]):
                assert event is not None  # noqa: S101 -- link is None or after
                walk.step(event[0], event[1], None)
                event = next(events, None)
            elif event is None or link[0] < event[0]:
                walk.step(link[0], None, link[1])
                link = next(links, None)
            else:
                walk.step(event[0], event[1], link[1])
                event, link = next(events, None), next(links, None)
        walk.close_seals(2**62)
        findings, differing = walk.findings()
        findings = self._moved(findings, walk.moved_candidates)
        starts = [f.position for f in findings]
        if walk.first_range is not None:
            starts.append(walk.first_range)
        return ChainCheck(
            seals=len(seals),
            last=last,
            events_checked=walk.events_checked,
            unsealed=self._count_after(last.position),
            findings=tuple(findings),
            differing_positions=differing,
            problems=tuple(problems),
            first_position=min(starts, default=None),
        )

    def _moved(
        self, findings: list[Finding], candidates: dict[bytes, int]
    ) -> list[Finding]:
        """An altered or inserted event that is one sealed at another position
        was moved there: find those (one more pass over the links, on failure
        only)."""
        wanted = {
            digest: position
            for digest, position in candidates.items()
            if any(f.position == position for f in findings)
        }
        if not wanted:
            return findings
        origin: dict[int, int] = {}
        for position, digest in self._links(LOWEST, 2**62):
            now_at = wanted.get(digest)
            if now_at is not None and now_at != position:
                origin.setdefault(now_at, position)
        found = [
            Finding(f.position, "moved", origin[f.position])
            if f.position in origin and f.kind in ("altered", "inserted")
            else f
            for f in findings
        ]
        # An unknown event followed by the event sealed at its position: it
        # was inserted there, and the log after it moved along.
        return [
            Finding(f.position, "inserted")
            if f.kind == "altered"
            and n + 1 < len(found)
            and found[n + 1].kind == "moved"
            and found[n + 1].sealed_at_position == f.position
            else f
            for n, f in enumerate(found)
        ]

    def _count_after(self, position: int) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(func.count()).where(self.events.c.id > position)
            ).scalar()
        return int(found or 0)


def _insert_links(conn: Connection, table: Table, links: list[dict[str, Any]]) -> None:
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), links)
        return
    # One statement for the lot (row by row, the inserts took half the time).
    conn.execute(
        text(
            f"INSERT INTO {table.name} (position, digest) "  # noqa: S608 -- ours
            "SELECT * FROM unnest(CAST(:positions AS bigint[]), "
            "CAST(:digests AS bytea[]))"
        ),
        {
            "positions": [link["position"] for link in links],
            "digests": [link["digest"] for link in links],
        },
    )


def _seal_chain_problems(seals: list[Seal]) -> list[str]:
    """What is wrong with the seals themselves: numbering, order, hashes."""
    problems: list[str] = []
    previous: Seal | None = None
    for n, seal in enumerate(seals, start=1):
        if seal.seal_no != n:
            problems.append(f"seal #{n} is missing (found #{seal.seal_no} instead)")
        if seal.seal_hash != seal.expected_hash():
            problems.append(f"seal #{seal.seal_no} was altered (its hash is wrong)")
        expected_previous = previous.seal_hash if previous else ZERO.hex()
        if seal.previous_hash != expected_previous:
            problems.append(
                f"seal #{seal.seal_no} does not follow seal #{seal.seal_no - 1}"
            )
        if previous is not None and seal.position <= previous.position:
            problems.append(f"seal #{seal.seal_no} does not move the log forward")
        previous = seal
    return problems


class _Walk:
    """The events and the links, side by side in position order, against the
    seals: two chains, each re-anchored at every seal's own chain hash so
    that each seal's range is judged on its own."""

    def __init__(self, seals: list[Seal], problems: list[str]) -> None:
        self.pending = iter(seals)
        self.seal: Seal | None = next(self.pending)
        self.problems = problems
        self.previous_position = 0
        self.event_chain = self.link_chain = ZERO
        self.event_count = self.link_count = 0
        self.events_checked = 0
        self.first_range: int | None = None
        self.verified: list[tuple[int, int]] = []
        self.found: list[Finding] = []
        self.differing = 0
        self.moved_candidates: dict[bytes, int] = {}

    def step(self, position: int, event: bytes | None, link: bytes | None) -> None:
        """The event (digest) and link (digest) at ``position``; either may be
        missing."""
        self.close_seals(position)
        if event is not None:
            self.event_chain = chain_step(self.event_chain, position, event)
            self.event_count += 1
            self.events_checked += 1
        if link is not None:
            self.link_chain = chain_step(self.link_chain, position, link)
            self.link_count += 1
        if event == link:
            return
        kind: Kind = "deleted" if event is None else "altered"
        if link is None:
            kind = "inserted"
        if event is not None:
            self.moved_candidates.setdefault(event, position)
        self.differing += 1
        if len(self.found) < SHOWN_FINDINGS:
            self.found.append(Finding(position, kind))

    def close_seals(self, upto: int) -> None:
        """Compare both chains with every seal at a position before ``upto``."""
        while self.seal is not None and self.seal.position < upto:
            seal, lo = self.seal, self.previous_position
            events_match = (
                self.event_chain.hex() == seal.chain_hash
                and self.event_count == seal.events
            )
            links_match = (
                self.link_chain.hex() == seal.chain_hash
                and self.link_count == seal.events
            )
            if events_match:
                self.verified.append((lo, seal.position))
                if not links_match:
                    self.problems.append(
                        f"seal #{seal.seal_no}: the links after position {lo} up to "
                        f"{seal.position} were altered (the events there still hash "
                        "to the seal)"
                    )
            elif (self.link_chain, self.link_count) == (
                self.event_chain,
                self.event_count,
            ):
                if self.first_range is None:
                    self.first_range = lo + 1
                self.problems.append(
                    f"seal #{seal.seal_no}: the events after position {lo} up to "
                    f"{seal.position} do not hash to the seal, and the seal's links "
                    "were rewritten to match them: the log was changed in that range"
                )
            self.event_chain = self.link_chain = bytes.fromhex(seal.chain_hash)
            self.event_count = self.link_count = seal.events
            self.previous_position = seal.position
            self.seal = next(self.pending, None)

    def findings(self) -> tuple[list[Finding], int]:
        """The differences, but not where the events still hash to their seal
        (only the links differ there, which ``problems`` says)."""
        kept = [
            f
            for f in self.found
            if not any(lo < f.position <= hi for lo, hi in self.verified)
        ]
        return kept, self.differing - (len(self.found) - len(kept))
