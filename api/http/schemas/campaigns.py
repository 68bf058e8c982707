"""Campaigns: Tết Khuyến học, Tháng Khuyến học (numbered editions), others."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from api.http.schemas.common import Amount, Code, Position, Schema, Text
from ledger.types import MAX_EDITION


class CampaignCreate(Schema):
    code: Code = Field(examples=["THANG-2022"])
    name: Text = Field(examples=["Tháng Khuyến học Nghệ An lần thứ 19"])
    kind: Literal["tet", "thang", "other"]
    edition: int | None = Field(None, ge=1, le=MAX_EDITION, examples=[19])
    organiser_code: Code = Field(examples=["NA"])
    starts_on: date = Field(examples=["2022-08-25"])
    ends_on: date = Field(examples=["2022-10-02"])
    target_vnd: Amount | None = None


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
