"""The bulk path: many commands, one transaction, events written in chunks.

``with ledger.batch() as batch:`` runs the ``Ledger``'s ordinary commands —
the same checks, domain methods, idempotency by voucher and events — with
three differences, in the calling thread only:

- **One transaction.** The batch opens the event store's transaction and
  takes the event log's write lock first (``LOCK TABLE … IN EXCLUSIVE MODE``
  on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite). Every save inside joins it;
  it commits once, when the block ends. An exception, ``batch.abort()`` or a
  killed process rolls everything back: nothing of the batch is left.
- **Chunked writes.** ``save`` collects events in command order; every
  ``chunk_events`` they are written — inserted, not committed: the rows the
  library's mapper makes, appended by ``ledger.event_table`` — and the
  snapshots due are taken by the library, so memory stays bounded.
- **A working set.** Aggregates are loaded once, through a repository with no
  cache, inside the transaction (so they include what the batch wrote), and
  kept between commands; after a write, vouchers and the least recently used
  organisations and campaigns beyond ``WORKING_SET`` are dropped.

Why it is safe: with the write lock held from the start, no other writer's
event lands between a load and the write that follows it, so there are no
conflicts to retry, and no deadlock (the batch holds nothing when it asks for
the lock, and asks for nothing another writer holds afterwards). The
``Ledger``'s repository cache is neither read nor written inside a batch
(loads go through the batch's own repository; snapshots are taken by
version, which bypasses the cache), so a rollback cannot leave state in it
that the database does not have; snapshots are written in the same
transaction and roll back with it. A command that
fails after changing an aggregate (it triggered events but did not save)
changed only the working set: those aggregates are dropped — after the
collected events are written — and read back on their next use.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Recording
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder

from ledger import errors
from ledger.base import LedgerBase
from ledger.campaign import Campaign
from ledger.event_table import EventTable
from ledger.organisation import Organisation

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=Aggregate.Event)

CHUNK_EVENTS = 2_000
"""Events collected before they are written (inserted, not committed)."""
WORKING_SET = 20_000
"""Organisations and campaigns kept between writes; beyond it the least
recently used go."""
KEPT = (Organisation, Campaign)
"""What the working set keeps after a write: vouchers are written once and
read again only to be reversed, so they leave it once they are written."""


class Batch:
    """One batch's state: the collected events and the working set."""

    def __init__(
        self,
        ledger: BulkWriting,
        table: EventTable,
        chunk_events: int,
        working_set: int,
    ) -> None:
        self.ledger = ledger
        self.table = table
        self.chunk_events = chunk_events
        self.working_set = working_set
        self.repository: Repository[UUID] = Repository(
            event_store=ledger.events, snapshot_store=ledger.snapshots
        )
        self.working: OrderedDict[UUID, Aggregate] = OrderedDict()
        self.created: dict[UUID, object] = {}
        """Creation events collected since the last write, by aggregate id."""
        self.collected: ProcessingEvent[UUID] = ProcessingEvent()
        self.loaded: set[UUID] = set()
        """Aggregates the current command has loaded."""
        self.events_written = 0
        self.aborted = False

    def abort(self) -> None:
        """Roll the whole batch back when its block ends (nothing is written)."""
        self.aborted = True

    # ---- what the commands call instead of the repository and the store ----

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        self.loaded.add(aggregate_id)
        found = self.working.get(aggregate_id)
        if found is not None:
            self.working.move_to_end(aggregate_id)
            return found
        try:
            loaded: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        self.working[aggregate_id] = loaded
        return loaded

    def first_event(self, aggregate_id: UUID) -> object:
        """An aggregate's creation event, collected or in the store, or None."""
        collected = self.created.get(aggregate_id)
        if collected is not None:
            return collected
        stored = self.table.first(aggregate_id)
        return None if stored is None else self.ledger.mapper.to_domain_event(stored)

    def collect(self, *objs: Aggregate | None) -> None:
        for obj in objs:
            if obj is None:
                continue
            events = obj.collect_events()
            if events and events[0].originator_version == 1:
                self.created[obj.id] = events[0]
            self.collected.events.extend(events)
            self.collected.aggregates[obj.id] = obj
            self.working[obj.id] = obj
            self.working.move_to_end(obj.id)

    # ---- commands' boundaries --------------------------------------------------

    def begin_command(self) -> None:
        if len(self.collected.events) >= self.chunk_events:
            self.write()
        self.loaded.clear()

    def drop_unsaved(self) -> None:
        """Forget what a failed command changed without saving."""
        changed = [
            aggregate_id
            for aggregate_id in self.loaded
            if (found := self.working.get(aggregate_id)) is not None
            and found.pending_events
        ]
        if changed:
            self.write()
            for aggregate_id in changed:
                del self.working[aggregate_id]

    def write(self) -> None:
        """Insert the collected events (and due snapshots) into the transaction."""
        collected, self.collected = self.collected, ProcessingEvent()
        if collected.events:
            to_stored_event = self.ledger.mapper.to_stored_event
            self.table.append([to_stored_event(e) for e in collected.events])
            # The library's own: a failed snapshot must fail the batch.
            Application._take_snapshots(self.ledger, collected)
            self.events_written += len(collected.events)
        self.created.clear()
        for aggregate_id in [
            i for i, a in self.working.items() if not isinstance(a, KEPT)
        ]:
            del self.working[aggregate_id]
        while len(self.working) > self.working_set:
            self.working.popitem(last=False)


_current: ContextVar[Batch | None] = ContextVar("ledger_batch", default=None)


class BulkWriting(LedgerBase):
    """``Ledger.batch()``, and the commands' plumbing as a batch changes it."""

    @contextlib.contextmanager
    def batch(
        self, *, chunk_events: int = CHUNK_EVENTS, working_set: int = WORKING_SET
    ) -> Iterator[Batch]:
        """Run the commands in the block as one transaction (see the module)."""
        if self._batch() is not None:
            raise errors.InvalidInput("a batch is already open in this thread")
        if not isinstance(self.factory, SQLAlchemyFactory):
            raise errors.InvalidInput("a batch needs a database (sqlite or postgresql)")
        with (
            contextlib.suppress(_RolledBack),
            self.factory.datastore.transaction(commit=True) as session,
        ):
            recorder = self.recorder
            assert isinstance(recorder, SQLAlchemyApplicationRecorder)  # noqa: S101
            table = EventTable(session, recorder)
            table.take_write_lock()
            batch = Batch(self, table, chunk_events, working_set)
            token = _current.set(batch)
            try:
                yield batch
                if not batch.aborted:
                    batch.write()
            finally:
                _current.reset(token)
            if batch.aborted:
                raise _RolledBack

    def _batch(self) -> Batch | None:
        batch = _current.get()
        return batch if batch is not None and batch.ledger is self else None

    # ---- the plumbing of LedgerBase, inside a batch ----------------------------

    def _retrying(self, attempt: Callable[[], T], *keys: str | None) -> T:
        batch = self._batch()
        if batch is None:
            return super()._retrying(attempt, *keys)
        batch.begin_command()
        try:
            return attempt()
        except BaseException:
            batch.drop_unsaved()
            raise

    def _get(self, cls: type[A], aggregate_id: UUID | None) -> A | None:
        batch = self._batch()
        if batch is None or aggregate_id is None:
            return super()._get(cls, aggregate_id)
        found = batch.get(aggregate_id)
        return found if isinstance(found, cls) else None

    def _first_event(self, aggregate_id: UUID, cls: type[E]) -> E | None:
        batch = self._batch()
        if batch is None:
            return super()._first_event(aggregate_id, cls)
        first = batch.first_event(aggregate_id)
        return first if isinstance(first, cls) else None

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        batch = self._batch()
        if batch is None:
            return super().save(*objs, **kwargs)
        batch.collect(*objs)
        return []


class _RolledBack(Exception):
    """Raised inside the transaction to roll an aborted batch back."""
