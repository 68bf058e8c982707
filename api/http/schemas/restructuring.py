"""The tree's changes (admin): rename, move, merge, dissolve, split, change of
level — each body becomes its command — and an organisation's history."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from api.http.schemas.common import Code, Position, Schema, Text
from ledger.commands import ChangeLevel, Dissolve, Merge, Move, Rename, Split
from ledger.types import Level

EffectiveOn = Annotated[
    date,
    Field(
        description="The business date the change takes effect.",
        examples=["2025-07-01"],
    ),
]


class RenameCreate(Schema):
    name: Text = Field(examples=["Hội Khuyến học xã Diễn Châu"])
    effective_on: date | None = Field(
        None, description="Today when left out.", examples=["2025-07-01"]
    )

    def to_command(self, org: str, recorded_by: str) -> Rename:
        return Rename(
            org, name=self.name, effective_on=self.effective_on, recorded_by=recorded_by
        )


class MoveCreate(Schema):
    new_parent_code: Code = Field(examples=["NA"])
    effective_on: EffectiveOn

    def to_command(self, org: str, recorded_by: str) -> Move:
        return Move(
            org,
            new_parent_code=self.new_parent_code,
            effective_on=self.effective_on,
            recorded_by=recorded_by,
        )


class MergeCreate(Schema):
    into_code: Code = Field(examples=["NA-DC-X01"])
    effective_on: EffectiveOn

    def to_command(self, org: str, recorded_by: str) -> Merge:
        return Merge(
            org,
            into_code=self.into_code,
            effective_on=self.effective_on,
            recorded_by=recorded_by,
        )


class DissolveCreate(Schema):
    effective_on: EffectiveOn

    def to_command(self, org: str, recorded_by: str) -> Dissolve:
        return Dissolve(org, effective_on=self.effective_on, recorded_by=recorded_by)


class SplitCreate(Schema):
    parts: dict[Code, dict[Code, int]] = Field(
        description="Each successor's code → fund → whole đồng it takes; every "
        "fund's parts add up to its balance.",
        examples=[{"NA-X01": {"general": 3_000_000}, "NA-X02": {"general": 2_000_000}}],
    )
    effective_on: EffectiveOn

    def to_command(self, org: str, recorded_by: str) -> Split:
        return Split(
            org,
            parts=self.parts,
            effective_on=self.effective_on,
            recorded_by=recorded_by,
        )


class LevelChange(Schema):
    level: Level = Field(examples=["agency"])
    effective_on: date | None = Field(
        None, description="Today when left out.", examples=["2025-07-01"]
    )

    def to_command(self, org: str, recorded_by: str) -> ChangeLevel:
        return ChangeLevel(
            org,
            level=self.level,
            effective_on=self.effective_on,
            recorded_by=recorded_by,
        )


class Restructured(Schema):
    organisation: Code
    change: str = Field(examples=["split"])
    position: Position


class DatedValuePublic(Schema):
    value: str
    valid_from: date
    valid_to: date | None = Field(description="None: still in force.")


class ParentPeriodPublic(Schema):
    parent: Code | None
    valid_from: date
    valid_to: date | None


class LinkPublic(Schema):
    code: Code
    how: str = Field(description="`merged` or `split`.")
    effective_on: date


class HistoryPublic(Schema):
    code: Code
    status: str
    closed_on: date | None
    names: list[DatedValuePublic]
    levels: list[DatedValuePublic]
    parents: list[ParentPeriodPublic]
    predecessors: list[LinkPublic] = Field(
        description="Organisations merged or split into this one."
    )
    successors: list[LinkPublic] = Field(
        description="Where this one went: merged into, or split into."
    )
    position: Position
