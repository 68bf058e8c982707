"""A ledger with its read models on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from ledger import Ledger
from ledger.types import Level
from projections import Queries, ReadModels
from projections.verify import verify
from tests.conftest import TODAY, LedgerFactory

LONG_AGO = date(2010, 1, 1)


@dataclass
class Books:
    """A ledger, its read models and their queries."""

    ledger: Ledger
    read_models: ReadModels
    queries: Queries

    def caught_up(self) -> Queries:
        self.read_models.catch_up()
        return self.queries

    def register(
        self,
        code: str,
        level: Level | str,
        parent: str | None = None,
        on: date = LONG_AGO,
    ) -> None:
        self.ledger.register_organisation(
            code, name=f"Hội {code}", level=level, parent_code=parent, registered_on=on
        )

    def donate(self, code: str, voucher: str, amount: int, on: date, **kw: Any) -> None:
        self.ledger.receive_donation(
            code, voucher_no=voucher, amount=amount, business_date=on, **kw
        )

    def pay(
        self,
        code: str,
        voucher: str,
        amount: int,
        on: date,
        category: str = "scholarship",
        recipients: int = 1,
        **kw: Any,
    ) -> None:
        self.ledger.disburse(
            code,
            voucher_no=voucher,
            amount=amount,
            business_date=on,
            category=category,
            recipients=recipients,
            **kw,
        )

    def assert_verified(self) -> None:
        self.read_models.catch_up()
        result = verify(self.read_models)
        assert result.clean, [str(d) for d in result.differences[:10]]


BooksFactory = Callable[..., Books]


@pytest.fixture
def open_books(open_ledger: LedgerFactory) -> BooksFactory:
    """Open books on the test's database; ``today`` may be set per test."""

    def factory(today: date = TODAY, batch_size: int = 1_000) -> Books:
        ledger = open_ledger(today=lambda: today)
        read_models = ReadModels(ledger, batch_size=batch_size)
        return Books(ledger, read_models, Queries(read_models))

    return factory


@pytest.fixture
def books(open_books: BooksFactory) -> Books:
    return open_books()
