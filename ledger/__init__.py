"""The write model: organisations, campaigns and vouchers, and the ``Ledger``.

Glossary (design §1): an *organisation* keeps *funds* (every one has
``general``); an *entry* is a money event — opening balance, donation,
disbursement, transfer or reversal — identified by its organisation's
*voucher* number; a *campaign* groups entries by date. Data flows one way:
a command on the ``Ledger`` loads aggregates, the domain checks its rules and
triggers events, and one save appends them all to the event log, which the
read models (``projections/``) follow.
"""

from ledger.application import Ledger, OrganisationState
from ledger.errors import LedgerError

__all__ = ["Ledger", "LedgerError", "OrganisationState"]
