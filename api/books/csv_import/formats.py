"""The import files of design §5, each known by its header.

- organisations: ``code, name, level, parent_code, registered_on``
- membership: ``org_code, year, members, population``
- learning models: ``org_code, year, model, eligible, registered, recognised``
- campaigns: ``code, name, kind, edition, organiser_code, starts_on, ends_on``
- entries: ``org_code, voucher_no, kind, date, amount_vnd, fund,
  campaign_code, counterparty, category, recipients, note``

Columns may come in any order. Some files may carry more, optional columns:
campaigns ``target_vnd``; entries ``to_fund`` and the donation details the
CSV export writes (``donor_kind``, ``valuation_basis``, ``original_currency``,
``original_amount``, ``exchange_rate``), so that an export imports back as the
very same entries. The export's audit columns (``position``, ``entry_id``,
``recorded_at``, ``recorded_by``, ``reversed_by``) are read by people, not by
the importer. Any other column is an error: a misspelt column would be lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ENTRY_COLUMNS = (
    "org_code",
    "voucher_no",
    "kind",
    "date",
    "amount_vnd",
    "fund",
    "campaign_code",
    "counterparty",
    "category",
    "recipients",
    "note",
)
DONATION_DETAILS = (
    "donor_kind",
    "valuation_basis",
    "original_currency",
    "original_amount",
    "exchange_rate",
)
ACCOUNT_COLUMNS = ("account", "to_account")
"""Optional (issue 15): the entry's account, ``cash`` (empty) or ``bank``;
a transfer's ``to_account`` at the receiver."""
AUDIT_COLUMNS = ("position", "entry_id", "recorded_at", "recorded_by", "reversed_by")


@dataclass(frozen=True, slots=True)
class Format:
    kind: str
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    def accepts(self, header: Sequence[str]) -> bool:
        names = set(header)
        known = {*self.columns, *self.optional, *self.ignored}
        return set(self.columns) <= names <= known


ORGANISATIONS = Format(
    "organisations", ("code", "name", "level", "parent_code", "registered_on")
)
MEMBERSHIP = Format("membership", ("org_code", "year", "members", "population"))
LEARNING_MODELS = Format(
    "learning_models",
    ("org_code", "year", "model", "eligible", "registered", "recognised"),
)
CAMPAIGNS = Format(
    "campaigns",
    ("code", "name", "kind", "edition", "organiser_code", "starts_on", "ends_on"),
    optional=("target_vnd",),
)
ENTRIES = Format(
    "entries",
    ENTRY_COLUMNS,
    optional=("to_fund", *DONATION_DETAILS, *ACCOUNT_COLUMNS),
    ignored=AUDIT_COLUMNS,
)
FORMATS = (ORGANISATIONS, MEMBERSHIP, LEARNING_MODELS, CAMPAIGNS, ENTRIES)
"""In import order: each may refer to what the ones before it create."""


def detect(header: Sequence[str]) -> Format | None:
    return next((f for f in FORMATS if f.accepts(header)), None)
