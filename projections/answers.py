"""What the queries answer: immutable records of plain values (codes, ints, dates).

These are the read side's own types — neither events nor table rows nor HTTP
schemas. Amounts are integer đồng; ``member_ratio`` is a fraction (0.232).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID


@dataclass(frozen=True, slots=True)
class FundBalance:
    fund: str
    balance: int
    total_in: int
    total_out: int
    name: str = ""
    """The name the fund was opened with ('' for the general fund, whose
    name is the reader's language's)."""


@dataclass(frozen=True, slots=True)
class Balance:
    organisation: str
    subtree: bool
    as_of: date | None
    """Counting entries dated up to this business date (None: all)."""
    known_at: datetime | None
    """Counting what had been recorded by this moment (None: everything)."""
    funds: tuple[FundBalance, ...]

    @property
    def balance(self) -> int:
        return sum(fund.balance for fund in self.funds)


@dataclass(frozen=True, slots=True)
class YearSummary:
    organisation: str
    year: int
    subtree: bool
    raised_vnd: int
    disbursed_vnd: int
    scholarships_vnd: int
    awards_vnd: int
    other_disbursed_vnd: int
    recipients: int
    transfers_in_vnd: int
    transfers_out_vnd: int
    members: int
    population: int | None
    """The territory's population: its own report, or its children's sum."""
    per_capita_vnd: int | None
    """Raised ÷ population, rounded to the đồng (None without a population)."""
    member_ratio: float | None
    """Members ÷ population, as a fraction (None without a population)."""
    raised_by_level: Mapping[str, int]
    """Raised, split by the level of the organisation that recorded the gift."""
    other_income_vnd: int = 0
    """Receipts that are not gifts (interest, dues …): never in ``raised``."""
    income_by_kind: Mapping[str, int] = field(default_factory=dict)
    """Other income by its kind (``interest``, ``dues``, ``unit_contribution``,
    ``other_income``)."""


def per_capita(raised: int, population: int | None) -> int | None:
    if not population:
        return None
    quotient = Decimal(raised) / Decimal(population)
    return int(quotient.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio(members: int, population: int | None) -> float | None:
    if not population:
        return None
    return round(members / population, 6)


@dataclass(frozen=True, slots=True)
class CampaignTotals:
    campaign: str
    organisation: str | None
    """None: the whole campaign, every organisation."""
    subtree: bool
    raised_vnd: int
    disbursed_vnd: int
    recipients: int
    entries: int


@dataclass(frozen=True, slots=True)
class JournalEntry:
    position: int
    line_no: int
    organisation: str
    kind: str
    entry_id: UUID | None
    voucher_no: str | None
    fund: str
    amount_vnd: int
    balance_change_vnd: int
    business_date: date
    recorded_at: datetime
    """UTC."""
    recorded_by: str
    campaign: str | None
    counterparty: str | None
    counterpart: str | None
    """The other organisation of a transfer or merge."""
    category: str | None
    recipients: int
    details: Mapping[str, str | None]
    note: str | None
    reversed_entry_id: UUID | None
    reason: str | None
    reversed_by: UUID | None


@dataclass(frozen=True, slots=True)
class JournalPage:
    entries: tuple[JournalEntry, ...]
    next_cursor: str | None
    """Pass it back for the next page; None on the last page."""


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    code: str
    name: str
    level: str
    parent: str | None
    registered_on: date
    status: str
    closed_on: date | None
    merged_into: str | None
    children: int
    """Active organisations directly under it today."""


@dataclass(frozen=True, slots=True)
class Period:
    """From ``valid_from`` until ``valid_to`` (None: still), under ``parent``."""

    parent: str | None
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    code: str
    name: str
    kind: str
    edition: int | None
    organiser: str
    starts_on: date
    ends_on: date
    target_vnd: int | None
    closed_on: date | None
