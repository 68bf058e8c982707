"""Units of work: where a command's handler loads aggregates and saves them.

A handler (``ledger.handlers``) takes a command and a unit of work, and
nothing else; it does not know whether it runs alone or in a batch. The unit
decides the transaction:

- ``DirectUnit`` runs one command in its own save: loads come from the
  application's repository (a cache that fast-forwards), the save appends
  every changed aggregate's events atomically, and a stale write — another
  writer saved first — is retried from a fresh load a bounded number of
  times before it raises ``concurrent_update``. Commands naming the same
  codes take turns within the process, so threads sharing a ``Ledger`` do not
  conflict on them.
- ``ledger.bulk.BatchUnit`` runs many commands in one transaction (imports).

What both give a handler — load an organisation, a campaign, a voucher or an
entry's event by code, with errors naming the command field — is here, in
``UnitOfWork``.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import RecordConflictError

from ledger import errors
from ledger.campaign import Campaign
from ledger.ids import voucher_id
from ledger.organisation import Organisation
from ledger.types import (
    GENERAL_FUND,
    CampaignCode,
    Dong,
    FundName,
    Level,
    OrgCode,
    Status,
    VoucherNo,
)
from ledger.voucher import Voucher
from ledger.wording import says

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=Aggregate.Event)


@dataclass(frozen=True)
class OrganisationState:
    """What the write model knows of an organisation now."""

    id: UUID
    code: OrgCode
    name: str
    level: Level
    parent_id: UUID | None
    registered_on: date
    status: Status
    balances: Mapping[FundName, Dong]
    active_children: int
    version: int
    accounts: Mapping[FundName, Mapping[str, Dong]] = field(default_factory=dict)
    """Each fund's balance per account (``cash``, ``bank``) that ever held money."""
    approval_threshold: Dong | None = None
    """Payments above it wait for approval (None: approval is off)."""
    pending: frozenset[str] = frozenset()
    """The entry ids of payments waiting for approval."""


class UnitOfWork(ABC):
    """What a handler may do: load by id or code, ask the date, save."""

    def __init__(self, app: Application[UUID], today: Callable[[], date]) -> None:
        self.app = app
        self._today = today

    # ---- what each unit does its own way ---------------------------------------

    @abstractmethod
    def load(self, aggregate_id: UUID) -> Aggregate | None:
        """The aggregate, as this unit sees it (None: there is none)."""

    @abstractmethod
    def first_event(self, aggregate_id: UUID) -> object:
        """The aggregate's creation event, or None (no snapshot look-up)."""

    @abstractmethod
    def save(self, *aggregates: Aggregate | None) -> None:
        """Record what the aggregates triggered (``None`` is skipped)."""

    # ---- what handlers use -------------------------------------------------------

    def today(self) -> date:
        """The business date in Vietnam (a test's clock can stop it)."""
        return self._today()

    def get(self, cls: type[A], aggregate_id: UUID | None) -> A | None:
        if aggregate_id is None:
            return None
        found = self.load(aggregate_id)
        return found if isinstance(found, cls) else None

    def created(self, aggregate_id: UUID, cls: type[E]) -> E | None:
        """The aggregate's creation event if it is a ``cls``, else None."""
        first = self.first_event(aggregate_id)
        return first if isinstance(first, cls) else None

    def org(self, code: OrgCode, *, field: str = "org") -> Organisation:
        """The organisation of ``code`` (``field``: the command's that named it)."""
        org = self.get(Organisation, Organisation.id_for(code))
        if org is None:
            raise errors.UnknownOrganisation(
                says("organisation.unknown", org=code), field=field, org=code
            )
        return org

    def org_by_id(self, org_id: UUID) -> Organisation:
        org = self.get(Organisation, org_id)
        if org is None:
            raise errors.UnknownOrganisation(
                says("organisation.unknown_id", org_id=org_id)
            )
        return org

    def campaign(self, code: CampaignCode, *, field: str = "campaign") -> Campaign:
        campaign = self.get(Campaign, Campaign.id_for(code))
        if campaign is None:
            raise errors.UnknownCampaign(
                says("campaign.unknown", campaign=code), field=field, campaign=code
            )
        return campaign

    def voucher(self, org: Organisation, voucher_no: VoucherNo) -> Voucher:
        voucher = self.get(Voucher, voucher_id(org.id, voucher_no))
        if voucher is None:
            raise errors.UnknownEntry(
                says("entry.unknown", org=org.code, voucher_no=voucher_no),
                field="voucher_no",
                voucher_no=voucher_no,
            )
        return voucher

    def state(self, code: OrgCode) -> OrganisationState:
        """What this unit knows of an organisation now (a copy)."""
        org = self.org(code)
        return OrganisationState(
            id=org.id,
            code=org.code,
            name=org.name,
            level=org.level,
            parent_id=org.parent_id,
            registered_on=org.registered_on,
            status=org.status,
            balances=dict(org.balances),
            active_children=org.active_children,
            version=org.version,
            accounts={fund: dict(held) for fund, held in org.held.items() if held},
            approval_threshold=org.approval_threshold,
            pending=frozenset(org.pending),
        )

    def balance(self, code: OrgCode, fund: FundName = GENERAL_FUND) -> Dong:
        balances = self.org(code).balances
        if fund not in balances:
            raise errors.UnknownFund(
                says("fund.unknown", org=code, fund=fund), field="fund", fund=fund
            )
        return balances[fund]

    def entry_event(self, org_id: UUID, version: int) -> Organisation.Entry:
        """The money event at ``version`` of an organisation's history."""
        (event,) = self.app.events.get(org_id, gt=version - 1, lte=version)
        if not isinstance(event, Organisation.Entry):
            raise errors.UnknownEntry(
                says("entry.not_an_entry", version=version, org_id=org_id),
                field="voucher_no",
            )
        return event

    def pending_payment(
        self, org: Organisation, voucher_no: str
    ) -> tuple[Voucher, Organisation.PaymentPending]:
        """A payment's voucher and the event that recorded it pending
        (``not_pending`` if it never waited, or was approved already)."""
        voucher = self.voucher(org, voucher_no)
        (event,) = self.app.events.get(
            org.id, gt=voucher.event_version - 1, lte=voucher.event_version
        )
        if not isinstance(event, Organisation.PaymentPending):
            raise errors.NotPending(
                says("payment.not_pending", voucher_no=voucher_no),
                field="voucher_no",
                voucher_no=voucher_no,
            )
        return voucher, event


class DirectUnit(UnitOfWork):
    """One command, one atomic save, retried on a stale write (see the module)."""

    def __init__(
        self,
        app: Application[UUID],
        today: Callable[[], date],
        *,
        lock_stripes: int = 64,
    ) -> None:
        super().__init__(app, today)
        self._locks = [threading.RLock() for _ in range(lock_stripes)]

    def load(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            found: Aggregate = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found

    def first_event(self, aggregate_id: UUID) -> object:
        return next(iter(self.app.events.get(aggregate_id, lte=1)), None)

    def save(self, *aggregates: Aggregate | None) -> None:
        self.app.save(*aggregates)

    def run(
        self,
        attempt: Callable[[], T],
        keys: tuple[str | None, ...],
        *,
        max_attempts: int,
        max_pause: float,
    ) -> T:
        """Run ``attempt`` until it saves without a conflict, at most
        ``max_attempts`` times with random pauses up to ``max_pause`` seconds,
        taking turns with other commands naming one of ``keys``."""
        stripes = sorted({hash(key) % len(self._locks) for key in keys if key})
        with contextlib.ExitStack() as held:
            for stripe in stripes:  # always in the same order: no deadlock
                held.enter_context(self._locks[stripe])
            for attempt_no in range(max_attempts):
                try:
                    return attempt()
                except RecordConflictError:
                    if attempt_no + 1 < max_attempts:
                        pause = min(max_pause, 0.001 * 2**attempt_no)
                        time.sleep(random.uniform(0, pause))  # noqa: S311 -- jitter
        raise errors.ConcurrentUpdate(
            says(
                "update.concurrent",
                attempts=max_attempts,
                keys=", ".join(k for k in keys if k),
            )
        )
