"""The handler of learning-model reports."""

from __future__ import annotations

from ledger.commands.learning import ReportLearningModel
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
