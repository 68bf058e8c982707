"""Each import row as the ``Ledger`` command a treasurer would have sent, and
the cell each command field came from.

``command_of(row, recorded_by)`` is the importer's one conversion; the
generator (``bench.seed``) records its rows through it too, so that importing
its CSV records exactly what recording it through the ``Ledger`` does (the
same events, the same voucher fingerprints; tested). Where a column and a
command field differ:

- a donation's ``category`` is its ``method``; an in-kind gift's description
  is its ``note``, valued ``IN_KIND_VALUATION`` unless ``valuation_basis``
  says otherwise; ``counterparty`` is the donor, a disbursement's recipient,
  a transfer's receiving organisation (``to_code``);
- the donor kind, which the CSV of design §5 does not carry, is read from the
  donor's name (``donor_kind``) unless the ``donor_kind`` column gives it;
- a disbursement without ``recipients`` pays one; a transfer goes to the
  ``general`` fund of the organisation named in ``counterparty`` unless
  ``to_fund`` says otherwise.

``column_of`` places a ``LedgerError`` by the command field it names, through
the same correspondence (``COLUMNS``); an error naming no field is about the
row's organisation (or code).
"""

from __future__ import annotations

from api.books.csv_import.rows import (
    CampaignRow,
    EntryRow,
    LearningModelRow,
    MembershipRow,
    OrganisationRow,
    Row,
)
from ledger import errors
from ledger.commands import (
    Command,
    Deposit,
    Disburse,
    EntryCommand,
    LaunchCampaign,
    RecordDonation,
    RecordIncome,
    RecordOpeningBalance,
    RegisterOrganisation,
    ReportLearningModel,
    ReportMembership,
    Transfer,
    Withdraw,
)
from ledger.types import Method
from ledger.wording import says

IN_KIND_VALUATION = "Theo giá hóa đơn mua hàng"
BUSINESS_PREFIXES = ("Công ty", "Doanh nghiệp", "Ngân hàng")
ORGANISATION_PREFIXES = ("Hội", "Dòng họ", "Câu lạc bộ", "Quỹ", "Ban")


def donor_kind(counterparty: str | None) -> str:
    """No donor: anonymous; a company's or bank's name: business; an
    association's, clan's, club's, fund's or committee's: organisation;
    anyone else: individual."""
    if counterparty is None:
        return "anonymous"
    if counterparty.startswith(BUSINESS_PREFIXES):
        return "business"
    if counterparty.startswith(ORGANISATION_PREFIXES):
        return "organisation"
    return "individual"


def command_of(row: Row, recorded_by: str) -> Command[object]:
    """The row's command; raises the ``Ledger``'s error if a value is refused."""
    if isinstance(row, OrganisationRow):
        return RegisterOrganisation(
            row.code,
            name=row.name,
            level=row.level,
            parent_code=row.parent_code,
            registered_on=row.registered_on,
            recorded_by=recorded_by,
        )
    if isinstance(row, MembershipRow):
        return ReportMembership(
            row.org_code,
            year=row.year,
            members=row.members,
            population=row.population,
            recorded_by=recorded_by,
        )
    if isinstance(row, LearningModelRow):
        return ReportLearningModel(
            row.org_code,
            year=row.year,
            model=row.model,
            eligible=row.eligible,
            registered=row.registered,
            recognised=row.recognised,
            recorded_by=recorded_by,
        )
    if isinstance(row, CampaignRow):
        return LaunchCampaign(
            row.code,
            name=row.name,
            kind=row.kind,
            edition=row.edition,
            organiser_code=row.organiser_code,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            target_vnd=row.target_vnd,
            recorded_by=recorded_by,
        )
    return entry_command(row, recorded_by)


def entry_command(row: EntryRow, recorded_by: str) -> EntryCommand:
    if row.kind == "donation":
        in_kind = row.category == Method.IN_KIND.value
        details = row.details
        return RecordDonation(
            row.org_code,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            campaign=row.campaign_code,
            note=None if in_kind else row.note,
            donor=row.counterparty,
            donor_kind=details.get("donor_kind") or donor_kind(row.counterparty),
            method=row.category or "",
            in_kind_description=row.note if in_kind else None,
            valuation_basis=details.get("valuation_basis")
            or (IN_KIND_VALUATION if in_kind else None),
            original_currency=details.get("original_currency"),
            original_amount=details.get("original_amount"),
            exchange_rate=details.get("exchange_rate"),
            account=row.account,
            recorded_by=recorded_by,
        )
    if row.kind == "disbursement":
        return Disburse(
            row.org_code,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            campaign=row.campaign_code,
            note=row.note,
            category=row.category or "",
            recipients=row.recipients if row.recipients is not None else 1,
            recipient=row.counterparty,
            account=row.account,
            recorded_by=recorded_by,
        )
    if row.kind == "transfer":
        return Transfer(
            row.org_code,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            campaign=row.campaign_code,
            note=row.note,
            to_code=row.counterparty or "",
            to_fund=row.to_fund,
            account=row.account,
            to_account=row.to_account,
            recorded_by=recorded_by,
        )
    other = _account_entry(row, recorded_by)
    if other is not None:
        return other
    if row.campaign_code is not None:
        raise errors.InvalidInput(
            says("csv.names_no", kind="opening_balance", what="campaign"),
            field="campaign",
        )
    if row.counterparty is not None:
        raise errors.InvalidInput(
            says("csv.names_no", kind="opening_balance", what="counterparty"),
            field="counterparty",
        )
    return RecordOpeningBalance(
        row.org_code,
        voucher_no=row.voucher_no,
        amount=row.amount_vnd,
        business_date=row.date,
        fund=row.fund,
        note=row.note,
        account=row.account,
        recorded_by=recorded_by,
    )


def _account_entry(row: EntryRow, recorded_by: str) -> EntryCommand | None:
    """An income (its kind in ``category``, its payer in ``counterparty``), a
    deposit or a withdrawal (issue 15); None for the other kinds."""
    if row.kind == "income":
        return RecordIncome(
            row.org_code,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            campaign=row.campaign_code,
            note=row.note,
            income_kind=row.category or "",
            payer=row.counterparty,
            account=row.account,
            recorded_by=recorded_by,
        )
    if row.kind in ("deposit", "withdrawal"):
        if row.campaign_code is not None or row.counterparty is not None:
            what = "campaign" if row.campaign_code is not None else "counterparty"
            raise errors.InvalidInput(
                says("csv.names_no", kind=row.kind, what=what), field=what
            )
        move = Deposit if row.kind == "deposit" else Withdraw
        return move(
            row.org_code,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            note=row.note,
            recorded_by=recorded_by,
        )
    return None


_ENTRY = {
    "org": "org_code",
    "amount": "amount_vnd",
    "business_date": "date",
    "campaign": "campaign_code",
    "donor": "counterparty",
    "recipient": "counterparty",
    "to_code": "counterparty",
    "method": "category",
    "income_kind": "category",
    "payer": "counterparty",
}
COLUMNS: dict[str, dict[str, str]] = {
    "organisations": {},
    "membership": {"org": "org_code"},
    "learning_models": {"org": "org_code"},
    "campaigns": {},
    "entries": _ENTRY,
    "entries/in_kind": _ENTRY | {"in_kind_description": "note"},
}
"""Per import file, the column of each command field whose name differs
(the others have the field's name)."""


def column_of(kind: str, row: Row, error: errors.LedgerError) -> str:
    """The cell of ``row`` (of an import file of ``kind``) an error is about."""
    key = "org_code" if kind in ("membership", "learning_models", "entries") else "code"
    if error.field is None:
        return key
    columns = COLUMNS[kind]
    if isinstance(row, EntryRow) and row.category == Method.IN_KIND.value:
        columns = COLUMNS["entries/in_kind"]
    return columns.get(error.field, error.field)
