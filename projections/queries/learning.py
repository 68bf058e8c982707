"""Learning-model figures of an organisation or its territory for a year, with
the ratios and the target: five rows at most, whatever the subtree's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import Connection, select

from ledger.types import LEARNING_TARGETS, LearningModel
from projections import errors
from projections.learning import LearningView
from projections.queries.base import QueryBase
from projections.runner import ReadModels


@dataclass(frozen=True, slots=True)
class LearningFigures:
    """One learning model's figures for a year."""

    model: LearningModel
    reported: bool
    """Whether any report stands behind the figures (else they are zeros)."""
    eligible: int
    registered: int
    recognised: int
    registered_ratio: float | None
    """Registered ÷ eligible, a fraction (None when nothing is eligible)."""
    recognised_ratio: float | None
    target_ratio: float | None
    """The share of those eligible to be recognised: the organisation's own
    target, or its nearest ancestor's, or the national one (None: none)."""

    @property
    def meets_target(self) -> bool | None:
        if self.target_ratio is None or self.recognised_ratio is None:
            return None
        return self.recognised_ratio >= self.target_ratio


@dataclass(frozen=True, slots=True)
class LearningModels:
    organisation: str
    year: int
    subtree: bool
    models: tuple[LearningFigures, ...]
    """The five models, in their usual order."""

    @property
    def reported(self) -> bool:
        return any(figures.reported for figures in self.models)


def target_for(model: LearningModel, year: int) -> float | None:
    """The association's national target for the model in that year."""
    for first, last, targets in LEARNING_TARGETS:
        if first <= year <= last and model in targets:
            return targets[model] / 100
    return None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


class LearningQueries(QueryBase):
    def __init__(self, read_models: ReadModels) -> None:
        super().__init__(read_models)
        view = read_models.view(LearningView)
        self.learning = view.learning
        self.learning_targets = view.targets

    def _targets(
        self, conn: Connection, org_id: UUID, year: int
    ) -> dict[LearningModel, float | None]:
        """Per model: the organisation's own target for the year, or its
        nearest ancestor's (at the year's end), or the national one."""
        found: dict[LearningModel, float | None] = {}
        t = self.learning_targets.c
        current: UUID | None = org_id
        while current is not None and len(found) < len(LearningModel):
            for model, percent in conn.execute(
                select(t.model, t.percent).where(t.org_id == current, t.year == year)
            ).tuples():
                found.setdefault(LearningModel(model), percent / 100)
            current = self._parent_id(conn, current, date(year, 12, 31))
        for model in LearningModel:
            found.setdefault(model, target_for(model, year))
        return found

    def learning_models(
        self, code: str, year: int, *, subtree: bool = False
    ) -> LearningModels:
        """The year's figures per model: the organisation's own report, or its
        territory's (its own report, or else its children's, at the year's end)."""
        if not 1900 <= year <= 9999:
            raise errors.InvalidQuery(f"year must be between 1900 and 9999, not {year}")
        t = self.learning.c
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            rows = {
                row.model: row
                for row in conn.execute(
                    select(self.learning).where(t.org_id == org_id, t.year == year)
                )
            }
            targets = self._targets(conn, org_id, year)
        models = []
        for model in LearningModel:
            row = rows.get(model.value)
            figures = (0, 0, 0)
            reported = False
            if row is not None and row.reported:
                figures, reported = (row.eligible, row.registered, row.recognised), True
            elif row is not None and subtree:
                figures = (
                    row.children_eligible,
                    row.children_registered,
                    row.children_recognised,
                )
                reported = any(figures)
            eligible, registered, recognised = figures
            models.append(
                LearningFigures(
                    model=model,
                    reported=reported,
                    eligible=eligible,
                    registered=registered,
                    recognised=recognised,
                    registered_ratio=_ratio(registered, eligible),
                    recognised_ratio=_ratio(recognised, eligible),
                    target_ratio=targets[model],
                )
            )
        return LearningModels(code, year, subtree, tuple(models))
