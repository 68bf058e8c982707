"""Learning-model reports: per organisation, year and model, the number of
households, clans, communities, units or adult citizens in its territory
(``eligible``), how many registered for the title and how many were
recognised. A later report for the same year and model supersedes an
earlier one, like a membership report.

The shape rules are the command's: every figure a whole number, recognised
≤ registered ≤ eligible. The year (not in the future, not before the
organisation) is the organisation's rule.
"""

from __future__ import annotations

from datetime import date

import attrs

from ledger import errors
from ledger.commands.base import Command
from ledger.types import MAX_COUNT, LearningModel, OrgCode
from ledger.validation import (
    is_code,
    is_date,
    is_flag,
    is_required_text,
    is_text,
    stripped,
    stripped_or_none,
)
from ledger.wording import says


def as_learning_model(value: LearningModel | str) -> LearningModel:
    if isinstance(value, LearningModel):
        return value
    try:
        return LearningModel(value.strip() if isinstance(value, str) else value)
    except ValueError:
        choices = ", ".join(model.value for model in LearningModel)
        raise errors.InvalidInput(
            says("choice.unknown", field="model", choices=choices, value=value),
            field="model",
        ) from None


def _figure(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    name = attribute.name
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise errors.InvalidInput(
            says("whole.too_small", field=name, minimum=0, value=value), field=name
        )
    if value > MAX_COUNT:
        raise errors.InvalidInput(
            says("whole.too_big", field=name, maximum=MAX_COUNT, value=value),
            field=name,
        )


def _year(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1900:
        raise errors.InvalidInput(
            says("learning.year_too_early", field=attribute.name, value=value),
            field=attribute.name,
        )


@attrs.frozen
class ReportLearningModel(Command[None]):
    """A year's registered and recognised titles of one learning model, against
    the number there are; a later report supersedes an earlier."""

    org: OrgCode = attrs.field(validator=is_code)
    year: int = attrs.field(kw_only=True, validator=_year)
    model: LearningModel = attrs.field(kw_only=True, converter=as_learning_model)
    eligible: int = attrs.field(kw_only=True, validator=_figure)
    registered: int = attrs.field(kw_only=True, validator=_figure)
    recognised: int = attrs.field(kw_only=True, validator=_figure)

    def __attrs_post_init__(self) -> None:
        if self.registered > self.eligible:
            raise errors.InvalidInput(
                says(
                    "learning.registered_exceeds",
                    registered=self.registered,
                    eligible=self.eligible,
                ),
                field="registered",
            )
        if self.recognised > self.registered:
            raise errors.InvalidInput(
                says(
                    "learning.recognised_exceeds",
                    recognised=self.recognised,
                    registered=self.registered,
                ),
                field="recognised",
            )

    @property
    def figures(self) -> tuple[int, int, int]:
        return (self.eligible, self.registered, self.recognised)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


MAX_TARGET_YEARS = 20
"""A target covers at most twenty years (a plan is five)."""


@attrs.frozen
class SetLearningTarget(Command[None]):
    """An organisation's own target for one model, in percent of those
    eligible recognised, for the years ``first_year`` to ``last_year``; where
    it sets none, its nearest ancestor's applies, or else the association's
    national target (``ledger.types.LEARNING_TARGETS``)."""

    org: OrgCode = attrs.field(validator=is_code)
    model: LearningModel = attrs.field(kw_only=True, converter=as_learning_model)
    first_year: int = attrs.field(kw_only=True, validator=_year)
    last_year: int = attrs.field(kw_only=True, validator=_year)
    percent: int = attrs.field(kw_only=True)

    @percent.validator
    def _percent(self, attribute: attrs.Attribute[int], value: int) -> None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= 100
        ):
            raise errors.InvalidInput(
                says("learning.percent", value=value), field=attribute.name
            )

    def __attrs_post_init__(self) -> None:
        if self.last_year < self.first_year:
            raise errors.InvalidInput(
                says(
                    "learning.years_reversed",
                    last_year=self.last_year,
                    first_year=self.first_year,
                ),
                field="last_year",
            )
        if self.last_year - self.first_year >= MAX_TARGET_YEARS:
            raise errors.InvalidInput(
                says("learning.target_span", maximum=MAX_TARGET_YEARS),
                field="last_year",
            )

    @property
    def years(self) -> tuple[int, int]:
        return (self.first_year, self.last_year)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


NAMED_MODELS = (
    LearningModel.FAMILY,
    LearningModel.CLAN,
    LearningModel.COMMUNITY,
    LearningModel.UNIT,
)
"""Recognitions are named for these models; learning citizens are counted only."""


@attrs.frozen
class RecordRecognition(Command[None]):
    """Name one recognised family, clan, community or unit (name, village, the
    decision's number and date). Names are private unless the organisation
    publishes its honour roll; the list is compared with the reported count,
    never added to it."""

    org: OrgCode = attrs.field(validator=is_code)
    year: int = attrs.field(kw_only=True, validator=_year)
    model: LearningModel = attrs.field(kw_only=True, converter=as_learning_model)
    name: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )
    decision_no: str = attrs.field(
        kw_only=True, converter=stripped, validator=is_required_text
    )
    decision_date: date = attrs.field(kw_only=True, validator=is_date)
    village: str | None = attrs.field(
        default=None, kw_only=True, converter=stripped_or_none, validator=is_text
    )

    def __attrs_post_init__(self) -> None:
        if self.model not in NAMED_MODELS:
            raise errors.InvalidInput(says("recognition.citizen_named"), field="model")
        if self.decision_date.year < self.year:
            raise errors.InvalidDate(
                says(
                    "recognition.decision_before_year",
                    on=self.decision_date,
                    year=self.year,
                ),
                field="decision_date",
            )

    @property
    def decision(self) -> tuple[str, date]:
        return (self.decision_no, self.decision_date)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)


@attrs.frozen
class PublishHonourRoll(Command[None]):
    """Publish the organisation's honour roll (the names of its recognitions),
    or withdraw it (``published=False``)."""

    org: OrgCode = attrs.field(validator=is_code)
    published: bool = attrs.field(default=True, kw_only=True, validator=is_flag)

    def locks(self) -> tuple[OrgCode | None, ...]:
        return (self.org,)
