"""Learning-model figures of an organisation or its territory for a year, with
the ratios and the target: five rows at most, whatever the subtree's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import Connection, func, select

from ledger.types import LEARNING_TARGETS, LearningModel
from ledger.wording import says
from projections import errors
from projections.learning import LearningView
from projections.queries.base import QueryBase
from projections.recognitions import NO_VILLAGE, RecognitionsView
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
    named: int | None = None
    """The organisation's own list of named recognitions, counted (None: it
    keeps no list for the model and year, or the figures are a territory's)."""

    @property
    def named_mismatch(self) -> bool:
        """The named list and the reported number disagree."""
        return self.named is not None and self.named != self.recognised

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
        recognitions = read_models.view(RecognitionsView)
        self.recognitions = recognitions.recognitions
        self.honour_rolls = recognitions.honour_rolls

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
            raise errors.InvalidQuery(says("query.year", year=year))
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
            r = self.recognitions.c
            # Not dict(result): a result has keys(), which dict() would take
            # for a mapping's.
            named: dict[str, int] = {  # noqa: C416
                model: count
                for model, count in conn.execute(
                    select(r.model, func.count())
                    .where(r.org_id == org_id, r.year == year)
                    .group_by(r.model)
                ).tuples()
            }
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
                    named=None if subtree else named.get(model.value),
                )
            )
        return LearningModels(code, year, subtree, tuple(models))


@dataclass(frozen=True, slots=True)
class Recognition:
    year: int
    model: LearningModel
    name: str
    village: str | None
    decision_no: str
    decision_date: date


@dataclass(frozen=True, slots=True)
class HonourRoll:
    organisation: str
    year: int
    published: bool
    """Whether the organisation shows its names to everyone."""
    recognitions: tuple[Recognition, ...]


class RecognitionQueries(LearningQueries):
    def honour_roll(self, code: str, year: int) -> HonourRoll:
        """The organisation's named recognitions of a year, by model and name.
        Who may read them is the caller's question (``published``)."""
        r, h = self.recognitions.c, self.honour_rolls.c
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            published = bool(
                conn.execute(select(h.published).where(h.org_id == org_id)).scalar()
            )
            rows = conn.execute(
                select(self.recognitions)
                .where(r.org_id == org_id, r.year == year)
                .order_by(r.model, r.name, r.village)
            ).all()
        order = {model.value: n for n, model in enumerate(LearningModel)}
        found = sorted(rows, key=lambda row: (order[row.model], row.name, row.village))
        return HonourRoll(
            code,
            year,
            published,
            tuple(
                Recognition(
                    row.year,
                    LearningModel(row.model),
                    row.name,
                    row.village if row.village != NO_VILLAGE else None,
                    row.decision_no,
                    row.decision_date,
                )
                for row in found
            ),
        )
