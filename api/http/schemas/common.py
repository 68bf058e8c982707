"""Types every resource uses: codes, amounts, the log position of a write."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
Code = Annotated[
    str,
    Field(
        pattern=CODE_PATTERN,
        description="A code: 1-64 letters, digits, '.', '_' or '-'.",
        examples=["NA-DC"],
    ),
]
Amount = Annotated[
    int,
    Field(
        gt=0,
        le=1_000_000_000_000,
        description="Whole đồng (VND has no minor unit), 1 to 10¹².",
        examples=[5_000_000],
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=200)]
VoucherNo = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        description="The voucher's number in the organisation's book (phiếu thu / "
        "phiếu chi): unique per organisation.",
        examples=["PT-2022-001"],
    ),
]
Position = Annotated[
    int,
    Field(
        ge=0,
        description="The event log position the answer reflects (for a write: the "
        "position it reached). Pass it as ?after= to read your own write.",
        examples=[1234],
    ),
]


class Schema(BaseModel):
    """Unknown fields are refused, so a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid")


OrgCodePath = Annotated[
    str,
    Path(
        pattern=CODE_PATTERN,
        description="The organisation's code.",
        examples=["NA-DC-DH"],
    ),
]
CampaignCodePath = Annotated[
    str,
    Path(
        pattern=CODE_PATTERN,
        description="The campaign's code.",
        examples=["THANG-2022"],
    ),
]
