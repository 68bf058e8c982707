"""The event log's table as a batch uses it: locked, probed and appended to
with the database driver's cursor, inside the batch's transaction.

eventsourcing-sqlalchemy reads and writes through SQLAlchemy's ORM, one
object per event; an import probes the table once per new entry (is this
voucher new?) and appends thousands of rows at a time, and there
SQLAlchemy's per-statement and per-row handling was a fifth of an import's
time. The rows are the ones the recorder would write — the library's mapper
makes them — in the recorder's own table, on the same connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import text
from sqlalchemy.orm import Session


class EventTable:
    """``ledger_events`` on one session's connection (SQLite or PostgreSQL)."""

    def __init__(
        self, session: Session, recorder: SQLAlchemyApplicationRecorder
    ) -> None:
        self.session = session
        self.channel = recorder.channel_name
        self.name = recorder.events_table_name
        if recorder.schema_name:
            self.name = f"{recorder.schema_name}.{self.name}"
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        mark = "?" if self.sqlite else "%s"
        self.first_query = (
            f"SELECT topic, state FROM {self.name} "  # noqa: S608 -- not user input
            f"WHERE originator_id = {mark} AND originator_version = 1"
        )
        self.insert_query = (
            f"INSERT INTO {self.name} "  # noqa: S608 -- not user input
            "(originator_id, originator_version, topic, state) "
            f"VALUES ({mark}, {mark}, {mark}, {mark})"
        )

    def take_write_lock(self) -> None:
        """The lock every writer of the log takes: from now on, until the
        transaction ends, no other writer can append to it."""
        if self.sqlite:
            self.session.execute(text("BEGIN IMMEDIATE"))
        else:
            self.session.execute(text(f"LOCK TABLE {self.name} IN EXCLUSIVE MODE"))

    def first(self, aggregate_id: UUID) -> StoredEvent | None:
        """An aggregate's stored creation event (version 1), if there is one."""
        cursor = self.session.connection().connection.cursor()
        try:
            cursor.execute(self.first_query, (self._id(aggregate_id),))
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        return StoredEvent(
            originator_id=aggregate_id,
            originator_version=1,
            topic=row[0],
            state=bytes(row[1]),
        )

    def append(self, events: Sequence[StoredEvent]) -> None:
        """Insert the rows (not committed); on PostgreSQL also the recorder's
        NOTIFY, which the database delivers at commit."""
        rows = [
            (self._id(e.originator_id), e.originator_version, e.topic, e.state)
            for e in events
        ]
        cursor = self.session.connection().connection.cursor()
        try:
            cursor.executemany(self.insert_query, rows)
        finally:
            cursor.close()
        if not self.sqlite:
            self.session.execute(text(f"NOTIFY {self.channel}"))

    def _id(self, aggregate_id: UUID | str) -> object:
        """How the table's UUID column holds an id: 16 bytes on SQLite."""
        found = aggregate_id if isinstance(aggregate_id, UUID) else UUID(aggregate_id)
        return found.bytes if self.sqlite else found
