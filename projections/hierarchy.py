"""The hierarchy read model: the tree with its history — who was under whom, when.

``rm_organisations`` holds each organisation as it is now (code, name, level,
parent, status); ``rm_parentage`` holds its periods under parents (from
``valid_from`` until ``valid_to``, open-ended for the current one),
``rm_dated_values`` its names and levels with their periods
(``projections.dated``), so a past year's report prints the name in force
then, and ``rm_split_successors`` where a split organisation went. A merged
or dissolved organisation keeps its last period: it stays where its history
happened (see ``projections.tree``).

The view also keeps the whole tree in memory (``tree``), which the roll-up
read models use to find ancestors; on a move it keeps the tree as it was just
before (``before_move``) so they can take a subtree's figures off its old
ancestors and add them to the new ones. It is the first read model of the
registry: the others read its tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Date, Index, String, Uuid, and_, update
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from ledger.restructuring import LevelChanged, SplitUp, successor_ids
from ledger.types import Status
from projections.change import handles
from projections.dated import LEVEL, NAME, dated_columns, first_values, set_value
from projections.movements import Line
from projections.tree import Tree
from projections.view import View


class HierarchyView(View):
    name = "hierarchy"
    flush_before = frozenset({Organisation.Moved, LevelChanged})
    """A move, and a change of level, change the tree the other views read:
    each is a run of its own."""

    def define_tables(self) -> None:
        self.organisations = self.table(
            "organisations",
            Column("org_id", Uuid, primary_key=True),
            Column("code", String(64), nullable=False, unique=True),
            Column("name", String(200), nullable=False),
            Column("level", String(16), nullable=False),
            Column("registered_on", Date, nullable=False),
            Column("parent_id", Uuid, nullable=True),
            Column("status", String(16), nullable=False),
            Column("closed_on", Date, nullable=True),
            Column("merged_into_id", Uuid, nullable=True),
        )
        Index(f"{self.prefix}organisations_parent", self.organisations.c.parent_id)
        self.parentage = self.table(
            "parentage",
            Column("org_id", Uuid, primary_key=True),
            Column("valid_from", Date, primary_key=True),
            Column("valid_to", Date, nullable=True),
            Column("parent_id", Uuid, nullable=True),
        )
        Index(f"{self.prefix}parentage_parent", self.parentage.c.parent_id)
        self.dated = self.table("dated_values", *dated_columns())
        self.split_into = self.table(
            "split_successors",
            Column("org_id", Uuid, primary_key=True),
            Column("successor_id", Uuid, primary_key=True),
            Column("effective_on", Date, nullable=False),
        )
        Index(
            f"{self.prefix}split_successors_successor", self.split_into.c.successor_id
        )
        self.tree = Tree()
        self.before_move = self.tree
        self._new_organisations: list[dict[str, Any]] = []
        self._new_periods: list[dict[str, Any]] = []
        self._new_values: list[dict[str, Any]] = []
        self._loaded = False

    # ---- state in memory ---------------------------------------------------------

    def load(self, session: Session) -> None:
        """Read the tree from the tables (at start, and after a rollback)."""
        orgs = session.execute(
            self.organisations.select().with_only_columns(
                self.organisations.c.org_id,
                self.organisations.c.code,
                self.organisations.c.level,
                self.organisations.c.registered_on,
            )
        ).tuples()
        periods = session.execute(
            self.parentage.select().with_only_columns(
                self.parentage.c.org_id,
                self.parentage.c.valid_from,
                self.parentage.c.parent_id,
            )
        ).tuples()
        self.tree = Tree.from_rows(orgs, periods)
        self.before_move = self.tree
        self._loaded = True

    def begin(self, session: Session) -> None:
        if not self._loaded:
            self.load(session)

    def discard(self) -> None:
        super().discard()
        self._new_organisations.clear()
        self._new_periods.clear()
        self._new_values.clear()
        self._loaded = False

    def flush(self, session: Session) -> None:
        super().flush(session)
        if self._new_organisations:
            session.execute(self.organisations.insert(), self._new_organisations)
            self._new_organisations = []
        if self._new_periods:
            session.execute(self.parentage.insert(), self._new_periods)
            self._new_periods = []
        if self._new_values:
            session.execute(self.dated.insert(), self._new_values)
            self._new_values = []

    # ---- changes -----------------------------------------------------------------

    @handles(Organisation.Registered)
    def register(
        self, session: Session, event: Organisation.Registered, lines: Sequence[Line]
    ) -> None:
        self.tree.register(
            event.originator_id,
            code=event.code,
            level=event.level,
            registered_on=event.registered_on,
            parent_id=event.parent_id,
        )
        self._new_organisations.append(
            {
                "org_id": event.originator_id,
                "code": event.code,
                "name": event.name,
                "level": event.level.value,
                "registered_on": event.registered_on,
                "parent_id": event.parent_id,
                "status": Status.ACTIVE.value,
                "closed_on": None,
                "merged_into_id": None,
            }
        )
        self._new_periods.append(
            {
                "org_id": event.originator_id,
                "valid_from": event.registered_on,
                "valid_to": None,
                "parent_id": event.parent_id,
            }
        )
        self._new_values.extend(
            first_values(
                event.originator_id,
                event.registered_on,
                {NAME: event.name, LEVEL: event.level.value},
            )
        )

    @handles(Organisation.Renamed)
    def rename(
        self, session: Session, event: Organisation.Renamed, lines: Sequence[Line]
    ) -> None:
        self._set_columns(session, event.originator_id, name=event.name)
        set_value(
            session,
            self.dated,
            event.originator_id,
            NAME,
            event.effective_on,
            event.name,
        )

    @handles(LevelChanged)
    def change_level(
        self, session: Session, event: LevelChanged, lines: Sequence[Line]
    ) -> None:
        self.tree = self.tree.with_level(event.originator_id, event.level)
        self.before_move = self.tree
        self._set_columns(session, event.originator_id, level=event.level.value)
        set_value(
            session,
            self.dated,
            event.originator_id,
            LEVEL,
            event.effective_on,
            event.level.value,
        )

    @handles(SplitUp)
    def split(self, session: Session, event: SplitUp, lines: Sequence[Line]) -> None:
        self._set_columns(
            session,
            event.originator_id,
            status=Status.SPLIT.value,
            closed_on=event.effective_on,
        )
        session.execute(
            self.split_into.insert(),
            [
                {
                    "org_id": event.originator_id,
                    "successor_id": successor,
                    "effective_on": event.effective_on,
                }
                for successor in successor_ids(event)
            ],
        )

    @handles(Organisation.Merged)
    def merge(
        self, session: Session, event: Organisation.Merged, lines: Sequence[Line]
    ) -> None:
        self._set_columns(
            session,
            event.originator_id,
            status=Status.MERGED.value,
            closed_on=event.effective_on,
            merged_into_id=event.into_id,
        )

    @handles(Organisation.Dissolved)
    def dissolve(
        self, session: Session, event: Organisation.Dissolved, lines: Sequence[Line]
    ) -> None:
        self._set_columns(
            session,
            event.originator_id,
            status=Status.DISSOLVED.value,
            closed_on=event.effective_on,
        )

    def _set_columns(self, session: Session, org_id: UUID, **values: Any) -> None:
        self.flush(session)
        session.execute(
            update(self.organisations)
            .where(self.organisations.c.org_id == org_id)
            .values(**values)
        )

    @handles(Organisation.Moved)
    def move(
        self, session: Session, event: Organisation.Moved, lines: Sequence[Line]
    ) -> None:
        org_id, effective_on = event.originator_id, event.effective_on
        self.before_move = self.tree
        self.tree = self.tree.with_move(org_id, event.new_parent_id, effective_on)
        parentage = self.parentage.c
        # A move on the day the current period began replaces it.
        session.execute(
            self.parentage.delete().where(
                and_(parentage.org_id == org_id, parentage.valid_from == effective_on)
            )
        )
        session.execute(
            update(self.parentage)
            .where(and_(parentage.org_id == org_id, parentage.valid_to.is_(None)))
            .values(valid_to=effective_on)
        )
        session.execute(
            self.parentage.insert().values(
                org_id=org_id,
                valid_from=effective_on,
                valid_to=None,
                parent_id=event.new_parent_id,
            )
        )
        session.execute(
            update(self.organisations)
            .where(self.organisations.c.org_id == org_id)
            .values(parent_id=event.new_parent_id)
        )
