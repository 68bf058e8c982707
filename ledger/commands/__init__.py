"""Commands as values: what a caller asks the ledger to do, typed and checked.

Every door — the HTTP API, the web forms, a CSV row, the generator, the
Python API — turns its input into one of these in one place; the ledger runs
it (``Ledger.execute``, or a batch's) with the handler registered for its type
(``ledger.handlers``). A command's field names are the one vocabulary from the
door to the event, and every ``LedgerError`` names the field it is about.
"""

from ledger.commands.base import SYSTEM, Command
from ledger.commands.campaigns import CloseCampaign, LaunchCampaign
from ledger.commands.entries import (
    Disburse,
    EntryCommand,
    RecordDonation,
    RecordOpeningBalance,
    ReverseEntry,
    Transfer,
)
from ledger.commands.organisations import (
    ChangeLevel,
    Dissolve,
    Merge,
    Move,
    OpenFund,
    RegisterOrganisation,
    Rename,
    ReportMembership,
    Split,
)

__all__ = [
    "SYSTEM",
    "ChangeLevel",
    "CloseCampaign",
    "Command",
    "Disburse",
    "Dissolve",
    "EntryCommand",
    "LaunchCampaign",
    "Merge",
    "Move",
    "OpenFund",
    "RecordDonation",
    "RecordOpeningBalance",
    "RegisterOrganisation",
    "Rename",
    "ReportMembership",
    "ReverseEntry",
    "Split",
    "Transfer",
]
