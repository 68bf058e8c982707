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

from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from sqlalchemy import Column, Date, String, Uuid, and_
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from ledger.types import GENERAL_FUND
from projections.hierarchy import HierarchyView
from projections.movements import OWN, SUBTREE, lines_of, stock_change, stock_scopes
from projections.view import Sums, View, sum_columns

STOCK_FIELDS = ("total_in", "total_out")


class BalancesView(View):
    name = "balances"

    def __init__(self, *args: Any, hierarchy: HierarchyView, **kwargs: Any) -> None:
        self.hierarchy = hierarchy
        super().__init__(*args, **kwargs)

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

    def open_fund(self, org_id: UUID, fund: str) -> None:
        """A fund exists (at zero) for its organisation and each subtree above it."""
        self.totals.touch((org_id, OWN, fund))
        for ancestor in self.hierarchy.tree.current_ancestry(org_id):
            self.totals.touch((ancestor, SUBTREE, fund))

    def add_event(self, event: object, position: int) -> None:
        tree = self.hierarchy.tree
        for line in lines_of(event, position):
            money_in, money_out = stock_change(line)
            values = {"total_in": money_in, "total_out": money_out}
            rows = list(stock_scopes(line, tree))
            self.totals.add_to(((o, scope, line.fund) for o, scope in rows), values)
            day = (line.business_date, line.recorded_on)
            self.days.add_to(((o, scope, line.fund, *day) for o, scope in rows), values)

    def move_subtree(self, org_id: UUID) -> None:
        """Carry ``org_id``'s subtree rows from its old ancestors to its new ones."""
        old = self.hierarchy.before_move.current_ancestry(org_id)[1:]
        new = self.hierarchy.tree.current_ancestry(org_id)[1:]
        leaving = [a for a in old if a not in new]
        joining = [a for a in new if a not in old]
        with self.transaction(commit=True) as session:
            self.flush(session)
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


class BalancesProjection(Projection[BalancesView]):
    name = "balances"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.add_event(domain_event, tracking.notification_id)

    @process_event.register
    def _registered(self, event: Organisation.Registered, _: Tracking) -> None:
        self.view.open_fund(event.originator_id, GENERAL_FUND)

    @process_event.register
    def _fund_opened(self, event: Organisation.FundOpened, _: Tracking) -> None:
        self.view.open_fund(event.originator_id, event.fund)

    @process_event.register
    def _moved(self, event: Organisation.Moved, _: Tracking) -> None:
        self.view.move_subtree(event.originator_id)

    @process_event.register
    def _absorbed(self, event: Organisation.Absorbed, tracking: Tracking) -> None:
        for fund in event.funds:
            self.view.open_fund(event.originator_id, fund)
        self.view.add_event(event, tracking.notification_id)
