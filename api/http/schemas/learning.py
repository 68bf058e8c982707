"""Learning models: a year's report for one model, and the figures read back."""

from __future__ import annotations

from datetime import date

from pydantic import Field, JsonValue

from api.http.schemas.common import Code, Position, Schema
from ledger.commands import (
    PublishHonourRoll,
    RecordRecognition,
    ReportLearningModel,
    SetLearningTarget,
)
from ledger.types import LearningModel
from projections.queries.learning import HonourRoll, LearningFigures, LearningModels

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
    named: int | None = Field(
        None,
        description="How many recognitions the organisation has named for the "
        "year (its own list; null: no list, or a territory's figures).",
    )
    named_mismatch: bool = Field(
        False, description="The named list and the reported number disagree."
    )
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
            named=found.named,
            named_mismatch=found.named_mismatch,
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


class RecognitionCreate(Schema):
    """One recognised family, clan, community or unit, by name."""

    year: int = Field(examples=[2025])
    model: str = Field(
        json_schema_extra={"enum": MODELS[:4]},
        description="family, clan, community or unit (citizens are not named).",
        examples=["family"],
    )
    name: str = Field(examples=["Gia đình ông Nguyễn Văn An"])
    village: str | None = Field(None, examples=["xóm 3"])
    decision_no: str = Field(examples=["12/QĐ-HKH"])
    decision_date: date = Field(examples=["2025-12-10"])

    def to_command(self, org: str, recorded_by: str) -> RecordRecognition:
        return RecordRecognition(
            org,
            year=self.year,
            model=self.model,
            name=self.name,
            village=self.village,
            decision_no=self.decision_no,
            decision_date=self.decision_date,
            recorded_by=recorded_by,
        )


class RecognitionRecorded(RecognitionCreate):
    organisation: Code
    position: Position


class HonourRollSetting(Schema):
    published: bool = Field(description="true: everyone may read the names.")

    def to_command(self, org: str, recorded_by: str) -> PublishHonourRoll:
        return PublishHonourRoll(org, published=self.published, recorded_by=recorded_by)


class HonourRollSet(HonourRollSetting):
    organisation: Code
    position: Position


class RecognitionPublic(Schema):
    model: str
    name: str
    village: str | None
    decision_no: str
    decision_date: date


class HonourRollPublic(Schema):
    organisation: Code
    year: int
    published: bool
    recognitions: list[RecognitionPublic]
    position: Position

    @classmethod
    def of(cls, found: HonourRoll, position: int) -> HonourRollPublic:
        return cls(
            organisation=found.organisation,
            year=found.year,
            published=found.published,
            recognitions=[
                RecognitionPublic(
                    model=r.model.value,
                    name=r.name,
                    village=r.village,
                    decision_no=r.decision_no,
                    decision_date=r.decision_date,
                )
                for r in found.recognitions
            ],
            position=position,
        )
