"""The yearly summary read model: per organisation and year, own and subtree.

``rm_summary`` (organisation, year, scope) sums flows (design §4): raised
(donations only), disbursed and its split into scholarships, awards and other,
recipients, transfers in and out, and raised split by the level of the
organisation that recorded the donation. Flows roll up along the hierarchy as
it stood on each entry's business date; a reversal counts against the
reversed entry's date, so it reduces that year; a transfer counts for a
subtree only if it crosses the subtree's boundary. When an organisation
moves, the lines its move can change are re-counted: taken off as the
hierarchy was, added as it is.

``rm_membership`` (organisation, year) holds the latest report (members,
population) and two roll-ups along the hierarchy at the year's end: the
subtree's members, and the sum of the direct children's populations. An
organisation's population is its own report's, or else its children's sum
(recursively) — so populations are never counted twice.

Every row is kept up to date as events arrive, so reading a province's summary
reads two rows, however many organisations it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import Boolean, Column, Integer, String, Uuid, select
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from projections.change import handles
from projections.flows import FlowView
from projections.movements import (
    SUBTREE,
    SUMMARY_FIELDS,
    Line,
    flow_rows,
    flow_values,
)
from projections.tree import Tree
from projections.view import money, sum_columns, upsert


@dataclass(slots=True)
class Membership:
    """One organisation's membership row for one year."""

    reported: bool = False
    members: int = 0
    population: int | None = None
    subtree_members: int = 0
    children_population: int = 0

    @property
    def effective_population(self) -> int:
        """Its own territory's population, or else its children's sum."""
        if self.population is not None:
            return self.population
        return self.children_population


MEMBERSHIP_FIELDS = (
    "reported",
    "members",
    "population",
    "subtree_members",
    "children_population",
)


def year_end(year: int) -> date:
    return date(year, 12, 31)


class SummaryView(FlowView):
    name = "summary"

    def define_tables(self) -> None:
        self.flows = self.sum_table(
            "summary",
            Column("org_id", Uuid, primary_key=True),
            Column("year", Integer, primary_key=True),
            Column("scope", String(8), primary_key=True),
            *sum_columns(SUMMARY_FIELDS),
        )
        self.membership = self.table(
            "membership",
            Column("org_id", Uuid, primary_key=True),
            Column("year", Integer, primary_key=True),
            Column("reported", Boolean, nullable=False),
            Column("members", money(), nullable=False),
            Column("population", money(), nullable=True),
            Column("subtree_members", money(), nullable=False),
            Column("children_population", money(), nullable=False),
        )
        self._years: dict[int, dict[UUID, Membership]] = {}
        self._dirty: set[tuple[UUID, int]] = set()

    # ---- flows -------------------------------------------------------------------

    def add_lines(
        self,
        lines: Iterable[Line],
        tree: Tree,
        *,
        subtree_only: bool = False,
        sign: int = 1,
    ) -> None:
        for line in lines:
            values = flow_values(line, tree)
            if not values:
                continue
            year = line.flow_date.year
            keys = [
                (org_id, year, scope)
                for org_id, scope in flow_rows(line, tree)
                if scope == SUBTREE or not subtree_only
            ]
            self.flows.add_to(keys, values, sign * line.sign)

    def recount_moved(
        self, session: Session, event: Organisation.Moved, lines: Sequence[Line]
    ) -> None:
        """Re-count the flows, and carry the membership of the years whose end
        the move changes, from the old ancestors to the new."""
        super().recount_moved(session, event, lines)
        self._move_membership(
            session,
            event.originator_id,
            event.effective_on.year,
            self.hierarchy.before_move,
            self.hierarchy.tree,
        )

    # ---- membership ------------------------------------------------------------

    @handles(Organisation.MembershipReported)
    def report(
        self,
        session: Session,
        event: Organisation.MembershipReported,
        lines: Sequence[Line],
    ) -> None:
        org_id, year = event.originator_id, event.year
        row = self._row(session, org_id, year)
        members_change = event.members - row.members
        population_before = row.effective_population
        row.reported = True
        row.members = event.members
        row.population = event.population
        row.subtree_members += members_change
        self._dirty.add((org_id, year))
        self._propagate(
            session,
            self.hierarchy.tree,
            org_id,
            year,
            members_change,
            row.effective_population - population_before,
        )

    def _move_membership(
        self, session: Session, org_id: UUID, since: int, before: Tree, after: Tree
    ) -> None:
        for year in sorted(self._years_of(session, org_id)):
            if year < since:
                continue
            row = self._row(session, org_id, year)
            members, population = row.subtree_members, row.effective_population
            self._propagate(session, before, org_id, year, -members, -population)
            self._propagate(session, after, org_id, year, members, population)

    def _propagate(
        self,
        session: Session,
        tree: Tree,
        org_id: UUID,
        year: int,
        members: int,
        population: int,
    ) -> None:
        """Add a change of ``org_id``'s subtree members and population to its
        ancestors at the year's end; a population change stops at the first
        ancestor that reports a population of its own."""
        parent = tree[org_id].parent_on(year_end(year))
        while parent is not None and (members or population):
            row = self._row(session, parent, year)
            row.subtree_members += members
            before = row.effective_population
            row.children_population += population
            population = row.effective_population - before
            self._dirty.add((parent, year))
            parent = tree[parent].parent_on(year_end(year))

    def _row(self, session: Session, org_id: UUID, year: int) -> Membership:
        rows = self._year(session, year)
        row = rows.get(org_id)
        if row is None:
            row = rows[org_id] = Membership()
        return row

    def _year(self, session: Session, year: int) -> dict[UUID, Membership]:
        rows = self._years.get(year)
        if rows is None:
            table = self.membership
            found = session.execute(
                table.select().where(table.c.year == year)
            ).mappings()
            rows = {
                row["org_id"]: Membership(*(row[name] for name in MEMBERSHIP_FIELDS))
                for row in found
            }
            self._years[year] = rows
        return rows

    def _years_of(self, session: Session, org_id: UUID) -> set[int]:
        table = self.membership
        stored = session.execute(
            select(table.c.year).where(table.c.org_id == org_id)
        ).scalars()
        years = set(stored)
        return years | {year for year, rows in self._years.items() if org_id in rows}

    # ---- the batch ---------------------------------------------------------------

    def flush(self, session: Session) -> None:
        super().flush(session)
        rows = []
        for org_id, year in sorted(self._dirty):
            row = self._years[year][org_id]
            rows.append(
                {"org_id": org_id, "year": year}
                | dict(zip(MEMBERSHIP_FIELDS, astuple(row), strict=True))
            )
        self._dirty.clear()
        upsert(session, self.membership, rows)

    def discard(self) -> None:
        super().discard()
        self._years.clear()
        self._dirty.clear()
