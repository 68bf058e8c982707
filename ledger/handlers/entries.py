"""Handlers of money: record an entry once per voucher number, reverse one once.

Recording an entry (``_recorded`` and ``_issue``, shared by every kind):

1. the voucher's id is ``uuid5(organisation, number)``; if its voucher exists,
   the same content (fingerprint) answers the original id and records
   nothing, other content is ``duplicate_voucher``;
2. a campaign named must be open and hold the entry's date;
3. the organisation — loaded last, so that the time between its load and the
   save is short — checks its rules and triggers the event;
4. one save appends the event(s) and the voucher(s): for a transfer, both
   organisations and the receiver's ``<sender>:<number>`` voucher too.
"""

from __future__ import annotations

from ledger import errors
from ledger.commands import (
    Deposit,
    Disburse,
    EntryCommand,
    RecordDonation,
    RecordIncome,
    RecordOpeningBalance,
    ReverseEntry,
    Transfer,
    Withdraw,
)
from ledger.handlers.registry import handles
from ledger.ids import received_voucher_no, reversal_id, voucher_id
from ledger.organisation import EntryFields, Organisation
from ledger.types import EntryId, OrgCode
from ledger.unit_of_work import UnitOfWork
from ledger.voucher import Voucher, check_same_entry
from ledger.wording import says


@handles(RecordOpeningBalance)
def record_opening_balance(command: RecordOpeningBalance, uow: UnitOfWork) -> EntryId:
    entry = _entry(command, uow)
    if not isinstance(entry, EntryFields):
        return entry
    org = uow.org(command.org)
    org.record_opening_balance(entry, today=uow.today())
    return _issue(command, entry, uow, org)


@handles(RecordDonation)
def record_donation(command: RecordDonation, uow: UnitOfWork) -> EntryId:
    entry = _entry(command, uow)
    if not isinstance(entry, EntryFields):
        return entry
    org = uow.org(command.org)
    org.receive_donation(
        entry,
        donor_kind=command.donor_kind,
        method=command.method,
        in_kind_description=command.in_kind_description,
        valuation_basis=command.valuation_basis,
        original_currency=command.original_currency,
        original_amount=command.original_amount,
        exchange_rate=command.exchange_rate,
        today=uow.today(),
    )
    return _issue(command, entry, uow, org)


@handles(Disburse)
def disburse(command: Disburse, uow: UnitOfWork) -> EntryId:
    entry = _entry(command, uow)
    if not isinstance(entry, EntryFields):
        return entry
    org = uow.org(command.org)
    org.disburse(
        entry,
        category=command.category,
        recipients=command.recipients,
        today=uow.today(),
    )
    return _issue(command, entry, uow, org)


@handles(Transfer)
def transfer(command: Transfer, uow: UnitOfWork) -> EntryId:
    entry = _entry(command, uow)
    if not isinstance(entry, EntryFields):
        return entry
    receiver = uow.org(command.to_code, field="to_code")
    org = uow.org(command.org)
    org.send_transfer(
        entry,
        to=receiver,
        to_fund=command.to_fund,
        to_account=command.to_account,
        today=uow.today(),
    )
    return _issue(command, entry, uow, org, receiver)


@handles(RecordIncome)
def record_income(command: RecordIncome, uow: UnitOfWork) -> EntryId:
    entry = _entry(command, uow)
    if not isinstance(entry, EntryFields):
        return entry
    org = uow.org(command.org)
    org.receive_income(entry, income_kind=command.income_kind, today=uow.today())
    return _issue(command, entry, uow, org)


@handles(Deposit)
def deposit(command: Deposit, uow: UnitOfWork) -> EntryId:
    return _move_between_accounts(command, uow)


@handles(Withdraw)
def withdraw(command: Withdraw, uow: UnitOfWork) -> EntryId:
    return _move_between_accounts(command, uow)


def _move_between_accounts(command: Deposit | Withdraw, uow: UnitOfWork) -> EntryId:
    entry = _entry(command, uow)
    if not isinstance(entry, EntryFields):
        return entry
    org = uow.org(command.org)
    org.move_between_accounts(entry, to_account=command.to_account, today=uow.today())
    return _issue(command, entry, uow, org)


def _entry_id(command: EntryCommand) -> EntryId:
    return voucher_id(Organisation.id_for(command.org), command.voucher_no)


def _entry(command: EntryCommand, uow: UnitOfWork) -> EntryFields | EntryId:
    """The entry's fields for its event, or its id if the very same entry is
    recorded already (steps 1 and 2 of the module)."""
    entry_id = _entry_id(command)
    issued = uow.created(entry_id, Voucher.Issued)
    if issued is not None:
        # The voucher's first event says all (no snapshot look-up).
        check_same_entry(issued.voucher_no, issued.fingerprint, command.fingerprint())
        return entry_id
    campaign_id = None
    if command.campaign_code is not None:
        campaign = uow.campaign(command.campaign_code)
        campaign.check_entry_date(command.business_date)
        campaign_id = campaign.id
    return EntryFields(
        entry_id=entry_id,
        voucher_no=command.voucher_no,
        fund=command.fund,
        amount=command.amount,
        business_date=command.business_date,
        campaign_id=campaign_id,
        counterparty=command.counterparty,
        note=command.note,
        recorded_by=command.recorded_by,
        account=command.account,
    )


def _issue(
    command: EntryCommand,
    entry: EntryFields,
    uow: UnitOfWork,
    org: Organisation,
    receiver: Organisation | None = None,
) -> EntryId:
    """Issue the entry's voucher (and the receiver's), and save (step 4)."""
    entry_id = entry.entry_id
    fingerprint = command.fingerprint()
    vouchers = [
        Voucher.issue(
            id=entry_id,
            org_id=org.id,
            voucher_no=command.voucher_no,
            kind=command.kind,
            fingerprint=fingerprint,
            event_version=org.version,
            counter_version=receiver.version if receiver else None,
        )
    ]
    if receiver is not None:
        number = received_voucher_no(org.code, command.voucher_no)
        received_id = voucher_id(receiver.id, number)
        if uow.created(received_id, Voucher.Issued) is not None:
            raise errors.DuplicateVoucher(
                says("voucher.taken_at", org=receiver.code, voucher_no=number),
                field="voucher_no",
                voucher_no=number,
            )
        vouchers.append(
            Voucher.issue(
                id=received_id,
                org_id=receiver.id,
                voucher_no=number,
                kind=command.kind,
                fingerprint=fingerprint,
                event_version=receiver.version,
                counter_version=org.version,
            )
        )
    uow.save(org, receiver, *vouchers)
    return entry_id


# ---- reversals ---------------------------------------------------------------


def _reversal_locks(command: ReverseEntry, uow: UnitOfWork) -> tuple[str | None, ...]:
    """Both sides of a transfer take their turn: find the other side first
    (an entry's event and an organisation's code never change)."""
    return (command.org, counterpart_code(uow, command.org, command.voucher_no))


@handles(ReverseEntry, locks=_reversal_locks)
def reverse_entry(command: ReverseEntry, uow: UnitOfWork) -> EntryId:
    """A transfer is reversed where it was sent, whichever side asks; both
    sides in one save. A second reversal is ``already_reversed``, naming the
    first (a client whose first request timed out can tell it went through).
    """
    org = uow.org(command.org)
    voucher = uow.voucher(org, command.voucher_no)
    original = uow.entry_event(org.id, voucher.event_version)
    if isinstance(original, Organisation.TransferReceived):
        org = uow.org_by_id(original.from_org_id)
        voucher = uow.voucher(org, original.from_voucher_no)
        original = uow.entry_event(org.id, voucher.event_version)
    voucher.reverse(reason=command.reason, recorded_by=command.recorded_by)
    today = uow.today()
    sides = [(org, original)]
    if isinstance(original, Organisation.TransferSent):
        receiver = uow.org_by_id(original.to_org_id)
        version = voucher.counter_version
        if version is None:  # every transfer's voucher has one
            raise errors.UnknownEntry(
                says("transfer.no_receiver", voucher_no=voucher.voucher_no),
                field="voucher_no",
            )
        sides.append((receiver, uow.entry_event(receiver.id, version)))
    for side, entry in sides:
        side.reverse(
            entry,
            business_date=command.business_date or today,
            today=today,
            reason=command.reason,
            recorded_by=command.recorded_by,
        )
    uow.save(voucher, *(side for side, _ in sides))
    return reversal_id(voucher.id)


def counterpart_code(uow: UnitOfWork, code: OrgCode, voucher_no: str) -> OrgCode | None:
    """The other organisation of a transfer entry (either side's voucher
    number), None for any other entry. Raises ``unknown_entry``."""
    org = uow.org(code)
    entry = uow.entry_event(org.id, uow.voucher(org, voucher_no).event_version)
    if isinstance(entry, Organisation.TransferSent):
        return uow.org_by_id(entry.to_org_id).code
    if isinstance(entry, Organisation.TransferReceived):
        return uow.org_by_id(entry.from_org_id).code
    return None
