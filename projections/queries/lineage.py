"""An organisation through time: the name and level it had on a date, and its
whole record — names, levels, parents with their dates, the organisations it
came from and the ones it went into (merges and splits).

A report for a past year asks ``name_on`` / ``organisation_on`` for a date of
that year, so a 2022 report prints 2022's name even after the 2025 reform
renamed the commune. Databases built before names were dated have no dated
rows: the answers then fall back on today's name and level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from sqlalchemy import Connection, select

from projections.answers import OrganisationInfo, Period
from projections.dated import LEVEL, NAME
from projections.hierarchy import HierarchyView
from projections.queries.hierarchy import HierarchyQueries
from projections.runner import ReadModels


@dataclass(frozen=True, slots=True)
class DatedValue:
    """From ``valid_from`` until ``valid_to`` (None: still), the value held."""

    value: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class Link:
    """Another organisation in the lineage: ``how`` is ``merged`` or ``split``."""

    code: str
    how: str
    effective_on: date


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    """Everything the organisation has been, oldest first."""

    organisation: OrganisationInfo
    names: tuple[DatedValue, ...]
    levels: tuple[DatedValue, ...]
    parents: tuple[Period, ...]
    predecessors: tuple[Link, ...]
    """Organisations that merged into it or split into it."""
    successors: tuple[Link, ...]
    """Where it went: the organisation it merged into, those it split into."""


class LineageQueries(HierarchyQueries):
    def __init__(self, read_models: ReadModels) -> None:
        super().__init__(read_models)
        hierarchy = read_models.view(HierarchyView)
        self.dated = hierarchy.dated
        self.split_into = hierarchy.split_into

    def name_on(self, code: str, on: date) -> str:
        """The name ``code`` had on ``on`` (its first name before it existed)."""
        return self.organisation_on(code, on).name

    def organisation_on(self, code: str, on: date) -> OrganisationInfo:
        """The organisation as it stood on ``on``: name, level and parent then;
        status, children and lineage as they are today."""
        today = self.organisation(code)
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            name = self._value_on(conn, org_id, NAME, on) or today.name
            level = self._value_on(conn, org_id, LEVEL, on) or today.level
        return replace(today, name=name, level=level, parent=self.parent(code, on=on))

    def record(self, code: str) -> OrganisationRecord:
        info = self.organisation(code)
        parents = tuple(self.history(code))
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            names = self._values(conn, org_id, NAME) or (
                DatedValue(info.name, info.registered_on, None),
            )
            levels = self._values(conn, org_id, LEVEL) or (
                DatedValue(info.level, info.registered_on, None),
            )
            predecessors, successors = self._links(conn, org_id)
        return OrganisationRecord(
            organisation=info,
            names=names,
            levels=levels,
            parents=parents,
            predecessors=predecessors,
            successors=successors,
        )

    def _value_on(
        self, conn: Connection, org_id: UUID, attribute: str, on: date
    ) -> str | None:
        d = self.dated.c
        mine = (d.org_id == org_id) & (d.attribute == attribute)
        found: str | None = conn.execute(
            select(d.value)
            .where(mine, d.valid_from <= on)
            .order_by(d.valid_from.desc())
            .limit(1)
        ).scalar()
        if found is None:  # before it existed: its first value
            found = conn.execute(
                select(d.value).where(mine).order_by(d.valid_from).limit(1)
            ).scalar()
        return found

    def _values(
        self, conn: Connection, org_id: UUID, attribute: str
    ) -> tuple[DatedValue, ...]:
        d = self.dated.c
        rows = conn.execute(
            select(d.value, d.valid_from, d.valid_to)
            .where(d.org_id == org_id, d.attribute == attribute)
            .order_by(d.valid_from)
        )
        return tuple(DatedValue(r.value, r.valid_from, r.valid_to) for r in rows)

    def _links(
        self, conn: Connection, org_id: UUID
    ) -> tuple[tuple[Link, ...], tuple[Link, ...]]:
        o, s = self.orgs.c, self.split_into.c
        merged_in = conn.execute(
            select(o.code, o.closed_on).where(o.merged_into_id == org_id)
        )
        split_in = conn.execute(
            select(o.code, s.effective_on)
            .join(self.split_into, s.org_id == o.org_id)
            .where(s.successor_id == org_id)
        )
        predecessors = sorted(
            [Link(r.code, "merged", r.closed_on) for r in merged_in]
            + [Link(r.code, "split", r.effective_on) for r in split_in],
            key=lambda link: (link.effective_on, link.code),
        )
        merged_into = conn.execute(
            select(o.merged_into_id, o.closed_on).where(o.org_id == org_id)
        ).one()
        split_out = list(
            conn.execute(
                select(s.successor_id, s.effective_on).where(s.org_id == org_id)
            )
        )
        codes = self._codes(
            conn, [merged_into.merged_into_id, *(r.successor_id for r in split_out)]
        )
        successors = [
            Link(codes[r.successor_id], "split", r.effective_on) for r in split_out
        ]
        if merged_into.merged_into_id is not None:
            successors.append(
                Link(codes[merged_into.merged_into_id], "merged", merged_into.closed_on)
            )
        return tuple(predecessors), tuple(
            sorted(successors, key=lambda link: link.code)
        )
