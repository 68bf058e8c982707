"""The ``Ledger``: the write side's Python API, one method per command.

Each command validates its values, loads the aggregates it needs, calls the
domain and saves once — so a transfer or a merge changes both organisations
in one atomic write. Commands take codes and plain values and return ids or
plain values, never aggregates. A stale write (another writer saved first)
fails in the event store with the library's conflict; the command is then
retried from a fresh load a bounded number of times before it raises
``ConcurrentUpdate``.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
from ledger.entries import coerce, entry_fingerprint
from ledger.ids import received_voucher_no, reversal_id, voucher_id
from ledger.organisation import Organisation
from ledger.persistence import database_url_from_env, persistence_env
from ledger.transcodings import register_ledger_transcodings
from ledger.types import (
    GENERAL_FUND,
    CampaignCode,
    CampaignKind,
    Category,
    Dong,
    DonorKind,
    EntryId,
    EntryKind,
    FundName,
    Level,
    Method,
    OrgCode,
    Status,
    VoucherNo,
    today_in_vietnam,
)
from ledger.validation import (
    check_amount,
    check_code,
    check_date,
    check_text,
    check_whole,
)
from ledger.voucher import Voucher, check_same_entry

T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=Aggregate.Event)

logger = logging.getLogger(__name__)

DEFAULT_SNAPSHOT_INTERVAL = 100
SYSTEM = "system"


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


class Ledger(Application[UUID]):
    """Records the money and the hierarchy of the study-promotion associations."""

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
        env = persistence_env(database_url or database_url_from_env())
        env["IS_SNAPSHOTTING_ENABLED"] = "y"
        super().__init__(env=env)

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

    # ---- hierarchy ----------------------------------------------------------

    def register_organisation(
        self,
        code: OrgCode,
        *,
        name: str,
        level: Level | str,
        registered_on: date,
        parent_code: OrgCode | None = None,
        recorded_by: str = SYSTEM,
    ) -> UUID:
        """Register an organisation; re-sending the same registration is a no-op."""
        check_code(code, "organisation")
        name = _text(name, "name")
        level = coerce(Level, level, "level")
        recorded_by = _text(recorded_by, "recorded_by")
        check_date(registered_on, "registered_on")
        if parent_code is not None:
            check_code(parent_code, "parent organisation")
        org_id = Organisation.id_for(code)

        def attempt() -> UUID:
            parent = self._org(parent_code) if parent_code is not None else None
            registered = self._first_event(org_id, Organisation.Registered)
            if registered is not None:
                asked = (name, level, parent.id if parent else None, registered_on)
                if (
                    registered.name,
                    registered.level,
                    registered.parent_id,
                    registered.registered_on,
                ) != asked:
                    raise errors.DuplicateOrganisation(
                        f"organisation {code} is already registered with other details",
                        org=code,
                    )
                return org_id
            org = Organisation.register(
                code=code,
                name=name,
                level=level,
                parent=parent,
                registered_on=registered_on,
                today=self.today(),
                recorded_by=recorded_by,
            )
            self.save(org, parent)
            return org_id

        return self._retrying(attempt, parent_code or code)

    def rename(
        self,
        code: OrgCode,
        *,
        name: str,
        effective_on: date | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        name = _text(name, "name")
        if effective_on is not None:
            check_date(effective_on, "effective_on")

        def attempt() -> None:
            org = self._org(code)
            if org.name == name:
                return
            today = self.today()
            org.rename(
                name=name,
                effective_on=effective_on or today,
                today=today,
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            self.save(org)

        self._retrying(attempt, code)

    def move(
        self,
        code: OrgCode,
        *,
        new_parent_code: OrgCode,
        effective_on: date,
        recorded_by: str = SYSTEM,
    ) -> None:
        check_date(effective_on, "effective_on")

        def attempt() -> None:
            org = self._org(code)
            new_parent = self._org(new_parent_code)
            old_parent = self._get(Organisation, org.parent_id)
            org.move(
                old_parent=old_parent,
                new_parent=new_parent,
                effective_on=effective_on,
                today=self.today(),
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            self.save(org, old_parent, new_parent)

        self._retrying(attempt, code, new_parent_code)

    def merge(
        self,
        code: OrgCode,
        *,
        into_code: OrgCode,
        effective_on: date,
        recorded_by: str = SYSTEM,
    ) -> None:
        """Merge ``code`` into ``into_code``: its balances move across, atomically."""
        check_date(effective_on, "effective_on")

        def attempt() -> None:
            org = self._org(code)
            target = self._org(into_code)
            # Merging into its own parent: one object takes both events.
            parent = (
                target
                if target.id == org.parent_id
                else self._get(Organisation, org.parent_id)
            )
            org.merge_into(
                target,
                parent,
                effective_on=effective_on,
                today=self.today(),
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            self.save(org, target, parent)

        self._retrying(attempt, code, into_code)

    def dissolve(
        self, code: OrgCode, *, effective_on: date, recorded_by: str = SYSTEM
    ) -> None:
        check_date(effective_on, "effective_on")

        def attempt() -> None:
            org = self._org(code)
            parent = self._get(Organisation, org.parent_id)
            org.dissolve(
                parent,
                effective_on=effective_on,
                today=self.today(),
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            self.save(org, parent)

        self._retrying(attempt, code)

    def report_membership(
        self,
        code: OrgCode,
        *,
        year: int,
        members: int,
        population: int | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        check_whole(year, "year", minimum=1900)

        def attempt() -> None:
            org = self._org(code)
            org.report_membership(
                year=year,
                members=members,
                population=population,
                today=self.today(),
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            self.save(org)

        self._retrying(attempt, code)

    def open_fund(
        self,
        code: OrgCode,
        fund: FundName,
        *,
        name: str,
        restricted: bool = False,
        purpose: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        check_code(fund, "fund")
        name = _text(name, "fund name")
        purpose = check_text(purpose, "purpose", required=False)

        def attempt() -> None:
            org = self._org(code)
            org.open_fund(
                fund=fund,
                name=name,
                restricted=bool(restricted),
                purpose=purpose,
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            self.save(org)

        self._retrying(attempt, code)

    # ---- campaigns ----------------------------------------------------------

    def launch_campaign(
        self,
        code: CampaignCode,
        *,
        name: str,
        kind: CampaignKind | str,
        organiser_code: OrgCode,
        starts_on: date,
        ends_on: date,
        edition: int | None = None,
        target_vnd: Dong | None = None,
        recorded_by: str = SYSTEM,
    ) -> UUID:
        """Launch a campaign; re-sending the same launch is a no-op."""
        check_code(code, "campaign")
        name = _text(name, "name")
        kind = coerce(CampaignKind, kind, "kind")
        check_date(starts_on, "starts_on")
        check_date(ends_on, "ends_on")
        if edition is not None:
            check_whole(edition, "edition", minimum=1)
        if target_vnd is not None:
            check_amount(target_vnd)
        campaign_id = Campaign.id_for(code)

        def attempt() -> UUID:
            organiser = self._org(organiser_code)
            launch = Campaign.launch(
                code=code,
                name=name,
                kind=kind,
                edition=edition,
                organiser_id=organiser.id,
                starts_on=starts_on,
                ends_on=ends_on,
                target_vnd=target_vnd,
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            launched = self._first_event(campaign_id, Campaign.Launched)
            if launched is not None:
                if _same_fields(
                    launched, launch.pending_events[0], exclude={"recorded_by"}
                ):
                    return campaign_id
                raise errors.DuplicateCampaign(
                    f"campaign {code} already exists with other details", campaign=code
                )
            organiser.check_open()
            self.save(launch)
            return campaign_id

        return self._retrying(attempt, f"campaign:{code}")

    def close_campaign(
        self,
        code: CampaignCode,
        *,
        closed_on: date | None = None,
        recorded_by: str = SYSTEM,
    ) -> None:
        if closed_on is not None:
            check_date(closed_on, "closed_on")

        def attempt() -> None:
            campaign = self._campaign(code)
            today = self.today()
            campaign.close(
                closed_on=closed_on or today,
                today=today,
                recorded_by=_text(recorded_by, "recorded_by"),
            )
            self.save(campaign)

        self._retrying(attempt, f"campaign:{code}")

    # ---- money --------------------------------------------------------------

    def record_opening_balance(
        self,
        code: OrgCode,
        *,
        amount: Dong,
        business_date: date,
        fund: FundName = GENERAL_FUND,
        voucher_no: VoucherNo | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """A fund's balance brought forward from before the ledger (once per fund)."""
        return self._record_entry(
            EntryKind.OPENING_BALANCE,
            code,
            {
                "voucher_no": voucher_no or f"opening-{fund}",
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": None,
                "counterparty": None,
                "note": note,
            },
            recorded_by,
            lambda org, _, today, fields: org.record_opening_balance(
                today=today, **fields
            ),
        )

    def receive_donation(
        self,
        code: OrgCode,
        *,
        voucher_no: VoucherNo,
        amount: Dong,
        business_date: date,
        fund: FundName = GENERAL_FUND,
        donor: str | None = None,
        donor_kind: DonorKind | str = DonorKind.INDIVIDUAL,
        method: Method | str = Method.CASH,
        campaign: CampaignCode | None = None,
        in_kind_description: str | None = None,
        valuation_basis: str | None = None,
        original_currency: str | None = None,
        original_amount: str | None = None,
        exchange_rate: str | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Record a donation (phiếu thu). Returns the entry id.

        Re-sending the same donation returns the original id and records
        nothing; the same voucher number with other content is refused.
        """
        foreign = (original_currency, original_amount, exchange_rate)
        if any(foreign) and not all(foreign):
            raise errors.InvalidInput(
                "a foreign-currency gift needs its currency, amount and exchange rate"
            )
        return self._record_entry(
            EntryKind.DONATION,
            code,
            {
                "voucher_no": voucher_no,
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": campaign,
                "counterparty": donor,
                "note": note,
                "donor_kind": coerce(DonorKind, donor_kind, "donor_kind"),
                "method": coerce(Method, method, "method"),
                "in_kind_description": check_text(
                    in_kind_description, "in_kind_description", required=False
                ),
                "valuation_basis": check_text(
                    valuation_basis, "valuation_basis", required=False
                ),
                "original_currency": check_text(
                    original_currency, "original_currency", required=False
                ),
                "original_amount": check_text(
                    original_amount, "original_amount", required=False
                ),
                "exchange_rate": check_text(
                    exchange_rate, "exchange_rate", required=False
                ),
            },
            recorded_by,
            lambda org, _, today, fields: org.receive_donation(today=today, **fields),
        )

    def disburse(
        self,
        code: OrgCode,
        *,
        voucher_no: VoucherNo,
        amount: Dong,
        business_date: date,
        category: Category | str,
        recipients: int = 1,
        fund: FundName = GENERAL_FUND,
        recipient: str | None = None,
        campaign: CampaignCode | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Pay scholarships, awards or other costs (phiếu chi). Returns the entry id."""
        return self._record_entry(
            EntryKind.DISBURSEMENT,
            code,
            {
                "voucher_no": voucher_no,
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": campaign,
                "counterparty": recipient,
                "note": note,
                "category": coerce(Category, category, "category"),
                "recipients": recipients,
            },
            recorded_by,
            lambda org, _, today, fields: org.disburse(today=today, **fields),
        )

    def transfer(
        self,
        code: OrgCode,
        *,
        to_code: OrgCode,
        voucher_no: VoucherNo,
        amount: Dong,
        business_date: date,
        fund: FundName = GENERAL_FUND,
        to_fund: FundName = GENERAL_FUND,
        campaign: CampaignCode | None = None,
        note: str | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Move money from one organisation's fund to another's, atomically."""
        check_code(to_code, "receiving organisation")
        return self._record_entry(
            EntryKind.TRANSFER,
            code,
            {
                "voucher_no": voucher_no,
                "fund": fund,
                "amount": amount,
                "business_date": business_date,
                "campaign": campaign,
                "counterparty": to_code,
                "note": note,
                "to_fund": to_fund,
            },
            recorded_by,
            lambda org, to, today, fields: org.send_transfer(
                today=today, to=_present(to), **fields
            ),
            counterpart_code=to_code,
        )

    def reverse_entry(
        self,
        code: OrgCode,
        voucher_no: VoucherNo,
        *,
        reason: str,
        business_date: date | None = None,
        recorded_by: str = SYSTEM,
    ) -> EntryId:
        """Undo an entry by a compensating event, at most once.

        Returns the reversal's entry id. Sending the same reversal again (same
        reason) returns that id and records nothing; another reversal of the
        same entry is ``already_reversed``. A transfer can be reversed from
        either side, by the sender's voucher number or by the receiver's
        ``<sender>:<number>``; both sides are reversed in one save.
        """
        voucher_no = _text(voucher_no, "voucher_no")
        reason = _text(reason, "reason")
        recorded_by = _text(recorded_by, "recorded_by")
        if business_date is not None:
            check_date(business_date, "business_date")

        def attempt() -> EntryId:
            org = self._org(code)
            voucher = self._voucher(org, voucher_no)
            original = self._entry_event(org.id, voucher.event_version)
            if isinstance(original, Organisation.TransferReceived):
                # A transfer is reversed where it was sent, whichever side asks.
                org = self._org_by_id(original.from_org_id)
                voucher = self._voucher(org, original.from_voucher_no)
                original = self._entry_event(org.id, voucher.event_version)
            if voucher.is_reversed_for(reason):
                return reversal_id(voucher.id)  # the same reversal, sent again
            voucher.reverse(reason=reason, recorded_by=recorded_by)
            today = self.today()
            sides = [(org, original)]
            if isinstance(original, Organisation.TransferSent):
                receiver = self._org_by_id(original.to_org_id)
                version = voucher.counter_version
                assert version is not None  # noqa: S101 -- set for every transfer
                sides.append((receiver, self._entry_event(receiver.id, version)))
            for side, entry in sides:
                side.reverse(
                    entry,
                    business_date=business_date or today,
                    today=today,
                    reason=reason,
                    recorded_by=recorded_by,
                )
            self.save(voucher, *(side for side, _ in sides))
            return reversal_id(voucher.id)

        return self._retrying(attempt, code)

    # ---- what the write model knows now --------------------------------------

    def organisation(self, code: OrgCode) -> OrganisationState:
        org = self._org(code)
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
        )

    def balance(self, code: OrgCode, fund: FundName = GENERAL_FUND) -> Dong:
        balances = self.organisation(code).balances
        if fund not in balances:
            raise errors.UnknownFund(f"{code} has no fund {fund!r}", fund=fund)
        return balances[fund]

    # ---- plumbing -----------------------------------------------------------

    def _record_entry(
        self,
        kind: EntryKind,
        code: OrgCode,
        fields: dict[str, Any],
        recorded_by: str,
        apply: Callable[
            [Organisation, Organisation | None, date, dict[str, Any]], None
        ],
        *,
        counterpart_code: OrgCode | None = None,
    ) -> EntryId:
        """Record one money entry, idempotently by voucher number."""
        check_code(code, "organisation")
        fields["voucher_no"] = _text(fields["voucher_no"], "voucher_no")
        check_code(fields["fund"], "fund")
        check_amount(fields["amount"])
        check_date(fields["business_date"], "business_date")
        fields["counterparty"] = check_text(
            fields["counterparty"], "counterparty", required=False
        )
        fields["note"] = check_text(fields["note"], "note", required=False)
        recorded_by = _text(recorded_by, "recorded_by")
        fingerprint = entry_fingerprint(kind, code, fields)
        campaign_code = fields.pop("campaign")

        entry_id = voucher_id(Organisation.id_for(code), fields["voucher_no"])

        def attempt() -> EntryId:
            issued = self._first_event(entry_id, Voucher.Issued)
            if issued is not None:
                # The voucher's first event says all (no snapshot look-up).
                check_same_entry(issued.voucher_no, issued.fingerprint, fingerprint)
                return entry_id
            campaign_id = None
            if campaign_code is not None:
                campaign = self._campaign(campaign_code)
                campaign.check_entry_date(fields["business_date"])
                campaign_id = campaign.id
            counterpart = (
                self._org(counterpart_code) if counterpart_code is not None else None
            )
            # Load the organisation last: the less time between its load and
            # the save, the less often another writer gets in between.
            org = self._org(code)
            apply(
                org,
                counterpart,
                self.today(),
                dict(
                    fields,
                    entry_id=entry_id,
                    campaign_id=campaign_id,
                    recorded_by=recorded_by,
                ),
            )
            vouchers = [
                Voucher.issue(
                    id=entry_id,
                    org_id=org.id,
                    voucher_no=fields["voucher_no"],
                    kind=kind,
                    fingerprint=fingerprint,
                    event_version=org.version,
                    counter_version=counterpart.version if counterpart else None,
                )
            ]
            if counterpart is not None:
                vouchers.append(
                    self._receiving_voucher(
                        org, counterpart, fields["voucher_no"], kind, fingerprint
                    )
                )
            self.save(org, counterpart, *vouchers)
            return entry_id

        return self._retrying(attempt, code, counterpart_code)

    def _receiving_voucher(
        self,
        sender: Organisation,
        receiver: Organisation,
        voucher_no: VoucherNo,
        kind: EntryKind,
        fingerprint: str,
    ) -> Voucher:
        """Reserve the transfer's number at the receiver, ``<sender>:<number>``."""
        number = received_voucher_no(sender.code, voucher_no)
        received_id = voucher_id(receiver.id, number)
        if self._first_event(received_id, Voucher.Issued) is not None:
            raise errors.DuplicateVoucher(
                f"{receiver.code} already has an entry with voucher {number!r}",
                voucher_no=number,
            )
        return Voucher.issue(
            id=received_id,
            org_id=receiver.id,
            voucher_no=number,
            kind=kind,
            fingerprint=fingerprint,
            event_version=receiver.version,
            counter_version=sender.version,
        )

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


def _text(value: object, what: str) -> str:
    text = check_text(value, what)
    assert text is not None  # noqa: S101 -- check_text raises when required text is missing
    return text


def _present(org: Organisation | None) -> Organisation:
    assert org is not None  # noqa: S101 -- transfers always load the receiver
    return org


def _same_fields(a: object, b: object, *, exclude: set[str]) -> bool:
    skip = exclude | {"timestamp", "originator_version"}
    left = {k: v for k, v in vars(a).items() if k not in skip}
    right = {k: v for k, v in vars(b).items() if k not in skip}
    return left == right
