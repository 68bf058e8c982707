"""Cash and bank: each fund's balance per account, now or ``as_of`` a date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from projections.accounts import AccountsView
from projections.queries.base import QueryBase
from projections.runner import ReadModels

ACCOUNTS = ("cash", "bank")


class AccountQueries(QueryBase):
    def __init__(self, read_models: ReadModels) -> None:
        super().__init__(read_models)
        self.account_days = read_models.view(AccountsView).days.table

    def account_balances(
        self, code: str, *, fund: str | None = None, as_of: date | None = None
    ) -> dict[str, dict[str, int]]:
        """fund → account (``cash``, ``bank``) → balance, counting entries
        dated up to ``as_of`` (all if None). Funds that never held money are
        left out."""
        d = self.account_days.c
        with self.engine.connect() as conn:
            org_id = self._org_id(conn, code)
            where = [d.org_id == org_id]
            if fund is not None:
                where.append(d.fund == fund)
            if as_of is not None:
                where.append(d.business_date <= as_of)
            rows = conn.execute(
                select(d.fund, d.account, func.sum(d.net).label("balance"))
                .where(*where)
                .group_by(d.fund, d.account)
            )
            found: dict[str, dict[str, int]] = {}
            for row in rows:
                found.setdefault(row.fund, dict.fromkeys(ACCOUNTS, 0))[row.account] = (
                    int(row.balance)
                )
        return found
