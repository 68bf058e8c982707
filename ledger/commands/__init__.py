"""Commands as values: what a caller asks the ledger to do, typed and checked.

Every door — the HTTP API, the web forms, a CSV row, the generator, the
Python API — turns its input into one of these in one place; the ledger runs
it (``Ledger.execute``, or a batch's) with the handler registered for its type
(``ledger.handlers``). A command's field names are the one vocabulary from the
door to the event, and every ``LedgerError`` names the field it is about.
"""

from ledger.commands.approvals import (
    ApprovePayment,
    RejectPayment,
    SetApprovalThreshold,
)
from ledger.commands.base import SYSTEM, Command
from ledger.commands.campaigns import CloseCampaign, LaunchCampaign
from ledger.commands.endowments import OpenEndowment
from ledger.commands.entries import (
    Deposit,
    Disburse,
    EntryCommand,
    RecordDonation,
    RecordIncome,
    RecordOpeningBalance,
    ReverseEntry,
    Transfer,
    Withdraw,
)
from ledger.commands.learning import (
    PublishHonourRoll,
    RecordRecognition,
    ReportLearningModel,
    SetLearningTarget,
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
from ledger.commands.periods import CloseYear, ReopenYear

__all__ = [
    "SYSTEM",
    "ApprovePayment",
    "ChangeLevel",
    "CloseCampaign",
    "CloseYear",
    "Command",
    "Deposit",
    "Disburse",
    "Dissolve",
    "EntryCommand",
    "LaunchCampaign",
    "Merge",
    "Move",
    "OpenEndowment",
    "OpenFund",
    "PublishHonourRoll",
    "RecordDonation",
    "RecordIncome",
    "RecordOpeningBalance",
    "RecordRecognition",
    "RegisterOrganisation",
    "RejectPayment",
    "Rename",
    "ReopenYear",
    "ReportLearningModel",
    "ReportMembership",
    "ReverseEntry",
    "SetApprovalThreshold",
    "SetLearningTarget",
    "Split",
    "Transfer",
    "Withdraw",
]
