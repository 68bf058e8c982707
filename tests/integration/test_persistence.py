"""The write model on real databases: each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.application import project_aggregate
from eventsourcing.persistence import RecordConflictError
from sqlalchemy import text

from ledger import Ledger, errors
from ledger.organisation import Organisation
from ledger.types import Category, Level
from tests.conftest import LedgerFactory

DAY = date(2024, 3, 1)


def setup_province(ledger: Ledger) -> None:
    ledger.register_organisation(
        "NA", name="Nghệ An", level=Level.PROVINCE, registered_on=date(2000, 1, 1)
    )
    ledger.register_organisation(
        "NA-DC",
        name="Diễn Châu",
        level="district",
        parent_code="NA",
        registered_on=date(2000, 1, 1),
    )


def donate(ledger: Ledger, voucher: str, amount: int, org: str = "NA-DC") -> Any:
    return ledger.receive_donation(
        org, voucher_no=voucher, amount=amount, business_date=DAY, donor="Bà B"
    )


def stored_count(ledger: Ledger, event_class: type[Any], org: str) -> int:
    org_id = Organisation.id_for(org)
    return sum(isinstance(e, event_class) for e in ledger.events.get(org_id))


def test_entries_survive_closing_and_reopening(open_ledger: LedgerFactory) -> None:
    first = open_ledger()
    setup_province(first)
    entry = donate(first, "PT-1", 7_000_000)
    first.disburse(
        "NA-DC",
        voucher_no="PC-1",
        amount=2_000_000,
        business_date=DAY,
        category="award",
        recipients=4,
    )
    first.close()

    second = open_ledger()
    assert second.balance("NA-DC") == 5_000_000
    assert donate(second, "PT-1", 7_000_000) == entry
    (paid,) = [
        e
        for e in second.events.get(Organisation.id_for("NA-DC"))
        if isinstance(e, Organisation.DisbursementPaid)
    ]
    assert paid.category is Category.AWARD
    assert paid.business_date == DAY
    assert paid.recipients == 4


def test_a_second_process_sees_and_respects_the_same_vouchers(
    open_ledger: LedgerFactory, database_url: str
) -> None:
    ledger = open_ledger()
    setup_province(ledger)
    entry = donate(ledger, "PT-1", 1_000_000)
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from ledger import Ledger, errors\n"
        "l = Ledger(sys.argv[1], today=lambda: date(2024, 12, 31))\n"
        "same = l.receive_donation('NA-DC', voucher_no='PT-1', amount=1_000_000,\n"
        "    business_date=date(2024, 3, 1), donor='Bà B')\n"
        "try:\n"
        "    l.receive_donation('NA-DC', voucher_no='PT-1', amount=9,\n"
        "        business_date=date(2024, 3, 1))\n"
        "except errors.DuplicateVoucher:\n"
        "    print('conflict refused')\n"
        "l.receive_donation('NA-DC', voucher_no='PT-2', amount=500_000,\n"
        "    business_date=date(2024, 3, 2))\n"
        "print(same)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, database_url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["conflict", "refused", str(entry)]
    assert ledger.balance("NA-DC") == 1_500_000
    assert stored_count(ledger, Organisation.DonationReceived, "NA-DC") == 2


def test_reload_from_snapshot_equals_full_replay(open_ledger: LedgerFactory) -> None:
    writer = open_ledger(snapshot_interval=10)
    setup_province(writer)
    writer.report_membership("NA-DC", year=2023, members=40_000, population=None)
    writer.open_fund(
        "NA-DC", "hoc-bong", name="Học bổng", restricted=True, purpose="scholarships"
    )
    for i in range(37):
        donate(writer, f"PT-{i}", 1_000 + i)
    writer.transfer(
        "NA-DC", to_code="NA", voucher_no="CK-1", amount=500, business_date=DAY
    )
    writer.reverse_entry("NA-DC", "PT-3", reason="nhầm")
    org_id = Organisation.id_for("NA-DC")

    reader = open_ledger(snapshot_interval=10, cache_size=0)
    snapshots = list(reader.snapshots.get(org_id)) if reader.snapshots else []
    assert [s.originator_version for s in snapshots] == [10, 20, 30, 40]
    from_snapshot: Organisation = reader.repository.get(org_id)
    replayed = project_aggregate(None, reader.events.get(org_id))
    assert replayed is not None
    assert vars(from_snapshot) == vars(replayed)
    assert from_snapshot.version == 42
    donated = sum(1_000 + i for i in range(37))
    assert from_snapshot.balances == {"general": donated - 500 - 1_003, "hoc-bong": 0}
    assert from_snapshot.membership == {"2023": [40_000, None]}
    assert from_snapshot.funds["hoc-bong"]["restricted"] is True


def test_two_threads_writing_to_one_organisation_lose_nothing(
    open_ledger: LedgerFactory,
) -> None:
    setup_province(open_ledger())
    per_thread = 40
    failures: list[BaseException] = []
    gave_up = [0]

    def work(thread_no: int) -> None:
        # Each thread has its own Ledger, as two processes would, so their
        # writes really conflict in the database.
        ledger = open_ledger()
        try:
            for i in range(per_thread):
                amount = 1_000 * (thread_no + 1)
                gave_up[0] += send_until_through(ledger, f"T{thread_no}-{i}", amount)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    run_threads(work, 2)
    assert failures == []
    check = open_ledger()
    assert check.balance("NA-DC") == per_thread * (1_000 + 2_000)
    assert stored_count(check, Organisation.DonationReceived, "NA-DC") == 2 * per_thread
    assert gave_up[0] < per_thread  # retries inside the Ledger absorb most conflicts


def test_threads_sharing_one_ledger_take_turns_without_conflicts(
    open_ledger: LedgerFactory,
) -> None:
    ledger = open_ledger()
    setup_province(ledger)
    for n in range(4):
        ledger.register_organisation(
            f"NA-DC-{n}",
            name=f"Xã {n}",
            level="commune",
            parent_code="NA-DC",
            registered_on=date(2000, 1, 1),
        )
    conflicts = count_conflicts(ledger)

    def work(thread_no: int) -> None:
        # Each thread feeds its own commune and sends to one shared hub.
        commune = f"NA-DC-{thread_no}"
        for i in range(15):
            donate(ledger, f"S-{i}", 10, org=commune)
            ledger.transfer(
                commune,
                to_code="NA",
                voucher_no=f"CK-{i}",
                amount=10,
                business_date=DAY,
            )
        # The hub reverses one of them, from its side: both sides take turns.
        ledger.reverse_entry("NA", f"{commune}:CK-0", reason="nhầm")

    run_threads(work, 4)
    assert ledger.balance("NA") == 4 * 15 * 10 - 4 * 10
    assert conflicts == []


@pytest.mark.parametrize("same_content", [True, False])
def test_racing_writers_of_one_voucher_record_it_once(
    open_ledger: LedgerFactory, same_content: bool
) -> None:
    setup_province(open_ledger())
    results: list[object] = []
    lock = threading.Lock()

    def work(thread_no: int) -> None:
        ledger = open_ledger()
        amount = 5_000 if same_content else 5_000 + thread_no
        try:
            outcome: object = donate(ledger, "PT-RACE", amount)
        except errors.DuplicateVoucher as error:
            outcome = error
        with lock:
            results.append(outcome)

    run_threads(work, 4)
    ids = [r for r in results if not isinstance(r, errors.DuplicateVoucher)]
    check = open_ledger()
    assert stored_count(check, Organisation.DonationReceived, "NA-DC") == 1
    if same_content:
        assert len(ids) == 4
        assert len(set(ids)) == 1
    else:
        assert len(ids) == 1
    assert check.balance("NA-DC") in {5_000 + n for n in range(4)}


def test_a_stale_write_is_retried_from_a_fresh_load(open_ledger: LedgerFactory) -> None:
    ledger, rival = open_ledger(), open_ledger()
    setup_province(ledger)
    donate(ledger, "PT-0", 100)
    saves = interfere_before_save(ledger, rival, times=2)

    donate(ledger, "PT-1", 10)

    assert saves == [1, 2, 3]  # two conflicts, then success
    assert ledger.balance("NA-DC") == 100 + 10 + 2 * 1
    assert stored_count(ledger, Organisation.DonationReceived, "NA-DC") == 4


def test_retries_run_out_with_concurrent_update_and_nothing_recorded(
    open_ledger: LedgerFactory,
) -> None:
    ledger, rival = open_ledger(), open_ledger()
    setup_province(ledger)
    donate(ledger, "PT-0", 1_000_000)
    ledger.max_attempts = 3  # type: ignore[misc]
    saves = interfere_before_save(ledger, rival, times=100, org="NA")

    with pytest.raises(errors.ConcurrentUpdate):
        ledger.transfer(
            "NA-DC", to_code="NA", voucher_no="CK-1", amount=400_000, business_date=DAY
        )

    assert saves == [1, 2, 3]
    # The receiver's conflict undid the sender's half too: one atomic save.
    check = open_ledger()
    assert check.balance("NA-DC") == 1_000_000
    assert stored_count(check, Organisation.TransferSent, "NA-DC") == 0
    assert check.balance("NA") == 3  # only the rival's three donations


def test_sqlite_runs_in_wal_mode_with_durable_commits(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'sub' / 'ledger.sqlite3'}")
    try:
        setup_province(ledger)
        engine = ledger.factory.datastore.engine  # type: ignore[attr-defined]
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000
    finally:
        ledger.close()


def run_threads(work: Callable[[int], None], count: int) -> None:
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)


def send_until_through(ledger: Ledger, voucher: str, amount: int) -> int:
    """Send a donation as a client would: again on ``concurrent_update``.

    Returns how many times the Ledger gave up before it got through.
    """
    for resend in range(5):
        try:
            donate(ledger, voucher, amount)
        except errors.ConcurrentUpdate:
            continue
        return resend
    raise AssertionError(f"{voucher} never got through")


def count_conflicts(ledger: Ledger) -> list[BaseException]:
    """Record every conflict ``ledger``'s saves meet (they are still raised)."""
    original_save = ledger.save
    conflicts: list[BaseException] = []

    def save(*objs: Any, **kwargs: Any) -> Any:
        try:
            return original_save(*objs, **kwargs)
        except RecordConflictError as conflict:
            conflicts.append(conflict)
            raise

    ledger.save = save  # type: ignore[method-assign]
    return conflicts


def interfere_before_save(
    ledger: Ledger, rival: Ledger, *, times: int, org: str = "NA-DC"
) -> list[int]:
    """Let ``rival`` write to ``org`` after ``ledger`` loaded it, before it saves.

    The rival's write is real, so ``ledger``'s save meets a real version
    conflict in the database, ``times`` times.
    """
    original_save = ledger.save
    remaining = [times]
    calls: list[int] = []

    def save(*objs: Any, **kwargs: Any) -> Any:
        calls.append(len(calls) + 1)
        if remaining[0] > 0:
            remaining[0] -= 1
            donate(rival, f"RIVAL-{remaining[0]}", 1, org=org)
        return original_save(*objs, **kwargs)

    ledger.save = save  # type: ignore[method-assign]
    return calls
