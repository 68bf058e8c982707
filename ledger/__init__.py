"""The write model: organisations, campaigns and vouchers, and the ``Ledger``.

Glossary (docs/design.md): an *organisation* keeps *funds* (every one has
``general``); an *entry* is a money event — opening balance, donation,
disbursement, transfer or reversal — identified by its organisation's
*voucher* number; a *campaign* groups entries by date. A *command* is a
typed value naming what a caller asks (``ledger.commands``); its *handler*
(``ledger.handlers``) runs it on a *unit of work* (``ledger.unit_of_work``,
``ledger.bulk``).

Data flow: a door builds a command → ``Ledger.execute`` (or a batch's) finds
its handler → the handler loads aggregates, the domain checks its rules and
triggers events → one save appends them all to the event log, which the read
models (``projections/``) follow.
"""

from ledger import commands
from ledger.application import Ledger
from ledger.errors import LedgerError
from ledger.unit_of_work import OrganisationState

__all__ = ["Ledger", "LedgerError", "OrganisationState", "commands"]
