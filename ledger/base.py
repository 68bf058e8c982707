"""The plumbing every ``Ledger`` command uses: storage, loading, retries.

``LedgerBase`` configures the eventsourcing application (persistence from one
URL, transcodings, snapshots, a repository cache) and gives commands their
tools: load an organisation, campaign or voucher by code; run a command until
it saves without a conflict (``_retrying``), taking turns in-process with
other commands on the same organisations.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, RecordConflictError
from eventsourcing.utils import Environment

from ledger import errors
from ledger.campaign import Campaign
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.persistence import persistence_env
from ledger.transcodings import register_ledger_transcodings
from ledger.types import CampaignCode, OrgCode, VoucherNo, today_in_vietnam
from ledger.validation import check_code
from ledger.voucher import Voucher
from storage.engines import DEFAULT_DATABASE_URL

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=Aggregate.Event)

logger = logging.getLogger(__name__)

DEFAULT_SNAPSHOT_INTERVAL = 100
SYSTEM = "system"
"""Who recorded a command when the caller does not say."""


class LedgerBase(Application[UUID]):
    """The eventsourcing application under the ``Ledger``, and its helpers."""

    name = "Ledger"
    max_attempts: ClassVar[int] = 10
    max_pause: ClassVar[float] = 0.1
    lock_stripes: ClassVar[int] = 64

    def __init__(
        self,
        database_url: str | None = None,
        *,
        today: Callable[[], date] = today_in_vietnam,
        snapshot_interval: int = DEFAULT_SNAPSHOT_INTERVAL,
        cache_size: int = 1000,
    ) -> None:
        self.today = today
        self.cache_size = cache_size
        self._locks = [threading.RLock() for _ in range(self.lock_stripes)]
        self.snapshotting_intervals = {  # type: ignore[misc]
            Organisation: snapshot_interval,
            Campaign: snapshot_interval,
        }
        env = persistence_env(database_url or DEFAULT_DATABASE_URL)
        env["IS_SNAPSHOTTING_ENABLED"] = "y"
        super().__init__(env=env)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The library names tables after the class; every subclass (the
        # command mixins, the Ledger, a test's variant) shares ledger_*.
        cls.name = "Ledger"

    def construct_env(self, name: str, env: Any = None) -> Environment:
        """Configure from the arguments only: no stray eventsourcing variables."""
        return Environment(name, dict(env or {}))

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshots are an optimisation taken after the events are committed.

        A failure here must not turn a recorded command into an error (the
        caller would retry a merge that has happened), so it is logged.
        """
        try:
            super()._take_snapshots(processing_event)
        except Exception:
            logger.exception("a snapshot could not be taken; the events are saved")

    def construct_repository(self) -> Repository[UUID]:
        return _TurnTakingRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=self.cache_size or None,  # 0: no cache
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)

    def _retrying(self, attempt: Callable[[], T], *keys: str | None) -> T:
        """Run ``attempt`` until it saves without a conflict, a bounded number of times.

        Commands naming the same organisation (``keys``: the codes a command
        names) take turns within this process, so threads sharing a Ledger
        do not conflict on them; writers in other processes are met by
        retrying from a fresh load after a randomised, growing pause.
        """
        stripes = sorted({hash(key) % len(self._locks) for key in keys if key})
        with contextlib.ExitStack() as held:
            for stripe in stripes:  # always in the same order: no deadlock
                held.enter_context(self._locks[stripe])
            for attempt_no in range(self.max_attempts):
                try:
                    return attempt()
                except RecordConflictError:
                    if attempt_no + 1 < self.max_attempts:
                        pause = min(self.max_pause, 0.001 * 2**attempt_no)
                        time.sleep(random.uniform(0, pause))  # noqa: S311 -- jitter
        raise errors.ConcurrentUpdate(
            f"gave up after {self.max_attempts} attempts: other writers kept "
            f"changing {', '.join(k for k in keys if k)}; try again"
        )

    def _get(self, cls: type[A], aggregate_id: UUID | None) -> A | None:
        if aggregate_id is None:
            return None
        try:
            aggregate: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(aggregate, cls):
            return None
        return aggregate

    def _first_event(self, aggregate_id: UUID, cls: type[E]) -> E | None:
        """The aggregate's creation event, or None when there is no such aggregate."""
        first = next(iter(self.events.get(aggregate_id, lte=1)), None)
        return first if isinstance(first, cls) else None

    def _org(self, code: OrgCode) -> Organisation:
        check_code(code, "organisation")
        org = self._get(Organisation, Organisation.id_for(code))
        if org is None:
            raise errors.UnknownOrganisation(f"no organisation {code!r}", org=code)
        return org

    def _org_by_id(self, org_id: UUID) -> Organisation:
        org = self._get(Organisation, org_id)
        if org is None:
            raise errors.UnknownOrganisation(f"no organisation with id {org_id}")
        return org

    def history(
        self, code: OrgCode, *, after_version: int = 0, limit: int = 100
    ) -> list[Aggregate.Event]:
        """An organisation's stored events after ``after_version``, oldest
        first, at most ``limit`` — for auditors reading the raw stream."""
        org_id = self._org(code).id
        return [
            event
            for event in self.events.get(org_id, gt=after_version, limit=limit)
            if isinstance(event, Aggregate.Event)
        ]

    def _campaign(self, code: CampaignCode) -> Campaign:
        check_code(code, "campaign")
        campaign = self._get(Campaign, Campaign.id_for(code))
        if campaign is None:
            raise errors.UnknownCampaign(f"no campaign {code!r}", campaign=code)
        return campaign

    def _voucher(self, org: Organisation, voucher_no: VoucherNo) -> Voucher:
        voucher = self._get(Voucher, voucher_id(org.id, voucher_no))
        if voucher is None:
            raise errors.UnknownEntry(
                f"{org.code} has no entry with voucher {voucher_no!r}",
                voucher_no=voucher_no,
            )
        return voucher

    def _entry_event(self, org_id: UUID, version: int) -> Organisation.Entry:
        (event,) = self.events.get(org_id, gt=version - 1, lte=version)
        if not isinstance(event, Organisation.Entry):
            raise errors.UnknownEntry(f"event {version} of {org_id} is not an entry")
        return event


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
