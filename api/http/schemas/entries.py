"""Money entries: donations, disbursements, transfers, reversals; the journal and
the raw event stream."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from api.http.schemas.common import (
    Amount,
    Code,
    EntryBody,
    Position,
    Schema,
    Text,
    VoucherNo,
)
from ledger.commands import Disburse, RecordDonation, ReverseEntry, Transfer
from ledger.types import (
    GENERAL_FUND,
    MAX_RECIPIENTS,
    Account,
    Category,
    DonorKind,
    Method,
)


class EntryCreate(EntryBody):
    voucher_no: VoucherNo
    amount: Amount = Field(alias="amount_vnd")
    business_date: date = Field(
        description="The voucher's date (Vietnamese calendar day), not in the future.",
        examples=["2022-09-05"],
    )
    fund: Code = Field(GENERAL_FUND, description="The fund; `general` by default.")
    campaign: Code | None = Field(None, description="A campaign the entry belongs to.")
    note: Text | None = None
    account: Account = Field(
        Account.CASH,
        description="Where the money is: `cash` (the default) or `bank`.",
    )


class DonationCreate(EntryCreate):
    donor: Text | None = Field(
        None,
        description="The donor's name: personal data, never shown publicly.",
        examples=["Công ty CP Sữa Vinamilk"],
    )
    donor_kind: DonorKind = DonorKind.INDIVIDUAL
    method: Method = Method.CASH
    in_kind_description: Text | None = Field(None, examples=["200 bộ sách giáo khoa"])
    valuation_basis: Text | None = Field(None, examples=["Theo giá bìa"])
    original_currency: Text | None = Field(None, examples=["USD"])
    original_amount: Text | None = Field(None, examples=["200"])
    exchange_rate: Text | None = Field(None, examples=["25000"])

    def to_command(self, org: str, recorded_by: str) -> RecordDonation:
        return RecordDonation(
            org,
            voucher_no=self.voucher_no,
            amount=self.amount,
            business_date=self.business_date,
            fund=self.fund,
            campaign=self.campaign,
            note=self.note,
            account=self.account,
            donor=self.donor,
            donor_kind=self.donor_kind,
            method=self.method,
            in_kind_description=self.in_kind_description,
            valuation_basis=self.valuation_basis,
            original_currency=self.original_currency,
            original_amount=self.original_amount,
            exchange_rate=self.exchange_rate,
            recorded_by=recorded_by,
        )


class DisbursementCreate(EntryCreate):
    category: Category
    recipients: int = Field(
        1,
        ge=0,
        le=MAX_RECIPIENTS,
        description="How many students, teachers or schools.",
    )
    recipient: Text | None = Field(
        None,
        description="Who was paid: personal data, never shown publicly.",
        examples=["Học sinh nghèo vượt khó xóm 3"],
    )

    def to_command(self, org: str, recorded_by: str) -> Disburse:
        return Disburse(
            org,
            voucher_no=self.voucher_no,
            amount=self.amount,
            business_date=self.business_date,
            fund=self.fund,
            campaign=self.campaign,
            note=self.note,
            account=self.account,
            category=self.category,
            recipients=self.recipients,
            recipient=self.recipient,
            recorded_by=recorded_by,
        )


class TransferCreate(EntryCreate):
    to_code: Code = Field(alias="to", description="The receiving organisation's code.")
    to_fund: Code = GENERAL_FUND
    to_account: Account = Field(
        Account.CASH, description="The receiver's account: `cash` (default) or `bank`."
    )

    def to_command(self, org: str, recorded_by: str) -> Transfer:
        return Transfer(
            org,
            voucher_no=self.voucher_no,
            amount=self.amount,
            business_date=self.business_date,
            fund=self.fund,
            campaign=self.campaign,
            note=self.note,
            account=self.account,
            to_code=self.to_code,
            to_fund=self.to_fund,
            to_account=self.to_account,
            recorded_by=recorded_by,
        )


class ReversalCreate(Schema):
    reason: Text = Field(examples=["Nhập nhầm số tiền"])
    business_date: date | None = Field(
        None, description="The reversal's date; today by default."
    )

    def to_command(self, org: str, voucher_no: str, recorded_by: str) -> ReverseEntry:
        return ReverseEntry(
            org,
            voucher_no,
            reason=self.reason,
            business_date=self.business_date,
            recorded_by=recorded_by,
        )


class EntryRecorded(Schema):
    organisation: Code
    voucher_no: str
    entry_id: str
    kind: Literal[
        "donation",
        "disbursement",
        "transfer",
        "reversal",
        "income",
        "deposit",
        "withdrawal",
    ]
    position: Position
    pending: bool = Field(
        default=False,
        description="A payment above its organisation's approval threshold: it "
        "waits for an approver, holding its amount, and counts in no total.",
    )


class EntryPublic(Schema):
    position: int
    line: int
    organisation: Code
    kind: str = Field(
        description="opening_balance, donation, disbursement, transfer_out, "
        "transfer_in, merge_out, merge_in or reversal"
    )
    entry_id: str | None
    voucher_no: str | None
    fund: str
    amount_vnd: int
    balance_change_vnd: int
    business_date: date
    recorded_at: datetime
    recorded_by: str
    campaign: str | None
    counterparty: str | None = Field(description="Donor, recipient or organisation.")
    counterpart: str | None = Field(description="The other organisation's code.")
    category: str | None
    recipients: int
    details: dict[str, str]
    note: str | None
    reversed_entry_id: str | None
    reason: str | None
    reversed_by: str | None


class EntriesPublic(Schema):
    data: list[EntryPublic]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page.")
    position: Position


class EventPublic(Schema):
    version: int
    type: str = Field(examples=["DonationReceived"])
    timestamp: datetime
    recorded_by: str | None
    data: dict[str, Any]


class EventsPublic(Schema):
    data: list[EventPublic]
    next_after: int | None = Field(
        description="Pass as ?after_version= for the next page."
    )
