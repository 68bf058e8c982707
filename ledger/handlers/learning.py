"""The handlers of learning-model reports and targets."""

from __future__ import annotations

from ledger.commands.learning import ReportLearningModel, SetLearningTarget
from ledger.handlers.registry import handles
from ledger.unit_of_work import UnitOfWork


@handles(ReportLearningModel)
def report_learning_model(command: ReportLearningModel, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.report_learning_model(
        year=command.year,
        model=command.model,
        figures=command.figures,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(org)


@handles(SetLearningTarget)
def set_learning_target(command: SetLearningTarget, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.set_learning_target(
        model=command.model,
        years=command.years,
        percent=command.percent,
        recorded_by=command.recorded_by,
    )
    uow.save(org)
