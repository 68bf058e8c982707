"""The Python API's command methods: ``ledger.receive_donation("NA-DC", …)``.

Each method builds its command from the arguments — the very parameters of
the command's class, so the signature, the types and the checks are the
command's own — and executes it. A ``Ledger`` executes it directly, a
``Batch`` in its transaction; both list the same methods by inheriting
``CommandMethods``. Adding a command adds one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar, overload

from ledger.commands import (
    ApprovePayment,
    ChangeLevel,
    CloseCampaign,
    CloseYear,
    Command,
    Deposit,
    Disburse,
    Dissolve,
    LaunchCampaign,
    Merge,
    Move,
    OpenEndowment,
    OpenFund,
    PublishHonourRoll,
    RecordDonation,
    RecordIncome,
    RecordOpeningBalance,
    RecordRecognition,
    RegisterOrganisation,
    RejectPayment,
    Rename,
    ReopenYear,
    ReportLearningModel,
    ReportMembership,
    ReverseEntry,
    SetApprovalThreshold,
    SetLearningTarget,
    Split,
    Transfer,
    Withdraw,
)

P = ParamSpec("P")
R = TypeVar("R")


class CommandMethod(Generic[P, R]):
    """A method that builds a command from its arguments and executes it."""

    def __init__(self, command: Callable[P, Command[R]]) -> None:
        self.command = command

    @overload
    def __get__(self, executor: None, owner: type) -> CommandMethod[P, R]: ...

    @overload
    def __get__(self, executor: CommandMethods, owner: type) -> Callable[P, R]: ...

    def __get__(
        self, executor: CommandMethods | None, owner: type
    ) -> CommandMethod[P, R] | Callable[P, R]:
        if executor is None:
            return self
        build = self.command

        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            return executor.execute(build(*args, **kwargs))

        run.__doc__ = build.__doc__
        return run


class CommandMethods:
    """One method per command, each ``execute(Command(*args, **kwargs))``."""

    def execute(self, command: Command[R]) -> R:
        raise NotImplementedError

    register_organisation = CommandMethod(RegisterOrganisation)
    rename = CommandMethod(Rename)
    move = CommandMethod(Move)
    merge = CommandMethod(Merge)
    dissolve = CommandMethod(Dissolve)
    split = CommandMethod(Split)
    change_level = CommandMethod(ChangeLevel)
    open_fund = CommandMethod(OpenFund)
    report_membership = CommandMethod(ReportMembership)
    report_learning_model = CommandMethod(ReportLearningModel)
    set_learning_target = CommandMethod(SetLearningTarget)
    record_recognition = CommandMethod(RecordRecognition)
    publish_honour_roll = CommandMethod(PublishHonourRoll)
    record_opening_balance = CommandMethod(RecordOpeningBalance)
    receive_donation = CommandMethod(RecordDonation)
    disburse = CommandMethod(Disburse)
    transfer = CommandMethod(Transfer)
    reverse_entry = CommandMethod(ReverseEntry)
    launch_campaign = CommandMethod(LaunchCampaign)
    close_campaign = CommandMethod(CloseCampaign)
    receive_income = CommandMethod(RecordIncome)
    deposit = CommandMethod(Deposit)
    withdraw = CommandMethod(Withdraw)
    close_year = CommandMethod(CloseYear)
    reopen_year = CommandMethod(ReopenYear)
    open_endowment = CommandMethod(OpenEndowment)
    set_approval_threshold = CommandMethod(SetApprovalThreshold)
    approve_payment = CommandMethod(ApprovePayment)
    reject_payment = CommandMethod(RejectPayment)
