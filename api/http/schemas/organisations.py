"""Organisations: registration, membership reports, balances and summaries."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from api.http.schemas.common import Code, Position, Schema, Text
from ledger.commands import RegisterOrganisation, ReportMembership
from ledger.seals import Seal
from ledger.types import MAX_COUNT, Level, Status


class OrganisationCreate(Schema):
    code: Code
    name: Text = Field(examples=["Hội Khuyến học huyện Diễn Châu"])
    level: Level = Field(examples=["district"])
    parent_code: Code | None = Field(None, examples=["NA"])
    registered_on: date = Field(examples=["2010-01-01"])

    def to_command(self, recorded_by: str) -> RegisterOrganisation:
        return RegisterOrganisation(
            self.code,
            name=self.name,
            level=self.level,
            parent_code=self.parent_code,
            registered_on=self.registered_on,
            recorded_by=recorded_by,
        )


class OrganisationRegistered(Schema):
    code: Code
    id: str = Field(description="The organisation's id (derived from its code).")
    position: Position


class OrganisationPublic(Schema):
    code: Code
    name: str
    level: Level
    parent: Code | None = Field(
        description="The parent in today's hierarchy (with ?on=, on that date)."
    )
    registered_on: date
    status: Status
    closed_on: date | None
    merged_into: Code | None
    children: int = Field(description="Active organisations directly under it today.")
    position: Position


class MembershipReport(Schema):
    year: int = Field(ge=1900, le=9999, examples=[2022])
    members: int = Field(ge=0, le=MAX_COUNT, examples=[775_276])
    population: int | None = Field(
        None,
        ge=0,
        le=MAX_COUNT,
        description="The population of the organisation's own territory; leave it "
        "out when it is its children's sum.",
        examples=[3_341_707],
    )

    def to_command(self, org: str, recorded_by: str) -> ReportMembership:
        return ReportMembership(
            org,
            year=self.year,
            members=self.members,
            population=self.population,
            recorded_by=recorded_by,
        )


class MembershipRecorded(MembershipReport):
    organisation: Code
    position: Position


class FundBalancePublic(Schema):
    fund: Code
    balance_vnd: int
    total_in_vnd: int
    total_out_vnd: int


class BalancePublic(Schema):
    organisation: Code
    subtree: bool = Field(description="Summed over today's subtree.")
    as_of: date | None = Field(description="Entries dated up to this business date.")
    known_at: datetime | None = Field(
        description="What the ledger had recorded by this moment."
    )
    balance_vnd: int
    funds: list[FundBalancePublic]
    position: Position


class SealPublic(Schema):
    """A seal of the event log: a hash chain over every stored event up to
    ``position`` (``docs/sealed-log.md``)."""

    seal_no: int = Field(examples=[12])
    position: int = Field(description="The last log position it covers.")
    seal_hash: str = Field(
        description="SHA-256, hex: keep it to check the log later.",
        examples=["304e7c68ac9d987f333653012ec4b5d5afa49aa0143d2d7ca77c945592a15472"],
    )
    sealed_at: datetime

    @classmethod
    def of(cls, seal: Seal | None) -> SealPublic | None:
        if seal is None:
            return None
        return cls(
            seal_no=seal.seal_no,
            position=seal.position,
            seal_hash=seal.seal_hash,
            sealed_at=datetime.fromisoformat(seal.sealed_at),
        )


class SummaryPublic(Schema):
    organisation: Code
    year: int
    subtree: bool
    raised_vnd: int = Field(description="Donations only.")
    disbursed_vnd: int
    scholarships_vnd: int
    awards_vnd: int
    other_disbursed_vnd: int
    recipients: int
    transfers_in_vnd: int = Field(
        description="From outside the organisation (or subtree) only."
    )
    transfers_out_vnd: int
    members: int
    population: int | None = Field(
        description="The territory's: its own report, or its children's sum."
    )
    per_capita_vnd: int | None = Field(
        description="Raised ÷ population, rounded to the đồng."
    )
    member_ratio: float | None = Field(
        description="Members ÷ population, a fraction (0.232).", examples=[0.232]
    )
    raised_by_level: dict[str, int] = Field(
        description="Raised, by the level of the organisation that recorded it."
    )
    position: Position
    seal: SealPublic | None = Field(
        description="The event log's last seal when the summary was read (null: "
        "none yet); `khuyenhoc verify` checks the log against it."
    )
