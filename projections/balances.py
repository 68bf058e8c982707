"""The balances read model: money in, money out and balance, per organisation and fund.

Stocks roll up along **today's** hierarchy (design §4): the ``subtree`` row of
an organisation is the sum of the ``own`` rows of everything below it now —
including merged and dissolved organisations, which hold nothing today but
held money before. Subtree totals in and out are the sums of the members'
own totals, so a transfer between two of them shows on both sides (the yearly
summary, not this table, counts only transfers that cross a boundary).

- ``rm_balances`` (organisation, scope, fund): totals now — one row read per
  query, whatever the size of the subtree.
- ``rm_balance_days`` (organisation, scope, fund, business date, recording
  date): the same sums per day, so a balance ``as_of`` a business date, or as
  ``known_at`` a moment, sums one row per (business date, recording date)
  pair — about one per day of activity — rather than the subtree.

A reversal moves money on its own business date. When an organisation moves,
its subtree's rows are taken off its old ancestors and added to the new ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Date, String, Uuid, and_
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from ledger.restructuring import SplitReceived, SplitUp
from ledger.types import GENERAL_FUND
from projections.change import handles
from projections.hierarchy import HierarchyView
from projections.movements import (
    ENTRY_EVENTS,
    OWN,
    SUBTREE,
    Line,
    stock_change,
    stock_scopes,
)
from projections.view import Sums, View, Views, sum_columns

STOCK_FIELDS = ("total_in", "total_out")


class BalancesView(View):
    name = "balances"
    flush_before = frozenset({Organisation.Moved})

    def connect(self, earlier: Views) -> None:
        self.hierarchy = earlier[HierarchyView]

    def define_tables(self) -> None:
        self.totals = self.sum_table(
            "balances",
            Column("org_id", Uuid, primary_key=True),
            Column("scope", String(8), primary_key=True),
            Column("fund", String(64), primary_key=True),
            *sum_columns(STOCK_FIELDS),
        )
        self.days = self.sum_table(
            "balance_days",
            Column("org_id", Uuid, primary_key=True),
            Column("scope", String(8), primary_key=True),
            Column("fund", String(64), primary_key=True),
            Column("business_date", Date, primary_key=True),
            Column("recorded_on", Date, primary_key=True),
            *sum_columns(STOCK_FIELDS),
        )

    @handles(Organisation.Registered)
    def register(
        self, session: Session, event: Organisation.Registered, lines: Sequence[Line]
    ) -> None:
        self._open_fund(event.originator_id, GENERAL_FUND)

    @handles(Organisation.FundOpened)
    def open_fund(
        self, session: Session, event: Organisation.FundOpened, lines: Sequence[Line]
    ) -> None:
        self._open_fund(event.originator_id, event.fund)

    @handles(Organisation.Absorbed, SplitReceived)
    def absorb(
        self, session: Session, event: Organisation.Absorbed, lines: Sequence[Line]
    ) -> None:
        for fund in event.funds:
            self._open_fund(event.originator_id, fund)
        self.add_lines(session, event, lines)

    def _open_fund(self, org_id: UUID, fund: str) -> None:
        """A fund exists (at zero) for its organisation and each subtree above it."""
        self.totals.touch((org_id, OWN, fund))
        for ancestor in self.hierarchy.tree.current_ancestry(org_id):
            self.totals.touch((ancestor, SUBTREE, fund))

    @handles(*ENTRY_EVENTS, Organisation.Merged, SplitUp)
    def add_lines(self, session: Session, event: object, lines: Sequence[Line]) -> None:
        tree = self.hierarchy.tree
        for line in lines:
            money_in, money_out = stock_change(line)
            values = {"total_in": money_in, "total_out": money_out}
            rows = list(stock_scopes(line, tree))
            self.totals.add_to(((o, scope, line.fund) for o, scope in rows), values)
            day = (line.business_date, line.recorded_on)
            self.days.add_to(((o, scope, line.fund, *day) for o, scope in rows), values)

    @handles(Organisation.Moved)
    def move_subtree(
        self, session: Session, event: Organisation.Moved, lines: Sequence[Line]
    ) -> None:
        """Carry the moved organisation's subtree rows from its old ancestors
        to its new ones (the batch so far is written: ``flush_before``)."""
        org_id = event.originator_id
        old = self.hierarchy.before_move.current_ancestry(org_id)[1:]
        new = self.hierarchy.tree.current_ancestry(org_id)[1:]
        leaving = [a for a in old if a not in new]
        joining = [a for a in new if a not in old]
        for sums in (self.totals, self.days):
            for key, values in _subtree_rows(session, sums, org_id):
                for ancestor in leaving:
                    sums.add((ancestor, *key), values, sign=-1)
                for ancestor in joining:
                    sums.add((ancestor, *key), values)


def _subtree_rows(
    session: Session, sums: Sums, org_id: UUID
) -> list[tuple[tuple[Any, ...], dict[str, int]]]:
    """An organisation's subtree rows: (key after organisation, values)."""
    table = sums.table
    rows = session.execute(
        table.select().where(and_(table.c.org_id == org_id, table.c.scope == SUBTREE))
    ).mappings()
    return [
        (
            tuple(row[name] for name in sums.keys[1:]),
            {name: row[name] for name in sums.values},
        )
        for row in rows
    ]
