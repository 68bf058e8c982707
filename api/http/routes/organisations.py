"""Organisations: register, read, report membership, balances, yearly summaries."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.auth.access import AdminDep, RecorderDep
from api.http.deps import ReadPositionDep, ServiceDep
from api.http.problems import responses
from api.http.schemas.common import Code, OrgCodePath
from api.http.schemas.organisations import (
    BalancePublic,
    FundBalancePublic,
    MembershipRecorded,
    MembershipReport,
    OrganisationCreate,
    OrganisationPublic,
    OrganisationRegistered,
    SealPublic,
    SummaryPublic,
)
from ledger.seals import SealedLog

router = APIRouter(prefix="/v1/organisations", tags=["organisations"])
WRITE_ERRORS = (
    "unauthenticated",
    "forbidden",
    "validation_failed",
    "unknown_organisation",
)
READ_ERRORS = ("validation_failed", "unknown_organisation", "read_model_lag")


@router.post(
    "",
    status_code=201,
    summary="Register an organisation (admin)",
    responses=responses(
        *WRITE_ERRORS, "duplicate_organisation", "invalid_hierarchy", "invalid_date"
    ),
)
def register(
    body: OrganisationCreate,
    service: ServiceDep,
    principal: AdminDep,
    response: Response,
) -> OrganisationRegistered:
    org_id = service.ledger.execute(body.to_command(principal.name))
    position = service.written(response)
    response.headers["Location"] = f"/v1/organisations/{body.code}"
    return OrganisationRegistered(code=body.code, id=str(org_id), position=position)


@router.get(
    "/{code}",
    summary="One organisation: its parent, children count and status",
    responses=responses(*READ_ERRORS),
)
def organisation(
    code: OrgCodePath,
    service: ServiceDep,
    position: ReadPositionDep,
    on: Annotated[
        date | None,
        Query(description="The name, level and parent it had on this date"),
    ] = None,
) -> OrganisationPublic:
    queries = service.queries
    found = (
        queries.organisation(code) if on is None else queries.organisation_on(code, on)
    )
    return OrganisationPublic(**asdict(found), position=position)


@router.post(
    "/{code}/membership",
    status_code=201,
    summary="Report members and population for a year (treasurer)",
    responses=responses(*WRITE_ERRORS, "invalid_date", "organisation_closed"),
)
def report_membership(
    code: OrgCodePath,
    body: MembershipReport,
    service: ServiceDep,
    principal: RecorderDep,
    response: Response,
) -> MembershipRecorded:
    service.ledger.execute(body.to_command(code, principal.name))
    position = service.written(response)
    return MembershipRecorded(organisation=code, **body.model_dump(), position=position)


@router.get(
    "/{code}/balance",
    summary="Balance per fund, own or of today's subtree, now or at a point in time",
    responses=responses(*READ_ERRORS, "unknown_fund"),
)
def balance(
    code: OrgCodePath,
    service: ServiceDep,
    position: ReadPositionDep,
    fund: Annotated[Code | None, Query(description="One fund (default: all)")] = None,
    subtree: Annotated[
        bool, Query(description="Sum over everything under it today")
    ] = False,
    as_of: Annotated[
        date | None, Query(description="Count entries dated up to this business date")
    ] = None,
    known_at: Annotated[
        datetime | None,
        Query(
            description="Count what had been recorded by this moment (ISO 8601; "
            "without an offset, Vietnamese time)"
        ),
    ] = None,
) -> BalancePublic:
    found = service.queries.balance(
        code, fund=fund, subtree=subtree, as_of=as_of, known_at=known_at
    )
    return BalancePublic(
        organisation=code,
        subtree=subtree,
        as_of=as_of,
        known_at=known_at,
        balance_vnd=found.balance,
        funds=[
            FundBalancePublic(
                fund=f.fund,
                balance_vnd=f.balance,
                total_in_vnd=f.total_in,
                total_out_vnd=f.total_out,
            )
            for f in found.funds
        ],
        position=position,
    )


@router.get(
    "/{code}/summary",
    summary="The yearly summary: raised, paid, recipients, per-capita fund",
    responses=responses(*READ_ERRORS),
)
def summary(
    code: OrgCodePath,
    service: ServiceDep,
    position: ReadPositionDep,
    year: Annotated[int, Query(ge=1900, le=9999, examples=[2022])],
    subtree: Annotated[
        bool,
        Query(description="The organisation and everything under it that year"),
    ] = False,
) -> SummaryPublic:
    found = service.queries.summary(code, year, subtree=subtree)
    fields = asdict(found)
    fields["raised_by_level"] = dict(found.raised_by_level)
    seal = SealPublic.of(SealedLog(service.ledger).last())
    return SummaryPublic(**fields, position=position, seal=seal)
