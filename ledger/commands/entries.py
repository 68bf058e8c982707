"""Commands on money: each records one voucher of one organisation, or
reverses one.

An entry command's fields are the voucher's: its number, amount, business
date, fund, note and, but for an opening balance, a campaign; each kind adds
its own (the donor and how the gift came, the category and recipients of a
payment, the receiving organisation of a transfer). ``fingerprint`` is what
tells a re-sent entry (the same content: recorded once) from another entry
under a number already used (refused).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import attrs

from ledger import errors
from ledger.commands.base import (
    Command,
    as_account,
    as_category,
    as_donor_kind,
    as_income_kind,
    as_method,
    as_to_account,
    entry_fingerprint,
)
from ledger.types import (
    GENERAL_FUND,
    MAX_RECIPIENTS,
    Account,
    CampaignCode,
    Category,
    Dong,
    DonorKind,
    EntryId,
    EntryKind,
    FundName,
    IncomeKind,
    Method,
    OrgCode,
    VoucherNo,
)
from ledger.validation import (
    check_voucher_no,
    check_whole,
    is_amount,
    is_code,
    is_code_or_none,
    is_date,
    is_date_or_none,
    is_required_text,
    is_text,
    is_voucher_no,
    stripped,
    stripped_or_none,
)
from ledger.wording import says


@attrs.frozen
class EntryCommand(Command[EntryId]):
    """Record one voucher of ``org``; re-sending the same one records nothing."""

    org: OrgCode = attrs.field(validator=is_code)
    voucher_no: VoucherNo = attrs.field(
        kw_only=True, converter=stripped, validator=is_voucher_no
    )
    amount: Dong = attrs.field(kw_only=True, validator=is_amount)
    business_date: date = attrs.field(kw_only=True, validator=is_date)
    """The voucher's date, a Vietnamese calendar day."""
    fund: FundName = attrs.field(default=GENERAL_FUND, kw_only=True, validator=is_code)
    note: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    account: Account = attrs.field(
        default=Account.CASH, kw_only=True, converter=as_account
    )
    """Where the money is: ``cash`` (the default, and what every entry
    recorded before accounts existed was) or ``bank``."""

    kind: ClassVar[EntryKind]

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)

    @property
    def campaign_code(self) -> CampaignCode | None:
        return None

    @property
    def counterparty(self) -> str | None:
        """The donor, the recipient or the receiving organisation."""
        return None

    def own_fields(self) -> dict[str, object]:
        """The kind's own fields, as the fingerprint names them."""
        return {}

    def fingerprint(self) -> str:
        return entry_fingerprint(
            self.kind,
            self.org,
            {
                "voucher_no": self.voucher_no,
                "fund": self.fund,
                "amount": self.amount,
                "business_date": self.business_date,
                "campaign": self.campaign_code,
                "counterparty": self.counterparty,
                "note": self.note,
                # Left out for cash, so that entries recorded before accounts
                # existed keep their fingerprint.
                "account": None if self.account is Account.CASH else self.account,
                **self.own_fields(),
            },
        )


def _number_or_blank(value: str | None) -> str:
    """A voucher number given, or blank (then the default applies)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise errors.InvalidInput(
            says("text.not_text", field="voucher_no", value=value),
            field="voucher_no",
        )
    return value.strip()


@attrs.frozen
class RecordOpeningBalance(EntryCommand):
    """A fund's balance brought forward from before the ledger (once per fund)."""

    voucher_no: VoucherNo = attrs.field(
        default=None, kw_only=True, converter=_number_or_blank
    )
    """``opening-<fund>`` unless given."""

    kind = EntryKind.OPENING_BALANCE

    def __attrs_post_init__(self) -> None:
        if not self.voucher_no:
            object.__setattr__(self, "voucher_no", f"opening-{self.fund}")
        check_voucher_no(self.voucher_no, "voucher_no")


@attrs.frozen
class CampaignEntry(EntryCommand):
    """An entry that may belong to a campaign (and fall inside its dates)."""

    campaign: CampaignCode | None = attrs.field(
        default=None, kw_only=True, validator=is_code_or_none
    )

    @property
    def campaign_code(self) -> CampaignCode | None:
        return self.campaign


@attrs.frozen
class RecordDonation(CampaignEntry):
    """A gift received (phiếu thu), in cash, through the bank or in kind."""

    donor: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    """The donor's name: personal data, never public."""
    donor_kind: DonorKind = attrs.field(
        default=DonorKind.INDIVIDUAL, kw_only=True, converter=as_donor_kind
    )
    method: Method = attrs.field(default=Method.CASH, kw_only=True, converter=as_method)
    in_kind_description: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    valuation_basis: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    original_currency: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    original_amount: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    exchange_rate: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )

    kind = EntryKind.DONATION

    def __attrs_post_init__(self) -> None:
        if self.method is Method.IN_KIND and not (
            self.in_kind_description and self.valuation_basis
        ):
            raise errors.InvalidInput(
                says("donation.in_kind"),
                field="valuation_basis"
                if self.in_kind_description
                else "in_kind_description",
            )
        if self.donor_kind is DonorKind.ANONYMOUS and self.donor:
            raise errors.InvalidInput(says("donation.anonymous_named"), field="donor")
        foreign = (self.original_currency, self.original_amount, self.exchange_rate)
        if any(foreign) and not all(foreign):
            missing = ("original_currency", "original_amount", "exchange_rate")
            raise errors.InvalidInput(
                says("donation.foreign_incomplete"),
                field=next(
                    name for name, v in zip(missing, foreign, strict=True) if not v
                ),
            )

    @property
    def counterparty(self) -> str | None:
        return self.donor

    def own_fields(self) -> dict[str, object]:
        return {
            "donor_kind": self.donor_kind,
            "method": self.method,
            "in_kind_description": self.in_kind_description,
            "valuation_basis": self.valuation_basis,
            "original_currency": self.original_currency,
            "original_amount": self.original_amount,
            "exchange_rate": self.exchange_rate,
        }


PAYS_SOMEONE = frozenset({Category.SCHOLARSHIP, Category.AWARD, Category.SUPPORT})
"""Categories paid to students, teachers or schools; the others (ceremonies,
printing, operating, other) may pay nobody in particular."""


def _recipients(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    check_whole(value, attribute.name, maximum=MAX_RECIPIENTS)


@attrs.frozen
class Disburse(CampaignEntry):
    """Pay scholarships, awards or other costs (phiếu chi)."""

    category: Category = attrs.field(kw_only=True, converter=as_category)
    recipients: int = attrs.field(default=1, kw_only=True, validator=_recipients)
    """How many students, teachers or schools are paid."""
    recipient: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    """Who was paid: personal data, never public."""

    kind = EntryKind.DISBURSEMENT

    def __attrs_post_init__(self) -> None:
        if self.recipients == 0 and self.category in PAYS_SOMEONE:
            raise errors.InvalidInput(
                says("disbursement.no_recipient"),
                field="recipients",
            )

    @property
    def counterparty(self) -> str | None:
        return self.recipient

    def own_fields(self) -> dict[str, object]:
        return {"category": self.category, "recipients": self.recipients}


@attrs.frozen
class Transfer(CampaignEntry):
    """Move money from a fund of ``org`` to a fund of another organisation."""

    to_code: OrgCode = attrs.field(kw_only=True, validator=is_code)
    to_fund: FundName = attrs.field(
        default=GENERAL_FUND, kw_only=True, validator=is_code
    )
    to_account: Account = attrs.field(
        default=Account.CASH, kw_only=True, converter=as_to_account
    )
    """The receiver's account; ``cash`` by default."""

    kind = EntryKind.TRANSFER

    def __attrs_post_init__(self) -> None:
        if self.to_code == self.org:
            raise errors.InvalidInput(says("transfer.same_org"), field="to_code")

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org, self.to_code)

    @property
    def counterparty(self) -> str | None:
        return self.to_code

    def own_fields(self) -> dict[str, object]:
        to_account = None if self.to_account is Account.CASH else self.to_account
        return {"to_fund": self.to_fund, "to_account": to_account}


@attrs.frozen
class RecordIncome(CampaignEntry):
    """A receipt that is not a gift (phiếu thu): bank interest, members' dues,
    a member unit's contribution, other income. Never counted as raised."""

    income_kind: IncomeKind = attrs.field(kw_only=True, converter=as_income_kind)
    payer: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )
    """Who paid (the bank, a member unit …)."""

    kind = EntryKind.INCOME

    @property
    def counterparty(self) -> str | None:
        return self.payer

    def own_fields(self) -> dict[str, object]:
        return {"income_kind": self.income_kind}


@attrs.frozen
class Deposit(EntryCommand):
    """Cash paid into the bank account, within one fund (giấy nộp tiền)."""

    account: Account = attrs.field(default=Account.CASH, init=False)

    kind = EntryKind.DEPOSIT

    @property
    def to_account(self) -> Account:
        return Account.BANK


@attrs.frozen
class Withdraw(EntryCommand):
    """Cash drawn from the bank account, within one fund (séc rút tiền)."""

    account: Account = attrs.field(default=Account.BANK, init=False)

    kind = EntryKind.WITHDRAWAL

    @property
    def to_account(self) -> Account:
        return Account.CASH


@attrs.frozen
class ReverseEntry(Command[EntryId]):
    """Undo an entry by a compensating one, at most once.

    A transfer can be reversed from either side, by the sender's voucher
    number or by the receiver's ``<sender>:<number>``; both sides are
    reversed in one save.
    """

    org: OrgCode = attrs.field(validator=is_code)
    voucher_no: VoucherNo = attrs.field(converter=stripped, validator=is_required_text)
    reason: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )
    business_date: date | None = attrs.field(
        default=None, kw_only=True, validator=is_date_or_none
    )
    """The reversal's date; today by default."""

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)
