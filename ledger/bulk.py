"""The bulk path: many commands, one transaction, events written in chunks.

``with ledger.batch() as batch: batch.execute(command)`` (or
``batch.receive_donation(…)``) runs the ``Ledger``'s ordinary commands — the
same handlers, checks, domain methods, idempotency by voucher and events —
on another unit of work, ``BatchUnit``, with three differences:

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

A batch belongs to the thread that opened it: while it is open, that thread
sends its commands through the batch (``Ledger.execute`` there would wait
for the batch's own write lock, and is refused instead).

Why it is safe: with the write lock held from the start, no other writer's
event lands between a load and the write that follows it, so there are no
conflicts to retry, and no deadlock (the batch holds nothing when it asks for
the lock, and asks for nothing another writer holds afterwards). The
``Ledger``'s repository cache is neither read nor written by a batch (loads
go through the batch's own repository; snapshots are taken by version, which
bypasses the cache), so a rollback cannot leave state in it
that the database does not have; snapshots are written in the same
transaction and roll back with it. A command that
fails after changing an aggregate (it triggered events but did not save)
changed only the working set: those aggregates are dropped — after the
collected events are written — and read back on their next use.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate

from ledger.campaign import Campaign
from ledger.commands import Command
from ledger.event_table import EventTable
from ledger.handlers import handler_for
from ledger.methods import CommandMethods
from ledger.organisation import Organisation
from ledger.types import GENERAL_FUND, Dong, FundName, OrgCode
from ledger.unit_of_work import OrganisationState, UnitOfWork

R = TypeVar("R")

CHUNK_EVENTS = 2_000
"""Events collected before they are written (inserted, not committed)."""
WORKING_SET = 20_000
"""Organisations and campaigns kept between writes; beyond it the least
recently used go."""
KEPT = (Organisation, Campaign)
"""What the working set keeps after a write: vouchers are written once and
read again only to be reversed, so they leave it once they are written."""


class BatchUnit(UnitOfWork):
    """The unit of work of a batch: a working set, events collected and
    written in chunks into the batch's transaction (see the module)."""

    def __init__(
        self,
        app: Application[UUID],
        today: Callable[[], date],
        table: EventTable,
        *,
        chunk_events: int,
        working_set: int,
    ) -> None:
        super().__init__(app, today)
        self.table = table
        self.chunk_events = chunk_events
        self.working_set = working_set
        self.repository: Repository[UUID] = Repository(
            event_store=app.events, snapshot_store=app.snapshots
        )
        self.working: OrderedDict[UUID, Aggregate] = OrderedDict()
        self.created_events: dict[UUID, object] = {}
        """Creation events collected since the last write, by aggregate id."""
        self.collected: ProcessingEvent[UUID] = ProcessingEvent()
        self.loaded: set[UUID] = set()
        """Aggregates the current command has loaded."""
        self.events_written = 0

    # ---- what handlers call ---------------------------------------------------

    def load(self, aggregate_id: UUID) -> Aggregate | None:
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
        collected = self.created_events.get(aggregate_id)
        if collected is not None:
            return collected
        stored = self.table.first(aggregate_id)
        return None if stored is None else self.app.mapper.to_domain_event(stored)

    def save(self, *aggregates: Aggregate | None) -> None:
        for aggregate in aggregates:
            if aggregate is None:
                continue
            events = aggregate.collect_events()
            if events and events[0].originator_version == 1:
                self.created_events[aggregate.id] = events[0]
            self.collected.events.extend(events)
            self.collected.aggregates[aggregate.id] = aggregate
            self.working[aggregate.id] = aggregate
            self.working.move_to_end(aggregate.id)

    # ---- a command's boundaries --------------------------------------------------

    def run(self, command: Command[R]) -> R:
        """Run one command of the batch; a failed one leaves nothing behind."""
        if len(self.collected.events) >= self.chunk_events:
            self.write()
        self.loaded.clear()
        try:
            return handler_for(command)(self)
        except BaseException:
            self._drop_unsaved()
            raise

    def _drop_unsaved(self) -> None:
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
            to_stored_event = self.app.mapper.to_stored_event
            self.table.append([to_stored_event(e) for e in collected.events])
            # The library's own: a failed snapshot must fail the batch.
            Application._take_snapshots(self.app, collected)
            self.events_written += len(collected.events)
        self.created_events.clear()
        for aggregate_id in [
            i for i, a in self.working.items() if not isinstance(a, KEPT)
        ]:
            del self.working[aggregate_id]
        while len(self.working) > self.working_set:
            self.working.popitem(last=False)


class Batch(CommandMethods):
    """An open batch: run commands in it (``execute`` or the command methods),
    ``abort()`` to roll it all back when the block ends."""

    def __init__(self, unit: BatchUnit) -> None:
        self._unit = unit
        self.aborted = False

    @property
    def events_written(self) -> int:
        return self._unit.events_written

    def execute(self, command: Command[R]) -> R:
        return self._unit.run(command)

    def abort(self) -> None:
        """Roll the whole batch back when its block ends (nothing is written)."""
        self.aborted = True

    def organisation(self, code: OrgCode) -> OrganisationState:
        """An organisation as the batch sees it (with what it has recorded)."""
        return self._unit.state(code)

    def balance(self, code: OrgCode, fund: FundName = GENERAL_FUND) -> Dong:
        return self._unit.balance(code, fund)

    def code_of(self, org_id: UUID) -> OrgCode:
        """The code of the organisation with ``org_id`` (a parent's, say)."""
        return self._unit.org_by_id(org_id).code
