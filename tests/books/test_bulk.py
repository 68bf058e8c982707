"""The Ledger's bulk path (``Ledger.batch()``): the same events as one command
at a time, one transaction, nothing left behind by a rollback, on SQLite and
PostgreSQL."""

from __future__ import annotations

import sqlite3
from contextlib import nullcontext
from datetime import date
from typing import Any

import psycopg
import pytest
from eventsourcing_sqlalchemy.recorders import SQLAlchemyAggregateRecorder
from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url

from bench.seed import ARTICLE, NgheAn2022
from ledger import Ledger, errors
from projections import Queries, ReadModels
from projections.verify import verify
from tests.conftest import TODAY, LedgerFactory


def stored(ledger: Ledger) -> list[tuple[Any, ...]]:
    """Every event in log order: aggregate, version, type and fields, without
    the recording time."""
    notifications = ledger.recorder.select_notifications(start=1, limit=1_000_000)
    found = []
    for notification in notifications:
        event = ledger.mapper.to_domain_event(notification)
        fields = {k: v for k, v in vars(event).items() if k != "timestamp"}
        found.append((notification.originator_id, notification.topic, fields))
    return found


def snapshots(ledger: Ledger) -> int:
    assert ledger.snapshots is not None
    recorder = ledger.snapshots.recorder
    assert isinstance(recorder, SQLAlchemyAggregateRecorder)
    table = recorder.events_record_cls.__table__
    assert isinstance(recorder.datastore.engine, Engine)
    with recorder.datastore.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_batch_records_what_one_command_at_a_time_records(
    open_ledger: LedgerFactory, seed: NgheAn2022
) -> None:
    one_by_one = Ledger("memory:", today=lambda: TODAY)
    seed.record(one_by_one)
    ledger = open_ledger()

    with ledger.batch(chunk_events=97) as batch:
        seed.record(batch)

    assert batch.events_written == len(stored(one_by_one)) > 500
    assert stored(ledger) == stored(one_by_one)
    read_models = ReadModels(ledger)
    read_models.catch_up()
    province = Queries(read_models).summary("NA", 2022, subtree=True)
    assert (province.raised_vnd, province.disbursed_vnd) == (
        ARTICLE.raised_vnd,
        ARTICLE.disbursed_vnd,
    )
    assert verify(read_models).clean


def test_the_same_commands_in_a_second_batch_record_nothing(
    open_ledger: LedgerFactory, seed: NgheAn2022
) -> None:
    ledger = open_ledger()
    with ledger.batch() as batch:
        seed.record(batch)
    head = ledger.recorder.max_notification_id()

    with ledger.batch() as again:
        seed.record(again)

    assert again.events_written == 0
    assert ledger.recorder.max_notification_id() == head


@pytest.mark.parametrize("ending", ["abort", "exception"])
def test_a_batch_rolled_back_leaves_no_event_snapshot_or_cached_state(
    open_ledger: LedgerFactory, ending: str
) -> None:
    ledger = open_ledger(snapshot_interval=2)
    ledger.register_organisation(
        "NA",
        name="Hội Khuyến học tỉnh Nghệ An",
        level="province",
        registered_on=date(2010, 1, 1),
    )
    ledger.receive_donation(
        "NA", voucher_no="PT-1", amount=1_000_000, business_date=date(2022, 1, 5)
    )
    assert ledger.balance("NA") == 1_000_000  # the cache holds NA now
    head, taken = ledger.recorder.max_notification_id(), snapshots(ledger)

    failing = pytest.raises(RuntimeError) if ending == "exception" else nullcontext()
    with failing, ledger.batch(chunk_events=1) as batch:
        for n in range(2, 6):
            batch.receive_donation(
                "NA",
                voucher_no=f"PT-{n}",
                amount=500_000,
                business_date=date(2022, 1, n),
            )
        assert batch.balance("NA") == 3_000_000  # inside: the batch's view
        assert batch.events_written > 0  # written, not committed
        if ending == "abort":
            batch.abort()
        else:
            raise RuntimeError("the importer died")

    assert ledger.recorder.max_notification_id() == head
    assert snapshots(ledger) == taken
    assert ledger.balance("NA") == 1_000_000
    assert open_ledger().balance("NA") == 1_000_000
    ledger.receive_donation(  # no stale version: this saves at once
        "NA", voucher_no="PT-2", amount=7, business_date=date(2022, 1, 2)
    )
    assert open_ledger().balance("NA") == 1_000_007


def test_a_command_failing_after_it_changed_aggregates_leaves_the_batch_sound(
    open_ledger: LedgerFactory,
) -> None:
    ledger = open_ledger()
    for code, parent, level in (("NA", None, "province"), ("NA-DC", "NA", "district")):
        ledger.register_organisation(
            code,
            name=code,
            level=level,
            parent_code=parent,
            registered_on=date(2010, 1, 1),
        )
    ledger.receive_donation(
        "NA", voucher_no="PT-1", amount=900, business_date=date(2022, 1, 5)
    )
    # NA-DC's own voucher takes the number NA's transfer CK-1 would have there.
    ledger.receive_donation(
        "NA-DC", voucher_no="NA:CK-1", amount=100, business_date=date(2022, 1, 5)
    )

    with ledger.batch() as batch:
        with pytest.raises(errors.DuplicateVoucher):
            # Refused after both sides took their events, before the save.
            batch.transfer(
                "NA",
                to_code="NA-DC",
                voucher_no="CK-1",
                amount=400,
                business_date=date(2022, 2, 1),
            )
        batch.transfer(
            "NA",
            to_code="NA-DC",
            voucher_no="CK-2",
            amount=300,
            business_date=date(2022, 2, 2),
        )
        batch.disburse(
            "NA-DC",
            voucher_no="PC-1",
            amount=400,
            category="award",
            business_date=date(2022, 2, 3),
        )
        assert (batch.balance("NA"), batch.balance("NA-DC")) == (600, 0)

    fresh = open_ledger()
    assert (fresh.balance("NA"), fresh.balance("NA-DC")) == (600, 0)
    assert fresh.organisation("NA").version == ledger.organisation("NA").version


def test_a_batch_holds_the_event_logs_write_lock_from_its_start(
    open_ledger: LedgerFactory, database_url: str
) -> None:
    ledger = open_ledger()

    with ledger.batch():
        assert not _can_take_write_lock(database_url)

    assert _can_take_write_lock(database_url)


def _can_take_write_lock(database_url: str) -> bool:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        lite = sqlite3.connect(str(url.database), timeout=0.1, isolation_level=None)
        try:
            lite.execute("BEGIN IMMEDIATE")
            lite.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return False
        finally:
            lite.close()
        return True
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq) as conn:
        conn.execute("SET lock_timeout = '100ms'")
        try:
            conn.execute("LOCK TABLE ledger_events IN EXCLUSIVE MODE")
        except psycopg.errors.LockNotAvailable:
            return False
        finally:
            conn.rollback()
    return True
