"""The rows of the import files, typed, and how a row's cells become one.

Reading a row reads every cell by its column's rules (``values``) and names
every bad cell at once (``RowInvalid``), so that a treasurer fixes a row in
one go. What a cell must hold can depend on the row's kind: a donation's
``category`` is how it arrived (cash, bank, in_kind), a disbursement's what
it paid for; ``recipients`` are counted for disbursements only; a transfer
names the receiving organisation in ``counterparty``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from api.books.csv_import import values as v
from api.books.csv_import.formats import (
    CAMPAIGNS,
    DONATION_DETAILS,
    LEARNING_MODELS,
    MEMBERSHIP,
    ORGANISATIONS,
    Format,
)
from ledger.types import (
    Account,
    CampaignKind,
    Category,
    DonorKind,
    IncomeKind,
    Level,
    Method,
)
from ledger.wording import Saying, says

T = TypeVar("T")

LEVELS = tuple(level.value for level in Level)
CAMPAIGN_KINDS = tuple(kind.value for kind in CampaignKind)
DONOR_KINDS = tuple(kind.value for kind in DonorKind)
METHODS = tuple(method.value for method in Method)
CATEGORIES = tuple(category.value for category in Category)
ACCOUNTS = tuple(account.value for account in Account)
INCOME_KINDS = tuple(kind.value for kind in IncomeKind)
ENTRY_KINDS = (
    "donation",
    "disbursement",
    "transfer",
    "opening_balance",
    "income",
    "deposit",
    "withdrawal",
)
EXPORT_ONLY_KINDS = ("reversal", "merge")
"""Kinds the export writes for the record, which cannot be imported."""


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    code: str
    name: str
    level: str
    parent_code: str | None
    registered_on: date


@dataclass(frozen=True, slots=True)
class MembershipRow:
    org_code: str
    year: int
    members: int
    population: int | None


@dataclass(frozen=True, slots=True)
class LearningModelRow:
    org_code: str
    year: int
    model: str
    """As given: the command names an unknown model."""
    eligible: int
    registered: int
    recognised: int


@dataclass(frozen=True, slots=True)
class CampaignRow:
    code: str
    name: str
    kind: str
    edition: int | None
    organiser_code: str
    starts_on: date
    ends_on: date
    target_vnd: int | None


@dataclass(frozen=True, slots=True)
class EntryRow:
    org_code: str
    voucher_no: str
    kind: str
    date: date
    amount_vnd: int
    fund: str
    campaign_code: str | None
    counterparty: str | None
    category: str | None
    recipients: int | None
    note: str | None
    to_fund: str
    details: Mapping[str, str | None]
    """The optional donation columns, as given (empty: None)."""
    account: str = "cash"
    """Where the money is (an empty or missing ``account`` cell: cash)."""
    to_account: str = "cash"


Row = OrganisationRow | MembershipRow | LearningModelRow | CampaignRow | EntryRow


class RowInvalid(Exception):
    def __init__(self, cell_errors: list[v.CellError]) -> None:
        super().__init__("; ".join(e.message for e in cell_errors))
        self.cell_errors = cell_errors


class Cells:
    """A row's cells by column; reading one records its error and goes on,
    so that every bad cell of a row is reported at once."""

    def __init__(self, cells: Mapping[str, str]) -> None:
        self.cells = cells
        self.errors: list[v.CellError] = []

    def read(self, column: str, parse: Callable[..., T], *args: Any) -> T:
        try:
            return parse(self.cells.get(column, ""), *args)
        except v.CellError as error:
            error.column = error.column or column
            self.errors.append(error)
            return cast(T, None)

    def fail(self, column: str, said: Saying) -> None:
        self.errors.append(v.CellError(said, column))

    def done(self, row: T) -> T:
        if self.errors:
            raise RowInvalid(self.errors)
        return row


def parse(fmt: Format, cells: Mapping[str, str]) -> Row:
    """The typed row, or ``RowInvalid`` naming every bad cell."""
    c = Cells(cells)
    if fmt is ORGANISATIONS:
        return c.done(
            OrganisationRow(
                code=c.read("code", v.code, "organisation"),
                name=c.read("name", v.required, "name"),
                level=c.read("level", v.choice, LEVELS, "level"),
                parent_code=c.read("parent_code", v.optional_code, "parent"),
                registered_on=c.read("registered_on", v.day),
            )
        )
    if fmt is MEMBERSHIP:
        return c.done(
            MembershipRow(
                org_code=c.read("org_code", v.code, "organisation"),
                year=c.read("year", v.whole, "the year"),
                members=c.read("members", v.whole, "members"),
                population=c.read("population", v.optional_whole, "population"),
            )
        )
    if fmt is LEARNING_MODELS:
        return c.done(
            LearningModelRow(
                org_code=c.read("org_code", v.code, "organisation"),
                year=c.read("year", v.whole, "the year"),
                model=c.read("model", v.required, "model"),
                eligible=c.read("eligible", v.whole, "eligible"),
                registered=c.read("registered", v.whole, "registered"),
                recognised=c.read("recognised", v.whole, "recognised"),
            )
        )
    if fmt is CAMPAIGNS:
        return c.done(
            CampaignRow(
                code=c.read("code", v.code, "campaign"),
                name=c.read("name", v.required, "name"),
                kind=c.read("kind", v.choice, CAMPAIGN_KINDS, "kind"),
                edition=c.read("edition", v.optional_whole, "the edition"),
                organiser_code=c.read("organiser_code", v.code, "organiser"),
                starts_on=c.read("starts_on", v.day),
                ends_on=c.read("ends_on", v.day),
                target_vnd=c.read("target_vnd", v.optional_whole, "the target"),
            )
        )
    return _entry(c)


def _entry(c: Cells) -> EntryRow:
    kind = c.cells.get("kind", "").strip()
    if kind in EXPORT_ONLY_KINDS:
        c.fail("kind", says("csv.export_only", kind=kind))
        raise RowInvalid(c.errors)
    c.read("kind", v.choice, ENTRY_KINDS, "kind")
    category = _category(c, kind)
    recipients = c.read("recipients", v.optional_whole, "recipients")
    if recipients is not None and kind != "disbursement":
        c.fail("recipients", says("csv.recipients_elsewhere"))
    counterparty_parse = v.optional
    if kind == "transfer":
        counterparty_parse = v.code
        if not c.cells.get("counterparty", "").strip():
            c.fail("counterparty", says("csv.transfer_needs_receiver"))
    else:
        for column in ("to_fund", "to_account"):
            if c.cells.get(column, "").strip():
                c.fail(column, says("csv.transfer_only", column=column))
    details = {
        name: c.read(name, v.optional, name)
        for name in DONATION_DETAILS
        if c.cells.get(name, "").strip()
    }
    if kind != "donation" and details:
        c.fail(next(iter(details)), says("csv.donation_only"))
    if details.get("donor_kind") is not None:
        c.read("donor_kind", v.choice, DONOR_KINDS, "donor_kind")
    return c.done(
        EntryRow(
            org_code=c.read("org_code", v.code, "organisation"),
            voucher_no=c.read("voucher_no", v.voucher),
            kind=kind,
            date=c.read("date", v.day),
            amount_vnd=c.read("amount_vnd", v.whole, "amount_vnd"),
            fund=c.read("fund", v.optional_code, "fund") or "general",
            campaign_code=c.read("campaign_code", v.optional_code, "campaign"),
            counterparty=c.read("counterparty", counterparty_parse, "counterparty"),
            category=category,
            recipients=recipients,
            note=c.read("note", v.optional, "note"),
            to_fund=c.read("to_fund", v.optional_code, "to_fund") or "general",
            details=details,
            account=_account(c, kind, "account"),
            to_account=_account(c, kind, "to_account"),
        )
    )


def _account(c: Cells, kind: str, column: str) -> str:
    """An account cell: empty is cash; a deposit's and a withdrawal's are
    fixed by their kind and left empty."""
    given = c.cells.get(column, "").strip()
    if kind in ("deposit", "withdrawal") and given:
        c.fail(column, says("csv.no_account_here", kind=kind, column=column))
        return "cash"
    if not given:
        return "cash"
    found: str | None = c.read(column, v.choice, ACCOUNTS, column)
    return found or "cash"


def _category(c: Cells, kind: str) -> str | None:
    if kind == "donation":
        return c.read("category", v.choice, METHODS, "a donation's category")
    if kind == "disbursement":
        return c.read("category", v.choice, CATEGORIES, "a disbursement's category")
    if kind == "income":
        return c.read("category", v.choice, INCOME_KINDS, "an income's kind")
    if kind in ENTRY_KINDS and c.cells.get("category", "").strip():
        c.fail("category", says("csv.no_category", kind=kind))
    return None
