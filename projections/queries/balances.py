"""Balances: per fund, own or of today's subtree, now or at a point in time.

Now: one row per fund. ``as_of`` a business date: a sum over about one row
per day of activity. ``known_at`` a moment: the same, then the entries
recorded later on that moment's day are read (over today's subtree, found
with a recursive query) and taken off.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, func, select

from ledger.types import GENERAL_FUND, VIETNAM
from ledger.wording import says
from projections import errors
from projections.answers import Balance, FundBalance
from projections.balances import BalancesView
from projections.journal import JournalView, from_row
from projections.movements import OWN, SUBTREE, stock_change
from projections.queries.base import QueryBase
from projections.runner import ReadModels


class BalanceQueries(QueryBase):
    def __init__(self, read_models: ReadModels) -> None:
        super().__init__(read_models)
        balances = read_models.view(BalancesView)
        self.balances = balances.totals.table
        self.balance_days = balances.days.table
        self.fund_names_table = balances.names
        self.journal_lines = read_models.view(JournalView).lines

    def balance(
        self,
        code: str,
        *,
        fund: str | None = None,
        subtree: bool = False,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Balance:
        """Balances per fund of an organisation (or its subtree, today's).

        ``as_of`` counts entries dated up to that business date; ``known_at``
        counts what had been recorded by that moment (a naive datetime is
        Vietnamese time).
        """
        scope = SUBTREE if subtree else OWN
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            b = self.balances.c
            where = [b.org_id == org_id, b.scope == scope]
            if fund is not None:
                where.append(b.fund == fund)
            now = {
                row.fund: (row.total_in, row.total_out)
                for row in conn.execute(select(self.balances).where(*where))
            }
            if fund is not None and fund not in now:
                raise errors.UnknownFund(
                    says("fund.unknown", org=code, fund=fund), fund=fund
                )
            names = self._fund_names(conn, org_id)
            if as_of is None and known_at is None:
                sums = now
            else:
                sums = self._balance_then(conn, org_id, scope, fund, as_of, known_at)
        funds = tuple(
            FundBalance(
                name, money_in - money_out, money_in, money_out, names.get(name, "")
            )
            for name in sorted(now)
            for money_in, money_out in [sums.get(name, (0, 0))]
            # A subtree lists general and the funds with money in or out in
            # the answer: a zeroed row where a moved-away subtree's fund was
            # is not one of its funds.
            if not subtree
            or fund is not None
            or name == GENERAL_FUND
            or money_in
            or money_out
        )
        return Balance(code, subtree, as_of, known_at, funds)

    def fund_names(self, code: str) -> dict[str, str]:
        """Fund → the name it was opened with, of one organisation."""
        with self.engine.connect() as conn:
            return self._fund_names(conn, self._org_id(conn, code))

    def _fund_names(self, conn: Connection, org_id: UUID) -> dict[str, str]:
        n = self.fund_names_table.c
        rows = conn.execute(select(n.fund, n.name).where(n.org_id == org_id))
        return dict(rows.tuples().all())

    def _balance_then(
        self,
        conn: Connection,
        org_id: UUID,
        scope: str,
        fund: str | None,
        as_of: date | None,
        known_at: datetime | None,
    ) -> dict[str, tuple[int, int]]:
        d = self.balance_days.c
        where = [d.org_id == org_id, d.scope == scope]
        if fund is not None:
            where.append(d.fund == fund)
        if as_of is not None:
            where.append(d.business_date <= as_of)
        moment = _as_stored(known_at) if known_at is not None else None
        if moment is not None:
            where.append(d.recorded_on <= _vietnam_day(moment))
        sums = {
            row.fund: [row.money_in, row.money_out]
            for row in conn.execute(
                select(
                    d.fund,
                    func.sum(d.total_in).label("money_in"),
                    func.sum(d.total_out).label("money_out"),
                )
                .where(*where)
                .group_by(d.fund)
            )
        }
        if moment is not None:
            # The rows of known_at's own day include entries recorded later
            # that day: take those off.
            for line in self._recorded_after(conn, org_id, scope, moment, as_of):
                if fund is None or line.fund == fund:
                    money_in, money_out = stock_change(line)
                    fund_sums = sums.setdefault(line.fund, [0, 0])
                    fund_sums[0] -= money_in
                    fund_sums[1] -= money_out
        return {name: (values[0], values[1]) for name, values in sums.items()}

    def _recorded_after(
        self,
        conn: Connection,
        org_id: UUID,
        scope: str,
        moment: datetime,
        as_of: date | None,
    ) -> Iterable[Any]:
        j = self.journal_lines.c
        if scope == OWN:
            members: Any = [org_id]
        else:
            o = self.orgs.c
            tree = select(o.org_id).where(o.org_id == org_id).cte(recursive=True)
            tree = tree.union_all(select(o.org_id).where(o.parent_id == tree.c.org_id))
            members = select(tree.c.org_id)
        where = [
            j.recorded_on == _vietnam_day(moment),
            j.recorded_at > moment,
            j.org_id.in_(members),
        ]
        if as_of is not None:
            where.append(j.business_date <= as_of)
        rows = conn.execute(select(self.journal_lines).where(*where)).mappings()
        return [from_row(row) for row in rows]


def _as_stored(moment: datetime) -> datetime:
    """A moment as stored: UTC without tzinfo; a naive one is Vietnamese time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    try:
        stored = moment.astimezone(UTC).replace(tzinfo=None)
        _vietnam_day(stored)
    except OverflowError:
        raise errors.InvalidQuery(says("query.known_at", moment=moment)) from None
    return stored


def _vietnam_day(utc_moment: datetime) -> date:
    return utc_moment.replace(tzinfo=UTC).astimezone(VIETNAM).date()
