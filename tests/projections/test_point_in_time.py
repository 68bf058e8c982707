"""Point in time on two axes: ``as_of`` (business date) and ``known_at`` (what
the ledger had recorded by a moment)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from ledger.types import VIETNAM
from tests.projections.conftest import Books


def a_moment() -> datetime:
    """Now, strictly between the events recorded before and after."""
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    return moment


def test_back_dated_entries_change_as_of_but_not_known_at(books: Books) -> None:
    books.register("P", "province")
    books.register("C", "commune", "P")
    books.donate("C", "PT-1", 5_000_000, date(2022, 5, 1))
    before_back_dating = a_moment()
    books.donate("C", "PT-2", 2_000_000, date(2022, 4, 1))  # back-dated
    books.pay("C", "PC-1", 1_000_000, date(2022, 4, 15))
    q = books.caught_up()

    assert q.balance("C", as_of=date(2022, 4, 30)).balance == 1_000_000
    assert q.balance("C", as_of=date(2022, 3, 31)).balance == 0
    assert q.balance("C").balance == 6_000_000
    then = q.balance("C", known_at=before_back_dating)
    assert (then.balance, then.funds[0].total_in, then.funds[0].total_out) == (
        5_000_000,
        5_000_000,
        0,
    )
    both = q.balance("C", as_of=date(2022, 4, 30), known_at=before_back_dating)
    assert both.balance == 0
    # The subtree's answers agree, along today's hierarchy.
    subtree = q.balance("P", subtree=True, known_at=before_back_dating)
    assert subtree.balance == 5_000_000
    books.assert_verified()


def test_known_at_takes_off_reversals_recorded_later(books: Books) -> None:
    books.register("P", "province")
    books.register("C", "commune", "P")
    books.donate("C", "PT-1", 5_000_000, date(2022, 5, 1))
    books.donate("C", "PT-2", 3_000_000, date(2022, 5, 2))
    end_of_books = a_moment()
    books.ledger.reverse_entry(
        "C", "PT-1", reason="nhầm", business_date=date(2022, 5, 3)
    )
    q = books.caught_up()

    assert q.balance("C").balance == 3_000_000
    assert q.balance("C", known_at=end_of_books).balance == 8_000_000
    assert q.balance("P", subtree=True, known_at=end_of_books).balance == 8_000_000
    assert q.balance("C", as_of=date(2022, 5, 2)).balance == 8_000_000


def test_known_at_before_anything_was_recorded_is_zero(books: Books) -> None:
    books.register("C", "commune")
    long_before = datetime(2020, 1, 1, tzinfo=UTC)
    books.donate("C", "PT-1", 5_000_000, date(2022, 5, 1))
    q = books.caught_up()
    assert q.balance("C", known_at=long_before).balance == 0


def test_a_naive_known_at_is_vietnamese_time(books: Books) -> None:
    books.register("C", "commune")
    books.donate("C", "PT-1", 5_000_000, date(2022, 5, 1))
    recorded = a_moment()
    q = books.caught_up()
    local = recorded.astimezone(VIETNAM).replace(tzinfo=None)
    assert q.balance("C", known_at=local).balance == 5_000_000
    # A minute earlier, Vietnamese time, the gift was not recorded yet; read
    # as UTC the same reading would be seven hours later, and would count it.
    assert q.balance("C", known_at=local - timedelta(minutes=1)).balance == 0
