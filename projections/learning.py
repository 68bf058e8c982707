"""The learning-model read model: per organisation, year and model, the latest
report and the figures of its territory.

``rm_learning`` (organisation, year, model) holds the organisation's own
latest report (eligible, registered, recognised) and the sums of its direct
children's territory figures at the year's end. A territory's figures are
the organisation's own report when it made one (a report covers its whole
territory), or else its children's sum, recursively — the rule membership
applies to populations, so nothing is counted twice.

A year's figures roll up along the hierarchy as it stood at the year's end
(titles are evaluated yearly), like membership. An organisation merged,
split or dissolved on or before a year's end is not part of that year's tree: its
report for that year stays on its own row, and the organisation that took
over the territory reports for it. A move carries the figures of the years
whose end it changes from the old ancestors to the new; a merge or
dissolution takes the figures of its year and later off the ancestors.

``rm_learning_targets`` (organisation, year, model) holds the targets an
organisation set itself (a later setting supersedes an earlier for the years
both cover); where it set none, the query takes its nearest ancestor's at
the year's end, or else the association's national target.

Every row is kept up to date as events arrive, so reading a province's
figures reads five rows (one per model), however many organisations it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from sqlalchemy import Boolean, Column, Integer, String, Uuid, select
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from ledger.restructuring import SplitUp
from projections.change import handles
from projections.hierarchy import HierarchyView
from projections.movements import Line
from projections.tree import Tree
from projections.view import View, Views, money, upsert

Figures = tuple[int, int, int]
"""(eligible, registered, recognised)."""
NONE: Figures = (0, 0, 0)


@dataclass(slots=True)
class LearningRow:
    """One organisation's row for one year and model."""

    reported: bool = False
    own: Figures = NONE
    children: Figures = NONE

    @property
    def territory(self) -> Figures:
        """Its own report, or else its children's sum."""
        return self.own if self.reported else self.children


def _add(a: Figures, b: Figures, sign: int = 1) -> Figures:
    return (a[0] + sign * b[0], a[1] + sign * b[1], a[2] + sign * b[2])


def _year_end(year: int) -> date:
    return date(year, 12, 31)


COLUMNS = (
    "reported",
    "eligible",
    "registered",
    "recognised",
    "children_eligible",
    "children_registered",
    "children_recognised",
)
Key = tuple[UUID, int, str]


@dataclass
class _Pending:
    rows: dict[Key, LearningRow] = field(default_factory=dict)
    dirty: set[Key] = field(default_factory=set)


class LearningView(View):
    name = "learning"
    flush_before = frozenset({Organisation.Moved})

    def connect(self, earlier: Views) -> None:
        self.hierarchy = earlier[HierarchyView]

    def define_tables(self) -> None:
        self.learning = self.table(
            "learning",
            Column("org_id", Uuid, primary_key=True),
            Column("year", Integer, primary_key=True),
            Column("model", String(16), primary_key=True),
            Column("reported", Boolean, nullable=False),
            *(Column(name, money(), nullable=False) for name in COLUMNS[1:]),
        )
        self.targets = self.table(
            "learning_targets",
            Column("org_id", Uuid, primary_key=True),
            Column("year", Integer, primary_key=True),
            Column("model", String(16), primary_key=True),
            Column("percent", Integer, nullable=False),
        )
        self._state = _Pending()
        self._loaded_years: set[int] = set()
        self._closed: dict[UUID, int] | None = None
        """The year each closed organisation left the tree (its closing year)."""

    # ---- events --------------------------------------------------------------

    @handles(Organisation.LearningModelReported)
    def report(
        self,
        session: Session,
        event: Organisation.LearningModelReported,
        lines: Sequence[Line],
    ) -> None:
        key = (event.originator_id, event.year, event.model.value)
        row = self._row(session, key)
        before = row.territory
        row.reported = True
        row.own = (event.eligible, event.registered, event.recognised)
        self._state.dirty.add(key)
        self._propagate(
            session, self.hierarchy.tree, key, _add(row.territory, before, -1)
        )

    @handles(Organisation.LearningTargetSet)
    def target(
        self,
        session: Session,
        event: Organisation.LearningTargetSet,
        lines: Sequence[Line],
    ) -> None:
        """An organisation's own target, one row per year it covers."""
        upsert(
            session,
            self.targets,
            [
                {
                    "org_id": event.originator_id,
                    "year": year,
                    "model": event.model.value,
                    "percent": event.percent,
                }
                for year in range(event.first_year, event.last_year + 1)
            ],
        )

    @handles(Organisation.Moved)
    def moved(
        self, session: Session, event: Organisation.Moved, lines: Sequence[Line]
    ) -> None:
        """Carry the figures of the years whose end the move changes."""
        before, after = self.hierarchy.before_move, self.hierarchy.tree
        for key in self._keys_of(session, event.originator_id):
            if key[1] < event.effective_on.year:
                continue
            figures = self._row(session, key).territory
            self._propagate(session, before, key, figures, sign=-1)
            self._propagate(session, after, key, figures)

    @handles(Organisation.Merged)
    def merged(
        self, session: Session, event: Organisation.Merged, lines: Sequence[Line]
    ) -> None:
        self._close(session, event.originator_id, event.effective_on.year)

    @handles(Organisation.Dissolved)
    def dissolved(
        self, session: Session, event: Organisation.Dissolved, lines: Sequence[Line]
    ) -> None:
        self._close(session, event.originator_id, event.effective_on.year)

    @handles(SplitUp)
    def split_up(self, session: Session, event: SplitUp, lines: Sequence[Line]) -> None:
        self._close(session, event.originator_id, event.effective_on.year)

    def _close(self, session: Session, org_id: UUID, year: int) -> None:
        """Take the figures of the closing year and later off the ancestors."""
        for key in self._keys_of(session, org_id):
            if key[1] >= year:
                figures = self._row(session, key).territory
                self._propagate(session, self.hierarchy.tree, key, figures, sign=-1)
        self._closed_years(session)[org_id] = year

    # ---- roll-up -------------------------------------------------------------

    def _propagate(
        self,
        session: Session,
        tree: Tree,
        key: Key,
        change: Figures,
        sign: int = 1,
    ) -> None:
        """Add a change of an organisation's territory figures to its ancestors
        at the year's end; it stops at an ancestor with a report of its own, or
        at an organisation not in that year's tree (closed by its end)."""
        org_id, year, model = key
        closed = self._closed_years(session)
        change = _add(NONE, change, sign)
        while change != NONE and closed.get(org_id, year + 1) > year:
            parent = tree[org_id].parent_on(_year_end(year))
            if parent is None:
                return
            parent_key = (parent, year, model)
            row = self._row(session, parent_key)
            before = row.territory
            row.children = _add(row.children, change)
            self._state.dirty.add(parent_key)
            change = _add(row.territory, before, -1)
            org_id = parent

    # ---- state ---------------------------------------------------------------

    def _row(self, session: Session, key: Key) -> LearningRow:
        self._load_year(session, key[1])
        row = self._state.rows.get(key)
        if row is None:
            row = self._state.rows[key] = LearningRow()
        return row

    def _load_year(self, session: Session, year: int) -> None:
        if year in self._loaded_years:
            return
        t = self.learning
        for found in session.execute(t.select().where(t.c.year == year)).mappings():
            key = (found["org_id"], year, found["model"])
            self._state.rows.setdefault(
                key,
                LearningRow(
                    reported=found["reported"],
                    own=(found["eligible"], found["registered"], found["recognised"]),
                    children=(
                        found["children_eligible"],
                        found["children_registered"],
                        found["children_recognised"],
                    ),
                ),
            )
        self._loaded_years.add(year)

    def _keys_of(self, session: Session, org_id: UUID) -> list[Key]:
        t = self.learning
        years = set(
            session.execute(select(t.c.year).where(t.c.org_id == org_id)).scalars()
        )
        for year in years:
            self._load_year(session, year)
        return sorted(key for key in self._state.rows if key[0] == org_id)

    def _closed_years(self, session: Session) -> dict[UUID, int]:
        if self._closed is None:
            o = self.hierarchy.organisations.c
            self._closed = {
                org_id: closed_on.year
                for org_id, closed_on in session.execute(
                    select(o.org_id, o.closed_on).where(o.closed_on.is_not(None))
                ).tuples()
            }
        return self._closed

    # ---- the batch -------------------------------------------------------------

    def begin(self, session: Session) -> None:
        self._closed_years(session)

    def flush(self, session: Session) -> None:
        super().flush(session)
        rows = []
        for key in sorted(self._state.dirty):
            org_id, year, model = key
            row = self._state.rows[key]
            rows.append(
                {
                    "org_id": org_id,
                    "year": year,
                    "model": model,
                    "reported": row.reported,
                    "eligible": row.own[0],
                    "registered": row.own[1],
                    "recognised": row.own[2],
                    "children_eligible": row.children[0],
                    "children_registered": row.children[1],
                    "children_recognised": row.children[2],
                }
            )
        self._state.dirty.clear()
        upsert(session, self.learning, rows)

    def discard(self) -> None:
        super().discard()
        self._state = _Pending()
        self._loaded_years.clear()
        self._closed = None
