"""The handlers of learning-model reports, targets and named recognitions."""

from __future__ import annotations

from ledger.commands.learning import (
    PublishHonourRoll,
    RecordRecognition,
    ReportLearningModel,
    SetLearningTarget,
)
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


@handles(RecordRecognition)
def record_recognition(command: RecordRecognition, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.record_recognition(
        year=command.year,
        model=command.model,
        name=command.name,
        village=command.village,
        decision=command.decision,
        today=uow.today(),
        recorded_by=command.recorded_by,
    )
    uow.save(org)


@handles(PublishHonourRoll)
def publish_honour_roll(command: PublishHonourRoll, uow: UnitOfWork) -> None:
    org = uow.org(command.org)
    org.publish_honour_roll(
        published=command.published, recorded_by=command.recorded_by
    )
    uow.save(org)
