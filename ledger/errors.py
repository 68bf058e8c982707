"""Domain errors: each has a stable machine-readable ``code``.

The HTTP layer maps codes to statuses and problem types; the command line
prints the message. A raised ``LedgerError`` means nothing was recorded.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from ledger.wording import Language, Saying, says


class CodedError(Exception):
    """An error raised on purpose, anywhere in the project: a stable ``code``
    for programs, a message for people, details to act on, and the ``field``
    of the command (or query) it is about, when it is about one.

    ``field`` is set where the error is raised, in the command's own
    vocabulary (``amount``, ``voucher_no``, ``to_code`` …); every door places
    the error by it (an HTTP problem's field, a form's input, an import's
    column), never by reading the message.

    The message is a ``Saying`` (``ledger.wording``) that ``text(lang)`` says
    in Vietnamese (the default) or English; ``message`` is its English, for
    programs and logs. A plain ``str`` is said as it is, in both.
    """

    code: ClassVar[str] = "error"

    def __init__(
        self, message: str | Saying, *, field: str | None = None, **details: object
    ) -> None:
        saying = message if isinstance(message, Saying) else None
        english = message.text("en") if isinstance(message, Saying) else message
        super().__init__(english)
        self.message = english
        self.saying = saying
        self.field = field
        self.details: dict[str, object] = details

    def text(self, lang: Language = "vi") -> str:
        """What a person reads, in ``lang``."""
        return self.message if self.saying is None else self.saying.text(lang)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class LedgerError(CodedError):
    """Base class of every error the write model raises on purpose."""

    code = "ledger_error"


class InvalidInput(LedgerError):
    """A value is malformed or out of range (an amount, a code, a count)."""

    code = "invalid_input"


class InvalidAmount(InvalidInput):
    code = "invalid_amount"


class InvalidDate(InvalidInput):
    """A date is in the future, before the organisation existed, or out of order."""

    code = "invalid_date"


class UnbalancedSplit(InvalidAmount):
    """A split's parts of a fund do not add up to the fund's balance."""

    code = "unbalanced_split"


class InsufficientFunds(LedgerError):
    """The money is not there: now, or (``on``) on a date at or after the
    entry's, in the fund's ``account`` (cash or bank)."""

    code = "insufficient_funds"

    def __init__(
        self,
        *,
        org: str,
        fund: str,
        balance: int,
        amount: int,
        fund_name: str | None = None,
        field: str | None = "amount",
        account: str | None = None,
        on: date | None = None,
    ) -> None:
        details: dict[str, object] = {}
        if account is not None:
            details["account"] = account
        if on is not None:
            details["on"] = on.isoformat()
        super().__init__(
            says(
                "fund.insufficient_on" if on is not None else "fund.insufficient",
                org=org,
                fund=fund,
                fund_name=fund_name or f"Quỹ {fund}",
                balance=balance,
                amount=amount,
                on=on,
                account=account or "cash",
            ),
            field=field,
            org=org,
            fund=fund,
            balance=balance,
            amount=amount,
            **details,
        )
        self.balance = balance
        self.amount = amount
        self.on = on


class DuplicateVoucher(LedgerError):
    """The voucher number is taken by an entry with other content."""

    code = "duplicate_voucher"


class DuplicateOrganisation(LedgerError):
    """The code is taken by an organisation registered with other details."""

    code = "duplicate_organisation"


class DuplicateCampaign(LedgerError):
    code = "duplicate_campaign"


class DuplicateFund(LedgerError):
    code = "duplicate_fund"


class UnknownOrganisation(LedgerError):
    code = "unknown_organisation"


class UnknownCampaign(LedgerError):
    code = "unknown_campaign"


class UnknownFund(LedgerError):
    code = "unknown_fund"


class UnknownEntry(LedgerError):
    code = "unknown_entry"


class OrganisationClosed(LedgerError):
    """The organisation was merged or dissolved; it takes no more entries."""

    code = "organisation_closed"


class CampaignClosed(LedgerError):
    code = "campaign_closed"


class OutsideCampaign(LedgerError):
    """An entry names a campaign but is dated outside the campaign's dates."""

    code = "outside_campaign"


class AlreadyReversed(LedgerError):
    code = "already_reversed"


class OpeningBalanceExists(LedgerError):
    code = "opening_balance_exists"


class RestrictedFund(LedgerError):
    """Money in a restricted fund may only move to another restricted fund."""

    code = "restricted_fund"


class InvalidHierarchy(LedgerError):
    """A parent must rank above its child; the tree has no cycles."""

    code = "invalid_hierarchy"


class HasChildren(LedgerError):
    """An organisation with active children cannot be merged or dissolved."""

    code = "has_children"


class HasBalance(LedgerError):
    """An organisation that still holds money cannot be dissolved."""

    code = "has_balance"


class EndowmentPrincipal(LedgerError):
    """A payment or transfer would touch an endowment's principal: only its
    income may be spent."""

    code = "endowment_principal"


class PeriodClosed(LedgerError):
    """The entry's date falls in a closed year; corrections go into the open
    year (or the year is reopened, with a reason)."""

    code = "period_closed"


class NotPending(LedgerError):
    """The payment is not waiting for approval (approved, rejected, or never
    above the organisation's threshold)."""

    code = "not_pending"


class SelfApproval(LedgerError):
    """Whoever recorded a payment may not approve or reject it."""

    code = "self_approval"


class ConcurrentUpdate(LedgerError):
    """Other writers kept changing the same aggregates; retries ran out."""

    code = "concurrent_update"
