"""Closing and reopening an organisation's year (issue 15): an admin's or the
organisation's approver's act once the annual accounts are approved."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import Field

from api.auth import access
from api.http.deps import PrincipalDep, ServiceDep
from api.http.problems import responses
from api.http.schemas.common import Code, OrgCodePath, Position, Schema, Text
from ledger.commands import CloseYear, ReopenYear

router = APIRouter(prefix="/v1/organisations/{code}/years/{year}", tags=["years"])
ERRORS = (
    "unauthenticated",
    "forbidden",
    "validation_failed",
    "unknown_organisation",
    "invalid_date",
    "organisation_closed",
    "concurrent_update",
    "idempotency_key_reused",
)
Year = Annotated[int, Path(ge=1900, le=9999)]


class YearReopen(Schema):
    reason: Text = Field(examples=["Kiểm toán yêu cầu điều chỉnh"])


class YearState(Schema):
    organisation: Code
    year: int
    closed: bool
    position: Position


@router.post(
    "/close",
    summary="Close a year: entries dated in it are refused (admin or approver)",
    responses=responses(*ERRORS),
)
def close_year(
    code: OrgCodePath,
    year: Year,
    service: ServiceDep,
    principal: PrincipalDep,
    response: Response,
) -> YearState:
    access.record(
        service, principal, CloseYear(code, year=year, recorded_by=principal.name)
    )
    return YearState(
        organisation=code, year=year, closed=True, position=service.written(response)
    )


@router.post(
    "/reopen",
    summary="Reopen the last closed year, with a reason (admin or approver)",
    responses=responses(*ERRORS),
)
def reopen_year(
    code: OrgCodePath,
    year: Year,
    body: YearReopen,
    service: ServiceDep,
    principal: PrincipalDep,
    response: Response,
) -> YearState:
    command = ReopenYear(
        code, year=year, reason=body.reason, recorded_by=principal.name
    )
    access.record(service, principal, command)
    return YearState(
        organisation=code, year=year, closed=False, position=service.written(response)
    )
