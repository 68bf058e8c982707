"""The ``Ledger``: the write side's Python API.

``ledger.execute(command)`` runs a command (``ledger.commands``) with its
handler (``ledger.handlers``) on a ``DirectUnit``: one atomic save, retried
from a fresh load when another writer saved first, so a transfer or a merge
changes both organisations at once. ``ledger.batch()`` runs many commands on a
``BatchUnit`` in one transaction, for imports. The command methods
(``ledger.receive_donation("NA-DC", voucher_no=…, …)``) build the command from
their arguments and execute it. Commands return ids or plain values, never
aggregates, and raise ``LedgerError``s that name the command field at fault.

The ledger also answers what the write model knows now (an organisation's
state and balances, its raw event stream, where it sits in today's tree):
never behind, unlike the read models.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder

from ledger import errors
from ledger.bulk import CHUNK_EVENTS, WORKING_SET, Batch, BatchUnit
from ledger.campaign import Campaign
from ledger.commands import Command
from ledger.event_table import EventTable
from ledger.handlers import handler_for, locks_for
from ledger.handlers.entries import counterpart_code
from ledger.methods import CommandMethods
from ledger.organisation import Organisation
from ledger.persistence import persistence_env
from ledger.transcodings import register_ledger_transcodings
from ledger.types import (
    GENERAL_FUND,
    CampaignCode,
    Dong,
    FundName,
    OrgCode,
    VoucherNo,
    today_in_vietnam,
)
from ledger.unit_of_work import DirectUnit, OrganisationState
from ledger.voucher import Voucher
from ledger.wording import says

R = TypeVar("R")

logger = logging.getLogger(__name__)

NAME = "Ledger"
"""The application's name: its tables are ``ledger_events`` … whatever class
(a test's variant too) runs it."""
DEFAULT_SNAPSHOT_INTERVAL = 100


class Ledger(Application[UUID], CommandMethods):
    """Records the money and the hierarchy of the study-promotion associations."""

    name = NAME
    max_attempts: ClassVar[int] = 10
    """Saves tried before a command gives up with ``concurrent_update``."""
    max_pause: ClassVar[float] = 0.1
    """The longest pause, in seconds, before a save is tried again."""

    def __init__(
        self,
        database_url: str,
        *,
        today: Callable[[], date] = today_in_vietnam,
        snapshot_interval: int = DEFAULT_SNAPSHOT_INTERVAL,
        cache_size: int = 1000,
    ) -> None:
        """``database_url``: ``sqlite:///…``, ``postgresql+psycopg://…``, or
        ``memory:`` (the library's in-memory store, for tests)."""
        self.today = today
        self.cache_size = cache_size
        self.snapshotting_intervals = {  # type: ignore[misc]
            Organisation: snapshot_interval,
            Campaign: snapshot_interval,
        }
        env = persistence_env(database_url)
        env["IS_SNAPSHOTTING_ENABLED"] = "y"
        super().__init__(env=env)
        self._direct = DirectUnit(
            self,
            lambda: self.today(),  # noqa: PLW0108 -- a test may replace ledger.today
        )
        self._batch_threads: set[int] = set()

    # ---- running commands ---------------------------------------------------

    def execute(self, command: Command[R]) -> R:
        """Run ``command`` in its own save; returns what its handler returns."""
        direct = self._reader()
        handle = handler_for(command)
        return direct.run(
            lambda: handle(direct),
            locks_for(command, direct),
            max_attempts=self.max_attempts,
            max_pause=self.max_pause,
        )

    @contextlib.contextmanager
    def batch(
        self, *, chunk_events: int = CHUNK_EVENTS, working_set: int = WORKING_SET
    ) -> Iterator[Batch]:
        """Run the commands given to the batch as one transaction
        (``ledger.bulk``): all of them are written, or none."""
        thread = threading.get_ident()
        if thread in self._batch_threads:
            raise errors.InvalidInput(says("batch.already_open"))
        if not isinstance(self.factory, SQLAlchemyFactory):
            raise errors.InvalidInput(says("store.needs_database"))
        recorder = self.recorder
        assert isinstance(recorder, SQLAlchemyApplicationRecorder)  # noqa: S101
        self._batch_threads.add(thread)
        try:
            with (
                contextlib.suppress(_RolledBack),
                self.factory.datastore.transaction(commit=True) as session,
            ):
                table = EventTable(session, recorder)
                table.take_write_lock()
                unit = BatchUnit(
                    self,
                    lambda: self.today(),  # noqa: PLW0108 -- as above
                    table,
                    chunk_events=chunk_events,
                    working_set=working_set,
                )
                batch = Batch(unit)
                yield batch
                if batch.aborted:
                    raise _RolledBack
                unit.write()
        finally:
            self._batch_threads.discard(thread)

    # ---- the library's hooks ----------------------------------------------------

    def construct_env(self, name: str, env: Any = None) -> Environment:
        """Configure from the arguments only (no stray eventsourcing variables),
        under one name whatever the class: the tables are ``ledger_*``."""
        return Environment(NAME, dict(env or {}))

    def construct_repository(self) -> Repository[UUID]:
        return _TurnTakingRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=self.cache_size or None,  # 0: no cache
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshots are an optimisation taken after the events are committed.

        A failure here must not turn a recorded command into an error (the
        caller would retry a merge that has happened), so it is logged.
        """
        try:
            super()._take_snapshots(processing_event)
        except Exception:
            logger.exception("a snapshot could not be taken; the events are saved")

    # ---- what the write model knows now --------------------------------------

    def organisation(self, code: OrgCode) -> OrganisationState:
        return self._reader().state(code)

    def balance(self, code: OrgCode, fund: FundName = GENERAL_FUND) -> Dong:
        return self._reader().balance(code, fund)

    def _reader(self) -> DirectUnit:
        """The unit reads go through: not in a thread whose batch is open (its
        writes are not committed; they must not reach the shared cache)."""
        if threading.get_ident() in self._batch_threads:
            raise errors.InvalidInput(says("batch.read_through"))
        return self._direct

    def history(
        self, code: OrgCode, *, after_version: int = 0, limit: int = 100
    ) -> list[Aggregate.Event]:
        """An organisation's stored events after ``after_version``, oldest
        first, at most ``limit`` — for auditors reading the raw stream."""
        org_id = self._reader().org(code).id
        return [
            event
            for event in self.events.get(org_id, gt=after_version, limit=limit)
            if isinstance(event, Aggregate.Event)
        ]

    def counterpart(self, code: OrgCode, voucher_no: VoucherNo) -> OrgCode | None:
        """The other organisation of a transfer entry (either side's voucher
        number), None for any other entry. Raises ``unknown_entry``."""
        return counterpart_code(self._reader(), code, voucher_no.strip())

    def approver(self, entry_id: UUID) -> str | None:
        """Who approved the payment ``entry_id`` (its voucher says), or None
        when it never waited for approval (or is still waiting)."""
        voucher = self._reader().get(Voucher, entry_id)
        return voucher.approved_by if voucher is not None else None

    def campaign_organiser(self, code: CampaignCode) -> OrgCode:
        """The code of the organisation that launched campaign ``code``, as the
        write model knows it. Raises ``unknown_campaign``."""
        reader = self._reader()
        reader.campaign(code)  # unknown_campaign, naming the field
        launched = reader.created(Campaign.id_for(code), Campaign.Launched)
        if launched is None:  # pragma: no cover -- a campaign starts launched
            raise errors.UnknownCampaign(
                says("campaign.unknown", campaign=code), field="campaign"
            )
        return reader.org_by_id(launched.organiser_id).code

    def ancestors(self, code: OrgCode) -> list[OrgCode]:
        """The codes above ``code`` in today's hierarchy, nearest first."""
        found: list[OrgCode] = []
        reader = self._reader()
        parent_id = reader.org(code).parent_id
        while parent_id is not None:
            parent = reader.org_by_id(parent_id)
            found.append(parent.code)
            parent_id = parent.parent_id
        return found

    def is_within(self, code: OrgCode, top: OrgCode) -> bool:
        """Is ``code`` ``top`` or below it in today's hierarchy? Walks up only
        until ``top`` (ids derive from codes, so a parent is recognised without
        loading it): one load for an organisation and its direct parent,
        however deep the tree above."""
        reader = self._reader()
        org = reader.org(code)
        if code == top:
            return True
        wanted = Organisation.id_for(top)
        parent_id = org.parent_id
        while parent_id is not None:
            if parent_id == wanted:
                return True
            parent_id = reader.org_by_id(parent_id).parent_id
        return False


class _RolledBack(Exception):
    """Raised inside a batch's transaction to roll an aborted batch back."""


class _TurnTakingRepository(Repository[UUID]):
    """The library's repository, with loads of one aggregate taking turns.

    With a cache, ``Repository.get`` fast-forwards the cached aggregate in
    place under a lock, but deep-copies it after releasing that lock, so one
    thread's copy can overlap another thread's fast-forward of the same
    aggregate. Holding a lock per aggregate id (striped) across the whole
    call closes that gap.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stripes = tuple(threading.Lock() for _ in range(64))

    def get(self, aggregate_id: UUID, **kwargs: Any) -> Any:
        with self._stripes[hash(aggregate_id) % len(self._stripes)]:
            return super().get(aggregate_id, **kwargs)
