"""Campaigns: launch one; read its totals, campaign-wide or by subtree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.auth import access
from api.http.deps import PrincipalDep, ReadPositionDep, ServiceDep
from api.http.problems import responses
from api.http.schemas.campaigns import (
    CampaignCreate,
    CampaignLaunched,
    CampaignTotalsPublic,
)
from api.http.schemas.common import CampaignCodePath, Code

router = APIRouter(prefix="/v1/campaigns", tags=["campaigns"])


@router.post(
    "",
    status_code=201,
    summary="Launch a campaign (admin, or a treasurer of its organiser)",
    responses=responses(
        "unauthenticated",
        "forbidden",
        "validation_failed",
        "invalid_date",
        "unknown_organisation",
        "duplicate_campaign",
        "organisation_closed",
        "idempotency_key_reused",
    ),
)
def launch(
    body: CampaignCreate,
    service: ServiceDep,
    principal: PrincipalDep,
    response: Response,
) -> CampaignLaunched:
    access.may_launch_campaign(service, principal, body.organiser_code)
    campaign_id = access.record(service, principal, body.to_command(principal.name))
    position = service.written(response)
    return CampaignLaunched(code=body.code, id=str(campaign_id), position=position)


@router.get(
    "/{code}/totals",
    summary="What a campaign raised and paid: campaign-wide or for a subtree",
    responses=responses(
        "validation_failed",
        "unknown_campaign",
        "unknown_organisation",
        "read_model_lag",
    ),
)
def totals(
    code: CampaignCodePath,
    service: ServiceDep,
    position: ReadPositionDep,
    org: Annotated[
        Code | None,
        Query(description="An organisation: its subtree's totals (default: all)"),
    ] = None,
    subtree: Annotated[
        bool, Query(description="With org: its subtree (true) or itself alone")
    ] = True,
) -> CampaignTotalsPublic:
    found = service.queries.campaign_totals(code, org=org, subtree=subtree)
    return CampaignTotalsPublic(
        campaign=found.campaign,
        organisation=found.organisation,
        subtree=found.subtree,
        raised_vnd=found.raised_vnd,
        disbursed_vnd=found.disbursed_vnd,
        recipients=found.recipients,
        entries=found.entries,
        position=position,
    )
