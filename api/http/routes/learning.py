"""Learning models: report a year's figures for one model, set targets, read
them back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.auth import access
from api.auth.access import RecorderDep
from api.http.deps import PrincipalDep, ReadPositionDep, ServiceDep
from api.http.problems import responses
from api.http.schemas.common import OrgCodePath
from api.http.schemas.learning import (
    HonourRollPublic,
    HonourRollSet,
    HonourRollSetting,
    LearningFiguresPublic,
    LearningModelRecorded,
    LearningModelReport,
    LearningModelsPublic,
    LearningTargetCreate,
    LearningTargetRecorded,
    RecognitionCreate,
    RecognitionRecorded,
)

router = APIRouter(prefix="/v1/organisations", tags=["learning models"])


@router.post(
    "/{code}/learning-models",
    status_code=201,
    summary="Report a year's registered and recognised titles of one learning "
    "model (treasurer); a later report for the same year and model supersedes",
    responses=responses(
        "unauthenticated",
        "forbidden",
        "validation_failed",
        "unknown_organisation",
        "invalid_input",
        "invalid_date",
        "organisation_closed",
    ),
)
def report_learning_model(
    code: OrgCodePath,
    body: LearningModelReport,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> LearningModelRecorded:
    command = body.to_command(code, principal.name)
    access.record(service, principal, command)
    position = service.written(response)
    return LearningModelRecorded(
        organisation=code,
        **body.model_dump() | {"model": command.model.value},
        position=position,
    )


@router.post(
    "/{code}/learning-targets",
    status_code=201,
    summary="Set the organisation's own target for one learning model over a "
    "period of years (treasurer); its subtree follows it",
    responses=responses(
        "unauthenticated",
        "forbidden",
        "validation_failed",
        "unknown_organisation",
        "invalid_input",
        "organisation_closed",
    ),
)
def set_learning_target(
    code: OrgCodePath,
    body: LearningTargetCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> LearningTargetRecorded:
    command = body.to_command(code, principal.name)
    access.record(service, principal, command)
    position = service.written(response)
    return LearningTargetRecorded(
        organisation=code,
        **body.model_dump() | {"model": command.model.value},
        position=position,
    )


@router.get(
    "/{code}/learning-models",
    summary="A year's learning-model figures, own or of the territory, with "
    "ratios and targets",
    responses=responses("validation_failed", "unknown_organisation", "read_model_lag"),
)
def learning_models(
    code: OrgCodePath,
    service: ServiceDep,
    position: ReadPositionDep,
    year: Annotated[int, Query(ge=1900, le=9999, examples=[2025])],
    subtree: Annotated[
        bool,
        Query(description="Its territory: its own report, or else its children's"),
    ] = False,
) -> LearningModelsPublic:
    found = service.queries.learning_models(code, year, subtree=subtree)
    return LearningModelsPublic(
        organisation=code,
        year=year,
        subtree=subtree,
        models=LearningFiguresPublic.all_of(found),
        position=position,
    )


WRITE_ERRORS = (
    "unauthenticated",
    "forbidden",
    "validation_failed",
    "unknown_organisation",
    "invalid_input",
    "organisation_closed",
)


@router.post(
    "/{code}/recognitions",
    status_code=201,
    summary="Name one recognised family, clan, community or unit (treasurer)",
    responses=responses(*WRITE_ERRORS, "invalid_date"),
)
def record_recognition(
    code: OrgCodePath,
    body: RecognitionCreate,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> RecognitionRecorded:
    command = body.to_command(code, principal.name)
    access.record(service, principal, command)
    position = service.written(response)
    return RecognitionRecorded(
        organisation=code,
        **body.model_dump() | {"model": command.model.value},
        position=position,
    )


@router.post(
    "/{code}/honour-roll",
    status_code=201,
    summary="Publish the organisation's honour roll, or withdraw it (treasurer)",
    responses=responses(*WRITE_ERRORS),
)
def publish_honour_roll(
    code: OrgCodePath,
    body: HonourRollSetting,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> HonourRollSet:
    access.record(service, principal, body.to_command(code, principal.name))
    position = service.written(response)
    return HonourRollSet(organisation=code, **body.model_dump(), position=position)


@router.get(
    "/{code}/recognitions",
    summary="A year's named recognitions: anyone once the organisation "
    "publishes its honour roll, else an auditor or a treasurer in scope",
    responses=responses(
        "unauthenticated",
        "forbidden",
        "validation_failed",
        "unknown_organisation",
        "read_model_lag",
    ),
)
def recognitions(
    code: OrgCodePath,
    service: ServiceDep,
    principal: PrincipalDep,
    position: ReadPositionDep,
    year: Annotated[int, Query(ge=1900, le=9999, examples=[2025])],
) -> HonourRollPublic:
    found = service.queries.honour_roll(code, year)
    if not found.published:
        access.entries_reader(code, service, principal)  # names are private
    return HonourRollPublic.of(found, position)
