"""Commands on campaigns: launch one (Tết or Tháng Khuyến học, or another),
close it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import attrs

from ledger import errors
from ledger.commands.base import Command, as_campaign_kind
from ledger.types import MAX_EDITION, CampaignCode, CampaignKind, Dong, OrgCode
from ledger.validation import (
    check_amount,
    check_whole,
    is_code,
    is_date,
    is_date_or_none,
    is_required_text,
    stripped,
)
from ledger.wording import says


def _edition(
    _: object, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is not None:
        check_whole(value, attribute.name, minimum=1, maximum=MAX_EDITION)


def _target(
    _: object, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is not None:
        check_amount(value, attribute.name)


def campaign_lock(code: CampaignCode) -> str:
    """A campaign's key among the codes commands take turns on."""
    return f"campaign:{code}"


@attrs.frozen
class LaunchCampaign(Command[UUID]):
    """Launch a campaign; re-sending the same launch is a no-op."""

    code: CampaignCode = attrs.field(validator=is_code)
    name: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )
    kind: CampaignKind = attrs.field(kw_only=True, converter=as_campaign_kind)
    organiser_code: OrgCode = attrs.field(kw_only=True, validator=is_code)
    starts_on: date = attrs.field(kw_only=True, validator=is_date)
    ends_on: date = attrs.field(kw_only=True, validator=is_date)
    edition: int | None = attrs.field(default=None, kw_only=True, validator=_edition)
    """Tháng Khuyến học's editions are numbered (the 19th in 2022)."""
    target_vnd: Dong | None = attrs.field(default=None, kw_only=True, validator=_target)

    def __attrs_post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise errors.InvalidDate(
                says(
                    "campaign.ends_before",
                    campaign=self.code,
                    ends_on=self.ends_on,
                    starts_on=self.starts_on,
                ),
                field="ends_on",
            )

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (campaign_lock(self.code),)


@attrs.frozen
class CloseCampaign(Command[None]):
    code: CampaignCode = attrs.field(validator=is_code)
    closed_on: date | None = attrs.field(
        default=None, kw_only=True, validator=is_date_or_none
    )
    """Today by default."""

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (campaign_lock(self.code),)
