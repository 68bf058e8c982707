"""Types every resource uses: codes, amounts, the log position of a write."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from ledger.commands import Command
from ledger.types import CODE_PATTERN as LEDGER_CODE
from ledger.types import MAX_AMOUNT, MAX_TEXT, MAX_VOUCHER_NO, EntryId

CODE_PATTERN = f"^{LEDGER_CODE}$"
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
        le=MAX_AMOUNT,
        description="Whole đồng (VND has no minor unit), 1 to 10¹².",
        examples=[5_000_000],
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
VoucherNo = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_VOUCHER_NO,
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
    """Unknown fields are refused, so a typo is an error, not a silent default.

    A request schema names its fields as the command it becomes does
    (``ledger.commands``); where the public name differs (``amount_vnd`` for
    the command's ``amount``), the public name is the field's ``alias`` — the
    one place that renames, used both to build the command and to place a
    domain error's field (``public_field``).
    """

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def public_field(cls, field: str) -> str | None:
        """The public name of the command field ``field``, if this schema has it."""
        found = cls.model_fields.get(field)
        if found is None:
            return None
        return found.alias or field


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


class EntryBody(Schema):
    """A request body (or form) that becomes an entry command on the
    organisation of the path: recording an entry, or reversing one."""

    def to_command(self, org: str, recorded_by: str) -> Command[EntryId]:
        raise NotImplementedError
