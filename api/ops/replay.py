"""Replay the log to a point: the books as they stood at a log position, or at
the end of a recording date (in Vietnam, as every date the ledger shows), in a
database of their own.

``replay(source, target, until)`` copies the stored events up to the position
into the target database — with their positions, so the target's log *is* the
source's log up to that point — together with the seals (and their links)
that cover no later position, all in ONE transaction on the target; then it
builds the target's read models from the copied log. The target is then an
ordinary ledger database: ``khuyenhoc report``, ``verify`` and the HTTP
service read it with ``KHUYENHOC_DATABASE_URL`` pointing there. It is meant
for reading: recording there would fork the history.

Snapshots are not copied (the source's may be of later versions: the target's
ledger reads its aggregates from its events), nor tokens or idempotency
answers. The target must be empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import StoredEvent
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from ledger import Ledger, errors
from ledger.seals import SealedLog
from ledger.types import VIETNAM
from projections import ReadModels
from storage.engines import printable

BATCH = 5_000

Progress = Callable[[int], None]
"""Called with the number of events copied so far."""


@dataclass(frozen=True, slots=True)
class Replay:
    position: int
    """The log position the target's read models stand at."""
    events: int
    seals: int


def replay(
    source_url: str,
    target_url: str,
    until: int | date,
    *,
    progress: Progress | None = None,
    rebuild: Callable[[ReadModels], int] | None = None,
) -> Replay:
    """Copy the log up to ``until`` (a position, or the end of a recording
    date in Vietnam) into ``target_url`` and build its read models there."""
    source = Ledger(source_url)
    try:
        source_log = SealedLog(source)
        position = resolve(source, until)
        target = Ledger(target_url)
        try:
            target_log = SealedLog(target)
            _refuse_non_empty(target, target_log, target_url)
            events, seals = _copy(source_log, target_log, position, progress)
            read_models = ReadModels(target)
            reached = (rebuild or ReadModels.rebuild)(read_models)
        finally:
            target.close()
    finally:
        source.close()
    return Replay(reached, events, seals)


def resolve(ledger: Ledger, until: int | date) -> int:
    """The log position ``until`` names: a position must be in the log; a date
    is the last position recorded before the next day began in Vietnam, reading
    the log in order and stopping at the first event recorded later."""
    log = SealedLog(ledger)
    head = log.head()
    if isinstance(until, int):
        if until < 1 or until > head:
            raise errors.InvalidInput(
                f"position {until} is not in the log (it runs from 1 to {head})"
            )
        return until
    end = datetime.combine(until + timedelta(days=1), time(), tzinfo=VIETNAM)
    found = 0
    for position, recorded in _recording_times(ledger, log):
        if recorded >= end:
            break
        found = position
    return found


def _recording_times(ledger: Ledger, log: SealedLog) -> Iterator[tuple[int, datetime]]:
    after, table, engine = 0, log.events, log.engine
    while True:
        query = select(table).where(table.c.id > after).order_by(table.c.id)
        with engine.connect() as conn:
            rows = conn.execute(query.limit(BATCH)).all()
        for row in rows:
            event = ledger.mapper.to_domain_event(
                StoredEvent(
                    originator_id=row.originator_id,
                    originator_version=row.originator_version,
                    topic=row.topic,
                    state=bytes(row.state),
                )
            )
            assert isinstance(event, DomainEvent)  # noqa: S101 -- every stored event
            yield row.id, event.timestamp
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def _refuse_non_empty(target: Ledger, log: SealedLog, url: str) -> None:
    read_models = ReadModels(target)
    if log.head() or log.last() is not None or read_models.position():
        raise errors.InvalidInput(
            f"{printable(url)} already holds a ledger or read models: replay into an "
            "empty database"
        )


def _copy(
    source: SealedLog, target: SealedLog, position: int, progress: Progress | None
) -> tuple[int, int]:
    with target.engine.begin() as conn:
        return copy_log(conn, source, target, position, progress)


def copy_log(
    conn: Connection,
    source: SealedLog,
    target: SealedLog,
    position: int,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Copy the stored events up to ``position`` with their positions, and the
    seals and links that cover no later position, in ``conn``'s transaction;
    returns (events, seals). ``migrate`` uses it too, so a moved ledger keeps
    its seals checkable."""
    events = 0
    for rows in _rows(source.engine, source.events, source.events.c.id, position):
        conn.execute(insert(target.events), rows)
        events += len(rows)
        if progress is not None:
            progress(events)
    seals, sealed_up_to = 0, 0
    for rows in _rows(source.engine, source.seals, source.seals.c.position, position):
        conn.execute(insert(target.seals), rows)
        seals += len(rows)
        sealed_up_to = rows[-1]["position"]
    # The links of the copied seals only: the events after the last of them are
    # the target's to seal (a link there would collide with its own).
    links = source.links
    for rows in _rows(source.engine, links, links.c.position, sealed_up_to):
        conn.execute(insert(target.links), rows)
    _move_sequence(conn, target.events)
    return events, seals


def _rows(
    engine: Engine, table: Table, key: Any, until: int
) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``table`` whose ``key`` is at most ``until``, in key order."""
    query = select(table).where(key <= until).order_by(key)
    with engine.connect() as conn:
        # A server-side cursor on PostgreSQL: the log need not fit in memory.
        result = (
            conn.execution_options(stream_results=True, yield_per=BATCH)
            .execute(query)
            .mappings()
        )
        while chunk := result.fetchmany(BATCH):
            yield [dict(row) for row in chunk]


def _move_sequence(conn: Connection, table: Table) -> None:
    """On PostgreSQL, the ids were given: move the id sequence past them."""
    if conn.dialect.name != "postgresql":
        return
    top = conn.execute(select(func.max(table.c.id))).scalar()
    if top:
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :top)"),
            {"table": table.name, "top": top},
        )
