"""Campaigns: Tết Khuyến học, Tháng Khuyến học (numbered editions), others."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.http.schemas.common import Amount, Code, Position, Schema, Text
from ledger.commands import LaunchCampaign
from ledger.types import MAX_EDITION, CampaignKind


class CampaignCreate(Schema):
    code: Code = Field(examples=["THANG-2022"])
    name: Text = Field(examples=["Tháng Khuyến học Nghệ An lần thứ 19"])
    kind: CampaignKind
    edition: int | None = Field(None, ge=1, le=MAX_EDITION, examples=[19])
    organiser_code: Code = Field(examples=["NA"])
    starts_on: date = Field(examples=["2022-08-25"])
    ends_on: date = Field(examples=["2022-10-02"])
    target_vnd: Amount | None = None

    def to_command(self, recorded_by: str) -> LaunchCampaign:
        return LaunchCampaign(
            self.code,
            name=self.name,
            kind=self.kind,
            organiser_code=self.organiser_code,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            edition=self.edition,
            target_vnd=self.target_vnd,
            recorded_by=recorded_by,
        )


class CampaignLaunched(Schema):
    code: Code
    id: str
    position: Position


class CampaignTotalsPublic(Schema):
    campaign: Code
    organisation: Code | None = Field(description="None: every organisation.")
    subtree: bool
    raised_vnd: int
    disbursed_vnd: int
    recipients: int
    entries: int
    position: Position
