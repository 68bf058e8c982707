"""Handlers of campaigns: launch one (idempotently), close it."""

from __future__ import annotations

from uuid import UUID

from ledger import errors
from ledger.campaign import Campaign
from ledger.commands import CloseCampaign, LaunchCampaign
from ledger.handlers.registry import handles
from ledger.unit_of_work import UnitOfWork
from ledger.wording import says


@handles(LaunchCampaign)
def launch_campaign(command: LaunchCampaign, uow: UnitOfWork) -> UUID:
    """Re-sending the same launch is a no-op; other details under a code
    already taken are ``duplicate_campaign``."""
    campaign_id = Campaign.id_for(command.code)
    organiser = uow.org(command.organiser_code, field="organiser_code")
    asked = (
        command.name,
        command.kind,
        command.edition,
        organiser.id,
        command.starts_on,
        command.ends_on,
        command.target_vnd,
    )
    launched = uow.created(campaign_id, Campaign.Launched)
    if launched is not None:
        stored = (
            launched.name,
            launched.kind,
            launched.edition,
            launched.organiser_id,
            launched.starts_on,
            launched.ends_on,
            launched.target_vnd,
        )
        if stored == asked:
            return campaign_id
        raise errors.DuplicateCampaign(
            says("campaign.duplicate", campaign=command.code),
            field="code",
            campaign=command.code,
        )
    organiser.check_open(field="organiser_code")
    uow.save(
        Campaign.launch(
            code=command.code,
            name=command.name,
            kind=command.kind,
            edition=command.edition,
            organiser_id=organiser.id,
            starts_on=command.starts_on,
            ends_on=command.ends_on,
            target_vnd=command.target_vnd,
            recorded_by=command.recorded_by,
        )
    )
    return campaign_id


@handles(CloseCampaign)
def close_campaign(command: CloseCampaign, uow: UnitOfWork) -> None:
    campaign = uow.campaign(command.code, field="code")
    today = uow.today()
    campaign.close(
        closed_on=command.closed_on or today,
        today=today,
        recorded_by=command.recorded_by,
    )
    uow.save(campaign)
