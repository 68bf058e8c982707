"""Receipts that are not gifts, and money moved between cash and bank."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.http.schemas.common import Amount, Code, EntryBody, Schema, Text, VoucherNo
from api.http.schemas.entries import EntryCreate
from ledger.commands import Deposit, RecordIncome, Withdraw
from ledger.types import GENERAL_FUND, IncomeKind


class IncomeCreate(EntryCreate):
    income_kind: IncomeKind = Field(
        description="interest, dues, unit_contribution or other_income: never "
        "counted as raised."
    )
    payer: Text | None = Field(None, examples=["Agribank chi nhánh Diễn Châu"])

    def to_command(self, org: str, recorded_by: str) -> RecordIncome:
        return RecordIncome(
            org,
            voucher_no=self.voucher_no,
            amount=self.amount,
            business_date=self.business_date,
            fund=self.fund,
            campaign=self.campaign,
            note=self.note,
            account=self.account,
            income_kind=self.income_kind,
            payer=self.payer,
            recorded_by=recorded_by,
        )


class AccountMoveCreate(EntryBody):
    """A deposit (cash → bank) or a withdrawal (bank → cash) within one fund."""

    voucher_no: VoucherNo
    amount: Amount = Field(alias="amount_vnd")
    business_date: date = Field(examples=["2022-09-05"])
    fund: Code = Field(GENERAL_FUND, description="The fund; `general` by default.")
    note: Text | None = None

    def deposit(self, org: str, recorded_by: str) -> Deposit:
        return Deposit(
            org,
            voucher_no=self.voucher_no,
            amount=self.amount,
            business_date=self.business_date,
            fund=self.fund,
            note=self.note,
            recorded_by=recorded_by,
        )

    def withdrawal(self, org: str, recorded_by: str) -> Withdraw:
        return Withdraw(
            org,
            voucher_no=self.voucher_no,
            amount=self.amount,
            business_date=self.business_date,
            fund=self.fund,
            note=self.note,
            recorded_by=recorded_by,
        )

    def to_command(self, org: str, recorded_by: str) -> Deposit | Withdraw:
        """A deposit; the desk's withdrawal form overrides it."""
        return self.deposit(org, recorded_by)


class WithdrawalCreate(AccountMoveCreate):
    """A withdrawal (bank → cash), as the desk's form sends it."""

    def to_command(self, org: str, recorded_by: str) -> Deposit | Withdraw:
        return self.withdrawal(org, recorded_by)


class FundAccounts(Schema):
    fund: Code
    cash_vnd: int
    bank_vnd: int


class AccountsPublic(Schema):
    organisation: Code
    as_of: date | None
    funds: list[FundAccounts]
