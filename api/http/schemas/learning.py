"""Learning models: a year's report for one model, and the figures read back."""

from __future__ import annotations

from pydantic import Field, JsonValue

from api.http.schemas.common import Code, Position, Schema
from ledger.commands import ReportLearningModel, SetLearningTarget
from ledger.types import LearningModel
from projections.queries.learning import LearningFigures, LearningModels

MODELS: list[JsonValue] = [model.value for model in LearningModel]


class LearningModelReport(Schema):
    """The figures are checked by the command (whole numbers from zero,
    recognised ≤ registered ≤ eligible), whose messages are in Vietnamese and
    name the field."""

    year: int = Field(examples=[2025], description="Not in the future.")
    model: str = Field(
        json_schema_extra={"enum": MODELS},
        description="family (gia đình), clan (dòng họ), community (cộng đồng), "
        "unit (đơn vị), citizen (công dân).",
        examples=["family"],
    )
    eligible: int = Field(
        description="How many there are in the territory: households, clans, "
        "communities, units or adult citizens.",
        examples=[305_000],
    )
    registered: int = Field(description="How many registered.", examples=[238_123])
    recognised: int = Field(description="How many were recognised.", examples=[200_000])

    def to_command(self, org: str, recorded_by: str) -> ReportLearningModel:
        return ReportLearningModel(
            org,
            year=self.year,
            model=self.model,
            eligible=self.eligible,
            registered=self.registered,
            recognised=self.recognised,
            recorded_by=recorded_by,
        )


class LearningModelRecorded(LearningModelReport):
    organisation: Code
    position: Position


class LearningTargetCreate(Schema):
    """The organisation's own target for one model; where it sets none, its
    nearest ancestor's applies, or else the association's national one."""

    model: str = Field(json_schema_extra={"enum": MODELS}, examples=["family"])
    first_year: int = Field(examples=[2021])
    last_year: int = Field(examples=[2026])
    percent: int = Field(
        description="The share of those eligible to be recognised, 0-100.",
        examples=[75],
    )

    def to_command(self, org: str, recorded_by: str) -> SetLearningTarget:
        return SetLearningTarget(
            org,
            model=self.model,
            first_year=self.first_year,
            last_year=self.last_year,
            percent=self.percent,
            recorded_by=recorded_by,
        )


class LearningTargetRecorded(LearningTargetCreate):
    organisation: Code
    position: Position


class LearningFiguresPublic(Schema):
    model: str = Field(json_schema_extra={"enum": MODELS}, examples=["family"])
    reported: bool = Field(description="False: no report behind the zeros.")
    eligible: int
    registered: int
    recognised: int
    registered_ratio: float | None = Field(
        description="Registered ÷ eligible, a fraction (0.78).", examples=[0.78]
    )
    recognised_ratio: float | None
    target_ratio: float | None = Field(
        description="The share of those eligible to be recognised, where a target "
        "is set (the association's 2021-2026 targets: 0.7 of families, 0.65 of "
        "clans and communities, 0.5 of citizens)."
    )
    meets_target: bool | None

    @classmethod
    def of(cls, found: LearningFigures) -> LearningFiguresPublic:
        return cls(
            model=found.model.value,
            reported=found.reported,
            eligible=found.eligible,
            registered=found.registered,
            recognised=found.recognised,
            registered_ratio=found.registered_ratio,
            recognised_ratio=found.recognised_ratio,
            target_ratio=found.target_ratio,
            meets_target=found.meets_target,
        )

    @classmethod
    def all_of(cls, found: LearningModels) -> list[LearningFiguresPublic]:
        return [cls.of(figures) for figures in found.models]


class LearningModelsPublic(Schema):
    organisation: Code
    year: int
    subtree: bool
    models: list[LearningFiguresPublic]
    position: Position
