"""The runner: catching up in batches, rebuild, verify, following the log and
read-your-writes."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import inspect, text

from ledger import Ledger
from projections import ReadModels, errors
from projections.verify import verify
from tests.projections.conftest import Books, BooksFactory


def some_history(books: Books, n: int = 12) -> None:
    books.register("P", "province")
    books.register("C", "commune", "P")
    for i in range(n):
        books.donate("C", f"PT-{i}", 1_000_000 + i, date(2022, 1, 1 + i))


def test_small_batches_give_what_one_batch_gives(open_books: BooksFactory) -> None:
    books = open_books(batch_size=2)
    some_history(books)
    books.register("D", "district", "P")
    books.ledger.move("C", new_parent_code="D", effective_on=date(2022, 1, 5))
    q = books.caught_up()
    assert q.summary("P", 2022, subtree=True).raised_vnd == sum(
        1_000_000 + i for i in range(12)
    )
    assert q.summary("D", 2022, subtree=True).raised_vnd == sum(
        1_000_000 + i for i in range(4, 12)
    )
    assert books.read_models.position() == books.read_models.head()
    books.assert_verified()


def test_rebuild_replays_the_whole_log_into_equal_read_models(books: Books) -> None:
    some_history(books)
    q = books.caught_up()
    before = (q.balance("C"), q.summary("P", 2022, subtree=True), q.journal("C"))
    position = books.read_models.rebuild()
    assert position == books.read_models.head()
    after = (q.balance("C"), q.summary("P", 2022, subtree=True), q.journal("C"))
    assert after == before


def test_verify_names_every_row_that_differs(books: Books) -> None:
    some_history(books)
    books.read_models.catch_up()
    assert verify(books.read_models).clean
    with books.read_models.engine.begin() as conn:
        conn.execute(text("UPDATE rm_summary SET raised = raised + 1"))
        conn.execute(text("DELETE FROM rm_journal WHERE voucher_no = 'PT-3'"))
        conn.execute(text("UPDATE rm_organisations SET name = 'X' WHERE code = 'C'"))
    result = verify(books.read_models)
    assert not result.clean
    tables = sorted({d.table for d in result.differences})
    assert tables == ["rm_journal", "rm_organisations", "rm_summary"]
    missing = [d for d in result.differences if d.table == "rm_journal"]
    assert len(missing) == 1
    assert missing[0].live is None
    assert missing[0].rebuilt is not None
    assert missing[0].rebuilt["voucher_no"] == "PT-3"
    summary_rows = [d for d in result.differences if d.table == "rm_summary"]
    assert len(summary_rows) == 3  # 2022: C own and subtree, P subtree
    assert "raised" in str(summary_rows[0])


def test_verify_leaves_no_scratch_tables_behind(books: Books) -> None:
    some_history(books, n=2)
    books.read_models.catch_up()
    engine = books.read_models.engine
    before = set(inspect(engine).get_table_names())
    verify(books.read_models)
    assert set(inspect(engine).get_table_names()) == before


def test_read_models_out_of_step_refuse_to_say_where_they_are(books: Books) -> None:
    some_history(books, n=2)
    books.read_models.catch_up()
    with books.read_models.engine.begin() as conn:
        conn.execute(text("UPDATE rm_journal_tracking SET notification_id = 1"))
    with pytest.raises(errors.OutOfStep):
        books.read_models.position()
    books.read_models.rebuild()
    assert books.read_models.position() == books.read_models.head()


def test_two_runners_never_apply_a_batch_twice(books: Books, database_url: str) -> None:
    some_history(books, n=30)
    other_ledger = Ledger(database_url)
    try:
        runners = [
            ReadModels(books.ledger, batch_size=3),
            ReadModels(other_ledger, batch_size=3),
        ]
        threads = [threading.Thread(target=r.catch_up) for r in runners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        q = books.queries
        assert len(q.journal("C").entries) == 30
        assert q.balance("C").balance == sum(1_000_000 + i for i in range(30))
        books.assert_verified()
    finally:
        other_ledger.close()


def test_wait_returns_once_a_following_runner_has_applied_a_write(
    books: Books,
) -> None:
    some_history(books, n=1)
    # A long poll: on PostgreSQL only NOTIFY can wake the runner in time;
    # on SQLite the write path catches up itself (below).
    follower = books.read_models.start(poll_interval=30.0)
    try:
        books.read_models.wait(books.read_models.head(), timeout=10)
        books.donate("C", "PT-late", 3_000_000, date(2022, 6, 1))
        head = books.read_models.head()
        if books.read_models.engine.dialect.name == "sqlite":
            books.read_models.catch_up()
        assert books.read_models.wait(head, timeout=10) >= head
        assert books.queries.balance("C").balance == 4_000_000
    finally:
        follower.stop()


def test_wait_times_out_when_nobody_catches_up(books: Books) -> None:
    some_history(books, n=1)
    with pytest.raises(errors.WaitTimeout):
        books.read_models.wait(books.read_models.head(), timeout=0.05)


def test_read_models_need_a_database() -> None:
    ledger = Ledger("memory:")
    with pytest.raises(errors.Unsupported):
        ReadModels(ledger)


def test_a_follower_survives_a_failed_catch_up(
    books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    some_history(books, n=2)
    real_catch_up = books.read_models.catch_up
    failures: list[str] = []

    def flaky(until: int | None = None, batch_size: int | None = None) -> int:
        if not failures:
            failures.append("once")
            raise errors.ReadModelError("the database went away")
        return real_catch_up(until, batch_size)

    monkeypatch.setattr(books.read_models, "catch_up", flaky)
    follower = books.read_models.start(poll_interval=0.01)
    try:
        assert books.read_models.wait(books.read_models.head(), timeout=10) > 0
    finally:
        follower.stop()
    assert failures == ["once"]


def test_verify_refuses_to_compare_read_models_that_never_hold_still(
    books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    some_history(books, n=3)
    books.read_models.catch_up()
    positions = iter(range(100, 1000))
    monkeypatch.setattr(books.read_models, "position", lambda: next(positions))
    with pytest.raises(errors.StillMoving):
        verify(books.read_models)
