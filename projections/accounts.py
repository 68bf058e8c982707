"""The accounts read model: each fund's money per account (cash, bank), by day.

``rm_account_days`` (organisation, fund, account, business date): the net
change of that day — an entry's money in or out of its account, a deposit's
or a withdrawal's move between the two. The balance of an account now, or
``as_of`` a business date, is the sum of its days (about one row per day of
activity). Own rows only: the figures of a subtree are per fund
(``projections.balances``); cash and bank are the books of one treasurer.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Date, String, Uuid
from sqlalchemy.orm import Session

from ledger.organisation import Organisation
from projections.change import handles
from projections.movements import ENTRY_EVENTS, Line
from projections.view import View, sum_columns


class AccountsView(View):
    name = "accounts"

    def define_tables(self) -> None:
        self.days = self.sum_table(
            "account_days",
            Column("org_id", Uuid, primary_key=True),
            Column("fund", String(64), primary_key=True),
            Column("account", String(8), primary_key=True),
            Column("business_date", Date, primary_key=True),
            *sum_columns(("net",)),
        )

    @handles(*ENTRY_EVENTS, Organisation.Merged, Organisation.Absorbed)
    def add_lines(self, session: Session, event: object, lines: Sequence[Line]) -> None:
        for line in lines:
            for account, delta in line.account_deltas.items():
                if delta:
                    key = (line.org_id, line.fund, account, line.business_date)
                    self.days.add(key, {"net": delta})
