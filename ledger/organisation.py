"""An organisation: an association, branch or committee, and the funds it keeps.

The aggregate holds only what its rules need — status, parent, the balance of
each fund, a count of active children — so its state stays the same size
however many entries it records. Each command method checks its rules and
then triggers one event; the events' ``apply`` methods only change state, so
that tightening a rule later never stops old history from replaying.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import TypedDict
from uuid import UUID, uuid5

import attrs
from eventsourcing.domain import Aggregate

from ledger import accounts, errors
from ledger.ids import ID_CACHE, NAMESPACE, received_voucher_no, reversal_id
from ledger.types import (
    GENERAL_FUND,
    Account,
    Category,
    DonorKind,
    EntryKind,
    IncomeKind,
    LearningModel,
    Level,
    Method,
    OrgCode,
    Status,
)
from ledger.wording import says


class FundInfo(TypedDict):
    name: str
    restricted: bool
    purpose: str | None


GENERAL_FUND_INFO = FundInfo(name="Quỹ chung", restricted=False, purpose=None)


@attrs.frozen
class EntryFields:
    """What every money event carries (``Organisation.Entry``), as a handler
    gives it to the organisation that records the entry."""

    entry_id: UUID
    voucher_no: str
    fund: str
    amount: int
    business_date: date
    campaign_id: UUID | None
    counterparty: str | None
    note: str | None
    recorded_by: str
    account: Account = Account.CASH

    def event_fields(self) -> dict[str, object]:
        return attrs.asdict(self, recurse=False)


class Organisation(Aggregate):
    """One Hội Khuyến học, chi hội or ban khuyến học, with its funds.

    State version 2 added ``held`` and ``days`` (``ledger.accounts``); a
    version 1 snapshot had only cash, and its balances are taken as dated on
    the day of registration (the old rule: checked against the balance now).
    State version 3 added approvals: ``approval_threshold``, ``pending`` and
    ``holds`` (``docs/accounts.md``, "Approving payments").
    """

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        held = accounts.all_cash(state.get("balances"))
        registered = state.get("registered_on")
        on = registered if isinstance(registered, date) else date.min
        state["closed_through"] = None
        state["principal"] = {}
        state["learning"] = {}
        state["held"] = {fund: dict(amounts) for fund, amounts in held.items()}
        state["days"] = {
            accounts.book_key(fund, Account.CASH): {on.isoformat(): amount}
            for fund, amounts in held.items()
            for amount in amounts.values()
        }

    @staticmethod
    def upcast_v2_v3(state: dict[str, object]) -> None:
        state["approval_threshold"] = None
        state["pending"] = {}
        state["holds"] = {}

    @staticmethod
    @functools.lru_cache(maxsize=ID_CACHE)
    def id_for(code: OrgCode) -> UUID:
        """Organisation ids derive from codes, so a code is taken atomically."""
        return uuid5(NAMESPACE, f"organisation:{code}")

    # ---- events -------------------------------------------------------------

    class Registered(Aggregate.Created):
        code: str
        name: str
        level: Level
        parent_id: UUID | None
        registered_on: date
        recorded_by: str

    class Renamed(Aggregate.Event):
        name: str
        effective_on: date
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.name = self.name

    class Moved(Aggregate.Event):
        old_parent_id: UUID | None
        new_parent_id: UUID
        effective_on: date
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.parent_id = self.new_parent_id
            org.parent_since = self.effective_on
            org.note_dated(self.effective_on)

    class ChildAttached(Aggregate.Event):
        child_id: UUID
        effective_on: date
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.active_children += 1
            org.note_dated(self.effective_on)

    class ChildDetached(Aggregate.Event):
        child_id: UUID
        effective_on: date
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.active_children -= 1
            org.note_dated(self.effective_on)

    class MembershipReported(Aggregate.Event):
        """Members and population for a year; a later report corrects an earlier."""

        year: int
        members: int
        population: int | None
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.membership[str(self.year)] = [self.members, self.population]

    class LearningModelReported(Aggregate.Event):
        """One learning model's figures for a year (``ledger.commands.learning``);
        a later report for the same year and model supersedes an earlier."""

        year: int
        model: LearningModel
        eligible: int
        registered: int
        recognised: int
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.learning[f"{self.year}:{self.model.value}"] = [
                self.eligible,
                self.registered,
                self.recognised,
            ]

    class LearningTargetSet(Aggregate.Event):
        """The organisation's own target for one learning model over a period
        of years: the share of those eligible to be recognised, in percent."""

        model: LearningModel
        first_year: int
        last_year: int
        percent: int
        recorded_by: str

    class RecognitionRecorded(Aggregate.Event):
        """One named recognition (a family, clan, community or unit given the
        title): private unless the organisation publishes its honour roll."""

        year: int
        model: LearningModel
        name: str
        village: str | None
        decision_no: str
        decision_date: date
        recorded_by: str

    class HonourRollPublished(Aggregate.Event):
        """The organisation publishes its honour roll, or withdraws it."""

        published: bool
        recorded_by: str

    class FundOpened(Aggregate.Event):
        fund: str
        name: str
        restricted: bool
        purpose: str | None
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.balances[self.fund] = 0
            org.held[self.fund] = {}
            org.funds[self.fund] = FundInfo(
                name=self.name, restricted=self.restricted, purpose=self.purpose
            )

    class Entry(Aggregate.Event):
        """Fields every money event carries; ``change`` is its effect on the
        fund, in its ``account`` (cash or bank).

        Version 2 added ``account``; every entry recorded before was cash.
        """

        entry_id: UUID
        voucher_no: str
        fund: str
        amount: int
        business_date: date
        campaign_id: UUID | None
        counterparty: str | None
        note: str | None
        recorded_by: str
        account: Account

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["account"] = Account.CASH

        def change(self) -> int:
            return self.amount

        def apply(self, org: Organisation) -> None:
            org.balances[self.fund] += self.change()
            org.note_dated(self.business_date)
            org.book(self.fund, self.account, self.business_date, self.change())
            if self.fund in org.principal:
                org.principal[self.fund] += principal_change(self)

    class OpeningBalanceRecorded(Entry):
        def apply(self, org: Organisation) -> None:
            super().apply(org)
            org.opening_funds.append(self.fund)

    class DonationReceived(Entry):
        donor_kind: DonorKind
        method: Method
        in_kind_description: str | None
        valuation_basis: str | None
        original_currency: str | None
        original_amount: str | None
        exchange_rate: str | None

    class DisbursementPaid(Entry):
        category: Category
        recipients: int

        def change(self) -> int:
            return -self.amount

    class IncomeReceived(Entry):
        """A receipt that is not a gift (interest, dues, a member unit's
        contribution, other income): never counted as raised."""

        income_kind: IncomeKind

    class MovedBetweenAccounts(Entry):
        """A deposit (cash to bank) or a withdrawal (bank to cash) within one
        fund: the fund's balance does not change, its accounts' do."""

        to_account: Account

        def change(self) -> int:
            return 0

        def apply(self, org: Organisation) -> None:
            super().apply(org)
            org.book(self.fund, self.account, self.business_date, -self.amount)
            org.book(self.fund, self.to_account, self.business_date, self.amount)

    class TransferSent(Entry):
        to_org_id: UUID
        to_fund: str

        def change(self) -> int:
            return -self.amount

    class TransferReceived(Entry):
        """The receiving side; ``voucher_no`` is ``<sender code>:<its number>``."""

        from_org_id: UUID
        from_fund: str
        from_voucher_no: str

    class EntryReversed(Entry):
        """Compensates an earlier entry, ``reversed_entry_id``.

        ``entry_id`` is the reversal's own id; ``voucher_no`` and ``fund`` are
        the reversed entry's. ``balance_delta`` is the signed change to the
        fund's balance. ``reversed_kind`` and ``reversed_date`` say what is
        being undone, so read models can take it off the figures of the
        entry's own year; for a transfer, ``counterpart_org_id`` is the other
        side. A reversed opening balance lets the fund record a corrected one.
        Version 3 added ``income_kind``, the kind of a reversed income.
        """

        reversed_entry_id: UUID
        counterpart_org_id: UUID | None
        reversed_kind: EntryKind
        reversed_date: date
        balance_delta: int
        category: Category | None
        recipients: int
        reason: str
        income_kind: IncomeKind | None

        class_version = 3

        @staticmethod
        def upcast_v2_v3(state: dict[str, object]) -> None:
            state["income_kind"] = None

        def change(self) -> int:
            return self.balance_delta

        def apply(self, org: Organisation) -> None:
            super().apply(org)
            if self.reversed_kind is EntryKind.OPENING_BALANCE:
                org.opening_funds.remove(self.fund)

    class Merged(Aggregate.Event):
        """Version 2 added ``accounts`` (fund → account → amount moved);
        before accounts existed, all of it was cash."""

        into_id: UUID
        effective_on: date
        balances: dict[str, int]
        recorded_by: str
        accounts: dict[str, dict[str, int]]

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["accounts"] = accounts.all_cash(state["balances"])

        def apply(self, org: Organisation) -> None:
            org.status = Status.MERGED
            org.closed_on = self.effective_on
            for fund in org.balances:
                org.balances[fund] = 0
            for fund in org.principal:
                org.principal[fund] = 0
            for fund, held in self.accounts.items():
                for account, amount in held.items():
                    org.book(fund, Account(account), self.effective_on, -amount)

    class Absorbed(Aggregate.Event):
        """The other half of a merge: this organisation takes the balances."""

        source_id: UUID
        effective_on: date
        balances: dict[str, int]
        funds: dict[str, FundInfo]
        recorded_by: str
        accounts: dict[str, dict[str, int]]

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["accounts"] = accounts.all_cash(state["balances"])

        def apply(self, org: Organisation) -> None:
            for fund, amount in self.balances.items():
                org.balances[fund] = org.balances.get(fund, 0) + amount
                org.funds.setdefault(fund, self.funds[fund])
                org.held.setdefault(fund, {})
            for fund, held in self.accounts.items():
                for account, amount in held.items():
                    org.book(fund, Account(account), self.effective_on, amount)
            org.note_dated(self.effective_on)

    class EndowmentOpened(FundOpened):
        """A fund opened as an endowment: what it receives as gifts,
        opening balances and transfers is principal (issue 15)."""

        def apply(self, org: Organisation) -> None:
            super().apply(org)
            org.principal[self.fund] = 0

    class EndowmentCarried(Aggregate.Event):
        """The other half of a merge for an endowment: its principal stays
        principal at the organisation that absorbed it."""

        fund: str
        principal: int
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.principal[self.fund] = org.principal.get(self.fund, 0) + self.principal

    class YearClosed(Aggregate.Event):
        """``year`` closed (and every year before it); ``closing_balances``
        (fund → account → đồng on 31 December) open the next year. The days
        of the closed years are folded into one (``ledger.accounts``)."""

        year: int
        closing_balances: dict[str, dict[str, int]]
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.closed_through = self.year
            accounts.fold_before(org.days, date(self.year, 12, 31))

    class YearReopened(Aggregate.Event):
        """The last closed year opened again, for ``reason``."""

        year: int
        reason: str
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            before = self.year - 1
            org.closed_through = before if before >= org.registered_on.year else None

    class ApprovalThresholdSet(Aggregate.Event):
        """Payments above ``threshold`` đồng wait for approval (None: none do)."""

        threshold: int | None
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.approval_threshold = self.threshold

    class PaymentPending(Aggregate.Event):
        """A payment above the approval threshold, not yet approved: it holds
        its amount against its fund's account from its date on, and counts in
        no total (it is not an ``Entry``). Approving it records the very
        ``DisbursementPaid`` it would have been; rejecting it frees the hold."""

        entry_id: UUID
        voucher_no: str
        fund: str
        amount: int
        business_date: date
        campaign_id: UUID | None
        counterparty: str | None
        note: str | None
        recorded_by: str
        account: Account
        category: Category
        recipients: int

        def apply(self, org: Organisation) -> None:
            org.pending[str(self.entry_id)] = [
                self.fund,
                self.account.value,
                self.business_date.isoformat(),
                str(self.amount),
            ]
            accounts.hold(
                org.holds, self.fund, self.account, self.business_date, self.amount
            )

    class PaymentApproved(Aggregate.Event):
        """The pending payment ``entry_id`` approved by ``approved_by``; the
        ``DisbursementPaid`` that follows it counts from now on."""

        entry_id: UUID
        voucher_no: str
        approved_by: str

        def apply(self, org: Organisation) -> None:
            org.release(self.entry_id)

    class PaymentRejected(Aggregate.Event):
        """The pending payment ``entry_id`` rejected, for ``reason``."""

        entry_id: UUID
        voucher_no: str
        reason: str
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.release(self.entry_id)

    class Dissolved(Aggregate.Event):
        effective_on: date
        recorded_by: str

        def apply(self, org: Organisation) -> None:
            org.status = Status.DISSOLVED
            org.closed_on = self.effective_on

    def __init__(
        self,
        code: str,
        name: str,
        level: Level,
        parent_id: UUID | None,
        registered_on: date,
    ) -> None:
        self.code = code
        self.name = name
        self.level = level
        self.parent_id = parent_id
        self.registered_on = registered_on
        self.parent_since = registered_on
        self.status = Status.ACTIVE
        self.closed_on: date | None = None
        self.balances: dict[str, int] = {GENERAL_FUND: 0}
        # Per fund and account (cash, bank): the balance now and each day's
        # change (``ledger.accounts``).
        self.held: accounts.Held = {GENERAL_FUND: {}}
        self.days: accounts.Days = {}
        # The last closed year: no entry may be dated in it or before.
        self.closed_through: int | None = None
        # Approvals (issue 15, item 5): payments above the threshold wait;
        # each pending one (entry id → [fund, account, ISO date, amount]) holds
        # its amount (``holds``, shaped like ``days``) until it is approved or
        # rejected.
        self.approval_threshold: int | None = None
        self.pending: dict[str, list[str]] = {}
        self.holds: accounts.Days = {}
        # Endowment funds and their principal, which no payment may touch.
        self.principal: dict[str, int] = {}
        self.funds: dict[str, FundInfo] = {GENERAL_FUND: GENERAL_FUND_INFO}
        self.opening_funds: list[str] = []
        self.active_children = 0
        # The latest date of anything in its history: it cannot close before.
        self.last_dated = registered_on
        # The latest report per year, keyed by str(year) to survive JSON snapshots.
        self.membership: dict[str, list[int | None]] = {}
        # The latest learning-model report per "year:model".
        self.learning: dict[str, list[int]] = {}

    # ---- commands -----------------------------------------------------------

    @classmethod
    def register(
        cls,
        *,
        code: OrgCode,
        name: str,
        level: Level,
        parent: Organisation | None,
        registered_on: date,
        today: date,
        recorded_by: str,
    ) -> Organisation:
        if registered_on > today:
            raise errors.InvalidDate(
                says("date.future", what="registration", on=registered_on),
                field="registered_on",
            )
        if parent is not None:
            parent.check_open(field="parent_code")
            check_ranks(parent=parent, child_level=level, child_code=code)
            parent.check_existed_on(
                registered_on, what="registration", child=code, field="registered_on"
            )
        org = cls._create(
            cls.Registered,
            id=cls.id_for(code),
            code=code,
            name=name,
            level=level,
            parent_id=parent.id if parent else None,
            registered_on=registered_on,
            recorded_by=recorded_by,
        )
        if parent is not None:
            parent.trigger_event(
                cls.ChildAttached,
                child_id=org.id,
                effective_on=registered_on,
                recorded_by=recorded_by,
            )
        return org

    def rename(
        self, *, name: str, effective_on: date, today: date, recorded_by: str
    ) -> None:
        self.check_open()
        self.check_date(effective_on, today, what="rename", field="effective_on")
        self.trigger_event(
            self.Renamed, name=name, effective_on=effective_on, recorded_by=recorded_by
        )

    def move(
        self,
        *,
        old_parent: Organisation | None,
        new_parent: Organisation,
        effective_on: date,
        today: date,
        recorded_by: str,
    ) -> None:
        self.check_open()
        new_parent.check_open(field="new_parent_code")
        if new_parent.id in {self.id, self.parent_id}:
            raise errors.InvalidHierarchy(
                says("hierarchy.move_self", org=self.code, parent=new_parent.code),
                field="new_parent_code",
            )
        check_ranks(
            parent=new_parent,
            child_level=self.level,
            child_code=self.code,
            field="new_parent_code",
        )
        self.check_date(effective_on, today, what="move", field="effective_on")
        new_parent.check_existed_on(
            effective_on, what="move", child=self.code, field="effective_on"
        )
        if effective_on < self.parent_since:
            raise errors.InvalidDate(
                says(
                    "move.predates_parent",
                    on=effective_on,
                    org=self.code,
                    since=self.parent_since,
                ),
                field="effective_on",
            )
        self.trigger_event(
            self.Moved,
            old_parent_id=self.parent_id,
            new_parent_id=new_parent.id,
            effective_on=effective_on,
            recorded_by=recorded_by,
        )
        if old_parent is not None:
            old_parent.trigger_event(
                self.ChildDetached,
                child_id=self.id,
                effective_on=effective_on,
                recorded_by=recorded_by,
            )
        new_parent.trigger_event(
            self.ChildAttached,
            child_id=self.id,
            effective_on=effective_on,
            recorded_by=recorded_by,
        )

    def report_membership(
        self,
        *,
        year: int,
        members: int,
        population: int | None,
        today: date,
        recorded_by: str,
    ) -> None:
        self.check_open()
        if not self.registered_on.year <= year <= today.year:
            raise errors.InvalidDate(
                says(
                    "membership.year",
                    year=year,
                    first=self.registered_on.year,
                    last=today.year,
                ),
                field="year",
            )
        if self.membership.get(str(year)) == [members, population]:
            return  # the same report again: nothing new to record
        self.trigger_event(
            self.MembershipReported,
            year=year,
            members=members,
            population=population,
            recorded_by=recorded_by,
        )

    def report_learning_model(
        self,
        *,
        year: int,
        model: LearningModel,
        figures: tuple[int, int, int],
        today: date,
        recorded_by: str,
    ) -> None:
        """Record a year's (eligible, registered, recognised) for one model; the
        same report again records nothing."""
        self.check_open()
        if year > today.year:
            raise errors.InvalidDate(
                says("learning.year_ahead", year=year, this_year=today.year),
                field="year",
            )
        if year < self.registered_on.year:
            raise errors.InvalidDate(
                says(
                    "learning.year_before_registration",
                    year=year,
                    org=self.code,
                    founded=self.registered_on.year,
                ),
                field="year",
            )
        if self.learning.get(f"{year}:{model.value}") == list(figures):
            return  # the same report again: nothing new to record
        eligible, registered, recognised = figures
        self.trigger_event(
            self.LearningModelReported,
            year=year,
            model=model,
            eligible=eligible,
            registered=registered,
            recognised=recognised,
            recorded_by=recorded_by,
        )

    def set_learning_target(
        self,
        *,
        model: LearningModel,
        years: tuple[int, int],
        percent: int,
        recorded_by: str,
    ) -> None:
        """Set the organisation's target for a model over ``years`` (first,
        last); a later setting supersedes an earlier one for the years both
        cover."""
        self.check_open()
        first_year, last_year = years
        self.trigger_event(
            self.LearningTargetSet,
            model=model,
            first_year=first_year,
            last_year=last_year,
            percent=percent,
            recorded_by=recorded_by,
        )

    def record_recognition(
        self,
        *,
        year: int,
        model: LearningModel,
        name: str,
        village: str | None,
        decision: tuple[str, date],
        today: date,
        recorded_by: str,
    ) -> None:
        """Name one recognised family, clan, community or unit."""
        self.check_open()
        decision_no, decision_date = decision
        if not self.registered_on.year <= year <= today.year:
            raise errors.InvalidDate(
                says(
                    "recognition.year",
                    year=year,
                    first=self.registered_on.year,
                    this_year=today.year,
                ),
                field="year",
            )
        if decision_date > today:
            raise errors.InvalidDate(
                says("date.future", what="decision", on=decision_date),
                field="decision_date",
            )
        self.trigger_event(
            self.RecognitionRecorded,
            year=year,
            model=model,
            name=name,
            village=village,
            decision_no=decision_no,
            decision_date=decision_date,
            recorded_by=recorded_by,
        )

    def publish_honour_roll(self, *, published: bool, recorded_by: str) -> None:
        self.check_open()
        self.trigger_event(
            self.HonourRollPublished, published=published, recorded_by=recorded_by
        )

    def _opened_already(self, fund: str, info: FundInfo, *, endowment: bool) -> bool:
        """True if ``fund`` is open just so (opening it again records nothing);
        ``DuplicateFund`` if it is open otherwise."""
        if fund not in self.funds:
            return False
        kept = fund in self.principal if endowment else True
        if self.funds[fund] == info and kept:
            return True
        raise errors.DuplicateFund(
            says("fund.duplicate", org=self.code, fund=fund), field="fund", fund=fund
        )

    def open_fund(
        self,
        *,
        fund: str,
        name: str,
        restricted: bool,
        purpose: str | None,
        recorded_by: str,
    ) -> None:
        """Open a fund; opening the same fund again with the same details is a no-op."""
        self.check_open()
        info = FundInfo(name=name, restricted=restricted, purpose=purpose)
        if self._opened_already(fund, info, endowment=False):
            return
        self.trigger_event(
            self.FundOpened,
            fund=fund,
            name=name,
            restricted=restricted,
            purpose=purpose,
            recorded_by=recorded_by,
        )

    def book(self, fund: str, account: Account, on: date, delta: int) -> None:
        """Note a change of ``fund``'s ``account`` on ``on`` (events' apply)."""
        accounts.book(self.held, self.days, fund, account, on, delta)

    def receive_income(
        self, entry: EntryFields, *, income_kind: IncomeKind, today: date
    ) -> None:
        self.check_entry(entry.fund, entry.business_date, today)
        self.trigger_event(
            self.IncomeReceived, **entry.event_fields(), income_kind=income_kind
        )

    def move_between_accounts(
        self, entry: EntryFields, *, to_account: Account, today: date
    ) -> None:
        """A deposit or a withdrawal: ``entry.account`` to ``to_account``."""
        self.check_entry(entry.fund, entry.business_date, today)
        self.check_funds(
            entry.fund, entry.amount, account=entry.account, on=entry.business_date
        )
        self.trigger_event(
            self.MovedBetweenAccounts, **entry.event_fields(), to_account=to_account
        )

    def open_endowment(
        self,
        *,
        fund: str,
        name: str,
        restricted: bool,
        purpose: str | None,
        recorded_by: str,
    ) -> None:
        """Open an endowment fund; the same one again is a no-op, a fund of
        that name that is not an endowment is ``duplicate_fund``."""
        self.check_open()
        info = FundInfo(name=name, restricted=restricted, purpose=purpose)
        if self._opened_already(fund, info, endowment=True):
            return
        self.trigger_event(
            self.EndowmentOpened,
            fund=fund,
            name=name,
            restricted=restricted,
            purpose=purpose,
            recorded_by=recorded_by,
        )

    def check_spendable(self, fund: str, amount: int) -> None:
        """An endowment spends only its income: its balance above principal."""
        principal = self.principal.get(fund)
        if principal is None:
            return
        held = sum(int(p[3]) for p in self.pending.values() if p[0] == fund)
        spendable = self.balances[fund] - principal - held
        if amount > spendable:
            raise errors.EndowmentPrincipal(
                says(
                    "endowment.principal",
                    org=self.code,
                    fund=fund,
                    principal=principal,
                    spendable=max(spendable, 0),
                ),
                field="amount",
                org=self.code,
                fund=fund,
                balance=max(spendable, 0),
                amount=amount,
            )

    def close_year(self, year: int, *, today: date, recorded_by: str) -> None:
        """Close ``year`` (issue 15); closing a closed year records nothing."""
        self.check_open()
        if self.closed_through is not None and year <= self.closed_through:
            return
        if year >= today.year:
            raise errors.InvalidDate(says("year.not_over", year=year), field="year")
        if year < self.registered_on.year:
            raise errors.InvalidDate(
                says(
                    "year.before_registration",
                    org=self.code,
                    registered=self.registered_on.year,
                ),
                field="year",
            )
        if self.closed_through is not None and year != self.closed_through + 1:
            raise errors.InvalidDate(
                says("year.out_of_order", first=self.closed_through + 1, year=year),
                field="year",
            )
        waiting = [p for p in self.pending.values() if int(p[2][:4]) <= year]
        if waiting:
            raise errors.NotPending(
                says("year.pending_payments", count=len(waiting), year=year),
                field="year",
            )
        self.trigger_event(
            self.YearClosed,
            year=year,
            closing_balances=accounts.balances_on(self.days, date(year, 12, 31)),
            recorded_by=recorded_by,
        )

    def reopen_year(self, year: int, *, reason: str, recorded_by: str) -> None:
        """Reopen the last closed year, for a recorded reason."""
        self.check_open()
        if self.closed_through != year:
            raise errors.InvalidDate(
                says("year.not_last_closed", closed=str(self.closed_through)),
                field="year",
            )
        self.trigger_event(
            self.YearReopened, year=year, reason=reason, recorded_by=recorded_by
        )

    def check_period(self, on: date, *, field: str = "business_date") -> None:
        """Nothing may be dated in a closed year (``period_closed``)."""
        if self.closed_through is not None and on.year <= self.closed_through:
            raise errors.PeriodClosed(
                says("year.closed", org=self.code, closed=self.closed_through, on=on),
                field=field,
                org=self.code,
                closed_through=self.closed_through,
            )

    def record_opening_balance(self, entry: EntryFields, *, today: date) -> None:
        self.check_entry(entry.fund, entry.business_date, today)
        if entry.fund in self.opening_funds:
            raise errors.OpeningBalanceExists(
                says(
                    "fund.opening_exists",
                    org=self.code,
                    fund=entry.fund,
                    fund_name=self.fund_name(entry.fund),
                ),
                field="fund",
            )
        self.trigger_event(self.OpeningBalanceRecorded, **entry.event_fields())

    def receive_donation(
        self,
        entry: EntryFields,
        *,
        donor_kind: DonorKind,
        method: Method,
        in_kind_description: str | None,
        valuation_basis: str | None,
        original_currency: str | None,
        original_amount: str | None,
        exchange_rate: str | None,
        today: date,
    ) -> None:
        self.check_entry(entry.fund, entry.business_date, today)
        self.trigger_event(
            self.DonationReceived,
            **entry.event_fields(),
            donor_kind=donor_kind,
            method=method,
            in_kind_description=in_kind_description,
            valuation_basis=valuation_basis,
            original_currency=original_currency,
            original_amount=original_amount,
            exchange_rate=exchange_rate,
        )

    def disburse(
        self, entry: EntryFields, *, category: Category, recipients: int, today: date
    ) -> None:
        self.check_entry(entry.fund, entry.business_date, today)
        self.check_spendable(entry.fund, entry.amount)
        self.check_funds(
            entry.fund, entry.amount, account=entry.account, on=entry.business_date
        )
        threshold = self.approval_threshold
        waits = threshold is not None and entry.amount > threshold
        self.trigger_event(
            self.PaymentPending if waits else self.DisbursementPaid,
            **entry.event_fields(),
            category=category,
            recipients=recipients,
        )

    def set_approval_threshold(
        self, threshold: int | None, *, recorded_by: str
    ) -> None:
        """Payments above ``threshold`` wait for approval from now on (None:
        none do). Payments already pending stay pending."""
        self.check_open()
        if threshold == self.approval_threshold:
            return
        self.trigger_event(
            self.ApprovalThresholdSet, threshold=threshold, recorded_by=recorded_by
        )

    def approve_payment(
        self, payment: Organisation.PaymentPending, *, approved_by: str
    ) -> None:
        """Approve a pending payment: it is recorded as the ``DisbursementPaid``
        it would have been (by its recorder), after ``PaymentApproved``."""
        self.check_pending(payment, by=approved_by)
        self.check_period(payment.business_date, field="voucher_no")
        self.trigger_event(
            self.PaymentApproved,
            entry_id=payment.entry_id,
            voucher_no=payment.voucher_no,
            approved_by=approved_by,
        )
        self.trigger_event(
            self.DisbursementPaid,
            entry_id=payment.entry_id,
            voucher_no=payment.voucher_no,
            fund=payment.fund,
            amount=payment.amount,
            business_date=payment.business_date,
            campaign_id=payment.campaign_id,
            counterparty=payment.counterparty,
            note=payment.note,
            recorded_by=payment.recorded_by,
            account=payment.account,
            category=payment.category,
            recipients=payment.recipients,
        )

    def reject_payment(
        self, payment: Organisation.PaymentPending, *, reason: str, recorded_by: str
    ) -> None:
        """Reject a pending payment: its hold is freed, it never counts."""
        self.check_pending(payment, by=recorded_by)
        self.trigger_event(
            self.PaymentRejected,
            entry_id=payment.entry_id,
            voucher_no=payment.voucher_no,
            reason=reason,
            recorded_by=recorded_by,
        )

    def release(self, entry_id: UUID) -> None:
        """Free a pending payment's hold (events' apply)."""
        held = self.pending.pop(str(entry_id), None)
        if held is None:
            return
        fund, account, iso, amount = held
        accounts.hold(
            self.holds, fund, Account(account), date.fromisoformat(iso), -int(amount)
        )

    def send_transfer(
        self,
        entry: EntryFields,
        *,
        to: Organisation,
        to_fund: str,
        to_account: Account = Account.CASH,
        today: date,
    ) -> None:
        self.check_entry(entry.fund, entry.business_date, today)
        to.check_entry(
            to_fund,
            entry.business_date,
            today,
            org_field="to_code",
            fund_field="to_fund",
        )
        if not keeps_purpose(self.funds[entry.fund], to.funds[to_fund]):
            raise errors.RestrictedFund(
                says(
                    "fund.restricted_transfer",
                    org=self.code,
                    fund=entry.fund,
                    fund_name=self.fund_name(entry.fund),
                    to=to.code,
                    to_fund=to_fund,
                ),
                field="to_fund",
            )
        self.check_spendable(entry.fund, entry.amount)
        self.check_funds(
            entry.fund, entry.amount, account=entry.account, on=entry.business_date
        )
        self.trigger_event(
            self.TransferSent, **entry.event_fields(), to_org_id=to.id, to_fund=to_fund
        )
        received = attrs.evolve(
            entry,
            fund=to_fund,
            account=to_account,
            counterparty=self.code,
            voucher_no=received_voucher_no(self.code, entry.voucher_no),
        )
        to.trigger_event(
            self.TransferReceived,
            **received.event_fields(),
            from_org_id=self.id,
            from_fund=entry.fund,
            from_voucher_no=entry.voucher_no,
        )

    def reverse(
        self,
        original: Organisation.Entry,
        *,
        business_date: date,
        today: date,
        reason: str,
        recorded_by: str,
    ) -> None:
        """Record the compensating event for ``original``, one of this org's entries."""
        self.check_open()
        if business_date > today:
            raise errors.InvalidDate(
                says("date.future", what="entry", on=business_date),
                field="business_date",
            )
        self.check_period(business_date)
        if business_date < original.business_date:
            raise errors.InvalidDate(
                says(
                    "reversal.predates",
                    on=business_date,
                    original=original.business_date,
                ),
                field="business_date",
            )
        kind = _reversible_kind(original)
        delta = -original.change()
        if delta < 0:
            self.check_funds(
                original.fund,
                -delta,
                field="voucher_no",
                account=original.account,
                on=business_date,
            )
        paid = original if isinstance(original, Organisation.DisbursementPaid) else None
        income = original if isinstance(original, Organisation.IncomeReceived) else None
        self.trigger_event(
            self.EntryReversed,
            entry_id=reversal_id(original.entry_id),
            reversed_entry_id=original.entry_id,
            counterpart_org_id=_counterpart_id(original),
            voucher_no=original.voucher_no,
            fund=original.fund,
            amount=original.amount,
            business_date=business_date,
            campaign_id=original.campaign_id,
            counterparty=original.counterparty,
            note=None,
            recorded_by=recorded_by,
            account=original.account,
            reversed_kind=kind,
            reversed_date=original.business_date,
            balance_delta=delta,
            category=paid.category if paid else None,
            recipients=paid.recipients if paid else 0,
            reason=reason,
            income_kind=income.income_kind if income else None,
        )

    def merge_into(
        self,
        target: Organisation,
        parent: Organisation | None,
        *,
        effective_on: date,
        today: date,
        recorded_by: str,
    ) -> None:
        self.check_open()
        target.check_open(field="into_code")
        if target.id == self.id:
            raise errors.InvalidHierarchy(
                says("hierarchy.merge_self", org=self.code), field="into_code"
            )
        self.check_no_children("merged")
        self.check_closing_date(effective_on, today, what="merge")
        target.check_date(effective_on, today, what="merge", field="effective_on")
        target.check_period(effective_on, field="effective_on")
        if target.level.rank > self.level.rank:
            raise errors.InvalidHierarchy(
                says(
                    "hierarchy.merge_rank",
                    level=self.level.value,
                    org=self.code,
                    target_level=target.level.value,
                    target=target.code,
                ),
                field="into_code",
            )
        for fund, info in self.funds.items():
            theirs = target.funds.get(fund)
            if theirs is None:
                continue
            if not (keeps_purpose(info, theirs) and keeps_purpose(theirs, info)):
                raise errors.RestrictedFund(
                    says(
                        "fund.merge_mismatch",
                        fund=fund,
                        org=self.code,
                        target=target.code,
                    ),
                    field="into_code",
                    fund=fund,
                )
        balances = dict(self.balances)
        carried = {fund: amount for fund, amount in self.principal.items() if amount}
        held = {
            fund: {account: amount for account, amount in amounts.items() if amount}
            for fund, amounts in self.held.items()
            if any(amounts.values())
        }
        self.trigger_event(
            self.Merged,
            into_id=target.id,
            effective_on=effective_on,
            balances=balances,
            recorded_by=recorded_by,
            accounts=held,
        )
        target.trigger_event(
            self.Absorbed,
            source_id=self.id,
            effective_on=effective_on,
            balances=balances,
            funds=dict(self.funds),
            recorded_by=recorded_by,
            accounts=held,
        )
        for fund, principal in sorted(carried.items()):
            target.trigger_event(
                self.EndowmentCarried,
                fund=fund,
                principal=principal,
                recorded_by=recorded_by,
            )
        if parent is not None:
            parent.trigger_event(
                self.ChildDetached,
                child_id=self.id,
                effective_on=effective_on,
                recorded_by=recorded_by,
            )

    def dissolve(
        self,
        parent: Organisation | None,
        *,
        effective_on: date,
        today: date,
        recorded_by: str,
    ) -> None:
        self.check_open()
        self.check_no_children("dissolved")
        self.check_closing_date(effective_on, today, what="dissolution")
        held = {fund: amount for fund, amount in self.balances.items() if amount}
        if held:
            raise errors.HasBalance(
                says("organisation.has_money", org=self.code, total=sum(held.values())),
                field="org",
                balances=held,
            )
        self.trigger_event(
            self.Dissolved, effective_on=effective_on, recorded_by=recorded_by
        )
        if parent is not None:
            parent.trigger_event(
                self.ChildDetached,
                child_id=self.id,
                effective_on=effective_on,
                recorded_by=recorded_by,
            )

    # ---- checks -------------------------------------------------------------

    def check_open(self, *, field: str = "org") -> None:
        """``field``: the command's field that named this organisation."""
        if self.status is not Status.ACTIVE:
            raise errors.OrganisationClosed(
                says(
                    "organisation.closed",
                    org=self.code,
                    status=self.status.value,
                    on=self.closed_on,
                ),
                field=field,
                org=self.code,
                status=self.status.value,
            )

    def check_date(self, on: date, today: date, *, what: str, field: str) -> None:
        """``field``: the command's field that holds the date ``on``."""
        if on > today:
            raise errors.InvalidDate(says("date.future", what=what, on=on), field=field)
        if on < self.registered_on:
            raise errors.InvalidDate(
                says(
                    "date.before_registration",
                    what=what,
                    on=on,
                    org=self.code,
                    registered=self.registered_on,
                ),
                field=field,
            )

    def note_dated(self, on: date) -> None:
        """Remember the latest date in the history (the events' apply methods
        call it): the organisation cannot close before it."""
        self.last_dated = max(self.last_dated, on)

    def check_existed_on(self, on: date, *, what: str, child: str, field: str) -> None:
        """A child cannot join this organisation before it existed."""
        if on < self.registered_on:
            raise errors.InvalidDate(
                says(
                    "date.predates_parent",
                    what=what,
                    on=on,
                    child=child,
                    org=self.code,
                    registered=self.registered_on,
                ),
                field=field,
            )

    def check_closing_date(self, on: date, today: date, *, what: str) -> None:
        """An organisation closes on or after the last date in its history."""
        self.check_date(on, today, what=what, field="effective_on")
        self.check_period(on, field="effective_on")
        if on < self.last_dated:
            raise errors.InvalidDate(
                says(
                    "date.before_last_event",
                    what=what,
                    on=on,
                    org=self.code,
                    last=self.last_dated,
                ),
                field="effective_on",
            )

    def check_entry(
        self,
        fund: str,
        on: date,
        today: date,
        *,
        org_field: str = "org",
        fund_field: str = "fund",
    ) -> None:
        """An entry of ``fund`` dated ``on`` may be recorded here (the fields:
        the command's that named this organisation and the fund)."""
        self.check_open(field=org_field)
        self.check_date(on, today, what="entry", field="business_date")
        self.check_period(on)
        if fund not in self.balances:
            raise errors.UnknownFund(
                says("fund.unknown", org=self.code, fund=fund),
                field=fund_field,
                fund=fund,
            )

    def check_funds(
        self,
        fund: str,
        amount: int,
        *,
        account: Account,
        on: date,
        field: str = "amount",
    ) -> None:
        """``amount`` may leave ``fund``'s ``account`` on ``on``: its balance
        stays at or above zero on that date and every later one."""
        accounts.check_available(
            accounts.less_holds(self.days, self.holds),
            org=self.code,
            fund=fund,
            fund_name=self.fund_name(fund),
            account=account,
            on=on,
            amount=amount,
            field=field,
        )

    def check_pending(self, payment: Organisation.PaymentPending, *, by: str) -> None:
        """``payment`` is still pending, and ``by`` is not who recorded it."""
        if str(payment.entry_id) not in self.pending:
            raise errors.NotPending(
                says("payment.not_pending", voucher_no=payment.voucher_no),
                field="voucher_no",
                voucher_no=payment.voucher_no,
            )
        if same_recorder(by, payment.recorded_by):
            raise errors.SelfApproval(
                says("payment.self_approval", voucher_no=payment.voucher_no),
                field="recorded_by",
                voucher_no=payment.voucher_no,
            )

    def fund_name(self, fund: str) -> str:
        """The fund's name, as opened (the general fund's by default)."""
        info = self.funds.get(fund)
        return info["name"] if info else fund

    def check_no_children(self, becoming: str) -> None:
        if self.active_children:
            raise errors.HasChildren(
                says(
                    "organisation.has_children",
                    org=self.code,
                    n=self.active_children,
                    becoming=becoming,
                ),
                field="org",
                active_children=self.active_children,
            )


PRINCIPAL_KINDS = frozenset(
    {EntryKind.OPENING_BALANCE, EntryKind.DONATION, EntryKind.TRANSFER}
)


def principal_change(event: Organisation.Entry) -> int:
    """What an entry of an endowment fund adds to its principal: gifts,
    opening balances and transfers received (and their reversals); income,
    payments and transfers sent change only the spendable part."""
    if isinstance(
        event,
        Organisation.OpeningBalanceRecorded
        | Organisation.DonationReceived
        | Organisation.TransferReceived,
    ):
        return event.amount
    if isinstance(event, Organisation.EntryReversed):
        takes_back = event.balance_delta < 0 and event.reversed_kind in PRINCIPAL_KINDS
        return event.balance_delta if takes_back else 0
    return 0


_TOKEN = re.compile(r"token:([0-9a-f]+)\)?$")


def same_recorder(one: str, other: str) -> bool:
    """Do two ``recorded_by`` name the same recorder: the same text, or the
    same token whatever its holder's label (``Lan (token:4b51df63)``)?"""
    if one == other:
        return True
    mine, theirs = _TOKEN.search(one), _TOKEN.search(other)
    return mine is not None and theirs is not None and mine[1] == theirs[1]


def keeps_purpose(source: FundInfo, target: FundInfo) -> bool:
    """Restricted money may only go where the same purpose still binds it."""
    return not source["restricted"] or (
        target["restricted"] and target["purpose"] == source["purpose"]
    )


def check_ranks(
    *, parent: Organisation, child_level: Level, child_code: str, field: str = "level"
) -> None:
    """A parent ranks strictly above its child, which also rules out cycles."""
    if parent.level.rank >= child_level.rank:
        raise errors.InvalidHierarchy(
            says(
                "hierarchy.rank",
                child_level=child_level.value,
                child=child_code,
                parent_level=parent.level.value,
                parent=parent.code,
            ),
            field=field,
        )


def _counterpart_id(entry: Organisation.Entry) -> UUID | None:
    """The other organisation of a transfer's side."""
    if isinstance(entry, Organisation.TransferSent):
        return entry.to_org_id
    if isinstance(entry, Organisation.TransferReceived):
        return entry.from_org_id
    return None


def _reversible_kind(original: Organisation.Entry) -> EntryKind:
    """The kind of entry ``original`` is; a reversal itself cannot be reversed."""
    for event_class, kind in _REVERSIBLE:
        if isinstance(original, event_class):
            return kind
    raise errors.UnknownEntry(
        says("entry.not_reversible", kind=type(original).__name__),
        field="voucher_no",
    )


_REVERSIBLE: tuple[tuple[type[Organisation.Entry], EntryKind], ...] = (
    (Organisation.OpeningBalanceRecorded, EntryKind.OPENING_BALANCE),
    (Organisation.DonationReceived, EntryKind.DONATION),
    (Organisation.IncomeReceived, EntryKind.INCOME),
    (Organisation.DisbursementPaid, EntryKind.DISBURSEMENT),
    (Organisation.TransferSent, EntryKind.TRANSFER),
    (Organisation.TransferReceived, EntryKind.TRANSFER),
)
