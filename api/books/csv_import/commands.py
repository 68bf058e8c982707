"""Each import row as the ``Ledger`` command a treasurer would have sent.

The generator (``bench.seed.record_entry``) records its entries through
this same mapping, so that importing its CSV records exactly what recording
it through the ``Ledger`` does (the same events, the same voucher
fingerprints; tested):

- a donation's ``category`` is its method; an in-kind gift's description is
  its ``note``, valued ``IN_KIND_VALUATION`` unless ``valuation_basis`` says
  otherwise;
- the donor kind, which the CSV of design §5 does not carry, is read from the
  donor's name (``donor_kind``) unless the ``donor_kind`` column gives it;
- a disbursement without ``recipients`` pays one; a transfer goes to the
  ``general`` fund of the organisation named in ``counterparty`` unless
  ``to_fund`` says otherwise.

A broken rule is the ``Ledger``'s own error; ``column_of`` says which cell of
the row it is about.
"""

from __future__ import annotations

from api.books.csv_import.rows import (
    CampaignRow,
    EntryRow,
    MembershipRow,
    OrganisationRow,
    Row,
)
from ledger import Ledger, errors

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


def record(ledger: Ledger, row: Row, recorded_by: str) -> None:
    """Send the row's command; raises the ``Ledger``'s error if a rule is broken."""
    if isinstance(row, OrganisationRow):
        ledger.register_organisation(
            row.code,
            name=row.name,
            level=row.level,
            parent_code=row.parent_code,
            registered_on=row.registered_on,
            recorded_by=recorded_by,
        )
    elif isinstance(row, MembershipRow):
        ledger.report_membership(
            row.org_code,
            year=row.year,
            members=row.members,
            population=row.population,
            recorded_by=recorded_by,
        )
    elif isinstance(row, CampaignRow):
        ledger.launch_campaign(
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
    else:
        _record_entry(ledger, row, recorded_by)


def _record_entry(ledger: Ledger, row: EntryRow, recorded_by: str) -> None:
    if row.kind == "donation":
        in_kind = row.category == "in_kind"
        details = row.details
        ledger.receive_donation(
            row.org_code,
            campaign=row.campaign_code,
            donor=row.counterparty,
            donor_kind=details.get("donor_kind") or donor_kind(row.counterparty),
            method=row.category or "",
            in_kind_description=row.note if in_kind else None,
            valuation_basis=details.get("valuation_basis")
            or (IN_KIND_VALUATION if in_kind else None),
            original_currency=details.get("original_currency"),
            original_amount=details.get("original_amount"),
            exchange_rate=details.get("exchange_rate"),
            note=None if in_kind else row.note,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            recorded_by=recorded_by,
        )
    elif row.kind == "disbursement":
        ledger.disburse(
            row.org_code,
            campaign=row.campaign_code,
            category=row.category or "",
            recipients=row.recipients if row.recipients is not None else 1,
            recipient=row.counterparty,
            note=row.note,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            recorded_by=recorded_by,
        )
    elif row.kind == "transfer":
        ledger.transfer(
            row.org_code,
            to_code=row.counterparty or "",
            to_fund=row.to_fund,
            campaign=row.campaign_code,
            note=row.note,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            recorded_by=recorded_by,
        )
    else:
        if row.campaign_code is not None or row.counterparty is not None:
            raise errors.InvalidInput(
                "an opening balance names neither a campaign nor a counterparty"
            )
        ledger.record_opening_balance(
            row.org_code,
            voucher_no=row.voucher_no,
            amount=row.amount_vnd,
            business_date=row.date,
            fund=row.fund,
            note=row.note,
            recorded_by=recorded_by,
        )


_COLUMNS: dict[str, dict[str, str]] = {
    "organisations": {
        "unknown_organisation": "parent_code",
        "organisation_closed": "parent_code",
        "invalid_hierarchy": "level",
        "invalid_date": "registered_on",
        "duplicate_organisation": "code",
    },
    "membership": {
        "invalid_date": "year",
        "invalid_input": "members",
    },
    "campaigns": {
        "unknown_organisation": "organiser_code",
        "organisation_closed": "organiser_code",
        "invalid_date": "ends_on",
        "duplicate_campaign": "code",
        "invalid_input": "edition",
    },
    "entries": {
        "unknown_campaign": "campaign_code",
        "campaign_closed": "campaign_code",
        "outside_campaign": "date",
        "invalid_date": "date",
        "invalid_amount": "amount_vnd",
        "insufficient_funds": "amount_vnd",
        "unknown_fund": "fund",
        "restricted_fund": "fund",
        "duplicate_voucher": "voucher_no",
        "opening_balance_exists": "fund",
    },
}
_ENTRY_INPUT = (
    ("in-kind", "note"),
    ("anonymous", "counterparty"),
    ("recipient", "recipients"),
    ("two different", "counterparty"),
    ("foreign-currency", "original_currency"),
    ("opening balance", "campaign_code"),
)


def column_of(kind: str, row: Row, error: errors.LedgerError) -> str:
    """The cell of ``row`` (of an import file of ``kind``) a broken rule is about."""
    key = "org_code" if kind in ("membership", "entries") else "code"
    if isinstance(row, EntryRow):
        named = error.details.get("org", error.details.get("fund"))
        if error.code in ("unknown_organisation", "organisation_closed"):
            other = named == row.counterparty and named != row.org_code
            return "counterparty" if other else key
        if error.code == "unknown_fund":
            return "to_fund" if named == row.to_fund != row.fund else "fund"
        if error.code == "invalid_input":
            words = _ENTRY_INPUT
            return next((col for word, col in words if word in error.message), key)
    return _COLUMNS[kind].get(error.code, key)
